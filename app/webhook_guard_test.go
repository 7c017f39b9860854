package app_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

const mib = 1 << 20

// stalledBody is a request body that yields nothing until released: a
// server that answers while it is stalled has answered without reading the
// body (one that reads it first would wait for its read deadline).
type stalledBody struct {
	release chan struct{}
	once    sync.Once
}

func newStalledBody() *stalledBody { return &stalledBody{release: make(chan struct{})} }

func (s *stalledBody) Read(p []byte) (int, error) {
	<-s.release
	return 0, io.EOF
}

// Release ends the stall; the HTTP client's writer then gives up.
func (s *stalledBody) Release() { s.once.Do(func() { close(s.release) }) }

// delivery is one raw POST to the webhook route.
type delivery struct {
	header map[string]string
	body   io.Reader
	// length is the Content-Length to announce; -1 sends the body chunked.
	length int64
}

type answer struct {
	status int
	msg    string
	header http.Header
}

// deliver POSTs d and returns the answer; it fails the test if none comes
// within 30s (a server that waits for a stalled body never answers).
func deliver(t *testing.T, url string, d delivery) answer {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/github/hook", d.body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = d.length
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-GitHub-Event", "ping")
	req.Header.Set("X-GitHub-Delivery", "guard-test")
	for k, v := range d.header {
		if v == "" {
			req.Header.Del(k)
			continue
		}
		req.Header.Set(k, v)
	}
	// A transport of its own: connections the server closes mid-body are
	// not reused by other tests.
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	// The client waits for its body writer even after giving up, so a
	// stalled body is released once the exchange is over (or timed out).
	if rel, ok := d.body.(interface{ Release() }); ok {
		go func() { <-ctx.Done(); rel.Release() }()
	}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Errorf("POST: %v", err)
		return answer{}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{status: resp.StatusCode, msg: strings.TrimSpace(string(b)), header: resp.Header}
}

// metric reads one unlabelled series from /metrics.
func metric(t *testing.T, url, name string) float64 {
	t.Helper()
	_, text := get(t, url+"/metrics")
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", line, err)
			}
			return f
		}
	}
	t.Fatalf("/metrics has no %s", name)
	return 0
}

// waitMetric waits until a series has the wanted value.
func waitMetric(t *testing.T, url, name string, want float64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for metric(t, url, name) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s is %v, waited for %v", name, metric(t, url, name), want)
		}
		<-tick.C
	}
}

func signSHA1(secret string, body []byte) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	return "sha1=" + hex.EncodeToString(mac.Sum(nil))
}

