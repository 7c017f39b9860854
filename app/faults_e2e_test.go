package app_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// faultWorld is the whole app (every feature) on a repository with a few
// decision records, where labelled PRs ask for a record.
type faultWorld struct {
	*apptest.Harness
	t *testing.T
}

func newFaultWorld(t *testing.T, configure func(*config.Server)) *faultWorld {
	t.Helper()
	h := apptest.New(t, apptest.Options{Configure: configure})
	h.AddRepo("api", map[string]string{
		"README.md":                      "# api\n",
		"docs/adr/0001-record-things.md": "# 1. Record things\n\nDate: 2026-11-01\n\n## Status\n\nAccepted\n\n## Context\n\nWe forget.\n\n## Decision\n\nWe write it down.\n\n## Consequences\n\nWe remember.\n",
	})
	return &faultWorld{Harness: h, t: t}
}

// decisionPR opens a PR labelled "decision" and delivers the label.
func (w *faultWorld) decisionPR(i int) int {
	w.t.Helper()
	branch := fmt.Sprintf("change-%d", i)
	w.Fake.Commit(apptest.Org, "api", branch, githubfake.CommitSpec{Message: "change", Author: "alice", Files: map[string]string{"main.go": "package main // " + branch + "\n"}})
	n := w.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: fmt.Sprintf("Use store %d", i), Author: "alice", Head: branch, Labels: []string{"decision"}})
	payload, err := w.Builder("api", "alice").PullRequestLabeled("labeled", w.PR("api", n), "decision")
	if err != nil {
		w.t.Fatal(err)
	}
	if st := w.Send("pull_request", payload); st != http.StatusAccepted {
		w.t.Fatalf("labeled #%d: status %d", n, st)
	}
	return n
}

// assertOutcome checks that PR n carries exactly one ADR prompt and one
// current Decision record check.
func (w *faultWorld) assertOutcome(n int) {
	w.t.Helper()
	var stickies int
	for _, c := range w.Fake.Comments(apptest.Org, "api", n) {
		if c.Author == w.App.BotLogin() && gh.HasMarker(c.Body, adr.Marker) {
			stickies++
		}
	}
	head := w.PR("api", n).HeadSHA
	var checks int
	for _, r := range w.Fake.CheckRuns(apptest.Org, "api") {
		if r.Name == adr.CheckName && r.HeadSHA == head {
			checks++
		}
	}
	if stickies != 1 || checks != 1 {
		w.t.Errorf("#%d: %d ADR comments and %d Decision record checks, want exactly 1 and 1", n, stickies, checks)
	}
}

func (w *faultWorld) assertNoRequestInAWindow() {
	w.t.Helper()
	if v := w.Fake.RateLimitViolations(); len(v) > 0 {
		w.t.Errorf("%d requests reached GitHub inside a Retry-After window, first: %+v", len(v), v[0])
	}
}

// A burst of 502s on writes loses nothing: every event is run again
// (its failed features only) until its writes land, once each.
func TestWriteBurstOf502sLosesNoOutcome(t *testing.T) {
	w := newFaultWorld(t, nil)
	for _, m := range []string{"POST", "PATCH"} {
		w.Fake.Inject(githubfake.Fault{Method: m, Status: http.StatusBadGateway, Times: 6})
	}
	var prs []int
	for i := range 6 {
		prs = append(prs, w.decisionPR(i))
	}
	w.WaitIdle()
	for _, n := range prs {
		w.assertOutcome(n)
	}
}

// A write GitHub applied but answered 502 is observed again before it is
// repeated: one comment, and the check still written.
func TestWriteAppliedThen502IsNotDuplicated(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.Fake.Inject(githubfake.Fault{Method: "POST", Route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
		Status: http.StatusBadGateway, AfterApply: true, Times: 1})
	n := w.decisionPR(1)
	w.WaitIdle()
	w.assertOutcome(n)
}

// A secondary rate limit pauses the installation: events in the window
// wait rather than fail, no request reaches GitHub inside it, and every
// outcome arrives once the window has passed.
func TestSecondaryRateLimitPausesTheInstallationAndLosesNothing(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.Fake.Inject(githubfake.Fault{Method: "POST", Route: "POST /repos/{owner}/{repo}/check-runs",
		Status: http.StatusForbidden, RetryAfter: 2 * time.Second, Times: 1})
	var prs []int
	for i := range 6 {
		prs = append(prs, w.decisionPR(i))
	}
	w.WaitIdle()
	for _, n := range prs {
		w.assertOutcome(n)
	}
	w.assertNoRequestInAWindow()
}

// A 429 with Retry-After on a read is honoured the same way.
func TestTooManyRequestsRetryAfterIsHonoured(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.Fake.Inject(githubfake.Fault{Method: "GET", Status: http.StatusTooManyRequests, RetryAfter: time.Second, Times: 1})
	var prs []int
	for i := range 3 {
		prs = append(prs, w.decisionPR(i))
	}
	w.WaitIdle()
	for _, n := range prs {
		w.assertOutcome(n)
	}
	w.assertNoRequestInAWindow()
}

