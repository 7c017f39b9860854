package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/bradleyfalzon/ghinstallation/v2"
	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
)

// Queue is the app's githubapp.Scheduler: a bounded, draining queue of
// keyed lanes.
//
// Every job has a key (its repository, or its installation for events that
// name none). Jobs of one key run one at a time and in order; jobs of
// different keys run in parallel on the workers. A key that is busy never
// parks a worker: a worker only takes a lane whose key is free, so one slow
// repository cannot hold the pool (the per-repository lock it replaces
// could). A sweep takes a key with Acquire and is served like a job.
//
// The queue is bounded by jobs and by payload bytes, not by a channel's
// slots: a burst of 3,000 deliveries fits, and memory stays bounded
// whatever their sizes. A job's timeout starts when a worker starts it.
//
// A job that fails is tried again with jittered exponential backoff (or at
// the rate-limit reset its error names), up to Retries times, re-running
// only the features that failed; a job that still fails is handed to
// OnGiveUp (the app marks its repository dirty for the next sweep). Jobs of
// an installation that GitHub has paused (Hold) wait in their lane without
// holding a worker.
type Queue struct {
	opts QueueOptions

	mu      sync.Mutex
	wake    *sync.Cond // workers wait here for a ready lane
	changed *sync.Cond // Drain and WaitIdle wait here for progress
	lanes   map[string]*lane
	ready   []*lane // lanes with a job, free and not held, in arrival order
	jobs    int     // accepted and not finished: queued, running, waiting to retry
	bytes   int64
	delayed map[*job]*time.Timer
	queued  map[string]int // delivery id → jobs of it not yet started
	perInst map[int64]*instLoad
	closed  bool
	workers sync.WaitGroup
}

// QueueOptions configure a Queue.
type QueueOptions struct {
	Workers  int
	MaxJobs  int   // accepted jobs at most (0: no bound)
	MaxBytes int64 // payload bytes of accepted jobs at most (0: no bound)
	// Timeout bounds one run of a job, from the moment a worker starts it.
	Timeout time.Duration
	// Retries is how many times a failed job is run again; RetryBase is
	// the first wait (then ×4, ×16, … with ±50% jitter, capped at
	// RetryMax).
	Retries   int
	RetryBase time.Duration
	RetryMax  time.Duration
	Metrics   *Metrics
	// Key names a delivery's lane and its installation.
	Key func(ctx context.Context, d githubapp.Dispatch) (key string, installationID int64)
	// Hold says until when an installation's work must wait (GitHub's
	// rate limits); the zero time lets it run.
	Hold func(installationID int64) time.Time
	// OnError is told of every failed run; OnGiveUp of a job that will not
	// be tried again, with its last error.
	OnError  func(ctx context.Context, d githubapp.Dispatch, err error)
	OnGiveUp func(ctx context.Context, j JobInfo, err error)
}

// JobInfo describes a job to OnGiveUp.
type JobInfo struct {
	Key            string
	InstallationID int64
	Dispatch       githubapp.Dispatch
	Attempts       int
}

// instLoad is what one installation holds of the queue.
type instLoad struct {
	jobs  int
	bytes int64
}

// ErrInstallationBacklog is the give-up reason of a delivery accepted past
// its installation's share of the queue.
var ErrInstallationBacklog = errors.New("the installation's share of the event queue is full (GitHub is likely rate-limiting it); its repository is left to the repair sweep")

type job struct {
	d        githubapp.Dispatch
	key      string
	inst     int64
	size     int64
	logger   zerolog.Logger
	at       time.Time // accepted (or due again, for a retry)
	attempts int       // runs so far
	only     []string  // features to run again; nil means all
	parsed   any       // the event the webhook guard decoded, for the handler
}

type lane struct {
	key     string
	jobs    []*job
	busy    bool // a job of the key runs, or a sweep holds it
	inReady bool
	held    bool // waiting for its installation's Hold to pass
	waiters []chan struct{}
}

// ErrQueueClosed is returned by Schedule once Drain has begun.
var ErrQueueClosed = errors.New("event queue is shutting down")

