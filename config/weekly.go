package config

import (
	"fmt"
	"strings"
	"time"
)

// WeeklyUpdates is the `weekly_updates` block (issue 10): a weekly async
// update thread in GitHub Discussions that replaces a status meeting. It is
// off by default because it writes to a repository's Discussions, which a
// team has to enable and give a category for: nothing should appear there
// uninvited.
type WeeklyUpdates struct {
	Enabled bool `yaml:"enabled"`
	// Repository is where the thread lives, "owner/repo"; "" means the
	// repository holding the policy.
	Repository string `yaml:"repository"`
	// Category is the name of an existing Discussions category the app can
	// post in. The API cannot create categories, so the default is one every
	// repository with Discussions starts with, and an open-ended one
	// (announcement categories are known to refuse apps).
	Category string `yaml:"category"`
	// Participants are logins or "@org/team"; empty means everyone in
	// team.people.
	Participants []PersonRef `yaml:"participants"`
	// Open is when this week's thread opens, in the team's zone.
	Open WeekTime `yaml:"open"`
	// Remind is when a participant who has not posted is reminded, in that
	// participant's own zone (and only inside their working hours).
	Remind WeekTime `yaml:"remind"`
	// Summarize is when the summary comment is written, in the team's zone.
	Summarize WeekTime `yaml:"summarize"`
	// ShippedFrom lists repositories whose merged PRs count as shipped;
	// empty means the installation's repositories.
	ShippedFrom []string `yaml:"shipped_from"`
}

// DefaultWeeklyCategory is GitHub's default open-ended category.
const DefaultWeeklyCategory = "General"

func defaultWeeklyUpdates() WeeklyUpdates {
	return WeeklyUpdates{
		Category:  DefaultWeeklyCategory,
		Open:      WeekTime{Day: Weekday(time.Monday), Time: 9 * 60},
		Remind:    WeekTime{Day: Weekday(time.Thursday), Time: 14 * 60},
		Summarize: WeekTime{Day: Weekday(time.Friday), Time: 16 * 60},
	}
}

// WeekTime is a moment of the week, written "mon 09:00": a weekday and a
// wall-clock time, read in a zone chosen by the caller (the team's or a
// participant's).
type WeekTime struct {
	Day  Weekday
	Time TimeOfDay
}

const weekTimeHint = `use a weekday and a 24-hour time, e.g. "mon 09:00"`

// ParseWeekTime parses "mon 09:00" (any spelling calendar.ParseWeekday
// knows, one or more spaces between day and time).
func ParseWeekTime(s string) (WeekTime, error) {
	fields := strings.Fields(s)
	if len(fields) != 2 {
		return WeekTime{}, badValue(weekTimeHint, "bad weekly time %q", s)
	}
	d, err := ParseWeekday(fields[0])
	if err != nil {
		return WeekTime{}, badValue(weekTimeHint, "bad weekly time %q: unknown weekday %q", s, fields[0])
	}
	t, err := ParseTimeOfDay(fields[1])
	if err != nil {
		return WeekTime{}, badValue(weekTimeHint, "bad weekly time %q: bad time %q", s, fields[1])
	}
	return WeekTime{Day: d, Time: t}, nil
}

func (w *WeekTime) parseScalar(s string) error {
	v, err := ParseWeekTime(s)
	if err == nil {
		*w = v
	}
	return err
}

// String renders "mon 09:00".
func (w WeekTime) String() string { return w.Day.String() + " " + w.Time.String() }

// Offset is the time from Monday 00:00 of an ISO week to w, on the wall
// clock (DST is applied by whoever turns it into an instant).
func (w WeekTime) Offset() time.Duration {
	return time.Duration(isoIndex(w.Day))*day + time.Duration(w.Time)*time.Minute
}

// isoIndex numbers weekdays from Monday (0) to Sunday (6), as ISO weeks do.
func isoIndex(d Weekday) int { return (int(d) + 6) % 7 }

func (w WeeklyUpdates) validate(report func(key, msg, hint string), team Team) {
	if w.Repository != "" {
		if _, err := parseRepoRef(w.Repository, false); err != nil {
			ve := err.(*valueError)
			report("weekly_updates.repository", ve.msg, ve.hint)
		}
	}
	if strings.TrimSpace(w.Category) == "" {
		report("weekly_updates.category", "no category", "name an existing Discussions category, e.g. General")
	} else if len(w.Category) > 100 || strings.ContainsAny(w.Category, "\n\r") {
		report("weekly_updates.category", "category name is too long or spans lines", "use the category's name as it appears on GitHub")
	}
	seen := map[string]int{}
	for i, p := range w.Participants {
		k := strings.ToLower(string(p))
		if first, dup := seen[k]; dup {
			report(indexKey("weekly_updates.participants", i), fmt.Sprintf("%s is listed twice (first as item %d)", p, first+1), "")
		}
		seen[k] = i
	}
	validateRepoList(report, "weekly_updates.shipped_from", w.ShippedFrom, false)
	if w.Summarize.Offset() <= w.Open.Offset() {
		report("weekly_updates.summarize", fmt.Sprintf("summary at %s is not after the thread opens (%s)", w.Summarize, w.Open),
			"weeks run Monday to Sunday: summarize later in the week than open")
	}
	if o, r, s := isoIndex(w.Open.Day), isoIndex(w.Remind.Day), isoIndex(w.Summarize.Day); r < o || r > s {
		report("weekly_updates.remind", fmt.Sprintf("reminder day %s is outside the thread's week (%s to %s)", w.Remind.Day, w.Open.Day, w.Summarize.Day),
			"remind on a day between open and summarize")
	}
	if w.Enabled && len(w.Participants) == 0 && len(team.People) == 0 {
		report("weekly_updates.participants", "no participants: the list is empty and team.people names nobody",
			`list logins or teams, e.g. [alice, "@acme/platform"]`)
	}
}

// describeWeekly is the "Overlap config" line for the weekly thread: every
// time is stated with the zone it is read in, because "thu 14:00" means a
// different instant for each participant.
func describeWeekly(w WeeklyUpdates, team Team) string {
	if !w.Enabled {
		return "Weekly updates: off"
	}
	repo := w.Repository
	if repo == "" {
		repo = "this repository"
	}
	who := "everyone in team.people"
	if len(w.Participants) > 0 {
		who = listString(w.Participants)
	}
	shipped := "the installation's repositories"
	if len(w.ShippedFrom) > 0 {
		shipped = strings.Join(w.ShippedFrom, ", ")
	}
	return fmt.Sprintf("Weekly updates: on — thread in %s (category %q) for %s; opens %s (%s), reminders %s in each participant's zone, summary %s (%s); shipped from %s",
		repo, w.Category, who, w.Open, team.Timezone, w.Remind, w.Summarize, team.Timezone, shipped)
}
