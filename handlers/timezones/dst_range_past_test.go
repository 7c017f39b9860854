package timezones

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// Ranges, past references and quotes as Detect sees them.
func TestDetectRangesPastQuotes(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // "kind|text"
	}{
		{"hour range with one pm", "meeting 3-4pm", []string{"clock|3-4pm"}},
		{"24-hour range", "window 15:00-16:00", []string{"clock|15:00-16:00"}},
		{"range with to", "call 3pm to 4pm", []string{"clock|3pm to 4pm"}},
		{"range with en dash", "call 10:30–11am", []string{"clock|10:30–11am"}},
		{"range then weekday", "meeting 3-4pm Tues", []string{"weekday|3-4pm Tues"}},
		{"weekday then range", "Fri 10-11am works", []string{"weekday|Fri 10-11am"}},
		{"tomorrow with a range", "tomorrow 9am until 11am", []string{"tomorrow|tomorrow 9am until 11am"}},
		{"range on a date", "Nov 27 from 3pm to 5pm", []string{"date|Nov 27 from 3pm to 5pm"}},
		{"range ending in an ambiguous clock is skipped", "Friday 3:00-5:00", nil},
		{"weekday range is not a time range", "Mon-Fri 9am", []string{"clock|9am"}},
		// Past references are not upcoming deadlines.
		{"time yesterday", "it broke at 3pm yesterday", nil},
		{"yesterday at a time", "yesterday at 3pm we rolled back", nil},
		{"yesterday's time", "yesterday's 3pm deploy", nil},
		{"last weekday", "we shipped last Friday", nil},
		{"weekday last week", "as agreed Friday last week", nil},
		{"was at", "the outage was at 2:15pm", nil},
		{"earlier", "I pinged you at 9am earlier", nil},
		{"last night", "last night at 11pm it failed", nil},
		{"past word must touch the phrase", "broke yesterday; fix by Friday", []string{"weekday|Friday"}},
		{"was moved to is not past", "the call was moved to 4pm", []string{"clock|4pm"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := phrasesOf(tt.text); !slices.Equal(got, tt.want) {
				t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestQuoteDropsStrayWords(t *testing.T) {
	tests := []struct{ text, quote string }{
		{"I'll pick it up tomorrow at 9am", "tomorrow at 9am"},
		{"Deadline is Sunday 1:30am", "Sunday 1:30am"},
		{"standup at 10:00; also 12pm", "12pm"},
		{"this Friday, or next Friday?", "next Friday"},
		{"Ship it EOD", "EOD"},
		// Verbs and prepositions say what the time is for.
		{"we ship Friday EOD", "ship Friday EOD"},
		{"done by Monday 10:00", "by Monday 10:00"},
		{"meet tomorrow morning", "meet tomorrow morning"},
	}
	for _, tt := range tests {
		got := Detect(tt.text)
		if len(got) == 0 || got[len(got)-1].Quote != tt.quote {
			t.Errorf("Detect(%q) = %+v, want last quote %q", tt.text, got, tt.quote)
		}
	}
}

func TestScanRangesAndToday(t *testing.T) {
	alice := person(t, "alice", "Europe/London", 9, 0, 17, 30)
	L := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, alice.Loc) }
	tue := pinnedNow(t) // Tue 24 Nov 10:00 London
	at := func(h, m int) time.Time { return L(24, h, m) }
	tests := []struct {
		name       string
		text       string
		now        time.Time
		start, end time.Time // zero start: nothing listed
	}{
		{"start takes the end's pm", "3-4pm", tue, L(24, 15, 0), L(24, 16, 0)},
		{"start before noon", "11-1pm", tue, L(24, 11, 0), L(24, 13, 0)},
		{"start at noon", "12-1pm", tue, L(24, 12, 0), L(24, 13, 0)},
		{"ambiguous start before a pm end", "3:30-4:30pm", tue, L(24, 15, 30), L(24, 16, 30)},
		{"24-hour", "15:00-16:00", tue, L(24, 15, 0), L(24, 16, 0)},
		{"early 24-hour start before a 24-hour end", "7:30-9:00", tue, L(25, 7, 30), L(25, 9, 0)},
		{"past midnight", "11pm-1am", tue, L(24, 23, 0), L(25, 1, 0)},
		{"to midnight", "10-midnight", tue, L(24, 22, 0), L(25, 0, 0)},
		{"weekday range", "Fri 10-11am", tue, L(27, 10, 0), L(27, 11, 0)},
		{"range already begun is tomorrow's", "9-11am", tue, L(25, 9, 0), L(25, 11, 0)},
		// Today's occurrence: never rolled over to tomorrow.
		{"the 2pm meeting, still ahead", "the 2pm meeting is cancelled", tue, at(14, 0), time.Time{}},
		{"the 2pm meeting, past", "the 2pm meeting is cancelled", at(15, 0), time.Time{}, time.Time{}},
		{"this morning's 9am", "this morning's 9am standup ran long", tue, time.Time{}, time.Time{}},
		{"9am this morning, written at 7am", "deploy at 9am this morning", at(7, 0), at(9, 0), time.Time{}},
		{"today's time once past", "today's 9:30 sync moved", tue, time.Time{}, time.Time{}},
		{"a bare past time is still tomorrow's", "at 9am", tue, L(25, 9, 0), time.Time{}},
		{"yesterday", "at 3pm yesterday", tue, time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scan(tt.text, alice, tt.now)
			if tt.start.IsZero() {
				if len(got) != 0 {
					t.Errorf("Scan(%q) = %+v, want nothing", tt.text, got)
				}
				return
			}
			if len(got) != 1 || !got[0].At.Equal(tt.start) || !got[0].End.Equal(tt.end) {
				t.Errorf("Scan(%q) = %+v, want %v–%v", tt.text, got, tt.start, tt.end)
			}
		})
	}
}

func TestScanDSTNotes(t *testing.T) {
	ny := person(t, "alice", "America/New_York", 9, 0, 17, 0)
	london := person(t, "carol", "Europe/London", 9, 0, 17, 30)
	tests := []struct {
		name   string
		text   string
		author Person
		now    time.Time
		want   time.Time
		note   string // "" means none
	}{
		{"spring gap in New York", "Meet 2026-03-08 02:30", ny, time.Date(2026, 3, 1, 10, 0, 0, 0, ny.Loc),
			time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC),
			"02:30 does not exist on Sun 8 Mar in America/New_York (clocks go forward); taken as 03:30"},
		{"spring gap in London", "cutover Sunday 1:30am", london, time.Date(2026, 3, 27, 10, 0, 0, 0, london.Loc),
			time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC),
			"01:30 does not exist on Sun 29 Mar in Europe/London (clocks go forward); taken as 02:30"},
		{"autumn repeat in New York is the first", "Meet 2026-11-01 01:30", ny, time.Date(2026, 10, 28, 10, 0, 0, 0, ny.Loc),
			time.Date(2026, 11, 1, 5, 30, 0, 0, time.UTC),
			"01:30 happens twice on Sun 1 Nov in America/New_York (clocks go back); taken as the first, 01:30 EDT (UTC-04:00)"},
		{"autumn repeat in London is the first", "cutover Sunday 1:30am", london, time.Date(2026, 10, 23, 10, 0, 0, 0, london.Loc),
			time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC),
			"01:30 happens twice on Sun 25 Oct in Europe/London (clocks go back); taken as the first, 01:30 BST (UTC+01:00)"},
		{"range end in the gap", "Sunday 1am-2:30am", ny, time.Date(2026, 3, 5, 10, 0, 0, 0, ny.Loc),
			time.Date(2026, 3, 8, 6, 0, 0, 0, time.UTC),
			"02:30 does not exist on Sun 8 Mar in America/New_York (clocks go forward); taken as 03:30"},
		{"an ordinary night has no note", "cutover Sunday 1:30am", london, time.Date(2026, 11, 24, 10, 0, 0, 0, london.Loc),
			time.Date(2026, 11, 29, 1, 30, 0, 0, time.UTC), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Scan(tt.text, tt.author, tt.now)
			if len(got) != 1 || !got[0].At.Equal(tt.want) {
				t.Fatalf("Scan(%q) = %+v, want %v", tt.text, got, tt.want.UTC())
			}
			notes := strings.Join(got[0].Notes, "\n")
			if notes != tt.note {
				t.Errorf("notes = %q, want %q", notes, tt.note)
			}
		})
	}
}

