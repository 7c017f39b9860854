package config

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zones must resolve in scratch/distroless images, which ship no zoneinfo

	"github.com/bmatcuk/doublestar/v4"

	"github.com/overlaphq/overlap/internal/calendar"
)

// Duration is a policy duration. Besides Go's m and h it understands d (24h)
// and w (7d), because review norms and doc ages are talked about in days and
// weeks: "4h", "90d", "1w", "1h30m", "2w3d".
type Duration time.Duration

// Std returns the duration as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }

const (
	day  = 24 * time.Hour
	week = 7 * day
)

var durationPart = regexp.MustCompile(`^(\d{1,6})([wdhm])`)

func (d *Duration) parseScalar(s string) error {
	v, err := parsePolicyDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ParseDuration parses a policy duration such as "90d" or "1h30m".
func ParseDuration(s string) (Duration, error) {
	v, err := parsePolicyDuration(s)
	return Duration(v), err
}

func parsePolicyDuration(s string) (time.Duration, error) {
	bad := fmt.Errorf("bad duration %q: use a number and a unit: m, h, d or w, e.g. 4h or 90d", s)
	rest := strings.TrimSpace(s)
	if rest == "0" {
		return 0, nil
	}
	if rest == "" {
		return 0, bad
	}
	var total time.Duration
	for rest != "" {
		m := durationPart.FindStringSubmatch(rest)
		if m == nil {
			return 0, bad
		}
		n, _ := strconv.Atoi(m[1])
		unit := map[string]time.Duration{"w": week, "d": day, "h": time.Hour, "m": time.Minute}[m[2]]
		const limit = 100 * 52 * week
		if time.Duration(n) > limit/unit || total+time.Duration(n)*unit > limit {
			return 0, fmt.Errorf("bad duration %q: longer than 100 years", s)
		}
		total += time.Duration(n) * unit
		rest = rest[len(m[0]):]
	}
	return total, nil
}

// String renders the duration in the same units people write: 2w, 90d, 1h30m.
func (d Duration) String() string {
	v := time.Duration(d)
	if v == 0 {
		return "0"
	}
	var b strings.Builder
	if v < 0 {
		b.WriteByte('-')
		v = -v
	}
	if v%week == 0 {
		fmt.Fprintf(&b, "%dw", v/week)
		return b.String()
	}
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{day, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if n := v / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			v -= n * u.unit
		}
	}
	if v > 0 {
		b.WriteString(v.String())
	}
	return b.String()
}

// parseServerDuration accepts Go durations ("30s", "2m") and the policy's
// day/week units, so one vocabulary works in both files.
func parseServerDuration(s string) (time.Duration, error) {
	if v, err := time.ParseDuration(strings.TrimSpace(s)); err == nil {
		return v, nil
	}
	if v, err := parsePolicyDuration(s); err == nil {
		return v, nil
	}
	return 0, fmt.Errorf("bad duration %q: use a number and a unit, e.g. 30s, 2m or 1h", s)
}

// TimeOfDay is a wall-clock time as minutes after midnight.
type TimeOfDay int

// ParseTimeOfDay parses "HH:MM" (24-hour clock), as the calendar reads it.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	c, err := calendar.ParseClock(s)
	if err != nil {
		return 0, badValue("use a 24-hour time such as 09:00", "bad time %q", s)
	}
	return TimeOfDay(c.Minutes()), nil
}

func (t *TimeOfDay) parseScalar(s string) error {
	v, err := ParseTimeOfDay(s)
	*t = v
	return err
}

// Hour and Minute split the time of day.
func (t TimeOfDay) Hour() int   { return int(t) / 60 }
func (t TimeOfDay) Minute() int { return int(t) % 60 }

// String renders HH:MM.
func (t TimeOfDay) String() string { return fmt.Sprintf("%02d:%02d", t.Hour(), t.Minute()) }

