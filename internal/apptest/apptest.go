// Package apptest runs the real Overlap app against the in-memory GitHub
// (internal/githubfake) on loopback, for end-to-end tests: signed webhooks
// built from GitHub's payload examples go in over HTTP, the app's real
// go-github and githubv4 clients talk to the emulator, and tests assert on
// what ended up on "GitHub". It is sandbox.World with test-failing helpers,
// and it fails the test when the emulator saw a request real GitHub would
// have rejected.
package apptest

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// Secret is the webhook secret the harness configures.
const Secret = sandbox.Secret

// Org is the organization the harness installs the app on.
const Org = sandbox.Org

// Options configure a Harness.
type Options struct {
	// Features the app runs; nil means app.DefaultFeatures().
	Features []handlers.Feature
	// Now pins the simulated clock (default 2026-11-24 10:00 UTC).
	Now time.Time
	// DryRun turns on server.dry_run.
	DryRun bool
	// Configure, when set, may change the server config before start.
	Configure func(*config.Server)
	// Logger receives the app's logs (default: warnings and errors, to the
	// test's log).
	Logger *zerolog.Logger
	// Scheduler runs the sweep scheduler inside the app.
	Scheduler bool
}

// Harness is a running app wired to a fake GitHub.
type Harness struct {
	*sandbox.World
	T     testing.TB
	Calls *gh.Counter

	mu     sync.Mutex
	writes []gh.Write
}

// New starts the world; it stops at test cleanup.
func New(t testing.TB, opts Options) *Harness {
	t.Helper()
	h := &Harness{T: t, Calls: &gh.Counter{}}
	logger := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	if opts.Logger != nil {
		logger = *opts.Logger
	}
	w, err := sandbox.Start(sandbox.Options{
		Features: opts.Features, Now: opts.Now, DryRun: opts.DryRun, Configure: opts.Configure,
		Logger: &logger, Calls: h.Calls, Scheduler: opts.Scheduler,
		OnWrite: func(wr gh.Write) {
			h.mu.Lock()
			h.writes = append(h.writes, wr)
			h.mu.Unlock()
		},
	})
	if err != nil {
		t.Fatalf("apptest: %v", err)
	}
	h.World = w
	t.Cleanup(func() {
		h.Stop()
		if v := w.Fake.Violations(); len(v) > 0 {
			t.Errorf("githubfake: %d request(s) real GitHub would reject:\n- %s", len(v), strings.Join(v, "\n- "))
		}
	})
	return h
}

// Stop shuts the app down and fails the test if shutdown reported an error.
func (h *Harness) Stop() {
	if err := h.World.Stop(); err != nil {
		h.T.Errorf("apptest: app shutdown: %v", err)
	}
}

// Repo returns the webhook view of a repository of Org.
func (h *Harness) Repo(name string) webhook.Repo {
	h.T.Helper()
	r, err := h.World.Repo(name)
	if err != nil {
		h.T.Fatalf("apptest: %v", err)
	}
	return r
}

// Builder returns a payload builder for a repository, acting as sender.
func (h *Harness) Builder(repo, sender string) webhook.Build {
	h.T.Helper()
	b, err := h.World.Builder(repo, sender)
	if err != nil {
		h.T.Fatalf("apptest: %v", err)
	}
	return b
}

// PR returns the webhook view of a pull request as the fake has it now.
func (h *Harness) PR(repo string, number int) webhook.PR {
	h.T.Helper()
	pr, err := h.World.PR(repo, number)
	if err != nil {
		h.T.Fatalf("apptest: %v", err)
	}
	return pr
}

// PREvent builds a pull_request delivery for the PR's current state.
func (h *Harness) PREvent(action, repo string, number int, extra ...func(map[string]any)) []byte {
	h.T.Helper()
	b, err := h.World.PREvent(action, repo, number, extra...)
	if err != nil {
		h.T.Fatalf("apptest: build pull_request.%s: %v", action, err)
	}
	return b
}

// Send delivers a signed webhook and waits until the app has handled it.
// It returns the HTTP status the app answered (a refusal is not a test
// failure: tests assert on the status).
func (h *Harness) Send(event string, payload []byte) int {
	h.T.Helper()
	return h.SendAs(event, "", payload)
}

// SendAs delivers with a chosen delivery id (a redelivery reuses its id).
func (h *Harness) SendAs(event, deliveryID string, payload []byte) int {
	h.T.Helper()
	status, err := h.World.Send(context.Background(), event, deliveryID, payload)
	if err != nil && status == 0 {
		h.T.Fatalf("apptest: %v", err)
	}
	return status
}

// WaitIdle waits until the app's queue is empty and no event is handled.
func (h *Harness) WaitIdle() {
	h.T.Helper()
	if err := h.World.WaitIdle(context.Background()); err != nil {
		h.T.Fatalf("apptest: %v", err)
	}
}

// Sweep runs every sweep (or those named) once as if at instant at.
func (h *Harness) Sweep(at time.Time, only ...string) {
	h.T.Helper()
	if err := h.World.Sweep(context.Background(), at, only...); err != nil {
		h.T.Fatalf("apptest: sweep: %v", err)
	}
}

// Writes returns the writes the app made (or intended) so far.
func (h *Harness) Writes() []gh.Write {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]gh.Write(nil), h.writes...)
}

// ResetCounts forgets recorded writes and API calls (both sides).
func (h *Harness) ResetCounts() {
	h.mu.Lock()
	h.writes = nil
	h.mu.Unlock()
	h.Calls.Reset()
	h.Fake.ResetCalls()
}

// CommitAndPush commits spec to branch of repo and delivers the push, as
// GitHub does after every push (the app forgets cached policy files a push
// changed).
func (h *Harness) CommitAndPush(repo, branch string, spec githubfake.CommitSpec) string {
	h.T.Helper()
	before := h.Fake.Branch(Org, repo, branch)
	after := h.Fake.Commit(Org, repo, branch, spec)
	paths := make([]string, 0, len(spec.Files))
	for p := range spec.Files {
		paths = append(paths, p)
	}
	payload, err := h.Builder(repo, spec.Author).Push(branch, before, after, paths)
	if err != nil {
		h.T.Fatal(err)
	}
	if st := h.Send("push", payload); st != 202 && st != 200 {
		h.T.Fatalf("apptest: push delivery answered %d", st)
	}
	return after
}