// NewQueue starts the workers.
func NewQueue(o QueueOptions) *Queue {
	o.Workers = max(o.Workers, 1)
	if o.RetryBase <= 0 {
		o.RetryBase = 5 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 5 * time.Minute
	}
	if o.Key == nil {
		o.Key = func(context.Context, githubapp.Dispatch) (string, int64) { return "", 0 }
	}
	q := &Queue{opts: o, lanes: map[string]*lane{}, delayed: map[*job]*time.Timer{}, queued: map[string]int{}, perInst: map[int64]*instLoad{}}
	q.wake = sync.NewCond(&q.mu)
	q.changed = sync.NewCond(&q.mu)
	for i := 0; i < o.Workers; i++ {
		q.workers.Add(1)
		go q.work()
	}
	return q
}

// Schedule implements githubapp.Scheduler. It never blocks. A queue at its
// bound answers githubapp.ErrCapacityExceeded (a 503: GitHub records the
// failed delivery and the redelivery job sends it again). A delivery whose
// id is already waiting is accepted and not queued twice: GitHub's
// redelivery of a delivery not yet handled adds nothing.
func (q *Queue) Schedule(ctx context.Context, d githubapp.Dispatch) error {
	key, inst := q.opts.Key(ctx, d)
	size := int64(len(d.Payload)) + 512 // the job's own bookkeeping
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return fmt.Errorf("%w: %w", githubapp.ErrCapacityExceeded, ErrQueueClosed)
	}
	if d.DeliveryID != "" && q.queued[d.DeliveryID] > 0 {
		return nil
	}
	if (q.opts.MaxJobs > 0 && q.jobs+1 > q.opts.MaxJobs) || (q.opts.MaxBytes > 0 && q.bytes+size > q.opts.MaxBytes) {
		q.metric(func(m *Metrics) { m.queueDropped.Inc() })
		return githubapp.ErrCapacityExceeded
	}
	// An installation GitHub has paused (rate-limited, perhaps for an
	// hour) may hold at most three quarters of the queue, so it can neither
	// refuse the others' deliveries nor fail readiness for every replica.
	// Past its share a delivery is accepted and its repository handed to
	// the repair sweep, which runs once the installation may call GitHub
	// again.
	load := q.perInst[inst]
	if load == nil {
		load = &instLoad{}
		q.perInst[inst] = load
	}
	held := q.opts.Hold != nil && time.Until(q.opts.Hold(inst)) > 0
	if held && ((q.opts.MaxJobs > 0 && load.jobs+1 > share(q.opts.MaxJobs)) || (q.opts.MaxBytes > 0 && load.bytes+size > share(q.opts.MaxBytes))) {
		if q.opts.OnGiveUp != nil {
			info := JobInfo{Key: key, InstallationID: inst, Dispatch: d}
			logger := *zerolog.Ctx(ctx)
			q.mu.Unlock()
			q.opts.OnGiveUp(logger.WithContext(context.Background()), info, ErrInstallationBacklog)
			q.mu.Lock()
		}
		return nil
	}
	load.jobs++
	load.bytes += size
	q.jobs++
	q.bytes += size
	if d.DeliveryID != "" {
		q.queued[d.DeliveryID]++
	}
	q.push(&job{d: d, key: key, inst: inst, size: size, logger: *zerolog.Ctx(ctx), at: time.Now(), parsed: ctx.Value(parsedEventKey{})})
	q.gauges()
	return nil
}

// push appends j to its lane; mu is held.
func (q *Queue) push(j *job) {
	l := q.lanes[j.key]
	if l == nil {
		l = &lane{key: j.key}
		q.lanes[j.key] = l
	}
	l.jobs = append(l.jobs, j)
	q.makeReady(l)
}

// makeReady puts l in the ready list if it has a job and is free; mu is held.
func (q *Queue) makeReady(l *lane) {
	if l.inReady || l.busy || l.held || len(l.jobs) == 0 {
		return
	}
	l.inReady = true
	q.ready = append(q.ready, l)
	q.wake.Signal()
}

