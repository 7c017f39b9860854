package app_test

import (
	"maps"
	"net/http"
	"testing"
)

// tokenRoute is the installation token mint: rate-limited by the App's JWT
// budget, not the installation's, so it is counted apart.
const tokenRoute = "POST /app/installations/{installation_id}/access_tokens"

// TestAPIEconomyPerEvent is the API-economy benchmark of issue 9 as
// the emulator counts it: an ADR-labelled PR (pull_request.labeled
// "decision") on a repository with one record and no policy file, every
// feature on. Each feature reads the PR through the one per-event snapshot
// (handlers.Env.PullRequest: the PR, its files, comments, reviews, the
// app's check runs and ADR's directory and open decision PRs in one
// GraphQL request), and the org policy is read without a repository
// lookup first. The figures are those of docs/performance.md, "API
// economy per event".
func TestAPIEconomyPerEvent(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.Fake.ResetCalls()

	// A fresh installation: the token, the policy (the repository's file
	// and the org default, both absent), the snapshot, the two writes.
	n := w.decisionPR(1)
	w.assertOutcome(n)
	assertRoutes(t, "first event", w.Fake.Calls(), map[string]int{
		tokenRoute: 1,
		"GET /repos/{owner}/{repo}/contents/{path}": 2,
		"POST /graphql": 1,
		"POST /repos/{owner}/{repo}/issues/{issue_number}/comments": 1,
		"POST /repos/{owner}/{repo}/check-runs":                     1,
	}, 5)

	// A second event of the installation, on another PR: the token and
	// the policy are cached; one read, two writes.
	w.Fake.ResetCalls()
	m := w.decisionPR(2)
	w.assertOutcome(m)
	assertRoutes(t, "second event", w.Fake.Calls(), map[string]int{
		"POST /graphql": 1,
		"POST /repos/{owner}/{repo}/issues/{issue_number}/comments": 1,
		"POST /repos/{owner}/{repo}/check-runs":                     1,
	}, 3)

	// A redelivery of the first event: the snapshot shows the comment and
	// the check as they should be; nothing is written.
	w.Fake.ResetCalls()
	p, err := w.Builder("api", "alice").PullRequestLabeled("labeled", w.PR("api", n), "decision")
	if err != nil {
		t.Fatal(err)
	}
	if st := w.Send("pull_request", p); st != http.StatusAccepted {
		t.Fatalf("redelivery: status %d", st)
	}
	if wr := w.Fake.Writes(); len(wr) != 0 {
		t.Errorf("redelivery wrote %v", wr)
	}
	assertRoutes(t, "redelivery", w.Fake.Calls(), map[string]int{"POST /graphql": 1}, 1)
	w.assertOutcome(n)

	// An event no feature acts on costs nothing once the policy is cached.
	w.Fake.ResetCalls()
	if st := w.Send("pull_request", w.PREvent("assigned", "api", n)); st != http.StatusAccepted {
		t.Fatalf("no-op: status %d", st)
	}
	assertRoutes(t, "no-op event", w.Fake.Calls(), map[string]int{}, 0)
}

// assertRoutes checks the emulator's per-route counts exactly, and that the
// rate-limited requests (every route but the token mint) add up to limit.
func assertRoutes(t *testing.T, what string, got, want map[string]int, limit int) {
	t.Helper()
	if !maps.Equal(got, want) {
		t.Errorf("%s: calls %v, want %v", what, got, want)
	}
	total := 0
	for route, n := range got {
		if route != tokenRoute {
			total += n
		}
	}
	if total != limit {
		t.Errorf("%s: %d rate-limited requests, want %d", what, total, limit)
	}
}
