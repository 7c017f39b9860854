package bench

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// Burst is the burst: deliveries from many senders at once while
// GitHub answers slowly.
type Burst struct {
	Deliveries, Senders int
	Latency             time.Duration
	Workers, QueueSize  int
	Accepted            int
	Refused503, Other   int
	// SendTime is from the first delivery to the last 202; Drain from the
	// last 202 until the queue was empty and no worker busy.
	SendTime, Drain time.Duration
	PeakDepth       int // overlap_queue_depth, sampled every 5 ms
	GitHubCalls     int
	// Outcomes counts the labelled PRs whose ADR prompt and Decision
	// record check are each present exactly once afterwards.
	Outcomes, Expected int
	Span               Span
}

// runBurst replays TestBurstOf3000DeliveriesAt300msIsAbsorbed with timing:
// five decision PRs are labelled (warm), then total deliveries from senders
// goroutines — pull_request.assigned on an unlabelled PR, with a
// redelivery of a labelled event every 600 — while every API request takes
// latency.
func runBurst(ctx context.Context, total, senders int, latency time.Duration) (*Burst, error) {
	res := &Burst{Deliveries: total, Senders: senders, Latency: latency, Span: begin()}
	w, err := startWorld(time.Time{}, nil)
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	res.Workers, res.QueueSize = w.Config.Queue.Workers, w.Config.Queue.Size
	w.AddRepo("api", map[string]string{"README.md": "# api\n", "docs/adr/0001-record-things.md": adrRecord(1, "Record things")})
	var prs []int
	var labeled []delivery
	for i := range 5 {
		n := openPR(w, "api", fmt.Sprintf("change-%d", i), fmt.Sprintf("Use store %d", i), "", "alice",
			map[string]string{"main.go": fmt.Sprintf("package main // %d\n", i)}, "decision")
		h, err := labeledHook(w, "api", n, "alice", "decision")
		if err != nil {
			return nil, err
		}
		if _, err := w.Send(ctx, h.event, "", h.payload); err != nil {
			return nil, err
		}
		prs = append(prs, n)
		labeled = append(labeled, signed(h.event, h.payload))
	}
	plain := openPR(w, "api", "typo", "Fix a typo", "", "alice", map[string]string{"README.md": "# API\n"})
	h, err := prHook(w, "assigned", "api", plain)
	if err != nil {
		return nil, err
	}
	noop := signed(h.event, h.payload)

	w.Fake.SetLatency(latency)
	w.Fake.ResetCalls()
	var peak atomic.Int64
	stopSampling := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			if d := queueDepth(w); d > peak.Load() {
				peak.Store(d)
			}
			select {
			case <-stopSampling:
				return
			case <-t.C:
			}
		}
	}()
	s := newSender(w, senders)
	defer s.close()
	var accepted, busy, other atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < total; i += senders {
				d := noop
				if i%600 == 0 {
					d = labeled[(i/600)%len(labeled)]
				}
				st, err := s.send(ctx, d, fmt.Sprintf("burst-%d", i))
				switch {
				case err != nil:
					other.Add(1)
				case st == http.StatusAccepted:
					accepted.Add(1)
				case st == http.StatusServiceUnavailable:
					busy.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	res.SendTime = time.Since(start)
	acked := time.Now()
	idleCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	err = w.App.WaitIdle(idleCtx)
	res.Drain = time.Since(acked)
	close(stopSampling)
	<-sampled
	if err != nil {
		return nil, fmt.Errorf("burst did not drain: %w", err)
	}
	w.Fake.SetLatency(0)
	res.Accepted, res.Refused503, res.Other = int(accepted.Load()), int(busy.Load()), int(other.Load())
	res.PeakDepth = int(peak.Load())
	res.GitHubCalls = w.Fake.TotalCalls()
	res.Expected = len(prs)
	for _, n := range prs {
		if adrOutcome(w, n) {
			res.Outcomes++
		}
	}
	res.Span.end()
	return res, nil
}

// queueDepth reads overlap_queue_depth from the app's registry.
func queueDepth(w *sandbox.World) int64 {
	mfs, err := w.App.Metrics().Registry.Gather()
	if err != nil {
		return 0
	}
	for _, mf := range mfs {
		if mf.GetName() == "overlap_queue_depth" && len(mf.GetMetric()) > 0 {
			return int64(mf.GetMetric()[0].GetGauge().GetValue())
		}
	}
	return 0
}

// adrOutcome: PR n carries exactly one ADR prompt and one Decision record
// check on its head.
func adrOutcome(w *sandbox.World, n int) bool {
	var stickies, checks int
	for _, c := range w.Fake.Comments(sandbox.Org, "api", n) {
		if c.Author == w.App.BotLogin() && gh.HasMarker(c.Body, adr.Marker) {
			stickies++
		}
	}
	info, _ := w.Fake.PR(sandbox.Org, "api", n)
	for _, r := range w.Fake.CheckRuns(sandbox.Org, "api") {
		if r.Name == adr.CheckName && r.HeadSHA == info.HeadSHA {
			checks++
		}
	}
	return stickies == 1 && checks == 1
}
