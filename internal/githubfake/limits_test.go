package githubfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"
)

// wallClock is a settable WallNow, so tests move through Retry-After and
// X-RateLimit-Reset windows without waiting for them.
type wallClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *wallClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *wallClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// limited is a fake with a pinned wall clock and one installation whose
// token the test hands to fresh go-github clients: a fresh client has no
// memory of earlier refusals, which is exactly the client that keeps going.
type limited struct {
	fake  *Server
	wall  *wallClock
	inst  int64
	token string
}

func newLimited(t *testing.T, opts Options) *limited {
	t.Helper()
	wall := &wallClock{t: time.Now().Truncate(time.Second)}
	opts.Now = func() time.Time { return t0 }
	opts.WallNow = wall.Now
	f := NewTest(t, opts)
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "acme", "api", RepoOptions{})
	return &limited{fake: f, wall: wall, inst: inst, token: f.InstallationToken(inst)}
}

// client is a new go-github client with the installation's token.
func (l *limited) client(t *testing.T) *github.Client {
	t.Helper()
	gh := github.NewClient(nil).WithAuthToken(l.token)
	gh.BaseURL = mustURL(t, l.fake.URL()+"/")
	return gh
}

func TestSecondaryRateLimitWindow(t *testing.T) {
	tests := []struct {
		name   string
		status int
	}{
		{"403", http.StatusForbidden},
		{"429", http.StatusTooManyRequests},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLimited(t, Options{})
			ctx := context.Background()
			l.fake.Inject(Fault{Route: "GET /repos/{owner}/{repo}", Status: tt.status, RetryAfter: 2 * time.Second, Times: 1})

			_, resp, err := l.client(t).Repositories.Get(ctx, "acme", "api")
			if resp == nil || resp.StatusCode != tt.status || resp.Header.Get("Retry-After") != "2" {
				t.Fatalf("first GET: %v, want %d with Retry-After: 2", err, tt.status)
			}
			if !strings.Contains(err.Error(), "You have exceeded a secondary rate limit") {
				t.Errorf("message = %v", err)
			}
			if until, ok := l.fake.RateLimited(l.inst); !ok || !until.Equal(l.wall.Now().Add(2*time.Second)) {
				t.Errorf("RateLimited = %v %v, want the window to end in 2 s", until, ok)
			}

			// One second later, a client that did not wait: refused again,
			// on any route and on GraphQL too (secondary limits are shared).
			l.wall.Advance(time.Second)
			_, resp, _ = l.client(t).Issues.ListByRepo(ctx, "acme", "api", nil)
			if resp == nil || resp.StatusCode != tt.status || resp.Header.Get("Retry-After") != "1" {
				t.Errorf("GET inside the window: %v, want %d with Retry-After: 1", resp, tt.status)
			}
			gql, _ := http.NewRequest(http.MethodPost, l.fake.URL()+"/graphql", strings.NewReader(`{"query":"{viewer{login}}"}`))
			gql.Header.Set("Authorization", "bearer "+l.token)
			gresp, err := http.DefaultClient.Do(gql)
			if err != nil {
				t.Fatal(err)
			}
			gresp.Body.Close()
			if gresp.StatusCode != tt.status {
				t.Errorf("GraphQL inside the window: %d, want %d", gresp.StatusCode, tt.status)
			}

			// At the end of the window the installation may call again.
			l.wall.Advance(time.Second)
			if _, _, err := l.client(t).Repositories.Get(ctx, "acme", "api"); err != nil {
				t.Errorf("GET after the window: %v", err)
			}
			var in []string
			for _, r := range l.fake.RateLimitViolations() {
				in = append(in, r.Method+" "+r.Route)
			}
			if want := []string{"GET GET /repos/{owner}/{repo}/issues", "POST POST /graphql"}; strings.Join(in, ",") != strings.Join(want, ",") {
				t.Errorf("requests inside the window = %q, want %q", in, want)
			}
			if v := l.fake.TakeViolations(); len(v) != 2 {
				t.Errorf("violations = %q, want the 2 requests inside the window", v)
			}
		})
	}
}

