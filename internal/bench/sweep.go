package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// reposPerInstallation splits large sizes over installations: one
// installation's hourly budget (5,000 requests on the emulator, 12,500 at
// most on GitHub) cannot pay for two sweeps of 1,000 repositories.
const reposPerInstallation = 100

// SweepRun is one full sweep of every feature over an installation.
type SweepRun struct {
	Repos     int
	First     SweepCost // the first sweep after start: converges (writes)
	Quiet     SweepCost // the next one: nothing changed
	SetupTime time.Duration
	// Latency is what every request took in the quiet sweep; when it is
	// 0 (sizes past Sweeps.MeasuredUpTo, to keep the run short) the wall
	// time at Sweeps.Latency is Projected: the quiet sweep's own wall time
	// plus its requests × Sweeps.Latency (the sweep is sequential).
	Latency   time.Duration
	Projected time.Duration
	Span      Span
}

// SweepCost is one sweep pass.
type SweepCost struct {
	Cost
	Wall time.Duration
}

// Sweeps is sweep scaling over installations of growing size.
type Sweeps struct {
	Latency time.Duration
	// DocsPerRepo and PRsPerRepo describe every repository.
	DocsPerRepo, PRsPerRepo int
	// MeasuredUpTo is the largest size whose quiet sweep ran at Latency.
	MeasuredUpTo int
	Runs         []SweepRun
	Span         Span
}

func runSweeps(ctx context.Context, sizes []int, latency time.Duration, measuredUpTo int, progress func(string, ...any)) (*Sweeps, error) {
	res := &Sweeps{Latency: latency, DocsPerRepo: 2, PRsPerRepo: 2, MeasuredUpTo: measuredUpTo, Span: begin()}
	for _, n := range sizes {
		lat := latency
		if n > measuredUpTo {
			lat = 0
		}
		run, err := sweepOf(ctx, n, lat)
		if err != nil {
			return nil, fmt.Errorf("%d repositories: %w", n, err)
		}
		if lat == 0 {
			run.Projected = run.Quiet.Wall + time.Duration(run.Quiet.Requests)*latency
		}
		progress("  sweep over %d repositories: first %s, quiet %s (latency %s)", n, run.First.Wall.Round(time.Millisecond), run.Quiet.Wall.Round(time.Millisecond), lat)
		res.Runs = append(res.Runs, *run)
	}
	res.Span.end()
	return res, nil
}

// sweepOf builds an installation of n repositories — each with a policy
// naming a runbook set, two runbooks (one past its review age), and two
// open PRs (one changing code the stale runbook covers, one with a
// deadline without a timezone in its body) — and times two full sweeps of
// every feature: the first (which converges) without latency, since its
// counts do not depend on it, then the quiet one with every API request
// delayed by latency.
func sweepOf(ctx context.Context, n int, latency time.Duration) (*SweepRun, error) {
	run := &SweepRun{Repos: n, Latency: latency, Span: begin()}
	w, err := startWorld(time.Time{}, nil)
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	now := w.Clock.Now()
	setup := time.Now()
	inst, org := w.Installation, sandbox.Org
	for i := range n {
		if i > 0 && i%reposPerInstallation == 0 {
			org = fmt.Sprintf("%s-%d", sandbox.Org, i/reposPerInstallation)
			inst = w.Fake.AddInstallation(org, "Organization")
		}
		name := fmt.Sprintf("repo-%04d", i)
		w.Fake.AddRepo(inst, org, name, githubfake.RepoOptions{HasDiscussions: true})
		w.Fake.Commit(org, name, "main", githubfake.CommitSpec{Message: "Start", Author: "carol", Date: now.AddDate(0, 0, -200), Files: map[string]string{
			".github/overlap.yml":         docsPolicy,
			"services/payments/charge.go": "package payments\n",
			"docs/runbooks/payments.md":   "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments outage\n\nRestart the charge worker.\n",
		}})
		w.Fake.Commit(org, name, "main", githubfake.CommitSpec{Message: "Auth runbook", Author: "alice", Date: now.AddDate(0, 0, -5), Files: map[string]string{
			"docs/runbooks/auth.md": "# Auth outage\n\nRotate the keys.\n",
		}})
		w.Fake.Commit(org, name, "retries", githubfake.CommitSpec{Message: "Retry charges", Author: "bob", Date: now.Add(-time.Hour), Files: map[string]string{
			"services/payments/charge.go": "package payments // retries\n",
		}})
		w.Fake.OpenPR(org, name, githubfake.PRSpec{Title: "Retry failed charges", Body: "Retries with backoff.", Author: "bob", Head: "retries"})
		w.Fake.Commit(org, name, "copy", githubfake.CommitSpec{Message: "Launch copy", Author: "carol", Date: now.Add(-time.Hour), Files: map[string]string{
			"index.md": "# Launch\n",
		}})
		w.Fake.OpenPR(org, name, githubfake.PRSpec{Title: "Launch page copy", Body: "We ship Friday EOD.", Author: "carol", Head: "copy"})
	}
	run.SetupTime = time.Since(setup)
	sweep := func(at time.Time) (SweepCost, error) {
		w.Fake.ResetCalls()
		t0 := time.Now()
		err := w.Sweep(ctx, at)
		c := SweepCost{Wall: time.Since(t0)}
		c.Cost = tally(w.Fake)
		return c, err
	}
	if run.First, err = sweep(now); err != nil {
		return nil, fmt.Errorf("first sweep: %w", err)
	}
	w.Fake.SetLatency(latency)
	if run.Quiet, err = sweep(now.Add(15 * time.Minute)); err != nil {
		return nil, fmt.Errorf("quiet sweep: %w", err)
	}
	w.Fake.SetLatency(0)
	run.Span.end()
	return run, nil
}
