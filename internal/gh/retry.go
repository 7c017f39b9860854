package gh

import (
	"context"
	"net/http"
	"strconv"
	"time"
)

// Retry retries reads that GitHub failed transiently (502, 503, 504, or a
// broken connection) up to attempts-1 more times, waiting base, 4×base,
// 9×base… between tries (probot's schedule), or the Retry-After GitHub
// asked for when it is shorter than a minute. Writes are never retried
// here: a POST that GitHub applied but answered late would be applied
// twice; the reconcilers repair failed writes on the next event or sweep.
// Rate-limit answers (403/429) are not retried either: go-github reports
// them as errors and the work is picked up later.
func Retry(attempts int, base time.Duration, sleep func(context.Context, time.Duration) bool) func(http.RoundTripper) http.RoundTripper {
	if sleep == nil {
		sleep = sleepCtx
	}
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				return next.RoundTrip(r)
			}
			for try := 1; ; try++ {
				resp, err := next.RoundTrip(r)
				if try >= attempts || r.Context().Err() != nil || !transient(resp, err) {
					return resp, err
				}
				wait := time.Duration(try*try) * base
				if resp != nil {
					if s, perr := strconv.Atoi(resp.Header.Get("Retry-After")); perr == nil && s >= 0 && s < 60 {
						wait = time.Duration(s) * time.Second
					}
					resp.Body.Close()
				}
				if !sleep(r.Context(), wait) {
					return nil, r.Context().Err()
				}
			}
		})
	}
}

func transient(resp *http.Response, err error) bool {
	if err != nil {
		return true
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// sleepCtx waits d, or less when ctx ends (then it reports false): a
// shutting-down worker or a timed-out job does not wait out a backoff.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
