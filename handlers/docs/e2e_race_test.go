package docs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/internal/apptest"
)

// replica starts a second Overlap process on the harness's GitHub: its own
// clients and its own per-repository locks, as a webhook replica next to
// the CronJob that sweeps.
func replica(t *testing.T, h *apptest.Harness) *app.App {
	t.Helper()
	a, err := app.New(context.Background(), h.Config, app.Options{
		Logger: zerolog.Nop(), Clock: h.Clock, Features: []handlers.Feature{&docs.Feature{}},
	})
	if err != nil {
		t.Fatalf("start replica: %v", err)
	}
	return a
}

// A sweep reads the tracking issue, spends seconds fetching docs, then
// writes the whole body back. A /reviewed handled meanwhile by another
// process must survive that write.
func TestReviewRecordedByAnotherProcessDuringASweepSurvives(t *testing.T) {
	sweeper := &docs.Feature{}
	h := opsWith(t, sweeper)
	h.Sweep(monday)
	is := issues(h)[0]
	if is.Title != "Docs freshness: 2 stale docs" {
		t.Fatalf("setup: %+v", is)
	}

	// Next week's refresh rewrites the issue (new duty week). Between its
	// first read of the issue and its write, carol's /reviewed reaches a
	// webhook replica, which records it.
	other := replica(t, h)
	nextWeek := monday.AddDate(0, 0, 7)
	text := "/reviewed docs/runbooks/payments.md"
	recorded := false
	docs.SetBeforeReread(sweeper, func() {
		if recorded {
			return
		}
		recorded = true
		cur := issues(h)[0]
		id := h.Fake.AddComment(org, "ops", is.Number, "carol", text)
		p, err := h.Builder("ops", "carol").IssueComment("created", is.Number, false, cur.Title, cur.Body, text, "carol", id)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := other.Deliver(ctx, "issue_comment", "replica-delivery-1", p); err != nil {
			t.Fatalf("replica handling /reviewed: %v", err)
		}
		if got := issues(h)[0]; !strings.Contains(got.Body, "`docs/runbooks/payments.md` reviewed on 2026-11-30 by carol") {
			t.Fatalf("the replica did not record the review:\n%s", got.Body)
		}
	})
	h.Sweep(nextWeek)
	if !recorded {
		t.Fatal("the sweep did not reach its write (hook not run)")
	}
	cur := issues(h)[0]
	if !strings.Contains(cur.Body, "`docs/runbooks/payments.md` reviewed on 2026-11-30 by carol") {
		t.Errorf("the sweep's write lost carol's review:\n%s", cur.Body)
	}
	if cur.Title != "Docs freshness: 1 stale doc" || strings.Contains(cur.Body, "`docs/runbooks/payments.md` | ") {
		t.Errorf("the reviewed doc is still listed stale (title %q):\n%s", cur.Title, cur.Body)
	}
	// The sweep's own work is there too: next week's duty person (erin,
	// index 47 % 4 = 3) is assigned.
	if strings.Join(cur.Assignees, ",") != "erin" || !strings.Contains(cur.Body, "`docs/runbooks/db.md` | 407 days since last review") {
		t.Errorf("the sweep's refresh was not applied: %+v", cur)
	}

	// A later sweep in the same slot keeps it (nothing to write).
	docs.SetBeforeReread(sweeper, nil)
	h.Sweep(nextWeek.Add(time.Hour))
	if !strings.Contains(issues(h)[0].Body, "`docs/runbooks/payments.md` reviewed on 2026-11-30 by carol") {
		t.Errorf("review lost by a later sweep")
	}
}
