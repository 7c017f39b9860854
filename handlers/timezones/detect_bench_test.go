package timezones

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/hostile"
)

// Hostile-input benchmarks (DESIGN.md principle 9): each 1 MB input must be
// read well under 50 ms. Figures are in docs/performance.md.

func timeInputs() []hostile.Input {
	return append(hostile.Times(hostile.MB), hostile.Markdown(hostile.MB)...)
}

func BenchmarkDetectHostile1MB(b *testing.B) {
	for _, in := range timeInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Detect(in.Text)
			}
		})
	}
}

func BenchmarkScanHostile1MB(b *testing.B) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	author := PersonFor(calendar.New(calendar.Spec{}), "alice")
	for _, in := range hostile.Times(hostile.MB) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Scan(in.Text, author, now)
			}
		})
	}
}

// BenchmarkCommentThreadHostile1MB is the comment event on a hostile
// thread: 16 comments of 64 KiB (GitHub's cap), 1 MB in all, all re-read.
func BenchmarkCommentThreadHostile1MB(b *testing.B) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	cal := calendar.New(calendar.Spec{})
	for _, in := range hostile.Times(1 << 16) {
		texts := make([]Text, 16)
		for i := range texts {
			texts[i] = Text{Author: "mallory", Body: strings.Clone(in.Text), At: at.Add(time.Duration(i) * time.Minute)}
		}
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(16 << 16)
			for b.Loop() {
				Comment(texts, cal)
			}
		})
	}
}
