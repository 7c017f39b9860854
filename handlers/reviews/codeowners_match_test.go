package reviews

import (
	"context"
	"errors"
	"math/rand"
	"slices"
	"strings"
	"testing"
)

// TestCompiledOwnerPatternMatches: the compiled patterns (literal ones
// compared as strings) answer as matchOwnerPattern does.
func TestCompiledOwnerPatternMatches(t *testing.T) {
	parts := []string{"a", "b", "src", "x.go", "*", "**", "?", "/", "docs", ".", "a.md", "[ab]"}
	paths := []string{"a", "a/b", "b/a", "src/a/b.go", "src/x.go", "x.go", "a.md", "docs/a.md", "a/a", "/a", "a/", "src", "src/", "b/src/x.go", "a//b", "aa/b"}
	r := rand.New(rand.NewSource(1))
	pats := []string{"a", "/a", "a/", "/a/", "src/", "x.go", "/src/x.go", "docs/a.md", "a/b", "/", "", "//", "a//b", "**/a", "*.go"}
	for range 5000 {
		var b strings.Builder
		for n := 1 + r.Intn(4); n > 0; n-- {
			b.WriteString(parts[r.Intn(len(parts))])
		}
		pats = append(pats, b.String())
	}
	for _, pat := range pats {
		m := compileOwnerPattern(pat)
		for _, p := range paths {
			if got, want := m.match(p), matchOwnerPattern(pat, p); got != want {
				t.Fatalf("compiled %q on %q = %v, want %v", pat, p, got, want)
			}
		}
	}
}

