package githubfake

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Options configures a Server. The zero value works.
type Options struct {
	// Now is the simulated world's clock: created_at, updated_at, commit
	// dates, review request times. Default: time.Now.
	Now func() time.Time
	// WallNow is the clock for authentication and rate-limit windows. The
	// clients (ghinstallation, go-github) judge JWT and token expiry and
	// X-RateLimit-Reset against the real clock, so this stays real even when
	// Now is simulated. Default: time.Now.
	WallNow func() time.Time

	// AppID, AppSlug and AppName describe the one GitHub App. Defaults:
	// 1001, "overlap", "Overlap".
	AppID   int64
	AppSlug string
	AppName string
	// AppKey is the App's private key; nil generates a 2048-bit key.
	AppKey *rsa.PrivateKey

	// RateLimit is the hourly request budget per installation and resource
	// (core, graphql). Default: 5000.
	RateLimit int
	// CacheControl is sent on successful GETs. Default: GitHub's
	// "private, max-age=60, s-maxage=60".
	CacheControl string

	// Latency delays every API request before it is handled, on top of any
	// Fault's: GitHub answers in tens to hundreds of milliseconds, and a
	// queue sized against a 1 ms loopback emulator is sized wrong. SetLatency
	// changes it while the server runs.
	Latency time.Duration
	// ContentWritesPerMinute, when positive, is a secondary rate limit on
	// write requests per installation (or App) in any 60 s of WallNow:
	// GitHub allows about 80 content-creating requests a minute. A write
	// over it is answered 403 "You have exceeded a secondary rate limit"
	// with Retry-After: 60, and opens a penalty window (see
	// RateLimitViolations). 0: no such limit.
	ContentWritesPerMinute int

	// WebhookURL and WebhookSecret are the App's webhook, where Deliver and
	// redeliveries (POST /app/hook/deliveries/{id}/attempts) send events.
	// SetWebhook sets them once the app's address is known.
	WebhookURL    string
	WebhookSecret string
	// WebhookTimeout is how long a delivery may take before GitHub gives up
	// and records it as failed ("timed out"). Default: GitHub's 10 s.
	WebhookTimeout time.Duration
}

// Write is one write request the fake received (POST, PATCH, PUT, DELETE,
// and GraphQL mutations), successful or not.
type Write struct {
	Method       string
	Route        string // operation template, e.g. "POST /repos/{owner}/{repo}/check-runs"
	Path         string // the request path
	Body         []byte
	Status       int
	Installation int64 // 0 for App (JWT) requests
	// Applied reports that the fake handled the write (it took effect when
	// the handler succeeded), even if the client saw a fault: see
	// Fault.AfterApply.
	Applied bool
}

// Request is one entry of the request log.
type Request struct {
	Method, Route, Path string
	// Status is what the client saw; 0 when the connection was dropped
	// without a response (Fault.Drop).
	Status       int
	Installation int64
	// At is the WallNow instant the request arrived.
	At time.Time
	// InWindow marks a request that arrived while its installation was told
	// to wait: inside a secondary limit's Retry-After window, or after a
	// primary-limit refusal and before X-RateLimit-Reset. GitHub penalises
	// such clients; each one is also a violation.
	InWindow bool
}

