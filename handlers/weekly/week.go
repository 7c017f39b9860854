package weekly

import (
	"fmt"
	"strconv"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/gh"
)

// Week is one ISO week (Monday to Sunday) read in one zone. The thread of a
// week is found again by its marker, not its title, so a person renaming the
// discussion does not make Overlap open a second one.
type Week struct {
	Year, Number int // ISO year and week number: 2026, 49
	// Monday is the first civil day of the week; the same dates hold in
	// every zone, so a participant's "thu 14:00" is read on the same
	// Thursday as the team's.
	Monday calendar.Date
	// Loc is the zone Start and End are read in (the team's).
	Loc *time.Location
}

// WeekOf returns the ISO week that holds t in loc.
func WeekOf(t time.Time, loc *time.Location) Week {
	if loc == nil {
		loc = time.UTC
	}
	lt := t.In(loc)
	y, n := lt.ISOWeek()
	d := calendar.DateOf(lt)
	back := (int(lt.Weekday()) + 6) % 7 // days since Monday
	return Week{Year: y, Number: n, Monday: d.AddDays(-back), Loc: loc}
}

// Key is "2026-W49", the week's part of the marker.
func (w Week) Key() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Number) }

// Marker is the hidden line that starts the week's thread body.
func (w Week) Marker() string { return gh.Marker("weekly", w.Key()) }

// Start is Monday 00:00 in the week's zone.
func (w Week) Start() time.Time { return w.Monday.At(calendar.Clock{}, w.Loc) }

// End is the next Monday 00:00 in the week's zone (exclusive): 167, 168 or
// 169 hours after Start, depending on a DST change that week.
func (w Week) End() time.Time { return w.Monday.AddDays(7).At(calendar.Clock{}, w.Loc) }

// Contains reports whether t falls in [Start, End).
func (w Week) Contains(t time.Time) bool { return !t.Before(w.Start()) && t.Before(w.End()) }

// Prev and Next are the neighbouring weeks in the same zone.
func (w Week) Prev() Week { return WeekOf(w.Start().AddDate(0, 0, -7), w.Loc) }
func (w Week) Next() Week { return WeekOf(w.Start().AddDate(0, 0, 7).Add(12*time.Hour), w.Loc) }

// In returns the same ISO week read in loc: the same civil dates, other
// instants. A participant's reminder is on their own Thursday.
func (w Week) In(loc *time.Location) Week { w.Loc = loc; return w }

// Title is the discussion title: "Weekly update · 2026-W49 (30 Nov – 6 Dec)".
// The dates are civil dates (no zone): everyone reads the same days.
func (w Week) Title() string {
	sun := w.Monday.AddDays(6)
	return fmt.Sprintf("Weekly update · %s (%d %s – %d %s)", w.Key(), w.Monday.Day, w.Monday.Month.String()[:3], sun.Day, sun.Month.String()[:3])
}

// ParseKey reads "2026-W49" back, as found in a marker; ok is false for
// anything else. The week is returned in loc.
func ParseKey(key string, loc *time.Location) (Week, bool) {
	if len(key) != 8 || key[4:6] != "-W" || !digits(key[:4]) || !digits(key[6:]) {
		return Week{}, false
	}
	y, _ := strconv.Atoi(key[:4])
	n, _ := strconv.Atoi(key[6:])
	if n < 1 || n > 53 {
		return Week{}, false
	}
	// 4 January is always in week 1.
	jan4 := time.Date(y, time.January, 4, 12, 0, 0, 0, time.UTC)
	w := WeekOf(jan4.AddDate(0, 0, 7*(n-1)), time.UTC)
	if w.Year != y || w.Number != n {
		return Week{}, false // W53 of a 52-week year
	}
	return w.In(loc), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
