package gh

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRetryRetriesTransientReadsOnly(t *testing.T) {
	cases := []struct {
		name     string
		method   string
		statuses []int // answers in order; 0 = connection error
		want     int   // status finally returned (0 = error)
		tries    int
		waits    []time.Duration
	}{
		{"502 then ok", "GET", []int{502, 200}, 200, 2, []time.Duration{time.Second}},
		{"gives up after 3", "GET", []int{503, 504, 502, 200}, 502, 3, []time.Duration{time.Second, 4 * time.Second}},
		{"connection error then ok", "GET", []int{0, 200}, 200, 2, []time.Duration{time.Second}},
		{"404 is final", "GET", []int{404, 200}, 404, 1, nil},
		{"rate limit is not retried", "GET", []int{403, 200}, 403, 1, nil},
		{"writes are never retried", "POST", []int{502, 200}, 502, 1, nil},
		{"Retry-After wins", "GET", []int{-503, 200}, 200, 2, []time.Duration{2 * time.Second}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tries := 0
			var waits []time.Duration
			rt := Retry(3, time.Second, func(_ context.Context, d time.Duration) bool { waits = append(waits, d); return true })(roundTripFunc(func(r *http.Request) (*http.Response, error) {
				s := c.statuses[tries]
				tries++
				if s == 0 {
					return nil, errors.New("connection reset")
				}
				h := http.Header{}
				if s < 0 {
					s = -s
					h.Set("Retry-After", "2")
				}
				return &http.Response{StatusCode: s, Header: h, Body: io.NopCloser(strings.NewReader(""))}, nil
			}))
			req, _ := http.NewRequest(c.method, "https://api.github.com/repos/a/b", nil)
			resp, err := rt.RoundTrip(req)
			got := 0
			if err == nil {
				got = resp.StatusCode
			}
			if got != c.want || tries != c.tries {
				t.Errorf("status %d after %d tries, want %d after %d", got, tries, c.want, c.tries)
			}
			if len(waits) != len(c.waits) {
				t.Fatalf("waits %v, want %v", waits, c.waits)
			}
			for i := range waits {
				if waits[i] != c.waits[i] {
					t.Errorf("wait %d = %v, want %v", i, waits[i], c.waits[i])
				}
			}
		})
	}
}

func TestRetryStopsWaitingWhenTheRequestIsCancelled(t *testing.T) {
	called := make(chan struct{}, 1)
	rt := Retry(3, time.Hour, nil)(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		called <- struct{}{}
		return &http.Response{StatusCode: 502, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}, nil
	}))
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", "https://api.github.com/repos/a/b", nil)
	done := make(chan error, 1)
	go func() {
		_, err := rt.RoundTrip(req)
		done <- err
	}()
	<-called // the first attempt failed; the retry now waits an hour
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the retry kept waiting after its request was cancelled")
	}
}
