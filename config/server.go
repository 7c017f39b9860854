package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
	"github.com/rs/zerolog"
)

// Server is the whole `overlap serve` configuration. Every key can also be
// set from the environment as OVERLAP_<SECTION>_<KEY> (see EnvVars); the
// environment wins over the file.
type Server struct {
	Server    HTTP         `yaml:"server"`
	Queue     Queue        `yaml:"queue"`
	Logging   Logging      `yaml:"logging"`
	Scheduler Scheduler    `yaml:"scheduler"`
	Policy    PolicySource `yaml:"policy"`
	GitHub    GitHub       `yaml:"github"`
}

// HTTP is the listener.
type HTTP struct {
	Address string `yaml:"address"`
	// PublicURL is where GitHub reaches the app (used in links and /setup).
	PublicURL string `yaml:"public_url"`
	// DryRun logs every write to GitHub instead of making it.
	DryRun          bool          `yaml:"dry_run"`
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	ReadTimeout     time.Duration `yaml:"read_timeout"`
	WriteTimeout    time.Duration `yaml:"write_timeout"`
	IdleTimeout     time.Duration `yaml:"idle_timeout"`
	// WebhookMemoryMiB bounds the webhook bodies held in memory at once
	// (read, verified and parsed), so concurrent large or slow POSTs cannot
	// exhaust the pod; a delivery that finds no room within a second gets
	// 503. It must hold at least one payload of GitHub's maximum size.
	WebhookMemoryMiB int `yaml:"webhook_memory_mib"`
}

// MinWebhookMemoryMiB is the smallest webhook memory budget: one payload of
// GitHub's maximum size (25 MiB).
const MinWebhookMemoryMiB = 25

// Queue is the bounded event queue between the webhook and the handlers.
type Queue struct {
	// Workers is how many events are handled at once (across
	// repositories: one repository's events run one at a time).
	Workers int `yaml:"workers"`
	// Size bounds the events accepted and not yet finished (queued,
	// running or waiting to retry); MaxMiB bounds their payloads' memory.
	// Past either, webhooks get 503 (and the redelivery job sends them
	// again); /readyz fails at 90%.
	Size   int `yaml:"size"`
	MaxMiB int `yaml:"max_mib"`
	// JobTimeout bounds one run of one event, from the moment a worker
	// starts it.
	JobTimeout time.Duration `yaml:"job_timeout"`
	// Retries is how many more times a failed event runs (its failed
	// features only), RetryBase the first wait (then ×4 each time, with
	// jitter, or as long as GitHub's rate limit says).
	Retries   int           `yaml:"retries"`
	RetryBase time.Duration `yaml:"retry_base"`
}

// Logging configures zerolog.
type Logging struct {
	Level string `yaml:"level"`
	// Format is json, console, or auto (console on a terminal, else json).
	Format string `yaml:"format"`
}

// ZerologLevel returns the parsed level (validated by LoadServer).
func (l Logging) ZerologLevel() zerolog.Level {
	lvl, err := zerolog.ParseLevel(strings.ToLower(l.Level))
	if err != nil || l.Level == "" {
		return zerolog.InfoLevel
	}
	return lvl
}

// Console reports whether to log for humans, given whether stderr is a TTY.
func (l Logging) Console(isTTY bool) bool {
	switch l.Format {
	case "console":
		return true
	case "auto":
		return isTTY
	}
	return false
}

// Scheduler configures the periodic sweeps.
type Scheduler struct {
	Enabled bool `yaml:"enabled"`
	// Interval is how often each feature sweeps, unless Intervals says
	// otherwise for that feature.
	Interval  time.Duration            `yaml:"interval"`
	Intervals map[string]time.Duration `yaml:"intervals"`
	// RepairInterval is how often the repositories whose events failed
	// every retry are swept (every feature, those repositories only).
	RepairInterval time.Duration `yaml:"repair_interval"`
}

// SweepFeatures are the features that sweep, the valid keys of
// scheduler.intervals.
func SweepFeatures() []string {
	return []string{"adr", "docs", "feedback", "reviews", "timezones", "weekly"}
}

