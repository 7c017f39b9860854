package app

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
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

// SweepOnce runs every sweeper (or only those named) over every repository
// of every installation, as if at instant at. It is what the scheduler runs
// on each tick and what `overlap sweep --once` runs.
func (a *App) SweepOnce(ctx context.Context, at time.Time, only ...string) error {
	var run []handlers.Sweeper
	for _, s := range a.sweepers() {
		if len(only) == 0 || contains(only, s.Name()) {
			run = append(run, s)
		}
	}
	if len(run) == 0 {
		return nil
	}
	a.sweepMu.Lock()
	defer a.sweepMu.Unlock()
	log := zerolog.Ctx(ctx)
	appClient, err := a.clients.NewAppClient()
	if err != nil {
		return fmt.Errorf("create app client: %w", err)
	}
	var installs []*github.Installation
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := appClient.Apps.ListInstallations(ctx, opt)
		if err != nil {
			return fmt.Errorf("list installations: %w", err)
		}
		installs = append(installs, page...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	var errs []error
	for _, inst := range installs {
		if inst.SuspendedAt != nil {
			log.Info().Int64("installation_id", inst.GetID()).Msg("skipping suspended installation")
			continue
		}
		if err := a.sweepInstallation(ctx, inst.GetID(), at, run); err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

func (a *App) sweepInstallation(ctx context.Context, id int64, at time.Time, run []handlers.Sweeper) error {
	client, err := a.clients.NewInstallationClient(id)
	if err != nil {
		return fmt.Errorf("installation %d: %w", id, err)
	}
	var repos []*github.Repository
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := client.Apps.ListRepos(ctx, opt)
		if err != nil {
			return fmt.Errorf("list repositories of installation %d: %w", id, err)
		}
		repos = append(repos, page.Repositories...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	var errs []error
	for _, r := range repos {
		if r.GetArchived() || r.GetDisabled() {
			continue
		}
		repo := gh.RepoFrom(r)
		rctx := zerolog.Ctx(ctx).With().Int64("installation_id", id).Str("github_repository_owner", repo.Owner).
			Str("github_repository_name", repo.Name).Logger().WithContext(ctx)
		env, err := a.newEnv(rctx, id, repo, "")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		env.Now = at
		unlock := a.repos.lock(repo.FullName())
		for _, s := range run {
			slog := zerolog.Ctx(rctx).With().Str("feature", s.Name()).Logger()
			err := func() (err error) {
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
		unlock()
	}
	return errors.Join(errs...)
}

// runScheduler runs each sweeper on its own interval until ctx ends. The
// first pass runs one interval after start (not at once: replicas restarting
// together should not all sweep at the same moment).
func (a *App) runScheduler(ctx context.Context) {
	sweepers := a.sweepers()
	if len(sweepers) == 0 {
		return
	}
	done := make(chan struct{}, len(sweepers))
	for _, s := range sweepers {
		every := a.cfg.Scheduler.IntervalFor(s.Name())
		go func(name string, every time.Duration) {
			defer func() { done <- struct{}{} }()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
					sctx := a.log.With().Str("sweep", name).Logger().WithContext(ctx)
					if err := a.SweepOnce(sctx, a.clock.Now(), name); err != nil {
						zerolog.Ctx(sctx).Error().Err(err).Msg("scheduled sweep had errors")
					}
				}
			}
		}(s.Name(), every)
	}
	for range sweepers {
		<-done
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
