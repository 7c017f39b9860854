package reviews

import (
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/hostile"
)

// Hostile-input benchmarks (DESIGN.md principle 9): a CODEOWNERS file (GitHub
// reads up to 3 MB of it), a comment body and a PR title of 1 MB must each be
// read well under 50 ms. Figures are in docs/performance.md.

func BenchmarkParseCodeownersHostile1MB(b *testing.B) {
	paths := []string{"src/a/b.go", "docs/x.md", "README.md"}
	for _, in := range append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "rules", Text: hostile.Numbered("/src/dir", "/ @org/team @alice", "\n", hostile.MB)},
		hostile.Input{Name: "globs", Text: hostile.Repeat("**/**/**/**/*.go @a\n", hostile.MB)},
		hostile.Input{Name: "comment-marks", Text: hostile.Repeat(" #", hostile.MB)},
	) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				ParseCodeowners(in.Text).Owners(paths)
			}
		})
	}
}

func BenchmarkParsePingHostile1MB(b *testing.B) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, in := range append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "markers", Text: hostile.Repeat("<!-- overlap:reviews:alice:2026-11-24T10:00:00Z -->", hostile.MB)},
		hostile.Input{Name: "leading-space", Text: hostile.Repeat(" ", hostile.MB-60) + "<!-- overlap:reviews:a:2026-11-24T10:00:00Z -->"},
		hostile.Input{Name: "long-login", Text: "<!-- overlap:reviews:" + hostile.Repeat("a", hostile.MB)},
	) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				ParsePing(in.Text, at)
			}
		})
	}
}

func BenchmarkUrgentHostile1MB(b *testing.B) {
	for _, in := range append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "brackets", Text: hostile.Repeat("[urgent", hostile.MB)},
		hostile.Input{Name: "non-word", Text: hostile.Repeat("!", hostile.MB)},
	) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Urgent(PR{Title: in.Text}, config.Reviews{})
			}
		})
	}
}

func BenchmarkTitleSaysUrgentHostile1MB(b *testing.B) {
	for _, in := range append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "brackets", Text: hostile.Repeat("[urgent", hostile.MB)},
		hostile.Input{Name: "non-word", Text: hostile.Repeat("!", hostile.MB)},
	) {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				TitleSaysUrgent(in.Text)
			}
		})
	}
}
