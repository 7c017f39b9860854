package app

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime/debug"
	"slices"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

// sweepers are the features with scheduled work.
func (a *App) sweepers() []handlers.Sweeper {
	var out []handlers.Sweeper
	for _, f := range a.features {
		if s, ok := f.(handlers.Sweeper); ok {
			out = append(out, s)
		}
	}
	return out
}

// SweepOptions shape one sweep pass.
type SweepOptions struct {
	// At pins the instant every repository is evaluated at (`overlap sweep
	// --at`, tests); zero means the clock's time when each repository's
	// turn comes, so a pass that lasts minutes does not judge its last
	// repository by its first one's clock.
	At time.Time
	// Only names the features to run; none means all.
	Only []string
	// Shard and Shards split installations between the pods of a sharded
	// Job by a stable hash of the installation id: this pass takes those
	// whose hash modulo Shards is Shard. Shards 0 or 1: all of them.
	Shard, Shards int
	// Recent, when set, bounds each feature to what changed in its last two
	// intervals (handlers.RecentScope) plus the repository's dirty items;
	// unset is a full sweep (every open item).
	Recent bool
	// DirtyOnly sweeps only the repositories whose events failed.
	DirtyOnly bool
	// Rotate starts the pass at a different repository each time, so that
	// when a pass is cut short no tail of the list starves.
	Rotate int
}

// SweepOnce runs every sweeper (or only those named) over every repository
// of every installation, as if at instant at: a full sweep. It is what
// `overlap sweep --once` and tests run.
func (a *App) SweepOnce(ctx context.Context, at time.Time, only ...string) error {
	return a.Sweep(ctx, SweepOptions{At: at, Only: only})
}

// Sweep runs one pass. Repositories with failed events go first; each
// feature takes the repository's lane for its own sweep only, so events of
// that repository wait at most one feature's sweep.
func (a *App) Sweep(ctx context.Context, o SweepOptions) error {
	var run []handlers.Sweeper
	for _, s := range a.sweepers() {
		if len(o.Only) == 0 || slices.Contains(o.Only, s.Name()) {
			run = append(run, s)
		}
	}
	if len(run) == 0 {
		return nil
	}
	a.sweepMu.Lock()
	defer a.sweepMu.Unlock()
	log := zerolog.Ctx(ctx)
	var installs []int64
	if o.DirtyOnly {
		for id := range a.dirty.repos() {
			installs = append(installs, id)
		}
		slices.Sort(installs)
	} else {
		all, err := a.installations(ctx)
		if err != nil {
			return err
		}
		for _, inst := range all {
			if inst.SuspendedAt != nil {
				log.Info().Int64("installation_id", inst.GetID()).Msg("skipping suspended installation")
				continue
			}
			installs = append(installs, inst.GetID())
		}
	}
	var errs []error
	for _, id := range installs {
		if o.Shards > 1 && shardOf(id, o.Shards) != o.Shard {
			continue
		}
		if err := a.sweepInstallation(ctx, id, o, run); err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			errs = append(errs, ctx.Err())
			break
		}
	}
	return errors.Join(errs...)
}

// RotationFor spreads the starting repository of successive passes (run
// k of a scheduler, or the minute a Job starts) over the whole list: a
// multiplicative step by a large prime visits the offsets in a scattered
// order, so passes cut short at the same point still cover every
// repository in turn.
func RotationFor(k int64) int {
	return int((k * 7919) & 0x3fffffff)
}

// shardOf is the shard of an installation: a stable hash, so the same pod
// index sweeps the same installations every time.
func shardOf(installationID int64, shards int) int {
	h := fnv.New32a()
	fmt.Fprint(h, installationID)
	return int(h.Sum32() % uint32(shards))
}

func (a *App) installations(ctx context.Context) ([]*github.Installation, error) {
	appClient, err := a.clients.NewAppClient()
	if err != nil {
		return nil, fmt.Errorf("create app client: %w", err)
	}
	var installs []*github.Installation
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := appClient.Apps.ListInstallations(ctx, opt)
		if err != nil {
			return nil, fmt.Errorf("list installations: %w", err)
		}
		installs = append(installs, page...)
		if resp.NextPage == 0 {
			return installs, nil
		}
		opt.Page = resp.NextPage
	}
}

