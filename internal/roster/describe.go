package roster

import (
	"fmt"
	"strings"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
)

// Describe describes a policy's team calendar for `overlap calendar`
// and `overlap config check`: the team's defaults, each person's effective
// zone, hours, days, focus blocks and away days, and the team's overlap
// window for each day of the week (Monday to Sunday, team zone) that
// contains week. The window is computed with that week's UTC offsets, so it
// follows DST; the caller picks the week (the CLI passes today).
//
// Two further blocks answer the questions a distributed team asks next:
// when nobody's hours meet all at once, the window of each pair of zones
// (who can meet whom); and when the team's zones change clocks on different
// dates (the US weeks before Europe), the window in those odd weeks of the
// year, so nobody is surprised that the shared hour moved.
func Describe(p config.Policy, week time.Time) []string {
	cal := Calendar(p.Team)
	team := cal.Team()
	var out []string
	out = append(out, fmt.Sprintf("Team: %s, %s, %s%s%s", team.Location, team.Hours, dayList(team.Days),
		focusList(team.Focus), holidayList(team.Holidays)))
	for _, person := range cal.People() {
		s := person.Schedule
		line := fmt.Sprintf("  %s: %s, %s, %s%s", person.Login, s.Location, s.Hours, dayList(s.Days), focusList(s.Focus))
		if len(s.Away) > 0 {
			var aways []string
			for _, a := range s.Away {
				aways = append(aways, a.String())
			}
			line += ", away " + strings.Join(aways, ", ")
		}
		if person.Manager {
			line += ", manager"
		}
		if person.ReportsTo != "" {
			line += ", reports to " + person.ReportsTo
		}
		out = append(out, line)
	}
	monday := mondayOf(week, team.Location)
	windows := cal.OverlapWindow(monday)
	out = append(out, fmt.Sprintf("Overlap window, week of %s (everyone's working hours at once):", monday.Format("Mon 2 Jan 2006")))
	for i := range 7 {
		day := monday.AddDate(0, 0, i)
		ivs, works := windows[day.Weekday()]
		name := strings.ToLower(day.Weekday().String()[:3])
		switch {
		case !works:
			continue
		case len(ivs) == 0:
			out = append(out, fmt.Sprintf("  %s: none, working hours never meet", name))
		default:
			var parts []string
			for _, iv := range ivs {
				parts = append(parts, iv.String())
			}
			out = append(out, fmt.Sprintf("  %s: %s", name, strings.Join(parts, ", ")))
		}
	}
	out = append(out, pairLines(cal, monday, windows)...)
	out = append(out, clockChangeLines(cal, monday.Year(), !neverMeets(windows))...)
	return out
}

// mondayOf is 00:00 of the Monday of t's week in loc.
func mondayOf(t time.Time, loc *time.Location) time.Time {
	d := t.In(loc)
	back := (int(d.Weekday()) + 6) % 7
	return time.Date(d.Year(), d.Month(), d.Day()-back, 0, 0, 0, 0, loc)
}

func dayList(days [7]bool) string {
	var names []string
	for _, w := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if days[w] {
			names = append(names, strings.ToLower(w.String()[:3]))
		}
	}
	if len(names) == 0 {
		return "no working days"
	}
	return strings.Join(names, ",")
}

func focusList(fs []calendar.FocusBlock) string {
	if len(fs) == 0 {
		return ""
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.String())
	}
	return ", focus " + strings.Join(parts, "; ")
}

func holidayList(ds []calendar.Date) string {
	if len(ds) == 0 {
		return ""
	}
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.String())
	}
	return ", holidays " + strings.Join(parts, ", ")
}