func TestSecondaryWindowIsPerInstallation(t *testing.T) {
	l := newLimited(t, Options{})
	other := l.fake.AddInstallation("globex", "Organization")
	l.fake.AddRepo(other, "globex", "web", RepoOptions{})
	ctx := context.Background()
	l.fake.Inject(Fault{Installation: l.inst, Status: http.StatusForbidden, RetryAfter: time.Minute, Times: 1})
	if _, _, err := l.client(t).Repositories.Get(ctx, "acme", "api"); err == nil {
		t.Fatal("the faulted installation's request succeeded")
	}
	gh := github.NewClient(nil).WithAuthToken(l.fake.InstallationToken(other))
	gh.BaseURL = mustURL(t, l.fake.URL()+"/")
	if _, _, err := gh.Repositories.Get(ctx, "globex", "web"); err != nil {
		t.Errorf("another installation inside the first one's window: %v", err)
	}
	if v := l.fake.RateLimitViolations(); len(v) != 0 {
		t.Errorf("violations = %+v, want none", v)
	}
}

func TestPrimaryRateLimit(t *testing.T) {
	l := newLimited(t, Options{RateLimit: 2})
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, _, err := l.client(t).Repositories.Get(ctx, "acme", "api"); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := l.client(t).Repositories.Get(ctx, "acme", "api")
	var rl *github.RateLimitError
	if !errors.As(err, &rl) || rl.Rate.Remaining != 0 || rl.Rate.Reset.Unix() != l.wall.Now().Add(time.Hour).Unix() {
		t.Fatalf("over the budget: %v, want 403 with x-ratelimit-remaining 0 and the hour's reset", err)
	}
	if v := l.fake.RateLimitViolations(); len(v) != 0 {
		t.Errorf("the first refusal is GitHub's answer, not a violation: %+v", v)
	}

	// Asking again before the reset is what GitHub penalises.
	l.wall.Advance(30 * time.Minute)
	if _, _, err := l.client(t).Repositories.Get(ctx, "acme", "api"); !errors.As(err, &rl) {
		t.Errorf("before the reset: %v, want a RateLimitError", err)
	}
	if v := l.fake.RateLimitViolations(); len(v) != 1 || !v[0].InWindow || v[0].Installation != l.inst {
		t.Errorf("RateLimitViolations = %+v, want the request before the reset", v)
	}
	l.fake.TakeViolations()

	l.wall.Advance(30 * time.Minute)
	l.token = l.fake.InstallationToken(l.inst) // the old one expired with the hour
	if _, _, err := l.client(t).Repositories.Get(ctx, "acme", "api"); err != nil {
		t.Errorf("after the reset: %v", err)
	}
}