// When GitHub keeps failing past every retry, the repository is marked
// dirty and the repair sweep restores the outcome once GitHub is back.
func TestEventFailingEveryRetryIsRepairedBySweep(t *testing.T) {
	w := newFaultWorld(t, func(c *config.Server) { c.Queue.Retries = 1 })
	w.Fake.Inject(githubfake.Fault{Method: "POST", Status: http.StatusServiceUnavailable})
	n := w.decisionPR(1)
	w.WaitIdle()
	if got := metric(t, w.URL, "overlap_dirty_repositories"); got != 1 {
		t.Fatalf("overlap_dirty_repositories = %v after an event failed every retry, want 1", got)
	}
	w.Fake.ClearFaults()
	w.Sweep(w.Clock.Now())
	w.assertOutcome(n)
	if got := metric(t, w.URL, "overlap_dirty_repositories"); got != 0 {
		t.Errorf("overlap_dirty_repositories = %v after the sweep, want 0", got)
	}
}

// A revoked installation's events are not retried forever: GitHub's 401
// will not change, so they are given up at once.
func TestRevokedInstallationIsNotRetried(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.Fake.Revoke(w.Installation)
	w.decisionPR(1)
	w.WaitIdle()
	if got := metric(t, w.URL, "overlap_queue_retries_total"); got != 0 {
		t.Errorf("overlap_queue_retries_total = %v for a revoked installation, want 0", got)
	}
}

// An event no feature acts on costs no GitHub call once the repository's
// policy is cached and the installation has a token.
func TestNoOpEventCostsNoCallOnceThePolicyIsCached(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.Fake.Commit(apptest.Org, "api", "typo", githubfake.CommitSpec{Message: "typo", Author: "alice", Files: map[string]string{"README.md": "# API\n"}})
	n := w.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Fix a typo", Author: "alice", Head: "typo"})
	w.Send("pull_request", w.PREvent("assigned", "api", n))
	w.ResetCounts()
	for range 5 {
		w.Send("pull_request", w.PREvent("assigned", "api", n))
	}
	if got := w.Calls.Total(); got != 0 {
		t.Errorf("5 assigned events on an unlabelled PR cost %d GitHub calls, want 0: %v", got, w.Calls.Calls())
	}
}

// A burst of 3,000 signed deliveries from 32 senders while GitHub answers
// in 300 ms is absorbed: none is refused, and every outcome arrives.
func TestBurstOf3000DeliveriesAt300msIsAbsorbed(t *testing.T) {
	if testing.Short() {
		t.Skip("burst test")
	}
	w := newFaultWorld(t, func(c *config.Server) { c.Queue.Workers = 32 })
	var prs []int
	for i := range 5 {
		prs = append(prs, w.decisionPR(i))
	}
	w.Fake.Commit(apptest.Org, "api", "typo", githubfake.CommitSpec{Message: "typo", Author: "alice", Files: map[string]string{"README.md": "# API\n"}})
	plain := w.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Fix a typo", Author: "alice", Head: "typo"})
	noop := w.PREvent("assigned", "api", plain)
	labeled := make([][]byte, len(prs))
	for i, n := range prs {
		p, err := w.Builder("api", "alice").PullRequestLabeled("labeled", w.PR("api", n), "decision")
		if err != nil {
			t.Fatal(err)
		}
		labeled[i] = p
	}
	w.Fake.SetLatency(300 * time.Millisecond)
	s := webhook.Sender{URL: w.URL + "/api/github/hook", Secret: apptest.Secret}
	const total, senders = 3000, 32
	statuses := make(chan int, total)
	var wg sync.WaitGroup
	for g := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < total; i += senders {
				payload := noop
				if i%600 == 0 { // redeliveries of the labelled events, mixed in
					payload = labeled[(i/600)%len(labeled)]
				}
				st, _, err := s.Send(context.Background(), "pull_request", fmt.Sprintf("burst-%d", i), payload)
				if err != nil {
					t.Error(err)
					return
				}
				statuses <- st
			}
		}()
	}
	wg.Wait()
	close(statuses)
	refused := map[int]int{}
	for st := range statuses {
		if st != http.StatusAccepted {
			refused[st]++
		}
	}
	if len(refused) > 0 {
		t.Errorf("deliveries not accepted, by status: %v", refused)
	}
	w.WaitIdle()
	w.Fake.SetLatency(0)
	for _, n := range prs {
		w.assertOutcome(n)
	}
}

// slowProbe counts the deliveries it handled, by delivery id, and takes a
// little time over each, like a feature waiting on GitHub.
type slowProbe struct {
	mu   sync.Mutex
	seen map[string]int
}

