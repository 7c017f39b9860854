package roster

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
)

func TestDescribe(t *testing.T) {
	p, probs := config.Parse("overlap.yml", []byte(`team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  focus_blocks: ["09:30-11:30", "tue,thu 14:00-16:00"]
  holidays: [2026-12-25]
  people:
    alice: {timezone: America/New_York, working_hours: "08:00-16:00", manager: true}
    carol: {timezone: Europe/Berlin, working_days: [mon, tue, wed, thu], reports_to: alice, away: [2026-11-30..2026-12-04]}
`))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	tests := []struct {
		name string
		week time.Time
		want []string
	}{
		{"winter: London UTC+0, New York UTC-5, Berlin UTC+1", time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), []string{
			"Team: Europe/London, 09:00-17:30, mon,tue,wed,thu,fri, focus 09:30-11:30; tue,thu 14:00-16:00, holidays 2026-12-25",
			"  alice: America/New_York, 08:00-16:00, mon,tue,wed,thu,fri, focus 09:30-11:30; tue,thu 14:00-16:00, manager",
			"  carol: Europe/Berlin, 09:00-17:30, mon,tue,wed,thu, focus 09:30-11:30; tue,thu 14:00-16:00, away 2026-11-30..2026-12-04, reports to alice",
			"Overlap window, week of Mon 23 Nov 2026 (everyone's working hours at once):",
			// alice 13:00-21:00 London, carol 08:00-16:30 London, team 09:00-17:30.
			"  mon: 13:00-16:30 Europe/London (13:00-16:30 UTC)",
			"  thu: 13:00-16:30 Europe/London (13:00-16:30 UTC)",
			// Friday: carol does not work; the window is the people's, so
			// it is alice's day alone.
			"  fri: 13:00-21:00 Europe/London (13:00-21:00 UTC)",
		}},
		{"US DST ends a week after Europe's: New York is UTC-4 on 26 Oct", time.Date(2026, 10, 28, 12, 0, 0, 0, time.UTC), []string{
			"Overlap window, week of Mon 26 Oct 2026 (everyone's working hours at once):",
			"  mon: 12:00-16:30 Europe/London (12:00-16:30 UTC)",
		}},
	}
	for _, tt := range tests {
		got := Describe(p, tt.week)
		joined := strings.Join(got, "\n")
		for _, w := range tt.want {
			if !strings.Contains(joined, w) {
				t.Errorf("%s: missing line %q in:\n%s", tt.name, w, joined)
			}
		}
		if strings.Contains(joined, "sat:") || strings.Contains(joined, "sun:") {
			t.Errorf("%s: nobody works weekends:\n%s", tt.name, joined)
		}
	}
}

// A London/New York/Singapore team never all works at once: Describe lists
// who can meet whom, and the weeks of the year when New York and London
// are out of step (the US changes clocks weeks before Europe in spring and
// a week after in autumn), when the London–New York window moves an hour.
func TestDescribePairsAndClockChanges(t *testing.T) {
	p, probs := config.Parse("overlap.yml", []byte(`team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  people:
    bob: {}
    alice: {timezone: America/New_York, working_hours: "08:00-16:00"}
    sam: {timezone: Asia/Singapore, working_hours: "09:00-17:00"}
`))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	clockChanges := []string{
		"When clocks change on different dates in 2026:",
		// US summer time from Sun 8 Mar, UK from Sun 29 Mar 01:00 UTC:
		// New York 08:00 EDT is 12:00 GMT.
		"  from 8 Mar to 28 Mar: London–New York 12:00-17:30 Europe/London (summer time in New York, not in London)",
		// UK winter time from Sun 25 Oct, US from Sun 1 Nov.
		"  from 25 Oct to 31 Oct: London–New York 12:00-17:30 Europe/London (summer time in New York, not in London)",
	}
	tests := []struct {
		name string
		week time.Time
		want []string
	}{
		// Winter: New York 13:00-21:00 London; Singapore 01:00-09:00.
		{"winter", time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC), append([]string{
			"  mon: none, working hours never meet",
			"No time when everyone works; pairs (Europe/London):",
			"  London–New York: 13:00-17:30",
			"  London–Singapore: none",
			"  New York–Singapore: none",
		}, clockChanges...)},
		// Summer: Singapore 02:00-10:00 BST, so London meets it at 09:00.
		{"summer", time.Date(2026, 7, 15, 12, 0, 0, 0, time.UTC), append([]string{
			"  London–New York: 13:00-17:30",
			"  London–Singapore: 09:00-10:00",
			"  New York–Singapore: none",
		}, clockChanges...)},
		// Inside the March gap the week's own window shows the move.
		{"US on summer time, UK not yet", time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC), []string{
			"  London–New York: 12:00-17:30",
		}},
	}
	for _, tt := range tests {
		joined := strings.Join(Describe(p, tt.week), "\n")
		for _, w := range tt.want {
			if !strings.Contains(joined+"\n", w+"\n") {
				t.Errorf("%s: missing line %q in:\n%s", tt.name, w, joined)
			}
		}
	}
}

// When the whole team meets, the clock-change stretches give the team's
// window, and no pair list is added.
func TestDescribeClockChangesWholeTeam(t *testing.T) {
	p, probs := config.Parse("overlap.yml", []byte(`team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  people:
    bob: {}
    alice: {timezone: America/New_York, working_hours: "08:00-16:00"}
`))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	joined := strings.Join(Describe(p, time.Date(2027, 1, 6, 12, 0, 0, 0, time.UTC)), "\n")
	for _, w := range []string{
		"  mon: 13:00-17:30 Europe/London (13:00-17:30 UTC)",
		// 2027: US on 14 Mar, UK on 28 Mar; UK back 31 Oct, US 7 Nov.
		"  from 14 Mar to 27 Mar: 12:00-17:30 Europe/London (summer time in New York, not in London)",
		"  from 31 Oct to 6 Nov: 12:00-17:30 Europe/London (summer time in New York, not in London)",
	} {
		if !strings.Contains(joined, w) {
			t.Errorf("missing line %q in:\n%s", w, joined)
		}
	}
	if strings.Contains(joined, "pairs") {
		t.Errorf("pairs listed though the team meets:\n%s", joined)
	}
}

// Zones that change clocks together (London, Berlin) have no odd weeks.
func TestDescribeNoClockChangeGap(t *testing.T) {
	p, probs := config.Parse("overlap.yml", []byte(`team:
  timezone: Europe/London
  people:
    carol: {timezone: Europe/Berlin}
    sam: {timezone: Asia/Singapore, working_hours: "15:00-23:00"}
`))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	joined := strings.Join(Describe(p, time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)), "\n")
	if strings.Contains(joined, "clocks change") || strings.Contains(joined, "pairs") {
		t.Errorf("unexpected clock-change or pair lines:\n%s", joined)
	}
}
