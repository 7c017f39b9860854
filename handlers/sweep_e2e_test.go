package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/handlers/timezones"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

const org = apptest.Org

var tue = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

const policy = `team:
  timezone: Europe/London
  people:
    alice: {timezone: America/New_York}
    bob:   {timezone: Asia/Singapore}
docs:
  sets:
    runbooks: {paths: ["docs/runbooks/**/*.md"], max_age: 90d}
`

// every write GitHub answers 502 to: comments, check runs and issues,
// created, edited or deleted (GraphQL is left alone: it also serves reads).
var writeRoutes = []githubfake.Fault{
	{Method: "POST", Route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"},
	{Method: "POST", Route: "POST /repos/{owner}/{repo}/check-runs"},
	{Method: "POST", Route: "POST /repos/{owner}/{repo}/issues"},
	{Method: "PATCH"},
	{Method: "DELETE"},
}

// A burst of events meets a 502 on every write and its retries are spent;
// one sweep afterwards leaves every outcome those events should have had —
// the Decision record check and prompt, the Overlap config check, the Docs
// freshness check and reminder, the timezone comment — present exactly
// once, and a second sweep writes nothing.
func TestOneSweepRepairsEveryFeatureAfterA502Burst(t *testing.T) {
	h := apptest.New(t, apptest.Options{Now: tue, Configure: func(c *config.Server) { c.Queue.Retries = 0 }})
	h.Fake.AddRepo(h.Installation, org, "api", githubfake.RepoOptions{})
	h.Fake.Commit(org, "api", "main", githubfake.CommitSpec{Message: "start", Author: "carol", Date: tue.AddDate(0, 0, -200), Files: map[string]string{
		".github/overlap.yml":         policy,
		"services/payments/charge.go": "package payments\n",
		"docs/adr/0001-use-go.md":     "# 1. Use Go\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n## Decision\n\nx\n\n## Consequences\n\nx\n",
	}})
	h.Fake.Commit(org, "api", "main", githubfake.CommitSpec{Message: "runbook", Author: "carol", Date: tue.AddDate(0, 0, -100), Files: map[string]string{
		"docs/runbooks/payments.md": "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments\n",
	}})
	h.Fake.Commit(org, "api", "retries", githubfake.CommitSpec{Message: "retries", Author: "alice", Files: map[string]string{
		"services/payments/charge.go": "package payments\n\n// retries\n",
	}})
	decision := h.Fake.OpenPR(org, "api", githubfake.PRSpec{Title: "Retry charges through a queue", Body: "We ship Friday EOD.", Author: "alice", Head: "retries"})
	h.Fake.AddLabels(org, "api", decision, "decision")
	h.Fake.Commit(org, "api", "tune", githubfake.CommitSpec{Message: "policy", Author: "bob", Files: map[string]string{
		".github/overlap.yml": policy + "reviews:\n  enabled: true\n",
	}})
	tune := h.Fake.OpenPR(org, "api", githubfake.PRSpec{Title: "Turn on review norms", Author: "bob", Head: "tune"})

	for _, f := range writeRoutes {
		f.Status = http.StatusBadGateway
		h.Fake.Inject(f)
	}
	labeled, err := h.Builder("api", "alice").PullRequestLabeled("labeled", h.PR("api", decision), "decision")
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range [][]byte{h.PREvent("opened", "api", decision), labeled, h.PREvent("opened", "api", tune), h.PREvent("synchronize", "api", tune)} {
		if st := h.Send("pull_request", ev); st != http.StatusAccepted {
			t.Fatalf("delivery answered %d", st)
		}
	}
	if got := h.Fake.CheckRuns(org, "api"); len(got) != 0 {
		t.Fatalf("checks written despite the fault: %+v", got)
	}
	h.Fake.ClearFaults()

	h.Sweep(tue.Add(15 * time.Minute))

	bot := h.App.BotLogin()
	comments := func(n int, marker string) int {
		c := 0
		for _, cm := range h.Fake.Comments(org, "api", n) {
			if cm.Author == bot && strings.HasPrefix(cm.Body, marker) {
				c++
			}
		}
		return c
	}
	checks := func(n int, name string) []githubfake.CheckRunInfo {
		var out []githubfake.CheckRunInfo
		head := h.PR("api", n).HeadSHA
		for _, r := range h.Fake.CheckRuns(org, "api") {
			if r.HeadSHA == head && r.Name == name {
				out = append(out, r)
			}
		}
		return out
	}
	for _, want := range []struct {
		what       string
		pr         int
		check      string
		conclusion string
	}{
		{"decision record", decision, adr.CheckName, "action_required"},
		{"docs freshness", decision, docs.CheckName, "neutral"},
		{"overlap config", tune, configcheck.CheckName, "success"},
	} {
		got := checks(want.pr, want.check)
		if len(got) != 1 || got[0].Conclusion != want.conclusion {
			t.Errorf("%s: want one %s check on #%d, got %+v", want.what, want.conclusion, want.pr, got)
		}
	}
	for _, want := range []struct {
		what   string
		marker string
	}{
		{"decision record prompt", adr.Marker},
		{"docs reminder", docs.MarkerPR},
		{"timezone comment", timezones.Marker},
	} {
		if got := comments(decision, want.marker); got != 1 {
			t.Errorf("%s: %d on #%d, want 1", want.what, got, decision)
		}
	}

	h.ResetCounts()
	h.Sweep(tue.Add(30 * time.Minute))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("a second sweep wrote %v", w)
	}
	t.Logf("second sweep, every feature, 2 open PRs: %d calls %v", h.Calls.Total(), h.Calls.Calls())
}
