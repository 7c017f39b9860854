package docs

import (
	"context"
	"fmt"
	"math/rand"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/markdown"
)

// What links.go replaced, for tests that hold the new code to it.
//
// The patterns htmlRef and htmlID replaced (a pattern per tag cost 40 ms
// on a line of a hundred thousand tags): TestHTMLAttrsMatchPatterns holds
// the written-out readers to them.
var (
	htmlRefRE = regexp.MustCompile(`(?i)^<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']*)["']`)
	htmlIDRE  = regexp.MustCompile(`(?i)^<[a-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']`)
)

func byPattern(re *regexp.Regexp) func(string) (string, bool) {
	return func(tag string) (string, bool) {
		if m := re.FindStringSubmatch(tag); m != nil {
			return m[1], true
		}
		return "", false
	}
}

// TestHTMLAttrsMatchPatterns: on many random tags and lines, htmlRef and
// htmlID read what htmlRefRE and htmlIDRE read, case folding (ſ, K),
// blanks that `\s` does not take (\v, no-break space), unclosed quotes,
// invalid UTF-8 and tags cut at maxTag included.
func TestHTMLAttrsMatchPatterns(t *testing.T) {
	pieces := []string{"<", "<", "<a", "<A", "<img", "<IMG", "<iMg", "<ab", "<a_", "<a1", "<a-", "<aé", "<ſ", "<\u212a", "<b", "<p", "<",
		"a", "img", "ſ", "\u212a", " ", " ", " ", "\t", "\v", "\f", "\n", "\r", "\u00a0", "href", "HREF", "hReF", "ſrc", "src", "SRC", "sRc",
		"id", "ID", "name", "NAME", "nAmE", "=", "=", "\"", "'", "\"", "'", ">", ">", "x", "y.md", "#h", "é", "\xff", "\xc5", "_", "1", "-", "hre", "sr"}
	tags := []string{"", "<", "<a", "<a href='x'", "<a href=''>", "<p id=''>", "<p id='x'>", "<img src=\"y\"", "<a\vhref='x'", "<a\fhref='x'",
		"<ſ id='x'", "<\u212a name='x'", "<a ſrc='x'", "<img SRC = 'x' >", "<a id='x' href=\"y' ", "<a href='x", "<a data-href='x'", "<a xhref='x' href='y'"}
	r := rand.New(rand.NewSource(8))
	for range 50000 {
		var b strings.Builder
		for n := 1 + r.Intn(12); n > 0; n-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		tags = append(tags, b.String())
	}
	for _, tag := range tags {
		for _, c := range []struct {
			name string
			got  func(string) (string, bool)
			re   *regexp.Regexp
		}{{"htmlRef", htmlRef, htmlRefRE}, {"htmlID", htmlID, htmlIDRE}} {
			if !strings.HasPrefix(tag, "<") {
				continue // tags start at their "<"
			}
			gv, gok := c.got(tag)
			wv, wok := byPattern(c.re)(tag)
			if gv != wv || gok != wok {
				t.Fatalf("%s(%q) = %q, %v; the pattern reads %q, %v", c.name, tag, gv, gok, wv, wok)
			}
		}
	}
	// Whole lines: tags split at "<" and ">", and cut at maxTag.
	lines := []string{strings.Repeat("<a id='x' ", 300), "<a " + strings.Repeat(" ", maxTag) + "href='x'>", "<a " + strings.Repeat(" ", maxTag-12) + "href='x'>",
		"<a " + strings.Repeat("é", maxTag/2) + " href='x'>", strings.Repeat("<a href='", 200)}
	for range 5000 {
		var b strings.Builder
		for n := r.Intn(40); n > 0; n-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		lines = append(lines, b.String())
	}
	for _, line := range lines {
		if got, want := htmlAttrs(line, htmlRef), htmlAttrs(line, byPattern(htmlRefRE)); !slices.Equal(got, want) {
			t.Fatalf("refs of %q = %q, want %q", line, got, want)
		}
		if got, want := htmlAttrs(line, htmlID), htmlAttrs(line, byPattern(htmlIDRE)); !slices.Equal(got, want) {
			t.Fatalf("ids of %q = %q, want %q", line, got, want)
		}
	}
}

// oldBrokenLinks is BrokenLinks as it was before it remembered at most
// maxReasons answers: every distinct target's answer remembered.
func oldBrokenLinks(docPath, content string, tree map[string]bool, contents map[string]string) []Link {
	var out []Link
	dirs := lazyDirs{tree: tree}
	anchorCache := map[string]map[string]bool{}
	anchorsOf := func(p string) (map[string]bool, bool) {
		if a, ok := anchorCache[p]; ok {
			return a, a != nil
		}
		text, ok := contents[p]
		if p == docPath {
			text, ok = content, true
		}
		if !ok {
			return nil, false
		}
		a, complete, _ := anchors(context.Background(), text)
		if !complete {
			a = nil
		}
		anchorCache[p] = a
		return a, complete
	}
	reasons := map[string]string{}
	_ = eachMarkdownLine(context.Background(), content, func(l markdown.Line) {
		for _, target := range linkTargets(l.Text) {
			reason, ok := reasons[target]
			if !ok {
				reason = checkTarget(docPath, target, tree, dirs.has, anchorsOf)
				reasons[target] = reason
			}
			if reason != "" {
				out = append(out, Link{Doc: docPath, Line: l.N, Target: target, Reason: reason})
			}
		}
	})
	return out
}

// TestBrokenLinksPastMaxReasons: a doc of more distinct targets than
// maxReasons, repeated and interleaved, gets the answers it got when every
// answer was remembered.
func TestBrokenLinksPastMaxReasons(t *testing.T) {
	tree := map[string]bool{"docs/a.md": true, "docs/b.md": true, "src/x.go": true}
	contents := map[string]string{"docs/b.md": "# One\n\n## Two\n<a id='three'></a>\n"}
	var b strings.Builder
	b.WriteString("# Here\n\n")
	for i := range 3 * maxReasons {
		fmt.Fprintf(&b, "[x](#h%d) [y](missing%d.md) [z](b.md#two) [w](b.md#h%d) [v](../src/x.go) [u](#here) <a href='/nope%d'>\n", i%(maxReasons+7), i, i, i%5)
	}
	doc := b.String()
	got, want := BrokenLinks("docs/a.md", doc, tree, contents), oldBrokenLinks("docs/a.md", doc, tree, contents)
	if !slices.Equal(got, want) {
		t.Fatalf("%d broken links, want %d", len(got), len(want))
	}
	if len(got) < 4*3*maxReasons {
		t.Fatalf("%d broken links: the doc does not test the cap", len(got))
	}
}