// IntervalFor returns the sweep interval of a feature.
func (s Scheduler) IntervalFor(feature string) time.Duration {
	if d, ok := s.Intervals[feature]; ok && d > 0 {
		return d
	}
	return s.Interval
}

// GitHub is go-githubapp's own Config (github.v3_api_url, github.app.*, …)
// plus what it lacks: a key file, a client timeout and the client cache size.
type GitHub struct {
	githubapp.Config `yaml:",inline"`
	// PrivateKeyPath is github.app.private_key_path: a PEM file to read
	// the key from. LoadServer reads it into App.PrivateKey.
	PrivateKeyPath  string        `overlap:"app.private_key_path"`
	Timeout         time.Duration `yaml:"timeout"`
	ClientCacheSize int           `yaml:"client_cache_size"`
	// CacheMiB bounds the memory of every installation client's HTTP
	// response cache together (ETags for conditional requests).
	CacheMiB int `yaml:"cache_mib"`
	// WriteInterval spaces out one installation's writes (GitHub's
	// secondary limits on content creation); 0 turns pacing off.
	WriteInterval time.Duration `yaml:"write_interval"`
}

// DefaultServer is the configuration with nothing set.
func DefaultServer() Server {
	s := Server{
		Server: HTTP{
			Address:          "127.0.0.1:8080",
			ShutdownTimeout:  150 * time.Second,
			ReadTimeout:      30 * time.Second,
			WriteTimeout:     30 * time.Second,
			IdleTimeout:      2 * time.Minute,
			WebhookMemoryMiB: 64,
		},
		Queue:     Queue{Workers: 32, Size: 20000, MaxMiB: 128, JobTimeout: 2 * time.Minute, Retries: 4, RetryBase: 5 * time.Second},
		Logging:   Logging{Level: "info", Format: "auto"},
		Scheduler: Scheduler{Enabled: true, Interval: 15 * time.Minute, RepairInterval: time.Minute},
		Policy:    defaultPolicySource(),
		GitHub:    GitHub{Timeout: 10 * time.Second, ClientCacheSize: 1024, CacheMiB: 64, WriteInterval: time.Second},
	}
	return s
}

const envPrefix = "OVERLAP_"

// LoadServer reads the config file at path ("" = environment only), applies
// OVERLAP_* overrides from getenv (nil = os.Getenv), fills defaults, reads the
// private key file and validates everything. The error lists every problem,
// one per line, and never contains a secret.
func LoadServer(path string, getenv func(string) string) (*Server, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	cfg := DefaultServer()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("read server config: %w", err)
		}
		root, p := parseYAML(path, data)
		if p != nil {
			return nil, fmt.Errorf("server config: %w", Problems{*p})
		}
		if root != nil {
			d := newDecoder(path)
			d.decode(root, reflect.ValueOf(&cfg).Elem(), "")
			for _, feature := range slices.Sorted(maps.Keys(cfg.Scheduler.Intervals)) {
				if !contains(SweepFeatures(), feature) {
					k := "scheduler.intervals." + feature
					d.addAt(d.keys[k], k, fmt.Sprintf("unknown feature %q", feature), unknownKeyHint(feature, SweepFeatures()))
				}
			}
			if len(d.probs) > 0 {
				return nil, fmt.Errorf("server config: %w", d.probs.sorted())
			}
		}
	}
	var errs []error
	for _, v := range EnvVars() {
		if err := v.apply(&cfg, getenv); err != nil {
			errs = append(errs, err)
		}
	}
	// Report every problem at once: the environment's, the key file's and
	// the validation's, so one restart is enough to see them all.
	cfg.fillGitHubDefaults()
	if err := cfg.loadKey(); err != nil {
		errs = append(errs, err)
	} else if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &cfg, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// fillGitHubDefaults points an empty config at github.com, and derives the
