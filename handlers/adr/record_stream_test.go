package adr

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// randomRecord builds an ADR-shaped text from lines that exercise what
// the reader tells apart: front matter, headings, fences, HTML comments
// across lines, labels, placeholders, blank and white-space-only lines,
// CRLF and a byte-order mark.
func randomRecord(r *rand.Rand) string {
	pieces := []string{
		"", "", " ", "\t", " \u00a0", "\u2003", "---", "...", "status: accepted", "revisit: 2027-01-02", "supersedes: [1]",
		"title: T", "# 12. Title", "# Title", "## Status", "## Context", "### Sub", "## Decision Outcome", "## 1. Context",
		"```", "~~~", "````js", "   ```", "    ```", "<!--", "-->", "x <!-- y", "a <!-- b --> c", "<!-- only -->",
		"Accepted", "Status: proposed", "- **Status**: accepted", "Supersedes: [ADR 3](0003-x.md), 0004",
		"Superseded by [0005](0005-y.md)", "Revisit: 2026-05-01", "Revisit: soon", "TODO", "- tbd.", "…",
		"We decided.", "Amends 0002", "Date: 2026-01-01", "**accepted**", "`code`", "# ", "####### x",
	}
	var b strings.Builder
	if r.Intn(8) == 0 {
		b.WriteString("\ufeff")
	}
	nl := "\n"
	if r.Intn(6) == 0 {
		nl = "\r\n"
	}
	for n := r.Intn(30); n > 0; n-- {
		b.WriteString(pieces[r.Intn(len(pieces))])
		if r.Intn(10) == 0 {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		b.WriteString(nl)
	}
	s := b.String()
	if r.Intn(3) == 0 && len(s) > 0 {
		s = s[:r.Intn(len(s))] // no final newline, or a cut line
		if !strings.HasSuffix(s, "\r") && r.Intn(2) == 0 {
			s += pieces[r.Intn(len(pieces))]
		}
	}
	return s
}

// TestParseRecordMatchesOld holds the streaming reader to the one it
// replaced (record_old_test.go) on many random records.
func TestParseRecordMatchesOld(t *testing.T) {
	r := rand.New(rand.NewSource(8))
	texts := []string{"", "\n", "---", "---\n", "---\n---", "---\n---\n", "---\n...\n# T\n", " --- \nstatus: x\n---\n## Status\n\nAccepted\n",
		"---\r\nstatus: accepted\r\n---\r\n# T\r\n", "\ufeff---\n---\n", "---\n\n", "# T\n\n\n## A\n\n\n## B\n x\n"}
	for range 100000 {
		texts = append(texts, randomRecord(r))
	}
	for _, text := range texts {
		got, gerr := ParseRecord("docs/adr/0007-x.md", text)
		want, werr := oldParseRecord("docs/adr/0007-x.md", text)
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseRecord(%q)\n = %+v, %v\nold %+v, %v", text, got, gerr, want, werr)
		}
		if gerr == nil && !reflect.DeepEqual(Check(got, DefaultSettings(), nil), Check(want, DefaultSettings(), nil)) {
			t.Fatalf("Check differs on %q", text)
		}
	}
}

// TestCleanHeadingShortcuts: the shortcuts of cleanHeading (no pattern
// unless the heading starts like a number, no split unless the blanks
// need it) give what the full normalisation gives.
func TestCleanHeadingShortcuts(t *testing.T) {
	full := func(s string) string {
		s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "*_"))
		s = sectionNumber.ReplaceAllString(s, "")
		s = strings.TrimSuffix(s, ":")
		return strings.Join(strings.Fields(s), " ")
	}
	alphabet := []string{" ", "  ", "\t", "\u00a0", "\u2003", "\u0085", "a", "B", "1", "2.", ".", "i", "v", "x", "iv.", ":", "*", "_", "é", "\r", "\f", "\v"}
	r := rand.New(rand.NewSource(4))
	for i := range 200000 {
		var b strings.Builder
		for n := r.Intn(8); n > 0; n-- {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		s := b.String()
		if got, want := cleanHeading(s), full(s); got != want {
			t.Fatalf("case %d: cleanHeading(%q) = %q, want %q", i, s, got, want)
		}
	}
}

// TestMayBeLabelled: every line labelled accepts passes the cheap test.
func TestMayBeLabelled(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	lines := append([]string(nil), lineCases...)
	for range 50000 {
		lines = append(lines, randomLine(r))
	}
	for _, l := range append(lines, "Revisit: x", "REVISIT:", "ſupersedes 1", "- supersedes") {
		for _, label := range []string{"status", "revisit", "supersedes"} {
			if labelled(l, label) && !mayBeLabelled(l) {
				t.Fatalf("labelled(%q, %q) but not mayBeLabelled", l, label)
			}
		}
	}
}

// TestSupersedesTextCap: numbers are read from the first
// MaxSupersedesText bytes of a value and no further.
func TestSupersedesTextCap(t *testing.T) {
	pad := func(n int) string { return strings.Repeat("-", n) } // not blanks: the label's blanks are trimmed
	link := "[ADR 3](0003-x.md)"
	for _, c := range []struct {
		name, value string
		want        []int
	}{
		{"short", link + ", [ADR 4](0004-y.md)", []int{3, 4}},
		{"bare", "0002, 0003", []int{2, 3}},
		{"link ends at the cap", pad(MaxSupersedesText-len(link)) + link, []int{3}},
		{"link cut by the cap", pad(MaxSupersedesText-1) + link, nil}, // "[" is read, not the rest
		{"link after the cap", pad(MaxSupersedesText) + link, nil},
		{"bare number ends at the cap", pad(MaxSupersedesText-4) + "0007", []int{7}},
		{"bare number after the cap", pad(MaxSupersedesText) + "0007", nil},
		{"first links kept", link + pad(MaxSupersedesText) + "[ADR 4](0004-y.md)", []int{3}},
		{"cut inside a rune", pad(MaxSupersedesText-1) + "é 0009", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := numbersIn(c.value); !reflect.DeepEqual(got, c.want) {
				t.Errorf("numbersIn = %v, want %v", got, c.want)
			}
			rec, err := ParseRecord("docs/adr/0010-x.md", "# 10. T\n\nSupersedes: "+c.value+"\n")
			if err != nil || !reflect.DeepEqual(rec.Supersedes, c.want) {
				t.Errorf("ParseRecord: Supersedes = %v, %v; want %v", rec.Supersedes, err, c.want)
			}
		})
	}
}

// TestLinkCandidatesMatchesOld: the in-place walk finds what the old
// tokenizer found, on random bodies.
func TestLinkCandidatesMatchesOld(t *testing.T) {
	pieces := []string{" ", "\n", "(", ")", "[", "]", "<", ">", "\"", "'", "`", "|", "*", "\t", "\r", ".", ",", ":", "#", "?",
		"docs/adr/", "0003-x.md", "0004-y.MD", "o/r", "o/r:", "https://github.com/o/r/blob/main/", "http://h/o/r/blob/a/b/",
		"./", "/", "%2F", "é", "\xff", "other/", "a.md", "docs/adr/../", "o/r/"}
	r := rand.New(rand.NewSource(6))
	for range 50000 {
		var b strings.Builder
		for n := r.Intn(16); n > 0; n-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		body := b.String()
		if got, want := LinkCandidates(body, "acme", "shop", "docs/adr"), oldLinkCandidates(body, "acme", "shop", "docs/adr"); !reflect.DeepEqual(got, want) {
			t.Fatalf("LinkCandidates(%q) = %+v, want %+v", body, got, want)
		}
	}
}
