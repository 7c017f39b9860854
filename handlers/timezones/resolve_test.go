package timezones

import (
	"testing"
	"time"
	_ "time/tzdata" // tests must not depend on the host's zoneinfo
)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// pinnedNow is Tue 24 Nov 2026 10:00 in London.
func pinnedNow(tb testing.TB) time.Time {
	return time.Date(2026, time.November, 24, 10, 0, 0, 0, mustLoad(tb, "Europe/London"))
}

// hours returns working-hours hooks for start–end (hh, mm pairs).
func hours(sh, sm, eh, em int) (start, end func(time.Time) time.Time) {
	return func(d time.Time) time.Time { return clockOn(d, sh, sm) },
		func(d time.Time) time.Time { return clockOn(d, eh, em) }
}

func person(tb testing.TB, login, zone string, sh, sm, eh, em int) Person {
	start, end := hours(sh, sm, eh, em)
	return Person{Login: login, Loc: mustLoad(tb, zone), StartOfDay: start, EndOfDay: end}
}

func TestResolve(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	ny := mustLoad(t, "America/New_York")
	alice := person(t, "alice", "Europe/London", 9, 0, 17, 30)
	carol := person(t, "carol", "America/New_York", 9, 0, 17, 0)
	tue := pinnedNow(t)
	tueEvening := time.Date(2026, 11, 24, 18, 0, 0, 0, london)
	friEvening := time.Date(2026, 11, 27, 18, 0, 0, 0, london)
	beforeAutumnChange := time.Date(2026, 10, 23, 10, 0, 0, 0, london) // Fri, BST
	beforeSpringChange := time.Date(2026, 3, 27, 12, 0, 0, 0, london)  // Fri, GMT
	nyBeforeChange := time.Date(2026, 10, 30, 10, 0, 0, 0, ny)         // Fri, EDT

	L := func(mo time.Month, d, h, m int) time.Time { return time.Date(2026, mo, d, h, m, 0, 0, london) }
	// Working days by schedule: Monday to Friday except holidays. Away days
	// are working days by schedule: IsWorking is false on them, and EOD
	// must not read it.
	workdays := func(holidays ...time.Time) func(time.Time) bool {
		return func(d time.Time) bool {
			for _, h := range holidays {
				if midnight(h).Equal(midnight(d)) {
					return false
				}
			}
			return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		}
	}
	aliceHoliday := alice
	aliceHoliday.WorkingDay = workdays(L(11, 25, 0, 0))
	aliceAway := alice
	aliceAway.WorkingDay = workdays()
	aliceAway.IsWorking = func(t time.Time) bool {
		d := midnight(t.In(london))
		return d.Before(L(11, 30, 0, 0)) || !d.Before(L(12, 5, 0, 0)) // away 30 Nov–4 Dec
	}
	tests := []struct {
		name   string
		text   string
		author Person
		now    time.Time
		want   time.Time
	}{
		{"weekday EOD is the author's end of hours", "Friday EOD", alice, tue, L(11, 27, 17, 30)},
		{"bare weekday means its end of day", "Friday", alice, tue, L(11, 27, 17, 30)},
		{"today's weekday while still ahead", "Tuesday", alice, tue, L(11, 24, 17, 30)},
		{"today's weekday once past is next week's", "Tuesday 9am", alice, tue, L(12, 1, 9, 0)},
		{"this Friday is the coming one", "this Friday", alice, tue, L(11, 27, 17, 30)},
		{"next Friday is next week's", "next Friday", alice, tue, L(12, 4, 17, 30)},
		{"Friday next week", "Friday next week", alice, tue, L(12, 4, 17, 30)},
		{"next Tuesday", "next Tuesday", alice, tue, L(12, 1, 17, 30)},
		{"weekday with time", "Mon 10:00", alice, tue, L(11, 30, 10, 0)},
		{"time before weekday", "3pm Friday", alice, tue, L(11, 27, 15, 0)},
		{"weekday morning is start of hours", "Friday morning", alice, tue, L(11, 27, 9, 0)},
		{"weekday afternoon", "Thursday afternoon", alice, tue, L(11, 26, 14, 0)},
		{"weekday midnight ends that day", "Friday midnight", alice, tue, L(11, 28, 0, 0)},
		{"EOD today while ahead", "EOD", alice, tue, L(11, 24, 17, 30)},
		{"EOD after hours is tomorrow's", "EOD", alice, tueEvening, L(11, 25, 17, 30)},
		{"EOD today even when past", "EOD today", alice, tueEvening, L(11, 24, 17, 30)},
		{"EOD on Friday evening skips the weekend", "by EOD", alice, friEvening, L(11, 30, 17, 30)},
		{"Friday on Friday evening is next Friday", "Friday", alice, friEvening, L(12, 4, 17, 30)},
		{"tomorrow morning", "tomorrow morning", alice, tue, L(11, 25, 9, 0)},
		{"tomorrow", "tomorrow", alice, tue, L(11, 25, 17, 30)},
		{"tomorrow 12am is its first minute", "tomorrow at 12am", alice, tue, L(11, 25, 0, 0)},
		{"tonight", "tonight", alice, tue, L(11, 24, 20, 0)},
		{"tonight at a time", "tonight at 9pm", alice, tue, L(11, 24, 21, 0)},
		{"next week is Monday at start of hours", "next week", alice, tue, L(11, 30, 9, 0)},
		{"time still ahead is today", "3pm", alice, tue, L(11, 24, 15, 0)},
		{"time already past is tomorrow", "at 9am", alice, tue, L(11, 25, 9, 0)},
		{"minutes with pm", "3:05pm", alice, tue, L(11, 24, 15, 5)},
		{"12:30 am", "12:30 am", alice, tue, L(11, 25, 0, 30)},
		{"p.m.", "4 p.m.", alice, tue, L(11, 24, 16, 0)},
		{"noon", "noon", alice, tue, L(11, 24, 12, 0)},
		{"midnight", "midnight", alice, tue, L(11, 25, 0, 0)},
		{"default hours without hooks", "Friday", Person{Login: "dan", Loc: london}, tue, L(11, 27, 17, 0)},
		// DST: calendar days, not 24-hour steps.
		{"across the autumn change keeps the wall clock", "Monday 9am", alice, beforeAutumnChange, L(10, 26, 9, 0)},
		{"next week across the autumn change", "next week", alice, beforeAutumnChange, L(10, 26, 9, 0)},
		{"across the spring change keeps the wall clock", "Monday 10:00", alice, beforeSpringChange, L(3, 30, 10, 0)},
		{"New York author across its change", "Monday 9am", carol, nyBeforeChange, time.Date(2026, 11, 2, 9, 0, 0, 0, ny)},
		// Explicit dates: that date in the author's zone, not the coming weekday.
		{"ISO date and time", "2026-11-27 15:00", alice, tue, L(11, 27, 15, 0)},
		{"month day written on Tuesday is that Friday", "Nov 27 at 3pm", alice, tue, L(11, 27, 15, 0)},
		{"time on day month", "3pm on 27 Nov", alice, tue, L(11, 27, 15, 0)},
		{"weekday that agrees with its date", "Fri 27 Nov 3pm", alice, tue, L(11, 27, 15, 0)},
		{"EOD on a date is the author's end of hours", "Nov 27 EOD", alice, tue, L(11, 27, 17, 30)},
		{"a date beyond next week", "December 9th at 10:00", alice, tue, L(12, 9, 10, 0)},
		{"today's date stays today once past", "Nov 24 at 9am", alice, tue, L(11, 24, 9, 0)},
		{"a past date without a year is next year's", "Nov 20 at 3pm", alice, tue, time.Date(2027, 11, 20, 15, 0, 0, 0, london)},
		{"January written in November", "Jan 5 at 9am", alice, tue, time.Date(2027, 1, 5, 9, 0, 0, 0, london)},
		{"29 February is the next leap day", "Feb 29 at noon", alice, tue, time.Date(2028, 2, 29, 12, 0, 0, 0, london)},
		{"an explicit year is kept even when past", "Tuesday 3 March 2026 at 3pm", alice, tue, L(3, 3, 15, 0)},
		{"dated wall clock across the spring change", "30 March at 10:00", alice, beforeSpringChange, L(3, 30, 10, 0)},
		{"New York author's date", "Nov 27 at 3pm", carol, tue, time.Date(2026, 11, 27, 15, 0, 0, 0, ny)},
		// End of day is the end of a working day by schedule, never a weekend day.
		{"EOD on a Saturday is Monday's", "EOD", alice, L(11, 28, 11, 0), L(11, 30, 17, 30)},
		{"EOD on a Sunday evening is Monday's", "end of day", alice, L(11, 29, 20, 0), L(11, 30, 17, 30)},
		{"EOD before a holiday skips it", "EOD", aliceHoliday, tueEvening, L(11, 26, 17, 30)},
		{"EOD written during an absence is that day's", "EOD", aliceAway, L(11, 30, 10, 0), L(11, 30, 17, 30)},
		{"EOD before an absence is the next working day's, not its end", "by EOD", aliceAway, friEvening, L(11, 30, 17, 30)},
		// A return from an absence is the start of that working day.
		{"until a weekday is its start of hours", "until Monday", alice, tue, L(11, 30, 9, 0)},
		{"back on a weekday", "back on Friday", alice, tue, L(11, 27, 9, 0)},
		{"back next weekday", "back next Tuesday", alice, tue, L(12, 1, 9, 0)},
		{"until today's weekday once started is next week's", "until Tuesday", alice, tue, L(12, 1, 9, 0)},
		{"back tomorrow", "back tomorrow", alice, tue, L(11, 25, 9, 0)},
		{"until a weekday in New York", "OOO until Monday", carol, tue, time.Date(2026, 11, 30, 9, 0, 0, 0, ny)},
		// 24-hour clocks outside 1:00–7:59 are read as written.
		{"24h 17:00", "Done by 17:00", alice, tue, L(11, 24, 17, 0)},
		{"24h 00:00 is the coming midnight", "at 00:00", alice, tue, L(11, 25, 0, 0)},
		{"zero-padded early hour", "at 05:00", alice, tue, L(11, 25, 5, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := Detect(tt.text)
			if len(ps) != 1 {
				t.Fatalf("Detect(%q) = %+v, want one phrase", tt.text, ps)
			}
			got, ok := Resolve(ps[0], tt.author, tt.now)
			if !ok {
				t.Fatalf("Resolve(%q) failed", tt.text)
			}
			if !got.Equal(tt.want) {
				t.Errorf("Resolve(%q) = %s, want %s", tt.text, got, tt.want)
			}
			if got.Location() != tt.author.Loc {
				t.Errorf("Resolve(%q) in %s, want the author's zone %s", tt.text, got.Location(), tt.author.Loc)
			}
		})
	}
}