// Saturated reports whether the queue is near its bound (90% of jobs or
// bytes): readiness fails then, so a load balancer sends deliveries to
// another replica before this one answers 503.
func (q *Queue) Saturated() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return (q.opts.MaxJobs > 0 && q.jobs*10 >= q.opts.MaxJobs*9) ||
		(q.opts.MaxBytes > 0 && q.bytes*10 >= q.opts.MaxBytes*9)
}

// Idle reports whether no job is queued, running or waiting to retry.
func (q *Queue) Idle() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.jobs == 0
}

// Len is the number of accepted, unfinished jobs.
func (q *Queue) Len() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.jobs
}

// Acquire takes key for the caller (a sweep of one repository): it waits
// until no job of the key runs, then holds the key so none starts until
// release. Waiting ends with ctx.
func (q *Queue) Acquire(ctx context.Context, key string) (release func(), err error) {
	q.mu.Lock()
	l := q.lanes[key]
	if l == nil {
		l = &lane{key: key}
		q.lanes[key] = l
	}
	if !l.busy {
		l.busy = true
		q.unready(l)
		q.mu.Unlock()
		return func() { q.release(l) }, nil
	}
	ch := make(chan struct{})
	l.waiters = append(l.waiters, ch)
	q.mu.Unlock()
	select {
	case <-ch:
		return func() { q.release(l) }, nil
	case <-ctx.Done():
		q.mu.Lock()
		defer q.mu.Unlock()
		for i, w := range l.waiters {
			if w == ch {
				l.waiters = append(l.waiters[:i], l.waiters[i+1:]...)
				return nil, ctx.Err()
			}
		}
		// Handed over as ctx ended: give it back.
		q.freeLocked(l)
		return nil, ctx.Err()
	}
}

// unready removes l from the ready list; mu is held.
func (q *Queue) unready(l *lane) {
	if !l.inReady {
		return
	}
	for i, r := range q.ready {
		if r == l {
			q.ready = append(q.ready[:i], q.ready[i+1:]...)
			break
		}
	}
	l.inReady = false
}

func (q *Queue) release(l *lane) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.freeLocked(l)
}

// freeLocked ends a holder's turn on l: a waiting sweep gets the key next,
// else the lane's next job; an empty lane is forgotten. mu is held.
func (q *Queue) freeLocked(l *lane) {
	if len(l.waiters) > 0 {
		ch := l.waiters[0]
		l.waiters = l.waiters[1:]
		close(ch) // l stays busy: the waiter holds it now
		return
	}
	l.busy = false
	if len(l.jobs) == 0 && !l.held {
		if q.lanes[l.key] == l {
			delete(q.lanes, l.key)
		}
		q.changed.Broadcast()
		return
	}
	q.makeReady(l)
	q.changed.Broadcast()
}

func (q *Queue) work() {
	defer q.workers.Done()
	for {
		q.mu.Lock()
		for len(q.ready) == 0 && !(q.closed && q.jobs == 0) {
			q.wake.Wait()
		}
		if len(q.ready) == 0 {
			q.mu.Unlock()
			return
		}
		l := q.ready[0]
		q.ready = q.ready[1:]
		l.inReady = false
		j := l.jobs[0]
		if q.opts.Hold != nil {
			if until := q.opts.Hold(j.inst); time.Until(until) > 0 {
				q.hold(l, until)
				q.mu.Unlock()
				continue
			}
		}
		l.jobs = l.jobs[1:]
		l.busy = true
		if j.d.DeliveryID != "" && j.attempts == 0 {
			if q.queued[j.d.DeliveryID]--; q.queued[j.d.DeliveryID] <= 0 {
				delete(q.queued, j.d.DeliveryID)
			}
		}
		q.gauges()
		q.mu.Unlock()

		err := q.run(j)

		q.mu.Lock()
		j.attempts++
		if err != nil && j.attempts <= q.opts.Retries && !q.closed && retryable(err) {
			q.retryLater(j, err)
		} else {
			// Marked for the sweep before it counts as done, so whoever
			// waits for an idle queue sees the mark.
			if err != nil && q.opts.OnGiveUp != nil {
				info := JobInfo{Key: j.key, InstallationID: j.inst, Dispatch: j.d, Attempts: j.attempts}
				q.mu.Unlock()
				q.opts.OnGiveUp(j.logger.WithContext(context.Background()), info, err)
				q.mu.Lock()
			}
			q.done(j)
		}
		q.freeLocked(l)
		q.gauges()
		q.mu.Unlock()
	}
}

