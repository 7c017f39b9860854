package timezones

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
)

// FuzzDetectOrdered: phrases are in order, do not overlap, sit at their offsets,
// quote their own text, and are never more than the budget allows.
func FuzzDetectOrdered(f *testing.F) {
	for _, s := range []string{"ship Friday EOD", "until Monday 3pm", "3-4pm tomorrow", "Nov 27 at 3pm UTC", "`3pm` <!-- 4pm --> 5pm", "was at 2pm yesterday", "ſunday 10:00", "back on Monday next week"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got, err := DetectContext(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) > DefaultBudgetMatches {
			t.Fatalf("%d phrases, budget %d", len(got), DefaultBudgetMatches)
		}
		last := 0
		for _, p := range got {
			if p.Start < last || p.End <= p.Start || p.End > len(text) || text[p.Start:p.End] != p.Text {
				t.Fatalf("bad phrase %+v after offset %d", p, last)
			}
			if !strings.HasSuffix(p.Quote, p.Text) || strings.Contains(p.Text, "\n") {
				t.Fatalf("bad quote %+v", p)
			}
			last = p.End
		}
	})
}

// FuzzComment: any thread renders without a panic, and what it renders
// names no one with "@" (a conversion must not ping).
func FuzzComment(f *testing.F) {
	f.Add("ship Friday EOD @alice", "tomorrow 9am <!-- overlap:x -->")
	f.Add("", "3pm")
	cal := calendar.New(calendar.Spec{})
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, body, comment string) {
		got, err := CommentContext(context.Background(), []Text{{Author: "a", Body: body, At: at}, {Author: "b", Body: comment, At: at.Add(time.Hour)}}, cal)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(got, "@") && !strings.Contains(body+comment, "@") {
			t.Fatalf("rendered a mention: %q", got)
		}
	})
}
