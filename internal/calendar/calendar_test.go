package calendar

import (
	"math/rand"
	"testing"
	"time"
)

func mustLoc(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustRange(t testing.TB, s string) ClockRange {
	t.Helper()
	r, err := ParseClockRange(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustDates(t testing.TB, ss ...string) []DateRange {
	t.Helper()
	var out []DateRange
	for _, s := range ss {
		r, err := ParseDateRange(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

var (
	weekdaysOnly = Weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
	everyDay     = Weekdays(time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday)
)

// exampleTeam is the team from the policy file example in the package's brief.
func exampleTeam(t testing.TB) *Calendar {
	t.Helper()
	monThu := Weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday)
	aliceHours := mustRange(t, "08:00-16:00")
	return New(Spec{
		Team: Schedule{
			Location: mustLoc(t, "Europe/London"),
			Hours:    mustRange(t, "09:00-17:30"),
			Days:     weekdaysOnly,
			Focus:    EveryDay(mustRange(t, "09:30-11:30"), mustRange(t, "14:00-16:00")),
			Holidays: []Date{{2026, 12, 25}, {2026, 12, 26}},
		},
		People: map[string]PersonSpec{
			"alice": {Location: mustLoc(t, "America/New_York"), Hours: &aliceHours, Manager: true},
			"Bob":   {Location: mustLoc(t, "Asia/Singapore"), ReportsTo: "alice", Away: mustDates(t, "2026-11-30..2026-12-04")},
			"carol": {Location: mustLoc(t, "Europe/Berlin"), Days: &monThu, ReportsTo: "alice"},
		},
	})
}

func TestPeopleAndZones(t *testing.T) {
	c := exampleTeam(t)
	var logins []string
	for _, p := range c.People() {
		logins = append(logins, p.Login)
	}
	if got, want := logins, []string{"alice", "Bob", "carol"}; !equalStrings(got, want) {
		t.Errorf("People() logins = %v, want %v", got, want)
	}
	if p := c.Person("ALICE"); !p.Manager || p.Schedule.Location.String() != "America/New_York" || p.Schedule.Hours.String() != "08:00-16:00" {
		t.Errorf("Person(ALICE) = %+v, want alice's overrides", p)
	}
	bob := c.Person("bob")
	if bob.Schedule.Hours.String() != "09:00-17:30" || len(bob.Schedule.Focus) != 2 || len(bob.Schedule.Holidays) != 2 {
		t.Errorf("bob should inherit team hours, focus and holidays: %+v", bob.Schedule)
	}
	if m, ok := c.ManagerOf("BOB"); !ok || m.Login != "alice" {
		t.Errorf("ManagerOf(BOB) = %v, %v; want alice", m.Login, ok)
	}
	if _, ok := c.ManagerOf("alice"); ok {
		t.Error("alice reports to nobody")
	}
	stranger := c.Person("outside-contributor")
	if stranger.Login != "outside-contributor" || stranger.Schedule.Location.String() != "Europe/London" || stranger.Schedule.Hours.String() != "09:00-17:30" {
		t.Errorf("unknown login should get team defaults: %+v", stranger)
	}
	// Changing what Person returns must not change the calendar.
	bob.Schedule.Away[0].To = Date{2030, 1, 1}
	if got := c.Person("bob").Schedule.Away[0].To; got != (Date{2026, 12, 4}) {
		t.Errorf("Person leaked internal state: away now ends %v", got)
	}
	var zones []string
	for _, z := range c.Zones() {
		zones = append(zones, z.String())
	}
	if want := []string{"Europe/London", "America/New_York", "Asia/Singapore", "Europe/Berlin"}; !equalStrings(zones, want) {
		t.Errorf("Zones() = %v, want %v", zones, want)
	}
}

func TestDefaultsForZeroTeam(t *testing.T) {
	c := New(Spec{})
	mon := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	if !c.IsWorking("anyone", mon) || c.IsWorking("anyone", mon.Add(8*time.Hour)) || c.IsWorking("anyone", mon.AddDate(0, 0, 5)) {
		t.Error("zero spec should mean UTC 09:00-17:00 Monday to Friday")
	}
	if got := c.Zones(); len(got) != 1 || got[0] != time.UTC {
		t.Errorf("Zones() = %v, want [UTC]", got)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestFridayRequestDueMonday(t *testing.T) {
	c := exampleTeam(t)
	london := mustLoc(t, "Europe/London")
	req := time.Date(2026, 11, 27, 16, 0, 0, 0, london) // Friday
	due := c.AddWorkingTime("dave", req, 4*time.Hour)
	if want := time.Date(2026, 11, 30, 11, 30, 0, 0, london); !due.Equal(want) {
		t.Errorf("due = %v, want %v", FormatIn(due, london), FormatIn(want, london))
	}
	if got := FormatIn(due, london); got != "Mon 30 Nov 11:30 Europe/London" {
		t.Errorf("FormatIn(due) = %q", got)
	}
	if got := c.WorkingTime("dave", req, time.Date(2026, 11, 30, 12, 0, 0, 0, london)); got != 4*time.Hour+30*time.Minute {
		t.Errorf("WorkingTime Fri 16:00 -> Mon 12:00 = %v, want 4h30m", got)
	}
	// The same request waits on alice's New York hours: 11:00-16:00 there.
	ny := mustLoc(t, "America/New_York")
	if due := c.AddWorkingTime("alice", req, 4*time.Hour); !due.Equal(time.Date(2026, 11, 27, 15, 0, 0, 0, ny)) {
		t.Errorf("alice due = %v, want Fri 15:00 New York", FormatIn(due, ny))
	}
	// A norm that runs out exactly at the end of the day is due then.
	if due := c.AddWorkingTime("dave", req, 90*time.Minute); !due.Equal(time.Date(2026, 11, 27, 17, 30, 0, 0, london)) {
		t.Errorf("90m norm due = %v, want Fri 17:30", FormatIn(due, london))
	}
	if got := c.AddWorkingTime("dave", req, 0); !got.Equal(req) {
		t.Errorf("zero norm due = %v, want the request time", got)
	}
	if got := c.WorkingTime("dave", req, req.Add(-time.Hour)); got != 0 {
		t.Errorf("WorkingTime backwards = %v, want 0", got)
	}
}

// TestDST checks both hemispheres' changes: IsWorking at the edges of the day
// of the change, the length of that day, and that a fixed UTC instant moves
// in or out of working hours across the change.
func TestDST(t *testing.T) {
	tests := []struct {
		zone      string
		change    Date // the Sunday of the change
		dayLength time.Duration
		// utc is a fixed UTC clock time on the Mondays before and after the
		// change (local Monday); working says whether it is inside
		// 09:00-17:00 local then.
		utc                         Clock
		mondayBefore, mondayAfter   Date
		workingBefore, workingAfter bool
	}{
		{"Europe/London", Date{2026, 3, 29}, 23 * time.Hour, Clock{8, 30}, Date{2026, 3, 23}, Date{2026, 3, 30}, false, true},
		{"Europe/London", Date{2026, 10, 25}, 25 * time.Hour, Clock{16, 30}, Date{2026, 10, 19}, Date{2026, 10, 26}, false, true},
		{"America/New_York", Date{2026, 3, 8}, 23 * time.Hour, Clock{13, 30}, Date{2026, 3, 2}, Date{2026, 3, 9}, false, true},
		{"America/New_York", Date{2026, 11, 1}, 25 * time.Hour, Clock{21, 30}, Date{2026, 10, 26}, Date{2026, 11, 2}, false, true},
		// Sydney's UTC day for a local Monday morning starts on Sunday.
		{"Australia/Sydney", Date{2026, 4, 5}, 25 * time.Hour, Clock{22, 30}, Date{2026, 3, 29}, Date{2026, 4, 5}, true, false},
		{"Australia/Sydney", Date{2026, 10, 4}, 23 * time.Hour, Clock{22, 30}, Date{2026, 9, 27}, Date{2026, 10, 4}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.change.String(), func(t *testing.T) {
			loc := mustLoc(t, tt.zone)
			if tt.change.Weekday() != time.Sunday {
				t.Fatalf("test data: %v is not a Sunday", tt.change)
			}
			c := New(Spec{Team: Schedule{Location: loc, Hours: mustRange(t, "09:00-17:00"), Days: everyDay}})
			at := func(h, m, s int) time.Time { return tt.change.At(Clock{h, m}, loc).Add(time.Duration(s) * time.Second) }
			edges := []struct {
				t    time.Time
				want bool
			}{
				{at(8, 59, 59), false}, {at(9, 0, 0), true}, {at(16, 59, 59), true}, {at(17, 0, 0), false},
			}
			for _, e := range edges {
				if got := c.IsWorking("x", e.t); got != e.want {
					t.Errorf("IsWorking(%v) = %v, want %v", e.t, got, e.want)
				}
			}
			midnight := tt.change.At(Clock{}, loc)
			next := tt.change.AddDays(1).At(Clock{}, loc)
			if got := c.WorkingTime("x", midnight, next); got != 8*time.Hour {
				t.Errorf("working time on the day of the change = %v, want 8h", got)
			}
			// Across the change: Saturday 12:00 to Monday 12:00 is 5h+8h+3h.
			sat := tt.change.AddDays(-1).At(Clock{12, 0}, loc)
			mon := tt.change.AddDays(1).At(Clock{12, 0}, loc)
			if got := c.WorkingTime("x", sat, mon); got != 16*time.Hour {
				t.Errorf("WorkingTime Sat 12:00 -> Mon 12:00 = %v, want 16h", got)
			}
			if due := c.AddWorkingTime("x", sat, 9*time.Hour); !due.Equal(tt.change.At(Clock{13, 0}, loc)) {
				t.Errorf("9h from Sat 12:00 due %v, want Sun 13:00", FormatIn(due, loc))
			}
			// Round the clock, the day of the change is as long as it really is.
			all := New(Spec{Team: Schedule{Location: loc, Hours: mustRange(t, "00:00-24:00"), Days: everyDay}})
			if got := all.WorkingTime("x", midnight, next); got != tt.dayLength {
				t.Errorf("00:00-24:00 on the day of the change = %v, want %v", got, tt.dayLength)
			}
			// The same UTC clock time falls in or out of hours across the change.
			before := tt.mondayBefore.At(tt.utc, time.UTC)
			after := tt.mondayAfter.At(tt.utc, time.UTC)
			if got := c.IsWorking("x", before); got != tt.workingBefore {
				t.Errorf("IsWorking(%v = %v) = %v, want %v", before, before.In(loc), got, tt.workingBefore)
			}
			if got := c.IsWorking("x", after); got != tt.workingAfter {
				t.Errorf("IsWorking(%v = %v) = %v, want %v", after, after.In(loc), got, tt.workingAfter)
			}
		})
	}
}

// TestSkippedHour: hours that start in the hour skipped by a DST start are
// normalised, not a panic, and count the real time worked.
func TestSkippedHour(t *testing.T) {
	london := mustLoc(t, "Europe/London")
	c := New(Spec{Team: Schedule{Location: london, Hours: mustRange(t, "01:30-03:00"), Days: everyDay}})
	day := Date{2026, 3, 29} // 01:00 GMT jumps to 02:00 BST
	from, to := day.At(Clock{}, london), day.AddDays(1).At(Clock{}, london)
	if got := c.WorkingTime("x", from, to); got != 30*time.Minute {
		t.Errorf("01:30-03:00 on the day 01:00-02:00 is skipped = %v, want 30m (02:30-03:00 BST)", got)
	}
	if !c.IsWorking("x", time.Date(2026, 3, 29, 2, 45, 0, 0, london)) {
		t.Error("02:45 BST should be working")
	}
	// A range wholly inside the gap simply has no time that day.
	gap := New(Spec{Team: Schedule{Location: london, Hours: mustRange(t, "01:00-02:00"), Days: everyDay}})
	if got := gap.WorkingTime("x", from, to); got != 0 {
		t.Errorf("01:00-02:00 on a day it does not exist = %v, want 0", got)
	}
	if got := gap.NextPing("x", from, Normal); !got.Equal(time.Date(2026, 3, 30, 1, 0, 0, 0, london)) {
		t.Errorf("NextPing = %v, want the next day's 01:00", got)
	}
}

func TestHolidaysInLocalCalendar(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	sg := mustLoc(t, "Asia/Singapore")
	evening := mustRange(t, "18:00-23:00")
	c := New(Spec{
		Team: Schedule{Location: mustLoc(t, "Europe/London"), Hours: mustRange(t, "09:00-17:30"), Days: weekdaysOnly,
			Holidays: []Date{{2026, 12, 25}}},
		People: map[string]PersonSpec{
			"night": {Location: ny, Hours: &evening},
			"bob":   {Location: sg},
		},
	})
	tests := []struct {
		login string
		t     time.Time
		want  bool
	}{
		// Christmas Eve evening in New York is already Christmas in London,
		// but the holiday is the person's own local 25th.
		{"night", time.Date(2026, 12, 24, 19, 30, 0, 0, ny), true},
		{"night", time.Date(2026, 12, 25, 19, 30, 0, 0, ny), false},
		{"bob", time.Date(2026, 12, 24, 10, 0, 0, 0, sg), true},
		{"bob", time.Date(2026, 12, 25, 10, 0, 0, 0, sg), false},
		{"bob", time.Date(2026, 12, 28, 10, 0, 0, 0, sg), true},
	}
	for _, tt := range tests {
		if got := c.IsWorking(tt.login, tt.t); got != tt.want {
			t.Errorf("IsWorking(%s, %v) = %v, want %v", tt.login, tt.t, got, tt.want)
		}
	}
	// Thursday 24th 17:00 to Monday 28th 10:00 in Singapore: 30m + 1h.
	if got := c.WorkingTime("bob", time.Date(2026, 12, 24, 17, 0, 0, 0, sg), time.Date(2026, 12, 28, 10, 0, 0, 0, sg)); got != 90*time.Minute {
		t.Errorf("WorkingTime over Christmas = %v, want 1h30m", got)
	}
}

func TestAwayRanges(t *testing.T) {
	c := exampleTeam(t)
	sg := mustLoc(t, "Asia/Singapore")
	at := func(d, h, m int) time.Time {
		mo := time.December
		if d > 15 {
			mo = time.November
		}
		return time.Date(2026, mo, d, h, m, 0, 0, sg)
	}
	tests := []struct {
		t             time.Time
		away, working bool
	}{
		{at(29, 23, 59), false, false}, // Sunday before
		{at(30, 0, 0), true, false},    // first day, inclusive
		{at(30, 10, 0), true, false},
		{at(4, 16, 0), true, false},  // last day, inclusive
		{at(4, 23, 59), true, false}, // to the end of it
		{at(5, 0, 0), false, false},  // Saturday after
		{at(7, 10, 0), false, true},  // back on Monday
		{at(27, 10, 0), false, true}, // the Friday before
	}
	for _, tt := range tests {
		if got := c.IsAway("bob", tt.t); got != tt.away {
			t.Errorf("IsAway(bob, %v) = %v, want %v", tt.t, got, tt.away)
		}
		if got := c.IsWorking("bob", tt.t); got != tt.working {
			t.Errorf("IsWorking(bob, %v) = %v, want %v", tt.t, got, tt.working)
		}
	}
	if c.MayPing("bob", at(1, 10, 0), UrgentAfterHours) {
		t.Error("nobody is pinged while away, however urgent")
	}
	// Friday 27 Nov 09:00 to Monday 7 Dec 17:30: only the two full days count.
	if got := c.WorkingTime("bob", at(27, 9, 0), at(7, 17, 30)); got != 17*time.Hour {
		t.Errorf("WorkingTime across a week away = %v, want 17h", got)
	}
	if due := c.AddWorkingTime("bob", at(27, 17, 0), time.Hour); !due.Equal(at(7, 9, 30)) {
		t.Errorf("1h from Fri 17:00 due %v, want Mon 7 Dec 09:30 (after the week away)", FormatIn(due, sg))
	}
}

func TestBusyStatus(t *testing.T) {
	c := exampleTeam(t)
	berlin := mustLoc(t, "Europe/Berlin")
	noon := time.Date(2026, 11, 24, 12, 0, 0, 0, berlin)
	if c.IsAway("carol", noon) || !c.MayPing("carol", noon, Normal) {
		t.Fatal("carol should be reachable at noon on a Tuesday")
	}
	before := c.WorkingTime("carol", noon, noon.Add(48*time.Hour))
	c.SetBusy(map[string]bool{"Carol": true, "bob": false})
	if !c.IsAway("carol", noon) || !c.Person("CAROL").Busy || c.Person("bob").Busy {
		t.Error("busy status should make carol (only) away")
	}
	for _, u := range []Urgency{Normal, Urgent, UrgentAfterHours} {
		if c.MayPing("carol", noon, u) {
			t.Errorf("MayPing(busy carol, %v) = true", u)
		}
	}
	if !c.IsWorking("carol", noon) || c.WorkingTime("carol", noon, noon.Add(48*time.Hour)) != before {
		t.Error("busy status must not stop the norm clock")
	}
	c.SetBusy(nil)
	if c.IsAway("carol", noon) {
		t.Error("SetBusy(nil) should clear busy status")
	}
}

func TestMayPingAndFocus(t *testing.T) {
	c := exampleTeam(t)
	london := mustLoc(t, "Europe/London")
	tue := func(h, m int) time.Time { return time.Date(2026, 11, 24, h, m, 0, 0, london) }
	tests := []struct {
		name                         string
		t                            time.Time
		focus, normal, urgent, after bool
	}{
		{"before hours", tue(8, 59), false, false, false, true},
		{"start of day", tue(9, 0), false, true, true, true},
		{"focus block start", tue(9, 30), true, false, true, true},
		{"inside focus", tue(10, 0), true, false, true, true},
		{"focus block end is free", tue(11, 30), false, true, true, true},
		{"afternoon focus", tue(15, 59), true, false, true, true},
		{"late afternoon", tue(16, 0), false, true, true, true},
		{"after hours", tue(17, 30), false, false, false, true},
		{"night", tue(22, 0), false, false, false, true},
		{"saturday", time.Date(2026, 11, 28, 12, 0, 0, 0, london), false, false, false, true},
		{"christmas holiday", time.Date(2026, 12, 25, 12, 0, 0, 0, london), false, false, false, true},
		{"saturday focus hours", time.Date(2026, 11, 28, 10, 0, 0, 0, london), false, false, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.InFocus("dave", tt.t); got != tt.focus {
				t.Errorf("InFocus = %v, want %v", got, tt.focus)
			}
			for u, want := range map[Urgency]bool{Normal: tt.normal, Urgent: tt.urgent, UrgentAfterHours: tt.after} {
				if got := c.MayPing("dave", tt.t, u); got != want {
					t.Errorf("MayPing(%v) = %v, want %v", u, got, want)
				}
			}
		})
	}
	// Alice has her own hours but inherits the focus blocks, in New York.
	ny := mustLoc(t, "America/New_York")
	if !c.InFocus("alice", time.Date(2026, 11, 24, 10, 0, 0, 0, ny)) || c.InFocus("alice", time.Date(2026, 11, 24, 10, 0, 0, 0, london)) {
		t.Error("focus blocks are read on the person's own clock")
	}
}

func TestNextPing(t *testing.T) {
	c := exampleTeam(t)
	none := [7]bool{}
	never := New(Spec{Team: exampleTeam(t).Team(), People: map[string]PersonSpec{"ghost": {Days: &none}}})
	london := mustLoc(t, "Europe/London")
	sg := mustLoc(t, "Asia/Singapore")
	lon := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, london) }
	tests := []struct {
		name  string
		cal   *Calendar
		login string
		t     time.Time
		u     Urgency
		want  time.Time
	}{
		{"reachable now", c, "dave", lon(11, 24, 12, 0), Normal, lon(11, 24, 12, 0)},
		{"night", c, "dave", lon(11, 24, 22, 0), Normal, lon(11, 25, 9, 0)},
		{"early morning", c, "dave", lon(11, 24, 6, 0), Normal, lon(11, 24, 9, 0)},
		{"weekend", c, "dave", lon(11, 28, 12, 0), Normal, lon(11, 30, 9, 0)},
		{"friday evening", c, "dave", lon(11, 27, 17, 30), Normal, lon(11, 30, 9, 0)},
		{"focus block", c, "dave", lon(11, 24, 10, 0), Normal, lon(11, 24, 11, 30)},
		{"afternoon focus block", c, "dave", lon(11, 24, 14, 0), Normal, lon(11, 24, 16, 0)},
		{"urgent pierces focus", c, "dave", lon(11, 24, 10, 0), Urgent, lon(11, 24, 10, 0)},
		{"urgent waits for morning", c, "dave", lon(11, 24, 22, 0), Urgent, lon(11, 25, 9, 0)},
		{"after-hours urgent at night", c, "dave", lon(11, 24, 22, 0), UrgentAfterHours, lon(11, 24, 22, 0)},
		{"holiday", c, "dave", lon(12, 24, 18, 0), Normal, lon(12, 28, 9, 0)},
		{"on the holiday", c, "dave", lon(12, 25, 10, 0), Urgent, lon(12, 28, 9, 0)},
		{"away week", c, "bob", time.Date(2026, 12, 1, 10, 0, 0, 0, sg), Normal, time.Date(2026, 12, 7, 9, 0, 0, 0, sg)},
		{"after-hours urgent waits out away", c, "bob", time.Date(2026, 12, 1, 10, 0, 0, 0, sg), UrgentAfterHours, time.Date(2026, 12, 5, 0, 0, 0, 0, sg)},
		{"never works", never, "ghost", lon(11, 24, 12, 0), Normal, time.Time{}},
		{"never works, after hours", never, "ghost", lon(11, 24, 12, 0), UrgentAfterHours, lon(11, 24, 12, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.cal.NextPing(tt.login, tt.t, tt.u)
			if !got.Equal(tt.want) || got.IsZero() != tt.want.IsZero() {
				t.Fatalf("NextPing = %v, want %v", got, tt.want)
			}
			if got.IsZero() {
				return
			}
			if !tt.cal.MayPing(tt.login, got, tt.u) {
				t.Errorf("MayPing at NextPing %v is false", got)
			}
			if loc := tt.cal.Person(tt.login).Schedule.Location; got.Location().String() != loc.String() {
				t.Errorf("NextPing zone = %v, want the person's %v", got.Location(), loc)
			}
		})
	}
	if due := never.AddWorkingTime("ghost", lon(11, 24, 12, 0), time.Hour); !due.IsZero() {
		t.Errorf("AddWorkingTime for someone who never works = %v, want zero", due)
	}
}

// TestWorkingTimeProperties checks, over many seeded random instants in a
// year with DST changes in both hemispheres, that working time is additive,
// never more than the elapsed time, that AddWorkingTime inverts it and
// returns the earliest such instant, and that NextPing agrees with MayPing.
func TestWorkingTimeProperties(t *testing.T) {
	sydney := mustLoc(t, "Australia/Sydney")
	early := mustRange(t, "07:00-15:00")
	c := New(Spec{
		Team: Schedule{
			Location: mustLoc(t, "Europe/London"), Hours: mustRange(t, "09:00-17:30"), Days: weekdaysOnly,
			Focus:    EveryDay(mustRange(t, "09:30-11:30"), mustRange(t, "14:00-16:00")),
			Holidays: []Date{{2026, 4, 3}, {2026, 12, 25}},
		},
		People: map[string]PersonSpec{
			"ny":     {Location: mustLoc(t, "America/New_York"), Away: mustDates(t, "2026-03-09..2026-03-13", "2026-11-02")},
			"sydney": {Location: sydney, Hours: &early, Days: &everyDay, Focus: []FocusBlock{}},
			"sg":     {Location: mustLoc(t, "Asia/Singapore")},
		},
	})
	logins := []string{"ny", "sydney", "sg", "london-default"}
	rng := rand.New(rand.NewSource(20261127))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	year := int64(365 * 24 * time.Hour)
	instant := func() time.Time {
		// Some instants on whole minutes, some anywhere.
		d := time.Duration(rng.Int63n(year))
		if rng.Intn(2) == 0 {
			d = d.Truncate(time.Minute)
		}
		return base.Add(d)
	}
	for i := 0; i < 2000; i++ {
		login := logins[i%len(logins)]
		a, b, cc := instant(), instant(), instant()
		if b.Before(a) {
			a, b = b, a
		}
		if cc.Before(b) {
			b, cc = cc, b
		}
		if b.Before(a) {
			a, b = b, a
		}
		ab, bc, ac := c.WorkingTime(login, a, b), c.WorkingTime(login, b, cc), c.WorkingTime(login, a, cc)
		if ab+bc != ac {
			t.Fatalf("%s: W(a,b)+W(b,c) = %v + %v != W(a,c) = %v (a=%v b=%v c=%v)", login, ab, bc, ac, a, b, cc)
		}
		if ab > b.Sub(a) || ab < 0 {
			t.Fatalf("%s: W(%v,%v) = %v exceeds elapsed %v", login, a, b, ab, b.Sub(a))
		}
		if due := c.AddWorkingTime(login, a, ab); ab > 0 && (due.After(b) || c.WorkingTime(login, a, due) != ab) {
			t.Fatalf("%s: AddWorkingTime(a, W(a,b)=%v) = %v, want <= b=%v with the same working time", login, ab, due, b)
		}
		d := time.Duration(rng.Int63n(int64(200 * time.Hour)))
		due := c.AddWorkingTime(login, a, d)
		if due.IsZero() || c.WorkingTime(login, a, due) != d {
			t.Fatalf("%s: W(a, AddWorkingTime(a, %v)=%v) = %v", login, d, due, c.WorkingTime(login, a, due))
		}
		if d > 0 && c.WorkingTime(login, a, due.Add(-time.Nanosecond)) >= d {
			t.Fatalf("%s: AddWorkingTime(a=%v, %v) = %v is not the earliest", login, a, d, due)
		}
		u := Urgency(i % 3)
		next := c.NextPing(login, a, u)
		if next.Before(a) || !c.MayPing(login, next, u) {
			t.Fatalf("%s: NextPing(%v, %v) = %v is before a or not pingable", login, a, u, next)
		}
		for k := range 10 {
			probe := a.Add(next.Sub(a) * time.Duration(k) / 10)
			if probe.Before(next) && c.MayPing(login, probe, u) {
				t.Fatalf("%s: NextPing(%v, %v) = %v but %v was already pingable", login, a, u, next, probe)
			}
		}
	}
}

func TestOverlapWindow(t *testing.T) {
	london := mustLoc(t, "Europe/London")
	type want map[time.Weekday][]string // team-zone clock ranges
	check := func(t *testing.T, c *Calendar, week time.Time, w want) {
		t.Helper()
		got := c.OverlapWindow(week)
		if len(got) != len(w) {
			t.Errorf("OverlapWindow has %d days %v, want %d %v", len(got), got, len(w), w)
		}
		for day, ranges := range w {
			ivs, ok := got[day]
			if !ok {
				t.Errorf("%v: missing", day)
				continue
			}
			var s []string
			for _, iv := range ivs {
				s = append(s, iv.Clock.String())
				if iv.Start.Weekday() != day || iv.Start.Location().String() != c.Team().Location.String() {
					t.Errorf("%v: interval %v is not on that team-zone day", day, iv)
				}
			}
			if !equalStrings(s, ranges) {
				t.Errorf("%v: got %v, want %v", day, s, ranges)
			}
		}
	}
	november := time.Date(2026, 11, 23, 12, 0, 0, 0, london) // Monday; all on standard time

	t.Run("example team never overlaps", func(t *testing.T) {
		// Singapore 09:00-17:30 is 01:00-09:30 London; New York 08:00-16:00
		// is 13:00-21:00 London: there is no hour when all three work.
		check(t, exampleTeam(t), november, want{
			time.Monday: {}, time.Tuesday: {}, time.Wednesday: {}, time.Thursday: {}, time.Friday: {},
		})
	})

	aliceHours := mustRange(t, "08:00-16:00")
	monThu := Weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday)
	team := Schedule{Location: london, Hours: mustRange(t, "09:00-17:30"), Days: weekdaysOnly}
	atlantic := New(Spec{Team: team, People: map[string]PersonSpec{
		"alice": {Location: mustLoc(t, "America/New_York"), Hours: &aliceHours},
		"carol": {Location: mustLoc(t, "Europe/Berlin"), Days: &monThu},
	}})
	t.Run("new york and berlin", func(t *testing.T) {
		// Berlin 09:00-17:30 is 08:00-16:30 London; on Friday carol is off.
		check(t, atlantic, november, want{
			time.Monday: {"13:00-16:30"}, time.Tuesday: {"13:00-16:30"}, time.Wednesday: {"13:00-16:30"},
			time.Thursday: {"13:00-16:30"}, time.Friday: {"13:00-21:00"},
		})
		iv := atlantic.OverlapWindow(november)[time.Monday][0]
		if s, e := iv.UTC(); !s.Equal(time.Date(2026, 11, 23, 13, 0, 0, 0, time.UTC)) || !e.Equal(time.Date(2026, 11, 23, 16, 30, 0, 0, time.UTC)) {
			t.Errorf("UTC() = %v, %v", s, e)
		}
		if got := iv.String(); got != "13:00-16:30 Europe/London (13:00-16:30 UTC)" {
			t.Errorf("String() = %q", got)
		}
	})
	t.Run("new york and berlin while only the US is on summer time", func(t *testing.T) {
		check(t, atlantic, time.Date(2026, 3, 16, 12, 0, 0, 0, london), want{
			time.Monday: {"12:00-16:30"}, time.Tuesday: {"12:00-16:30"}, time.Wednesday: {"12:00-16:30"},
			time.Thursday: {"12:00-16:30"}, time.Friday: {"12:00-20:00"},
		})
	})
	t.Run("sydney crosses the team's midnight", func(t *testing.T) {
		// Sydney 09:00-17:00 AEDT (UTC+11) is 22:00 the day before to 06:00 London.
		c := New(Spec{Team: team, People: map[string]PersonSpec{
			"kylie": {Location: mustLoc(t, "Australia/Sydney"), Hours: &ClockRange{Clock{9, 0}, Clock{17, 0}}},
		}})
		check(t, c, november, want{
			time.Sunday: {"22:00-24:00"}, time.Monday: {"00:00-06:00", "22:00-24:00"}, time.Tuesday: {"00:00-06:00", "22:00-24:00"},
			time.Wednesday: {"00:00-06:00", "22:00-24:00"}, time.Thursday: {"00:00-06:00", "22:00-24:00"}, time.Friday: {"00:00-06:00"},
		})
	})
	t.Run("no people: the team alone", func(t *testing.T) {
		check(t, New(Spec{Team: team}), november, want{
			time.Monday: {"09:00-17:30"}, time.Tuesday: {"09:00-17:30"}, time.Wednesday: {"09:00-17:30"},
			time.Thursday: {"09:00-17:30"}, time.Friday: {"09:00-17:30"},
		})
	})
}

func TestFormatIn(t *testing.T) {
	at := time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)
	tests := []struct {
		loc  *time.Location
		want string
	}{
		{mustLoc(t, "Europe/London"), "Fri 27 Nov 17:00 Europe/London"},
		{mustLoc(t, "America/New_York"), "Fri 27 Nov 12:00 America/New_York"},
		{mustLoc(t, "Asia/Singapore"), "Sat 28 Nov 01:00 Asia/Singapore"},
		{nil, "Fri 27 Nov 17:00 UTC"},
	}
	for _, tt := range tests {
		if got := FormatIn(at, tt.loc); got != tt.want {
			t.Errorf("FormatIn(%v) = %q, want %q", tt.loc, got, tt.want)
		}
	}
}

// TestConcurrentBusy: a sweep may refresh busy status while handlers ask.
func TestConcurrentBusy(t *testing.T) {
	c := exampleTeam(t)
	noon := time.Date(2026, 11, 24, 12, 0, 0, 0, mustLoc(t, "Europe/Berlin"))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			c.SetBusy(map[string]bool{"carol": i%2 == 0})
		}
	}()
	for range 200 {
		c.MayPing("carol", noon, Normal)
		_ = c.People()
	}
	<-done
	c.SetBusy(map[string]bool{"carol": true})
	if c.MayPing("carol", noon, Normal) {
		t.Error("last SetBusy should win")
	}
}