func (p *slowProbe) Name() string     { return "slow-probe" }
func (p *slowProbe) Events() []string { return []string{"issues"} }
func (p *slowProbe) Handle(ctx context.Context, _ *handlers.Env, ev *handlers.Event) error {
	select {
	case <-time.After(2 * time.Millisecond):
	case <-ctx.Done():
		return ctx.Err()
	}
	p.mu.Lock()
	p.seen[ev.DeliveryID]++
	p.mu.Unlock()
	return nil
}

// SIGTERM in the middle of a burst: every delivery answered 202 is handled
// exactly once before the process exits; the others were refused (and
// GitHub records them for the redelivery job), none is half-done or lost.
func TestShutdownMidBurstFinishesEveryAcceptedDelivery(t *testing.T) {
	p := &slowProbe{seen: map[string]int{}}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{p}, Configure: func(c *config.Server) { c.Queue.Workers = 4 }})
	h.AddRepo("api", nil)
	body, err := h.Builder("api", "alice").Issues("opened", 1, "Issue", "", "alice")
	if err != nil {
		t.Fatal(err)
	}
	s := webhook.Sender{URL: h.URL + "/api/github/hook", Secret: apptest.Secret}
	var (
		mu       sync.Mutex
		accepted = map[string]bool{}
		wg       sync.WaitGroup
		stopOnce sync.Once
		stopped  = make(chan struct{})
	)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				id := fmt.Sprintf("d-%d-%d", g, i)
				st, _, err := s.Send(context.Background(), "issues", id, body)
				if err != nil {
					return // the listener closed: the rest is GitHub's to redeliver
				}
				if st == http.StatusAccepted {
					mu.Lock()
					accepted[id] = true
					n := len(accepted)
					mu.Unlock()
					if n == 300 {
						stopOnce.Do(func() {
							go func() { h.Stop(); close(stopped) }()
						})
					}
				} else if st != http.StatusServiceUnavailable {
					t.Errorf("delivery %s answered %d during shutdown, want 202 or 503", id, st)
				}
			}
		}()
	}
	wg.Wait()
	stopOnce.Do(func() { go func() { h.Stop(); close(stopped) }() })
	<-stopped
	p.mu.Lock()
	defer p.mu.Unlock()
	mu.Lock()
	defer mu.Unlock()
	if len(accepted) < 300 {
		t.Fatalf("only %d deliveries accepted; the test did not shut down mid-burst", len(accepted))
	}
	for id := range accepted {
		if p.seen[id] != 1 {
			t.Errorf("accepted delivery %s handled %d times, want 1", id, p.seen[id])
		}
	}
	for id, n := range p.seen {
		if !accepted[id] {
			t.Errorf("delivery %s handled %d times but never acknowledged", id, n)
		}
	}
}

// Uninstalling the app drops the installation's rate-limit series from
// /metrics: per-installation series do not pile up for ever.
func TestUninstallDropsTheInstallationsSeries(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.decisionPR(1)
	series := fmt.Sprintf(`overlap_github_rate_limit_remaining{installation="%d"`, w.Installation)
	_, before := getMetrics(t, w.URL)
	if !strings.Contains(before, series) {
		t.Fatalf("no rate-limit series for the installation before uninstalling:\n%s", before)
	}
	payload, err := w.Builder("api", "alice").Installation("deleted", []webhook.Repo{w.Repo("api")})
	if err != nil {
		t.Fatal(err)
	}
	if st := w.Send("installation", payload); st != http.StatusAccepted {
		t.Fatalf("installation.deleted: %d", st)
	}
	if _, after := getMetrics(t, w.URL); strings.Contains(after, series) {
		t.Errorf("the uninstalled installation's series are still exported")
	}
}

func getMetrics(t *testing.T, base string) (int, string) {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// A payload whose fields have the wrong type is refused at the door with
// 400, not accepted with 202 and failing later in every feature.
func TestWrongTypesAreRefusedAtTheDoor(t *testing.T) {
	w := newFaultWorld(t, nil)
	w.Fake.Commit(apptest.Org, "api", "typo", githubfake.CommitSpec{Message: "typo", Author: "alice", Files: map[string]string{"README.md": "# API\n"}})
	n := w.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Fix a typo", Author: "alice", Head: "typo"})
	for _, c := range []struct {
		name  string
		patch func(map[string]any)
	}{
		{"pull_request.number as a string", func(m map[string]any) { m["pull_request"].(map[string]any)["number"] = "7" }},
		{"number as a string", func(m map[string]any) { m["number"] = "7" }},
		{"installation.id as a string", func(m map[string]any) { m["installation"].(map[string]any)["id"] = "7" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			payload := w.PREvent("opened", "api", n, c.patch)
			if st := w.Send("pull_request", payload); st != http.StatusBadRequest {
				t.Errorf("status %d, want 400", st)
			}
		})
	}
}
