package timezones

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// team is a London, New York and Singapore team, in the order their zones
// are listed after the author's.
func team(tb testing.TB) (alice, carol, bob Person) {
	return person(tb, "alice", "Europe/London", 9, 0, 17, 30),
		person(tb, "carol", "America/New_York", 9, 0, 17, 0),
		person(tb, "bob", "Asia/Singapore", 9, 0, 17, 0)
}

func TestRenderThreeZones(t *testing.T) {
	alice, carol, bob := team(t)
	items := Scan("we ship Friday EOD", alice, pinnedNow(t))
	got := Render(items, []Person{alice, carol, bob})
	want := "- “ship Friday EOD” (alice) → Fri 27 Nov 17:30 Europe/London = 12:30 America/New_York = Sat 28 Nov 01:30 Asia/Singapore\n" +
		"  - outside working hours for bob (Asia/Singapore)\n"
	if !strings.Contains(got, want) {
		t.Errorf("Render =\n%s\nwant it to contain\n%s", got, want)
	}
	if strings.Contains(got, "@") {
		t.Errorf("Render mentions someone:\n%s", got)
	}
}

func TestRenderLines(t *testing.T) {
	alice, carol, bob := team(t)
	all := []Person{alice, carol, bob}
	london, ny := alice.Loc, carol.Loc
	tests := []struct {
		name  string
		items []Item
		team  []Person
		want  []string // lines the body must contain
		not   []string // text it must not contain
	}{
		{
			name:  "same date everywhere: no date after the author's",
			items: []Item{{Phrase: "at 15:00", Author: "alice", At: time.Date(2026, 11, 24, 15, 0, 0, 0, london)}},
			team:  all,
			want:  []string{"- “at 15:00” (alice) → Tue 24 Nov 15:00 Europe/London = 10:00 America/New_York = 23:00 Asia/Singapore"},
		},
		{
			name:  "everyone outside hours is listed, the author included",
			items: []Item{{Phrase: "tonight", Author: "alice", At: time.Date(2026, 11, 24, 20, 0, 0, 0, london)}},
			team:  all,
			want:  []string{"  - outside working hours for alice (Europe/London), bob (Asia/Singapore)"},
			not:   []string{"carol ("},
		},
		{
			name:  "inside everyone's hours: no flag",
			items: []Item{{Phrase: "2pm", Author: "bob", At: time.Date(2026, 11, 24, 14, 0, 0, 0, london)}},
			team:  []Person{alice, carol},
			want:  []string{"Tue 24 Nov 14:00 Europe/London = 09:00 America/New_York"},
			not:   []string{"outside working hours"},
		},
		{
			name:  "author's zone comes from the team, first",
			items: []Item{{Phrase: "Fri 9am", Author: "carol", At: time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)}},
			team:  all,
			want:  []string{"→ Fri 27 Nov 09:00 America/New_York = 14:00 Europe/London = 22:00 Asia/Singapore"},
		},
		{
			name: "across the US change, London and New York are four hours apart",
			items: []Item{{Phrase: "Friday 3pm", Author: "alice",
				At: time.Date(2026, 10, 30, 15, 0, 0, 0, london)}},
			team: all,
			want: []string{"→ Fri 30 Oct 15:00 Europe/London = 11:00 America/New_York = 23:00 Asia/Singapore"},
		},
		{
			name: "same words for the same instant once; for another instant again",
			items: []Item{
				{Phrase: "ship Friday", Author: "alice", At: time.Date(2026, 11, 27, 17, 30, 0, 0, london)},
				{Phrase: "ship  friday", Author: "carol", At: time.Date(2026, 11, 27, 17, 30, 0, 0, london)},
				{Phrase: "ship Friday", Author: "alice", At: time.Date(2026, 12, 4, 17, 30, 0, 0, london)},
			},
			team: all,
			want: []string{"- “ship Friday” (alice) → Fri 27 Nov", "- “ship Friday” (alice) → Fri 4 Dec"},
			not:  []string{"(carol)"},
		},
		{
			name:  "a stranger's phrase uses the zone it was resolved in",
			items: []Item{{Phrase: "noon", Author: "eve", At: time.Date(2026, 11, 24, 12, 0, 0, 0, ny)}},
			team:  []Person{alice},
			want:  []string{"(eve) → Tue 24 Nov 12:00 America/New_York = 17:00 Europe/London"},
		},
		{
			name:  "quoted text cannot ping or inject Markdown",
			items: []Item{{Phrase: "@bob *Friday*", Author: "alice", At: time.Date(2026, 11, 27, 17, 30, 0, 0, london)}},
			team:  all,
			want:  []string{"“@&#8203;bob \\*Friday\\*”"},
			not:   []string{"@bob"},
		},
		{
			name:  "calendar hook decides working hours",
			items: []Item{{Phrase: "at 10:00", Author: "alice", At: time.Date(2026, 11, 24, 10, 0, 0, 0, london)}},
			team: []Person{{Login: "dora", Loc: london, IsWorking: func(t time.Time) bool {
				return t.In(london).Hour() >= 11 // a focus morning
			}}},
			want: []string{"  - outside working hours for dora (Europe/London)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Render(tt.items, tt.team)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render =\n%s\nwant it to contain %q", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Render =\n%s\nwant no %q", got, n)
				}
			}
		})
	}
}

func TestRenderEmptyAndCapped(t *testing.T) {
	alice, _, _ := team(t)
	if got := Render(nil, []Person{alice}); got != "" {
		t.Errorf("Render(nil) = %q, want empty", got)
	}
	if got := Render([]Item{{Phrase: "Friday"}}, []Person{alice}); got != "" {
		t.Errorf("Render of an unresolved item = %q, want empty", got)
	}
	var items []Item
	for i := range MaxItems + 3 {
		items = append(items, Item{Phrase: fmt.Sprintf("at %d:00", i), Author: "alice",
			At: time.Date(2026, 11, 24, i, 0, 0, 0, alice.Loc)})
	}
	got := Render(items, []Person{alice})
	if n := strings.Count(got, "\n- “"); n != MaxItems {
		t.Errorf("Render listed %d items, want %d", n, MaxItems)
	}
	if !strings.Contains(got, "- …and 3 more") {
		t.Errorf("Render =\n%s\nwant a note of the 3 left out", got)
	}
}
