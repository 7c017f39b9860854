// Package sandbox runs the real Overlap app against an in-memory GitHub
// (internal/githubfake) on loopback. World is the wiring, shared by the
// `overlap sandbox` command and the end-to-end test harness
// (internal/apptest); Run plays each feature's scene and prints what
// Overlap wrote.
package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
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

// Org is the organization the app is installed on.
const Org = "acme"

// Secret is the webhook secret of the world's app.
const Secret = "sandbox-webhook-secret"

// Options configure a World.
type Options struct {
	// Features the app runs; nil means app.DefaultFeatures().
	Features []handlers.Feature
	// Now pins the simulated clock (default 2026-11-24 10:00 UTC).
	Now time.Time
	// DryRun turns on server.dry_run.
	DryRun bool
	// Configure, when set, may change the server config before start.
	Configure func(*config.Server)
	// Logger receives the app's logs (default: none).
	Logger *zerolog.Logger
	// OnWrite is told about every write the app makes.
	OnWrite func(gh.Write)
	// Calls also observes every GitHub API call the app makes.
	Calls gh.CallObserver
	// Scheduler runs the sweep scheduler inside the app (off by default:
	// scenes and tests run sweeps at chosen instants with Sweep).
	Scheduler bool
}

// World is a running app wired to a fake GitHub with one organization
// installation.
type World struct {
	Fake         *githubfake.Server
	App          *app.App
	Clock        *clock.Fixed
	Config       *config.Server
	URL          string // the app's base URL
	Installation int64

	delivery atomic.Int64
	stopOnce sync.Once
	stopErr  error
	cancel   context.CancelFunc
	done     chan error
}

// ConfigFor is a server configuration pointing at fake, as the app's own
// GitHub App (webhook secret Secret).
func ConfigFor(fake *githubfake.Server) config.Server {
	cfg := config.DefaultServer()
	cfg.GitHub.V3APIURL = fake.URL() + "/"
	cfg.GitHub.V4APIURL = fake.URL() + "/graphql"
	cfg.GitHub.WebURL = "https://github.com"
	cfg.GitHub.App.IntegrationID = fake.AppID()
	cfg.GitHub.App.PrivateKey = string(fake.AppPrivateKeyPEM())
	cfg.GitHub.App.WebhookSecret = Secret
	return cfg
}

// Start starts the fake GitHub and the app serving on a loopback port.
func Start(opts Options) (*World, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	}
	clk := clock.At(opts.Now)
	fake := githubfake.New(githubfake.Options{Now: clk.Now})
	fake.Start()
	w := &World{Fake: fake, Clock: clk, Installation: fake.AddInstallation(Org, "Organization")}

	cfg := ConfigFor(fake)
	cfg.Server.DryRun = opts.DryRun
	cfg.Queue.Workers = 2
	cfg.Server.ShutdownTimeout = cfg.Queue.JobTimeout
	// A failed event is tried again within milliseconds, so tests see
	// retries converge (or give up) without waiting seconds.
	cfg.Queue.RetryBase = 20 * time.Millisecond
	cfg.GitHub.WriteInterval = 0 // the emulator has no secondary limits; scenes and tests run at full speed
	// A busy test machine can take seconds to answer a loopback request;
	// a test must fail on behaviour, not on a client timeout.
	cfg.GitHub.Timeout = time.Minute
	if opts.Configure != nil {
		opts.Configure(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		fake.Close()
		return nil, fmt.Errorf("sandbox server config: %w", err)
	}
	w.Config = &cfg
	features := opts.Features
	if features == nil {
		features = app.DefaultFeatures()
	}
	logger := zerolog.Nop()
	if opts.Logger != nil {
		logger = *opts.Logger
	}
	a, err := app.New(context.Background(), &cfg, app.Options{
		Logger: logger, Clock: clk, Features: features, Calls: opts.Calls, OnWrite: opts.OnWrite,
	})
	if err != nil {
		fake.Close()
		return nil, fmt.Errorf("start app: %w", err)
	}
	w.App = a
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fake.Close()
		return nil, fmt.Errorf("listen on loopback: %w", err)
	}
	w.URL = "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	w.cancel = cancel
	w.done = make(chan error, 1)
	go func() { w.done <- a.Serve(ctx, ln, opts.Scheduler) }()
	return w, nil
}

