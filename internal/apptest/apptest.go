// Package apptest runs the real Overlap app against the in-memory GitHub
// (internal/githubfake) on loopback, for end-to-end tests: signed webhooks
// built from GitHub's payload examples go in over HTTP, the app's real
// go-github and githubv4 clients talk to the emulator, and tests assert on
// what ended up on "GitHub".
package apptest

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/clock"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// Secret is the webhook secret the harness configures.
const Secret = "apptest-webhook-secret"

// Org is the organization the harness installs the app on.
const Org = "acme"

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
}

// Harness is a running app wired to a fake GitHub.
type Harness struct {
	T            testing.TB
	Fake         *githubfake.Server
	App          *app.App
	Clock        *clock.Fixed
	Config       *config.Server
	URL          string // the app's base URL
	Installation int64
	Calls        *gh.Counter

	mu       sync.Mutex
	writes   []gh.Write
	delivery atomic.Int64
	cancel   context.CancelFunc
	done     chan error
}

// New starts the fake GitHub with one organization installation and the
// app serving on a loopback port; both stop at test cleanup.
func New(t testing.TB, opts Options) *Harness {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	}
	clk := clock.At(opts.Now)
	fake := githubfake.NewTest(t, githubfake.Options{Now: clk.Now})
	inst := fake.AddInstallation(Org, "Organization")
	h := &Harness{T: t, Fake: fake, Clock: clk, Installation: inst, Calls: &gh.Counter{}}

	cfg := config.DefaultServer()
	cfg.GitHub.V3APIURL = fake.URL() + "/"
	cfg.GitHub.V4APIURL = fake.URL() + "/graphql"
	cfg.GitHub.WebURL = "https://github.com"
	cfg.GitHub.App.IntegrationID = fake.AppID()
	cfg.GitHub.App.PrivateKey = string(fake.AppPrivateKeyPEM())
	cfg.GitHub.App.WebhookSecret = Secret
	cfg.Server.DryRun = opts.DryRun
	cfg.Queue.Workers = 2
	cfg.Server.ShutdownTimeout = 10 * time.Second
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("apptest: server config: %v", err)
	}
	h.Config = &cfg
	features := opts.Features
	if features == nil {
		features = app.DefaultFeatures()
	}
	logger := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	a, err := app.New(context.Background(), &cfg, app.Options{
		Logger:   logger,
		Clock:    clk,
		Features: features,
		Calls:    h.Calls,
		OnWrite: func(w gh.Write) {
			h.mu.Lock()
			h.writes = append(h.writes, w)
			h.mu.Unlock()
		},
	})
	if err != nil {
		t.Fatalf("apptest: start app: %v", err)
	}
	h.App = a
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("apptest: listen: %v", err)
	}
	h.URL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	h.done = make(chan error, 1)
	go func() { h.done <- a.Serve(ctx, ln, false) }()
	t.Cleanup(h.Stop)
	return h
}

// Stop shuts the app down (idempotent) and fails the test if shutdown
// reported an error.
func (h *Harness) Stop() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.cancel = nil
	select {
	case err := <-h.done:
		if err != nil {
			h.T.Errorf("apptest: app shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		h.T.Errorf("apptest: app did not shut down within 30s")
	}
}

// AddRepo creates OWNER=Org repository name in the installation, with
// files committed on its default branch.
func (h *Harness) AddRepo(name string, files map[string]string) webhook.Repo {
	h.Fake.AddRepo(h.Installation, Org, name, githubfake.RepoOptions{HasDiscussions: true})
	if len(files) > 0 {
		h.Fake.Commit(Org, name, "main", githubfake.CommitSpec{Message: "initial", Author: "octocat", Files: files})
	}
	return h.Repo(name)
}

// Repo returns the webhook view of a repository of Org.
func (h *Harness) Repo(name string) webhook.Repo {
	info, ok := h.Fake.Repo(Org, name)
	if !ok {
		h.T.Fatalf("apptest: no repository %s/%s", Org, name)
	}
	return webhook.Repo{Owner: info.Owner, Name: info.Name, ID: info.ID, DefaultBranch: info.DefaultBranch, Private: info.Private, OwnerType: info.OwnerType}
}

// Builder returns a payload builder for a repository, acting as sender.
func (h *Harness) Builder(repo, sender string) webhook.Build {
	return webhook.Build{InstallationID: h.Installation, Repo: h.Repo(repo), Sender: sender, AppID: h.Fake.AppID(), AppSlug: h.Fake.AppSlug()}
}

// PR returns the webhook view of a pull request as the fake has it now.
func (h *Harness) PR(repo string, number int) webhook.PR {
	info, ok := h.Fake.PR(Org, repo, number)
	if !ok {
		h.T.Fatalf("apptest: no pull request %s/%s#%d", Org, repo, number)
	}
	return webhook.PR{Number: info.Number, Title: info.Title, Body: info.Body, Author: info.Author, Draft: info.Draft,
		State: info.State, HeadRef: info.Head, HeadSHA: info.HeadSHA, BaseRef: info.Base, BaseSHA: info.BaseSHA,
		Labels: info.Labels, Merged: info.Merged, RequestedReviewers: info.Requested}
}

// PREvent builds a pull_request delivery for the PR's current state.
func (h *Harness) PREvent(action, repo string, number int, extra ...func(map[string]any)) []byte {
	pr := h.PR(repo, number)
	b, err := h.Builder(repo, pr.Author).PullRequest(action, pr, extra...)
	if err != nil {
		h.T.Fatalf("apptest: build pull_request.%s: %v", action, err)
	}
	return b
}

// Send delivers a signed webhook and waits until the app has handled it.
// It returns the HTTP status the app answered.
func (h *Harness) Send(event string, payload []byte) int {
	h.T.Helper()
	id := fmt.Sprintf("apptest-%d", h.delivery.Add(1))
	return h.SendAs(event, id, payload)
}

// SendAs delivers with a chosen delivery id (a redelivery reuses its id).
func (h *Harness) SendAs(event, deliveryID string, payload []byte) int {
	h.T.Helper()
	s := webhook.Sender{URL: h.URL + "/api/github/hook", Secret: Secret}
	status, body, err := s.Send(context.Background(), event, deliveryID, payload)
	if err != nil {
		h.T.Fatalf("apptest: send %s: %v", event, err)
	}
	if status >= 300 {
		h.T.Logf("apptest: %s answered %d: %s", event, status, strings.TrimSpace(string(body)))
	}
	h.WaitIdle()
	return status
}

// WaitIdle waits (with a deadline, never a fixed sleep) until the app's
// queue is empty and no event is being handled.
func (h *Harness) WaitIdle() {
	h.T.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := h.App.WaitIdle(ctx); err != nil {
		h.T.Fatalf("apptest: %v", err)
	}
}

// Sweep runs every sweep once as if at instant at (also moving the clock).
func (h *Harness) Sweep(at time.Time, only ...string) {
	h.T.Helper()
	h.Clock.Set(at)
	if err := h.App.SweepOnce(context.Background(), at, only...); err != nil {
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
