package githubfake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// The App's webhook, as GitHub runs it: every delivery is recorded with the
// status the app answered, and the hook-deliveries API lists them, shows one
// and redelivers one. GitHub never retries a failed delivery by itself, so
// a test that wants "lost" deliveries repaired must go through this API,
// exactly as the app has to in production.

// Retention is how long GitHub keeps deliveries for listing and
// redelivery on github.com (GHES: 7 days).
const Retention = 72 * time.Hour

// Delivery is one attempt to deliver an event to the App's webhook.
type Delivery struct {
	ID   int64  // unique per attempt
	GUID string // X-GitHub-Delivery: the same on every redelivery of an event
	// Event and Action name the event ("pull_request", "opened"; Action is
	// "" for events without one).
	Event, Action  string
	InstallationID int64 // 0: none in the payload
	RepositoryID   int64 // 0: none in the payload
	DeliveredAt    time.Time
	Redelivery     bool
	// StatusCode is what the app answered; 0 when it did not answer
	// (connection failed, or it took longer than Options.WebhookTimeout).
	StatusCode int
	// Status is GitHub's description: "OK", "Invalid HTTP Response: 503",
	// "failed to connect", "timed out".
	Status   string
	Duration time.Duration
	URL      string
	Payload  []byte
	Response string // the app's response body (capped)
}

// hookState is the webhook configuration and the delivery log. Guarded by
// Server.mu.
type hookState struct {
	url, secret string
	timeout     time.Duration
	log         []*Delivery // oldest first; ids ascend
	nextID      int64
	inflight    int           // redeliveries being sent
	idle        chan struct{} // closed when inflight drops to 0
	ctx         context.Context
	cancel      context.CancelFunc
}

func newHookState(opts Options) hookState {
	ctx, cancel := context.WithCancel(context.Background())
	// GitHub's delivery ids are large integers; start where they look real.
	return hookState{url: opts.WebhookURL, secret: opts.WebhookSecret, timeout: opts.WebhookTimeout,
		nextID: 12_000_000_000, ctx: ctx, cancel: cancel}
}

// SetWebhook points the App's webhook at url, signed with secret: the app's
// address is usually known only after the fake has started.
func (s *Server) SetWebhook(url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hooks.url, s.hooks.secret = url, secret
}

// Deliver sends an event to the App's webhook as GitHub does (signed, with
// X-GitHub-Event and X-GitHub-Delivery) and records the attempt for the
// hook-deliveries API. An empty guid gets a fresh random one. A delivery the
// app refused or did not answer is not an error: it is returned with its
// StatusCode and Status, as GitHub records it; err is only for a missing
// webhook URL.
func (s *Server) Deliver(ctx context.Context, event, guid string, payload []byte) (Delivery, error) {
	if guid == "" {
		guid = newGUID()
	}
	return s.send(ctx, event, guid, payload, false)
}

// Deliveries returns every delivery attempt, oldest first (including those
// past Retention, which the API no longer shows).
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, 0, len(s.hooks.log))
	for _, d := range s.hooks.log {
		out = append(out, *d)
	}
	return out
}

// WaitDeliveries blocks until every redelivery GitHub accepted (202) has
// been sent and recorded, or ctx ends. GitHub redelivers asynchronously;
// tests wait on this condition instead of sleeping.
func (s *Server) WaitDeliveries(ctx context.Context) error {
	return s.waitDeliveries(ctx)
}

func (s *Server) waitDeliveries(ctx context.Context) error {
	for {
		s.mu.Lock()
		if s.hooks.inflight == 0 {
			s.mu.Unlock()
			return nil
		}
		idle := s.hooks.idle
		s.mu.Unlock()
		select {
		case <-idle:
		case <-ctx.Done():
			return fmt.Errorf("wait for redeliveries: %w", ctx.Err())
		}
	}
}

