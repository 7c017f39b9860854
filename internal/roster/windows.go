package roster

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
)

// subject is a set of people whose overlap window Describe reports: the
// whole team (label "") or a pair of zone groups ("London–New York").
type subject struct {
	label string
	cal   *calendar.Calendar
}

// pairs are the pairs of zone groups of the team, team zone first.
func pairs(cal *calendar.Calendar) []subject {
	groups := zoneGroups(cal.People(), cal.Zones())
	team := cal.Team()
	var out []subject
	for i := range groups {
		for j := i + 1; j < len(groups); j++ {
			members := append(slices.Clone(groups[i].people), groups[j].people...)
			out = append(out, subject{groups[i].label + "–" + groups[j].label, subCalendar(team, members)})
		}
	}
	return out
}

// neverMeets reports whether people work in the week but their hours never
// all meet.
func neverMeets(windows map[time.Weekday][]calendar.Interval) bool {
	for _, ivs := range windows {
		if len(ivs) > 0 {
			return false
		}
	}
	return len(windows) > 0
}

// pairLines lists, when the whole team's hours never meet in the week of
// monday, the overlap window of each pair of zones the people work in, so a
// team sees who can meet whom. People in one zone count as one group (their
// common hours).
func pairLines(cal *calendar.Calendar, monday time.Time, windows map[time.Weekday][]calendar.Interval) []string {
	if !neverMeets(windows) {
		return nil
	}
	ps := pairs(cal)
	if len(ps) == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("No time when everyone works; pairs (%s):", cal.Team().Location)}
	for _, p := range ps {
		out = append(out, fmt.Sprintf("  %s: %s", p.label, weekWindow(p.cal.OverlapWindow(monday), nil)))
	}
	return out
}

// zoneGroup is the people who work in one zone.
type zoneGroup struct {
	label  string
	people []calendar.Person
}

// zoneGroups groups people by zone, in the order of zones (the team's
// first). When everyone shares one zone the groups are the people themselves.
func zoneGroups(people []calendar.Person, zones []*time.Location) []zoneGroup {
	var out []zoneGroup
	for _, z := range zones {
		g := zoneGroup{label: city(z.String())}
		for _, p := range people {
			if p.Schedule.Location.String() == z.String() {
				g.people = append(g.people, p)
			}
		}
		if len(g.people) > 0 {
			out = append(out, g)
		}
	}
	if len(out) == 1 && len(people) > 1 {
		out = out[:0]
		for _, p := range people {
			out = append(out, zoneGroup{label: p.Login, people: []calendar.Person{p}})
		}
	}
	return out
}

// city is the readable last part of a zone name: "America/New_York" →
// "New York".
func city(zone string) string {
	if i := strings.LastIndex(zone, "/"); i >= 0 {
		zone = zone[i+1:]
	}
	return strings.ReplaceAll(zone, "_", " ")
}

// subCalendar is a calendar of just the given people, with their effective
// schedules (regular hours only: the overlap window ignores absences).
func subCalendar(team calendar.Schedule, people []calendar.Person) *calendar.Calendar {
	spec := calendar.Spec{Team: team, People: map[string]calendar.PersonSpec{}}
	for _, p := range people {
		s := p.Schedule
		spec.People[p.Login] = calendar.PersonSpec{Location: s.Location, Hours: &s.Hours, Days: &s.Days}
	}
	return calendar.New(spec)
}

// weekWindow writes a week's overlap window on one short line: the
// windows (team-zone wall clock) of the working days, "mon,tue 12:00-16:30;
// fri 12:00-20:00" when days differ, "none" when hours never meet. keep, if
// not nil, limits the days considered.
func weekWindow(w map[time.Weekday][]calendar.Interval, keep func(time.Weekday) bool) string {
	type group struct {
		text string
		days []string
	}
	var groups []group
	meets := false
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		ivs, works := w[wd]
		if !works || (keep != nil && !keep(wd)) {
			continue
		}
		var parts []string
		for _, iv := range ivs {
			parts = append(parts, iv.Clock.String())
		}
		text := "none"
		if len(parts) > 0 {
			meets = true
			text = strings.Join(parts, ", ")
		}
		name := strings.ToLower(wd.String()[:3])
		if i := slices.IndexFunc(groups, func(g group) bool { return g.text == text }); i >= 0 {
			groups[i].days = append(groups[i].days, name)
		} else {
			groups = append(groups, group{text: text, days: []string{name}})
		}
	}
	if !meets {
		return "none"
	}
	if len(groups) == 1 {
		return groups[0].text
	}
	var parts []string
	for _, g := range groups {
		parts = append(parts, strings.Join(g.days, ",")+" "+g.text)
	}
	return strings.Join(parts, "; ")
}

