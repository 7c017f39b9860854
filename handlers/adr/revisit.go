package adr

import (
	"sort"
	"strings"
	"time"
)

// DueForRevisit returns the records whose revisit date has come: on or
// before now's calendar date in now's own time zone (so "today" is the
// caller's today). Records that are no longer in force (superseded,
// deprecated, rejected) are left out. The result is ordered by revisit date,
// oldest first, then by path. It is the extension point for the docs sweep.
func DueForRevisit(records []Record, now time.Time) []Record {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	var out []Record
	for _, r := range records {
		if r.Revisit == nil || r.Revisit.After(today) || !inForce(r.Status) {
			continue
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Revisit.Equal(*out[j].Revisit) {
			return out[i].Revisit.Before(*out[j].Revisit)
		}
		return out[i].Path < out[j].Path
	})
	return out
}

func inForce(status string) bool {
	s := strings.ToLower(strings.TrimSpace(strings.Trim(status, "*_` ")))
	return !strings.HasPrefix(s, "superseded") && !strings.HasPrefix(s, "deprecated") && !strings.HasPrefix(s, "rejected")
}
