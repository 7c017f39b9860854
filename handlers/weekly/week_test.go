package weekly

import (
	"testing"
	"time"
)

func zone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestWeekOf(t *testing.T) {
	london, ny, sg := zone(t, "Europe/London"), zone(t, "America/New_York"), zone(t, "Asia/Singapore")
	for _, c := range []struct {
		name      string
		at        time.Time
		loc       *time.Location
		key       string
		title     string
		startUTC  string
		wantHours float64
	}{
		{"friday in London", time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC), london, "2026-W49", "Weekly update · 2026-W49 (30 Nov – 6 Dec)", "2026-11-30T00:00:00Z", 168},
		{"Sunday night UTC is Monday in Singapore", time.Date(2026, 12, 6, 17, 0, 0, 0, time.UTC), sg, "2026-W50", "Weekly update · 2026-W50 (7 Dec – 13 Dec)", "2026-12-06T16:00:00Z", 168},
		{"Monday early UTC is Sunday in New York", time.Date(2026, 12, 7, 3, 0, 0, 0, time.UTC), ny, "2026-W49", "Weekly update · 2026-W49 (30 Nov – 6 Dec)", "2026-11-30T05:00:00Z", 168},
		{"year boundary", time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), london, "2026-W53", "Weekly update · 2026-W53 (28 Dec – 3 Jan)", "2026-12-28T00:00:00Z", 168},
		{"ISO year before calendar year", time.Date(2027, 1, 2, 12, 0, 0, 0, time.UTC), london, "2026-W53", "Weekly update · 2026-W53 (28 Dec – 3 Jan)", "2026-12-28T00:00:00Z", 168},
		{"London spring forward week", time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC), london, "2026-W13", "Weekly update · 2026-W13 (23 Mar – 29 Mar)", "2026-03-23T00:00:00Z", 167},
		{"New York fall back week", time.Date(2026, 10, 28, 12, 0, 0, 0, time.UTC), ny, "2026-W44", "Weekly update · 2026-W44 (26 Oct – 1 Nov)", "2026-10-26T04:00:00Z", 169},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := WeekOf(c.at, c.loc)
			if w.Key() != c.key || w.Title() != c.title {
				t.Errorf("got %s %q, want %s %q", w.Key(), w.Title(), c.key, c.title)
			}
			if got := w.Start().UTC().Format(time.RFC3339); got != c.startUTC {
				t.Errorf("start %s, want %s", got, c.startUTC)
			}
			if h := w.End().Sub(w.Start()).Hours(); h != c.wantHours {
				t.Errorf("week lasts %vh, want %vh", h, c.wantHours)
			}
			if !w.Contains(c.at) || w.Contains(w.End()) || !w.Contains(w.Start()) {
				t.Error("Contains")
			}
			if w.Marker() != "<!-- overlap:weekly:"+c.key+" -->" {
				t.Errorf("marker %s", w.Marker())
			}
			back, ok := ParseKey(w.Key(), c.loc)
			if !ok || back != w {
				t.Errorf("ParseKey(%s) = %+v %v", w.Key(), back, ok)
			}
			if w.Next().Prev() != w || w.Next().Monday != w.Monday.AddDays(7) {
				t.Errorf("Next/Prev: %+v %+v", w.Next(), w.Prev())
			}
		})
	}
	for _, bad := range []string{"", "2026-W54", "2025-W53", "2026W49", "2026-W00", "x026-W01", "2026-W4x"} {
		if _, ok := ParseKey(bad, london); ok {
			t.Errorf("ParseKey(%q) accepted", bad)
		}
	}
}