// Fault makes matching requests fail (or slow down) before they are handled,
// or, with AfterApply, after.
type Fault struct {
	Method string // "" matches any method
	// Route is an operation template ("GET /repos/{owner}/{repo}/contents/{path}",
	// "POST /graphql"); "" matches every route.
	Route string
	// Installation limits the fault to requests made with that
	// installation's tokens; 0 matches every caller.
	Installation int64
	// Status is the response status; 0 only applies Latency and then handles
	// the request normally. A 403 or 429 with RetryAfter is a secondary rate
	// limit: it opens a penalty window for the caller (RateLimitViolations).
	Status int
	// AfterApply handles the request first, so a write takes effect in the
	// fake's state, and only then answers Status (or drops the connection):
	// GitHub applied it, but the client saw a 502 or nothing. A client that
	// repeats such a write blindly duplicates it.
	AfterApply bool
	// Drop closes the connection without any response, as a load balancer
	// or a network partition does; the client sees a transport error.
	Drop bool
	// Body is the response body; "" sends a GitHub-style {"message": ...}.
	Body string
	// RetryAfter, when set, is sent as a Retry-After header (in seconds).
	RetryAfter time.Duration
	// Latency delays the response (or the handling, when Status is 0).
	Latency time.Duration
	// Times is how many requests the fault applies to; 0 means all of them
	// until ClearFaults.
	Times int
}

// Server is an in-memory GitHub reachable over real HTTP on loopback.
type Server struct {
	ts   *httptest.Server
	opts Options

	mu            sync.Mutex
	app           app
	installations map[int64]*installation
	tokens        map[string]*token
	repos         map[string]*repo // lower-case "owner/name"
	users         map[string]*user // lower-case login
	teams         map[string]*team // lower-case "org/slug"
	nextID        int64
	violations    []string
	calls         map[string]int
	total         int
	writes        []Write
	requests      []Request
	faults        []*Fault
	rates         map[string]*rateWindow
	gqlQueries    []string
	discussions   map[*repo]*repoDiscussions // discussions.go
	latency       time.Duration
	penalties     map[int64]penalty     // limits.go: secondary-limit windows by caller
	recentWrites  map[int64][]time.Time // limits.go: ContentWritesPerMinute
	revokedTokens map[string]bool       // auth.go: tokens of revoked installations
	hooks         hookState             // deliveries.go
}

type rateWindow struct {
	used  int
	reset time.Time
	// refused is set once a request was refused for this window's budget:
	// later requests before reset are penalised (limits.go).
	refused bool
}

// New builds a Server from opts. Call Start before using URL.
func New(opts Options) *Server {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.WallNow == nil {
		opts.WallNow = time.Now
	}
	if opts.AppID == 0 {
		opts.AppID = 1001
	}
	if opts.AppSlug == "" {
		opts.AppSlug = "overlap"
	}
	if opts.AppName == "" {
		opts.AppName = "Overlap"
	}
	if opts.RateLimit <= 0 {
		opts.RateLimit = 5000
	}
	if opts.CacheControl == "" {
		opts.CacheControl = "private, max-age=60, s-maxage=60"
	}
	s := &Server{
		opts:          opts,
		installations: map[int64]*installation{},
		tokens:        map[string]*token{},
		repos:         map[string]*repo{},
		users:         map[string]*user{},
		teams:         map[string]*team{},
		nextID:        100,
		calls:         map[string]int{},
		rates:         map[string]*rateWindow{},
		latency:       opts.Latency,
		penalties:     map[int64]penalty{},
		recentWrites:  map[int64][]time.Time{},
		revokedTokens: map[string]bool{},
	}
	if opts.WebhookTimeout <= 0 {
		s.opts.WebhookTimeout = 10 * time.Second
	}
	s.hooks = newHookState(s.opts)
	s.app = newApp(opts)
	if s.app.err != nil {
		s.violate("setup: %v", s.app.err)
	}
	s.userLocked(s.botLogin(), "Bot")
	return s
}

// Start serves the fake on 127.0.0.1 at a random port.
func (s *Server) Start() {
	if s.ts != nil {
		return
	}
	s.ts = httptest.NewServer(s)
}

// Close stops the HTTP server and cancels webhook deliveries in flight.
func (s *Server) Close() {
	s.hooks.cancel()
	s.waitDeliveries(context.Background())
	if s.ts != nil {
		s.ts.Close()
	}
}

// URL is the base URL, without a trailing slash: use URL()+"/" as the REST
// (v3) base URL and URL()+"/graphql" as the GraphQL (v4) URL.
func (s *Server) URL() string {
	if s.ts == nil {
		return ""
	}
	return s.ts.URL
}

