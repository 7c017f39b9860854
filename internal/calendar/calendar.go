package calendar

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// SearchDays bounds every forward search ([Calendar.NextPing],
// [Calendar.AddWorkingTime]): after this many consecutive days with nothing
// that qualifies, the search gives up and returns the zero time.Time.
const SearchDays = 366

// Schedule is when one person (or the team by default) works.
type Schedule struct {
	// Location is the zone that Hours, Focus and the civil dates are read in.
	Location *time.Location
	// Hours are the daily working hours, e.g. 09:00-17:30.
	Hours ClockRange
	// Days marks working weekdays, indexed by time.Weekday.
	Days [7]bool
	// Focus blocks are parts of the working day that are not to be
	// interrupted by normal messages.
	Focus []FocusBlock
	// Holidays are non-working civil dates.
	Holidays []Date
	// Away are inclusive ranges of civil dates when the person is away.
	Away []DateRange
}

// FocusBlock is a focus span of the day, on every working day or only on
// some weekdays ("tue,thu 13:00-15:00").
type FocusBlock struct {
	Hours ClockRange
	// Days limits the block to these weekdays, indexed by time.Weekday; all
	// false (the zero value) means every day.
	Days [7]bool
}

// On reports whether the block applies on weekday w.
func (f FocusBlock) On(w time.Weekday) bool {
	return f.Days == ([7]bool{}) || (w >= time.Sunday && w <= time.Saturday && f.Days[w])
}

// String formats the block as the policy file writes it: "09:30-11:30" or
// "tue,thu 13:00-15:00".
func (f FocusBlock) String() string {
	if f.Days == ([7]bool{}) {
		return f.Hours.String()
	}
	var names []string
	for _, w := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if f.Days[w] {
			names = append(names, strings.ToLower(w.String()[:3]))
		}
	}
	return strings.Join(names, ",") + " " + f.Hours.String()
}

// EveryDay returns focus blocks with the given hours on every working day.
func EveryDay(hours ...ClockRange) []FocusBlock {
	out := make([]FocusBlock, len(hours))
	for i, h := range hours {
		out[i] = FocusBlock{Hours: h}
	}
	return out
}

// Weekdays returns a Days value with the given weekdays set.
func Weekdays(days ...time.Weekday) [7]bool {
	var w [7]bool
	for _, d := range days {
		if d >= time.Sunday && d <= time.Saturday {
			w[d] = true
		}
	}
	return w
}

// DefaultSchedule is used for the parts of a team schedule left zero in a
// Spec: UTC, 09:00-17:00, Monday to Friday, no focus blocks.
func DefaultSchedule() Schedule {
	return Schedule{
		Location: time.UTC,
		Hours:    ClockRange{Clock{9, 0}, Clock{17, 0}},
		Days:     Weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday),
	}
}

// PersonSpec is one person's overrides of the team schedule. A nil field
// inherits the team's value.
type PersonSpec struct {
	Location *time.Location // nil: the team zone
	Hours    *ClockRange    // nil: the team hours
	Days     *[7]bool       // nil: the team's working days
	// Focus replaces the team's focus blocks; nil inherits them and an empty
	// non-nil slice means "no focus blocks".
	Focus []FocusBlock
	// Away is added to the team's away ranges.
	Away      []DateRange
	Manager   bool
	ReportsTo string // login of this person's manager, if any
}

// Spec describes a team: its default schedule and its people keyed by GitHub
// login (matched case-insensitively). Zero parts of Team (nil Location,
// zero Hours, no Days) take DefaultSchedule's values.
type Spec struct {
	Team   Schedule
	People map[string]PersonSpec
}

// Person is one teammate with their effective schedule.
type Person struct {
	Login     string
	Schedule  Schedule
	Manager   bool
	ReportsTo string
	// Busy is the person's GitHub status "busy" flag as last set by SetBusy.
	Busy bool
}

// Urgency says how hard a message may push through someone's schedule.
type Urgency int

const (
	// Normal messages wait for working hours outside focus blocks.
	Normal Urgency = iota
	// Urgent messages need working hours but may pierce focus blocks.
	Urgent
	// UrgentAfterHours messages may go out at any hour, but never to
	// someone away or busy.
	UrgentAfterHours
)