// send makes one delivery attempt and records it.
func (s *Server) send(ctx context.Context, event, guid string, payload []byte, redelivery bool) (Delivery, error) {
	s.mu.Lock()
	url, secret, timeout := s.hooks.url, s.hooks.secret, s.hooks.timeout
	s.mu.Unlock()
	if url == "" {
		return Delivery{}, errors.New("githubfake: the App has no webhook URL (Options.WebhookURL or SetWebhook)")
	}
	d := Delivery{GUID: guid, Event: event, Redelivery: redelivery, URL: url, Payload: append([]byte(nil), payload...)}
	var env struct {
		Action       string `json:"action"`
		Installation *struct {
			ID int64 `json:"id"`
		} `json:"installation"`
		Repository *struct {
			ID int64 `json:"id"`
		} `json:"repository"`
	}
	if json.Unmarshal(payload, &env) == nil {
		d.Action = env.Action
		if env.Installation != nil {
			d.InstallationID = env.Installation.ID
		}
		if env.Repository != nil {
			d.RepositoryID = env.Repository.ID
		}
	}
	sender := webhook.Sender{URL: url, Secret: secret, Client: &http.Client{Timeout: timeout}}
	start := time.Now()
	status, body, err := sender.Send(ctx, event, guid, payload)
	d.Duration = time.Since(start)
	d.StatusCode, d.Response = status, string(body)
	switch {
	case err != nil && status == 0 && isTimeout(err):
		d.Status = "timed out"
	case err != nil && status == 0:
		d.Status = "failed to connect"
	case status >= 200 && status < 300:
		d.Status = "OK"
	default:
		d.Status = "Invalid HTTP Response: " + strconv.Itoa(status)
	}
	s.mu.Lock()
	s.hooks.nextID++
	d.ID = s.hooks.nextID
	d.DeliveredAt = s.opts.Now()
	rec := d
	s.hooks.log = append(s.hooks.log, &rec)
	s.mu.Unlock()
	return d, nil
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// newGUID makes a random GUID shaped like X-GitHub-Delivery.
func newGUID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	x := hex.EncodeToString(b)
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// retainedLocked lists the deliveries GitHub still shows, newest first.
// Callers hold s.mu.
func (s *Server) retainedLocked() []*Delivery {
	cutoff := s.opts.Now().Add(-Retention)
	var out []*Delivery
	for i := len(s.hooks.log) - 1; i >= 0; i-- {
		if d := s.hooks.log[i]; !d.DeliveredAt.Before(cutoff) {
			out = append(out, d)
		}
	}
	return out
}

func (s *Server) deliveryLocked(c *call) *Delivery {
	id, err := strconv.ParseInt(c.params["delivery_id"], 10, 64)
	if err != nil {
		return nil
	}
	for _, d := range s.retainedLocked() {
		if d.ID == id {
			return d
		}
	}
	return nil
}

func nullableString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

func nullableID(v int64) any {
	if v == 0 {
		return nil
	}
	return v
}

// deliveryItemJSON is GitHub's "hook-delivery-item".
func deliveryItemJSON(d *Delivery) map[string]any {
	return map[string]any{
		"id": d.ID, "guid": d.GUID, "delivered_at": ts(d.DeliveredAt), "redelivery": d.Redelivery,
		"duration": d.Duration.Seconds(), "status": d.Status, "status_code": d.StatusCode,
		"event": d.Event, "action": nullableString(d.Action),
		"installation_id": nullableID(d.InstallationID), "repository_id": nullableID(d.RepositoryID),
		"throttled_at": nil,
	}
}

// hListDeliveries serves GET /app/hook/deliveries: newest first, cursor
// pagination (per_page ≤ 100, Link rel="next" carrying cursor=), and the
// status=success|failure filter on status_code ranges as GitHub documents
// them (200–399, 400–599: a delivery that got no answer, status_code 0, is
// in neither).
func hListDeliveries(s *Server, c *call) response {
	perPage := atoiDefault(c.query("per_page"), 30)
	if perPage <= 0 {
		perPage = 30
	}
	perPage = min(perPage, 100)
	var from int64 = -1
	if cur := c.query("cursor"); cur != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(cur, "v1_"), 10, 64)
		if err != nil || !strings.HasPrefix(cur, "v1_") {
			return invalid("HookDelivery", "cursor", "invalid", "cursor "+strconv.Quote(cur)+" is not one GitHub gave out in a Link header")
		}
		from = n
	}
	filter := c.query("status")
	switch filter {
	case "", "success", "failure":
	default:
		return invalid("HookDelivery", "status", "invalid", "status must be success or failure")
	}
	var items []*Delivery
	for _, d := range s.retainedLocked() {
		if from >= 0 && d.ID > from {
			continue
		}
		switch {
		case filter == "success" && (d.StatusCode < 200 || d.StatusCode > 399):
			continue
		case filter == "failure" && (d.StatusCode < 400 || d.StatusCode > 599):
			continue
		}
		items = append(items, d)
	}
	page := items[:min(perPage, len(items))]
	out := make([]any, 0, len(page))
	for _, d := range page {
		out = append(out, deliveryItemJSON(d))
	}
	h := http.Header{}
	if len(items) > len(page) {
		u := *c.r.URL
		q := u.Query()
		q.Set("cursor", "v1_"+strconv.FormatInt(items[len(page)].ID, 10))
		q.Set("per_page", strconv.Itoa(perPage))
		u.RawQuery = q.Encode()
		h.Set("Link", fmt.Sprintf("<%s%s>; rel=%q", baseURL(c.r), u.RequestURI(), "next"))
	}
	return response{status: http.StatusOK, body: out, header: h}
}

