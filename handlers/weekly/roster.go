package weekly

import (
	"sort"
	"strings"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
)

// Status is a participant's row in the roster table.
type Status int

const (
	Missing Status = iota // expected, not posted yet
	Posted
	// Away: no working time left in the week (away days, holidays,
	// non-working days) or GitHub status busy. Away people are never
	// counted missing and never reminded (issue 10).
	Away
)

func (s Status) String() string { return [...]string{"missing", "posted", "away"}[s] }

// Row is one participant in the roster.
type Row struct {
	Login  string
	Zone   string // IANA name of the participant's zone
	Status Status
}

// Participants returns the policy's participant references: the configured
// list, else everyone in team.people (sorted, so the roster reads the same
// every week). "@org/team" entries are left for the caller to expand
// (roster.Directory.Expand): this package does no GitHub I/O.
func Participants(p config.Policy) []string {
	if len(p.Weekly.Participants) > 0 {
		out := make([]string, len(p.Weekly.Participants))
		for i, r := range p.Weekly.Participants {
			out[i] = string(r)
		}
		return out
	}
	out := make([]string, 0, len(p.Team.People))
	for login := range p.Team.People {
		out = append(out, login)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i]) < strings.ToLower(out[j]) })
	return out
}

// Roster builds the table of the week's thread: one row per participant
// (logins, teams already expanded; duplicates by case dropped, first
// spelling kept), in the order given. replies maps a login (any case) to
// that person's parsed top-level reply; replies of non-participants are
// ignored here, not deleted. A person who posted is Posted even if away: an
// update written on holiday still counts.
func Roster(participants []string, cal *calendar.Calendar, week Week, replies map[string]Reply) []Row {
	posted := map[string]bool{}
	for login, r := range replies {
		if !r.Empty() {
			posted[strings.ToLower(login)] = true
		}
	}
	seen := map[string]bool{}
	var rows []Row
	for _, login := range participants {
		k := strings.ToLower(login)
		if login == "" || seen[k] {
			continue
		}
		seen[k] = true
		p := cal.Person(login)
		row := Row{Login: login, Zone: p.Schedule.Location.String()}
		switch {
		case posted[k]:
			row.Status = Posted
		case AwayAllWeek(cal, login, week):
			row.Status = Away
		}
		rows = append(rows, row)
	}
	return rows
}

// AwayAllWeek reports whether login has no working time in the ISO week as
// read in their own zone, or says busy on GitHub. Someone away Monday to
// Wednesday who is back on Thursday is expected to post; someone away the
// whole week is not.
func AwayAllWeek(cal *calendar.Calendar, login string, week Week) bool {
	p := cal.Person(login)
	if p.Busy {
		return true
	}
	w := week.In(p.Schedule.Location)
	return cal.WorkingTime(login, w.Start(), w.End()) <= 0
}

// Participation counts posted and expected participants for the summary:
// away people are in neither count (issue 10: "k of n, away people listed
// apart").
func Participation(rows []Row) (posted, expected int, away []string) {
	for _, r := range rows {
		switch r.Status {
		case Away:
			away = append(away, r.Login)
		case Posted:
			posted++
			expected++
		default:
			expected++
		}
	}
	return posted, expected, away
}

// at returns the instant of a WeekTime in week as read in loc: the civil
// date of that weekday of the week, at that wall time (time.Date's DST
// rules for a wall time that does not exist or exists twice).
func at(week Week, wt config.WeekTime, loc *time.Location) time.Time {
	d := week.Monday.AddDays((int(wt.Day) + 6) % 7)
	return d.At(calendar.Clock{Hour: wt.Time.Hour(), Minute: wt.Time.Minute()}, loc)
}