// GraphQL and web URLs of a GitHub Enterprise Server from its REST URL.
func (s *Server) fillGitHubDefaults() {
	g := &s.GitHub
	ghes := ""
	if u, err := url.Parse(g.V3APIURL); err == nil && u.Host != "" && strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/api/v3") {
		ghes = u.Scheme + "://" + u.Host
	}
	if g.V3APIURL == "" {
		g.V3APIURL = "https://api.github.com/"
	}
	if g.V4APIURL == "" {
		g.V4APIURL = "https://api.github.com/graphql"
		if ghes != "" {
			g.V4APIURL = ghes + "/api/graphql"
		}
	}
	if g.WebURL == "" {
		g.WebURL = "https://github.com"
		if ghes != "" {
			g.WebURL = ghes
		}
	}
}

// loadKey reads the key file and normalises a key whose newlines arrived as
// literal \n (the usual shape of a PEM in an environment variable).
func (s *Server) loadKey() error {
	app := &s.GitHub.App
	if s.GitHub.PrivateKeyPath != "" {
		if app.PrivateKey != "" {
			return errors.New("server config: github.app.private_key and github.app.private_key_path are both set; use one")
		}
		b, err := os.ReadFile(s.GitHub.PrivateKeyPath)
		if err != nil {
			return fmt.Errorf("server config: github.app.private_key_path: cannot read the key file: %w", err)
		}
		app.PrivateKey = string(b)
	}
	if !strings.Contains(app.PrivateKey, "\n") && strings.Contains(app.PrivateKey, `\n`) {
		app.PrivateKey = strings.ReplaceAll(app.PrivateKey, `\n`, "\n")
	}
	return nil
}