func TestResolveDSTOffsets(t *testing.T) {
	// The same wall clock on either side of the change is a different UTC
	// instant: 09:00 BST on Friday is 08:00Z, 09:00 GMT on Monday is 09:00Z.
	alice := person(t, "alice", "Europe/London", 9, 0, 17, 30)
	now := time.Date(2026, 10, 23, 8, 0, 0, 0, alice.Loc) // Fri 23 Oct, BST
	tests := []struct{ text, wantUTC string }{
		{"9am", "2026-10-23T08:00:00Z"},
		{"Monday 9am", "2026-10-26T09:00:00Z"},
		{"next week", "2026-10-26T09:00:00Z"},
	}
	for _, tt := range tests {
		ps := Detect(tt.text)
		if len(ps) != 1 {
			t.Fatalf("Detect(%q) = %+v, want one phrase", tt.text, ps)
		}
		got, ok := Resolve(ps[0], alice, now)
		if !ok {
			t.Fatalf("Resolve(%q) failed", tt.text)
		}
		if g := got.UTC().Format(time.RFC3339); g != tt.wantUTC {
			t.Errorf("Resolve(%q) = %s, want %s", tt.text, g, tt.wantUTC)
		}
	}
}

func TestResolveRefuses(t *testing.T) {
	alice := person(t, "alice", "Europe/London", 9, 0, 17, 30)
	now := pinnedNow(t)
	tests := []struct {
		name   string
		p      Phrase
		author Person
	}{
		{"author without a zone", Phrase{Text: "Friday", Kind: KindWeekday}, Person{Login: "x"}},
		{"kind does not match text", Phrase{Text: "Friday", Kind: KindClock}, alice},
		{"not a phrase", Phrase{Text: "banana", Kind: KindWeekday}, alice},
		{"unknown kind", Phrase{Text: "Friday", Kind: Kind(99)}, alice},
		{"empty", Phrase{}, alice},
		{"weekday contradicts the inferred date", Phrase{Text: "Monday March 3rd at 3pm", Kind: KindDate}, alice},
		{"weekday contradicts the explicit date", Phrase{Text: "Monday 3 March 2026 at 3pm", Kind: KindDate}, alice},
		{"day the month does not have", Phrase{Text: "Feb 30 at 3pm", Kind: KindDate}, alice},
		{"29 February of a common year", Phrase{Text: "Feb 29 2027 at 3pm", Kind: KindDate}, alice},
		{"date text with a clock kind", Phrase{Text: "Nov 27 at 3pm", Kind: KindClock}, alice},
		{"ambiguous early clock", Phrase{Text: "5:00", Kind: KindClock}, alice},
		{"ambiguous early clock on a weekday", Phrase{Text: "Friday 7:59", Kind: KindWeekday}, alice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Resolve(tt.p, tt.author, now); ok {
				t.Errorf("Resolve(%+v) = %s, want failure", tt.p, got)
			}
		})
	}
}

