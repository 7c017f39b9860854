package markdown

import (
	"context"
	"testing"

	"github.com/overlaphq/overlap/internal/hostile"
)

// The scan must stay linear on attacker-sized text (DESIGN.md principle 9):
// each hostile input is 1 MB, and each sub-benchmark must finish one
// iteration well under 50 ms. Figures are in docs/performance.md.

func BenchmarkMaskHostile1MB(b *testing.B) {
	for _, in := range hostile.Markdown(hostile.MB) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Mask(in.Text)
			}
		})
	}
}

func BenchmarkLinesHostile1MB(b *testing.B) {
	for _, in := range hostile.Markdown(hostile.MB) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Lines(in.Text)
			}
		})
	}
}

// BenchmarkEachHostile1MB is the scan as the command parsers use it: every
// line visited, no slice of lines built.
func BenchmarkEachHostile1MB(b *testing.B) {
	for _, in := range hostile.Markdown(hostile.MB) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Each(context.Background(), in.Text, func(Line) bool { return true })
			}
		})
	}
}
