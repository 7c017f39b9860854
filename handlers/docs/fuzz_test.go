package docs

import "testing"

// Bad input gets a clear answer, never a panic: these run their seeds in
// every `go test` and can be fuzzed with -fuzz.

func FuzzParseFrontMatter(f *testing.F) {
	for _, s := range []string{"", "---", "---\n---", "---\nowner: [\n---", "---\ncovers: {a: b}\nmax_age: [1]\nlast_reviewed: {}\n---", "\ufeff---\r\n*a: &a [*a]\r\n---"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fm, _ := ParseFrontMatter(s)
		if fm.MaxAge < 0 {
			t.Errorf("negative max age from %q", s)
		}
	})
}

func FuzzBrokenLinks(f *testing.F) {
	for _, s := range []string{"[a](", "[a](<b", "](", "``` \n[x](y)", "# \n#\n[x](#)", "[x](%zz#%zz)", "<a href='", "    [x](y)\n- [z](../../..)"} {
		f.Add(s)
	}
	tree := map[string]bool{"docs/a.md": true}
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range BrokenLinks("docs/a.md", s, tree, map[string]string{"docs/a.md": s}) {
			if l.Line < 1 || l.Reason == "" {
				t.Errorf("bad link report %+v", l)
			}
		}
	})
}

func FuzzParseReviewedCommands(f *testing.F) {
	for _, s := range []string{"/reviewed", "/reviewed ``", "/reviewed /", "```\n/reviewed a", "/reviewed ../../x all ALL"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, p := range ParseReviewedCommands(s) {
			if p == "" || p == "." {
				t.Errorf("empty target from %q", s)
			}
		}
	})
}
