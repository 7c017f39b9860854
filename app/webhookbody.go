package app

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/semaphore"
)

// The webhook route is the one endpoint anyone on the internet can POST to,
// and a body is the one part of a request whose size the sender chooses.
// So nothing is read before the headers say the delivery could be genuine
// (a well-formed X-Hub-Signature-256, a size within GitHub's cap), and what
// is read is bounded in total, not per request: a budget of bytes shared by
// every delivery being read, verified and handed to the dispatcher.

const (
	// bodyBudgetWait is how long a delivery waits for room in the budget
	// before it gets 503: enough to ride out a burst of large deliveries,
	// short next to GitHub's 10 s delivery timeout, and short enough that
	// a flood is turned away instead of piling up goroutines.
	bodyBudgetWait = time.Second
	// bodyReadTimeout bounds reading one body whatever server.read_timeout
	// says: GitHub abandons a delivery after 10 s, so a body still arriving
	// then is no delivery worth its reservation.
	bodyReadTimeout = 10 * time.Second
	// bodyStep is how much a body without Content-Length reserves and
	// reads at a time, so a slow chunked sender holds only what it sent.
	bodyStep = 64 << 10
	// smallBody is the size up to which a body reserves its whole length
	// at once; GitHub's deliveries are nearly all far below it.
	smallBody = 1 << 20
	// smallReserve is the part of the budget large bodies can never take.
	smallReserve = 8 << 20
	// sha256SignatureLen is len("sha256=") + 64 hex digits.
	sha256SignatureLen = len("sha256=") + 64
)

// errNoBudget means the webhook memory budget had no room in time.
var errNoBudget = errors.New("webhook memory budget is exhausted")

// signatureProblem says what is wrong with a delivery's signature headers,
// judged before its body is read; "" means X-Hub-Signature-256 has the
// shape GitHub sends. SHA-1 signatures are refused outright: GitHub sends
// the SHA-256 one with every signed delivery, and falling back to SHA-1
// would let a sender pick the weaker check.
func signatureProblem(h http.Header) string {
	sigs := h.Values(github.SHA256SignatureHeader)
	switch {
	case len(sigs) == 0 && h.Get(github.SHA1SignatureHeader) != "":
		return "X-Hub-Signature (SHA-1) is not accepted: Overlap verifies X-Hub-Signature-256 only, which GitHub sends with every delivery once the app has a webhook secret"
	case len(sigs) == 0 || sigs[0] == "":
		return "missing X-Hub-Signature-256 header: set a webhook secret in the GitHub App's settings"
	case len(sigs) > 1 || !wellFormedSHA256(sigs[0]):
		return "malformed X-Hub-Signature-256 header: want one value, sha256= followed by 64 hex digits"
	}
	return ""
}

func wellFormedSHA256(sig string) bool {
	hexPart, ok := strings.CutPrefix(sig, "sha256=")
	if !ok || len(sig) != sha256SignatureLen {
		return false
	}
	_, err := hex.DecodeString(hexPart)
	return err == nil
}

// bodyBudget is a weighted semaphore over bytes of webhook bodies held in
// memory. A small body with a Content-Length reserves exactly that before
// any of it is read; a large one, or one without a length, reserves step by
// step as it arrives. The
// reservation is kept until the dispatcher has taken the delivery.
type bodyBudget struct {
	sem   *semaphore.Weighted
	large *semaphore.Weighted // what bodies over smallBody may hold together
	size  int64
	wait  time.Duration

	mu          sync.Mutex
	inUse, peak int64

	read prometheus.Counter
}

// newBodyBudget makes a budget of size bytes and registers its series on
// reg. Like NewMetrics it must-registers: the series are fixed and each
// App's registry is its own, so a clash is a programming error.
func newBodyBudget(size int64, wait time.Duration, reg prometheus.Registerer) *bodyBudget {
	b := &bodyBudget{sem: semaphore.NewWeighted(size), large: semaphore.NewWeighted(max(size-smallReserve, MaxPayloadBytes)), size: size, wait: wait,
		read: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "overlap_webhook_body_read_bytes_total",
			Help: "Bytes of webhook bodies read (a refused unsigned delivery adds nothing).",
		}),
	}
	reg.MustRegister(
		b.read,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "overlap_webhook_body_budget_bytes",
			Help: "Bytes of webhook bodies that may be held in memory at once (server.webhook_memory_mib).",
		}, func() float64 { return float64(b.size) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "overlap_webhook_body_reserved_bytes",
			Help: "Bytes of the webhook body budget reserved right now.",
		}, func() float64 { in, _ := b.usage(); return float64(in) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "overlap_webhook_body_reserved_max_bytes",
			Help: "The most bytes of the webhook body budget ever reserved at once since start (to size the budget).",
		}, func() float64 { _, p := b.usage(); return float64(p) }),
	)
	return b
}

func (b *bodyBudget) usage() (inUse, peak int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.inUse, b.peak
}

