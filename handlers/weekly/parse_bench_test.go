package weekly

import (
	"context"
	"testing"

	"github.com/overlaphq/overlap/internal/hostile"
)

// Hostile-input benchmarks (DESIGN.md principle 9): a 1 MB reply is cut to
// MaxReplyBytes and read in one pass; a 1 MB blocker item (BlockerRefs is
// called on capped items, but must be linear on its own) too.

func weeklyInputs() []hostile.Input {
	return append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "labels", Text: hostile.Repeat("Shipped: x\nNext: y\nBlockers: z\n", hostile.MB)},
		hostile.Input{Name: "bold-openers", Text: hostile.Repeat("**", hostile.MB)},
		hostile.Input{Name: "bold-labels-one-line", Text: hostile.Repeat("**Shipped** ", hostile.MB)},
		hostile.Input{Name: "colons", Text: hostile.Repeat(":", hostile.MB)},
		hostile.Input{Name: "label-headings", Text: hostile.Repeat("## Blockers\n", hostile.MB)},
		hostile.Input{Name: "list-markers", Text: hostile.Repeat("1. [ ] ", hostile.MB)},
		hostile.Input{Name: "continuations", Text: "- x\n" + hostile.Repeat("  more text\n", hostile.MB)},
		hostile.Input{Name: "refs", Text: hostile.Repeat("acme/api#1 @bob https://github.com/a/b/pull/1 ", hostile.MB)},
		hostile.Input{Name: "hashes", Text: hostile.Repeat("#", hostile.MB)},
		hostile.Input{Name: "repo-then-hashes", Text: hostile.Repeat("a/b", hostile.MB/2) + hostile.Repeat("#1", hostile.MB/2)},
		hostile.Input{Name: "url-prefixes", Text: hostile.Repeat("https://github.com/", hostile.MB)},
	)
}

func BenchmarkParseReplyHostile1MB(b *testing.B) {
	ctx := context.Background()
	for _, in := range weeklyInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				if _, err := ParseReply(ctx, in.Text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkBlockerRefsHostile1MB(b *testing.B) {
	for _, in := range weeklyInputs() {
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				BlockerRefs(in.Text)
			}
		})
	}
}
