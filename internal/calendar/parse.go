package calendar

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Clock is a wall-clock time of day, to the minute. 24:00 is allowed only as
// the end of a ClockRange, meaning "until midnight".
type Clock struct{ Hour, Minute int }

// Minutes returns the minutes since midnight.
func (c Clock) Minutes() int { return c.Hour*60 + c.Minute }

// String formats c as "HH:MM".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// ClockRange is a half-open span of a single day, [Start, End). Start is
// before End: a range never crosses midnight (use End 24:00 to run to the end
// of the day).
type ClockRange struct{ Start, End Clock }

// Valid reports whether r is a usable range: both ends within the day and
// Start before End. Ranges from ParseClockRange are always valid.
func (r ClockRange) Valid() bool {
	return validClock(r.Start, false) && validClock(r.End, true) && r.Start.Minutes() < r.End.Minutes()
}

// Contains reports whether c falls in [Start, End).
func (r ClockRange) Contains(c Clock) bool {
	m := c.Minutes()
	return r.Start.Minutes() <= m && m < r.End.Minutes()
}

// String formats r as "HH:MM-HH:MM", the form ParseClockRange reads.
func (r ClockRange) String() string { return r.Start.String() + "-" + r.End.String() }

// Date is a civil (calendar) date with no time zone: the same Date is a
// different 24 hours in London and in Singapore.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// String formats d as "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// At returns the instant at wall clock c on d in loc. Clock 24:00 is the
// following midnight. A wall time skipped by a DST change is normalised by
// time.Date (it lands just after the gap), never a panic.
func (d Date) At(c Clock, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, c.Hour, c.Minute, 0, 0, loc)
}

// AddDays returns the date n days after d (before, for negative n).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DateRange is an inclusive span of civil dates: From..To, both days
// included.
type DateRange struct{ From, To Date }

// Contains reports whether d is in the range, ends included.
func (r DateRange) Contains(d Date) bool {
	return r.From.Compare(d) <= 0 && d.Compare(r.To) <= 0
}

// String formats r as "YYYY-MM-DD..YYYY-MM-DD", or one date when From == To.
func (r DateRange) String() string {
	if r.From == r.To {
		return r.From.String()
	}
	return r.From.String() + ".." + r.To.String()
}

const clockRangeHint = "want HH:MM-HH:MM, e.g. 09:00-17:30"

// ErrReversed is matched (errors.Is) by the error of ParseClockRange and
// ParseDateRange for a well-formed range that ends before it starts, so a
// caller such as the policy loader can word that case its own way.
var ErrReversed = errors.New("range ends before it starts")

// reversedError is a range error that matches ErrReversed.
type reversedError struct{ msg string }

func (e reversedError) Error() string        { return e.msg }
func (e reversedError) Is(target error) bool { return target == ErrReversed }

// ParseClock reads a time of day, exactly "HH:MM" from 00:00 to 23:59.
func ParseClock(s string) (Clock, error) {
	c, err := parseClock(strings.TrimSpace(s), false)
	if err != nil {
		return Clock{}, fmt.Errorf("invalid time %q: want HH:MM, e.g. 09:30", s)
	}
	return c, nil
}

// ParseClockRange reads a range of the day such as "09:00-17:30". Hours are
// 00-23 (24:00 is allowed as the end), minutes 00-59, and the start must be
// before the end: ranges do not cross midnight.
func ParseClockRange(s string) (ClockRange, error) {
	start, end, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return ClockRange{}, fmt.Errorf("invalid time range %q: %s", s, clockRangeHint)
	}
	a, errA := parseClock(strings.TrimSpace(start), false)
	b, errB := parseClock(strings.TrimSpace(end), true)
	if err := errors.Join(errA, errB); err != nil {
		return ClockRange{}, fmt.Errorf("invalid time range %q: %s", s, clockRangeHint)
	}
	if a.Minutes() >= b.Minutes() {
		return ClockRange{}, reversedError{fmt.Sprintf("invalid time range %q: start must be before end (a range cannot cross midnight)", s)}
	}
	return ClockRange{a, b}, nil
}

// parseClock reads exactly "HH:MM".
func parseClock(s string, isEnd bool) (Clock, error) {
	if len(s) != 5 || s[2] != ':' {
		return Clock{}, errors.New("not HH:MM")
	}
	if !digits(s[:2]) || !digits(s[3:]) {
		return Clock{}, errors.New("not HH:MM")
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	c := Clock{h, m}
	if !validClock(c, isEnd) {
		return Clock{}, errors.New("out of range")
	}
	return c, nil
}

// digits reports whether s is non-empty and only ASCII digits.
func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func validClock(c Clock, isEnd bool) bool {
	if isEnd && c.Hour == 24 && c.Minute == 0 {
		return true
	}
	return c.Hour >= 0 && c.Hour < 24 && c.Minute >= 0 && c.Minute < 60
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "weds": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// ParseWeekday reads a day name: mon..sun or monday..sunday, in any case;
// the common longer abbreviations tues, weds, thur and thurs too.
func ParseWeekday(s string) (time.Weekday, error) {
	if d, ok := weekdays[strings.ToLower(strings.TrimSpace(s))]; ok {
		return d, nil
	}
	return 0, fmt.Errorf("invalid weekday %q: want one of mon, tue, wed, thu, fri, sat, sun", s)
}

// ParseDate reads a civil date "YYYY-MM-DD" and checks that the day exists.
func ParseDate(s string) (Date, error) {
	t := strings.TrimSpace(s)
	if len(t) != 10 || t[4] != '-' || t[7] != '-' {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD, e.g. 2026-12-25", s)
	}
	if !digits(t[:4]) || !digits(t[5:7]) || !digits(t[8:]) {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD, e.g. 2026-12-25", s)
	}
	y, _ := strconv.Atoi(t[:4])
	m, _ := strconv.Atoi(t[5:7])
	d, _ := strconv.Atoi(t[8:])
	if m < 1 || m > 12 {
		return Date{}, fmt.Errorf("invalid date %q: month %d does not exist", s, m)
	}
	if n := daysIn(y, time.Month(m)); d < 1 || d > n {
		return Date{}, fmt.Errorf("invalid date %q: %s %d has %d days", s, time.Month(m), y, n)
	}
	return Date{y, time.Month(m), d}, nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// ParseDateRange reads an inclusive range "2026-11-30..2026-12-04", or a single
// date "2026-12-25" (a one-day range).
func ParseDateRange(s string) (DateRange, error) {
	from, to, isRange := strings.Cut(s, "..")
	a, err := ParseDate(from)
	if err != nil {
		return DateRange{}, fmt.Errorf("invalid date range %q: %w", s, err)
	}
	if !isRange {
		return DateRange{a, a}, nil
	}
	b, err := ParseDate(to)
	if err != nil {
		return DateRange{}, fmt.Errorf("invalid date range %q: %w", s, err)
	}
	if b.Compare(a) < 0 {
		return DateRange{}, reversedError{fmt.Sprintf("invalid date range %q: end %s is before start %s", s, b, a)}
	}
	return DateRange{a, b}, nil
}

// LoadLocation loads an IANA time zone such as "Europe/London" or "UTC".
// It refuses "" and "Local", which would silently mean the server's zone.
func LoadLocation(name string) (*time.Location, error) {
	n := strings.TrimSpace(name)
	if n == "" || n == "Local" {
		return nil, fmt.Errorf("invalid time zone %q: use an IANA name such as Europe/London", name)
	}
	loc, err := time.LoadLocation(n)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q: use an IANA name such as Europe/London", name)
	}
	return loc, nil
}
