package docs

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"
)

// The docs line tests replaced regular expressions run on every line; these
// tests hold them to the patterns' answers on edge cases and on random
// lines over the characters the patterns care about.

var (
	reATX      = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	reSetext   = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	reListItem = regexp.MustCompile(`^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)`)
	reRefDef   = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:\s*(\S+)`)
	reScheme   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	reReviewed = regexp.MustCompile(`(?i)^\s*(/reviewed)(?:\s+(.*))?$`)
)

var docLineCases = []string{
	"", "#", "# ", "# #", "# a #", "# a#", "#a", "####### a", "    # a", "   ## a ##  ", "# ##", "#\t#\t", "# a # #",
	"=", "---", "   ===  ", "    ===", "=-", "- ", "-", "1.", "1234567890.", "123456789)", "1.x", "* a", "+\f",
	"[a]: b", "[]: b", "[a]:", "[a]:\t<b>", "   [a] : b", "[a]:b c", "[[a]]: b", "http://x", "a+b.c-d:", "1a:", ":x",
	"/reviewed", "/Reviewed a b", "  /reviewed\tx", "/reviewedx", "\f/REVIEWED  ", "x /reviewed",
}

func randomDocLine(r *rand.Rand) string {
	alphabet := []string{" ", "\t", "#", "=", "-", "*", "+", "1", "9", ".", ")", "[", "]", ":", "a", "Z", "<", ">", "/reviewed", "/REVIEWED", "\f", "\r", "é"}
	var b strings.Builder
	for n := r.Intn(12); n > 0; n-- {
		b.WriteString(alphabet[r.Intn(len(alphabet))])
	}
	return b.String()
}

func TestDocLineTestsMatchPatterns(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	lines := append([]string(nil), docLineCases...)
	for range 100000 {
		lines = append(lines, randomDocLine(r))
	}
	for _, l := range lines {
		m := reATX.FindStringSubmatch(l)
		text, ok := atxHeadingText(l)
		if ok != (m != nil) || ok && text != m[2] {
			t.Fatalf("atxHeadingText(%q) = %q %v, pattern %q", l, text, ok, m)
		}
		if got, want := isSetextUnderline(l), reSetext.MatchString(l); got != want {
			t.Fatalf("isSetextUnderline(%q) = %v, want %v", l, got, want)
		}
		if got, want := isListItemLine(l), reListItem.MatchString(l); got != want {
			t.Fatalf("isListItemLine(%q) = %v, want %v", l, got, want)
		}
		m = reRefDef.FindStringSubmatch(l)
		dest, ok := refDefinition(l)
		if ok != (m != nil) || ok && dest != m[1] {
			t.Fatalf("refDefinition(%q) = %q %v, pattern %q", l, dest, ok, m)
		}
		if got, want := hasScheme(l), reScheme.MatchString(l); got != want {
			t.Fatalf("hasScheme(%q) = %v, want %v", l, got, want)
		}
		mi := reReviewed.FindStringSubmatchIndex(l)
		at, args, ok := reviewedCommand(l)
		wantArgs := ""
		if mi != nil && mi[4] >= 0 {
			wantArgs = l[mi[4]:mi[5]]
		}
		if ok != (mi != nil) || ok && (at != mi[2] || args != wantArgs) {
			t.Fatalf("reviewedCommand(%q) = %d %q %v, pattern %v", l, at, args, ok, mi)
		}
	}
}

// TestAnchorsHeadingCap: past MaxHeadings headings a doc's anchors are not
// all known, so links to its anchors are not checked; up to the cap they are.
func TestAnchorsHeadingCap(t *testing.T) {
	for _, tt := range []struct {
		name     string
		headings int
		broken   bool
	}{{"under", MaxHeadings - 1, true}, {"at", MaxHeadings, true}, {"over", MaxHeadings + 1, false}} {
		t.Run(tt.name, func(t *testing.T) {
			doc := "[x](#missing) [y](#a-1)\n\n" + strings.Repeat("# a\n", tt.headings)
			got := BrokenLinks("docs/a.md", doc, map[string]bool{"docs/a.md": true}, nil)
			if (len(got) == 1) != tt.broken || len(got) > 1 {
				t.Fatalf("%d headings: broken links %+v, want #missing reported: %v", tt.headings, got, tt.broken)
			}
			a := Anchors(doc)
			if !a["a"] || !a["a-1"] || len(a) != min(tt.headings, MaxHeadings) {
				t.Fatalf("%d headings: %d anchors, want %d", tt.headings, len(a), min(tt.headings, MaxHeadings))
			}
		})
	}
}
