package config

import (
	"bytes"
	"testing"
)

// FuzzParseProblemLines: any policy file gives a policy and problems, never a panic,
// and every problem points at a line of the file (principle 11: a broken
// policy gets an answer quoting the line).
func FuzzParseProblemLines(f *testing.F) {
	for _, s := range []string{"", "adr:\n  enabled: true\n", "team:\n  timezone: Mars/Olympus\n", "a: &a [*a, *a]\nb: *a\n", "extends: org\n", "\t- [\n", "docs:\n  sets: {x: 1}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, probs := Parse(".github/overlap.yml", data)
		lines := bytes.Count(data, []byte("\n")) + 1
		for _, p := range probs {
			if p.Line < 1 || p.Line > lines+1 || p.Message == "" {
				t.Fatalf("problem %+v for a file of %d lines", p, lines)
			}
		}
	})
}