// Violations lists every request real GitHub would have rejected (unknown
// route, unimplemented operation, schema or validation failure, bad
// credentials, invalid GraphQL) and setup mistakes.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// TakeViolations returns the violations and forgets them: a test that
// provokes a rejection on purpose acknowledges it this way.
func (s *Server) TakeViolations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.violations
	s.violations = nil
	return v
}

// Calls counts requests per operation template ("GET /repos/{owner}/{repo}",
// "POST /graphql"); a request matching no operation counts under its raw
// "METHOD /path".
func (s *Server) Calls() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// TotalCalls is the number of API requests since the last ResetCalls.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// ResetCalls zeroes the call counters, the request log and the write log.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = map[string]int{}
	s.total = 0
	s.requests = nil
	s.writes = nil
}

// Writes returns the log of write requests, oldest first.
func (s *Server) Writes() []Write {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Write(nil), s.writes...)
}

// Requests returns the log of all API requests, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Inject adds a fault; faults are tried in the order they were added.
func (s *Server) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fc := f
	s.faults = append(s.faults, &fc)
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// violate records a strictness violation. Callers hold s.mu.
func (s *Server) violate(format string, args ...any) {
	s.violations = append(s.violations, fmt.Sprintf(format, args...))
}

// call is one API request being handled.
type call struct {
	r      *http.Request
	op     string
	params map[string]string
	body   []byte
	inst   *installation // nil for JWT (App) requests
	repo   *repo         // set for /repos/{owner}/{repo}/... routes
	caller int64         // the installation whose token was presented; 0 for the App, anonymous or unknown
	at     time.Time     // WallNow on arrival

	inWindow bool // arrived inside a penalty window (limits.go)
	applied  bool // the handler ran
	// revoked marks a token of a revoked installation: its 401 is GitHub's
	// answer to a client that could not know, not a client bug.
	revoked bool
}

func (c *call) query(k string) string { return c.r.URL.Query().Get(k) }

// response is what a handler produces; ServeHTTP writes it.
type response struct {
	status int
	body   any
	header http.Header
	// penalty, when positive, opens a secondary-limit window of that length
	// for the caller once the response is sent.
	penalty time.Duration
}

func jsonResp(status int, body any) response { return response{status: status, body: body} }

func errResp(status int, msg string) response {
	return response{status: status, body: map[string]any{
		"message":           msg,
		"documentation_url": "https://docs.github.com/rest",
		"status":            strconv.Itoa(status),
	}}
}

func notFound() response { return errResp(http.StatusNotFound, "Not Found") }

// invalid is GitHub's 422 "Validation Failed" with one error.
func invalid(resource, field, code, msg string) response {
	e := map[string]any{"resource": resource, "field": field, "code": code}
	if msg != "" {
		e["message"] = msg
	}
	return response{status: http.StatusUnprocessableEntity, body: map[string]any{
		"message":           "Validation Failed",
		"errors":            []any{e},
		"documentation_url": "https://docs.github.com/rest",
		"status":            "422",
	}}
}

const maxBody = 25 << 20