// String names u as it would appear in a log line.
func (u Urgency) String() string {
	switch u {
	case Normal:
		return "normal"
	case Urgent:
		return "urgent"
	case UrgentAfterHours:
		return "urgent-after-hours"
	}
	return "urgency(" + strconv.Itoa(int(u)) + ")"
}

// Calendar is a team's schedules. Build it with New; it is safe for
// concurrent use (SetBusy may run while others read).
type Calendar struct {
	team   Schedule
	people map[string]Person // key: lower-case login
	logins []string          // sorted keys of people

	mu   sync.RWMutex
	busy map[string]bool // key: lower-case login
}

// New builds a Calendar from spec. It does not fail: the config package
// validates input; here an invalid ClockRange simply contributes no time. If
// two logins differ only in case, the one that sorts first wins.
func New(spec Spec) *Calendar {
	team := spec.Team
	def := DefaultSchedule()
	if team.Location == nil {
		team.Location = def.Location
	}
	if team.Hours == (ClockRange{}) {
		team.Hours = def.Hours
	}
	if team.Days == ([7]bool{}) {
		team.Days = def.Days
	}
	team.Focus = slices.Clone(team.Focus)
	team.Holidays = slices.Clone(team.Holidays)
	team.Away = slices.Clone(team.Away)

	c := &Calendar{team: team, people: map[string]Person{}}
	names := make([]string, 0, len(spec.People))
	for login := range spec.People {
		names = append(names, login)
	}
	slices.Sort(names)
	for _, login := range names {
		key := strings.ToLower(login)
		if _, dup := c.people[key]; dup {
			continue
		}
		ps := spec.People[login]
		s := team
		if ps.Location != nil {
			s.Location = ps.Location
		}
		if ps.Hours != nil {
			s.Hours = *ps.Hours
		}
		if ps.Days != nil {
			s.Days = *ps.Days
		}
		if ps.Focus != nil {
			s.Focus = slices.Clone(ps.Focus)
		}
		s.Away = append(slices.Clone(team.Away), ps.Away...)
		c.people[key] = Person{Login: login, Schedule: s, Manager: ps.Manager, ReportsTo: ps.ReportsTo}
		c.logins = append(c.logins, key)
	}
	slices.Sort(c.logins)
	return c
}

// SetBusy replaces the set of people whose GitHub status says busy. It is
// read once per sweep; logins match case-insensitively.
func (c *Calendar) SetBusy(logins map[string]bool) {
	busy := make(map[string]bool, len(logins))
	for l, b := range logins {
		if b {
			busy[strings.ToLower(l)] = true
		}
	}
	c.mu.Lock()
	c.busy = busy
	c.mu.Unlock()
}

func (c *Calendar) isBusy(login string) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.busy[strings.ToLower(login)]
}

// Person returns the person with this login (case-insensitive). Someone not
// in the spec gets the team's schedule, so Overlap still respects the team's
// hours for an outside contributor.
func (c *Calendar) Person(login string) Person {
	p, ok := c.people[strings.ToLower(login)]
	if !ok {
		p = Person{Login: login, Schedule: c.team}
	}
	p.Schedule = p.Schedule.clone()
	p.Busy = c.isBusy(login)
	return p
}

// schedule is Person(login).Schedule without the copying.
func (c *Calendar) schedule(login string) *Schedule {
	if p, ok := c.people[strings.ToLower(login)]; ok {
		return &p.Schedule
	}
	return &c.team
}

// Team returns the team's default schedule.
func (c *Calendar) Team() Schedule { return c.team.clone() }

// clone copies s so that callers cannot change the calendar through its slices.
func (s Schedule) clone() Schedule {
	s.Focus = slices.Clone(s.Focus)
	s.Holidays = slices.Clone(s.Holidays)
	s.Away = slices.Clone(s.Away)
	return s
}

// People returns everyone in the spec, sorted by lower-case login.
func (c *Calendar) People() []Person {
	out := make([]Person, 0, len(c.logins))
	for _, l := range c.logins {
		out = append(out, c.Person(l))
	}
	return out
}

