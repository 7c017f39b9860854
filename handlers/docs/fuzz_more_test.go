package docs

import (
	"strings"
	"testing"
)

// FuzzAnchors: every anchor is lower-case, as GitHub renders it, and
// BrokenLinks' anchor check reads the same set.
func FuzzAnchors(f *testing.F) {
	for _, s := range []string{"# A\n# A", "T\n===", "<a id='X' name=\"y\">", "---\nowner: a\n---\n# h", "# [l](x) <b>t</b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for a := range Anchors(s) {
			if a != strings.ToLower(a) {
				t.Fatalf("anchor %q is not lower-case", a)
			}
		}
	})
}
