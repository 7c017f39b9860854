package calendar

import "testing"

// FuzzParse: what parses prints back to itself (round trip), for the
// clock and date spellings a policy file holds.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"09:00-17:30", "9:00", "24:00", "2026-02-29", "2026-11-24..2026-12-01", "23:59-00:30", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r, err := ParseClockRange(s); err == nil {
			if back, err := ParseClockRange(r.String()); err != nil || back != r {
				t.Fatalf("ParseClockRange(%q) = %v; its String %q reads back as %v, %v", s, r, r.String(), back, err)
			}
		}
		if d, err := ParseDate(s); err == nil {
			if back, err := ParseDate(d.String()); err != nil || back != d {
				t.Fatalf("ParseDate(%q) = %v; reads back as %v, %v", s, d, back, err)
			}
		}
		if r, err := ParseDateRange(s); err == nil {
			if back, err := ParseDateRange(r.String()); err != nil || back != r {
				t.Fatalf("ParseDateRange(%q) = %v; its String %q reads back as %v, %v", s, r, r.String(), back, err)
			}
		}
	})
}