// hGetDelivery serves GET /app/hook/deliveries/{delivery_id}: the item plus
// the request GitHub sent and the response it got.
func hGetDelivery(s *Server, c *call) response {
	d := s.deliveryLocked(c)
	if d == nil {
		return notFound()
	}
	out := deliveryItemJSON(d)
	out["url"] = d.URL
	var payload any
	if json.Unmarshal(d.Payload, &payload) != nil {
		payload = nil
	}
	out["request"] = map[string]any{
		"headers": map[string]any{
			"X-GitHub-Delivery": d.GUID, "X-GitHub-Event": d.Event, "User-Agent": webhook.UserAgent,
			"Content-Type": "application/json", "X-GitHub-Hook-Installation-Target-Type": "integration",
			"X-GitHub-Hook-Installation-Target-ID": strconv.FormatInt(s.app.id, 10),
		},
		"payload": payload,
	}
	out["response"] = map[string]any{"headers": map[string]any{}, "payload": nullableString(d.Response)}
	return jsonResp(http.StatusOK, out)
}

// hRedeliver serves POST /app/hook/deliveries/{delivery_id}/attempts: 202,
// then, asynchronously as on GitHub, the same payload goes to the webhook
// again with the same GUID, recorded as a new delivery with redelivery
// true. WaitDeliveries waits for it.
func hRedeliver(s *Server, c *call) response {
	d := s.deliveryLocked(c)
	if d == nil {
		return notFound()
	}
	if s.hooks.url == "" {
		s.violate("setup: POST %s: the App has no webhook URL to redeliver to (Options.WebhookURL or SetWebhook)", c.r.URL.Path)
	}
	if s.hooks.inflight == 0 {
		s.hooks.idle = make(chan struct{})
	}
	s.hooks.inflight++
	event, guid, payload, ctx := d.Event, d.GUID, d.Payload, s.hooks.ctx
	go func() {
		_, _ = s.send(ctx, event, guid, payload, true)
		s.mu.Lock()
		s.hooks.inflight--
		if s.hooks.inflight == 0 {
			close(s.hooks.idle)
		}
		s.mu.Unlock()
	}()
	return jsonResp(http.StatusAccepted, map[string]any{})
}
