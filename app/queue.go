package app

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
)

// Queue is a bounded, draining githubapp.Scheduler. go-githubapp's
// QueueAsyncScheduler cannot drain on shutdown; this one can: Drain stops
// new work and waits (up to its context's deadline) for the queued and
// running jobs, so a rolling deploy loses nothing it acknowledged.
//
// Every job runs on a fresh background context carrying only the delivery's
// logger (request cancellation must not cancel the work), bounded by a
// per-job timeout, with panics recovered and reported.
type Queue struct {
	jobs    chan queued
	timeout time.Duration
	metrics *Metrics
	onError func(ctx context.Context, d githubapp.Dispatch, err error)

	pending atomic.Int64 // queued + running, for Idle

	mu       sync.RWMutex
	closed   bool
	inflight sync.WaitGroup // queued + running jobs
	workers  sync.WaitGroup
}

type queued struct {
	d      githubapp.Dispatch
	logger zerolog.Logger
	at     time.Time
}

// ErrQueueClosed is returned by Schedule once Drain has begun.
var ErrQueueClosed = errors.New("event queue is shutting down")

// NewQueue starts workers that take jobs from a queue of size slots.
func NewQueue(workers, size int, timeout time.Duration, m *Metrics, onError func(context.Context, githubapp.Dispatch, error)) *Queue {
	if workers < 1 {
		workers = 1
	}
	if size < 0 {
		size = 0
	}
	q := &Queue{jobs: make(chan queued, size), timeout: timeout, metrics: m, onError: onError}
	for i := 0; i < workers; i++ {
		q.workers.Add(1)
		go q.work()
	}
	return q
}

// Schedule implements githubapp.Scheduler. It never blocks: a full queue
// answers githubapp.ErrCapacityExceeded, which the dispatcher turns into a
// 503 (GitHub does not retry; the next sweep repairs what was dropped).
func (q *Queue) Schedule(ctx context.Context, d githubapp.Dispatch) error {
	q.mu.RLock()
	defer q.mu.RUnlock()
	if q.closed {
		return fmt.Errorf("%w: %w", githubapp.ErrCapacityExceeded, ErrQueueClosed)
	}
	q.inflight.Add(1)
	q.pending.Add(1)
	select {
	case q.jobs <- queued{d: d, logger: *zerolog.Ctx(ctx), at: time.Now()}:
		q.metrics.queueDepth.Set(float64(len(q.jobs)))
		return nil
	default:
		q.inflight.Done()
		q.pending.Add(-1)
		q.metrics.queueDropped.Inc()
		return githubapp.ErrCapacityExceeded
	}
}

// Saturated reports whether the queue is full (readiness fails then, so a
// load balancer can send deliveries to another replica).
func (q *Queue) Saturated() bool { return cap(q.jobs) > 0 && len(q.jobs) >= cap(q.jobs) }

// Idle reports whether no job is queued or running.
func (q *Queue) Idle() bool { return q.pending.Load() == 0 }

// Len is the number of queued jobs.
func (q *Queue) Len() int { return len(q.jobs) }

func (q *Queue) work() {
	defer q.workers.Done()
	for j := range q.jobs {
		q.metrics.queueDepth.Set(float64(len(q.jobs)))
		q.run(j)
		q.pending.Add(-1)
		q.inflight.Done()
	}
}

func (q *Queue) run(j queued) {
	ctx := j.logger.WithContext(context.Background())
	if q.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, q.timeout)
		defer cancel()
	}
	q.metrics.queueWait.Observe(time.Since(j.at).Seconds())
	q.metrics.busyWorkers.Inc()
	defer q.metrics.busyWorkers.Dec()
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic handling %s %s: %v\n%s", j.d.EventType, j.d.DeliveryID, r, debug.Stack())
			}
		}()
		return j.d.Execute(ctx)
	}()
	if err != nil && q.onError != nil {
		q.onError(ctx, j.d, err)
	}
}

// Drain stops accepting jobs and waits for queued and running ones to
// finish, or for ctx to end (then it reports how many were left).
func (q *Queue) Drain(ctx context.Context) error {
	q.mu.Lock()
	if !q.closed {
		q.closed = true
		close(q.jobs)
	}
	q.mu.Unlock()
	done := make(chan struct{})
	go func() {
		q.inflight.Wait()
		q.workers.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("drain event queue: %d jobs still queued: %w", len(q.jobs), ctx.Err())
	}
}
