package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
)

// gates pause an installation's requests while GitHub has rate-limited
// it. GitHub asks clients to stop until a secondary limit's Retry-After
// (or a primary limit's x-ratelimit-reset) has passed and penalises those
// that keep going; and go-github, having seen such an answer, refuses every
// further call of that client locally, which would fail every job of the
// window. The gate sits below go-github: it absorbs a refusal, holds every
// request of the installation until the window ends, then sends the
// refused request again (GitHub did not process it, so this is safe for
// writes too). The queue asks the same gate (Hold) before it starts a job,
// so jobs of a paused installation wait in their lane without a worker.
type gates struct {
	mu sync.Mutex
	m  map[int64]*gate
	// now is the clock, for tests.
	now func() time.Time
}

type gate struct {
	mu    sync.Mutex
	until time.Time
}

func (g *gates) get(installationID int64) *gate {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil {
		g.m = map[int64]*gate{}
	}
	gt := g.m[installationID]
	if gt == nil {
		gt = &gate{}
		g.m[installationID] = gt
	}
	return gt
}

// Hold reports until when the installation must wait (zero: it need not).
func (g *gates) Hold(installationID int64) time.Time {
	g.mu.Lock()
	gt := g.m[installationID]
	g.mu.Unlock()
	if gt == nil {
		return time.Time{}
	}
	gt.mu.Lock()
	defer gt.mu.Unlock()
	if gt.until.After(g.clock()) {
		return gt.until
	}
	return time.Time{}
}

func (g *gates) clock() time.Time {
	if g.now != nil {
		return g.now()
	}
	return time.Now()
}

func (gt *gate) pause(until time.Time) {
	gt.mu.Lock()
	if until.After(gt.until) {
		gt.until = until
	}
	gt.mu.Unlock()
}

func (gt *gate) pausedUntil() time.Time {
	gt.mu.Lock()
	defer gt.mu.Unlock()
	return gt.until
}

// maxInlineWait is the longest a request waits inside a job for a window
// to pass; a longer window fails the job with a PausedError, and the queue
// runs it again when the window has passed.
const maxInlineWait = 90 * time.Second

// PausedError says GitHub has asked the installation to wait until Until.
type PausedError struct {
	InstallationID int64
	Until          time.Time
}

func (e *PausedError) Error() string {
	return fmt.Sprintf("installation %d is rate-limited by GitHub until %s", e.InstallationID, e.Until.UTC().Format(time.RFC3339))
}

// transport wraps next with the installation's gate.
func (g *gates) transport(installationID int64, next http.RoundTripper) http.RoundTripper {
	gt := g.get(installationID)
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		for try := 0; ; try++ {
			if err := g.wait(r.Context(), installationID, gt); err != nil {
				return nil, err
			}
			resp, err := next.RoundTrip(r)
			if err != nil {
				return resp, err
			}
			until, limited := rateLimitedUntil(resp, g.clock())
			if !limited {
				// A success that spent the last of the budget (GraphQL also
				// answers a spent budget with 200 and a RATE_LIMITED error):
				// nothing more goes out until the reset.
				if reset, ok := exhausted(resp, g.clock()); ok {
					gt.pause(reset)
				}
				return resp, nil
			}
			gt.pause(until)
			// Send the refused request again once the window has passed, if
			// its body can be replayed and the job can wait that long;
			// otherwise go-github sees the refusal and the job is retried.
			if try >= 2 || (r.Body != nil && r.GetBody == nil) || !canWait(r.Context(), until.Sub(g.clock())) {
				return resp, nil
			}
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			if r.GetBody != nil {
				body, err := r.GetBody()
				if err != nil {
					return nil, fmt.Errorf("replay request body: %w", err)
				}
				r = r.Clone(r.Context())
				r.Body = body
			}
		}
	})
}

// wait blocks until gt's window has passed, or fails at once with a
// PausedError when the request's context cannot wait that long.
func (g *gates) wait(ctx context.Context, installationID int64, gt *gate) error {
	until := gt.pausedUntil()
	d := until.Sub(g.clock())
	if d <= 0 {
		return nil
	}
	if !canWait(ctx, d) {
		return &PausedError{InstallationID: installationID, Until: until}
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// canWait reports whether a request may wait d: not past maxInlineWait,
// and not past its context's deadline.
func canWait(ctx context.Context, d time.Duration) bool {
	if d > maxInlineWait {
		return false
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d+5*time.Second {
		return false
	}
	return true
}

// rateLimitedUntil reports whether resp is a rate-limit refusal and until
// when to wait: a 403 or 429 with Retry-After (secondary), with
// x-ratelimit-remaining 0 (primary: until x-ratelimit-reset), or saying
// "secondary rate limit" without either (GitHub: wait at least a minute).
func rateLimitedUntil(resp *http.Response, now time.Time) (time.Time, bool) {
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusTooManyRequests {
		return time.Time{}, false
	}
	if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s >= 0 {
		// GitHub asks for at least a second between retries; a 0 is not
		// an invitation to resend at once.
		return now.Add(max(time.Duration(s)*time.Second, time.Second)), true
	}
	if reset, ok := exhausted(resp, now); ok {
		return reset, true
	}
	if resp.StatusCode == http.StatusTooManyRequests || saysSecondaryLimit(resp) {
		return now.Add(time.Minute), true
	}
	return time.Time{}, false
}

// minPrimaryPause is the least a spent primary budget pauses an
// installation, whatever x-ratelimit-reset says: a reset already past by
// our clock (skew, the reset second itself) must not mean "resend now".
const minPrimaryPause = 5 * time.Second

// exhausted reports whether resp says the installation's primary budget is
// spent (x-ratelimit-remaining 0), and until when to wait: the reset plus
// a second, at least minPrimaryPause from now.
func exhausted(resp *http.Response, now time.Time) (time.Time, bool) {
	if resp.Header.Get("X-RateLimit-Remaining") != "0" {
		return time.Time{}, false
	}
	until := now.Add(time.Minute)
	if reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil {
		until = time.Unix(reset, 0).Add(time.Second)
	}
	if min := now.Add(minPrimaryPause); until.Before(min) {
		until = min
	}
	return until, true
}

// saysSecondaryLimit reads a 403's message (putting the body back) for
// GitHub's "You have exceeded a secondary rate limit".
func saysSecondaryLimit(resp *http.Response) bool {
	if resp.Body == nil {
		return false
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	rest := resp.Body
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(b), rest), rest}
	low := bytes.ToLower(b)
	// GitHub's older wording of the same limit is "abuse detection".
	return err == nil && (bytes.Contains(low, []byte("secondary rate limit")) || bytes.Contains(low, []byte("abuse detection")))
}

// retryAfterOf is how long a failed job should wait before its next try
// because GitHub said so (0: no such word in err).
func retryAfterOf(err error) time.Duration {
	var (
		paused *PausedError
		rle    *github.RateLimitError
		abuse  *github.AbuseRateLimitError
	)
	switch {
	case errors.As(err, &paused):
		return time.Until(paused.Until)
	case errors.As(err, &rle):
		return time.Until(rle.Rate.Reset.Time) + time.Second
	case errors.As(err, &abuse):
		if abuse.RetryAfter != nil {
			return *abuse.RetryAfter
		}
		return time.Minute
	}
	return 0
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
