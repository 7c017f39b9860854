// Package app is Overlap's runtime wiring, in one readable place: config,
// GitHub clients, the webhook dispatcher and its queue, the fan-out to
// features, the scheduler for sweeps, HTTP routes and shutdown.
package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gregjones/httpcache"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/clock"
	"github.com/overlaphq/overlap/internal/gh"
)

// Version is set at build time (-ldflags "-X github.com/overlaphq/overlap/app.Version=...").
var Version = "dev"

// Options are the parts of an App that are not configuration: things tests,
// the sandbox and the sweep command substitute.
type Options struct {
	Logger   zerolog.Logger
	Clock    clock.Clock
	Features []handlers.Feature
	// Transport, when set, is the base HTTP transport for GitHub clients.
	Transport http.RoundTripper
	// OnWrite is told about every write made (or intended, in dry-run mode).
	OnWrite func(gh.Write)
	// Calls, when set, also observes every GitHub API call.
	Calls gh.CallObserver
	// RetryBase is the first wait before retrying a read GitHub failed
	// transiently (default 250ms; then 4×, 9×).
	RetryBase time.Duration
}

// App is one Overlap process.
type App struct {
	cfg      *config.Server
	log      zerolog.Logger
	clock    clock.Clock
	metrics  *Metrics
	clients  githubapp.ClientCreator // the app's own (JWT) client; installations go through pool
	pool     *clientPool
	gates    *gates
	cache    *responseCache
	dirty    dirtySet
	policies *policyCache
	features []handlers.Feature
	queue    *Queue
	onWrite  func(gh.Write)

	appID    int64
	botLogin string

	ready    atomic.Bool
	stopping atomic.Bool
	mux      *http.ServeMux

	sweepMu sync.Mutex // one sweep pass at a time per process

	redeliverMu sync.Mutex // one RedeliverFailed run at a time per process (redeliver.go)

	pacersMu sync.Mutex
	pacers   map[int64]*gh.Pacer // one per installation: writes spaced out
}

// pacer returns the installation's write pacer.
func (a *App) pacer(installationID int64) *gh.Pacer {
	a.pacersMu.Lock()
	defer a.pacersMu.Unlock()
	if a.pacers == nil {
		a.pacers = map[int64]*gh.Pacer{}
	}
	p := a.pacers[installationID]
	if p == nil {
		p = gh.NewPacer(a.cfg.GitHub.WriteInterval)
		a.pacers[installationID] = p
	}
	return p
}

// New wires an App and checks, against GitHub, that the app credentials
// work (fail fast: a bad key or app id is reported at start, not at the
// first webhook). It returns the app's own identity for the loop guard.
func New(ctx context.Context, cfg *config.Server, opts Options) (*App, error) {
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.RetryBase <= 0 {
		opts.RetryBase = 250 * time.Millisecond
	}

	a := &App{
		cfg:      cfg,
		log:      opts.Logger,
		clock:    opts.Clock,
		metrics:  NewMetrics(),
		features: opts.Features,
		onWrite:  opts.OnWrite,
	}
	for _, f := range opts.Features {
		if mp, ok := f.(handlers.MetricsProvider); ok {
			for _, c := range mp.Collectors() {
				if err := a.metrics.Registry.Register(c); err != nil {
					return nil, fmt.Errorf("register metrics of feature %s: %w", f.Name(), err)
				}
			}
		}
	}
	observers := gh.Observers{a.metrics}
	if opts.Calls != nil {
		observers = append(observers, opts.Calls)
	}
	clientOpts := []githubapp.ClientOption{
		githubapp.WithClientUserAgent("overlap/" + Version),
		githubapp.WithClientTimeout(cfg.GitHub.Timeout),
		githubapp.WithClientCaching(true, func() httpcache.Cache { return a.cache.view(a.pool.cacheName()) }),
		// WithClientMiddleware replaces earlier middleware: pass all in one call.
		githubapp.WithClientMiddleware(
			githubapp.ClientLogging(zerolog.DebugLevel),
			gh.Retry(3, opts.RetryBase, nil), // outside the counter: every attempt is counted
			gh.Middleware(observers),
		),
	}
	if opts.Transport != nil {
		clientOpts = append(clientOpts, githubapp.WithTransport(opts.Transport))
	}
	gc := cfg.GitHub.Config
	a.cache = newResponseCache(int64(max(cfg.GitHub.CacheMiB, 1)) << 20)
	a.gates = &gates{}
	base := githubapp.NewClientCreator(gc.V3APIURL, gc.V4APIURL, gc.App.IntegrationID, []byte(gc.App.PrivateKey), clientOpts...)
	pool, err := newClientPool(base, gc.V4APIURL, "overlap/"+Version, cfg.GitHub.ClientCacheSize, a.gates, a.pacer)
	if err != nil {
		return nil, err
	}
	a.clients, a.pool = base, pool
	a.policies = newPolicyCache(config.NewLoader(cfg.Policy), cfg.Policy.CacheSize, a.clock.Now)

	if err := a.identify(ctx); err != nil {
		return nil, err
	}
	a.queue = NewQueue(QueueOptions{
		Workers:   cfg.Queue.Workers,
		MaxJobs:   cfg.Queue.Size,
		MaxBytes:  int64(cfg.Queue.MaxMiB) << 20,
		Timeout:   cfg.Queue.JobTimeout,
		Retries:   cfg.Queue.Retries,
		RetryBase: cfg.Queue.RetryBase,
		Metrics:   a.metrics,
		Key:       laneKey,
		Hold:      a.gates.Hold,
		OnError:   a.onAsyncError,
		OnGiveUp:  a.onGiveUp,
	})
	a.mux = a.routes()
	a.ready.Store(true)
	return a, nil
}

