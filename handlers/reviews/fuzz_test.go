package reviews

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseCodeowners: any file parses, and owners come back as "@" names.
func FuzzParseCodeowners(f *testing.F) {
	for _, s := range []string{"* @a", "/src/ @org/t a@b.c # x", "#c\n\n docs/** @d", "[", "**/ @e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		for _, o := range ParseCodeowners(data).Owners([]string{"src/a.go", "docs/x.md", "README.md"}) {
			if !strings.HasPrefix(o, "@") || strings.ContainsAny(o, " \t\n") {
				t.Fatalf("bad owner %q", o)
			}
		}
	})
}

// FuzzParsePing: a marker this feature writes reads back as what it says.
func FuzzParsePing(f *testing.F) {
	f.Add("alice", int64(1795000000), 2)
	f.Add("b-o-b", int64(0), 0)
	f.Fuzz(func(t *testing.T, reviewer string, unix int64, index int) {
		at := time.Unix(unix%4e9, 0).UTC()
		k := Reminder
		if index <= 0 {
			k, index = Escalation, 0
		}
		body := markerFor(reviewer, at, k, index) + "\nhello"
		p, ok := ParsePing(body, at)
		// Markers are written for GitHub logins (at most 39 characters);
		// ParsePing reads a marker from the first 1 KiB only.
		valid := reviewer != "" && len(reviewer) <= 39 && !strings.ContainsAny(reviewer, ": \t\r\n\v\f\u0085\u00a0-") && at.Year() >= 1000 && at.Year() <= 9999
		if !valid {
			return
		}
		if !ok || p.Reviewer != reviewer || !p.RequestAt.Equal(at) || p.Kind != k || p.Index != index {
			t.Fatalf("ParsePing(%q) = %+v, %v", body, p, ok)
		}
	})
}