// Stop shuts the app down gracefully, then the fake. It is idempotent.
func (w *World) Stop() error {
	w.stopOnce.Do(func() {
		w.cancel()
		select {
		case w.stopErr = <-w.done:
		case <-time.After(30 * time.Second):
			w.stopErr = errors.New("app did not shut down within 30s")
		}
		w.Fake.Close()
	})
	return w.stopErr
}

// AddRepo creates repository Org/name in the installation, with files
// committed on its default branch.
func (w *World) AddRepo(name string, files map[string]string) webhook.Repo {
	w.Fake.AddRepo(w.Installation, Org, name, githubfake.RepoOptions{HasDiscussions: true})
	if len(files) > 0 {
		w.Fake.Commit(Org, name, "main", githubfake.CommitSpec{Message: "Initial commit", Author: "octocat", Files: files})
	}
	r, _ := w.Repo(name)
	return r
}

// Repo returns the webhook view of a repository of Org.
func (w *World) Repo(name string) (webhook.Repo, error) {
	info, ok := w.Fake.Repo(Org, name)
	if !ok {
		return webhook.Repo{}, fmt.Errorf("no repository %s/%s", Org, name)
	}
	return webhook.Repo{Owner: info.Owner, Name: info.Name, ID: info.ID, DefaultBranch: info.DefaultBranch, Private: info.Private, OwnerType: info.OwnerType}, nil
}

// Builder returns a payload builder for a repository, acting as sender.
func (w *World) Builder(repo, sender string) (webhook.Build, error) {
	r, err := w.Repo(repo)
	if err != nil {
		return webhook.Build{}, err
	}
	return webhook.Build{InstallationID: w.Installation, Repo: r, Sender: sender, AppID: w.Fake.AppID(), AppSlug: w.Fake.AppSlug()}, nil
}

// PR returns the webhook view of a pull request as the fake has it now.
func (w *World) PR(repo string, number int) (webhook.PR, error) {
	info, ok := w.Fake.PR(Org, repo, number)
	if !ok {
		return webhook.PR{}, fmt.Errorf("no pull request %s/%s#%d", Org, repo, number)
	}
	return webhook.PR{Number: info.Number, Title: info.Title, Body: info.Body, Author: info.Author, Draft: info.Draft,
		State: info.State, HeadRef: info.Head, HeadSHA: info.HeadSHA, BaseRef: info.Base, BaseSHA: info.BaseSHA,
		Labels: info.Labels, Merged: info.Merged, RequestedReviewers: info.Requested}, nil
}

// PREvent builds a pull_request delivery for the PR's current state, sent
// by its author.
func (w *World) PREvent(action, repo string, number int, extra ...func(map[string]any)) ([]byte, error) {
	pr, err := w.PR(repo, number)
	if err != nil {
		return nil, err
	}
	b, err := w.Builder(repo, pr.Author)
	if err != nil {
		return nil, err
	}
	return b.PullRequest(action, pr, extra...)
}

// Send delivers a signed webhook (a fresh delivery id when deliveryID is
// empty) and waits until the app has handled it. It returns the HTTP
// status the app answered.
func (w *World) Send(ctx context.Context, event, deliveryID string, payload []byte) (int, error) {
	if deliveryID == "" {
		deliveryID = fmt.Sprintf("delivery-%d", w.delivery.Add(1))
	}
	s := webhook.Sender{URL: w.URL + "/api/github/hook", Secret: Secret}
	status, body, err := s.Send(ctx, event, deliveryID, payload)
	if err != nil {
		return 0, fmt.Errorf("send %s: %w", event, err)
	}
	if err := w.WaitIdle(ctx); err != nil {
		return status, err
	}
	if status >= 300 {
		return status, fmt.Errorf("%s delivery answered %d: %s", event, status, body)
	}
	return status, nil
}

// WaitIdle waits, with a deadline rather than a fixed sleep, until the
// app's queue is empty and no event is being handled.
func (w *World) WaitIdle(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return w.App.WaitIdle(ctx)
}

// Sweep runs every sweep (or those named) once as if at instant at, moving
// the clock there first.
func (w *World) Sweep(ctx context.Context, at time.Time, only ...string) error {
	w.Clock.Set(at)
	return w.App.SweepOnce(ctx, at, only...)
}