// identify asks GitHub who the app is: it proves the key and app id work
// and learns the slug, whose "[bot]" login the loop guard ignores. GitHub
// being briefly unreachable (a network error or a 5xx) is retried with
// backoff for about a minute, so a rollout during an incident does not
// crash-loop; wrong credentials fail at once.
func (a *App) identify(ctx context.Context) error {
	client, err := a.clients.NewAppClient()
	if err != nil {
		return fmt.Errorf("create GitHub app client: %w", err)
	}
	wait := time.Second
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, 20*time.Second)
		me, resp, err := client.Apps.Get(actx, "")
		cancel()
		if err == nil {
			a.appID = me.GetID()
			a.botLogin = me.GetSlug() + "[bot]"
			a.log.Info().Str("app", me.GetSlug()).Int64("app_id", a.appID).Msg("GitHub App credentials verified")
			return nil
		}
		err = fmt.Errorf("check GitHub App credentials at %s (app id %d): %w", a.cfg.GitHub.Config.V3APIURL, a.cfg.GitHub.Config.App.IntegrationID, err)
		transient := resp == nil || resp.StatusCode >= 500
		if !transient || attempt == identifyAttempts || ctx.Err() != nil {
			return err
		}
		a.log.Warn().Err(err).Dur("retry_in", wait).Msg("GitHub is not answering; retrying")
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		wait = min(wait*2, 16*time.Second)
	}
}

// identifyAttempts bounds the start-up check (1+2+4+8+16+16 s of waiting).
const identifyAttempts = 7

// BotLogin is the app's own login, "<slug>[bot]".
func (a *App) BotLogin() string { return a.botLogin }

// Metrics exposes the app's metrics (for tests and benchmarks).
func (a *App) Metrics() *Metrics { return a.metrics }

// Handler is the app's HTTP handler with every route.
func (a *App) Handler() http.Handler { return a.mux }

// eventTypes groups features by the events they want, in a stable order.
func (a *App) eventTypes() map[string][]handlers.Feature {
	byEvent := map[string][]handlers.Feature{}
	for _, f := range a.features {
		for _, e := range f.Events() {
			byEvent[e] = append(byEvent[e], f)
		}
	}
	return byEvent
}

// handlersByEvent is eventTypes plus the app's own bookkeeping for
// installations, which always listens.
func (a *App) handlersByEvent() map[string][]handlers.Feature {
	byEvent := a.eventTypes()
	byEvent["installation"] = append(byEvent["installation"], installationLog{a})
	byEvent["installation_repositories"] = append(byEvent["installation_repositories"], installationLog{a})
	byEvent["push"] = append([]handlers.Feature{policyWatch{a.policies}}, byEvent["push"]...)
	return byEvent
}

func (a *App) dispatcher() http.Handler {
	byEvent := a.handlersByEvent()
	names := make([]string, 0, len(byEvent))
	for e := range byEvent {
		names = append(names, e)
	}
	sort.Strings(names)
	var hs []githubapp.EventHandler
	for _, e := range names {
		hs = append(hs, &fanout{app: a, event: e, features: byEvent[e]})
	}
	return githubapp.NewEventDispatcher(hs, a.cfg.GitHub.Config.App.WebhookSecret,
		githubapp.WithScheduler(a.queue),
		githubapp.WithErrorCallback(a.onError),
		githubapp.WithResponseCallback(a.onResponse),
	)
}

// newEnv builds what features get for one installation and repository.
func (a *App) newEnv(ctx context.Context, installationID int64, repo gh.Repo, policyRef string) (*handlers.Env, error) {
	rest, v4, err := a.pool.Installation(installationID)
	if err != nil {
		return nil, err
	}
	onWrite := func(w gh.Write) {
		a.metrics.writes.WithLabelValues(w.Action, fmt.Sprint(w.DryRun)).Inc()
		if a.onWrite != nil {
			a.onWrite(w)
		}
	}
	return &handlers.Env{
		InstallationID: installationID,
		REST:           rest,
		GraphQL:        v4,
		GH:             gh.New(rest, gh.Options{DryRun: a.cfg.Server.DryRun, BotLogin: a.botLogin, AppID: a.appID, OnWrite: onWrite, GraphQL: v4, StateKey: gh.DeriveStateKey(a.cfg.GitHub.App.WebhookSecret)}),
		Now:            a.clock.Now(),
		Policies:       a.policies,
		Repo:           repo,
		PolicyRef:      policyRef,
	}, nil
}

