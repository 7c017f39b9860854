package app

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/overlaphq/overlap/internal/gh"
)

// Metrics are the app's Prometheus series, on a registry of its own (no
// global state; tests read them through the /metrics route).
type Metrics struct {
	Registry *prometheus.Registry

	webhooks        *prometheus.CounterVec
	queueDepth      prometheus.Gauge
	queueDropped    prometheus.Counter
	queueWait       prometheus.Histogram
	busyWorkers     prometheus.Gauge
	queueBytes      prometheus.Gauge
	retries         prometheus.Counter
	gaveUp          prometheus.Counter
	dirtyRepos      prometheus.Gauge
	handlerDuration *prometheus.HistogramVec
	handlerErrors   *prometheus.CounterVec
	githubCalls     *prometheus.CounterVec
	rateRemaining   *prometheus.GaugeVec
	sweeps          *prometheus.CounterVec
	writes          *prometheus.CounterVec
}

// NewMetrics registers the app's series (and Go/process collectors).
func NewMetrics() *Metrics {
	r := prometheus.NewRegistry()
	m := &Metrics{
		Registry: r,
		webhooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "overlap_webhooks_received_total",
			Help: "Webhook deliveries received, by event type and outcome (accepted, ping, unhandled, bad_signature, bad_request, too_large, queue_full, self).",
		}, []string{"event", "outcome"}),
		queueDepth: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "overlap_queue_depth", Help: "Events accepted and not finished: queued, running or waiting to retry.",
		}),
		queueDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "overlap_queue_dropped_total", Help: "Events refused because the queue was full (answered 503).",
		}),
		queueWait: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "overlap_queue_wait_seconds", Help: "Time events waited in the queue before a worker took them.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}),
		busyWorkers: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "overlap_queue_busy_workers", Help: "Workers handling an event right now.",
		}),
		queueBytes: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "overlap_queue_bytes", Help: "Payload bytes of the events accepted and not finished.",
		}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "overlap_queue_retries_total", Help: "Failed events scheduled to run again.",
		}),
		gaveUp: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "overlap_queue_gave_up_total", Help: "Events that failed every retry (their repositories go to the repair sweep).",
		}),
		dirtyRepos: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "overlap_dirty_repositories", Help: "Repositories waiting for the repair sweep after failed events.",
		}),
		handlerDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "overlap_handler_duration_seconds", Help: "Time a feature took to handle one event.",
			Buckets: prometheus.ExponentialBuckets(0.005, 3, 9),
		}, []string{"event", "feature"}),
		handlerErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "overlap_handler_errors_total", Help: "Features that failed handling an event.",
		}, []string{"event", "feature"}),
		githubCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "overlap_github_api_calls_total", Help: "GitHub API calls by method, route template and status.",
		}, []string{"method", "route", "status"}),
		rateRemaining: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "overlap_github_rate_limit_remaining", Help: "The rate-limit budget GitHub reported on the latest response, per installation (\"app\" for the app's own calls) and resource (core, graphql, ...).",
		}, []string{"installation", "resource"}),
		sweeps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "overlap_sweeps_total", Help: "Sweeps of one repository by one feature, by outcome.",
		}, []string{"feature", "outcome"}),
		writes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "overlap_github_writes_total", Help: "Writes made (or, in dry-run mode, intended) through the write path.",
		}, []string{"action", "dry_run"}),
	}
	r.MustRegister(m.webhooks, m.queueDepth, m.queueDropped, m.queueWait, m.busyWorkers,
		m.queueBytes, m.retries, m.gaveUp, m.dirtyRepos,
		m.handlerDuration, m.handlerErrors, m.githubCalls, m.rateRemaining, m.sweeps, m.writes,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveCall implements gh.CallObserver.
func (m *Metrics) ObserveCall(c gh.Call) {
	m.githubCalls.WithLabelValues(c.Method, c.Route, strconv.Itoa(c.Status)).Inc()
	if c.HasRate {
		m.rateRemaining.WithLabelValues(c.Installation, c.Resource).Set(float64(c.Remaining))
	}
}
