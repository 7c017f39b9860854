package adr_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// A second replica handling a synchronize for the same PR may read the
// sticky comment before a skip is stored there and write it back after,
// without the skip. The next event, handled by yet another process, must
// still see the skip: it is derived from the `/adr skip` command on GitHub,
// and only a writer's command counts.
func TestSkipSurvivesAReplicaWritingTheStickyCommentWithoutIt(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "rita", "read")
	n := w.openPR("bump", "Bump deps", "", nil, "decision")
	w.label(n, "decision")
	w.comment(n, "carol", "/adr skip dependency bump only")
	if got := w.conclusion(n); got != "neutral" {
		t.Fatalf("setup: skip gave %s", got)
	}
	// A later command from someone without write access is refused and
	// must not become the derived skip.
	w.comment(n, "rita", "/adr skip I think so too")

	// The racing replica's write: the sticky comment without the skip state.
	sticky := w.stickies(n)[0]
	stateLine := regexp.MustCompile(`\n?<!-- overlap-state:adr [^\n]* -->\n?`)
	if !stateLine.MatchString(sticky.Body) {
		t.Fatalf("setup: the sticky comment holds no skip state:\n%s", sticky.Body)
	}
	w.Fake.EditComment(org, "api", sticky.ID, stateLine.ReplaceAllString(sticky.Body, ""))

	other, err := app.New(context.Background(), w.Config, app.Options{
		Logger: zerolog.Nop(), Clock: w.Clock, Features: []handlers.Feature{adr.Feature{}},
	})
	if err != nil {
		t.Fatalf("start replica: %v", err)
	}
	w.Fake.PushPR(org, "api", n, githubfake.CommitSpec{Message: "more bumps", Author: "alice", Files: map[string]string{"go.sum": "x\n"}})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := other.Deliver(ctx, "pull_request", "replica-sync-1", w.PREvent("synchronize", "api", n)); err != nil {
		t.Fatalf("replica handling synchronize: %v", err)
	}
	c := w.check(n)
	if c.Conclusion != "neutral" || !strings.Contains(c.Summary, "@carol") || !strings.Contains(c.Summary, "dependency bump only") {
		t.Errorf("after the skip state was lost: want neutral skipped by carol with her reason, got %s: %s", c.Conclusion, c.Summary)
	}
	if body := w.sticky(n); !stateLine.MatchString(body) || !strings.Contains(body, "dependency bump only") {
		t.Errorf("the sticky comment should carry the skip again:\n%s", body)
	}
}