// acquire reserves n bytes, waiting at most b.wait for room.
func (b *bodyBudget) acquire(ctx context.Context, n int64) error {
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	if err := b.sem.Acquire(ctx, n); err != nil {
		return fmt.Errorf("reserve %d bytes (budget %d): %w", n, b.size, errNoBudget)
	}
	b.mu.Lock()
	b.inUse += n
	b.peak = max(b.peak, b.inUse)
	b.mu.Unlock()
	return nil
}

func (b *bodyBudget) release(n int64) {
	if n == 0 {
		return
	}
	b.mu.Lock()
	b.inUse -= n
	b.mu.Unlock()
	b.sem.Release(n)
}

// readBody reads r's body within the budget, within limit bytes and by
// the deadline. On success the caller owns a reservation of len(body)
// bytes and must call release once it no longer holds the body. Errors
// wrap errNoBudget (no room in time), *http.MaxBytesError (too large) or
// os.ErrDeadlineExceeded (the sender was too slow).
func (b *bodyBudget) readBody(w http.ResponseWriter, r *http.Request, limit int64, timeout time.Duration) (body []byte, release func(), err error) {
	// Not every ResponseWriter can set a deadline (a test recorder); the
	// server's own read_timeout still bounds the read then.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(timeout))
	src := http.MaxBytesReader(w, r.Body, limit)
	if n := r.ContentLength; n >= 0 {
		if n > limit {
			return nil, nil, &http.MaxBytesError{Limit: limit}
		}
		return b.readSized(r.Context(), src, n)
	}
	return b.readUnsized(r.Context(), src)
}

// readSized reads a body that announced n bytes. A small body (the usual
// delivery) reserves its size at once. A large one reserves and reads
// bodyStep at a time as its bytes arrive, so a sender that announces 25 MiB
// and sends nothing holds one step, not 25 MiB; and large bodies together
// may hold at most the budget less smallReserve, so small deliveries always
// find room however many large ones are in flight.
func (b *bodyBudget) readSized(ctx context.Context, src io.Reader, n int64) (body []byte, release func(), err error) {
	if n <= smallBody {
		if err := b.acquire(ctx, n); err != nil {
			return nil, nil, err
		}
		body = make([]byte, n)
		got, err := io.ReadFull(src, body)
		b.read.Add(float64(got))
		if err != nil {
			b.release(n)
			return nil, nil, fmt.Errorf("read %d-byte webhook body (got %d): %w", n, got, err)
		}
		return body, func() { b.release(n) }, nil
	}
	var reserved int64
	releaseAll := func() {
		b.large.Release(reserved)
		b.release(reserved)
	}
	body = make([]byte, 0, bodyStep)
	for int64(len(body)) < n {
		step := min(bodyStep, n-int64(len(body)))
		if err := b.acquireLarge(ctx, step); err != nil {
			releaseAll()
			return nil, nil, err
		}
		reserved += step
		start := len(body)
		body = append(body, make([]byte, step)...)
		got, err := io.ReadFull(src, body[start:])
		b.read.Add(float64(got))
		if err != nil {
			releaseAll()
			return nil, nil, fmt.Errorf("read %d-byte webhook body (got %d): %w", n, int64(start+got), err)
		}
	}
	return body, releaseAll, nil
}

// acquireLarge reserves n bytes of the share large bodies may hold, then
// of the whole budget.
func (b *bodyBudget) acquireLarge(ctx context.Context, n int64) error {
	wctx, cancel := context.WithTimeout(ctx, b.wait)
	defer cancel()
	if err := b.large.Acquire(wctx, n); err != nil {
		return fmt.Errorf("reserve %d bytes for a large body: %w", n, errNoBudget)
	}
	if err := b.acquire(ctx, n); err != nil {
		b.large.Release(n)
		return err
	}
	return nil
}

// readUnsized reads a body of unknown length (chunked) in steps, reserving
// each step before reading it, then joins the steps into one slice (which
// briefly needs the body's size twice; GitHub always sends Content-Length,
// so this path is for other senders and is kept exact rather than fast).
func (b *bodyBudget) readUnsized(ctx context.Context, src io.Reader) (body []byte, release func(), err error) {
	var steps [][]byte
	var reserved, total int64
	defer func() { b.release(reserved) }()
	for {
		if err := b.acquire(ctx, bodyStep); err != nil {
			return nil, nil, err
		}
		reserved += bodyStep
		step := make([]byte, bodyStep)
		n, err := io.ReadFull(src, step)
		b.read.Add(float64(n))
		total += int64(n)
		steps = append(steps, step[:n])
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read webhook body of unknown length (got %d bytes): %w", total, err)
		}
	}
	if err := b.acquire(ctx, total); err != nil {
		return nil, nil, err
	}
	body = make([]byte, 0, total)
	for _, s := range steps {
		body = append(body, s...)
	}
	return body, func() { b.release(total) }, nil
}
