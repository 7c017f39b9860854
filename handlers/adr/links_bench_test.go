package adr

import (
	"testing"

	"github.com/overlaphq/overlap/internal/hostile"
)

func linkInputs() []hostile.Input {
	return append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "adr-paths", Text: hostile.Numbered("docs/adr/", "-x.md", " ", hostile.MB)},
		hostile.Input{Name: "adr-urls", Text: hostile.Repeat("https://github.com/o/r/blob/main/docs/adr/0001-x.md ", hostile.MB)},
		hostile.Input{Name: "long-url", Text: "https://github.com/o/r/blob/" + hostile.Repeat("a/", hostile.MB-64) + "docs/adr/0001-x.md"},
		hostile.Input{Name: "percent-escapes", Text: hostile.Repeat("%2", hostile.MB)},
		hostile.Input{Name: "colons", Text: hostile.Repeat("o/r:", hostile.MB)},
	)
}

// BenchmarkLinkCandidatesHostile1MB: each 1 MB PR body must be read well
// under 50 ms (DESIGN.md principle 9).
func BenchmarkLinkCandidatesHostile1MB(b *testing.B) {
	for _, in := range linkInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				LinkCandidates(in.Text, "o", "r", "docs/adr")
			}
		})
	}
}