// Validate checks a loaded config and returns every problem, one line each.
func (s *Server) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	if s.Server.Address == "" {
		add("server.address is empty (set e.g. 0.0.0.0:8080 or OVERLAP_SERVER_ADDRESS)")
	} else if _, _, err := net.SplitHostPort(s.Server.Address); err != nil {
		add("server.address %q is not host:port (e.g. 0.0.0.0:8080)", s.Server.Address)
	}
	if s.Server.PublicURL != "" {
		if err := checkHTTPURL(s.Server.PublicURL); err != nil {
			add("server.public_url %q: %v", s.Server.PublicURL, err)
		}
	}
	for _, d := range []struct {
		key string
		v   time.Duration
	}{
		{"server.shutdown_timeout", s.Server.ShutdownTimeout},
		{"server.read_timeout", s.Server.ReadTimeout},
		{"server.write_timeout", s.Server.WriteTimeout},
		{"server.idle_timeout", s.Server.IdleTimeout},
		{"queue.job_timeout", s.Queue.JobTimeout},
		{"queue.retry_base", s.Queue.RetryBase},
		{"scheduler.repair_interval", s.Scheduler.RepairInterval},
		{"scheduler.interval", s.Scheduler.Interval},
		{"github.timeout", s.GitHub.Timeout},
	} {
		if d.v <= 0 {
			add("%s must be longer than zero, got %s", d.key, d.v)
		}
	}
	for _, f := range slices.Sorted(maps.Keys(s.Scheduler.Intervals)) {
		if d := s.Scheduler.Intervals[f]; d <= 0 {
			add("scheduler.intervals.%s must be longer than zero, got %s", f, d)
		}
	}
	if s.Server.WebhookMemoryMiB < MinWebhookMemoryMiB {
		add("server.webhook_memory_mib must be at least %d (one webhook payload of GitHub's maximum size), got %d", MinWebhookMemoryMiB, s.Server.WebhookMemoryMiB)
	}
	if s.Queue.Workers < 1 {
		add("queue.workers must be at least 1, got %d", s.Queue.Workers)
	}
	if s.Queue.Size < 1 {
		add("queue.size must be at least 1, got %d", s.Queue.Size)
	}
	if s.Queue.MaxMiB < 26 {
		add("queue.max_mib must be at least 26 (one webhook payload of GitHub's maximum size), got %d", s.Queue.MaxMiB)
	}
	if s.Queue.Retries < 0 || s.Queue.Retries > 20 {
		add("queue.retries must be from 0 to 20, got %d", s.Queue.Retries)
	}
	if s.Server.ShutdownTimeout > 0 && s.Queue.JobTimeout > 0 && s.Server.ShutdownTimeout < s.Queue.JobTimeout {
		add("server.shutdown_timeout (%s) must be at least queue.job_timeout (%s), or a rollout drops events that were already accepted", s.Server.ShutdownTimeout, s.Queue.JobTimeout)
	}
	if s.GitHub.CacheMiB < 1 {
		add("github.cache_mib must be at least 1, got %d", s.GitHub.CacheMiB)
	}
	if s.Policy.CacheSize < 1 {
		add("policy.cache_size must be at least 1, got %d", s.Policy.CacheSize)
	}
	if s.GitHub.WriteInterval < 0 {
		add("github.write_interval must not be negative, got %s", s.GitHub.WriteInterval)
	}
	if s.GitHub.ClientCacheSize < 1 {
		add("github.client_cache_size must be at least 1, got %d", s.GitHub.ClientCacheSize)
	}
	for _, p := range []struct{ key, v string }{{"policy.path", s.Policy.Path}, {"policy.org_repo", s.Policy.OrgRepo}, {"policy.org_path", s.Policy.OrgPath}} {
		if strings.TrimSpace(p.v) == "" {
			add("%s is empty", p.key)
		}
	}
	if _, err := zerolog.ParseLevel(strings.ToLower(s.Logging.Level)); err != nil || s.Logging.Level == "" {
		add("logging.level %q is unknown (use trace, debug, info, warn or error)", s.Logging.Level)
	}
	switch s.Logging.Format {
	case "json", "console", "auto":
	default:
		add("logging.format %q is unknown (use json, console or auto)", s.Logging.Format)
	}

	g := s.GitHub
	if g.App.IntegrationID <= 0 {
		add("github.app.integration_id must be the app's numeric ID, greater than 0 (OVERLAP_GITHUB_APP_INTEGRATION_ID)")
	}
	if g.App.WebhookSecret == "" {
		add("github.app.webhook_secret is empty: go-githubapp would then accept unsigned webhooks from anyone, so Overlap refuses to start (OVERLAP_GITHUB_APP_WEBHOOK_SECRET)")
	}
	if g.App.PrivateKey == "" {
		add("github.app.private_key is empty: set it or github.app.private_key_path (OVERLAP_GITHUB_APP_PRIVATE_KEY or OVERLAP_GITHUB_APP_PRIVATE_KEY_PATH)")
	} else if err := checkRSAKey(g.App.PrivateKey); err != nil {
		add("github.app.private_key: %v", err)
	}
	if err := checkHTTPURL(g.V3APIURL); err != nil {
		add("github.v3_api_url %q: %v", g.V3APIURL, err)
	} else if hint := ghesHint(g.V3APIURL, g.WebURL); hint != "" {
		add("github.v3_api_url %q: %s", g.V3APIURL, hint)
	}
	if err := checkHTTPURL(g.V4APIURL); err != nil {
		add("github.v4_api_url %q: %v", g.V4APIURL, err)
	}
	if err := checkHTTPURL(g.WebURL); err != nil {
		add("github.web_url %q: %v", g.WebURL, err)
	}
	return errors.Join(errs...)
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.New("must be an absolute http(s) URL")
	}
	return nil
}

// ghesHint catches the classic GitHub Enterprise Server mistake: the REST
// API lives under /api/v3 on the same host as the web UI, and without it
// token refreshes fail later with a puzzling redirect.
func ghesHint(v3, web string) string {
	u, _ := url.Parse(v3)
	if strings.EqualFold(u.Host, "github.com") {
		return "this is the web address; the REST API is https://api.github.com/"
	}
	w, err := url.Parse(web)
	if err == nil && strings.EqualFold(u.Host, w.Host) && !strings.HasSuffix(strings.TrimSuffix(u.Path, "/"), "/api/v3") {
		return "on GitHub Enterprise Server the REST API URL ends in /api/v3 (e.g. https://" + u.Host + "/api/v3)"
	}
	return ""
}

