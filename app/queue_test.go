package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
)

// funcHandler is a githubapp.EventHandler running f; the payload names the
// job's lane (see keyFromPayload).
type funcHandler func(ctx context.Context, delivery string) error

func (f funcHandler) Handles() []string { return []string{"test"} }
func (f funcHandler) Handle(ctx context.Context, _, delivery string, _ []byte) error {
	return f(ctx, delivery)
}

func keyFromPayload(_ context.Context, d githubapp.Dispatch) (string, int64) {
	return string(d.Payload), 1
}

func dispatchOf(h funcHandler, delivery, key string) githubapp.Dispatch {
	return githubapp.Dispatch{Handler: h, EventType: "test", DeliveryID: delivery, Payload: []byte(key)}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// A slow repository does not hold the pool: with two workers and five
// slow jobs of one key, a job of another key runs at once.
func TestQueueBusyKeyDoesNotParkWorkers(t *testing.T) {
	q := NewQueue(QueueOptions{Workers: 2, Key: keyFromPayload})
	release := make(chan struct{})
	var slowRunning, slowMax, slowDone atomic.Int32
	slow := funcHandler(func(ctx context.Context, _ string) error {
		n := slowRunning.Add(1)
		for {
			m := slowMax.Load()
			if n <= m || slowMax.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		slowRunning.Add(-1)
		slowDone.Add(1)
		return nil
	})
	for i := range 5 {
		if err := q.Schedule(context.Background(), dispatchOf(slow, fmt.Sprint("slow", i), "repo:a")); err != nil {
			t.Fatal(err)
		}
	}
	ran := make(chan struct{})
	other := funcHandler(func(ctx context.Context, _ string) error {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= 0 {
			t.Error("the job started with an expired context")
		}
		close(ran)
		return nil
	})
	if err := q.Schedule(context.Background(), dispatchOf(other, "other", "repo:b")); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ran:
	case <-time.After(30 * time.Second):
		t.Fatal("a job of another repository waited behind a busy one")
	}
	close(release)
	waitFor(t, "the slow jobs", func() bool { return slowDone.Load() == 5 })
	if slowMax.Load() != 1 {
		t.Errorf("jobs of one key ran %d at once, want 1", slowMax.Load())
	}
	if err := q.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// Jobs of one key run in the order they were accepted.
func TestQueueKeepsOrderWithinAKey(t *testing.T) {
	q := NewQueue(QueueOptions{Workers: 4, Key: keyFromPayload})
	var mu sync.Mutex
	var order []string
	h := funcHandler(func(_ context.Context, d string) error {
		mu.Lock()
		order = append(order, d)
		mu.Unlock()
		return nil
	})
	for i := range 20 {
		if err := q.Schedule(context.Background(), dispatchOf(h, fmt.Sprint(i), "repo:a")); err != nil {
			t.Fatal(err)
		}
	}
	if err := q.Drain(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, d := range order {
		if d != fmt.Sprint(i) {
			t.Fatalf("order = %v", order)
		}
	}
}

// A failed job runs again until it succeeds; one that keeps failing is
// given up after Retries more runs, and reported.
func TestQueueRetriesThenGivesUp(t *testing.T) {
	var gaveUp atomic.Int32
	var lastAttempts atomic.Int32
	q := NewQueue(QueueOptions{Workers: 1, Key: keyFromPayload, Retries: 3, RetryBase: time.Millisecond,
		OnGiveUp: func(_ context.Context, j JobInfo, err error) {
			gaveUp.Add(1)
			lastAttempts.Store(int32(j.Attempts))
		}})
	var flaky, broken atomic.Int32
	if err := q.Schedule(context.Background(), dispatchOf(func(context.Context, string) error {
		if flaky.Add(1) < 3 {
			return errors.New("502")
		}
		return nil
	}, "flaky", "repo:a")); err != nil {
		t.Fatal(err)
	}
	if err := q.Schedule(context.Background(), dispatchOf(func(context.Context, string) error {
		broken.Add(1)
		return errors.New("still 502")
	}, "broken", "repo:b")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the queue to settle", q.Idle)
	if flaky.Load() != 3 {
		t.Errorf("flaky job ran %d times, want 3 (two failures, then success)", flaky.Load())
	}
	if broken.Load() != 4 || gaveUp.Load() != 1 || lastAttempts.Load() != 4 {
		t.Errorf("broken job ran %d times, given up %d times after %d attempts; want 4, 1, 4", broken.Load(), gaveUp.Load(), lastAttempts.Load())
	}
}

// A retry runs only the features that failed.
func TestQueueRetryCarriesFailedFeatures(t *testing.T) {
	q := NewQueue(QueueOptions{Workers: 1, Key: keyFromPayload, Retries: 1, RetryBase: time.Millisecond})
	var seen [][]string
	var mu sync.Mutex
	var runs atomic.Int32
	h := funcHandler(func(ctx context.Context, _ string) error {
		mu.Lock()
		seen = append(seen, onlyFeatures(ctx))
		mu.Unlock()
		if runs.Add(1) == 1 {
			return featureFailures{failed: []string{"docs"}, err: errors.New("docs: 502")}
		}
		return nil
	})
	if err := q.Schedule(context.Background(), dispatchOf(h, "d", "repo:a")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the queue to settle", q.Idle)
	if len(seen) != 2 || seen[0] != nil || len(seen[1]) != 1 || seen[1][0] != "docs" {
		t.Errorf("features per run = %q, want [all] then [docs]", seen)
	}
}

// The queue is bounded by bytes as well as by jobs, and a delivery already
// waiting is not queued twice.
func TestQueueBoundsAndDeduplicates(t *testing.T) {
	block := make(chan struct{})
	q := NewQueue(QueueOptions{Workers: 1, Key: keyFromPayload, MaxBytes: 4096})
	h := funcHandler(func(context.Context, string) error { <-block; return nil })
	big := githubapp.Dispatch{Handler: h, EventType: "test", DeliveryID: "big", Payload: make([]byte, 3000)}
	if err := q.Schedule(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	if err := q.Schedule(context.Background(), githubapp.Dispatch{Handler: h, EventType: "test", DeliveryID: "big2", Payload: make([]byte, 3000)}); !errors.Is(err, githubapp.ErrCapacityExceeded) {
		t.Errorf("second 3 KB payload in a 4 KB queue: %v, want capacity exceeded", err)
	}
	if q.Saturated() {
		t.Error("a queue at 86% of its bytes reports saturation; want it at 90%")
	}
	q.Schedule(context.Background(), githubapp.Dispatch{Handler: h, EventType: "test", DeliveryID: "small", Payload: make([]byte, 50)})
	if !q.Saturated() {
		t.Error("a queue at 98% of its bytes does not report saturation")
	}
	close(block)
	waitFor(t, "the queue to settle", q.Idle)

	block = make(chan struct{})
	var runs atomic.Int32
	h2 := funcHandler(func(_ context.Context, d string) error {
		if d == "first" {
			<-block
		}
		runs.Add(1)
		return nil
	})
	q.Schedule(context.Background(), dispatchOf(h2, "first", "repo:a"))
	q.Schedule(context.Background(), dispatchOf(h2, "dup", "repo:a"))
	q.Schedule(context.Background(), dispatchOf(h2, "dup", "repo:a")) // GitHub's redelivery while the first copy waits
	close(block)
	waitFor(t, "the queue to settle", q.Idle)
	if runs.Load() != 2 {
		t.Errorf("runs = %d, want 2 (the duplicate delivery once)", runs.Load())
	}
}

// A sweep's Acquire waits for the running job of its key, holds later
// jobs of that key back while it runs, and leaves other keys alone.
func TestQueueAcquireSerialisesWithJobs(t *testing.T) {
	q := NewQueue(QueueOptions{Workers: 2, Key: keyFromPayload})
	started := make(chan struct{})
	finish := make(chan struct{})
	var events []string
	var mu sync.Mutex
	note := func(s string) { mu.Lock(); events = append(events, s); mu.Unlock() }
	q.Schedule(context.Background(), dispatchOf(func(context.Context, string) error {
		close(started)
		<-finish
		note("job1")
		return nil
	}, "1", "repo:a"))
	<-started
	got := make(chan func())
	go func() {
		rel, err := q.Acquire(context.Background(), "repo:a")
		if err != nil {
			t.Error(err)
		}
		note("sweep")
		got <- rel
	}()
	q.Schedule(context.Background(), dispatchOf(func(context.Context, string) error { note("job2"); return nil }, "2", "repo:a"))
	waitFor(t, "the sweep to wait for the key", func() bool {
		q.mu.Lock()
		defer q.mu.Unlock()
		return len(q.lanes["repo:a"].waiters) == 1
	})
	close(finish)
	rel := <-got
	mu.Lock()
	if len(events) != 2 || events[0] != "job1" || events[1] != "sweep" {
		t.Errorf("events = %v, want job1, sweep", events)
	}
	mu.Unlock()
	rel()
	waitFor(t, "job2", q.Idle)
	mu.Lock()
	defer mu.Unlock()
	if len(events) != 3 || events[2] != "job2" {
		t.Errorf("events = %v, want job1, sweep, job2", events)
	}
}

// An installation GitHub has paused fills at most three quarters of the
// queue: past that its deliveries are accepted and handed to the repair
// sweep, and another installation's deliveries still find room.
func TestQueueHeldInstallationCannotStarveOthers(t *testing.T) {
	held := time.Now().Add(time.Hour)
	var gaveUp atomic.Int32
	q := NewQueue(QueueOptions{Workers: 1, MaxJobs: 8,
		Key: func(_ context.Context, d githubapp.Dispatch) (string, int64) {
			if string(d.Payload) == "other" {
				return "repo:other", 2
			}
			return "repo:busy", 1
		},
		Hold: func(inst int64) time.Time {
			if inst == 1 {
				return held
			}
			return time.Time{}
		},
		OnGiveUp: func(_ context.Context, j JobInfo, err error) {
			if j.InstallationID == 1 && errors.Is(err, ErrInstallationBacklog) {
				gaveUp.Add(1)
			}
		},
	})
	ran := make(chan struct{})
	h := funcHandler(func(_ context.Context, d string) error {
		if d == "other" {
			close(ran)
		}
		return nil
	})
	for i := range 20 {
		if err := q.Schedule(context.Background(), dispatchOf(h, fmt.Sprint("busy", i), "busy")); err != nil {
			t.Fatalf("delivery %d of the paused installation refused: %v", i, err)
		}
	}
	if q.Saturated() {
		t.Error("the paused installation made the queue report saturation")
	}
	if err := q.Schedule(context.Background(), dispatchOf(h, "other", "other")); err != nil {
		t.Fatalf("another installation's delivery refused: %v", err)
	}
	select {
	case <-ran:
	case <-time.After(30 * time.Second):
		t.Fatal("another installation's delivery did not run")
	}
	if got := gaveUp.Load(); got != 14 {
		t.Errorf("%d deliveries handed to the repair sweep, want 14 (20 less the 6 of its share)", got)
	}
}
