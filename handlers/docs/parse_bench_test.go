package docs

import (
	"testing"

	"github.com/overlaphq/overlap/internal/hostile"
)

// Hostile-input benchmarks (DESIGN.md principle 9): docs are files, which
// GitHub does not cap as it caps comments, so each parser is measured on
// 1 MB and must finish well under 50 ms. Figures are in docs/performance.md.

func docInputs() []hostile.Input {
	return append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "front-matter-unclosed", Text: "---\n" + hostile.Repeat("owner: a\n", hostile.MB)},
		hostile.Input{Name: "front-matter-huge", Text: "---\ncovers:\n" + hostile.Repeat("  - src/**/*.go\n", hostile.MB-32) + "\n---\n"},
		hostile.Input{Name: "front-matter-aliases", Text: "---\na: &a [x]\n" + hostile.Repeat("b: *a\n", hostile.MB-32) + "\n---\n"},
		hostile.Input{Name: "missing-links", Text: hostile.Numbered("[x](missing/", ".md) ", "", hostile.MB)},
		hostile.Input{Name: "anchor-links", Text: hostile.Numbered("[x](#h", ") ", "", hostile.MB)},
		hostile.Input{Name: "html-ids", Text: hostile.Repeat("<a id='x' href='y'>", hostile.MB)},
		hostile.Input{Name: "html-unclosed", Text: hostile.Repeat("<a id='x' ", hostile.MB)},
	)
}

// bigTree is a repository of 10,000 files: what a link check looks links up in.
func bigTree() map[string]bool {
	t := map[string]bool{"docs/a.md": true}
	for i := range 10000 {
		t["src/pkg"+string(rune('a'+i%26))+"/file"+itoa(i)+".go"] = true
	}
	return t
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func BenchmarkParseFrontMatterHostile1MB(b *testing.B) {
	for _, in := range docInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				ParseFrontMatter(in.Text)
			}
		})
	}
}

func BenchmarkBrokenLinksHostile1MB(b *testing.B) {
	tree := bigTree()
	for _, in := range docInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				BrokenLinks("docs/a.md", in.Text, tree, nil)
			}
		})
	}
}

func BenchmarkAnchorsHostile1MB(b *testing.B) {
	for _, in := range docInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Anchors(in.Text)
			}
		})
	}
}

func BenchmarkParseReviewedCommandsHostile1MB(b *testing.B) {
	for _, in := range append(hostile.Commands("/reviewed", hostile.MB), hostile.Markdown(hostile.MB)...) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				ParseReviewedCommands(in.Text)
			}
		})
	}
}

func BenchmarkParseDataHostile1MB(b *testing.B) {
	for _, in := range []hostile.Input{
		{Name: "unclosed", Text: dataPrefix + hostile.Repeat("{", hostile.MB)},
		{Name: "reviewed", Text: dataPrefix + `{"reviewed":{` + hostile.Numbered(`"d`, `.md":{"by":"a","at":"2026-01-01"},`, "", hostile.MB) + `"x":{}}} -->`},
		{Name: "prefixes", Text: hostile.Repeat(dataPrefix, hostile.MB)},
	} {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				ParseData(in.Text, testKey, "octo", "ops")
			}
		})
	}
}
