package handlers_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// scopedSweeper is a feature whose sweep runs with a pinned scope, as the
// app sets env.Scope before each feature's sweep.
type scopedSweeper struct {
	handlers.Feature
	scope *handlers.SweepScope
}

func (s scopedSweeper) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	env.Scope = *s.scope
	return s.Feature.(handlers.Sweeper).Sweep(ctx, env, repo)
}

// TestSweepCostPerFeature measures each feature's repair sweep on one
// repository with 150 open PRs (every one changing code a stale runbook
// covers, one in ten with a deadline in its body, five labelled as
// decisions, one changing the policy), once converged: a full sweep, and a
// scoped one where 10 PRs were updated since the watermark. The figures are
// those of docs/operations.md, "Repair paths".
func TestSweepCostPerFeature(t *testing.T) {
	if testing.Short() {
		t.Skip("measures 150 PRs")
	}
	scope := &handlers.SweepScope{}
	var features []handlers.Feature
	for _, f := range app.DefaultFeatures() {
		if _, ok := f.(handlers.Sweeper); ok {
			f = scopedSweeper{Feature: f, scope: scope}
		}
		features = append(features, f)
	}
	start := tue.Add(-300 * time.Hour)
	h := apptest.New(t, apptest.Options{Now: start, Features: features, Configure: func(c *config.Server) { c.Queue.Retries = 0 }})
	h.Fake.AddRepo(h.Installation, org, "api", githubfake.RepoOptions{HasDiscussions: true})
	h.Fake.Commit(org, "api", "main", githubfake.CommitSpec{Message: "start", Author: "carol", Date: tue.AddDate(0, 0, -200), Files: map[string]string{
		".github/overlap.yml":         policy,
		"services/payments/charge.go": "package payments\n",
	}})
	h.Fake.Commit(org, "api", "main", githubfake.CommitSpec{Message: "runbook", Author: "carol", Date: tue.AddDate(0, 0, -100), Files: map[string]string{
		"docs/runbooks/payments.md": "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments\n",
	}})
	const n = 150
	for i := 0; i < n; i++ {
		at := start.Add(time.Duration(i) * time.Hour)
		h.Clock.Set(at)
		branch := fmt.Sprintf("topic-%03d", i)
		files := map[string]string{"services/payments/charge.go": fmt.Sprintf("package payments // %d\n", i)}
		if i == 0 {
			files[".github/overlap.yml"] = policy + "reviews:\n  enabled: true\n"
		}
		h.Fake.Commit(org, "api", branch, githubfake.CommitSpec{Message: "change", Author: "alice", Date: at, Files: files})
		body := "A change."
		if i%10 == 0 {
			body = "We ship Friday EOD."
		}
		var labels []string
		if i%30 == 0 {
			labels = []string{"decision"}
		}
		h.Fake.OpenPR(org, "api", githubfake.PRSpec{Title: fmt.Sprintf("Change %d", i), Body: body, Author: "alice", Head: branch, Labels: labels, CreatedAt: at})
	}
	at := tue
	h.Sweep(at) // converge (its writes move every PR's updatedAt to tue)
	// An hour later people comment on 10 PRs: those are what a scoped sweep
	// whose watermark is after the converging sweep reconciles.
	at = at.Add(time.Hour)
	h.Clock.Set(at)
	for pr := 141; pr <= 150; pr++ {
		h.Fake.AddComment(org, "api", pr, "bob", "Looks fine.")
	}
	window := handlers.SweepScope{Since: at.Add(-time.Minute)}
	type row struct {
		feature           string
		full, scoped      int
		fullGQL, scopeGQL int
	}
	var rows []row
	for _, f := range []string{"adr", "configcheck", "docs", "timezones", "reviews", ""} {
		measure := func(s handlers.SweepScope) (int, int) {
			*scope = s
			at = at.Add(15 * time.Minute)
			h.ResetCounts()
			if f == "" {
				h.Sweep(at) // every feature, sharing one Env
			} else {
				h.Sweep(at, f)
			}
			if w := h.Writes(); len(w) != 0 {
				t.Errorf("%s: a sweep of a converged repository wrote %v", f, w)
			}
			calls := 0
			for route, c := range h.Calls.Calls() {
				if !strings.Contains(route, "/app/") && !strings.HasSuffix(route, "/app") && !strings.Contains(route, "/installation/") {
					calls += c
				}
			}
			return calls, h.Calls.Calls()["POST /graphql"]
		}
		full, fullGQL := measure(handlers.SweepScope{})
		scoped, scopedGQL := measure(window)
		if f == "" {
			f = "all together"
		}
		rows = append(rows, row{f, full, scoped, fullGQL, scopedGQL})
	}
	// Together the features share the listing, the files and the comment
	// listings: per PR in scope its files, its comments, the Docs freshness
	// check lookup and its reviews (timezones); the rest is per repository.
	if all := rows[len(rows)-1]; all.scoped > 16+4*10 {
		t.Errorf("a scoped sweep of every feature made %d calls for 10 PRs in scope, want ≤ 16 + 4 per PR", all.scoped)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].feature < rows[j].feature })
	for _, r := range rows {
		t.Logf("%-12s full sweep: %4d calls (%3d GraphQL)   10 PRs in scope: %4d calls (%3d GraphQL)", r.feature, r.full, r.fullGQL, r.scoped, r.scopeGQL)
	}
}
