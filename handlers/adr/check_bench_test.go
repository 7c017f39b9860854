package adr

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/hostile"
)

// checkInputs are records whose sections are the attacker's: 1 MB of empty
// headings (one section each, every one empty), nested ones, and the
// Markdown shapes every parser is measured on.
func checkInputs() []hostile.Input {
	return append(hostile.Markdown(hostile.MB),
		hostile.Input{Name: "record-empty-sections", Text: "# 4. Big\n\n## Status\n\nAccepted\n\n" + hostile.Repeat("## a\n", hostile.MB)},
		hostile.Input{Name: "record-nested-sections", Text: "# 4. Big\n\n## Status\n\nAccepted\n\n" + hostile.Repeat("# a\n## b\n", hostile.MB)},
		hostile.Input{Name: "record-deepening", Text: "# 4. Big\n" + hostile.Repeat("## a\n### b\n#### c\n", hostile.MB)},
	)
}

// BenchmarkCheckHostile1MB: Check alone (the record parsed once, outside
// the loop) on 1 MB records must take well under 50 ms.
func BenchmarkCheckHostile1MB(b *testing.B) {
	for _, in := range checkInputs() {
		r, err := ParseRecord("docs/adr/0004-big.md", in.Text)
		if err != nil {
			continue
		}
		b.Run(in.Name, func(b *testing.B) {
			b.SetBytes(int64(len(in.Text)))
			for b.Loop() {
				Check(r, DefaultSettings(), nil)
			}
		})
	}
}

// TestCheckIsLinearInSections: on each 1 MB shape, Check returns at most
// MaxAnnotationsPerFile annotations with the failures first, and stops
// when ctx is done. Its speed (under 50 ms; the quadratic scan took 1.5 s
// on 256 KB) is BenchmarkCheckHostile1MB's to measure: a test does not
// time a busy machine.
func TestCheckIsLinearInSections(t *testing.T) {
	for _, in := range checkInputs() {
		r, err := ParseRecord("docs/adr/0004-big.md", in.Text)
		if err != nil {
			continue
		}
		out := Check(r, DefaultSettings(), nil)
		if len(out) > MaxAnnotationsPerFile {
			t.Errorf("%s: %d annotations, want at most %d", in.Name, len(out), MaxAnnotationsPerFile)
		}
		seenNonFailure := false
		for _, a := range out {
			if a.Level != LevelFailure {
				seenNonFailure = true
			} else if seenNonFailure {
				t.Errorf("%s: a failure after a warning: %+v", in.Name, out)
				break
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := CheckContext(ctx, r, DefaultSettings(), nil); len(r.Sections) > 0 && !errors.Is(err, context.Canceled) {
			t.Errorf("%s: CheckContext with a done ctx: %v", in.Name, err)
		}
	}
}

// TestCheckCapsAnnotationsAndCountsTheRest: 200 empty optional sections
// give 49 warnings and one notice counting the rest, and the failures of
// a missing section are kept ahead of them.
func TestCheckCapsAnnotationsAndCountsTheRest(t *testing.T) {
	text := "# 1. T\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n" + strings.Repeat("## Extra\n\n", 200)
	r, err := ParseRecord("docs/adr/0001-t.md", text)
	if err != nil {
		t.Fatal(err)
	}
	out := Check(r, DefaultSettings(), nil)
	if len(out) != MaxAnnotationsPerFile {
		t.Fatalf("got %d annotations, want %d", len(out), MaxAnnotationsPerFile)
	}
	if out[0].Level != LevelFailure || !Failed(out) {
		t.Errorf("the missing Decision/Consequences failures should lead: %+v", out[:3])
	}
	last := out[len(out)-1]
	if last.Level != LevelNotice || !strings.Contains(last.Message, "more problems") {
		t.Errorf("last annotation should count the rest: %+v", last)
	}
	// Fewer than the cap: nothing is hidden, no notice.
	small, _ := ParseRecord("docs/adr/0001-t.md", "# 1. T\n\n## Status\n\nAccepted\n\n## Extra\n\n## Context\n\nx\n")
	for _, a := range Check(small, DefaultSettings(), nil) {
		if a.Title == "More problems" {
			t.Errorf("a notice without anything hidden: %+v", a)
		}
	}
}