// clockChangeLines lists the stretches of year when the team's zones are
// out of step because they change clocks on different dates (New York
// three weeks before London in March, a week after in autumn), with the
// overlap window then: the whole team's, or each pair's when the team's
// hours never all meet (meetAll false). A stretch is out of step when its
// set of UTC offsets matches neither mid-January's nor mid-July's. Nothing
// is listed when the zones change together or the windows are as usual.
func clockChangeLines(cal *calendar.Calendar, year int, meetAll bool) []string {
	zones := cal.Zones()
	team := cal.Team().Location
	subjects := []subject{{"", cal}}
	if !meetAll {
		subjects = pairs(cal)
	}
	jan := offsets(zones, time.Date(year, time.January, 15, 12, 0, 0, 0, time.UTC))
	jul := offsets(zones, time.Date(year, time.July, 15, 12, 0, 0, 0, time.UTC))
	usual := make([]map[string]bool, len(subjects))
	for i, sub := range subjects {
		usual[i] = map[string]bool{}
		for _, at := range []time.Time{time.Date(year, time.January, 12, 0, 0, 0, 0, team), time.Date(year, time.July, 13, 0, 0, 0, 0, team)} {
			usual[i][weekWindow(sub.cal.OverlapWindow(mondayOf(at, team)), nil)] = true
		}
	}
	cuts := transitions(zones, year)
	var out []string
	for i := 0; i+1 < len(cuts); i++ {
		from, to := cuts[i], cuts[i+1]
		if off := offsets(zones, from); off == jan || off == jul {
			continue
		}
		// Clocks change at night: round each end to the nearest team-zone
		// midnight, so a change at 01:00 on Sunday ends the stretch on Saturday.
		first, last := calendar.DateOf(from.In(team).Add(12*time.Hour)), calendar.DateOf(to.In(team).Add(-12*time.Hour))
		if last.Compare(first) < 0 {
			continue
		}
		// The days of the stretch, from its first, at most a week.
		inside := map[time.Weekday]bool{}
		for d := first; d.Compare(last) <= 0 && len(inside) < 7; d = d.AddDays(1) {
			inside[d.Weekday()] = true
		}
		var parts []string
		for k, sub := range subjects {
			w := sub.cal.OverlapWindow(first.At(calendar.Clock{Hour: 12}, team))
			text := weekWindow(w, func(wd time.Weekday) bool { return inside[wd] })
			if usual[k][text] || !worksAny(w, inside) {
				continue
			}
			if sub.label != "" {
				text = sub.label + " " + text
			}
			parts = append(parts, text)
		}
		if len(parts) > 0 {
			out = append(out, fmt.Sprintf("  from %s to %s: %s %s (%s)", dayMonth(first), dayMonth(last), strings.Join(parts, ", "), team, summerTime(zones, from)))
		}
	}
	if len(out) == 0 {
		return nil
	}
	return append([]string{fmt.Sprintf("When clocks change on different dates in %d:", year)}, out...)
}

// worksAny reports whether anyone works on one of the days.
func worksAny(w map[time.Weekday][]calendar.Interval, days map[time.Weekday]bool) bool {
	for wd := range days {
		if _, ok := w[wd]; ok {
			return true
		}
	}
	return false
}

// offsets is the zones' UTC offsets at t, as a comparable key.
func offsets(zones []*time.Location, t time.Time) string {
	var b strings.Builder
	for _, z := range zones {
		_, off := t.In(z).Zone()
		fmt.Fprintf(&b, "%d,", off)
	}
	return b.String()
}

// transitions are the instants in year when any of the zones changes its
// UTC offset, bracketed by the start of year and of the next (UTC), sorted.
// Offsets are sampled daily and each change is narrowed to the minute.
func transitions(zones []*time.Location, year int) []time.Time {
	start := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(year+1, time.January, 1, 0, 0, 0, 0, time.UTC)
	out := []time.Time{start}
	for t := start; t.Before(end); t = t.Add(24 * time.Hour) {
		next := minT(t.Add(24*time.Hour), end)
		if offsets(zones, t) == offsets(zones, next) {
			continue
		}
		lo, hi := t, next // offsets(lo) != offsets(hi)
		for hi.Sub(lo) > time.Minute {
			mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Minute)
			if offsets(zones, mid) == offsets(zones, lo) {
				lo = mid
			} else {
				hi = mid
			}
		}
		out = append(out, hi)
		// Two zones changing the same day (rare) are caught on the
		// following sample.
		if offsets(zones, hi) != offsets(zones, next) {
			t = hi.Add(-24 * time.Hour).Add(time.Minute)
		}
	}
	return append(out, end)
}

func minT(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// summerTime says which zones are on summer time at t and which are not,
// e.g. "summer time in New York, not in London".
func summerTime(zones []*time.Location, t time.Time) string {
	var on, off []string
	for _, z := range zones {
		if !hasDST(z, t.Year()) {
			continue
		}
		if t.In(z).IsDST() {
			on = append(on, city(z.String()))
		} else {
			off = append(off, city(z.String()))
		}
	}
	switch {
	case len(on) == 0:
		return "no summer time in " + strings.Join(off, ", ")
	case len(off) == 0:
		return "summer time in " + strings.Join(on, ", ")
	}
	return "summer time in " + strings.Join(on, ", ") + ", not in " + strings.Join(off, ", ")
}

// hasDST reports whether z changes its offset during year.
func hasDST(z *time.Location, year int) bool {
	return len(transitions([]*time.Location{z}, year)) > 2
}

// dayMonth writes a date as "8 Mar".
func dayMonth(d calendar.Date) string {
	return fmt.Sprintf("%d %s", d.Day, d.Month.String()[:3])
}