func TestRenderRangeAndNote(t *testing.T) {
	alice, carol, bob := team(t)
	team := []Person{alice, carol, bob}
	got := Render(Scan("meeting 3-4pm Tues", alice, time.Date(2026, 11, 24, 8, 0, 0, 0, alice.Loc)), team)
	want := "- “meeting 3-4pm Tues” (alice) → Tue 24 Nov 15:00–16:00 Europe/London = 10:00–11:00 America/New_York = 23:00–Wed 25 Nov 00:00 Asia/Singapore\n"
	if !strings.Contains(got, want) {
		t.Errorf("Render =\n%s\nwant it to contain\n%s", got, want)
	}
	// 16:30–17:30 London: carol (New York) works 11:30–12:30; alice's
	// range ends with her day, so she is inside it; bob is asleep.
	got = Render(Scan("review 4:30-5:30pm", alice, pinnedNow(t)), team)
	if !strings.Contains(got, "outside working hours for bob (Asia/Singapore)\n") {
		t.Errorf("Render =\n%s\nwant only bob outside working hours", got)
	}
	got = Render(Scan("Meet 2026-03-29 01:30", alice, pinnedNow(t)), team)
	want = "Sun 29 Mar 02:30 Europe/London = Sat 28 Mar 21:30 America/New_York = 09:30 Asia/Singapore\n" +
		"  - 01:30 does not exist on Sun 29 Mar in Europe/London (clocks go forward); taken as 02:30\n"
	if !strings.Contains(got, want) {
		t.Errorf("Render =\n%s\nwant it to contain\n%s", got, want)
	}
}
