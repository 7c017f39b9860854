package config

import (
	"fmt"
	"strings"
)

// Team describes when people work, so nothing pings anyone in their evening,
// weekend, holiday or focus block. People inherit every unset field from the
// team.
type Team struct {
	Timezone     Zone         `yaml:"timezone"`
	WorkingHours TimeRange    `yaml:"working_hours"`
	WorkingDays  []Weekday    `yaml:"working_days"`
	FocusBlocks  []FocusBlock `yaml:"focus_blocks"`
	// Holidays are team-wide days off, in each person's own zone.
	Holidays []Date `yaml:"holidays"`
	// People is keyed by GitHub login.
	People map[string]Person `yaml:"people"`
}

// Person overrides the team's settings for one login.
type Person struct {
	Timezone     Zone         `yaml:"timezone"`
	WorkingHours TimeRange    `yaml:"working_hours"`
	WorkingDays  []Weekday    `yaml:"working_days"`
	FocusBlocks  []FocusBlock `yaml:"focus_blocks"`
	Manager      bool         `yaml:"manager"`
	// ReportsTo is the person's manager: a login or @org/team.
	ReportsTo PersonRef `yaml:"reports_to"`
	// Away lists days off: "2026-12-20..2027-01-03" or a single date.
	Away []DateRange `yaml:"away"`
}

// FocusBlock is a protected span of the working day. Written
// "13:00-15:00" (every working day) or "tue,thu 13:00-15:00".
type FocusBlock struct {
	Days  []Weekday // empty: every working day
	Hours TimeRange
}

func (f *FocusBlock) parseScalar(s string) error {
	s = strings.TrimSpace(s)
	days, hours, hasDays := strings.Cut(s, " ")
	if !hasDays {
		days, hours = "", s
	}
	r, err := ParseTimeRange(strings.TrimSpace(hours))
	if err != nil {
		return badValue("use HH:MM-HH:MM, optionally after days: \"tue,thu 13:00-15:00\"", "bad focus block %q", s)
	}
	var ws []Weekday
	if days != "" {
		for _, d := range strings.Split(days, ",") {
			w, err := ParseWeekday(d)
			if err != nil {
				return badValue("use HH:MM-HH:MM, optionally after days: \"tue,thu 13:00-15:00\"", "bad focus block %q: unknown weekday %q", s, d)
			}
			ws = append(ws, w)
		}
	}
	*f = FocusBlock{Days: ws, Hours: r}
	return nil
}

// On reports whether the block applies on weekday w.
func (f FocusBlock) On(w Weekday) bool {
	if len(f.Days) == 0 {
		return true
	}
	for _, d := range f.Days {
		if d == w {
			return true
		}
	}
	return false
}

func (f FocusBlock) String() string {
	if len(f.Days) == 0 {
		return f.Hours.String()
	}
	names := make([]string, len(f.Days))
	for i, d := range f.Days {
		names[i] = d.String()
	}
	return strings.Join(names, ",") + " " + f.Hours.String()
}

func defaultTeam() Team {
	return Team{
		Timezone:     "UTC",
		WorkingHours: TimeRange{Start: 9 * 60, End: 17 * 60},
		WorkingDays:  []Weekday{1, 2, 3, 4, 5},
	}
}

// Member returns the effective settings of login: the person's own values
// where set, the team's elsewhere. Logins match case-insensitively, as on
// GitHub. Unknown logins get the team's settings.
func (t Team) Member(login string) Person {
	p, ok := t.People[login]
	if !ok {
		for l, q := range t.People {
			if strings.EqualFold(l, login) {
				p = q
				break
			}
		}
	}
	if p.Timezone == "" {
		p.Timezone = t.Timezone
	}
	if p.WorkingHours.IsZero() {
		p.WorkingHours = t.WorkingHours
	}
	if p.WorkingDays == nil {
		p.WorkingDays = t.WorkingDays
	}
	if p.FocusBlocks == nil {
		p.FocusBlocks = t.FocusBlocks
	}
	return p
}

// WorksOn reports whether w is one of the days.
func WorksOn(days []Weekday, w Weekday) bool {
	for _, d := range days {
		if d == w {
			return true
		}
	}
	return false
}

func (t Team) validate(report func(key, msg, hint string)) {
	validateDays(report, "team.working_days", t.WorkingDays, true)
	for login, p := range t.People {
		key := "team.people." + login
		if _, err := ParsePersonRef(login); err != nil || strings.Contains(login, "/") {
			report(key, fmt.Sprintf("bad login %q", login), "people are keyed by GitHub login, e.g. octocat")
		}
		if p.WorkingDays != nil {
			validateDays(report, key+".working_days", p.WorkingDays, true)
		}
		if p.ReportsTo != "" && strings.EqualFold(string(p.ReportsTo), login) {
			report(key+".reports_to", "a person cannot report to themselves", "")
		}
	}
}

func validateDays(report func(key, msg, hint string), key string, days []Weekday, nonEmpty bool) {
	if nonEmpty && len(days) == 0 {
		report(key, "no working days", "list days such as [mon, tue, wed, thu, fri]")
	}
	seen := map[Weekday]bool{}
	for i, d := range days {
		if seen[d] {
			report(indexKey(key, i), fmt.Sprintf("%s is listed twice", d), "")
		}
		seen[d] = true
	}
}

func indexKey(key string, i int) string { return fmt.Sprintf("%s[%d]", key, i) }