// A delivery without a usable X-Hub-Signature-256 is answered 401 before
// any of its body is read, so anyone can send 25 MiB bodies at the app
// without it holding a byte of them, however many at once.
func TestUnsignedDeliveriesAreRefusedWithoutReadingTheirBody(t *testing.T) {
	p := &probe{events: []string{"ping"}}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{p}})
	ping := []byte(`{"zen":"Keep it logically awesome.","hook_id":1}`)
	bogus := "sha256=" + strings.Repeat("ab", 32)
	cases := []struct {
		name   string
		header map[string]string
		want   string
	}{
		{"no signature", nil, "missing X-Hub-Signature-256 header"},
		{"SHA-1 only, validly signed", map[string]string{"X-Hub-Signature": signSHA1(apptest.Secret, ping)}, "X-Hub-Signature (SHA-1) is not accepted"},
		{"SHA-1 value in the SHA-256 header", map[string]string{"X-Hub-Signature-256": signSHA1(apptest.Secret, ping)}, "malformed X-Hub-Signature-256"},
		{"no algorithm prefix", map[string]string{"X-Hub-Signature-256": strings.Repeat("ab", 32)}, "malformed X-Hub-Signature-256"},
		{"upper-case prefix", map[string]string{"X-Hub-Signature-256": "SHA256=" + strings.Repeat("ab", 32)}, "malformed X-Hub-Signature-256"},
		{"short digest", map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("ab", 31)}, "malformed X-Hub-Signature-256"},
		{"long digest", map[string]string{"X-Hub-Signature-256": bogus + "00"}, "malformed X-Hub-Signature-256"},
		{"not hex", map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("zz", 32)}, "malformed X-Hub-Signature-256"},
		{"blank value", map[string]string{"X-Hub-Signature-256": " "}, "missing X-Hub-Signature-256 header"},
	}
	// Each case at once, twice over: more concurrent 25 MiB bodies than a
	// 256 MiB pod could hold if they were read.
	var wg sync.WaitGroup
	for round := range 2 {
		for _, c := range cases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got := deliver(t, h.URL, delivery{header: c.header, body: newStalledBody(), length: app.MaxPayloadBytes})
				if got.status != http.StatusUnauthorized || !strings.Contains(got.msg, c.want) {
					t.Errorf("%s (round %d): %d %q, want 401 saying %q", c.name, round, got.status, got.msg, c.want)
				}
			}()
		}
	}
	wg.Wait()
	for name, want := range map[string]float64{
		"overlap_webhook_body_read_bytes_total":   0,
		"overlap_webhook_body_reserved_max_bytes": 0,
		"overlap_webhook_body_budget_bytes":       64 * mib,
	} {
		if got := metric(t, h.URL, name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if n := p.calls.Load(); n != 0 {
		t.Errorf("a refused delivery reached a feature (%d calls)", n)
	}
	// GitHub's own deliveries (both headers, as GitHub sends them) still pass.
	ok := deliver(t, h.URL, delivery{header: map[string]string{
		"X-Hub-Signature-256": webhook.Sign(apptest.Secret, ping), "X-Hub-Signature": signSHA1(apptest.Secret, ping),
	}, body: bytes.NewReader(ping), length: int64(len(ping))})
	if ok.status != http.StatusOK {
		t.Errorf("a signed ping: %d %q, want 200", ok.status, ok.msg)
	}
}

// Bodies being read share one memory budget (server.webhook_memory_mib): a
// delivery that finds no room within a second gets 503 with Retry-After
// instead of growing the process, and the room comes back as soon as the
// delivery holding it is done, so GitHub's next delivery is accepted.
func TestWebhookBodiesShareABoundedMemoryBudget(t *testing.T) {
	h := apptest.New(t, apptest.Options{
		Features:  []handlers.Feature{&probe{events: []string{"ping"}}},
		Configure: func(c *config.Server) { c.Server.WebhookMemoryMiB = 32 },
	})
	bogus := map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("ab", 32)}

	// Senders that announce large bodies and send nothing hold one step
	// each, not what they announced: three of them (21 MiB each, 63 MiB
	// announced against a 32 MiB budget) leave room for GitHub's deliveries.
	for i := range 3 {
		spr, spw := io.Pipe()
		t.Cleanup(func() { spw.CloseWithError(errors.New("test over")) })
		go func() {
			// Not deliver: this request is cut off at cleanup, by design.
			req, _ := http.NewRequest(http.MethodPost, h.URL+"/api/github/hook", spr)
			req.ContentLength = 21 * mib
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-GitHub-Event", "ping")
			for k, v := range bogus {
				req.Header.Set(k, v)
			}
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		waitMetric(t, h.URL, "overlap_webhook_body_reserved_bytes", float64((i+1)*bodyStepForTest))
	}
	ping := []byte(`{"zen":"Design for failure.","hook_id":1}`)
	signed := map[string]string{"X-Hub-Signature-256": webhook.Sign(apptest.Secret, ping)}
	if got := deliver(t, h.URL, delivery{header: signed, body: bytes.NewReader(ping), length: int64(len(ping))}); got.status != http.StatusOK {
		t.Fatalf("a signed ping while three senders stall: %d %q, want 200", got.status, got.msg)
	}

	// A holds 20 MiB: it announces them and sends all but 1 KiB.
	pr, pw := io.Pipe()
	t.Cleanup(func() { pw.CloseWithError(errors.New("test over")) })
	held := make(chan answer, 1)
	go func() { held <- deliver(t, h.URL, delivery{header: bogus, body: pr, length: 20 * mib}) }()
	if _, err := pw.Write(make([]byte, 20*mib-1<<10)); err != nil {
		t.Fatal(err)
	}
	waitMetric(t, h.URL, "overlap_webhook_body_reserved_bytes", 20*mib+3*bodyStepForTest)

	cases := []struct {
		name string
		d    delivery
	}{
		{"20 MiB announced", delivery{header: bogus, body: bytes.NewReader(make([]byte, 20*mib)), length: 20 * mib}},
		// Chunked: it reserves as it arrives and runs out of room at 12 MiB.
		{"16 MiB chunked", delivery{header: bogus, body: io.MultiReader(bytes.NewReader(make([]byte, 16*mib))), length: -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			got := deliver(t, h.URL, c.d)
			if got.status != http.StatusServiceUnavailable || got.header.Get("Retry-After") == "" {
				t.Errorf("%d %q (Retry-After %q), want 503 with Retry-After", got.status, got.msg, got.header.Get("Retry-After"))
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("the refusal took %s; GitHub gives up after 10s", took)
			}
		})
	}
	if peak := metric(t, h.URL, "overlap_webhook_body_reserved_max_bytes"); peak > 32*mib {
		t.Errorf("reserved at most %v bytes, over the 32 MiB budget", peak)
	}
	waitMetric(t, h.URL, "overlap_webhook_body_reserved_bytes", 20*mib+3*bodyStepForTest)

	// A finishes: its forged signature is refused, its room given back.
	if _, err := pw.Write(make([]byte, 1<<10)); err != nil {
		t.Fatal(err)
	}
	if got := <-held; got.status != http.StatusUnauthorized {
		t.Errorf("the held delivery: %d %q, want 401 (its signature is forged)", got.status, got.msg)
	}
	waitMetric(t, h.URL, "overlap_webhook_body_reserved_bytes", 3*bodyStepForTest)

	for _, d := range []delivery{
		{header: signed, body: bytes.NewReader(ping), length: int64(len(ping))},
		{header: signed, body: io.MultiReader(bytes.NewReader(ping)), length: -1},
	} {
		if got := deliver(t, h.URL, d); got.status != http.StatusOK {
			t.Errorf("signed ping (length %d): %d %q, want 200", d.length, got.status, got.msg)
		}
	}
	waitMetric(t, h.URL, "overlap_webhook_body_reserved_bytes", 3*bodyStepForTest)
}

// bodyStepForTest is the step a large body reserves at a time (bodyStep).
const bodyStepForTest = 64 << 10

// A sender that announces a body and stalls is cut off at the read
// deadline (server.read_timeout, at most GitHub's 10 s), and the budget it
// held is given back.
func TestStalledWebhookBodyIsCutOffAndItsBudgetReturned(t *testing.T) {
	h := apptest.New(t, apptest.Options{
		Features:  []handlers.Feature{&probe{events: []string{"ping"}}},
		Configure: func(c *config.Server) { c.Server.ReadTimeout = 300 * time.Millisecond },
	})
	got := deliver(t, h.URL, delivery{header: map[string]string{"X-Hub-Signature-256": "sha256=" + strings.Repeat("ab", 32)}, body: newStalledBody(), length: mib})
	if got.status != http.StatusRequestTimeout || !strings.Contains(got.msg, "did not arrive within 300ms") {
		t.Errorf("stalled body: %d %q, want 408 naming the deadline", got.status, got.msg)
	}
	waitMetric(t, h.URL, "overlap_webhook_body_reserved_bytes", 0)
	if peak := metric(t, h.URL, "overlap_webhook_body_reserved_max_bytes"); peak != mib {
		t.Errorf("reserved at most %v bytes, want the announced %d", peak, mib)
	}
}
