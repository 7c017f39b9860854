package docs

import (
	"testing"
	"time"
)

func TestDuty(t *testing.T) {
	rot := []string{"alice", "bob", "carol"}
	starts := Date{2026, 11, 2} // a Monday
	week := 7 * 24 * time.Hour
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, berlin) }
	awaySet := func(names ...string) func(string) bool {
		return func(l string) bool {
			for _, n := range names {
				if n == l {
					return true
				}
			}
			return false
		}
	}
	tests := []struct {
		name      string
		rotation  []string
		every     time.Duration
		now       time.Time
		away      func(string) bool
		cur, next string
	}{
		{"first week", rot, week, at(2026, 11, 2, 0), nil, "alice", "bob"},
		{"last moment of the first week", rot, week, at(2026, 11, 8, 23), nil, "alice", "bob"},
		{"second week", rot, week, at(2026, 11, 9, 0), nil, "bob", "carol"},
		{"fourth week wraps", rot, week, at(2026, 11, 24, 9), nil, "alice", "bob"},
		{"before starts: first person", rot, week, at(2026, 10, 1, 9), nil, "alice", "bob"},
		{"away person skipped", rot, week, at(2026, 11, 10, 9), awaySet("bob"), "carol", "alice"},
		{"next skips the away too", rot, week, at(2026, 11, 3, 9), awaySet("bob"), "alice", "carol"},
		{"everyone away keeps the scheduled person", rot, week, at(2026, 11, 10, 9), awaySet("alice", "bob", "carol"), "bob", "bob"},
		{"two-week turns", rot, 2 * week, at(2026, 11, 16, 9), nil, "bob", "carol"},
		{"zero every means weekly", rot, 0, at(2026, 11, 9, 9), nil, "bob", "carol"},
		{"single person", []string{"solo"}, week, at(2026, 12, 1, 9), nil, "solo", "solo"},
		{"empty rotation", nil, week, at(2026, 12, 1, 9), nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur, next := Duty(tt.rotation, starts, tt.every, tt.now, tt.away)
			if cur != tt.cur || next != tt.next {
				t.Errorf("Duty = %s, %s; want %s, %s", cur, next, tt.cur, tt.next)
			}
		})
	}
}

// The week that contains a DST change is an hour short; the handover must
// still happen at local midnight on Monday.
func TestDutyAcrossDST(t *testing.T) {
	rot := []string{"alice", "bob"}
	starts := Date{2026, 3, 23} // Berlin moves to CEST on Sunday 2026-03-29
	monday := time.Date(2026, 3, 30, 0, 0, 0, 0, berlin)
	before, _ := Duty(rot, starts, 7*24*time.Hour, monday.Add(-time.Minute), nil)
	after, _ := Duty(rot, starts, 7*24*time.Hour, monday, nil)
	if before != "alice" || after != "bob" {
		t.Errorf("handover at local midnight: before %s, after %s; want alice → bob", before, after)
	}
}
