package docs_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// repairWorld is the acceptance repository with the event retries off:
// what an event could not write is left to the sweep.
func repairWorld(t *testing.T) *apptest.Harness {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{&docs.Feature{}}, Now: monday,
		Configure: func(c *config.Server) { c.Queue.Retries = 0 }})
	h.Fake.AddRepo(h.Installation, org, "ops", githubfake.RepoOptions{})
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Message: "Start", Author: "alice", Date: daysAgo(400), Files: map[string]string{
		".github/overlap.yml":         "team:\n  timezone: Europe/Berlin\ndocs:\n  sets:\n    runbooks: {paths: [\"docs/runbooks/**/*.md\"], max_age: 90d}\n",
		"services/payments/charge.go": "package payments\n",
	}})
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Message: "Payments runbook", Author: "carol", Date: daysAgo(100), Files: map[string]string{
		"docs/runbooks/payments.md": "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments\n",
	}})
	return h
}

// openChargePR opens a PR changing code the stale payments runbook covers
// (nothing is delivered).
func openChargePR(h *apptest.Harness, branch string, draft bool) int {
	h.T.Helper()
	h.Fake.Commit(org, "ops", branch, githubfake.CommitSpec{Author: "bob", Files: map[string]string{
		"services/payments/charge.go": "package payments\n\n// " + branch + "\n",
	}})
	return h.Fake.OpenPR(org, "ops", githubfake.PRSpec{Title: "Retry charges", Author: "bob", Head: branch, Draft: draft})
}

func commentAndCheckWritesFail(h *apptest.Harness) {
	for _, f := range []githubfake.Fault{
		{Method: "POST", Route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"},
		{Method: "PATCH", Route: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"},
		{Method: "POST", Route: "POST /repos/{owner}/{repo}/check-runs"},
		{Method: "PATCH", Route: "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}"},
	} {
		f.Status = http.StatusBadGateway
		h.Fake.Inject(f)
	}
}

// The reminder and the check that a 502 kept from an opened PR are
// written by the next sweep, once each, and the sweep after that writes
// nothing.
func TestSweepRepairsTheReminderAndCheckAFaultKeptFromAnEvent(t *testing.T) {
	h := repairWorld(t)
	n := openChargePR(h, "fix-charge", false)
	commentAndCheckWritesFail(h)
	h.Send("pull_request", h.PREvent("opened", "ops", n))
	if cs := botComments(h, "ops", n); len(cs) != 0 {
		t.Fatalf("the reminder was written despite the fault: %v", cs)
	}
	h.Fake.ClearFaults()

	h.Sweep(monday.Add(15 * time.Minute))
	if cs := botComments(h, "ops", n); len(cs) != 1 {
		t.Fatalf("after the sweep: want one reminder, got %d", len(cs))
	}
	cr, runs := latestCheck(h, "ops", h.PR("ops", n).HeadSHA)
	if runs != 1 || cr.Conclusion != "neutral" || len(cr.Annotations) != 1 {
		t.Fatalf("after the sweep: want one neutral check with its annotation, got %d runs, last %+v", runs, cr)
	}

	h.ResetCounts()
	h.Sweep(monday.Add(30 * time.Minute))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("a second sweep wrote %v", w)
	}
	// A redelivery of the event agrees with what the sweep wrote.
	h.Send("pull_request", h.PREvent("opened", "ops", n))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("the event disagrees with the sweep: wrote %v", w)
	}
}

// Drafts are reminded when they become ready for review, by the sweep as
// by the events; the PRs of one sweep read the docs and the tracking issue
// once between them.
func TestSweepLeavesDraftsAloneAndReadsTheDocsOnce(t *testing.T) {
	h := repairWorld(t)
	draft := openChargePR(h, "draft", true)
	a := openChargePR(h, "a", false)
	b := openChargePR(h, "b", false)
	h.Sweep(monday.Add(15 * time.Minute))
	if cs := botComments(h, "ops", draft); len(cs) != 0 {
		t.Errorf("the sweep reminded a draft: %v", cs)
	}
	for _, n := range []int{a, b} {
		if cs := botComments(h, "ops", n); len(cs) != 1 {
			t.Errorf("#%d: %d reminders, want 1", n, len(cs))
		}
	}
	h.ResetCounts()
	h.Sweep(monday.Add(30 * time.Minute))
	calls := h.Calls.Calls()
	if got := calls["GET /repos/{owner}/{repo}/git/trees/{sha}"]; got != 1 {
		t.Errorf("tree reads for two PRs on one base: %d, want 1 (%v)", got, calls)
	}
	// The tracking issue's own lookup, and one for the PRs.
	if got := calls["GET /repos/{owner}/{repo}/issues"]; got > 2 {
		t.Errorf("tracking-issue lookups: %d, want ≤ 2 (%v)", got, calls)
	}
}
