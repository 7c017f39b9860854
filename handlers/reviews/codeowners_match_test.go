package reviews

import (
	"math/rand"
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
