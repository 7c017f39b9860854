package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"
)

var (
	keyOnce      sync.Once
	pkcs1, pkcs8 string
	ecKey        string
)

func testKeys(t *testing.T) (string, string, string) {
	t.Helper()
	keyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		pkcs1 = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
		b, _ := x509.MarshalPKCS8PrivateKey(k)
		pkcs8 = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b}))
		ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		eb, _ := x509.MarshalPKCS8PrivateKey(ek)
		ecKey = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: eb}))
	})
	return pkcs1, pkcs8, ecKey
}

func envFrom(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// validEnv is the least a real deployment sets.
func validEnv(t *testing.T) map[string]string {
	k1, _, _ := testKeys(t)
	return map[string]string{
		"OVERLAP_GITHUB_APP_INTEGRATION_ID": "12345",
		"OVERLAP_GITHUB_APP_WEBHOOK_SECRET": "s3cret-hook",
		// As it arrives from many secret stores: one line, literal \n.
		"OVERLAP_GITHUB_APP_PRIVATE_KEY": strings.ReplaceAll(k1, "\n", `\n`),
	}
}

func TestLoadServerEnvOnly(t *testing.T) {
	env := validEnv(t)
	env["OVERLAP_SERVER_ADDRESS"] = "0.0.0.0:9000"
	env["OVERLAP_SERVER_DRY_RUN"] = "true"
	env["OVERLAP_QUEUE_WORKERS"] = "3"
	env["OVERLAP_SCHEDULER_INTERVAL"] = "1h"
	env["OVERLAP_SCHEDULER_INTERVALS_DOCS"] = "1d"
	cfg, err := LoadServer("", envFrom(env))
	if err != nil {
		t.Fatalf("LoadServer: %v", err)
	}
	if cfg.Server.Address != "0.0.0.0:9000" || !cfg.Server.DryRun || cfg.Queue.Workers != 3 || cfg.Queue.Size != 20000 || cfg.Queue.MaxMiB != 128 {
		t.Errorf("server/queue: %+v %+v", cfg.Server, cfg.Queue)
	}
	if cfg.Scheduler.IntervalFor("docs") != 24*time.Hour || cfg.Scheduler.IntervalFor("reviews") != time.Hour {
		t.Errorf("intervals: %+v", cfg.Scheduler)
	}
	g := cfg.GitHub
	if g.App.IntegrationID != 12345 || g.App.WebhookSecret != "s3cret-hook" || !strings.HasPrefix(g.App.PrivateKey, "-----BEGIN RSA PRIVATE KEY-----\n") {
		t.Errorf("github app: id %d, key normalised: %v", g.App.IntegrationID, strings.Contains(g.App.PrivateKey, "\n"))
	}
	if g.V3APIURL != "https://api.github.com/" || g.V4APIURL != "https://api.github.com/graphql" || g.WebURL != "https://github.com" {
		t.Errorf("github urls: %s %s %s", g.V3APIURL, g.V4APIURL, g.WebURL)
	}
	if g.Timeout != 10*time.Second || g.ClientCacheSize != 1024 || cfg.Queue.JobTimeout != 2*time.Minute || cfg.Server.ShutdownTimeout != 150*time.Second {
		t.Errorf("defaults: %+v", cfg)
	}
	if cfg.Logging.ZerologLevel().String() != "info" || !cfg.Logging.Console(true) || cfg.Logging.Console(false) {
		t.Errorf("logging: %+v", cfg.Logging)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadServerFileAndEnv(t *testing.T) {
	_, k8, _ := testKeys(t)
	keyPath := writeFile(t, "app.pem", k8)
	path := writeFile(t, "overlap.yml", `
server:
  address: 0.0.0.0:8080
  public_url: https://overlap.example.com
queue:
  workers: 4
  job_timeout: 90s
logging:
  format: json
scheduler:
  intervals:
    docs: 1h
    weekly: 30m
github:
  v3_api_url: https://ghe.example.com/api/v3/
  app:
    integration_id: 7
    webhook_secret: from-file
    private_key_path: `+keyPath+`
`)
	env := map[string]string{
		"OVERLAP_QUEUE_WORKERS":             "16",
		"OVERLAP_SCHEDULER_INTERVALS_DOCS":  "2h",
		"OVERLAP_GITHUB_APP_WEBHOOK_SECRET": "from-env",
	}
	cfg, err := LoadServer(path, envFrom(env))
	if err != nil {
		t.Fatalf("LoadServer: %v", err)
	}
	if cfg.Queue.Workers != 16 || cfg.Queue.JobTimeout != 90*time.Second || cfg.Server.PublicURL != "https://overlap.example.com" {
		t.Errorf("env should override file: %+v %+v", cfg.Queue, cfg.Server)
	}
	if cfg.Scheduler.IntervalFor("docs") != 2*time.Hour || cfg.Scheduler.IntervalFor("weekly") != 30*time.Minute {
		t.Errorf("intervals: %v", cfg.Scheduler.Intervals)
	}
	if cfg.GitHub.App.WebhookSecret != "from-env" || cfg.GitHub.App.IntegrationID != 7 || cfg.GitHub.App.PrivateKey != k8 || cfg.GitHub.PrivateKeyPath != keyPath {
		t.Errorf("github app: %+v", cfg.GitHub.App.IntegrationID)
	}
	// GHES: GraphQL and web URLs follow the REST host.
	if cfg.GitHub.V4APIURL != "https://ghe.example.com/api/graphql" || cfg.GitHub.WebURL != "https://ghe.example.com" {
		t.Errorf("GHES urls: %s %s", cfg.GitHub.V4APIURL, cfg.GitHub.WebURL)
	}
}

func TestLoadServerStrictFile(t *testing.T) {
	path := writeFile(t, "overlap.yml", "queue:\n  wrokers: 4\n  size: lots\nscheduler:\n  intervals:\n    dcos: 1h\n")
	_, err := LoadServer(path, envFrom(validEnv(t)))
	want := "server config: " + path + `:2:3: queue.wrokers: unknown key "wrokers" (hint: did you mean "workers"?)` + "\n" +
		path + `:3:9: queue.size: expected a whole number, got "lots"` + "\n" +
		path + `:6:5: scheduler.intervals.dcos: unknown feature "dcos" (hint: did you mean "docs"?)`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// TestLoadServerValidation pins every validation message.
func TestLoadServerValidation(t *testing.T) {
	_, _, ec := testKeys(t)
	cases := []struct {
		name string
		env  map[string]string // applied over validEnv; "" deletes
		want []string
	}{
		{"missing app settings", map[string]string{
			"OVERLAP_GITHUB_APP_INTEGRATION_ID": "", "OVERLAP_GITHUB_APP_WEBHOOK_SECRET": "", "OVERLAP_GITHUB_APP_PRIVATE_KEY": "",
		}, []string{
			"github.app.integration_id must be the app's numeric ID, greater than 0 (OVERLAP_GITHUB_APP_INTEGRATION_ID)",
			"github.app.webhook_secret is empty: go-githubapp would then accept unsigned webhooks from anyone, so Overlap refuses to start (OVERLAP_GITHUB_APP_WEBHOOK_SECRET)",
			"github.app.private_key is empty: set it or github.app.private_key_path (OVERLAP_GITHUB_APP_PRIVATE_KEY or OVERLAP_GITHUB_APP_PRIVATE_KEY_PATH)",
		}},
		{"key is not PEM", map[string]string{"OVERLAP_GITHUB_APP_PRIVATE_KEY": "SECRETMATERIAL"},
			[]string{"github.app.private_key: not a PEM key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----, as downloaded from the app's settings)"}},
		{"PKCS1 block that does not parse", map[string]string{"OVERLAP_GITHUB_APP_PRIVATE_KEY": "-----BEGIN RSA PRIVATE KEY-----\nU0VDUkVUTUFURVJJQUw=\n-----END RSA PRIVATE KEY-----\n"},
			[]string{"github.app.private_key: the RSA PRIVATE KEY block does not parse as a PKCS#1 key"}},
		{"PKCS8 block that does not parse", map[string]string{"OVERLAP_GITHUB_APP_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\nU0VDUkVUTUFURVJJQUw=\n-----END PRIVATE KEY-----\n"},
			[]string{"github.app.private_key: the PRIVATE KEY block does not parse as a PKCS#8 key"}},
		{"not an RSA key", map[string]string{"OVERLAP_GITHUB_APP_PRIVATE_KEY": ec},
			[]string{"github.app.private_key: the key is not an RSA key; GitHub Apps use RSA"}},
		{"not a private key", map[string]string{"OVERLAP_GITHUB_APP_PRIVATE_KEY": "-----BEGIN CERTIFICATE-----\nU0VDUkVUTUFURVJJQUw=\n-----END CERTIFICATE-----\n"},
			[]string{`github.app.private_key: PEM block "CERTIFICATE" is not a private key`}},
		{"negative integration id", map[string]string{"OVERLAP_GITHUB_APP_INTEGRATION_ID": "-4"},
			[]string{"github.app.integration_id must be the app's numeric ID, greater than 0 (OVERLAP_GITHUB_APP_INTEGRATION_ID)"}},
		{"bad urls", map[string]string{"OVERLAP_GITHUB_V3_API_URL": "api.github.com", "OVERLAP_GITHUB_V4_API_URL": "ftp://x/graphql", "OVERLAP_GITHUB_WEB_URL": "/", "OVERLAP_SERVER_PUBLIC_URL": "overlap.example.com"},
			[]string{
				`server.public_url "overlap.example.com": must be an absolute http(s) URL`,
				`github.v3_api_url "api.github.com": must be an absolute http(s) URL`,
				`github.v4_api_url "ftp://x/graphql": must be an absolute http(s) URL`,
				`github.web_url "/": must be an absolute http(s) URL`,
			}},
		{"web url given as REST url", map[string]string{"OVERLAP_GITHUB_V3_API_URL": "https://github.com/"},
			[]string{`github.v3_api_url "https://github.com/": this is the web address; the REST API is https://api.github.com/`}},
		{"GHES without /api/v3", map[string]string{"OVERLAP_GITHUB_V3_API_URL": "https://ghe.example.com/", "OVERLAP_GITHUB_WEB_URL": "https://ghe.example.com"},
			[]string{`github.v3_api_url "https://ghe.example.com/": on GitHub Enterprise Server the REST API URL ends in /api/v3 (e.g. https://ghe.example.com/api/v3)`}},
		{"sizes and durations", map[string]string{
			"OVERLAP_QUEUE_WORKERS": "0", "OVERLAP_QUEUE_SIZE": "-1", "OVERLAP_POLICY_CACHE_SIZE": "0", "OVERLAP_GITHUB_CLIENT_CACHE_SIZE": "-2",
			"OVERLAP_SERVER_SHUTDOWN_TIMEOUT": "0s", "OVERLAP_SCHEDULER_INTERVALS_REVIEWS": "0m", "OVERLAP_GITHUB_TIMEOUT": "-1s",
		}, []string{
			"server.shutdown_timeout must be longer than zero, got 0s",
			"github.timeout must be longer than zero, got -1s",
			"scheduler.intervals.reviews must be longer than zero, got 0s",
			"queue.workers must be at least 1, got 0",
			"queue.size must be at least 1, got -1",
			"policy.cache_size must be at least 1, got 0",
			"github.client_cache_size must be at least 1, got -2",
		}},
		{"webhook memory below one maximum payload", map[string]string{"OVERLAP_SERVER_WEBHOOK_MEMORY_MIB": "24"},
			[]string{"server.webhook_memory_mib must be at least 25 (one webhook payload of GitHub's maximum size), got 24"}},
		{"address and logging", map[string]string{"OVERLAP_SERVER_ADDRESS": "8080", "OVERLAP_LOGGING_LEVEL": "loud", "OVERLAP_LOGGING_FORMAT": "xml"},
			[]string{
				`server.address "8080" is not host:port (e.g. 0.0.0.0:8080)`,
				`logging.level "loud" is unknown (use trace, debug, info, warn or error)`,
				`logging.format "xml" is unknown (use json, console or auto)`,
			}},
		{"bad environment values name the variable", map[string]string{
			"OVERLAP_QUEUE_WORKERS": "many", "OVERLAP_SERVER_DRY_RUN": "maybe", "OVERLAP_SCHEDULER_INTERVAL": "soon",
			"OVERLAP_GITHUB_APP_INTEGRATION_ID": "12a", "OVERLAP_SCHEDULER_INTERVALS_WEEKLY": "1 week",
		}, []string{
			`OVERLAP_SERVER_DRY_RUN: expected true or false, got "maybe"`,
			`OVERLAP_QUEUE_WORKERS: expected a whole number, got "many"`,
			`OVERLAP_SCHEDULER_INTERVAL: bad duration "soon": use a number and a unit, e.g. 30s, 2m or 1h`,
			`OVERLAP_SCHEDULER_INTERVALS_WEEKLY: bad duration "1 week": use a number and a unit, e.g. 30s, 2m or 1h`,
			`OVERLAP_GITHUB_APP_INTEGRATION_ID: expected a whole number, got "12a"`,
			// Validation still runs, so problems beyond the environment show in the same start.
			`github.app.integration_id must be the app's numeric ID, greater than 0 (OVERLAP_GITHUB_APP_INTEGRATION_ID)`,
		}},
		{"key file unreadable", map[string]string{"OVERLAP_GITHUB_APP_PRIVATE_KEY": "", "OVERLAP_GITHUB_APP_PRIVATE_KEY_PATH": "/nonexistent/app.pem"},
			[]string{"server config: github.app.private_key_path: cannot read the key file: open /nonexistent/app.pem: no such file or directory"}},
		{"key and key file", map[string]string{"OVERLAP_GITHUB_APP_PRIVATE_KEY_PATH": "/nonexistent/app.pem"},
			[]string{"server config: github.app.private_key and github.app.private_key_path are both set; use one"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := validEnv(t)
			for k, v := range c.env {
				env[k] = v
			}
			_, err := LoadServer("", envFrom(env))
			if err == nil {
				t.Fatalf("no error, want %q", c.want)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
			if strings.Contains(err.Error(), "SECRETMATERIAL") || strings.Contains(err.Error(), "U0VDUkVU") || strings.Contains(err.Error(), "s3cret-hook") {
				t.Errorf("secret leaked into the error: %v", err)
			}
		})
	}
}

func TestConfigExampleIsCompleteAndValid(t *testing.T) {
	data, err := os.ReadFile("../config.example.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range EnvVars() {
		if !strings.Contains(string(data), v.Name) {
			t.Errorf("config.example.yml does not mention %s (%s)", v.Name, v.Key)
		}
	}
	cfg, err := LoadServer("../config.example.yml", envFrom(validEnv(t)))
	if err != nil {
		t.Fatalf("the example does not load: %v", err)
	}
	want, err := LoadServer("", envFrom(validEnv(t)))
	if err != nil {
		t.Fatal(err)
	}
	if want.Scheduler.Intervals == nil {
		want.Scheduler.Intervals = map[string]time.Duration{}
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("the example's values are not the defaults:\n got %+v\nwant %+v", cfg, want)
	}
}

// TestGitHubEnvMatchesGoGitHubApp proves our github.* variables are exactly
// the ones go-githubapp's SetValuesFromEnv("OVERLAP_") reads.
func TestGitHubEnvMatchesGoGitHubApp(t *testing.T) {
	k1, _, _ := testKeys(t)
	vals := map[string]string{
		"OVERLAP_GITHUB_WEB_URL":             "https://ghe.example.com",
		"OVERLAP_GITHUB_V3_API_URL":          "https://ghe.example.com/api/v3/",
		"OVERLAP_GITHUB_V4_API_URL":          "https://ghe.example.com/api/graphql",
		"OVERLAP_GITHUB_APP_INTEGRATION_ID":  "99",
		"OVERLAP_GITHUB_APP_WEBHOOK_SECRET":  "hook",
		"OVERLAP_GITHUB_APP_PRIVATE_KEY":     k1,
		"OVERLAP_GITHUB_OAUTH_CLIENT_ID":     "cid",
		"OVERLAP_GITHUB_OAUTH_CLIENT_SECRET": "csecret",
	}
	for k, v := range vals {
		t.Setenv(k, v)
	}
	var theirs githubapp.Config
	theirs.SetValuesFromEnv("OVERLAP_")
	ours, err := LoadServer("", nil) // nil getenv = the process environment
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ours.GitHub.Config, theirs) {
		t.Errorf("ours %+v\ntheirs %+v", ours.GitHub.Config, theirs)
	}
}
