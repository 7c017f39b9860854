package app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// door stands in front of the app's webhook route and, while refusing,
// answers deliveries itself the way an unavailable app does: a status
// (503 from a full queue, 500) or a dropped connection (0). Then it lets
// them through to the real app.
type door struct {
	next http.Handler
	mu   sync.Mutex
	// refuse is how many deliveries to refuse still, with status.
	refuse, status int
}

func (d *door) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	refusing := d.refuse > 0
	if refusing {
		d.refuse--
	}
	status := d.status
	d.mu.Unlock()
	switch {
	case !refusing:
		d.next.ServeHTTP(w, r)
	case status == 0:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	default:
		http.Error(w, http.StatusText(status), status)
	}
}

func (d *door) close(n, status int) {
	d.mu.Lock()
	d.refuse, d.status = n, status
	d.mu.Unlock()
}

// redeliveryWorld is the app with the emulator delivering its webhooks
// through a door, and PRs whose broken policy gets an "Overlap config"
// check: one visible outcome per pull_request delivery.
type redeliveryWorld struct {
	*apptest.Harness
	door *door
}

func newRedeliveryWorld(t *testing.T) *redeliveryWorld {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	d := &door{next: h.App.Handler()}
	srv := httptest.NewServer(d)
	t.Cleanup(srv.Close)
	h.Fake.SetWebhook(srv.URL+"/api/github/hook", apptest.Secret)
	h.AddRepo("api", map[string]string{".github/overlap.yml": brokenPolicy})
	return &redeliveryWorld{Harness: h, door: d}
}

// openPR opens a PR and delivers pull_request.opened through the door; it
// returns the PR number and the delivery as GitHub recorded it.
func (w *redeliveryWorld) openPR(t *testing.T, branch string) (int, githubfake.Delivery) {
	t.Helper()
	w.Fake.Commit(apptest.Org, "api", branch, githubfake.CommitSpec{Message: "change", Author: "alice", Files: map[string]string{branch + ".go": "package main\n"}})
	n := w.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Change " + branch, Author: "alice", Head: branch})
	d, err := w.Fake.Deliver(context.Background(), "pull_request", "", w.PREvent("opened", "api", n))
	if err != nil {
		t.Fatal(err)
	}
	w.WaitIdle()
	return n, d
}

// checks counts the "Overlap config" checks on the PR's head.
func (w *redeliveryWorld) checks(t *testing.T, n int) int {
	t.Helper()
	head := w.PR("api", n).HeadSHA
	count := 0
	for _, r := range w.Fake.CheckRuns(apptest.Org, "api") {
		if r.Name == configcheck.CheckName && r.HeadSHA == head {
			count++
		}
	}
	return count
}

// run runs the redelivery job and waits until GitHub has sent what it
// accepted and the app has handled it.
func (w *redeliveryWorld) run(t *testing.T, a *app.App) app.RedeliveryReport {
	t.Helper()
	rep, err := a.RedeliverFailed(context.Background(), w.Clock.Now().Add(-time.Hour))
	if err != nil {
		t.Fatalf("RedeliverFailed: %v", err)
	}
	if err := w.Fake.WaitDeliveries(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.WaitIdle()
	return rep
}

// attempts lists the recorded attempts of one event.
func (w *redeliveryWorld) attempts(guid string) []githubfake.Delivery {
	var out []githubfake.Delivery
	for _, d := range w.Fake.Deliveries() {
		if d.GUID == guid {
			out = append(out, d)
		}
	}
	return out
}

func TestFailedDeliveriesAreRedeliveredOnceAndTheirOutcomeAppears(t *testing.T) {
	tests := []struct {
		name   string
		status int // what the app's door answered; 0: no answer
	}{
		{"503 from a full queue", http.StatusServiceUnavailable},
		{"500", http.StatusInternalServerError},
		{"no answer", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newRedeliveryWorld(t)
			ok, okDelivery := w.openPR(t, "fine")
			w.door.close(1, tt.status)
			lost, lostDelivery := w.openPR(t, "lost")
			if lostDelivery.StatusCode != tt.status || w.checks(t, lost) != 0 {
				t.Fatalf("the refused delivery: status %d, %d checks; want %d and none", lostDelivery.StatusCode, w.checks(t, lost), tt.status)
			}

			rep := w.run(t, w.App)
			want := app.RedeliveryReport{Listed: 2, Failed: 1, Redelivered: 1, Succeeded: 1}
			if rep != want {
				t.Errorf("report = %+v, want %+v", rep, want)
			}
			if n := w.checks(t, lost); n != 1 {
				t.Errorf("the lost PR has %d checks after redelivery, want 1", n)
			}
			got := w.attempts(lostDelivery.GUID)
			if len(got) != 2 || !got[1].Redelivery || got[1].StatusCode != http.StatusAccepted {
				t.Errorf("attempts of the lost event = %+v, want the failure and one accepted redelivery", got)
			}
			if a := w.attempts(okDelivery.GUID); len(a) != 1 || w.checks(t, ok) != 1 {
				t.Errorf("the accepted delivery was touched: %d attempts, %d checks", len(a), w.checks(t, ok))
			}

			// A later run finds nothing to do.
			if rep := w.run(t, w.App); rep.Redelivered != 0 || rep.Failed != 0 {
				t.Errorf("second run = %+v, want nothing redelivered", rep)
			}
		})
	}
}