// ManagerOf returns the person login reports to, if that is configured.
func (c *Calendar) ManagerOf(login string) (Person, bool) {
	p, ok := c.people[strings.ToLower(login)]
	if !ok || p.ReportsTo == "" {
		return Person{}, false
	}
	return c.Person(p.ReportsTo), true
}

// Zones returns the distinct zones of the team: the team zone first, then the
// others sorted by name. Overlap writes a time in each of them when it
// converts a deadline.
func (c *Calendar) Zones() []*time.Location {
	out := []*time.Location{c.team.Location}
	seen := map[string]bool{c.team.Location.String(): true}
	var rest []*time.Location
	for _, l := range c.logins {
		loc := c.people[l].Schedule.Location
		if !seen[loc.String()] {
			seen[loc.String()] = true
			rest = append(rest, loc)
		}
	}
	slices.SortFunc(rest, func(a, b *time.Location) int { return strings.Compare(a.String(), b.String()) })
	return append(out, rest...)
}

// span is a half-open interval of instants [start, end).
type span struct{ start, end time.Time }

func (s span) contains(t time.Time) bool { return !t.Before(s.start) && t.Before(s.end) }

// awayOn reports whether d is inside one of the schedule's away ranges.
func (s *Schedule) awayOn(d Date) bool {
	return slices.ContainsFunc(s.Away, func(r DateRange) bool { return r.Contains(d) })
}

// onDuty reports whether d is a working day: a working weekday, not a
// holiday, not away.
func (s *Schedule) onDuty(d Date) bool {
	return s.Days[d.Weekday()] && !slices.Contains(s.Holidays, d) && !s.awayOn(d)
}

// clockSpan turns a clock range on day d into instants, or false when the
// range is invalid or collapses (e.g. it lies wholly in a skipped DST hour).
func (s *Schedule) clockSpan(d Date, r ClockRange) (span, bool) {
	if !r.Valid() {
		return span{}, false
	}
	sp := span{d.At(r.Start, s.Location), d.At(r.End, s.Location)}
	return sp, sp.end.After(sp.start)
}

// workOn is the working span of day d, if d is a working day.
func (s *Schedule) workOn(d Date) (span, bool) {
	if !s.onDuty(d) {
		return span{}, false
	}
	return s.clockSpan(d, s.Hours)
}

// pingSpans are the parts of day d when a message of urgency u may go out,
// by schedule alone (busy status aside), in order.
func (s *Schedule) pingSpans(d Date, u Urgency) []span {
	switch u {
	case UrgentAfterHours:
		if s.awayOn(d) {
			return nil
		}
		return []span{{d.At(Clock{}, s.Location), d.AddDays(1).At(Clock{}, s.Location)}}
	case Urgent:
		if w, ok := s.workOn(d); ok {
			return []span{w}
		}
		return nil
	default:
		w, ok := s.workOn(d)
		if !ok {
			return nil
		}
		return subtract(w, s.focusOn(d))
	}
}

// focusOn are the focus blocks that apply on day d, as instants.
func (s *Schedule) focusOn(d Date) []span {
	var out []span
	wd := d.Weekday()
	for _, f := range s.Focus {
		if !f.On(wd) {
			continue
		}
		if sp, ok := s.clockSpan(d, f.Hours); ok {
			out = append(out, sp)
		}
	}
	return out
}