// ServeHTTP runs the request pipeline: route match, count, penalty window,
// fault, latency, auth, rate limit, body validation, handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(body) > maxBody {
		writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"message": "Request body too large or unreadable"})
		return
	}
	if strings.HasPrefix(r.URL.Path, "/_raw/") {
		s.serveRaw(w, r)
		return
	}
	route := ""
	var params map[string]string
	if r.URL.Path == "/graphql" && r.Method == http.MethodPost {
		route = "POST /graphql"
	} else {
		idx, err := loadOperations()
		if err != nil {
			s.mu.Lock()
			s.violate("load GitHub operations: %v", err)
			s.mu.Unlock()
			writeJSON(w, http.StatusInternalServerError, map[string]any{"message": err.Error()})
			return
		}
		op, p, ok := idx.match(r.Method, r.URL.EscapedPath())
		if ok {
			route, params = op.name, p
		}
	}

	c := &call{r: r, op: route, params: params, body: body}
	s.mu.Lock()
	key := route
	if key == "" {
		key = r.Method + " " + r.URL.Path
	}
	s.calls[key]++
	s.total++
	c.caller = s.callerLocked(r)
	c.at = s.opts.WallNow()
	penalised, held := s.penaltyLocked(c)
	var fault *Fault
	if !held {
		fault = s.takeFault(r.Method, route, c.caller)
	}
	delay := s.latency
	s.mu.Unlock()

	if fault != nil {
		delay += fault.Latency
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-r.Context().Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
	if held {
		s.finish(w, c, key, penalised)
		return
	}
	before := fault != nil && !fault.AfterApply
	var resp response
	switch {
	case before && fault.Drop:
		s.drop(w, c, key)
		return
	case before && fault.Status != 0:
		resp = faultResponse(fault)
	case route == "":
		s.mu.Lock()
		s.violate("%s %s: no GitHub REST operation matches this request (real GitHub answers 404)", r.Method, r.URL.Path)
		s.mu.Unlock()
		resp = notFound()
	default:
		c.applied = true
		resp = s.handle(r.Context(), c)
	}
	if fault != nil && fault.AfterApply {
		if fault.Drop {
			s.drop(w, c, key)
			return
		}
		if fault.Status != 0 {
			resp = faultResponse(fault)
		}
	}
	s.finish(w, c, key, resp)
}

// takeFault returns the first fault matching the request, consuming one use.
func (s *Server) takeFault(method, route string, caller int64) *Fault {
	for i, f := range s.faults {
		if f.Method != "" && !strings.EqualFold(f.Method, method) {
			continue
		}
		if f.Route != "" && f.Route != route {
			continue
		}
		if f.Installation != 0 && f.Installation != caller {
			continue
		}
		out := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &out
	}
	return nil
}