// hold parks l until its installation may run again; mu is held.
func (q *Queue) hold(l *lane, until time.Time) {
	l.held = true
	time.AfterFunc(time.Until(until), func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		l.held = false
		if q.lanes[l.key] != l { // cannot happen while it has jobs; be safe
			q.lanes[l.key] = l
		}
		q.makeReady(l)
	})
}

// retryLater schedules j's next run; mu is held.
func (q *Queue) retryLater(j *job, err error) {
	var ff featureFailures
	if errors.As(err, &ff) && len(ff.failed) > 0 {
		j.only = ff.failed
	}
	wait := backoff(q.opts.RetryBase, q.opts.RetryMax, j.attempts)
	if ra := retryAfterOf(err); ra > wait {
		wait = ra
	}
	// The installation may be paused by an answer the error does not
	// carry (a GraphQL RATE_LIMITED): wait for that too.
	if q.opts.Hold != nil {
		if d := time.Until(q.opts.Hold(j.inst)); d > wait {
			wait = d
		}
	}
	q.metric(func(m *Metrics) { m.retries.Inc() })
	j.logger.Warn().Err(err).Int("attempt", j.attempts).Dur("retry_in", wait).Msg("event handling failed; will try again")
	var t *time.Timer
	t = time.AfterFunc(wait, func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		if _, ok := q.delayed[j]; !ok {
			return // given up by Drain
		}
		delete(q.delayed, j)
		j.at = time.Now()
		q.push(j)
	})
	q.delayed[j] = t
}

// share is an installation's part of a bound: three quarters, at least 1.
func share[T int | int64](bound T) T {
	return max(bound-bound/4, 1)
}

// done forgets a finished job; mu is held.
func (q *Queue) done(j *job) {
	q.jobs--
	q.bytes -= j.size
	if load := q.perInst[j.inst]; load != nil {
		load.jobs--
		load.bytes -= j.size
		if load.jobs <= 0 {
			delete(q.perInst, j.inst)
		}
	}
	q.changed.Broadcast()
	if q.closed && q.jobs == 0 {
		q.wake.Broadcast()
	}
}

// backoff is base·4^(attempt-1) with ±50% jitter, at most limit.
func backoff(base, limit time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < limit; i++ {
		d *= 4
	}
	d = min(d, limit)
	return d/2 + time.Duration(rand.Int64N(int64(d)+1))
}

func (q *Queue) run(j *job) error {
	ctx := j.logger.WithContext(context.Background())
	if j.parsed != nil {
		ctx = context.WithValue(ctx, parsedEventKey{}, j.parsed)
	}
	if j.only != nil {
		ctx = withOnlyFeatures(ctx, j.only)
	}
	if q.opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, q.opts.Timeout)
		defer cancel()
	}
	q.metric(func(m *Metrics) {
		m.queueWait.Observe(time.Since(j.at).Seconds())
		m.busyWorkers.Inc()
	})
	defer q.metric(func(m *Metrics) { m.busyWorkers.Dec() })
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("panic handling %s %s: %v\n%s", j.d.EventType, j.d.DeliveryID, r, debug.Stack())
			}
		}()
		return j.d.Execute(ctx)
	}()
	if err != nil && q.opts.OnError != nil {
		q.opts.OnError(ctx, j.d, err)
	}
	return err
}

func (q *Queue) metric(f func(*Metrics)) {
	if q.opts.Metrics != nil {
		f(q.opts.Metrics)
	}
}

// gauges publishes the queue's size; mu is held.
func (q *Queue) gauges() {
	q.metric(func(m *Metrics) {
		m.queueDepth.Set(float64(q.jobs))
		m.queueBytes.Set(float64(q.bytes))
	})
}

