package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/handlers"
)

// MaxPayloadBytes is GitHub's cap on webhook payloads (25 MB); larger
// bodies are refused before they are read in full.
const MaxPayloadBytes = 25 << 20

// webhookGuard answers what go-githubapp's dispatcher gets wrong or leaves
// open before the delivery reaches it: only POST, a capped body, JSON only,
// a signature that must be present and valid (401, where the dispatcher
// would say 400), and a body that must parse (400, where the async
// dispatcher would say 200 and fail later).
func (a *App) webhookGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		event := r.Header.Get("X-GitHub-Event")
		// The dispatcher adds the delivery's identity to the logger it
		// passes on; this one is for the guard's own refusals only.
		log := zerolog.Ctx(r.Context()).With().
			Str(githubapp.LogKeyDeliveryID, r.Header.Get("X-GitHub-Delivery")).
			Str(githubapp.LogKeyEventType, event).Logger()
		refuse := func(status int, outcome, msg string) {
			a.metrics.webhooks.WithLabelValues(eventLabel(event), outcome).Inc()
			log.Warn().Int("status", status).Str("outcome", outcome).Msg(msg)
			http.Error(w, msg, status)
		}
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			refuse(http.StatusMethodNotAllowed, "bad_request", "webhooks must be POSTed")
			return
		}
		if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
			refuse(http.StatusUnsupportedMediaType, "bad_request", "webhook content type must be application/json (set it in the GitHub App's webhook settings)")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPayloadBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				refuse(http.StatusRequestEntityTooLarge, "too_large", "webhook payload exceeds 25 MiB")
				return
			}
			refuse(http.StatusBadRequest, "bad_request", "could not read webhook body")
			return
		}
		sig := r.Header.Get(github.SHA256SignatureHeader)
		if sig == "" {
			sig = r.Header.Get(github.SHA1SignatureHeader)
		}
		if sig == "" {
			refuse(http.StatusUnauthorized, "bad_signature", "missing X-Hub-Signature-256 header")
			return
		}
		if err := github.ValidateSignature(sig, body, []byte(a.cfg.GitHub.App.WebhookSecret)); err != nil {
			refuse(http.StatusUnauthorized, "bad_signature", "webhook signature does not match the configured secret")
			return
		}
		if event == "" {
			refuse(http.StatusBadRequest, "bad_request", "missing X-GitHub-Event header")
			return
		}
		if !json.Valid(body) {
			refuse(http.StatusBadRequest, "bad_request", "webhook payload is not valid JSON")
			return
		}
		if _, err := handlers.ParseEvent(event, "", body); err != nil {
			refuse(http.StatusBadRequest, "bad_request", "webhook payload is not shaped like a GitHub event: "+err.Error())
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// eventLabel keeps metric label values to known event names.
func eventLabel(event string) string {
	if event == "" || len(event) > 40 || strings.ContainsAny(event, " /\"") {
		return "unknown"
	}
	return event
}

// onResponse answers accepted deliveries: 200 to ping, 202 to everything
// queued or not handled (GitHub only needs a 2xx within 10 s).
func (a *App) onResponse(w http.ResponseWriter, r *http.Request, event string, handled bool) {
	outcome := "accepted"
	status := http.StatusAccepted
	switch {
	case event == "ping":
		outcome, status = "ping", http.StatusOK
	case !handled:
		outcome = "unhandled"
	}
	a.metrics.webhooks.WithLabelValues(eventLabel(event), outcome).Inc()
	w.WriteHeader(status)
}

// onError maps dispatcher errors to status codes: a full or closing queue
// is 503, a request the dispatcher rejects is 400, anything else 500.
func (a *App) onError(w http.ResponseWriter, r *http.Request, err error) {
	event := r.Header.Get("X-GitHub-Event")
	log := zerolog.Ctx(r.Context())
	var verr githubapp.ValidationError
	switch {
	case errors.Is(err, githubapp.ErrCapacityExceeded):
		a.metrics.webhooks.WithLabelValues(eventLabel(event), "queue_full").Inc()
		log.Error().Err(err).Msg("event queue full: delivery refused; the next sweep will repair what it would have done")
		http.Error(w, "event queue is full, try again later", http.StatusServiceUnavailable)
	case errors.As(err, &verr):
		a.metrics.webhooks.WithLabelValues(eventLabel(event), "bad_request").Inc()
		log.Warn().Err(err).Msg("invalid webhook")
		http.Error(w, "invalid webhook headers or payload", http.StatusBadRequest)
	default:
		a.metrics.webhooks.WithLabelValues(eventLabel(event), "error").Inc()
		log.Error().Err(err).Msg("webhook handling failed")
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// onAsyncError logs a failed job with its delivery's fields (once: the
// failures of features were logged as they happened).
func (a *App) onAsyncError(ctx context.Context, d githubapp.Dispatch, err error) {
	var logged loggedError
	if errors.As(err, &logged) {
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
	ev, err := handlers.ParseEvent(eventType, deliveryID, payload)
	if err != nil {
		return err
	}
	return f.app.dispatch(ctx, ev, f.features)
}

// dispatch runs features for one event: the loop guard, the installation
// guard, one Env for all of them, and per-feature logging, timing and panic
// isolation (one feature's failure does not stop the others).
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
	if ev.Repo.Owner != "" && ev.Repo.Name != "" {
		defer a.repos.lock(ev.Repo.FullName())()
	} else if !strings.HasPrefix(ev.Type, "installation") {
		log.Warn().Msg("event names no repository; ignored")
		return nil
	}
	env, err := a.newEnv(ctx, ev.InstallationID, ev.Repo, ev.BaseRef)
	if err != nil {
		return err
	}
	var errs []error
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
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return loggedError{errors.Join(errs...)}
}

// loggedError is an event's failure whose parts dispatch already logged.
type loggedError struct{ error }

func (e loggedError) Unwrap() error { return e.error }
