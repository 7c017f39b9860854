package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

const revisitADR = `# 1. Use PostgreSQL for orders

Date: 2026-01-10

## Status

Accepted

## Context

Orders need transactions.

## Decision

We use PostgreSQL.

## Consequences

We run a database.

Revisit: 2026-11-01
`

// The features meet without importing each other: the docs sweep's
// tracking issue lists decision records past their revisit date, which the
// decision-records feature supplies.
func TestDocsTrackingIssueListsDecisionsDueForRevisit(t *testing.T) {
	monday := time.Date(2026, 11, 30, 9, 30, 0, 0, time.UTC) // the default docs sweep slot is Monday 09:00 (team zone UTC)
	h := apptest.New(t, apptest.Options{Now: monday})
	h.AddRepo("orders", map[string]string{
		"docs/adr/0001-use-postgresql-for-orders.md": revisitADR,
		"docs/runbooks/payments.md":                  "# Payments\n",
	})
	h.Sweep(monday)
	issues := h.Fake.Issues(apptest.Org, "orders")
	if len(issues) != 1 {
		t.Fatalf("want one tracking issue, got %d", len(issues))
	}
	body := issues[0].Body
	if !strings.Contains(body, "0001-use-postgresql-for-orders.md") || !strings.Contains(body, "2026-11-01") {
		t.Errorf("the tracking issue should list the ADR due for revisit:\n%s", body)
	}
}

// Several features look at the same conversation for one event; they pay
// for one listing of its comments between them.
func TestOneEventListsAPullRequestsCommentsOnce(t *testing.T) {
	h := apptest.New(t, apptest.Options{})
	h.AddRepo("api", map[string]string{"README.md": "# api\n", "docs/adr/0001-first.md": revisitADR})
	h.Fake.Commit(apptest.Org, "api", "kafka", githubfake.CommitSpec{Message: "kafka", Author: "alice", Files: map[string]string{"events.go": "package events\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Move events to Kafka", Body: "We ship Friday EOD.", Author: "alice", Head: "kafka", Labels: []string{"decision"}})
	h.ResetCounts()
	h.Send("pull_request", h.PREvent("opened", "api", n))
	// The conversation (and the reviews) come with the PR's snapshot: one
	// GraphQL request for every feature, no REST listing.
	calls := h.Calls.Calls()
	if calls["GET /repos/{owner}/{repo}/issues/{n}/comments"] != 0 || calls["GET /repos/{owner}/{repo}/pulls/{n}/reviews"] != 0 || calls["POST /graphql"] != 1 {
		t.Errorf("want the conversation read once, in the one snapshot request: %v", calls)
	}
	// Both the decision-record prompt and the timezone conversions were written.
	if c := h.Fake.Comments(apptest.Org, "api", n); len(c) != 2 {
		t.Errorf("want the ADR prompt and the timezone comment, got %d comments", len(c))
	}
}

// Two replicas handling the same delivery at the same moment may both
// write; the next event on the PR converges on one comment per marker and
// one current check (DESIGN principle 1).
func TestTwoReplicasConvergeOnOneCommentAndCheck(t *testing.T) {
	h := apptest.New(t, apptest.Options{})
	h.AddRepo("api", map[string]string{"README.md": "# api\n", "docs/adr/0001-first.md": revisitADR})
	h.Fake.Commit(apptest.Org, "api", "kafka", githubfake.CommitSpec{Message: "kafka", Author: "alice", Files: map[string]string{"events.go": "package events\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Move events to Kafka", Author: "alice", Head: "kafka", Labels: []string{"decision"}})
	other, err := app.New(context.Background(), h.Config, app.Options{Logger: zerolog.Nop(), Clock: h.Clock, Features: app.DefaultFeatures()})
	if err != nil {
		t.Fatal(err)
	}
	payload, err := h.Builder("api", "alice").PullRequestLabeled("labeled", h.PR("api", n), "decision")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); h.SendAs("pull_request", "same-delivery", payload) }()
	go func() {
		defer wg.Done()
		if err := other.Deliver(context.Background(), "pull_request", "same-delivery", payload); err != nil {
			t.Errorf("replica: %v", err)
		}
	}()
	wg.Wait()

	h.Send("pull_request", h.PREvent("synchronize", "api", n))
	adrComments := 0
	for _, c := range h.Fake.Comments(apptest.Org, "api", n) {
		if strings.HasPrefix(c.Body, "<!-- overlap:adr -->") {
			adrComments++
		}
	}
	if adrComments != 1 {
		t.Errorf("want one decision-record comment after the next event, got %d", adrComments)
	}
	var latest githubfake.CheckRunInfo
	for _, r := range h.Fake.CheckRuns(apptest.Org, "api") {
		if r.Name == "Decision record" && r.HeadSHA == h.PR("api", n).HeadSHA && r.ID > latest.ID {
			latest = r
		}
	}
	if latest.Conclusion != "action_required" {
		t.Errorf("the current Decision record check should ask for a record, got %+v", latest)
	}
}