func TestAnEventIsRedeliveredAtMostOnce(t *testing.T) {
	w := newRedeliveryWorld(t)
	w.door.close(2, http.StatusServiceUnavailable) // the delivery and its redelivery
	n, d := w.openPR(t, "lost")

	if rep := w.run(t, w.App); rep.Redelivered != 1 || rep.StillFailing != 1 {
		t.Fatalf("first run = %+v, want one redelivery that failed again", rep)
	}
	rep := w.run(t, w.App)
	if want := (app.RedeliveryReport{Listed: 2, Failed: 1, Skipped: 1}); rep != want {
		t.Errorf("second run = %+v, want %+v (already redelivered once)", rep, want)
	}
	if a := w.attempts(d.GUID); len(a) != 2 {
		t.Errorf("attempts = %d, want 2 (one redelivery)", len(a))
	}
	if c := w.checks(t, n); c != 0 {
		t.Errorf("checks = %d: the app never accepted the event", c)
	}
}

func TestConcurrentRunsAndReplicasRedeliverOnce(t *testing.T) {
	w := newRedeliveryWorld(t)
	w.door.close(3, http.StatusServiceUnavailable)
	var lost []int
	var guids []string
	for _, b := range []string{"a", "b", "c"} {
		n, d := w.openPR(t, b)
		lost, guids = append(lost, n), append(guids, d.GUID)
	}

	// Two runs of one process at once (the scheduler's tick and an
	// operator's `overlap redeliver`).
	var wg sync.WaitGroup
	reps := make([]app.RedeliveryReport, 2)
	errs := make([]error, 2)
	for i := range reps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = w.App.RedeliverFailed(context.Background(), w.Clock.Now().Add(-time.Hour))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Fake.WaitDeliveries(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.WaitIdle()
	if total := reps[0].Redelivered + reps[1].Redelivered; total != 3 {
		t.Errorf("redelivered %d + %d, want 3 in all", reps[0].Redelivered, reps[1].Redelivered)
	}

	// Another replica (its own App, the same GitHub) running afterwards
	// sees the redeliveries as newer attempts of the same GUIDs.
	replica, err := app.New(context.Background(), w.Config, app.Options{Logger: zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel), Clock: w.Clock, Features: []handlers.Feature{configcheck.Feature{}}})
	if err != nil {
		t.Fatal(err)
	}
	if rep := w.run(t, replica); rep.Redelivered != 0 || rep.Failed != 0 {
		t.Errorf("the other replica's run = %+v, want nothing to redeliver", rep)
	}
	if n := w.Fake.Calls()["POST /app/hook/deliveries/{delivery_id}/attempts"]; n != 3 {
		t.Errorf("redelivery requests = %d, want 3", n)
	}
	for i, g := range guids {
		if a := w.attempts(g); len(a) != 2 {
			t.Errorf("event %d: %d attempts, want 2", i, len(a))
		}
		if c := w.checks(t, lost[i]); c != 1 {
			t.Errorf("PR #%d: %d checks, want 1", lost[i], c)
		}
	}
}

func TestRedeliveryWaitsOutRetryAfter(t *testing.T) {
	tests := []struct {
		name   string
		status int
	}{
		{"secondary 403", http.StatusForbidden},
		{"429", http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newRedeliveryWorld(t)
			w.door.close(1, http.StatusServiceUnavailable)
			n, _ := w.openPR(t, "lost")
			w.Fake.Inject(githubfake.Fault{Method: "POST", Route: "POST /app/hook/deliveries/{delivery_id}/attempts",
				Status: tt.status, RetryAfter: time.Second, Times: 1})

			if rep := w.run(t, w.App); rep.Redelivered != 1 {
				t.Errorf("report = %+v, want the event redelivered after the window", rep)
			}
			if v := w.Fake.RateLimitViolations(); len(v) != 0 {
				t.Errorf("requests inside the Retry-After window: %+v", v)
			}
			if c := w.checks(t, n); c != 1 {
				t.Errorf("checks = %d, want 1", c)
			}
		})
	}
}

func TestRedeliveryPagesBackToTheWatermark(t *testing.T) {
	w := newRedeliveryWorld(t)
	w.door.close(1, http.StatusServiceUnavailable)
	_, old := w.openPR(t, "old") // failed, but before the watermark
	w.Clock.Advance(2 * time.Hour)
	w.door.close(120, http.StatusServiceUnavailable)
	for i := 0; i < 120; i++ {
		if _, err := w.Fake.Deliver(context.Background(), "ping", "", []byte(`{"zen":"Design for failure.","hook_id":1}`)); err != nil {
			t.Fatal(err)
		}
	}
	w.door.close(0, 0)
	rep := w.run(t, w.App)
	if rep.Listed != 120 || rep.Redelivered != 120 {
		t.Errorf("report = %+v, want the 120 failures since the watermark (two pages) and not the older one", rep)
	}
	if a := w.attempts(old.GUID); len(a) != 1 {
		t.Errorf("the delivery before the watermark was redelivered")
	}
}
