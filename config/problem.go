package config

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a configuration file, located precisely
// enough that the "Overlap config" check run can quote the line back to the
// person who wrote it.
type Problem struct {
	File    string // file name as the user knows it, e.g. ".github/overlap.yml"
	Line    int    // 1-based; every problem has one
	Column  int    // 1-based; 0 when unknown
	Key     string // dotted key path, e.g. "adr.template" or "team.people.alice.timezone"
	Message string
	Hint    string // optional advice, e.g. "use nygard or madr"
}

// Error renders the problem the way compilers do, so editors and humans can
// jump to it: `.github/overlap.yml:4:13: adr.template: unknown template "foo" (hint: use nygard or madr)`.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	fmt.Fprintf(&b, ":%d", p.Line)
	if p.Column > 0 {
		fmt.Fprintf(&b, ":%d", p.Column)
	}
	b.WriteString(": ")
	if p.Key != "" {
		b.WriteString(p.Key)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	if p.Hint != "" {
		b.WriteString(" (hint: ")
		b.WriteString(p.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// Problems is every problem found in one load. An empty list means the
// configuration is fine. It implements error so callers that only want a
// yes/no can treat it as one.
type Problems []Problem

// Error lists every problem, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns nil for an empty list and the list otherwise, which avoids the
// typed-nil trap of returning a nil Problems as an error.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// sorted orders problems by file, then line, then column, keeping the order
// of discovery for ties.
func (ps Problems) sorted() Problems {
	out := append(Problems(nil), ps...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
	return out
}

// valueError is returned by scalar parsers: the message says what is wrong,
// the hint says what would be right.
type valueError struct {
	msg, hint string
}

func (e *valueError) Error() string {
	if e.hint == "" {
		return e.msg
	}
	return e.msg + " (hint: " + e.hint + ")"
}

func badValue(hint, format string, args ...any) error {
	return &valueError{msg: fmt.Sprintf(format, args...), hint: hint}
}

// suggest returns the candidate closest to s when it is close enough to be a
// plausible typo, or "" otherwise.
func suggest(s string, candidates []string) string {
	best, bestDist := "", 1<<30
	for _, c := range candidates {
		d := levenshtein(strings.ToLower(s), strings.ToLower(c))
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	limit := 2
	if len(s) > 8 {
		limit = 3
	}
	if best == "" || bestDist > limit || bestDist >= len(s) {
		return ""
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
