package adr_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// repairWorld is newWorld with the event retries off: what an event could
// not write is left to the sweep.
func repairWorld(t *testing.T, files map[string]string) *world {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{adr.Feature{}},
		Configure: func(c *config.Server) { c.Queue.Retries = 0 }})
	h.AddRepo("api", files)
	return &world{Harness: h, t: t, repo: "api"}
}

// openAt opens a PR created at at, on its own branch (nothing is
// delivered).
func (w *world) openAt(i int, at time.Time, labels ...string) int {
	w.t.Helper()
	branch := fmt.Sprintf("topic-%03d", i)
	w.Fake.Commit(org, w.repo, branch, githubfake.CommitSpec{Message: "change", Author: "alice", Date: at,
		Files: map[string]string{"main.go": "package main // " + branch + "\n"}})
	n := w.Fake.OpenPR(org, w.repo, githubfake.PRSpec{Title: fmt.Sprintf("Change %d", i), Author: "alice", Head: branch, Labels: labels, CreatedAt: at})
	if n == 0 {
		w.t.Fatalf("could not open PR %d", i)
	}
	return n
}

// The prompt and check a 502 kept from a labelled PR are written by the
// next sweep, once each; the sweep after that writes nothing.
func TestSweepWritesThePromptAndCheckAFaultKeptFromAnEvent(t *testing.T) {
	w := repairWorld(t, baseRecords(3))
	n := w.openPR("events", "Use Postgres for events", "", nil)
	for _, route := range []string{"POST /repos/{owner}/{repo}/issues/{issue_number}/comments", "POST /repos/{owner}/{repo}/check-runs"} {
		w.Fake.Inject(githubfake.Fault{Method: "POST", Route: route, Status: http.StatusBadGateway})
	}
	w.label(n, "decision")
	if len(w.stickies(n)) != 0 || len(w.checks(w.head(n))) != 0 {
		t.Fatal("the prompt or check was written despite the fault")
	}
	w.Fake.ClearFaults()

	w.Sweep(sweepAt, "adr")
	if got := w.checks(w.head(n)); len(got) != 1 || got[0].Conclusion != "action_required" {
		t.Fatalf("after the sweep: want one action_required check, got %+v", got)
	}
	w.sticky(n)
	w.ResetCounts()
	w.Sweep(sweepAt.Add(15*time.Minute), "adr")
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("a second sweep wrote %v", wr)
	}
}

// A repository with 150 open decision PRs is swept whole: the 50 oldest,
// past the first 100 of any listing, get their prompt and check too, and
// the listing costs two GraphQL requests.
func TestSweepReachesDecisionPRsPastTheFirst100(t *testing.T) {
	w := repairWorld(t, baseRecords(3))
	start := sweepAt.Add(-200 * time.Hour)
	var prs []int
	for i := 0; i < 150; i++ {
		prs = append(prs, w.openAt(i, start.Add(time.Duration(i)*time.Hour), "decision"))
	}
	w.ResetCounts()
	w.Sweep(sweepAt, "adr")
	for _, n := range prs {
		if got := w.checks(w.head(n)); len(got) != 1 {
			t.Fatalf("#%d (of 150, oldest first): %d checks, want 1", n, len(got))
		}
		if got := w.stickies(n); len(got) != 1 {
			t.Fatalf("#%d: %d prompts, want 1", n, len(got))
		}
	}
	w.ResetCounts()
	w.Sweep(sweepAt.Add(15*time.Minute), "adr")
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("a second sweep wrote %d times, first %v", len(wr), wr[0])
	}
}

// A blocking check left on a PR that lost its label is retired even when
// 149 PRs were updated after it, past the first 100 of the listing.
func TestSweepRetiresAStaleCheckPastTheFirst100(t *testing.T) {
	w := repairWorld(t, baseRecords(3))
	start := sweepAt.Add(-200 * time.Hour)
	w.Clock.Set(start)
	lost := w.openAt(0, start)
	w.label(lost, "decision")
	w.Fake.RemoveLabel(org, w.repo, lost, "decision") // the unlabeled delivery never arrives
	for i := 1; i < 150; i++ {
		w.openAt(i, start.Add(time.Duration(i)*time.Hour))
	}
	w.ResetCounts()
	w.Sweep(sweepAt, "adr")
	if got := w.conclusion(lost); got != "neutral" {
		t.Errorf("the least recently updated of 150 PRs: check %s, want neutral", got)
	}
	// Two listing pages; the other 149 PRs cost nothing more.
	if got := w.Calls.Calls()["POST /graphql"]; got != 2 {
		t.Errorf("GraphQL requests: %d, want 2 (%v)", got, w.Calls.Calls())
	}
}