// Deliver runs one delivery through the same path as the webhook route, but
// synchronously and without the signature check (`overlap replay`).
func (a *App) Deliver(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	ev, err := handlers.ParseEvent(eventType, deliveryID, payload)
	if err != nil {
		return err
	}
	feats := a.handlersByEvent()[eventType]
	if len(feats) == 0 {
		return fmt.Errorf("no feature handles %q events", eventType)
	}
	ctx = a.log.With().Str(githubapp.LogKeyDeliveryID, deliveryID).Str(githubapp.LogKeyEventType, eventType).Logger().WithContext(ctx)
	return a.dispatch(ctx, ev, feats)
}

// Serve answers HTTP on ln (and runs the sweep scheduler when enabled)
// until ctx ends; then it shuts down gracefully: readiness fails, the
// listener stops accepting, in-flight requests finish, the queue drains
// within the configured shutdown timeout.
func (a *App) Serve(ctx context.Context, ln net.Listener, scheduler bool) error {
	srv := &http.Server{
		Handler:           a.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       a.cfg.Server.ReadTimeout,
		WriteTimeout:      a.cfg.Server.WriteTimeout,
		IdleTimeout:       a.cfg.Server.IdleTimeout,
		MaxHeaderBytes:    1 << 20,
		BaseContext:       func(net.Listener) context.Context { return a.log.WithContext(context.Background()) },
	}
	schedCtx, stopSched := context.WithCancel(ctx)
	defer stopSched()
	repairDone := make(chan struct{})
	go func() {
		defer close(repairDone)
		a.runRepair(schedCtx)
	}()
	var schedDone chan struct{}
	if scheduler {
		schedDone = make(chan struct{})
		go func() {
			defer close(schedDone)
			a.runScheduler(schedCtx)
		}()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	a.log.Info().Str("address", ln.Addr().String()).Bool("scheduler", scheduler).Bool("dry_run", a.cfg.Server.DryRun).Msg("Overlap is serving")

	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve HTTP: %w", err)
		}
		return nil
	case <-ctx.Done():
	}
	a.log.Info().Msg("shutting down: refusing new work, draining the queue")
	a.stopping.Store(true)
	a.ready.Store(false)
	stopSched()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.Server.ShutdownTimeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(shutdownCtx); err != nil {
		errs = append(errs, fmt.Errorf("shut down HTTP server: %w", err))
	}
	if err := a.queue.Drain(shutdownCtx); err != nil {
		errs = append(errs, err)
	}
	select {
	case <-repairDone:
	case <-shutdownCtx.Done():
	}
	if schedDone != nil {
		select {
		case <-schedDone:
		case <-shutdownCtx.Done():
			errs = append(errs, errors.New("a sweep was still running at the shutdown deadline"))
		}
	}
	if len(errs) == 0 {
		a.log.Info().Msg("shutdown complete")
	}
	return errors.Join(errs...)
}

// policyWatch forgets cached policies that a push changed; it runs before
// any feature that handles the same push.
type policyWatch struct{ cache *policyCache }

func (policyWatch) Name() string     { return "policy-cache" }
func (policyWatch) Events() []string { return nil }
func (w policyWatch) Handle(_ context.Context, _ *handlers.Env, ev *handlers.Event) error {
	w.cache.onPush(ev)
	return nil
}

// installationLog records installs and removals. The app keeps no state of
// its own: the next sweep walks whatever installations exist. An
// uninstalled or suspended installation's client, rate-limit series and
// dirty repositories are dropped, so they do not outlive it.
type installationLog struct{ app *App }

func (installationLog) Name() string     { return "installations" }
func (installationLog) Events() []string { return nil }
func (l installationLog) Handle(ctx context.Context, _ *handlers.Env, ev *handlers.Event) error {
	zerolog.Ctx(ctx).Info().Str("action", ev.Action).Str("account", ev.Repo.Owner).Msg("installation event")
	if ev.Type == "installation" && (ev.Action == "deleted" || ev.Action == "suspend") {
		l.app.forgetInstallation(ev.InstallationID)
	}
	return nil
}

// forgetInstallation drops what the process holds for an installation.
func (a *App) forgetInstallation(id int64) {
	a.metrics.rateRemaining.DeletePartialMatch(prometheus.Labels{"installation": strconv.FormatInt(id, 10)})
	a.pool.forget(id)
	a.dirty.forgetInstallation(id)
	a.metrics.dirtyRepos.Set(float64(a.dirty.Len()))
}

// WaitIdle blocks until no event is queued or being handled, or ctx ends.
// Tests and the sandbox use it instead of sleeping.
func (a *App) WaitIdle(ctx context.Context) error {
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for !a.queue.Idle() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for queued events: %w", ctx.Err())
		case <-t.C:
		}
	}
	return nil
}