// Drain stops accepting jobs and waits for the queued and running ones to
// finish, or for ctx to end (then it reports how many were left). Jobs
// waiting to be tried again are given up at once (OnGiveUp: their
// repositories go to the next sweep) rather than holding the shutdown.
func (q *Queue) Drain(ctx context.Context) error {
	q.mu.Lock()
	q.closed = true
	var given []*job
	for j, t := range q.delayed {
		t.Stop()
		delete(q.delayed, j)
		given = append(given, j)
	}
	q.mu.Unlock()
	for _, j := range given {
		if q.opts.OnGiveUp != nil {
			q.opts.OnGiveUp(j.logger.WithContext(context.Background()),
				JobInfo{Key: j.key, InstallationID: j.inst, Dispatch: j.d, Attempts: j.attempts},
				errors.New("shutting down before the next try"))
		}
	}
	q.mu.Lock()
	for _, j := range given {
		q.done(j)
	}
	q.wake.Broadcast()
	q.mu.Unlock()

	stop := context.AfterFunc(ctx, func() {
		q.mu.Lock()
		q.changed.Broadcast()
		q.mu.Unlock()
	})
	defer stop()
	q.mu.Lock()
	for q.jobs > 0 && ctx.Err() == nil {
		q.changed.Wait()
	}
	left := q.jobs
	q.mu.Unlock()
	if left > 0 {
		return fmt.Errorf("drain event queue: %d jobs still queued or running: %w", left, ctx.Err())
	}
	q.workers.Wait()
	return nil
}

// onlyFeaturesKey carries, on a retry, the features that failed before.
type onlyFeaturesKey struct{}

func withOnlyFeatures(ctx context.Context, names []string) context.Context {
	return context.WithValue(ctx, onlyFeaturesKey{}, names)
}

func onlyFeatures(ctx context.Context) []string {
	names, _ := ctx.Value(onlyFeaturesKey{}).([]string)
	return names
}

// featureFailures is an event's failure, its parts already logged: failed
// names the features whose failure another try may cure (a retry runs only
// those); none means trying again is pointless.
type featureFailures struct {
	failed []string
	err    error
}

// retryable reports whether another run may succeed where this one
// failed: GitHub's 5xx and rate limits, network errors and timeouts, and
// errors of unknown kind, yes; GitHub's other 4xx answers (not found,
// validation failed, forbidden) no: they will say the same again, and the
// next event or sweep takes over.
func retryable(err error) bool {
	var ff featureFailures
	if errors.As(err, &ff) {
		return len(ff.failed) > 0
	}
	var (
		paused *PausedError
		rle    *github.RateLimitError
		abuse  *github.AbuseRateLimitError
		er     *github.ErrorResponse
		token  *ghinstallation.HTTPError
	)
	switch {
	case errors.As(err, &token) && token.Response != nil:
		// The installation token could not be made: a 401/403/404 means
		// the app was uninstalled or suspended, or its key was revoked.
		c := token.Response.StatusCode
		return c >= 500 || c == http.StatusTooManyRequests
	case errors.As(err, &paused), errors.As(err, &rle), errors.As(err, &abuse):
		return true
	case errors.As(err, &er) && er.Response != nil:
		c := er.Response.StatusCode
		return c >= 500 || c == http.StatusTooManyRequests || c == http.StatusRequestTimeout
	}
	// GraphQL answers 200 with errors; githubv4 gives their messages only.
	msg := err.Error()
	if strings.Contains(strings.ToLower(msg), "rate limit") {
		return true
	}
	for _, permanent := range []string{"Could not resolve to a", "Resource not accessible by integration", "non-200 OK status code: 401", "non-200 OK status code: 403", "non-200 OK status code: 404", "non-200 OK status code: 422"} {
		if strings.Contains(msg, permanent) {
			return false
		}
	}
	return true
}

func (e featureFailures) Error() string { return e.err.Error() }
func (e featureFailures) Unwrap() error { return e.err }