func (a *App) installationRepos(ctx context.Context, id int64) ([]gh.Repo, error) {
	client, _, err := a.pool.Installation(id)
	if err != nil {
		return nil, fmt.Errorf("installation %d: %w", id, err)
	}
	var repos []gh.Repo
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := client.Apps.ListRepos(ctx, opt)
		if err != nil {
			return nil, fmt.Errorf("list repositories of installation %d: %w", id, err)
		}
		for _, r := range page.Repositories {
			if !r.GetArchived() && !r.GetDisabled() {
				repos = append(repos, gh.RepoFrom(r))
			}
		}
		if resp.NextPage == 0 {
			return repos, nil
		}
		opt.Page = resp.NextPage
	}
}

func (a *App) sweepInstallation(ctx context.Context, id int64, o SweepOptions, run []handlers.Sweeper) error {
	var repos []gh.Repo
	if o.DirtyOnly {
		for _, d := range a.dirty.repos()[id] {
			repos = append(repos, gh.Repo{Owner: d.owner, Name: d.name})
		}
		// A dirty repository needs its full description (default branch,
		// id) for the features: read it once.
		full, err := a.installationRepos(ctx, id)
		if err != nil {
			return err
		}
		byKey := map[string]gh.Repo{}
		for _, r := range full {
			byKey[repoKey(r.Owner, r.Name)] = r
		}
		kept := repos[:0]
		for _, r := range repos {
			if fr, ok := byKey[repoKey(r.Owner, r.Name)]; ok {
				kept = append(kept, fr)
			} else {
				a.dirty.clear(r.Owner, r.Name, nil) // no longer installed there
			}
		}
		repos = kept
	} else {
		var err error
		if repos, err = a.installationRepos(ctx, id); err != nil {
			return err
		}
		if n := len(repos); n > 0 && o.Rotate != 0 {
			k := ((o.Rotate % n) + n) % n
			repos = append(repos[k:], repos[:k]...)
		}
		// Repositories with failed events first (the dirty set read once,
		// not per comparison).
		dirty := map[string]bool{}
		for _, d := range a.dirty.repos()[id] {
			dirty[repoKey(d.owner, d.name)] = true
		}
		slices.SortStableFunc(repos, func(x, y gh.Repo) int {
			dx, dy := dirty[repoKey(x.Owner, x.Name)], dirty[repoKey(y.Owner, y.Name)]
			switch {
			case dx && !dy:
				return -1
			case dy && !dx:
				return 1
			}
			return 0
		})
	}
	var errs []error
	for _, repo := range repos {
		if ctx.Err() != nil {
			break
		}
		if err := a.sweepRepo(ctx, id, repo, o, run); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// sweepRepo runs each feature's sweep of one repository in the
// repository's lane, one feature at a time. The dirty items it was given
// are forgotten once every feature's sweep succeeded.
func (a *App) sweepRepo(ctx context.Context, id int64, repo gh.Repo, o SweepOptions, run []handlers.Sweeper) error {
	rctx := zerolog.Ctx(ctx).With().Int64("installation_id", id).Str("github_repository_owner", repo.Owner).
		Str("github_repository_name", repo.Name).Logger().WithContext(ctx)
	dirtyNumbers, wasDirty := a.dirty.scope(repo.Owner, repo.Name)
	at := o.At
	if at.IsZero() {
		at = a.clock.Now()
	}
	var (
		errs []error
		prev *handlers.Env
	)
	for _, s := range run {
		// Each feature gets a fresh Env: between two features' turns an
		// event may write to a PR, and a reused snapshot or comment listing
		// would make the next feature write a duplicate. Only the list of
		// open PRs is carried over.
		env, err := a.newEnv(rctx, id, repo, "")
		if err != nil {
			errs = append(errs, err)
			break
		}
		env.Now = at
		if prev != nil {
			prev.ShareListing(env)
		}
		prev = env
		scope := handlers.SweepScope{Dirty: dirtyNumbers}
		if o.Recent || o.DirtyOnly {
			scope = handlers.RecentScope(at, a.cfg.Scheduler.IntervalFor(s.Name()), dirtyNumbers)
		}
		env.Scope = scope
		slog := zerolog.Ctx(rctx).With().Str("feature", s.Name()).Logger()
		release, err := a.queue.Acquire(rctx, repoKey(repo.Owner, repo.Name))
		if err != nil {
			errs = append(errs, fmt.Errorf("sweep %s on %s: %w", s.Name(), repo.FullName(), err))
			break
		}
		err = func() (err error) {
			defer release()
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			return s.Sweep(slog.WithContext(rctx), env, repo)
		}()
		outcome := "ok"
		if err != nil {
			outcome = "error"
			slog.Error().Err(err).Msg("sweep failed")
			errs = append(errs, fmt.Errorf("sweep %s on %s: %w", s.Name(), repo.FullName(), err))
		}
		a.metrics.sweeps.WithLabelValues(s.Name(), outcome).Inc()
	}
	if len(errs) == 0 && wasDirty && len(run) == len(a.sweepers()) {
		a.dirty.clear(repo.Owner, repo.Name, dirtyNumbers)
		a.metrics.dirtyRepos.Set(float64(a.dirty.Len()))
	}
	return errors.Join(errs...)
}

// runScheduler runs each sweeper on its own interval, and the redelivery
// of failed webhooks, until ctx ends.
// The first pass runs one interval after start (replicas restarting
// together should not all sweep at the same moment) and is a full one;
// later passes reconcile what changed in the last two intervals, and
// every tenth pass is full again.
func (a *App) runScheduler(ctx context.Context) {
	sweepers := a.sweepers()
	if len(sweepers) == 0 {
		return
	}
	done := make(chan struct{}, len(sweepers)+1)
	go func() {
		// GitHub does not redeliver a failed delivery by itself: every
		// redeliveryInterval, what failed in the last two is sent again.
		defer func() { done <- struct{}{} }()
		t := time.NewTicker(redeliveryInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				rctx := a.log.With().Str("job", "redeliver").Logger().WithContext(ctx)
				rep, err := a.RedeliverFailed(rctx, a.clock.Now().Add(-2*redeliveryInterval))
				if err != nil {
					zerolog.Ctx(rctx).Error().Err(err).Msg("redelivery of failed webhooks had errors")
				} else if rep.Redelivered > 0 {
					zerolog.Ctx(rctx).Info().Int("redelivered", rep.Redelivered).Int("failed", rep.Failed).Msg("failed webhooks redelivered")
				}
			}
		}
	}()
	for _, s := range sweepers {
		every := a.cfg.Scheduler.IntervalFor(s.Name())
		go func(name string, every time.Duration) {
			defer func() { done <- struct{}{} }()
			t := time.NewTicker(every)
			defer t.Stop()
			for pass := 0; ; pass++ {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					sctx := a.log.With().Str("sweep", name).Logger().WithContext(ctx)
					o := SweepOptions{Only: []string{name}, Recent: pass%10 != 0, Rotate: RotationFor(int64(pass))}
					if err := a.Sweep(sctx, o); err != nil {
						zerolog.Ctx(sctx).Error().Err(err).Msg("scheduled sweep had errors")
					}
				}
			}
		}(s.Name(), every)
	}
	for range len(sweepers) + 1 {
		<-done
	}
}

// redeliveryInterval is how often serve's scheduler redelivers failed
// webhooks.
const redeliveryInterval = 30 * time.Minute

// runRepair sweeps, every scheduler.repair_interval, the repositories whose
// events failed every retry in this process (its dirty set), with every
// feature. It runs in every serve process, scheduler or not: the dirty set
// is the process's own.
func (a *App) runRepair(ctx context.Context) {
	every := a.cfg.Scheduler.RepairInterval
	if every <= 0 || len(a.sweepers()) == 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if a.dirty.Len() == 0 {
				continue
			}
			sctx := a.log.With().Str("sweep", "repair").Logger().WithContext(ctx)
			if err := a.Sweep(sctx, SweepOptions{DirtyOnly: true}); err != nil {
				zerolog.Ctx(sctx).Error().Err(err).Msg("repair sweep had errors")
			}
		}
	}
}