// On returns the instant of this wall time on date's day in loc.
func (t TimeOfDay) On(date Date, loc *time.Location) time.Time {
	return time.Date(date.Year, date.Month, date.Day, t.Hour(), t.Minute(), 0, 0, loc)
}

// TimeRange is a span of the day, "09:00-17:00"; Start is before End.
type TimeRange struct {
	Start, End TimeOfDay
}

const timeRangeHint = "use HH:MM-HH:MM, e.g. 09:00-17:00"

// ParseTimeRange parses "HH:MM-HH:MM" with the calendar's rules: the
// start is before the end, and the end may be 24:00 (until midnight).
func ParseTimeRange(s string) (TimeRange, error) {
	r, err := calendar.ParseClockRange(s)
	switch {
	case errors.Is(err, calendar.ErrReversed):
		return TimeRange{}, badValue(timeRangeHint, "bad time range %q: start must be before end", s)
	case err != nil:
		return TimeRange{}, badValue(timeRangeHint, "bad time range %q", s)
	}
	return TimeRange{Start: TimeOfDay(r.Start.Minutes()), End: TimeOfDay(r.End.Minutes())}, nil
}

func (r *TimeRange) parseScalar(s string) error {
	v, err := ParseTimeRange(s)
	if err == nil {
		*r = v
	}
	return err
}

// Contains reports whether t falls in [Start, End).
func (r TimeRange) Contains(t TimeOfDay) bool { return t >= r.Start && t < r.End }

// IsZero reports whether the range is unset.
func (r TimeRange) IsZero() bool { return r == TimeRange{} }

func (r TimeRange) String() string { return r.Start.String() + "-" + r.End.String() }

// Weekday is a day of the week written mon..sun (or in full, any case).
type Weekday time.Weekday

// ParseWeekday parses "mon", "Monday", "MON", "thurs", ... (see
// calendar.ParseWeekday).
func ParseWeekday(s string) (Weekday, error) {
	w, err := calendar.ParseWeekday(s)
	if err != nil {
		return 0, badValue("use mon, tue, wed, thu, fri, sat or sun", "unknown weekday %q", s)
	}
	return Weekday(w), nil
}

func (w *Weekday) parseScalar(s string) error {
	v, err := ParseWeekday(s)
	*w = v
	return err
}

// Std returns the time.Weekday.
func (w Weekday) Std() time.Weekday { return time.Weekday(w) }

func (w Weekday) String() string {
	return strings.ToLower(time.Weekday(w).String()[:3])
}

// Date is a calendar day without a zone, "YYYY-MM-DD".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD (a day that exists).
func ParseDate(s string) (Date, error) {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return Date{}, badValue("use YYYY-MM-DD, e.g. 2026-12-24", "bad date %q", s)
	}
	return Date(d), nil
}

// DateOf returns the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