func TestWeekdayFocusBlocks(t *testing.T) {
	london := mustLoc(t, "Europe/London")
	tueThu := FocusBlock{Hours: mustRange(t, "13:00-15:00"), Days: Weekdays(time.Tuesday, time.Thursday)}
	c := New(Spec{Team: Schedule{
		Location: london,
		Hours:    mustRange(t, "09:00-17:30"),
		Days:     weekdaysOnly,
		Focus:    append(EveryDay(mustRange(t, "09:30-10:00")), tueThu),
	}})
	at := func(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, london) }
	tests := []struct {
		name  string
		t     time.Time
		focus bool
	}{
		{"mon 14:00: block is tue/thu only", at(23, 14, 0), false},
		{"tue 14:00 in the tue/thu block", at(24, 14, 0), true},
		{"wed 14:00 free", at(25, 14, 0), false},
		{"thu 13:00 block start", at(26, 13, 0), true},
		{"thu 15:00 block end is free", at(26, 15, 0), false},
		{"wed 09:45 every-day block", at(25, 9, 45), true},
	}
	for _, tt := range tests {
		if got := c.InFocus("anyone", tt.t); got != tt.focus {
			t.Errorf("%s: InFocus = %v, want %v", tt.name, got, tt.focus)
		}
		if got := c.MayPing("anyone", tt.t, Normal); got == tt.focus {
			t.Errorf("%s: MayPing(normal) = %v, want %v", tt.name, got, !tt.focus)
		}
	}
	// Tuesday 13:30: the next normal ping waits for the end of the block;
	// Wednesday 13:30 goes at once.
	if got, want := c.NextPing("anyone", at(24, 13, 30), Normal), at(24, 15, 0); !got.Equal(want) {
		t.Errorf("NextPing(tue 13:30) = %v, want %v", got, want)
	}
	if got, want := c.NextPing("anyone", at(25, 13, 30), Normal), at(25, 13, 30); !got.Equal(want) {
		t.Errorf("NextPing(wed 13:30) = %v, want %v", got, want)
	}
	if s := tueThu.String(); s != "tue,thu 13:00-15:00" {
		t.Errorf("String() = %q", s)
	}
}
