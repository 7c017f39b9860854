package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// startWorld runs the real app (every default feature) against a fresh
// emulator on loopback, with production's queue, body budget and client
// cache (sandbox.Start shrinks the worker pool for scenes), and the
// production logger at info level writing JSON to nowhere: the encoding is
// paid for, as in production, but nothing is kept.
func startWorld(now time.Time, configure func(*config.Server)) (*sandbox.World, error) {
	logger, err := app.NewLogger(io.Discard, "info", "json")
	if err != nil {
		return nil, err
	}
	def := config.DefaultServer()
	return sandbox.Start(sandbox.Options{
		Now:    now,
		Logger: &logger,
		Configure: func(c *config.Server) {
			c.Queue.Workers = def.Queue.Workers
			c.Queue.Size = def.Queue.Size
			c.Queue.MaxMiB = def.Queue.MaxMiB
			c.Server.WebhookMemoryMiB = def.Server.WebhookMemoryMiB
			c.GitHub.ClientCacheSize = def.GitHub.ClientCacheSize
			if configure != nil {
				configure(c)
			}
		},
	})
}

// delivery is a signed webhook ready to send.
type delivery struct {
	event   string
	payload []byte
	sig     string
}

func signed(event string, payload []byte) delivery {
	return delivery{event: event, payload: payload, sig: webhook.Sign(sandbox.Secret, payload)}
}

// sender posts deliveries as GitHub does (the headers of webhook.Sender),
// with the signature computed once per payload, so the sender's own CPU on
// the shared cores is little more than the HTTP client's.
type sender struct {
	url    string
	client *http.Client
}

func newSender(w *sandbox.World, conns int) *sender {
	tr := &http.Transport{
		MaxIdleConns:        conns * 2,
		MaxIdleConnsPerHost: conns * 2,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &sender{url: w.URL + "/api/github/hook", client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

func (s *sender) close() { s.client.CloseIdleConnections() }

// send delivers d with the given delivery id and returns the status.
func (s *sender) send(ctx context.Context, d delivery, id string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(d.payload))
	if err != nil {
		return 0, err
	}
	req.ContentLength = int64(len(d.payload))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", webhook.UserAgent)
	req.Header.Set("X-GitHub-Event", d.event)
	req.Header.Set("X-GitHub-Delivery", id)
	req.Header.Set("X-Hub-Signature-256", d.sig)
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("send %s %s: %w", d.event, id, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}