func (d *Date) parseScalar(s string) error {
	v, err := ParseDate(s)
	*d = v
	return err
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is an earlier day than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// Compare returns -1, 0 or +1.
func (d Date) Compare(o Date) int { return calendar.Date(d).Compare(calendar.Date(o)) }

// In returns midnight of the day in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func (d Date) String() string { return calendar.Date(d).String() }

// DateRange is an inclusive span of days, written "2026-12-20..2027-01-03"
// or a single date.
type DateRange struct {
	From, To Date
}

// ParseDateRange parses "A..B" (A ≤ B) or a single date.
func ParseDateRange(s string) (DateRange, error) {
	r, err := calendar.ParseDateRange(s)
	switch {
	case errors.Is(err, calendar.ErrReversed):
		return DateRange{}, badValue("put the earlier date first", "bad date range %q: ends before it starts", s)
	case err != nil:
		return DateRange{}, badValue("use YYYY-MM-DD..YYYY-MM-DD or a single date", "bad date range %q", s)
	}
	return DateRange{From: Date(r.From), To: Date(r.To)}, nil
}

func (r *DateRange) parseScalar(s string) error {
	v, err := ParseDateRange(s)
	*r = v
	return err
}

// Contains reports whether d is within the range, ends included.
func (r DateRange) Contains(d Date) bool { return d.Compare(r.From) >= 0 && d.Compare(r.To) <= 0 }

func (r DateRange) String() string {
	if r.From == r.To {
		return r.From.String()
	}
	return r.From.String() + ".." + r.To.String()
}

// Zone is an IANA time zone name, checked with time.LoadLocation.
type Zone string

const zoneHint = "use an IANA name such as Europe/London"

func (z *Zone) parseScalar(s string) error {
	s = strings.TrimSpace(s)
	// "Local" means the server's zone, which is not the team's.
	if s == "" || s == "Local" {
		return badValue(zoneHint, "unknown time zone %q", s)
	}
	if _, err := time.LoadLocation(s); err != nil {
		return badValue(zoneHint, "unknown time zone %q", s)
	}
	*z = Zone(s)
	return nil
}

// Location loads the zone; an unset or unknown zone is UTC.
func (z Zone) Location() *time.Location {
	if z == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(string(z))
	if err != nil {
		return time.UTC
	}
	return loc
}

// Glob is a doublestar path pattern such as "docs/runbooks/**/*.md".
type Glob string

func (g *Glob) parseScalar(s string) error {
	if s == "" || !doublestar.ValidatePattern(s) {
		return badValue("use a path pattern such as docs/**/*.md", "bad glob %q", s)
	}
	*g = Glob(s)
	return nil
}

// Match reports whether a repository path matches the pattern.
func (g Glob) Match(path string) bool {
	ok, _ := doublestar.Match(string(g), path)
	return ok
}

// PersonRef names a person by GitHub login ("alice"; a leading @ is dropped)
// or a team as "@org/team".
type PersonRef string

var (
	loginRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	teamRe  = regexp.MustCompile(`^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$`)
)

func (p *PersonRef) parseScalar(s string) error {
	v, err := ParsePersonRef(s)
	*p = v
	return err
}

// ParsePersonRef checks a login or @org/team.
func ParsePersonRef(s string) (PersonRef, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		if !teamRe.MatchString(s) {
			return "", badValue("write teams as @org/team-slug", "bad team %q", s)
		}
		return PersonRef(s), nil
	}
	login := strings.TrimPrefix(s, "@")
	if !loginRe.MatchString(login) {
		return "", badValue("use a GitHub login such as octocat, or a team as @org/team-slug", "bad login %q", s)
	}
	return PersonRef(login), nil
}

// IsTeam reports whether the reference is an @org/team.
func (p PersonRef) IsTeam() bool { return strings.HasPrefix(string(p), "@") }

// Team splits an @org/team reference; ok is false for a login.
func (p PersonRef) Team() (org, slug string, ok bool) {
	if !p.IsTeam() {
		return "", "", false
	}
	org, slug, ok = strings.Cut(strings.TrimPrefix(string(p), "@"), "/")
	return org, slug, ok
}

// parseEnum lowercases s and checks it is one of allowed.
func parseEnum(dst *string, what, s string, allowed ...string) error {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, a := range allowed {
		if v == a {
			*dst = v
			return nil
		}
	}
	hint := "use " + allowed[0]
	if len(allowed) > 1 {
		hint = "use " + strings.Join(allowed[:len(allowed)-1], ", ") + " or " + allowed[len(allowed)-1]
	}
	return badValue(hint, "unknown %s %q", what, s)
}

// CheckMode says whether a feature's check run can block a merge.
type CheckMode string

const (
	CheckRequired CheckMode = "required" // failure conclusion: blocks when the check is required by branch protection
	CheckAdvisory CheckMode = "advisory" // neutral conclusion: informs, never blocks
)

func (c *CheckMode) parseScalar(s string) error {
	return parseEnum((*string)(c), "check mode", s, string(CheckRequired), string(CheckAdvisory))
}
