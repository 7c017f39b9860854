package adr

import (
	"context"
	"testing"

	"github.com/overlaphq/overlap/internal/hostile"
)

// Hostile-input benchmarks (DESIGN.md principle 9): each 1 MB input must
// parse well under 50 ms. Figures are in docs/performance.md.

func adrInputs() []hostile.Input {
	return append(hostile.Commands("/adr", hostile.MB), hostile.Markdown(hostile.MB)...)
}

func BenchmarkParseCommandHostile1MB(b *testing.B) {
	for _, in := range adrInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				ParseCommand(context.Background(), in.Text)
			}
		})
	}
}

// BenchmarkSkipCandidatesHostile1MB is a thread of 16 comments of 64 KiB
// (GitHub's cap on a comment body) each, 1 MB in all.
func BenchmarkSkipCandidatesHostile1MB(b *testing.B) {
	for _, in := range hostile.Commands("/adr", 1<<16) {
		cms := make([]CommandComment, 16)
		for i := range cms {
			cms[i] = CommandComment{ID: int64(i + 1), Author: "mallory", Body: in.Text}
		}
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(16 << 16)
			for b.Loop() {
				SkipCandidates(context.Background(), cms)
			}
		})
	}
}
