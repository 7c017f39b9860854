package adr

import (
	"math/rand"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The record's line tests replaced regular expressions (a regular
// expression per line of a megabyte file was too slow); these tests hold
// them to the patterns' answers on a table of edge cases and on random
// lines over the characters the patterns care about.

var (
	reATX         = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$`)
	reClosing     = regexp.MustCompile(`[ \t]+#+$`)
	reFence       = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	reComment     = regexp.MustCompile(`<!--.*?-->`)
	rePlaceholder = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:todo|tbd|tbc|\.\.\.|…|xxx)\s*[.:!]?\s*$`)
)

var lineCases = []string{
	"", " ", "#", "# ", "#\t", "# a", "#a", "####### a", "###### a", "    # a", "   # a", "# a #", "# a#",
	"# a  ##  ", "# ##", "## a # #", "#\ta\t#\t", "```", "``", "~~~~ x", "   ```js", "    ```", "`~~",
	"<!-- x -->", "a <!-- b --> c <!-- d", "<!--<!-- x -->-->", "<!<!--x-->--", "<!---->", "<!-->",
	"TODO", "todo.", "- tbd", "-tbd", "* ... !", "…", "xxx:", "TBC ! ", "- \t todo", "todos", "- ", "+ tbd.!",
	"status: x", "Status:", "- **Status**: accepted", "__status__ :", "ſtatus: x", "*status", "* status",
	"supersedes [1](0001-a.md)", "Supersedes", "revisit: 2026-01-01", " \t- __REVISIT__:",
}

func randomLine(r *rand.Rand) string {
	alphabet := []string{" ", "\t", "#", "`", "~", "<!--", "-->", "-", "*", "+", "_", ".", ":", "!", "a", "todo", "TBD", "…", "status", "ſ", "\f", "\r"}
	var b strings.Builder
	for n := r.Intn(12); n > 0; n-- {
		b.WriteString(alphabet[r.Intn(len(alphabet))])
	}
	return b.String()
}

func TestRecordLineTestsMatchPatterns(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	lines := append([]string(nil), lineCases...)
	for range 50000 {
		lines = append(lines, randomLine(r))
	}
	for _, l := range lines {
		m := reATX.FindStringSubmatch(l)
		level, text, ok := parseATX(l)
		if ok != (m != nil) || ok && (level != len(m[1]) || text != m[2]) {
			t.Fatalf("parseATX(%q) = %d %q %v, pattern %q", l, level, text, ok, m)
		}
		if got, want := trimClosingHashes(l), reClosing.ReplaceAllString(l, ""); got != want {
			t.Fatalf("trimClosingHashes(%q) = %q, want %q", l, got, want)
		}
		want := ""
		if m := reFence.FindStringSubmatch(l); m != nil {
			want = m[1]
		}
		if got := openingFence(l); got != want {
			t.Fatalf("openingFence(%q) = %q, want %q", l, got, want)
		}
		if got, want := removeComments(l), reComment.ReplaceAllString(l, ""); got != want {
			t.Fatalf("removeComments(%q) = %q, want %q", l, got, want)
		}
		if got, want := isPlaceholder(l), rePlaceholder.MatchString(l); got != want {
			t.Fatalf("isPlaceholder(%q) = %v, want %v", l, got, want)
		}
		for _, re := range []struct {
			label string
			re    *regexp.Regexp
		}{{"status", statusLine}, {"revisit", revisitLine}, {"supersedes", supersedesRe}} {
			if re.re.MatchString(l) && !labelled(l, re.label) {
				t.Fatalf("labelled(%q, %q) = false, but the pattern matches", l, re.label)
			}
		}
	}
}

func TestSupersedesValueMatchesPattern(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	lines := append([]string{"Supersedes: [1](0001-a.md)", "- **Supersedes**: 3", "*supersedes 4", "* __SUPERSEDES__ : 5",
		"supersedes", "ſupersedes:7", "- - supersedes 8", "**supersedes** ** 9", "supersedes:: 10", " \t+\tsupersedes\f:\f11"}, lineCases...)
	for range 50000 {
		lines = append(lines, randomLine(r)+"supersedes"+randomLine(r))
		lines = append(lines, randomLine(r))
	}
	for _, l := range lines {
		m := supersedesRe.FindStringSubmatch(l)
		v, ok := supersedesValue(l)
		if ok != (m != nil) || ok && v != m[1] {
			t.Fatalf("supersedesValue(%q) = %q %v, pattern %q", l, v, ok, m)
		}
	}
}

// TestSupersedesCap: a record supersedes at most MaxSupersedes records,
// the first ones it names.
func TestSupersedesCap(t *testing.T) {
	for _, tt := range []struct {
		name  string
		count int
		want  int
	}{{"under", MaxSupersedes - 1, MaxSupersedes - 1}, {"at", MaxSupersedes, MaxSupersedes}, {"over", MaxSupersedes + 50, MaxSupersedes}} {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			b.WriteString("# 1000. T\n\nSupersedes:")
			for i := 1; i <= tt.count; i++ {
				b.WriteString(" " + strings.Repeat("0", 0) + itoa(i))
			}
			r, err := ParseRecord("docs/adr/1000-t.md", b.String()+"\n")
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Supersedes) != tt.want || r.Supersedes[0] != 1 || r.Supersedes[len(r.Supersedes)-1] != tt.want {
				t.Fatalf("Supersedes = %d numbers (%v...), want 1..%d", len(r.Supersedes), r.Supersedes[:min(3, len(r.Supersedes))], tt.want)
			}
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
