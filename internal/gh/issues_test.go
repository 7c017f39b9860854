package gh_test

import (
	"context"
	"testing"

	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

func TestTrackingIssueIsFoundAgainWhenItsLabelWasRemoved(t *testing.T) {
	w := newDiscWorld(t, false)
	ctx := context.Background()
	marker := gh.Marker("docs", "tracking")
	want := gh.TrackingIssue{Marker: marker, Title: "Stale docs", Body: "- runbook", Labels: []string{"docs-stale"}, Open: true}
	if out, _, err := w.client.UpsertIssue(ctx, w.repo, want); err != nil || out != gh.Created {
		t.Fatalf("create: %v %v", out, err)
	}
	// Someone removes the label by hand.
	w.fake.RemoveLabel("acme", "api", 1, "docs-stale")
	want.Body = "- runbook\n- onboarding"
	out, is, err := w.client.UpsertIssue(ctx, w.repo, want)
	if err != nil || out != gh.Updated || is.GetNumber() != 1 {
		t.Fatalf("want issue #1 updated, got %v #%d %v", out, is.GetNumber(), err)
	}
	if n := len(w.fake.Issues("acme", "api")); n != 1 {
		t.Fatalf("want one issue, got %d", n)
	}
	if got := w.fake.Issues("acme", "api")[0].Labels; len(got) != 1 || got[0] != "docs-stale" {
		t.Errorf("the label should be put back, labels %v", got)
	}
}

func TestDuplicateTrackingIssuesAreClosedKeepingTheOldest(t *testing.T) {
	w := newDiscWorld(t, false)
	ctx := context.Background()
	marker := gh.Marker("docs", "tracking")
	// Two writers raced and each created one.
	for i := 0; i < 2; i++ {
		w.fake.OpenIssue("acme", "api", githubfake.IssueSpec{Title: "Stale docs", Body: marker + "\nold", Author: "overlap[bot]", Labels: []string{"docs-stale"}})
	}
	out, is, err := w.client.UpsertIssue(ctx, w.repo, gh.TrackingIssue{Marker: marker, Title: "Stale docs", Body: "new", Labels: []string{"docs-stale"}, Open: true})
	if err != nil || out != gh.Updated || is.GetNumber() != 1 {
		t.Fatalf("want #1 kept and updated, got %v #%d %v", out, is.GetNumber(), err)
	}
	states := map[int]string{}
	for _, i := range w.fake.Issues("acme", "api") {
		states[i.Number] = i.State
	}
	if states[1] != "open" || states[2] != "closed" {
		t.Errorf("want #1 open and #2 closed, got %v", states)
	}
}

func TestCheckRunButtonIsRemovedWhenItNoLongerApplies(t *testing.T) {
	w := newDiscWorld(t, false)
	ctx := context.Background()
	sha := w.fake.Commit("acme", "api", "main", githubfake.CommitSpec{Message: "x", Author: "alice", Files: map[string]string{"a": "b"}})
	cr := gh.CheckRun{Name: "Decision record", HeadSHA: sha, Conclusion: "action_required", Title: "missing", Summary: "s",
		DetailsURL: "https://github.com/acme/api/pull/1", Actions: []gh.Action{{Label: "Skip", Identifier: "skip", Description: "Not needed"}}}
	if _, err := w.client.UpsertCheckRun(ctx, w.repo, cr); err != nil {
		t.Fatal(err)
	}
	cr.Conclusion, cr.Title, cr.Actions = "success", "present", nil
	if out, err := w.client.UpsertCheckRun(ctx, w.repo, cr); err != nil || out != gh.Updated {
		t.Fatalf("update: %v %v", out, err)
	}
	runs := w.fake.CheckRuns("acme", "api")
	if len(runs) != 1 || runs[0].Conclusion != "success" || len(runs[0].Actions) != 0 {
		t.Fatalf("want one success run without buttons, got %+v", runs)
	}
}
