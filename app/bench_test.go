package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// noop is a feature that does nothing, to measure the spine alone.
type noop struct{}

func (noop) Name() string     { return "noop" }
func (noop) Events() []string { return []string{"pull_request"} }
func (noop) Handle(context.Context, *handlers.Env, *handlers.Event) error {
	return nil
}

func labeledPayload(b *testing.B, h *apptest.Harness) []byte {
	h.AddRepo("api", map[string]string{"README.md": "# api\n"})
	h.Fake.Commit(apptest.Org, "api", "feature", githubfake.CommitSpec{Message: "x", Author: "alice", Files: map[string]string{"a.go": "package a\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Change", Author: "alice", Head: "feature"})
	p, err := h.Builder("api", "alice").PullRequestLabeled("labeled", h.PR("api", n), "decision")
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkWebhookIngest measures what a delivery costs the server up to
// its 202: the guard (size cap, HMAC, JSON check), go-githubapp's dispatcher
// and the queue, in process. Handling runs on the workers in the background.
func BenchmarkWebhookIngest(b *testing.B) {
	h := apptest.New(b, apptest.Options{Features: []handlers.Feature{noop{}}, Configure: func(c *config.Server) {
		c.Queue.Size = 1 << 20
		c.Queue.Workers = 4
	}})
	payload := labeledPayload(b, h)
	sig := webhook.Sign(apptest.Secret, payload)
	handler := h.App.Handler()
	b.SetBytes(int64(len(payload)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest(http.MethodPost, "/api/github/hook", bytes.NewReader(payload))
		req.Header.Set("X-GitHub-Event", "pull_request")
		req.Header.Set("X-GitHub-Delivery", fmt.Sprint(i))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Hub-Signature-256", sig)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusAccepted {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.StopTimer()
	h.WaitIdle()
}

// BenchmarkWebhookAckLatency measures the time from sending a signed
// delivery over loopback HTTP to its 202, and reports p50 and p99.
func BenchmarkWebhookAckLatency(b *testing.B) {
	h := apptest.New(b, apptest.Options{Features: []handlers.Feature{noop{}}, Configure: func(c *config.Server) {
		c.Queue.Size = 1 << 20
	}})
	payload := labeledPayload(b, h)
	s := webhook.Sender{URL: h.URL + "/api/github/hook", Secret: apptest.Secret}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		st, _, err := s.Send(context.Background(), "pull_request", fmt.Sprint(i), payload)
		if err != nil || st != http.StatusAccepted {
			b.Fatalf("status %d, %v", st, err)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	h.WaitIdle()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkConfigCheckEvent runs one pull_request event that changes the
// policy through the whole path against the emulator and reports the
// GitHub API calls it costs.
func BenchmarkConfigCheckEvent(b *testing.B) {
	h := apptest.New(b, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	h.AddRepo("api", map[string]string{".github/overlap.yml": "adr:\n  check: advisory\n"})
	h.Fake.Commit(apptest.Org, "api", "policy", githubfake.CommitSpec{Message: "x", Author: "alice", Files: map[string]string{".github/overlap.yml": "adr:\n  check: required\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Policy", Author: "alice", Head: "policy"})
	payload := h.PREvent("synchronize", "api", n)
	h.Send("pull_request", payload) // warm: token minted, check created
	h.ResetCounts()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Send("pull_request", payload)
	}
	b.StopTimer()
	b.ReportMetric(float64(h.Calls.Total())/float64(b.N), "api-calls/op")
	b.ReportMetric(float64(len(h.Writes()))/float64(b.N), "writes/op")
}
