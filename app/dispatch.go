package app

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/handlers"
)

// parsedEventKey carries the event the webhook guard decoded, so the queue
// keys the delivery without decoding its payload a second time.
type parsedEventKey struct{}

func withParsedEvent(ctx context.Context, ev *handlers.Event) context.Context {
	return context.WithValue(ctx, parsedEventKey{}, ev)
}

// laneKey names the lane a delivery runs in: its repository, so events of
// one repository (and its sweeps) run one at a time and in order; an event
// without a repository runs in its installation's lane.
func laneKey(ctx context.Context, d githubapp.Dispatch) (string, int64) {
	ev, _ := ctx.Value(parsedEventKey{}).(*handlers.Event)
	if ev == nil {
		parsed, err := handlers.ParseEvent(d.EventType, d.DeliveryID, d.Payload)
		if err != nil {
			return "invalid", 0
		}
		ev = parsed
	}
	if ev.Repo.Owner != "" && ev.Repo.Name != "" {
		return repoKey(ev.Repo.Owner, ev.Repo.Name), ev.InstallationID
	}
	return "installation:" + strconv.FormatInt(ev.InstallationID, 10), ev.InstallationID
}

// repoKey is a repository's lane: logins and names are case-insensitive.
func repoKey(owner, name string) string {
	return "repo:" + strings.ToLower(owner) + "/" + strings.ToLower(name)
}

// onAsyncError logs a failed job with its delivery's fields (once: the
// failures of features were logged as they happened).
func (a *App) onAsyncError(ctx context.Context, d githubapp.Dispatch, err error) {
	var ff featureFailures
	if errors.As(err, &ff) {
		return
	}
	// The job's logger already carries the delivery's identity.
	zerolog.Ctx(ctx).Error().Err(err).Msg("event handling failed")
}

// fanout is the one go-githubapp handler for an event type; it calls every
// feature interested in that type.
type fanout struct {
	app      *App
	event    string
	features []handlers.Feature
}

func (f *fanout) Handles() []string { return []string{f.event} }

func (f *fanout) Handle(ctx context.Context, eventType, deliveryID string, payload []byte) error {
	// The guard decoded this delivery already; decode again only when the
	// job did not come through it (replay) or the decoded one is another's.
	ev, _ := ctx.Value(parsedEventKey{}).(*handlers.Event)
	if ev == nil || ev.DeliveryID != deliveryID || ev.Type != eventType {
		var err error
		if ev, err = handlers.ParseEvent(eventType, deliveryID, payload); err != nil {
			return err
		}
	}
	feats := f.features
	if only := onlyFeatures(ctx); only != nil {
		feats = nil
		for _, ft := range f.features {
			if slices.Contains(only, ft.Name()) {
				feats = append(feats, ft)
			}
		}
	}
	return f.app.dispatch(ctx, ev, feats)
}

// dispatch runs features for one event: the loop guard, the installation
// guard, one Env for all of them, and per-feature logging, timing and panic
// isolation (one feature's failure does not stop the others). Events of
// one repository never run at once: the queue's lanes serialise them.
func (a *App) dispatch(ctx context.Context, ev *handlers.Event, features []handlers.Feature) error {
	ctx, log := githubapp.PrepareRepoContext(ctx, ev.InstallationID, &github.Repository{
		Name: github.String(ev.Repo.Name), Owner: &github.User{Login: github.String(ev.Repo.Owner)},
	})
	if a.botLogin != "" && strings.EqualFold(ev.Sender, a.botLogin) {
		a.metrics.webhooks.WithLabelValues(eventLabel(ev.Type), "self").Inc()
		log.Debug().Msg("ignoring an event caused by Overlap itself")
		return nil
	}
	if ev.InstallationID == 0 {
		log.Warn().Msg("event has no installation: is this a repository webhook rather than the GitHub App's?")
		return nil
	}
	if (ev.Repo.Owner == "" || ev.Repo.Name == "") && !strings.HasPrefix(ev.Type, "installation") {
		log.Warn().Msg("event names no repository; ignored")
		return nil
	}
	env, err := a.newEnv(ctx, ev.InstallationID, ev.Repo, ev.BaseRef)
	if err != nil {
		return err
	}
	var (
		errs   []error
		failed []string
	)
	for _, feat := range features {
		flog := log.With().Str("feature", feat.Name()).Logger()
		fctx := flog.WithContext(ctx)
		start := time.Now()
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
				}
			}()
			return feat.Handle(fctx, env, ev)
		}()
		a.metrics.handlerDuration.WithLabelValues(ev.Type, feat.Name()).Observe(time.Since(start).Seconds())
		if err != nil {
			a.metrics.handlerErrors.WithLabelValues(ev.Type, feat.Name()).Inc()
			// Logged here, with the delivery, installation, repository
			// and feature, rather than once for the whole event.
			flog.Error().Err(err).Msg("feature failed")
			errs = append(errs, fmt.Errorf("%s: %w", feat.Name(), err))
			if retryable(err) {
				failed = append(failed, feat.Name())
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return featureFailures{failed: failed, err: errors.Join(errs...)}
}