// subtract returns base minus the cuts, in order.
func subtract(base span, cuts []span) []span {
	slices.SortFunc(cuts, func(a, b span) int { return a.start.Compare(b.start) })
	var out []span
	cur := base.start
	for _, c := range cuts {
		if !c.end.After(cur) {
			continue
		}
		if c.start.After(cur) {
			out = append(out, span{cur, minTime(c.start, base.end)})
		}
		cur = c.end
		if !cur.Before(base.end) {
			return out
		}
	}
	return append(out, span{cur, base.end})
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// localDate is the civil date of t in s's zone.
func (s *Schedule) localDate(t time.Time) Date { return DateOf(t.In(s.Location)) }

// IsWorking reports whether t is inside login's working hours on a working
// day that is neither a holiday nor an away day. Busy status does not count.
func (c *Calendar) IsWorking(login string, t time.Time) bool {
	s := c.schedule(login)
	w, ok := s.workOn(s.localDate(t))
	return ok && w.contains(t)
}

// InFocus reports whether login is working at t and t falls in one of their
// focus blocks.
func (c *Calendar) InFocus(login string, t time.Time) bool {
	if !c.IsWorking(login, t) {
		return false
	}
	s := c.schedule(login)
	return slices.ContainsFunc(s.focusOn(s.localDate(t)), func(sp span) bool { return sp.contains(t) })
}

// IsAway reports whether t falls on one of login's away days (a whole local
// day) or login's GitHub status is busy.
func (c *Calendar) IsAway(login string, t time.Time) bool {
	if c.isBusy(login) {
		return true
	}
	s := c.schedule(login)
	return s.awayOn(s.localDate(t))
}

// MayPing reports whether Overlap may mention login at t with urgency u:
// Normal needs working hours outside focus blocks; Urgent needs working hours
// (focus blocks may be pierced); UrgentAfterHours only needs login not to be
// away or busy.
func (c *Calendar) MayPing(login string, t time.Time, u Urgency) bool {
	if c.IsAway(login, t) {
		return false
	}
	switch u {
	case UrgentAfterHours:
		return true
	case Urgent:
		return c.IsWorking(login, t)
	default:
		return c.IsWorking(login, t) && !c.InFocus(login, t)
	}
}

// NextPing returns the earliest instant at or after t when login may be
// pinged with urgency u, in login's zone.
//
// Busy status has no known end, so it is not projected forward: for a busy
// person NextPing plans by the schedule alone (and may return t itself); the
// next sweep re-reads the status and decides again. If no instant qualifies
// within SearchDays days (someone who never works, or is away for a year),
// NextPing returns the zero time.Time; check IsZero.
func (c *Calendar) NextPing(login string, t time.Time, u Urgency) time.Time {
	s := c.schedule(login)
	if c.MayPing(login, t, u) {
		return t.In(s.Location)
	}
	day := s.localDate(t)
	for i := 0; i <= SearchDays; i++ {
		for _, sp := range s.pingSpans(day, u) {
			if sp.end.After(t) {
				return maxTime(sp.start, t).In(s.Location)
			}
		}
		day = day.AddDays(1)
	}
	return time.Time{}
}

// WorkingTime returns how much of login's working time lies in [a, b): 0 if
// b is not after a. Weekends, holidays and away days contribute nothing; a
// working day contributes the real time between the start and end of its
// hours, so DST changes are counted as they happen.
func (c *Calendar) WorkingTime(login string, a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	s := c.schedule(login)
	var total time.Duration
	last := s.localDate(b)
	for d := s.localDate(a); d.Compare(last) <= 0; d = d.AddDays(1) {
		w, ok := s.workOn(d)
		if !ok {
			continue
		}
		if from, to := maxTime(w.start, a), minTime(w.end, b); to.After(from) {
			total += to.Sub(from)
		}
	}
	return total
}

// AddWorkingTime returns the earliest instant, in login's zone, by which d of
// login's working time has passed since a: the due time of a response norm
// of d for a request made at a. A norm that runs out exactly at the end of a
// working day is due then, not at the next day's start. d <= 0 returns a.
// If SearchDays consecutive days pass with no working time, it returns the
// zero time.Time; check IsZero.
func (c *Calendar) AddWorkingTime(login string, a time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return a
	}
	s := c.schedule(login)
	left := d
	idle := 0
	for day := s.localDate(a); idle <= SearchDays; day = day.AddDays(1) {
		w, ok := s.workOn(day)
		if ok && w.end.After(a) {
			from := maxTime(w.start, a)
			avail := w.end.Sub(from)
			if avail >= left {
				return from.Add(left).In(s.Location)
			}
			left -= avail
			idle = 0
			continue
		}
		idle++
	}
	return time.Time{}
}

