// Package bench measures Overlap end to end, the real app against the
// emulator (internal/githubfake) on loopback in one process: the webhook
// door's throughput and latency, the API cost of each feature's main
// event, a burst at slow GitHub latency, and sweep scaling. `overlap bench`
// runs it and writes the report into docs/performance.md.
package bench

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Options shape a run.
type Options struct {
	// Quick is the short run the tests use: shorter ingestion levels, a
	// smaller burst and sweeps over 10 and 100 repositories only.
	Quick bool
	// CPUProfile, when set, receives a CPU profile of the ingestion levels.
	CPUProfile string
	// Only names the parts to run (ingestion, economy, burst, sweeps);
	// none means all. A partial report is for looking at, not for the docs.
	Only []string
	// Progress is told what is being measured (nil: nothing).
	Progress func(format string, args ...any)
}

// Report is one run's figures.
type Report struct {
	Quick     bool
	Machine   Machine
	Span      Span
	Ingestion *Ingestion
	Economy   *Economy
	Burst     *Burst
	Sweeps    *Sweeps
}

// Run measures everything, in order, in one process.
func Run(ctx context.Context, o Options) (*Report, error) {
	say := o.Progress
	if say == nil {
		say = func(string, ...any) {}
	}
	r := &Report{Quick: o.Quick, Machine: ThisMachine(), Span: begin()}
	levelTime, burst, sizes, measured := 5*time.Second, 3000, []int{10, 100, 1000}, 100
	if o.Quick {
		levelTime, burst, sizes, measured = 500*time.Millisecond, 600, []int{10, 100}, 10
	}
	want := func(part string) bool { return len(o.Only) == 0 || slices.Contains(o.Only, part) }
	var err error
	if want("ingestion") {
		say("ingestion: signed pull_request deliveries at 1, 16 and 64 senders, %s each", levelTime)
		if r.Ingestion, err = runIngestion(ctx, levelTime, []int{1, 16, 64}, o.CPUProfile); err != nil {
			return nil, fmt.Errorf("ingestion: %w", err)
		}
	}
	if want("economy") {
		say("API economy: each feature's main event on a fresh installation")
		if r.Economy, err = runEconomy(ctx); err != nil {
			return nil, fmt.Errorf("API economy: %w", err)
		}
	}
	if want("burst") {
		say("burst: %d deliveries from 32 senders at 300 ms GitHub latency", burst)
		if r.Burst, err = runBurst(ctx, burst, 32, 300*time.Millisecond); err != nil {
			return nil, fmt.Errorf("burst: %w", err)
		}
	}
	if want("sweeps") {
		say("sweep scaling over %v repositories at 50 ms GitHub latency", sizes)
		if r.Sweeps, err = runSweeps(ctx, sizes, 50*time.Millisecond, measured, say); err != nil {
			return nil, fmt.Errorf("sweep scaling: %w", err)
		}
	}
	r.Span.end()
	return r, nil
}