// checkRSAKey parses a PEM RSA key (PKCS#1 or PKCS#8) without ever putting
// key material into the error.
func checkRSAKey(s string) error {
	block, _ := pem.Decode([]byte(strings.TrimSpace(s)))
	if block == nil {
		return errors.New("not a PEM key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----, as downloaded from the app's settings)")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return errors.New("the RSA PRIVATE KEY block does not parse as a PKCS#1 key")
		}
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return errors.New("the PRIVATE KEY block does not parse as a PKCS#8 key")
		}
		if _, ok := k.(*rsa.PrivateKey); !ok {
			return errors.New("the key is not an RSA key; GitHub Apps use RSA")
		}
	default:
		return fmt.Errorf("PEM block %q is not a private key", block.Type)
	}
	return nil
}

// EnvVar is one environment override.
type EnvVar struct {
	Name string // e.g. OVERLAP_QUEUE_WORKERS
	Key  string // e.g. queue.workers
	// index reaches the field from Server; mapKey is set for map entries.
	index  []int
	mapKey string
}

// EnvVars lists every environment variable LoadServer reads, in file order.
// The github.* names are exactly go-githubapp's SetValuesFromEnv("OVERLAP_")
// names (it reads them through os.LookupEnv; we go through getenv so tests
// and callers can inject the environment, and so a bad integer is reported
// instead of ignored).
func EnvVars() []EnvVar {
	var out []EnvVar
	var walk func(t reflect.Type, index []int, path []string)
	walk = func(t reflect.Type, index []int, path []string) {
		for _, f := range fieldsOf(t) {
			idx := append(append([]int(nil), index...), f.index...)
			p := append(append([]string(nil), path...), f.name)
			ft := t.FieldByIndex(f.index).Type
			switch {
			case ft.Kind() == reflect.Struct:
				walk(ft, idx, p)
			case ft.Kind() == reflect.Map:
				for _, feature := range SweepFeatures() {
					mp := append(append([]string(nil), p...), feature)
					out = append(out, EnvVar{Name: envName(mp), Key: strings.Join(mp, "."), index: idx, mapKey: feature})
				}
			default:
				out = append(out, EnvVar{Name: envName(p), Key: strings.Join(p, "."), index: idx})
			}
		}
	}
	walk(reflect.TypeOf(Server{}), nil, nil)
	return out
}

func envName(path []string) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = strings.ToUpper(strings.ReplaceAll(p, ".", "_"))
	}
	return envPrefix + strings.Join(parts, "_")
}

// apply sets the field from the environment when the variable is non-empty.
func (e EnvVar) apply(s *Server, getenv func(string) string) error {
	raw := getenv(e.Name)
	if raw == "" {
		return nil
	}
	f := reflect.ValueOf(s).Elem().FieldByIndex(e.index)
	if e.mapKey != "" {
		d, err := parseServerDuration(raw)
		if err != nil {
			return fmt.Errorf("%s: %v", e.Name, err)
		}
		if f.IsNil() {
			f.Set(reflect.MakeMap(f.Type()))
		}
		f.SetMapIndex(reflect.ValueOf(e.mapKey), reflect.ValueOf(d))
		return nil
	}
	switch {
	case f.Type() == durationType:
		d, err := parseServerDuration(raw)
		if err != nil {
			return fmt.Errorf("%s: %v", e.Name, err)
		}
		f.SetInt(int64(d))
	case f.Kind() == reflect.String:
		f.SetString(raw)
	case f.Kind() == reflect.Bool:
		b, err := strconv.ParseBool(strings.TrimSpace(raw))
		if err != nil {
			return fmt.Errorf("%s: expected true or false, got %q", e.Name, raw)
		}
		f.SetBool(b)
	case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
		i, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil {
			return fmt.Errorf("%s: expected a whole number, got %q", e.Name, raw)
		}
		f.SetInt(i)
	default:
		return fmt.Errorf("%s: internal error: unsupported type %s", e.Name, f.Type())
	}
	return nil
}