// Interval is a stretch of one team-zone day.
type Interval struct {
	// Start and End are instants in the team zone; use .UTC() for UTC.
	Start, End time.Time
	// Clock is the same stretch on the team zone's wall clock (End 24:00
	// when it runs to midnight).
	Clock ClockRange
}

// UTC returns the interval's ends in UTC.
func (i Interval) UTC() (start, end time.Time) { return i.Start.UTC(), i.End.UTC() }

// String formats the interval in the team zone and in UTC, e.g.
// "13:00-17:30 Europe/London (13:00-17:30 UTC)".
func (i Interval) String() string {
	s, e := i.UTC()
	out := i.Clock.String() + " " + i.Start.Location().String()
	if i.Start.Location().String() == "UTC" {
		return out // already UTC: no need to say it twice
	}
	return out + " (" + s.Format("15:04") + "-" + e.Format("15:04") + " UTC)"
}

// OverlapWindow returns, for each of the seven team-zone days starting on
// the team-local date of week, the stretches when everyone who works that day
// is inside their working hours at once. Offsets are those of that week, so
// the answer follows DST. It describes the regular rhythm: holidays and away
// days are ignored.
//
// A weekday is absent from the map when nobody works on it, and present with
// an empty slice when people work but their hours never meet (e.g. New York
// and Singapore). With no people configured the team schedule stands alone.
func (c *Calendar) OverlapWindow(week time.Time) map[time.Weekday][]Interval {
	loc := c.team.Location
	members := make([]*Schedule, 0, len(c.logins))
	for _, l := range c.logins {
		p := c.people[l]
		members = append(members, &p.Schedule)
	}
	if len(members) == 0 {
		members = append(members, &c.team)
	}
	out := map[time.Weekday][]Interval{}
	first := DateOf(week.In(loc))
	for i := range 7 {
		d := first.AddDays(i)
		day := span{d.At(Clock{}, loc), d.AddDays(1).At(Clock{}, loc)}
		var common []span
		anyone := false
		for _, s := range members {
			hours := s.regularHours(day)
			if len(hours) == 0 {
				continue
			}
			if !anyone {
				common, anyone = hours, true
				continue
			}
			common = intersect(common, hours)
		}
		if !anyone {
			continue
		}
		ivs := []Interval{}
		for _, sp := range common {
			iv := Interval{Start: sp.start.In(loc), End: sp.end.In(loc)}
			iv.Clock.Start = Clock{iv.Start.Hour(), iv.Start.Minute()}
			if sp.end.Equal(day.end) {
				iv.Clock.End = Clock{24, 0}
			} else {
				iv.Clock.End = Clock{iv.End.Hour(), iv.End.Minute()}
			}
			ivs = append(ivs, iv)
		}
		out[d.Weekday()] = ivs
	}
	return out
}

// regularHours are s's working hours on its working weekdays (holidays and
// away days ignored) clipped to window, in order.
func (s *Schedule) regularHours(window span) []span {
	var out []span
	last := s.localDate(window.end.Add(-time.Nanosecond))
	for d := s.localDate(window.start).AddDays(-1); d.Compare(last) <= 0; d = d.AddDays(1) {
		if !s.Days[d.Weekday()] {
			continue
		}
		w, ok := s.clockSpan(d, s.Hours)
		if !ok {
			continue
		}
		if from, to := maxTime(w.start, window.start), minTime(w.end, window.end); to.After(from) {
			out = append(out, span{from, to})
		}
	}
	return out
}

// intersect returns the instants in both a and b (each sorted, disjoint).
func intersect(a, b []span) []span {
	var out []span
	for i, j := 0, 0; i < len(a) && j < len(b); {
		from, to := maxTime(a[i].start, b[j].start), minTime(a[i].end, b[j].end)
		if to.After(from) {
			out = append(out, span{from, to})
		}
		if a[i].end.Before(b[j].end) {
			i++
		} else {
			j++
		}
	}
	return out
}

// FormatIn writes t in loc with the zone's name, e.g.
// "Fri 27 Nov 17:00 Europe/London": every time Overlap writes carries its
// zone. A nil loc means UTC.
func FormatIn(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon 2 Jan 15:04") + " " + loc.String()
}
