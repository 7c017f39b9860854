package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// GraphQL reports a spent primary budget as 200 with a RATE_LIMITED error
// and x-ratelimit-remaining 0: the installation is paused until the reset,
// and nothing more reaches GitHub before it.
func TestGatePausesOnASpentGraphQLBudget(t *testing.T) {
	var hits atomic.Int32
	reset := time.Now().Add(30 * time.Minute).Unix()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset, 10))
		w.Write([]byte(`{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for installation ID 1."}]}`))
	}))
	defer srv.Close()
	g := &gates{}
	c := &http.Client{Transport: g.transport(1, http.DefaultTransport)}
	for range 3 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, _ := http.NewRequestWithContext(ctx, "POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{viewer{login}}"}`))
		if resp, err := c.Do(req); err == nil {
			resp.Body.Close()
		}
		cancel()
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests reached GitHub after the budget was spent, want 1", hits.Load())
	}
	if until := g.Hold(1); until.Unix() < reset {
		t.Errorf("Hold = %v, want until the reset %v", until, time.Unix(reset, 0))
	}
}

// A primary-limit refusal whose reset is already past by our clock (skew,
// or the reset second itself) still pauses the installation for a few
// seconds instead of resending at once.
func TestGatePausesOnAPrimaryLimitWithAPastReset(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(-5*time.Second).Unix(), 10))
		w.WriteHeader(http.StatusForbidden)
		w.Write([]byte(`{"message":"API rate limit exceeded"}`))
	}))
	defer srv.Close()
	g := &gates{}
	c := &http.Client{Transport: g.transport(1, http.DefaultTransport)}
	// A job that cannot wait the pause gets the refusal back (and is
	// retried after it) rather than a resend.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/repos/o/r", nil)
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
	}
	if hits.Load() != 1 {
		t.Errorf("%d requests reached GitHub in a row, want 1", hits.Load())
	}
	if d := time.Until(g.Hold(1)); d < 3*time.Second {
		t.Errorf("paused for %v after a past reset, want at least a few seconds", d)
	}
}
