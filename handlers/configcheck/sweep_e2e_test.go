package configcheck_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

var sweepNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// newSweepWorld runs the config check alone, with no event retries: whatever
// the event could not write is left to the sweep.
func newSweepWorld(t *testing.T, features ...handlers.Feature) *apptest.Harness {
	t.Helper()
	if len(features) == 0 {
		features = []handlers.Feature{configcheck.Feature{}}
	}
	h := apptest.New(t, apptest.Options{Features: features, Now: sweepNow,
		Configure: func(c *config.Server) { c.Queue.Retries = 0 }})
	h.AddRepo("api", map[string]string{".github/overlap.yml": "team:\n  timezone: Europe/London\n", "main.go": "package main\n"})
	return h
}

// openPolicyPR opens a PR proposing a broken policy file (nothing is
// delivered).
func openPolicyPR(h *apptest.Harness, branch string) int {
	h.T.Helper()
	h.Fake.Commit(apptest.Org, "api", branch, githubfake.CommitSpec{Message: "policy", Author: "alice",
		Files: map[string]string{".github/overlap.yml": "team:\n  timezone: Europe/London\nbogus: 1\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Tune the policy", Author: "alice", Head: branch})
	if n == 0 {
		h.T.Fatal("could not open the PR")
	}
	return n
}

func configChecks(h *apptest.Harness, n int) []githubfake.CheckRunInfo {
	head := h.PR("api", n).HeadSHA
	var out []githubfake.CheckRunInfo
	for _, r := range h.Fake.CheckRuns(apptest.Org, "api") {
		if r.Name == configcheck.CheckName && r.HeadSHA == head {
			out = append(out, r)
		}
	}
	return out
}

// checkWritesFail makes GitHub answer 502 to every check-run write until
// ClearFaults.
func checkWritesFail(h *apptest.Harness) {
	h.Fake.Inject(githubfake.Fault{Method: "POST", Route: "POST /repos/{owner}/{repo}/check-runs", Status: http.StatusBadGateway})
	h.Fake.Inject(githubfake.Fault{Method: "PATCH", Route: "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", Status: http.StatusBadGateway})
}

// A check the event could not write (GitHub answered 502 to the write and
// the retries are spent) is written by the next sweep, once; the sweep
// after that reads and writes nothing.
func TestSweepWritesTheConfigCheckAFaultKeptFromAnEvent(t *testing.T) {
	h := newSweepWorld(t)
	n := openPolicyPR(h, "tune")
	checkWritesFail(h)
	h.Send("pull_request", h.PREvent("opened", "api", n))
	if got := configChecks(h, n); len(got) != 0 {
		t.Fatalf("the check was written despite the fault: %+v", got)
	}
	h.Fake.ClearFaults()

	h.Sweep(sweepNow.Add(15 * time.Minute))
	got := configChecks(h, n)
	if len(got) != 1 || got[0].Conclusion != "failure" || len(got[0].Annotations) == 0 {
		t.Fatalf("after the sweep: want one failing check with annotations, got %+v", got)
	}

	h.ResetCounts()
	h.Sweep(sweepNow.Add(30 * time.Minute))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("a second sweep wrote %v", w)
	}
	// The shared open-PR listing and the PR's snapshot (its files and the
	// check lookup, in one GraphQL request), its head policy file; the
	// base policy is a conditional read.
	calls := h.Calls.Calls()
	if calls["POST /graphql"] != 2 || calls["GET /repos/{owner}/{repo}/pulls/{n}/files"] != 0 || calls["GET /repos/{owner}/{repo}/commits/{sha}/check-runs"] != 0 {
		t.Errorf("second sweep: %v", calls)
	}
}

