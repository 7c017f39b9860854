package bench

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// IngestLevel is one concurrency level of the ingestion benchmark.
type IngestLevel struct {
	Senders    int
	Sent       int
	Accepted   int // 202
	Refused503 int
	Other      int // any other status or a transport error
	PerSecond  float64
	P50, P99   time.Duration
	Max        time.Duration
	Memory     Memory
	// GitHubCalls is what the app asked of the emulator while these
	// deliveries were handled (after the warm-up: the policies are cached).
	GitHubCalls int
	Span        Span
}

// Ingestion is the door's throughput with the whole app behind it.
type Ingestion struct {
	Repos        int
	PayloadBytes int
	Levels       []IngestLevel
	Profile      string // where the CPU profile went, if one was asked for
	Span         Span
}

// ingestRepos spreads deliveries over repositories (one queue lane each).
const ingestRepos = 16

// runIngestion sends signed pull_request.assigned deliveries on unlabelled
// PRs in repositories without a policy — an event no feature acts on once
// the policy is cached — for d at each concurrency, against every default
// feature and production's queue, and times each delivery to its 202.
func runIngestion(ctx context.Context, d time.Duration, levels []int, cpuProfile string) (*Ingestion, error) {
	res := &Ingestion{Repos: ingestRepos, Span: begin()}
	w, err := startWorld(time.Time{}, nil)
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	var ds []delivery
	for i := range ingestRepos {
		name := fmt.Sprintf("svc-%02d", i)
		w.AddRepo(name, map[string]string{"README.md": "# " + name + "\n", "main.go": "package main\n"})
		w.Fake.Commit(sandbox.Org, name, "typo", githubfake.CommitSpec{Message: "Fix a typo", Author: "alice", Files: map[string]string{"README.md": "# " + name + ".\n"}})
		n := w.Fake.OpenPR(sandbox.Org, name, githubfake.PRSpec{Title: "Fix a typo", Body: "Small fix.", Author: "alice", Head: "typo"})
		p, err := w.PREvent("assigned", name, n)
		if err != nil {
			return nil, err
		}
		// Warm: the installation's token is minted and the policy (none)
		// is cached, as in a running deployment.
		if _, err := w.Send(ctx, "pull_request", "", p); err != nil {
			return nil, fmt.Errorf("warm-up delivery: %w", err)
		}
		ds = append(ds, signed("pull_request", p))
	}
	res.PayloadBytes = len(ds[0].payload)
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
		res.Profile = cpuProfile
	}
	for _, c := range levels {
		w.Fake.ResetCalls()
		lvl, err := ingestLevel(ctx, w, ds, c, d)
		if err != nil {
			return nil, err
		}
		if err := w.WaitIdle(ctx); err != nil {
			return nil, err
		}
		lvl.GitHubCalls = w.Fake.TotalCalls()
		lvl.Memory = ReadMemory()
		lvl.Span.end()
		res.Levels = append(res.Levels, *lvl)
	}
	res.Span.end()
	return res, nil
}

var deliverySeq atomic.Int64

func ingestLevel(ctx context.Context, w *sandbox.World, ds []delivery, senders int, d time.Duration) (*IngestLevel, error) {
	s := newSender(w, senders)
	defer s.close()
	lvl := &IngestLevel{Senders: senders, Span: begin()}
	var mu sync.Mutex
	var lats []time.Duration
	var firstErr error
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := make([]time.Duration, 0, 4096)
			var acc, busy, other int
			for i := g; time.Now().Before(deadline) && ctx.Err() == nil; i += senders {
				t0 := time.Now()
				st, err := s.send(ctx, ds[i%len(ds)], fmt.Sprintf("ingest-%d", deliverySeq.Add(1)))
				mine = append(mine, time.Since(t0))
				switch {
				case err != nil:
					other++
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				case st == http.StatusAccepted:
					acc++
				case st == http.StatusServiceUnavailable:
					busy++
				default:
					other++
				}
			}
			mu.Lock()
			lats = append(lats, mine...)
			lvl.Accepted += acc
			lvl.Refused503 += busy
			lvl.Other += other
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if lvl.Other > 0 && lvl.Accepted == 0 {
		return nil, fmt.Errorf("no delivery accepted at %d senders: %v", senders, firstErr)
	}
	lvl.Sent = len(lats)
	lvl.PerSecond = float64(lvl.Accepted) / elapsed.Seconds()
	slices.Sort(lats)
	lvl.P50, lvl.P99, lvl.Max = quantile(lats, 0.50), quantile(lats, 0.99), lats[len(lats)-1]
	return lvl, nil
}

// quantile of sorted durations (nearest rank).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