func TestPrimaryRateLimitOnGraphQLIs200WithAnError(t *testing.T) {
	l := newLimited(t, Options{RateLimit: 1})
	query := func() (int, string, string) {
		req, _ := http.NewRequest(http.MethodPost, l.fake.URL()+"/graphql", strings.NewReader(`{"query":"{repository(owner:\"acme\",name:\"api\"){name}}"}`))
		req.Header.Set("Authorization", "bearer "+l.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp.StatusCode, resp.Header.Get("X-RateLimit-Remaining"), b.String()
	}
	if status, _, body := query(); status != 200 || strings.Contains(body, "errors") {
		t.Fatalf("first query: %d %s", status, body)
	}
	status, remaining, body := query()
	var out struct {
		Errors []struct{ Type string } `json:"errors"`
	}
	_ = json.Unmarshal([]byte(body), &out)
	if status != 200 || remaining != "0" || len(out.Errors) != 1 || out.Errors[0].Type != "RATE_LIMITED" {
		t.Errorf("over the GraphQL budget: %d remaining=%q %s, want 200 with a RATE_LIMITED error", status, remaining, body)
	}
}

func TestContentWritesPerMinute(t *testing.T) {
	l := newLimited(t, Options{ContentWritesPerMinute: 2})
	ctx := context.Background()
	n := l.fake.OpenIssue("acme", "api", IssueSpec{Title: "x"})
	comment := func() error {
		_, _, err := l.client(t).Issues.CreateComment(ctx, "acme", "api", n, &github.IssueComment{Body: github.String("hi")})
		return err
	}
	for i := 0; i < 2; i++ {
		if err := comment(); err != nil {
			t.Fatal(err)
		}
	}
	var abuse *github.AbuseRateLimitError
	if err := comment(); !errors.As(err, &abuse) || abuse.GetRetryAfter() != time.Minute {
		t.Fatalf("third write in a minute: %v, want a secondary limit with Retry-After 60", err)
	}
	if _, _, err := l.client(t).Repositories.Get(ctx, "acme", "api"); err == nil {
		t.Error("a read inside the 60 s window was served")
	}
	l.fake.TakeViolations()
	l.wall.Advance(time.Minute)
	if err := comment(); err != nil {
		t.Errorf("write after the window: %v", err)
	}
	if got := len(l.fake.Comments("acme", "api", n)); got != 3 {
		t.Errorf("comments = %d, want 3 (the refused one was not applied)", got)
	}
}

func TestFaultAppliedThenAnswered(t *testing.T) {
	tests := []struct {
		name         string
		fault        Fault
		wantStatus   int // 0: the connection was dropped
		wantComments int
	}{
		{"applied, then 502", Fault{Status: 502, AfterApply: true}, 502, 1},
		{"applied, then dropped", Fault{Drop: true, AfterApply: true}, 0, 1},
		{"dropped before", Fault{Drop: true}, 0, 0},
		{"502 before", Fault{Status: 502}, 502, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			ctx := context.Background()
			n := w.fake.OpenIssue("acme", "api", IssueSpec{Title: "x"})
			if _, _, err := w.gh.Users.Get(ctx, "alice"); err != nil { // mint the token before the fault
				t.Fatal(err)
			}
			f := tt.fault
			f.Method, f.Route, f.Times = "POST", "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", 1
			w.fake.Inject(f)
			_, resp, err := w.gh.Issues.CreateComment(ctx, "acme", "api", n, &github.IssueComment{Body: github.String("hi")})
			switch {
			case tt.wantStatus == 0 && (err == nil || resp != nil):
				t.Errorf("CreateComment = %v, %v; want a transport error and no response", resp, err)
			case tt.wantStatus != 0 && statusOf(err) != tt.wantStatus:
				t.Errorf("CreateComment: %v, want %d", err, tt.wantStatus)
			}
			if got := len(w.fake.Comments("acme", "api", n)); got != tt.wantComments {
				t.Errorf("comments on GitHub = %d, want %d", got, tt.wantComments)
			}
			var last Write
			for _, wr := range w.fake.Writes() {
				last = wr
			}
			if last.Status != tt.wantStatus || last.Applied != (tt.wantComments == 1) {
				t.Errorf("logged write = status %d applied %v", last.Status, last.Applied)
			}
		})
	}
}

func TestLatencyAppliesToEveryRequest(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, _, err := w.gh.Users.Get(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	w.fake.SetLatency(80 * time.Millisecond)
	w.fake.Inject(Fault{Route: "GET /repos/{owner}/{repo}", Status: 502, Times: 1})
	start := time.Now()
	if _, _, err := w.gh.Repositories.Get(ctx, "acme", "api"); statusOf(err) != 502 {
		t.Errorf("faulted GET: %v, want 502", err)
	}
	if _, _, err := w.gh.Users.Get(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 160*time.Millisecond {
		t.Errorf("two requests at 80 ms latency took %v, want ≥ 160 ms (latency applies to faulted requests too)", d)
	}
	w.fake.SetLatency(0)
	ctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := w.gh.Users.Get(ctx, "alice"); err == nil {
		t.Error("a cancelled request succeeded")
	}
}

func TestRevokedInstallation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, _, err := w.gh.Repositories.Get(ctx, "acme", "api"); err != nil {
		t.Fatal(err)
	}
	w.fake.Revoke(w.inst)

	// The client still holds its token: GitHub says Bad credentials.
	_, _, err := w.gh.Repositories.Get(ctx, "acme", "api")
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 401 || er.Message != "Bad credentials" {
		t.Errorf("existing token after revocation: %v, want 401 Bad credentials", err)
	}
	// A new client must mint a token: the installation is gone.
	fresh, err := githubapp.NewClientCreator(w.fake.URL()+"/", w.fake.URL()+"/graphql", w.fake.AppID(), w.fake.AppPrivateKeyPEM()).NewInstallationClient(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := fresh.Repositories.Get(ctx, "acme", "api"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("token mint after revocation: %v, want 404", err)
	}
	app, err := w.cc.NewAppClient()
	if err != nil {
		t.Fatal(err)
	}
	list, _, err := app.Apps.ListInstallations(ctx, nil)
	if err != nil || len(list) != 0 {
		t.Errorf("ListInstallations = %d, %v; want the revoked one gone", len(list), err)
	}
	if _, _, err := app.Apps.GetInstallation(ctx, w.inst); statusOf(err) != 404 {
		t.Errorf("GetInstallation: %v, want 404", err)
	}
	// NewTest fails the test if any of these counted as a client bug.
}
