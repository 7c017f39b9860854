package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap"
	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// probe is a feature that counts the events it is given and can be made to
// block, to observe the queue and shutdown from outside.
type probe struct {
	events  []string
	calls   atomic.Int64
	mu      sync.Mutex
	seen    []string
	started chan struct{}
	release chan struct{}
}

func (p *probe) Name() string     { return "probe" }
func (p *probe) Events() []string { return p.events }
func (p *probe) Handle(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	p.calls.Add(1)
	p.mu.Lock()
	p.seen = append(p.seen, ev.Type+"."+ev.Action+" by "+ev.Sender)
	p.mu.Unlock()
	if p.started != nil {
		p.started <- struct{}{}
	}
	if p.release != nil {
		<-p.release
	}
	return nil
}

func post(t *testing.T, url string, header map[string]string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestWebhookRouteAnswersLikeGitHubExpects(t *testing.T) {
	p := &probe{events: []string{"pull_request", "installation"}}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{p}})
	h.AddRepo("api", map[string]string{"README.md": "# api\n"})
	b := h.Builder("api", "octocat")

	ping, err := b.Ping(4242)
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Send("ping", ping); got != http.StatusOK {
		t.Errorf("ping: status %d, want 200", got)
	}
	inst, err := b.Installation("created", []webhook.Repo{h.Repo("api")})
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Send("installation", inst); got != http.StatusAccepted {
		t.Errorf("installation.created: status %d, want 202", got)
	}
	if got := p.calls.Load(); got != 1 {
		t.Fatalf("installation.created reached the feature %d times, want 1", got)
	}

	hook := h.URL + "/api/github/hook"
	pr := h.PR
	_ = pr
	body, err := b.Ping(1)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		header map[string]string
		body   []byte
		want   int
	}{
		{"bad signature", map[string]string{"X-GitHub-Event": "installation", "X-GitHub-Delivery": "d1", "Content-Type": "application/json",
			"X-Hub-Signature-256": webhook.Sign("not-the-secret", inst)}, inst, http.StatusUnauthorized},
		{"missing signature", map[string]string{"X-GitHub-Event": "installation", "X-GitHub-Delivery": "d2", "Content-Type": "application/json"}, inst, http.StatusUnauthorized},
		{"garbage JSON with a good signature", map[string]string{"X-GitHub-Event": "installation", "X-GitHub-Delivery": "d3", "Content-Type": "application/json",
			"X-Hub-Signature-256": webhook.Sign(apptest.Secret, []byte(`{"action":"created",`))}, []byte(`{"action":"created",`), http.StatusBadRequest},
		{"form-encoded body", map[string]string{"X-GitHub-Event": "ping", "X-GitHub-Delivery": "d4", "Content-Type": "application/x-www-form-urlencoded",
			"X-Hub-Signature-256": webhook.Sign(apptest.Secret, body)}, body, http.StatusUnsupportedMediaType},
		{"missing event header", map[string]string{"X-GitHub-Delivery": "d5", "Content-Type": "application/json",
			"X-Hub-Signature-256": webhook.Sign(apptest.Secret, body)}, body, http.StatusBadRequest},
		{"valid JSON that is no event", map[string]string{"X-GitHub-Event": "installation", "X-GitHub-Delivery": "d6", "Content-Type": "application/json",
			"X-Hub-Signature-256": webhook.Sign(apptest.Secret, []byte(`[]`))}, []byte(`[]`), http.StatusBadRequest},
		{"an event with fields of the wrong type", map[string]string{"X-GitHub-Event": "installation", "X-GitHub-Delivery": "d7", "Content-Type": "application/json",
			"X-Hub-Signature-256": webhook.Sign(apptest.Secret, []byte(`{"action":5}`))}, []byte(`{"action":5}`), http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, msg := post(t, hook, c.header, c.body)
			if got != c.want {
				t.Errorf("status %d (%s), want %d", got, strings.TrimSpace(msg), c.want)
			}
			h.WaitIdle()
			if n := p.calls.Load(); n != 1 {
				t.Errorf("a refused delivery reached a feature (%d calls)", n)
			}
			// The server keeps serving after each refusal.
			if got, _ := get(t, h.URL+"/healthz"); got != http.StatusOK {
				t.Errorf("/healthz after refusal: %d", got)
			}
		})
	}
	if got, _ := get(t, hook); got != http.StatusMethodNotAllowed {
		t.Errorf("GET on the webhook route: %d, want 405", got)
	}
	big := bytes.Repeat([]byte(" "), 26<<20)
	if got, _ := post(t, hook, map[string]string{"X-GitHub-Event": "ping", "Content-Type": "application/json"}, big); got != http.StatusRequestEntityTooLarge {
		t.Errorf("26 MiB body: %d, want 413", got)
	}

	_, metrics := get(t, h.URL+"/metrics")
	for _, want := range []string{
		`overlap_webhooks_received_total{event="installation",outcome="bad_signature"} 2`,
		`overlap_webhooks_received_total{event="installation",outcome="bad_request"} 3`,
		`overlap_webhooks_received_total{event="installation",outcome="accepted"} 1`,
		`overlap_webhooks_received_total{event="ping",outcome="ping"} 1`,
		`overlap_queue_depth 0`,
		`overlap_handler_duration_seconds_count{event="installation",feature="probe"} 1`,
		`overlap_github_api_calls_total{method="GET",route="/app",status="200"} 1`,
		`overlap_github_rate_limit_remaining{installation="app",resource="core"}`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if got, body := get(t, h.URL+"/readyz"); got != http.StatusOK {
		t.Errorf("/readyz: %d %s", got, body)
	}
}

