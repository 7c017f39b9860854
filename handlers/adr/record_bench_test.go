package adr

import (
	"testing"

	"github.com/overlaphq/overlap/internal/hostile"
)

func recordInputs() []hostile.Input {
	return append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "status-lines", Text: "# 1. T\n" + hostile.Repeat("Status: accepted\n", hostile.MB)},
		hostile.Input{Name: "sections", Text: "# 1. T\n" + hostile.Numbered("## S", "\nx\n", "", hostile.MB)},
		hostile.Input{Name: "supersedes", Text: "# 1. T\n" + hostile.Repeat("Supersedes: [ADR 1](0001-x.md) ", hostile.MB)},
		hostile.Input{Name: "front-matter-open", Text: "---\n" + hostile.Repeat("status: x\n", hostile.MB)},
	)
}

// BenchmarkParseRecordHostile1MB: an ADR file of 1 MB (files are not capped
// as comments are) must parse and check well under 50 ms.
func BenchmarkParseRecordHostile1MB(b *testing.B) {
	for _, in := range recordInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				if r, err := ParseRecord("docs/adr/0001-x.md", in.Text); err == nil {
					Check(r, DefaultSettings(), nil)
				}
			}
		})
	}
}

// BenchmarkSlugHostile1MB: a PR title becomes a file name.
func BenchmarkSlugHostile1MB(b *testing.B) {
	for _, in := range hostile.Markdown(hostile.MB) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Slug(in.Text)
			}
		})
	}
}
