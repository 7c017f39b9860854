package app

import (
	"fmt"
	"net/http"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/rs/zerolog"
	"github.com/rs/zerolog/hlog"
)

func (a *App) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle(githubapp.DefaultWebhookRoute, a.webhookGuard(a.dispatcher()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case !a.ready.Load():
			http.Error(w, "not ready: shutting down or not started", http.StatusServiceUnavailable)
		case a.queue.Saturated():
			http.Error(w, "not ready: event queue is full", http.StatusServiceUnavailable)
		default:
			fmt.Fprintln(w, "ready")
		}
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(a.metrics.Registry, promhttp.HandlerOpts{Registry: a.metrics.Registry}))
	mux.HandleFunc("GET /setup", a.setupPage)
	root := http.NewServeMux()
	root.Handle("/", a.middleware(mux))
	return root
}

// middleware puts the logger in every request, tags requests with an id,
// logs each one once, and turns a panic into a 500 instead of a dropped
// connection.
func (a *App) middleware(next http.Handler) http.Handler {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				zerolog.Ctx(r.Context()).Error().Interface("panic", rec).Msg("panic serving request")
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
	access := hlog.AccessHandler(func(r *http.Request, status, size int, d time.Duration) {
		lvl := zerolog.InfoLevel
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" {
			lvl = zerolog.DebugLevel
		}
		hlog.FromRequest(r).WithLevel(lvl).Str("method", r.Method).Str("path", r.URL.Path).
			Int("status", status).Int("size", size).Dur("elapsed", d).
			Str(githubapp.LogKeyDeliveryID, r.Header.Get("X-GitHub-Delivery")).Msg("http request")
	})
	return hlog.NewHandler(a.log)(hlog.RequestIDHandler("rid", "X-Request-ID")(access(h)))
}

// setupPage is where GitHub sends people after they install the app.
func (a *App) setupPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprint(w, `<!doctype html><title>Overlap installed</title>
<h1>Overlap is installed</h1>
<p>Overlap now works with its defaults on the repositories you chose. To set your team's norms,
add <code>.github/overlap.yml</code> to a repository (or <code>overlap.yml</code> to your
organization's <code>.github</code> repository); a pull request that changes it gets an
<em>Overlap config</em> check that validates it and previews what changes.</p>`)
}
