package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"

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
// a well-formed X-Hub-Signature-256 before a byte of the body is read (so
// unauthenticated senders cost no memory), a body read within a shared
// memory budget (503 when it is full) and a deadline, a signature that must
// be valid (401, where the dispatcher would say 400), and a body that must
// parse (400, where the async dispatcher would say 200 and fail later).
func (a *App) webhookGuard(next http.Handler) http.Handler {
	budget := newBodyBudget(int64(a.cfg.Server.WebhookMemoryMiB)<<20, bodyBudgetWait, a.metrics.Registry)
	// server.read_timeout bounds the whole request; the body gets no more
	// than GitHub itself would wait.
	readTimeout := bodyReadTimeout
	if t := a.cfg.Server.ReadTimeout; t > 0 {
		readTimeout = min(readTimeout, t)
	}
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
		if r.ContentLength > MaxPayloadBytes {
			refuse(http.StatusRequestEntityTooLarge, "too_large", "webhook payload exceeds 25 MiB")
			return
		}
		if msg := signatureProblem(r.Header); msg != "" {
			refuse(http.StatusUnauthorized, "bad_signature", msg)
			return
		}
		body, release, err := budget.readBody(w, r, MaxPayloadBytes, readTimeout)
		if err != nil {
			var tooLarge *http.MaxBytesError
			switch {
			case errors.Is(err, errNoBudget):
				w.Header().Set("Retry-After", "5")
				refuse(http.StatusServiceUnavailable, "busy", "too many webhook bodies are being read at once, try again later")
			case errors.As(err, &tooLarge):
				refuse(http.StatusRequestEntityTooLarge, "too_large", "webhook payload exceeds 25 MiB")
			case errors.Is(err, os.ErrDeadlineExceeded):
				refuse(http.StatusRequestTimeout, "bad_request", fmt.Sprintf("webhook body did not arrive within %s", readTimeout))
			default:
				log.Debug().Err(err).Msg("webhook body read failed")
				refuse(http.StatusBadRequest, "bad_request", "could not read webhook body")
			}
			return
		}
		// Held until the dispatcher has queued the delivery (it reads its
		// own copy of the body from the one given here).
		defer release()
		if err := github.ValidateSignature(r.Header.Get(github.SHA256SignatureHeader), body, []byte(a.cfg.GitHub.App.WebhookSecret)); err != nil {
			refuse(http.StatusUnauthorized, "bad_signature", "webhook signature does not match the configured secret")
			return
		}
		if event == "" {
			refuse(http.StatusBadRequest, "bad_request", "missing X-GitHub-Event header")
			return
		}
		// One pass over the body decides both: json.Unmarshal checks the
		// whole document's syntax before it decodes (a separate json.Valid
		// scanned the 20 KB of a typical delivery a second time, a quarter
		// of the guard's CPU).
		ev, err := handlers.ParseEvent(event, r.Header.Get("X-GitHub-Delivery"), body)
		if err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) {
				refuse(http.StatusBadRequest, "bad_request", "webhook payload is not valid JSON")
				return
			}
			refuse(http.StatusBadRequest, "bad_request", "webhook payload is not shaped like a GitHub event: "+err.Error())
			return
		}
		// The queue keys the delivery by what was decoded here.
		r = r.WithContext(withParsedEvent(r.Context(), ev))
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