// TestTitleCap: a title is read up to MaxTitle bytes (GitHub's 256
// characters), cut at a rune boundary.
func TestTitleCap(t *testing.T) {
	for _, tt := range []struct {
		name  string
		title string
		want  bool
	}{
		{"tag inside the cap", strings.Repeat("a", MaxTitle-len("[urgent]")) + "[urgent]", true},
		{"tag across the cap", strings.Repeat("a", MaxTitle-4) + "[urgent]", false},
		{"tag past the cap", strings.Repeat("a", MaxTitle) + "[urgent]", false},
		{"opening tag, long title", "urgent: " + strings.Repeat("é", MaxTitle), true},
		{"255 four-byte characters then the tag", strings.Repeat("😀", 255) + "[urgent]", false},
		{"shout", "URGENT " + strings.Repeat("x", 2*MaxTitle), true},
	} {
		if got := TitleSaysUrgent(tt.title); got != tt.want {
			t.Errorf("%s: TitleSaysUrgent = %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := capText(strings.Repeat("é", MaxTitle), MaxTitle+1); len(got) != MaxTitle {
		t.Errorf("capText cut mid-rune: %d bytes", len(got))
	}
}

// TestCodeownersMatchesOld: the CODEOWNERS reader that reads lines in
// place and splits owners only for a matching rule answers as the one it
// replaced (codeowners_old_test.go) on many random files.
func TestCodeownersMatchesOld(t *testing.T) {
	pieces := []string{"", " ", "\t", "\u00a0", "\u0085", "\r", "\v", "#", " #", "# x", "*", "**", "/", "a", "src/", "/src", "docs/*.md",
		"x.go", "*.go", "@alice", "@Alice", "@org/team", "bob@example.com", "@bob", "[ab]", "?", "\xff", "é", "//"}
	paths := []string{"src/a/b.go", "docs/x.md", "README.md", "a", "src/x.go", "a/b", "docs/a.md", "/a", "a/", "b/src/x.go", "a//b"}
	r := rand.New(rand.NewSource(2))
	files := []string{"", "\n", "*", "* @a", "* @a\n/src/ @b\n", "a @x #c\n#a @y\n a\t@z\u00a0@w\n"}
	for range 20000 {
		var b strings.Builder
		for n := r.Intn(10); n > 0; n-- {
			for k := r.Intn(5); k > 0; k-- {
				b.WriteString(pieces[r.Intn(len(pieces))])
				if r.Intn(2) == 0 {
					b.WriteByte(' ')
				}
			}
			b.WriteByte('\n')
		}
		files = append(files, b.String())
	}
	for _, f := range files {
		ps := paths[:1+r.Intn(len(paths))]
		got, want := ParseCodeowners(f).Owners(ps), oldOwners(oldParseCodeowners(f), ps)
		if !slices.Equal(got, want) {
			t.Fatalf("Owners of %q on %q = %q, want %q", ps, f, got, want)
		}
		if n, m := len(ParseCodeowners(f).rules), len(oldParseCodeowners(f)); n != m {
			t.Fatalf("%q: %d rules, want %d", f, n, m)
		}
	}
}

// TestCodeownersContext: a done context stops the read and the match.
func TestCodeownersContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	file := strings.Repeat("a @x\n", 2*checkEvery)
	if _, err := ParseCodeownersContext(ctx, file); !errors.Is(err, context.Canceled) {
		t.Errorf("ParseCodeownersContext = %v, want context.Canceled", err)
	}
	c := ParseCodeowners(file)
	if _, err := c.OwnersContext(ctx, []string{"b"}); !errors.Is(err, context.Canceled) {
		t.Errorf("OwnersContext = %v, want context.Canceled", err)
	}
	if got, err := c.OwnersContext(context.Background(), []string{"a"}); err != nil || !slices.Equal(got, []string{"@x"}) {
		t.Errorf("OwnersContext = %q, %v", got, err)
	}
}

// TestCodeownersSizeCap: a file of MaxCodeowners bytes or more is ignored,
// as GitHub ignores a CODEOWNERS file of 3 MB or more.
func TestCodeownersSizeCap(t *testing.T) {
	rule := "* @alice\n"
	for _, c := range []struct {
		name string
		size int
		want []string
	}{
		{"small", len(rule), []string{"@alice"}},
		{"one byte under the cap", MaxCodeowners - 1, []string{"@alice"}},
		{"at the cap", MaxCodeowners, nil},
		{"over the cap", MaxCodeowners + 1, nil},
	} {
		file := rule + strings.Repeat("\n", c.size-len(rule))
		if got := ParseCodeowners(file).Owners([]string{"a.go"}); !slices.Equal(got, c.want) {
			t.Errorf("%s: Owners = %q, want %q", c.name, got, c.want)
		}
	}
}

// TestCodeownersSharedGlobsMatchOld: rules that repeat a glob pattern share
// one compiled glob, matched once per path; literal rules are compared in
// place. Files of repeated and interleaved patterns (the last matching rule
// still wins) answer as the old reader does, and the rules' slice is
// allocated once.
func TestCodeownersSharedGlobsMatchOld(t *testing.T) {
	pats := []string{"*.go", "**/*.go", "docs/*.md", "docs/*.md/", "/src/**", "src/", "/src", "a", "b/", "x.go", "/docs/x.md", "[ab]", "a/**/b", "**", "*", "/", "//a", "a//b", "\\*"}
	owners := []string{"", "@a", "@b @c", "@org/t", "e@x.org", "@A"}
	paths := []string{"src/a/b.go", "docs/x.md", "README.md", "a", "a/b", "b/a", "x.go", "src/x.go", "/a", "a/", "a//b", "b/src/x.go", "docs/x.md/y", "*"}
	r := rand.New(rand.NewSource(3))
	files := []string{
		strings.Repeat("*.go @a\n*.md @b\n", 100),
		strings.Repeat("**/**/*.go @a\n", 100) + "x.go @b\n",
		strings.Repeat("docs/*.md @a\ndocs/*.md/ @b\n", 50),
		strings.Repeat("```\n", 100), strings.Repeat("    x\n", 100), strings.Repeat("[", 100),
	}
	for range 3000 {
		var b strings.Builder
		for n := r.Intn(30); n > 0; n-- {
			b.WriteString(pats[r.Intn(len(pats))])
			if o := owners[r.Intn(len(owners))]; o != "" {
				b.WriteString(" " + o)
			}
			b.WriteByte('\n')
		}
		files = append(files, b.String())
	}
	for _, f := range files {
		c := ParseCodeowners(f)
		got, want := c.Owners(paths), oldOwners(oldParseCodeowners(f), paths)
		if !slices.Equal(got, want) {
			t.Fatalf("Owners on %q = %q, want %q", f, got, want)
		}
		for _, p := range paths {
			got, want := c.Owners([]string{p}), oldOwners(oldParseCodeowners(f), []string{p})
			if !slices.Equal(got, want) {
				t.Fatalf("Owners of %q on %q = %q, want %q", p, f, got, want)
			}
		}
		if len(c.rules) != cap(c.rules) {
			t.Fatalf("%q: %d rules in a slice of %d", f, len(c.rules), cap(c.rules))
		}
		distinct := map[string]bool{}
		for _, r := range oldParseCodeowners(f) {
			if m := compileOwnerPattern(r.pattern); m.globDir != "" {
				distinct[r.pattern] = true
			}
		}
		if len(c.globs) != len(distinct) {
			t.Fatalf("%q: %d globs, want one per distinct pattern (%d)", f, len(c.globs), len(distinct))
		}
	}
}

// TestCountRules: countRules is the number of rules, or more only for a
// line that starts with a non-ASCII blank.
func TestCountRules(t *testing.T) {
	for _, c := range []struct {
		file string
		want int
	}{
		{"", 0}, {"\n\n", 0}, {"a", 1}, {"a\n", 1}, {" a\n\t#b\n #c\n# d\na #e\n", 2}, {"\r\n\v\f\n", 0}, {"\u00a0#x\n", 1}, {"  \n  a", 1},
	} {
		if got := countRules(c.file); got != c.want {
			t.Errorf("countRules(%q) = %d, want %d", c.file, got, c.want)
		}
		if n := len(oldParseCodeowners(c.file)); n > countRules(c.file) {
			t.Errorf("countRules(%q) = %d, under the %d rules", c.file, countRules(c.file), n)
		}
	}
}