func TestEventsFromOverlapItselfAreIgnored(t *testing.T) {
	p := &probe{events: []string{"issues"}}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{p}})
	h.AddRepo("api", nil)
	self, err := h.Builder("api", h.App.BotLogin()).Issues("opened", 7, "Stale docs", "", h.App.BotLogin(), webhook.Set("sender.type", "Bot"))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Send("issues", self); got != http.StatusAccepted {
		t.Fatalf("status %d", got)
	}
	other, err := h.Builder("api", "alice").Issues("opened", 8, "Question", "", "alice")
	if err != nil {
		t.Fatal(err)
	}
	h.Send("issues", other)
	if got := p.calls.Load(); got != 1 {
		t.Errorf("feature called %d times, want 1 (only alice's event): %v", got, p.seen)
	}
}

const brokenPolicy = `adr:
  enabled: true
  labels: [decision
reviews:
  first_response: 4h
`

func TestBrokenPolicyGetsOneOverlapConfigCheck(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	h.AddRepo("api", map[string]string{".github/overlap.yml": brokenPolicy, "main.go": "package main\n"})
	h.Fake.Commit(apptest.Org, "api", "feature", githubfake.CommitSpec{Message: "change", Author: "alice", Files: map[string]string{"main.go": "package main // changed\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Change main", Author: "alice", Head: "feature"})
	payload := h.PREvent("opened", "api", n)

	if got := h.SendAs("pull_request", "delivery-1", payload); got != http.StatusAccepted {
		t.Fatalf("status %d", got)
	}
	h.SendAs("pull_request", "delivery-1", payload) // GitHub's "Redeliver" reuses the id
	h.Send("pull_request", h.PREvent("synchronize", "api", n))

	head := h.PR("api", n).HeadSHA
	var runs []githubfake.CheckRunInfo
	for _, r := range h.Fake.CheckRuns(apptest.Org, "api") {
		if r.Name == configcheck.CheckName && r.HeadSHA == head {
			runs = append(runs, r)
		}
	}
	if len(runs) != 1 {
		t.Fatalf("want exactly one %q check on %s, got %d: %+v", configcheck.CheckName, head, len(runs), runs)
	}
	r := runs[0]
	if r.Conclusion != "neutral" {
		t.Errorf("conclusion %q, want neutral (defaults apply)", r.Conclusion)
	}
	if !strings.Contains(r.Summary, ".github/overlap.yml:") || !strings.Contains(r.Summary, "did not find expected ',' or ']'") && !strings.Contains(r.Summary, "flow sequence") {
		t.Errorf("summary should quote the file, line and YAML error:\n%s", r.Summary)
	}
	if !strings.Contains(r.Summary, ".github/overlap.yml:3") && !strings.Contains(r.Summary, ".github/overlap.yml:4") && !strings.Contains(r.Summary, ".github/overlap.yml:5") {
		t.Errorf("summary should name the line of the error:\n%s", r.Summary)
	}
	if c := h.Fake.Comments(apptest.Org, "api", n); len(c) != 0 {
		t.Errorf("no comment expected, got %d", len(c))
	}
	if w := h.Writes(); len(w) != 1 {
		t.Errorf("want one write in all (the check), got %d: %v", len(w), w)
	}
}

func TestPRChangingThePolicyIsValidatedAtItsHead(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	h.AddRepo("api", map[string]string{".github/overlap.yml": "adr:\n  check: advisory\n"})
	bad := "adr:\n  check: advisory\n  templete: madr\nreviews:\n  first_response: 4x\n"
	h.Fake.Commit(apptest.Org, "api", "policy", githubfake.CommitSpec{Message: "tune", Author: "alice", Files: map[string]string{".github/overlap.yml": bad}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Tune policy", Author: "alice", Head: "policy"})
	h.Send("pull_request", h.PREvent("opened", "api", n))

	runs := h.Fake.CheckRuns(apptest.Org, "api")
	if len(runs) != 1 || runs[0].Conclusion != "failure" {
		t.Fatalf("want one failing check, got %+v", runs)
	}
	anns := runs[0].Annotations
	if len(anns) != 2 || anns[0].Path != ".github/overlap.yml" || anns[0].StartLine != 3 || anns[1].StartLine != 5 {
		t.Fatalf("annotations should point at lines 3 and 5 of the file: %+v", anns)
	}
	if !strings.Contains(anns[0].Message, `did you mean "template"`) {
		t.Errorf("unknown key annotation lacks the hint: %q", anns[0].Message)
	}

	// Fix the file: the same check turns green and previews the change.
	good := "adr:\n  check: advisory\n  template: madr\nreviews:\n  first_response: 2h\n"
	h.Fake.Commit(apptest.Org, "api", "policy", githubfake.CommitSpec{Message: "fix", Author: "alice", Files: map[string]string{".github/overlap.yml": good}})
	h.Send("pull_request", h.PREvent("synchronize", "api", n))
	head := h.PR("api", n).HeadSHA
	var latest *githubfake.CheckRunInfo
	for _, r := range h.Fake.CheckRuns(apptest.Org, "api") {
		if r.HeadSHA == head {
			r := r
			latest = &r
		}
	}
	if latest == nil || latest.Conclusion != "success" {
		t.Fatalf("fixed policy: want success on the new head, got %+v", latest)
	}
	for _, want := range []string{"madr", "2h"} {
		if !strings.Contains(latest.Summary, want) {
			t.Errorf("preview lacks %q:\n%s", want, latest.Summary)
		}
	}
}

func TestFullQueueAnswers503AndShutdownDrains(t *testing.T) {
	p := &probe{events: []string{"issues"}, started: make(chan struct{}, 10), release: make(chan struct{})}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{p}, Configure: func(c *config.Server) {
		c.Queue.Workers = 1
		c.Queue.Size = 2 // accepted and not finished: the running event and one waiting
	}})
	h.AddRepo("api", nil)
	b := h.Builder("api", "alice")
	ev := func(n int) []byte {
		body, err := b.Issues("opened", n, "Issue", "", "alice")
		if err != nil {
			t.Fatal(err)
		}
		return body
	}
	s := webhook.Sender{URL: h.URL + "/api/github/hook", Secret: apptest.Secret}
	send := func(n int) int {
		st, _, err := s.Send(context.Background(), "issues", "q"+string(rune('0'+n)), ev(n))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := send(1); st != http.StatusAccepted {
		t.Fatalf("first: %d", st)
	}
	<-p.started // the only worker is busy with event 1
	if st := send(2); st != http.StatusAccepted {
		t.Fatalf("second (queued): %d", st)
	}
	if st := send(3); st != http.StatusServiceUnavailable {
		t.Fatalf("third with a full queue: %d, want 503", st)
	}
	if st, _ := get(t, h.URL+"/readyz"); st != http.StatusServiceUnavailable {
		t.Errorf("/readyz with a saturated queue: %d, want 503", st)
	}

	// Shut down while event 1 runs and event 2 waits: both must complete.
	stopped := make(chan struct{})
	go func() { h.Stop(); close(stopped) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := http.Get(h.URL + "/healthz")
		if err != nil {
			break // the listener no longer accepts
		}
		if time.Now().After(deadline) {
			t.Fatal("server still accepting 10s after shutdown began")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(p.release)
	select {
	case <-stopped:
	case <-time.After(15 * time.Second):
		t.Fatal("shutdown did not finish")
	}
	if got := p.calls.Load(); got != 2 {
		t.Errorf("in-flight and queued events handled: %d, want 2", got)
	}
}

func TestGitHubFaultIsReportedAndTheNextDeliveryConverges(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	h.AddRepo("api", map[string]string{".github/overlap.yml": brokenPolicy})
	h.Fake.Commit(apptest.Org, "api", "feature", githubfake.CommitSpec{Message: "change", Author: "alice", Files: map[string]string{"main.go": "package main\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Change", Author: "alice", Head: "feature"})

	// GitHub fails the write once: the delivery is still acknowledged, the
	// failure is counted, and the queue runs the event again: exactly one
	// check, nothing half-written.
	h.Fake.Inject(githubfake.Fault{Method: "POST", Route: "POST /repos/{owner}/{repo}/check-runs", Status: http.StatusBadGateway, Times: 1})
	if got := h.Send("pull_request", h.PREvent("opened", "api", n)); got != http.StatusAccepted {
		t.Fatalf("status %d", got)
	}
	if runs := h.Fake.CheckRuns(apptest.Org, "api"); len(runs) != 1 || runs[0].Conclusion != "neutral" {
		t.Fatalf("want one neutral check once the retry ran, got %+v", runs)
	}
	_, metrics := get(t, h.URL+"/metrics")
	if !strings.Contains(metrics, `overlap_handler_errors_total{event="pull_request",feature="configcheck"} 1`) {
		t.Errorf("the failure should be counted:\n%s", grep(metrics, "overlap_handler_errors_total"))
	}
	if want := fmt.Sprintf(`overlap_github_rate_limit_remaining{installation="%d",resource="core"}`, h.Installation); !strings.Contains(metrics, want) {
		t.Errorf("the installation's rate-limit budget should be exported as %s:\n%s", want, grep(metrics, "overlap_github_rate_limit_remaining"))
	}
	if !strings.Contains(metrics, `overlap_github_api_calls_total{method="POST",route="/repos/{owner}/{repo}/check-runs",status="502"} 1`) {
		t.Errorf("the failed call should be counted by route and status:\n%s", grep(metrics, "overlap_github_api_calls_total"))
	}

	// The next delivery (or a redelivery) converges on exactly one check.
	h.Send("pull_request", h.PREvent("synchronize", "api", n))
	h.Send("pull_request", h.PREvent("synchronize", "api", n))
	if runs := h.Fake.CheckRuns(apptest.Org, "api"); len(runs) != 1 || runs[0].Conclusion != "neutral" {
		t.Fatalf("want one neutral check, got %+v", runs)
	}
}

func TestDryRunReadsButDoesNotWrite(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}, DryRun: true})
	h.AddRepo("api", map[string]string{".github/overlap.yml": brokenPolicy})
	h.Fake.Commit(apptest.Org, "api", "feature", githubfake.CommitSpec{Message: "change", Author: "alice", Files: map[string]string{"main.go": "package main\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Change", Author: "alice", Head: "feature"})
	h.Send("pull_request", h.PREvent("opened", "api", n))
	if runs := h.Fake.CheckRuns(apptest.Org, "api"); len(runs) != 0 {
		t.Fatalf("dry run wrote %d check runs", len(runs))
	}
	w := h.Writes()
	if len(w) != 1 || !w[0].DryRun || w[0].Action != "check.create" || !strings.HasPrefix(w[0].String(), "[dry-run] check.create acme/api Overlap config@") {
		t.Fatalf("want one intended check.create, got %v", w)
	}
}

func grep(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestTransientReadFailureIsRetried(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	h.AddRepo("api", map[string]string{".github/overlap.yml": brokenPolicy})
	h.Fake.Commit(apptest.Org, "api", "feature", githubfake.CommitSpec{Message: "change", Author: "alice", Files: map[string]string{"main.go": "package main\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Change", Author: "alice", Head: "feature"})
	// The PR's files are read with its snapshot (one GraphQL request).
	h.Fake.Inject(githubfake.Fault{Method: "POST", Route: "POST /graphql", Status: http.StatusBadGateway, Times: 1})
	h.Send("pull_request", h.PREvent("opened", "api", n))
	if runs := h.Fake.CheckRuns(apptest.Org, "api"); len(runs) != 1 {
		t.Fatalf("a 502 on a read should be retried and the event completed; checks: %+v", runs)
	}
	if got := h.Calls.Calls()["POST /graphql"]; got != 2 {
		t.Errorf("PR read %d times, want 2 (the failure and the retry)", got)
	}
}

// sweepProbe counts the sweeps the scheduler runs.
type sweepProbe struct {
	probe
	repos chan string
}

func (s *sweepProbe) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	select {
	case s.repos <- repo.FullName():
	default:
	}
	return nil
}

func TestSchedulerSweepsEveryRepositoryOnItsInterval(t *testing.T) {
	sp := &sweepProbe{probe: probe{events: []string{"issues"}}, repos: make(chan string, 100)}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{sp}, Scheduler: true, Configure: func(c *config.Server) {
		c.Scheduler.Interval = 20 * time.Millisecond
	}})
	h.AddRepo("api", nil)
	h.AddRepo("web", nil)
	seen := map[string]int{}
	deadline := time.After(10 * time.Second)
	for seen["acme/api"] < 2 || seen["acme/web"] < 2 {
		select {
		case r := <-sp.repos:
			seen[r]++
		case <-deadline:
			t.Fatalf("scheduler did not sweep both repositories twice: %v", seen)
		}
	}
}

func TestEveryLogLineOfADeliveryCarriesItsIdentity(t *testing.T) {
	var buf safeBuffer
	logger := zerolog.New(&buf).Level(zerolog.DebugLevel)
	p := &loggingProbe{}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{p}, Logger: &logger})
	h.AddRepo("api", nil)
	body, err := h.Builder("api", "alice").Issues("opened", 3, "Question", "", "alice")
	if err != nil {
		t.Fatal(err)
	}
	h.SendAs("issues", "delivery-log-1", body)
	var line map[string]any
	for _, l := range strings.Split(buf.String(), "\n") {
		if strings.Contains(l, "probe handled") {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	if line == nil {
		t.Fatalf("the feature's log line is missing:\n%s", buf.String())
	}
	for k, want := range map[string]any{
		"github_delivery_id": "delivery-log-1", "github_event_type": "issues", "github_installation_id": float64(h.Installation),
		"github_repository_owner": "acme", "github_repository_name": "api", "feature": "probe",
	} {
		if line[k] != want {
			t.Errorf("log field %s = %v, want %v (line %v)", k, line[k], want, line)
		}
	}
	if strings.Contains(buf.String(), apptest.Secret) || strings.Contains(buf.String(), "PRIVATE KEY") {
		t.Error("a secret reached the logs")
	}
}

type loggingProbe struct{}

func (loggingProbe) Name() string     { return "probe" }
func (loggingProbe) Events() []string { return []string{"issues"} }
func (loggingProbe) Handle(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	zerolog.Ctx(ctx).Info().Msg("probe handled")
	return nil
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestStartSurvivesABriefGitHubOutageButNotBadCredentials(t *testing.T) {
	fake := githubfake.NewTest(t, githubfake.Options{})
	cfg := sandbox.ConfigFor(fake)
	opts := app.Options{Logger: zerolog.Nop(), Features: []handlers.Feature{}}

	fake.Inject(githubfake.Fault{Method: "GET", Route: "GET /app", Status: http.StatusServiceUnavailable, Times: 1})
	a, err := app.New(context.Background(), &cfg, opts)
	if err != nil {
		t.Fatalf("a single 503 at start should be retried: %v", err)
	}
	if a.BotLogin() != "overlap[bot]" {
		t.Errorf("bot login %q", a.BotLogin())
	}

	cfg.GitHub.App.IntegrationID = 999 // not this app: GitHub answers 401
	if _, err := app.New(context.Background(), &cfg, opts); err == nil || !strings.Contains(err.Error(), "app id 999") {
		t.Fatalf("wrong credentials must fail at once with a clear error, got %v", err)
	}
	fake.TakeViolations() // the 401 is the point of this test
}

func TestPolicyPreviewResolvesExtends(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	h.AddRepo(".github", map[string]string{"overlap.yml": "team:\n  timezone: Europe/London\nreviews:\n  first_response: 2h\n"})
	h.AddRepo("api", map[string]string{".github/overlap.yml": "extends: org\n"})
	h.Fake.Commit(apptest.Org, "api", "madr", githubfake.CommitSpec{Message: "madr", Author: "alice", Files: map[string]string{".github/overlap.yml": "extends: org\nadr:\n  template: madr\n"}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Use MADR", Author: "alice", Head: "madr"})
	h.Send("pull_request", h.PREvent("opened", "api", n))
	runs := h.Fake.CheckRuns(apptest.Org, "api")
	if len(runs) != 1 || runs[0].Conclusion != "success" {
		t.Fatalf("want one success, got %+v", runs)
	}
	s := runs[0].Summary
	if !strings.Contains(s, "template changed from nygard to madr") {
		t.Errorf("the preview should name the one change:\n%s", s)
	}
	for _, wrong := range []string{"timezone changed", "first_response changed"} {
		if strings.Contains(s, wrong) {
			t.Errorf("the preview claims %q, but the org file still sets it:\n%s", wrong, s)
		}
	}
	// The org's .github repository may be private while this one is not:
	// nothing read from it is printed here.
	for _, leaked := range []string{"Europe/London", "2h"} {
		if strings.Contains(s, leaked) {
			t.Errorf("the check prints %q from the org's policy file:\n%s", leaked, s)
		}
	}
}

func TestOrgWideDefaultIsValidatedInTheOrgRepository(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
	h.AddRepo(".github", map[string]string{"overlap.yml": "adr:\n  check: advisory\n"})
	h.Fake.Commit(apptest.Org, ".github", "tune", githubfake.CommitSpec{Message: "tune", Author: "alice", Files: map[string]string{"overlap.yml": "adr:\n  check: sometimes\n"}})
	n := h.Fake.OpenPR(apptest.Org, ".github", githubfake.PRSpec{Title: "Tune org policy", Author: "alice", Head: "tune"})
	h.Send("pull_request", h.PREvent("opened", ".github", n))
	runs := h.Fake.CheckRuns(apptest.Org, ".github")
	if len(runs) != 1 || runs[0].Conclusion != "failure" {
		t.Fatalf("want one failing check on the org default, got %+v", runs)
	}
	if a := runs[0].Annotations; len(a) != 1 || a[0].Path != "overlap.yml" || a[0].StartLine != 2 {
		t.Errorf("annotation should point at overlap.yml:2, got %+v", a)
	}
}

// Every payload example GitHub publishes, pointed at a repository of the
// installation and sent as a signed delivery to the app with every feature
// on, is accepted, and no feature panics on its shape (the examples name
// pull requests and comments the emulator does not have, so features may
// fail on the 404s: that is counted and logged, not a crash).
func TestEveryGitHubPayloadExampleIsHandled(t *testing.T) {
	var logs safeBuffer
	logger := zerolog.New(&logs).Level(zerolog.WarnLevel)
	h := apptest.New(t, apptest.Options{Logger: &logger})
	h.AddRepo("api", map[string]string{"README.md": "# api\n"})
	examples, err := fs.Glob(overlap.GitHubData, "testdata/github/webhooks/*/*.json")
	if err != nil || len(examples) < 30 {
		t.Fatalf("examples: %d, %v", len(examples), err)
	}
	for _, path := range examples {
		raw, err := overlap.GitHubData.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if _, ok := m["installation"]; ok {
			m["installation"] = map[string]any{"id": h.Installation}
		}
		if r, ok := m["repository"].(map[string]any); ok {
			r["name"], r["full_name"] = "api", "acme/api"
			if o, ok := r["owner"].(map[string]any); ok {
				o["login"] = "acme"
			}
		}
		body, _ := json.Marshal(m)
		event := strings.Split(path, "/")[3]
		if got := h.Send(event, body); got != http.StatusOK && got != http.StatusAccepted {
			t.Errorf("%s: status %d", path, got)
		}
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("a feature panicked on one of GitHub's examples:\n%s", grep(logs.String(), ""))
	}
	h.Fake.TakeViolations() // the examples' pull requests and comments do not exist here: 404s are expected
}