func TestScan(t *testing.T) {
	alice := person(t, "alice", "Europe/London", 9, 0, 17, 30)
	got := Scan("we ship Friday EOD, demo `at 3pm`", alice, pinnedNow(t))
	want := Item{Phrase: "ship Friday EOD", Author: "alice", At: time.Date(2026, 11, 27, 17, 30, 0, 0, alice.Loc)}
	if len(got) != 1 || got[0].Phrase != want.Phrase || got[0].Author != want.Author || !got[0].At.Equal(want.At) {
		t.Errorf("Scan = %+v, want [%+v]", got, want)
	}
	// A weekday that contradicts its date is left out, not guessed.
	got = Scan("Monday March 3rd at 3pm, or Nov 27 at 3pm", alice, pinnedNow(t))
	want = Item{Phrase: "Nov 27 at 3pm", Author: "alice", At: time.Date(2026, 11, 27, 15, 0, 0, 0, alice.Loc)}
	if len(got) != 1 || got[0].Phrase != want.Phrase || !got[0].At.Equal(want.At) {
		t.Errorf("Scan with a contradicting weekday = %+v, want [%+v]", got, want)
	}
	if got := Scan("ship Friday", Person{Login: "nozone"}, pinnedNow(t)); len(got) != 0 {
		t.Errorf("Scan without a zone = %+v, want nothing", got)
	}
}