// drop hijacks the connection and closes it without a response, the way a
// connection reset looks to the client. The request is logged with status 0.
func (s *Server) drop(w http.ResponseWriter, c *call, key string) {
	s.mu.Lock()
	s.logLocked(c, key, 0)
	s.mu.Unlock()
	hj, ok := w.(http.Hijacker)
	if !ok {
		// HTTP/2 cannot be hijacked; abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func faultResponse(f *Fault) response {
	resp := errResp(f.Status, http.StatusText(f.Status))
	if (f.Status == http.StatusForbidden || f.Status == http.StatusTooManyRequests) && f.RetryAfter > 0 {
		resp = secondaryLimited(f.Status, f.RetryAfter)
	}
	if f.Body != "" {
		resp.body = json.RawMessage(f.Body)
		if !json.Valid([]byte(f.Body)) {
			resp.body = rawText(f.Body)
		}
	}
	if f.RetryAfter > 0 {
		if resp.header == nil {
			resp.header = http.Header{}
		}
		resp.header.Set("Retry-After", strconv.Itoa(int(f.RetryAfter.Seconds())))
	}
	return resp
}

type rawText string

// handle authenticates, rate-limits, validates and dispatches an API call.
func (s *Server) handle(ctx context.Context, c *call) response {
	if c.op == "POST /graphql" {
		return s.handleGraphQL(ctx, c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if resp, ok := s.authenticate(c); !ok {
		if !c.revoked {
			s.violate("%s %s: %v", c.op, c.r.URL.Path, resp.body.(map[string]any)["message"])
		}
		return resp
	}
	if resp, ok := s.rateCheck(c, "core"); !ok {
		return resp
	}
	if resp, ok := s.contentLimitLocked(c); !ok {
		return resp
	}
	if owner, name := c.params["owner"], c.params["repo"]; owner != "" && name != "" && strings.HasPrefix(c.op, c.r.Method+" /repos/") {
		rp := s.repos[repoKey(owner, name)]
		if rp == nil || (c.inst != nil && rp.inst != c.inst.id) {
			return notFound()
		}
		c.repo = rp
	}
	if resp, ok := s.validateBody(c); !ok {
		return resp
	}
	h, ok := handlers[c.op]
	if !ok {
		s.violate("%s %s: operation exists on GitHub but the fake does not implement it (501)", c.op, c.r.URL.Path)
		return errResp(http.StatusNotImplemented, "githubfake does not implement "+c.op)
	}
	resp := h(s, c)
	if resp.status == http.StatusUnprocessableEntity || resp.status == http.StatusBadRequest {
		b, _ := json.Marshal(resp.body)
		s.violate("%s %s: GitHub would answer %d: %s", c.op, c.r.URL.Path, resp.status, b)
	}
	return resp
}

// validateBody checks a write request's JSON body against GitHub's schema.
func (s *Server) validateBody(c *call) (response, bool) {
	m := c.r.Method
	// ghinstallation sends a JSON null when it has no token options; GitHub
	// treats that like no body.
	trimmed := bytes.TrimSpace(c.body)
	if m == http.MethodGet || m == http.MethodHead || len(trimmed) == 0 || string(trimmed) == "null" {
		return response{}, true
	}
	if !json.Valid(c.body) {
		s.violate("%s %s: body is not valid JSON", c.op, c.r.URL.Path)
		return errResp(http.StatusBadRequest, "Problems parsing JSON"), false
	}
	body, skip := lenientBody(c.op, trimmed)
	if skip {
		return response{}, true
	}
	bs, err := loadBodySchemas()
	if err != nil {
		s.violate("load GitHub OpenAPI description: %v", err)
		return errResp(http.StatusInternalServerError, err.Error()), false
	}
	// Compiling and validating can take a moment: do it without the lock.
	s.mu.Unlock()
	_, verr := bs.validate(c.op, body)
	s.mu.Lock()
	if verr != nil {
		msg := schemaErrorText(verr)
		s.violate("%s %s: request body rejected by GitHub's schema: %s", c.op, c.r.URL.Path, msg)
		return response{status: http.StatusUnprocessableEntity, body: map[string]any{
			"message":           "Invalid request.\n\n" + msg,
			"documentation_url": "https://docs.github.com/rest",
			"status":            "422",
		}}, false
	}
	return response{}, true
}

// schemaErrorText drops jsonschema's first line (the schema URL) and keeps
// the located causes ("at '/conclusion': value must be one of ...").
func schemaErrorText(err error) string {
	if ve, ok := err.(*jsonschema.ValidationError); ok {
		var lines []string
		for _, l := range strings.Split(ve.Error(), "\n")[1:] {
			if l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "-")); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) > 0 {
			return strings.Join(lines, "; ")
		}
	}
	return err.Error()
}

func (s *Server) window(c *call, resource string) *rateWindow {
	key := resource + ":app"
	if c.inst != nil {
		key = resource + ":" + strconv.FormatInt(c.inst.id, 10)
	}
	now := s.opts.WallNow()
	win := s.rates[key]
	if win == nil || !now.Before(win.reset) {
		win = &rateWindow{reset: now.Add(time.Hour).Truncate(time.Second)}
		s.rates[key] = win
	}
	return win
}

// finish writes resp with GitHub's headers, handles conditional GETs and
// records the call.
func (s *Server) finish(w http.ResponseWriter, c *call, key string, resp response) {
	var payload []byte
	switch b := resp.body.(type) {
	case nil:
	case rawText:
		payload = []byte(b)
	case json.RawMessage:
		payload = b
	default:
		var err error
		payload, err = json.Marshal(b)
		if err != nil {
			resp = errResp(http.StatusInternalServerError, "encode response: "+err.Error())
			payload, _ = json.Marshal(resp.body)
		}
	}
	h := w.Header()
	for k, v := range resp.header {
		h[k] = v
	}
	status := resp.status
	if status == 0 {
		status = http.StatusOK
	}
	if c.r.Method == http.MethodGet && status == http.StatusOK && payload != nil {
		sum := sha256.Sum256(payload)
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", s.opts.CacheControl)
		h.Set("Vary", "Accept, Authorization, Accept-Encoding")
		if inm := c.r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
			status, payload = http.StatusNotModified, nil
		}
	}

	s.mu.Lock()
	resource := "core"
	if c.op == "POST /graphql" {
		resource = "graphql"
	}
	win := s.window(c, resource)
	// Conditional requests answered 304 do not count against the limit.
	if status != http.StatusNotModified && win.used < s.opts.RateLimit && c.op != "" {
		win.used++
	}
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(s.opts.RateLimit-win.used))
	h.Set("X-RateLimit-Used", strconv.Itoa(win.used))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(win.reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", resource)
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Request-Id", fmt.Sprintf("FAKE:%06d", s.total))
	s.logLocked(c, key, status)
	if resp.penalty > 0 && (status == http.StatusForbidden || status == http.StatusTooManyRequests) {
		s.openPenaltyLocked(c.caller, status, resp.penalty)
	}
	s.mu.Unlock()

	if payload != nil {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	if payload != nil {
		_, _ = w.Write(payload)
	}
}

// logLocked records the request (and the write) with the status the client
// saw. Callers hold s.mu.
func (s *Server) logLocked(c *call, key string, status int) {
	inst := c.caller
	if c.inst != nil {
		inst = c.inst.id
	}
	s.requests = append(s.requests, Request{Method: c.r.Method, Route: key, Path: c.r.URL.Path, Status: status,
		Installation: inst, At: c.at, InWindow: c.inWindow})
	if isWrite(c) {
		s.writes = append(s.writes, Write{Method: c.r.Method, Route: key, Path: c.r.URL.Path,
			Body: append([]byte(nil), c.body...), Status: status, Installation: inst, Applied: c.applied})
	}
}

func isWrite(c *call) bool {
	switch c.r.Method {
	case http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete:
	default:
		return false
	}
	if c.op == "POST /graphql" {
		return isMutation(c.body)
	}
	return true
}

func etagMatch(header, etag string) bool {
	strip := func(t string) string { return strings.TrimPrefix(strings.TrimSpace(t), "W/") }
	for _, t := range strings.Split(header, ",") {
		if strings.TrimSpace(t) == "*" || strip(t) == strip(etag) {
			return true
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// paginate slices items per GitHub's page/per_page (default 30, max 100) and
// sets the Link header with rel="next", "last", "first", "prev".
func paginate[T any](c *call, items []T) ([]T, http.Header) {
	perPage := atoiDefault(c.query("per_page"), 30)
	if perPage <= 0 {
		perPage = 30
	}
	if perPage > 100 {
		perPage = 100
	}
	page := atoiDefault(c.query("page"), 1)
	if page < 1 {
		page = 1
	}
	last := (len(items) + perPage - 1) / perPage
	if last == 0 {
		last = 1
	}
	start := (page - 1) * perPage
	var out []T
	if start < len(items) {
		end := min(start+perPage, len(items))
		out = items[start:end]
	}
	if out == nil {
		out = []T{}
	}
	h := http.Header{}
	link := func(p int, rel string) string {
		u := *c.r.URL
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(perPage))
		u.RawQuery = q.Encode()
		return fmt.Sprintf("<%s%s>; rel=%q", baseURL(c.r), u.RequestURI(), rel)
	}
	var links []string
	if page < last {
		links = append(links, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		links = append(links, link(1, "first"), link(page-1, "prev"))
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
	return out, h
}

func baseURL(r *http.Request) string { return "http://" + r.Host }

func atoiDefault(s string, def int) int {
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