// The sweep converges on what the event writes: after an event that
// succeeded, a sweep writes nothing; a PR that does not touch the policy
// costs one file listing and gets no check.
func TestSweepAfterASuccessfulEventWritesNothing(t *testing.T) {
	h := newSweepWorld(t)
	n := openPolicyPR(h, "tune")
	h.Fake.Commit(apptest.Org, "api", "plain", githubfake.CommitSpec{Message: "code", Author: "bob", Files: map[string]string{"main.go": "package main // x\n"}})
	plain := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Code", Author: "bob", Head: "plain"})
	h.Send("pull_request", h.PREvent("opened", "api", n))
	before := configChecks(h, n)
	if len(before) != 1 {
		t.Fatalf("event: %+v", before)
	}
	h.ResetCounts()
	h.Sweep(sweepNow.Add(15 * time.Minute))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("the sweep rewrote what the event wrote: %v", w)
	}
	if got := configChecks(h, plain); len(got) != 0 {
		t.Errorf("a PR that does not touch the policy got a check: %+v", got)
	}
}

// scoped is the config check with a sweep scope pinned, as the app sets
// env.Scope before each feature's sweep.
type scoped struct {
	configcheck.Feature
	scope handlers.SweepScope
}

func (s scoped) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	env.Scope = s.scope
	return s.Feature.Sweep(ctx, env, repo)
}

// A scoped sweep reconciles the PRs updated since the watermark and the
// dirty ones, and reads nothing of the others.
func TestScopedSweepReadsOnlyWhatMayHaveMissedAnEvent(t *testing.T) {
	for _, tc := range []struct {
		name      string
		since     time.Time
		dirty     []int
		wantCheck bool
		wantFiles int
	}{
		{"updated inside the window", sweepNow.Add(-time.Hour), nil, true, 1},
		{"older than the window", sweepNow.Add(time.Hour), nil, false, 0},
		{"older than the window but dirty", sweepNow.Add(time.Hour), []int{1}, true, 1},
		{"full sweep", time.Time{}, nil, true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newSweepWorld(t, scoped{scope: handlers.SweepScope{Since: tc.since, Dirty: tc.dirty}})
			n := openPolicyPR(h, "tune") // updated at sweepNow
			if n != 1 {
				t.Fatalf("PR number %d, the table assumes 1", n)
			}
			h.ResetCounts()
			h.Sweep(sweepNow.Add(2 * time.Hour))
			if got := len(configChecks(h, n)) == 1; got != tc.wantCheck {
				t.Errorf("check written: %v, want %v", got, tc.wantCheck)
			}
			// The PR's files come with its snapshot: one GraphQL request
			// besides the shared open-PR listing.
			if got := h.Calls.Calls()["POST /graphql"] - 1; got != tc.wantFiles {
				t.Errorf("file reads (PR snapshots): %d, want %d (%v)", got, tc.wantFiles, h.Calls.Calls())
			}
		})
	}
}

// A PR based on another branch is judged by that branch's policy, as its
// events are: a broken policy there gives the PR a neutral check even
// though the default branch's policy is fine.
func TestSweepJudgesAPRByItsBaseBranchPolicy(t *testing.T) {
	h := newSweepWorld(t)
	h.Fake.Commit(apptest.Org, "api", "release", githubfake.CommitSpec{Message: "broken policy", Author: "alice",
		Files: map[string]string{".github/overlap.yml": "adr:\n  enabled: maybe\n"}})
	h.Fake.Commit(apptest.Org, "api", "fix", githubfake.CommitSpec{Message: "fix", Author: "alice", Files: map[string]string{"main.go": "package main // fix\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Backport", Author: "alice", Head: "fix", Base: "release"})
	h.Sweep(sweepNow.Add(15 * time.Minute))
	got := configChecks(h, n)
	if len(got) != 1 || got[0].Conclusion != "neutral" {
		t.Fatalf("want one neutral check from the release branch's broken policy, got %+v", got)
	}
	h.ResetCounts()
	h.Send("pull_request", h.PREvent("synchronize", "api", n))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("the event disagrees with the sweep: wrote %v", w)
	}

}
