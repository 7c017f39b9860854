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
