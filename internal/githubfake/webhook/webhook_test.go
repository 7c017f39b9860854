package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

var (
	orgRepo  = Repo{Owner: "acme", Name: "svc", ID: 4242, DefaultBranch: "trunk", Private: true, OwnerType: "Organization"}
	userRepo = Repo{Owner: "alice", Name: "notes"}
	build    = Build{InstallationID: 77, Repo: orgRepo, AppID: 9001, AppSlug: "overlap"}
	pr       = PR{
		Number: 12, Title: "ADR: queues", Body: "Decision inside", Author: "bob",
		HeadRef: "adr-queues", HeadSHA: "1111111111111111111111111111111111111111",
		BaseRef: "trunk", BaseSHA: "2222222222222222222222222222222222222222",
		Labels: []string{"decision"}, RequestedReviewers: []string{"carol", "dave"},
	}
)

// staleNames are repository names used by the upstream examples; none of
// them may survive in a built payload.
var staleNames = []string{"Codertocat/Hello-World", "Octocoders/Hello-World", "electron/electron"}

// parse checks body with go-github's own parser (the type Overlap's handlers
// will see) and that no upstream repository name survived.
func parse(t *testing.T, event string, body []byte) any {
	t.Helper()
	for _, stale := range staleNames {
		if strings.Contains(string(body), stale) {
			t.Errorf("%s payload still names %s", event, stale)
		}
	}
	ev, err := github.ParseWebHook(event, body)
	if err != nil {
		t.Fatalf("github.ParseWebHook(%s): %v", event, err)
	}
	return ev
}

func checkRepo(t *testing.T, r *github.Repository, want Repo) {
	t.Helper()
	if r.GetID() != want.id() || r.GetName() != want.Name || r.GetFullName() != want.FullName() ||
		r.GetOwner().GetLogin() != want.Owner || r.GetOwner().GetType() != want.ownerType() ||
		r.GetDefaultBranch() != want.defaultBranch() || r.GetPrivate() != want.Private ||
		r.GetHTMLURL() != "https://github.com/"+want.FullName() || r.GetURL() != "https://api.github.com/repos/"+want.FullName() {
		t.Errorf("repository = id %d %s owner %s/%s default %s private %v %s %s; want %+v",
			r.GetID(), r.GetFullName(), r.GetOwner().GetLogin(), r.GetOwner().GetType(), r.GetDefaultBranch(),
			r.GetPrivate(), r.GetHTMLURL(), r.GetURL(), want)
	}
}

func TestExample(t *testing.T) {
	a, err := Example("pull_request", "opened")
	if err != nil {
		t.Fatal(err)
	}
	a["action"] = "mutated"
	b, err := Example("pull_request", "opened")
	if err != nil {
		t.Fatal(err)
	}
	if b["action"] != "opened" {
		t.Errorf("Example returned a shared copy: action = %v", b["action"])
	}
	if _, err := Example("ping", ""); err != nil {
		t.Errorf("ping payload: %v", err)
	}
	_, err = Example("pull_request", "teleported")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "opened") {
		t.Errorf("unknown action: err = %v, want ErrNotExist listing the available actions", err)
	}
	if _, err := Example("../../go.mod", ""); err == nil {
		t.Error("path traversal accepted")
	}
}

func TestPullRequest(t *testing.T) {
	tests := []struct {
		action string
		pr     PR
		check  func(t *testing.T, e *github.PullRequestEvent)
	}{
		{"opened", pr, nil},
		{"synchronize", pr, nil},
		{"edited", pr, func(t *testing.T, e *github.PullRequestEvent) { // no upstream example: opened's shape
			if e.Changes == nil {
				t.Error("edited has no changes member")
			}
		}},
		{"review_requested", pr, func(t *testing.T, e *github.PullRequestEvent) {
			if e.GetRequestedReviewer().GetLogin() != "dave" {
				t.Errorf("requested_reviewer = %q, want the last requested (dave)", e.GetRequestedReviewer().GetLogin())
			}
		}},
		{"closed", PR{Number: 3, Title: "t", Author: "dependabot[bot]", HeadRef: "x", HeadSHA: "3", BaseSHA: "4", Merged: true}, func(t *testing.T, e *github.PullRequestEvent) {
			p := e.GetPullRequest()
			if !p.GetMerged() || p.GetState() != "closed" || p.MergedAt == nil {
				t.Errorf("merged PR: merged %v state %q merged_at %v", p.GetMerged(), p.GetState(), p.MergedAt)
			}
			if p.GetUser().GetType() != "Bot" || e.GetSender().GetType() != "Bot" {
				t.Errorf("bot author typed %q, sender %q", p.GetUser().GetType(), e.GetSender().GetType())
			}
			if p.GetBody() != "" || p.Body != nil {
				t.Errorf("empty body should be null, got %q", p.GetBody())
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			body, err := build.PullRequest(tt.action, tt.pr)
			if err != nil {
				t.Fatal(err)
			}
			e, ok := parse(t, "pull_request", body).(*github.PullRequestEvent)
			if !ok {
				t.Fatal("not a PullRequestEvent")
			}
			p, want := e.GetPullRequest(), tt.pr
			if e.GetAction() != tt.action || e.GetNumber() != want.Number || p.GetNumber() != want.Number {
				t.Errorf("action %q number %d/%d", e.GetAction(), e.GetNumber(), p.GetNumber())
			}
			if p.GetTitle() != want.Title || p.GetBody() != want.Body || p.GetUser().GetLogin() != want.Author || p.GetDraft() != want.Draft {
				t.Errorf("title %q body %q author %q draft %v", p.GetTitle(), p.GetBody(), p.GetUser().GetLogin(), p.GetDraft())
			}
			wantBase := want.BaseRef
			if wantBase == "" {
				wantBase = orgRepo.DefaultBranch
			}
			if p.GetHead().GetRef() != want.HeadRef || p.GetHead().GetSHA() != want.HeadSHA ||
				p.GetBase().GetRef() != wantBase || p.GetBase().GetSHA() != want.BaseSHA {
				t.Errorf("head %s@%s base %s@%s", p.GetHead().GetRef(), p.GetHead().GetSHA(), p.GetBase().GetRef(), p.GetBase().GetSHA())
			}
			checkRepo(t, p.GetBase().GetRepo(), orgRepo)
			checkRepo(t, e.GetRepo(), orgRepo)
			n := strings.TrimPrefix(strings.TrimPrefix(p.GetURL(), "https://api.github.com/repos/acme/svc/pulls/"), "")
			if p.GetHTMLURL() != "https://github.com/acme/svc/pull/"+n || n != itoa(want.Number) {
				t.Errorf("urls %s %s", p.GetHTMLURL(), p.GetURL())
			}
			var labels []string
			for _, l := range p.Labels {
				labels = append(labels, l.GetName())
			}
			if !reflect.DeepEqual(labels, want.Labels) {
				t.Errorf("labels %v, want %v", labels, want.Labels)
			}
			var reviewers []string
			for _, u := range p.RequestedReviewers {
				reviewers = append(reviewers, u.GetLogin())
			}
			if !reflect.DeepEqual(reviewers, want.RequestedReviewers) {
				t.Errorf("requested reviewers %v, want %v", reviewers, want.RequestedReviewers)
			}
			if e.GetInstallation().GetID() != 77 || e.GetOrganization().GetLogin() != "acme" {
				t.Errorf("installation %d organization %q", e.GetInstallation().GetID(), e.GetOrganization().GetLogin())
			}
			if e.GetSender().GetLogin() != want.Author {
				t.Errorf("sender %q, want the author %q when Build.Sender is empty", e.GetSender().GetLogin(), want.Author)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestPullRequestExtraAndSender(t *testing.T) {
	b := Build{InstallationID: 5, Repo: userRepo, Sender: "overlap[bot]"}
	body, err := b.PullRequest("opened", PR{Number: 1, Title: "x", Author: "alice", HeadRef: "h", HeadSHA: "a"},
		Set("pull_request.mergeable_state", "dirty"))
	if err != nil {
		t.Fatal(err)
	}
	e := parse(t, "pull_request", body).(*github.PullRequestEvent)
	if e.GetPullRequest().GetMergeableState() != "dirty" {
		t.Errorf("extra option not applied: %q", e.GetPullRequest().GetMergeableState())
	}
	if e.GetSender().GetLogin() != "overlap[bot]" || e.GetSender().GetType() != "Bot" {
		t.Errorf("sender %s/%s", e.GetSender().GetLogin(), e.GetSender().GetType())
	}
	if e.Organization != nil {
		t.Error("user-owned repository has an organization member")
	}
	if e.GetPullRequest().GetBase().GetRef() != "main" {
		t.Errorf("base defaults to %q, want main", e.GetPullRequest().GetBase().GetRef())
	}
	checkRepo(t, e.GetRepo(), userRepo)
}

func TestPullRequestLabeled(t *testing.T) {
	for _, tt := range []struct {
		action string
		want   []string
	}{{"labeled", []string{"decision", "urgent"}}, {"unlabeled", []string{"decision"}}} {
		t.Run(tt.action, func(t *testing.T) {
			in := pr
			in.Labels = []string{"decision", "urgent"}
			if tt.action == "labeled" {
				in.Labels = []string{"decision"}
			}
			body, err := build.PullRequestLabeled(tt.action, in, "urgent")
			if err != nil {
				t.Fatal(err)
			}
			e := parse(t, "pull_request", body).(*github.PullRequestEvent)
			if e.GetLabel().GetName() != "urgent" || !strings.HasSuffix(e.GetLabel().GetURL(), "/repos/acme/svc/labels/urgent") {
				t.Errorf("label %q %q", e.GetLabel().GetName(), e.GetLabel().GetURL())
			}
			var got []string
			for _, l := range e.GetPullRequest().Labels {
				got = append(got, l.GetName())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("PR labels %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := build.PullRequestLabeled("opened", pr, "x"); err == nil {
		t.Error("PullRequestLabeled accepted action opened")
	}
}

func TestIssueComment(t *testing.T) {
	for _, isPR := range []bool{true, false} {
		body, err := build.IssueComment("created", 12, isPR, "ADR: queues", "desc", "LGTM", "erin", 555)
		if err != nil {
			t.Fatal(err)
		}
		e := parse(t, "issue_comment", body).(*github.IssueCommentEvent)
		is, c := e.GetIssue(), e.GetComment()
		if is.GetNumber() != 12 || is.GetTitle() != "ADR: queues" || is.GetBody() != "desc" || is.IsPullRequest() != isPR {
			t.Errorf("isPR=%v: issue #%d %q %q isPR %v", isPR, is.GetNumber(), is.GetTitle(), is.GetBody(), is.IsPullRequest())
		}
		kind := map[bool]string{true: "pull", false: "issues"}[isPR]
		if c.GetID() != 555 || c.GetBody() != "LGTM" || c.GetUser().GetLogin() != "erin" ||
			c.GetHTMLURL() != "https://github.com/acme/svc/"+kind+"/12#issuecomment-555" ||
			c.GetURL() != "https://api.github.com/repos/acme/svc/issues/comments/555" {
			t.Errorf("comment %d %q by %q %s %s", c.GetID(), c.GetBody(), c.GetUser().GetLogin(), c.GetHTMLURL(), c.GetURL())
		}
		if e.GetSender().GetLogin() != "erin" || e.GetInstallation().GetID() != 77 {
			t.Errorf("sender %q installation %d (the example has no installation; it must be added)", e.GetSender().GetLogin(), e.GetInstallation().GetID())
		}
		checkRepo(t, e.GetRepo(), orgRepo)
	}
	if _, err := build.IssueComment("created", 0, false, "", "", "x", "erin", 1); err == nil {
		t.Error("issue number 0 accepted")
	}
}

func TestIssues(t *testing.T) {
	body, err := build.Issues("opened", 40, "Runbook stale", "", "overlap[bot]")
	if err != nil {
		t.Fatal(err)
	}
	e := parse(t, "issues", body).(*github.IssuesEvent)
	is := e.GetIssue()
	if is.GetNumber() != 40 || is.GetTitle() != "Runbook stale" || is.Body != nil || is.GetUser().GetLogin() != "overlap[bot]" ||
		is.GetUser().GetType() != "Bot" || is.IsPullRequest() || is.GetHTMLURL() != "https://github.com/acme/svc/issues/40" {
		t.Errorf("issue %+v", is)
	}
	checkRepo(t, e.GetRepo(), orgRepo)
}

func TestCheckRun(t *testing.T) {
	body, err := build.CheckRun("requested_action", 31337, "Decision record", "abc123", []int{12}, "create-adr")
	if err != nil {
		t.Fatal(err)
	}
	e := parse(t, "check_run", body).(*github.CheckRunEvent)
	cr := e.GetCheckRun()
	if cr.GetID() != 31337 || cr.GetName() != "Decision record" || cr.GetHeadSHA() != "abc123" ||
		cr.GetHTMLURL() != "https://github.com/acme/svc/runs/31337" || cr.GetURL() != "https://api.github.com/repos/acme/svc/check-runs/31337" {
		t.Errorf("check run %d %q %s %s %s", cr.GetID(), cr.GetName(), cr.GetHeadSHA(), cr.GetHTMLURL(), cr.GetURL())
	}
	if e.GetRequestedAction().Identifier != "create-adr" {
		t.Errorf("requested action %+v", e.GetRequestedAction())
	}
	if len(cr.PullRequests) != 1 || cr.PullRequests[0].GetNumber() != 12 || cr.PullRequests[0].GetHead().GetSHA() != "abc123" {
		t.Errorf("pull_requests %+v", cr.PullRequests)
	}
	if cr.GetApp().GetID() != 9001 || cr.GetApp().GetSlug() != "overlap" || cr.GetCheckSuite().GetApp().GetID() != 9001 {
		t.Errorf("app %d %q", cr.GetApp().GetID(), cr.GetApp().GetSlug())
	}
	if e.GetInstallation().GetID() != 77 || e.GetOrg().GetLogin() != "acme" {
		t.Errorf("installation %d org %q", e.GetInstallation().GetID(), e.GetOrg().GetLogin())
	}
	checkRepo(t, e.GetRepo(), orgRepo)

	body, err = build.CheckRun("rerequested", 1, "Docs freshness", "def", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	e = parse(t, "check_run", body).(*github.CheckRunEvent)
	if e.RequestedAction != nil || len(e.GetCheckRun().PullRequests) != 0 {
		t.Errorf("rerequested carries requested_action %v or PRs %v", e.RequestedAction, e.GetCheckRun().PullRequests)
	}
	if _, err := build.CheckRun("requested_action", 1, "x", "y", nil, ""); err == nil {
		t.Error("requested_action without identifier accepted")
	}
}

func TestInstallation(t *testing.T) {
	body, err := build.Installation("created", []Repo{orgRepo, {Owner: "acme", Name: "web"}})
	if err != nil {
		t.Fatal(err)
	}
	e := parse(t, "installation", body).(*github.InstallationEvent)
	in := e.GetInstallation()
	if in.GetID() != 77 || in.GetAppID() != 9001 || in.GetAccount().GetLogin() != "acme" || in.GetTargetType() != "Organization" ||
		in.GetHTMLURL() != "https://github.com/organizations/acme/settings/installations/77" {
		t.Errorf("installation %d app %d account %q %s %s", in.GetID(), in.GetAppID(), in.GetAccount().GetLogin(), in.GetTargetType(), in.GetHTMLURL())
	}
	var names []string
	for _, r := range e.Repositories {
		names = append(names, r.GetFullName())
	}
	if !reflect.DeepEqual(names, []string{"acme/svc", "acme/web"}) || e.Repositories[0].GetID() != 4242 || !e.Repositories[0].GetPrivate() {
		t.Errorf("repositories %v", names)
	}
	if _, err := (Build{Repo: orgRepo}).Installation("created", nil); err == nil {
		t.Error("installation without id accepted")
	}
}

func TestPing(t *testing.T) {
	body, err := build.Ping(600)
	if err != nil {
		t.Fatal(err)
	}
	e := parse(t, "ping", body).(*github.PingEvent)
	if e.GetHookID() != 600 || e.GetHook().GetID() != 600 || e.GetHook().GetType() != "App" || e.GetZen() == "" {
		t.Errorf("ping hook %d/%d type %q zen %q", e.GetHookID(), e.GetHook().GetID(), e.GetHook().GetType(), e.GetZen())
	}
}

func TestPullRequestReview(t *testing.T) {
	body, err := build.PullRequestReview("submitted", pr, "carol", "APPROVED", "LGTM")
	if err != nil {
		t.Fatal(err)
	}
	e := parse(t, "pull_request_review", body).(*github.PullRequestReviewEvent)
	r := e.GetReview()
	if r.GetState() != "approved" || r.GetBody() != "LGTM" || r.GetUser().GetLogin() != "carol" || r.GetCommitID() != pr.HeadSHA ||
		!strings.HasPrefix(r.GetHTMLURL(), "https://github.com/acme/svc/pull/12#pullrequestreview-") {
		t.Errorf("review %q %q by %q on %s %s", r.GetState(), r.GetBody(), r.GetUser().GetLogin(), r.GetCommitID(), r.GetHTMLURL())
	}
	if p := e.GetPullRequest(); p.GetNumber() != 12 || p.GetUser().GetLogin() != "bob" || p.GetHead().GetSHA() != pr.HeadSHA {
		t.Errorf("pull request #%d by %q head %s", p.GetNumber(), p.GetUser().GetLogin(), p.GetHead().GetSHA())
	}
	if e.GetSender().GetLogin() != "carol" {
		t.Errorf("sender %q, want the reviewer", e.GetSender().GetLogin())
	}
	again, _ := build.PullRequestReview("submitted", pr, "carol", "approved", "LGTM")
	if string(again) != string(body) {
		t.Error("the same review built twice differs: ids must be stable")
	}
	if _, err := build.PullRequestReview("submitted", pr, "carol", "LOVED", ""); err == nil {
		t.Error("review state LOVED accepted")
	}
}

func TestBuildRejectsBadInput(t *testing.T) {
	if _, err := (Build{}).PullRequest("opened", pr); err == nil {
		t.Error("missing repository accepted")
	}
	if _, err := build.PullRequest("opened", PR{Number: 1}); err == nil {
		t.Error("missing author accepted")
	}
	if _, err := (Build{Repo: Repo{Owner: "a", Name: "b", OwnerType: "Enterprise"}}).Ping(1); err == nil {
		t.Error("owner type Enterprise accepted")
	}
}

func TestSign(t *testing.T) {
	// GitHub's documented test vector ("Validating webhook deliveries").
	const secret, body = "It's a Secret to Everybody", "Hello, World!"
	got := Sign(secret, []byte(body))
	if want := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"; got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
	if err := github.ValidateSignature(got, []byte(body), []byte(secret)); err != nil {
		t.Errorf("github.ValidateSignature rejects our signature: %v", err)
	}
	if err := github.ValidateSignature(got, []byte(body+"!"), []byte(secret)); err == nil {
		t.Error("github.ValidateSignature accepted a tampered body")
	}
}

func TestSenderSend(t *testing.T) {
	const secret = "s3cret"
	payload, err := build.PullRequest("opened", pr)
	if err != nil {
		t.Fatal(err)
	}
	var got *http.Request
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		// The receiving side as go-github does it: signature and event type.
		p, err := github.ValidatePayload(r, []byte(secret))
		gotBody = p
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if _, err := github.ParseWebHook(github.WebHookType(r), p); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		_, _ = w.Write([]byte("queued"))
	}))
	defer srv.Close()

	status, resp, err := Sender{URL: srv.URL, Secret: secret, Client: srv.Client()}.Send(context.Background(), "pull_request", "d-1", payload)
	if err != nil || status != http.StatusAccepted || string(resp) != "queued" {
		t.Fatalf("Send = %d %q %v", status, resp, err)
	}
	for h, want := range map[string]string{
		"X-GitHub-Event":      "pull_request",
		"X-GitHub-Delivery":   "d-1",
		"X-Hub-Signature-256": Sign(secret, payload),
		"Content-Type":        "application/json",
	} {
		if v := got.Header.Get(h); v != want {
			t.Errorf("%s = %q, want %q", h, v, want)
		}
	}
	if !strings.HasPrefix(got.Header.Get("User-Agent"), "GitHub-Hookshot/") || got.Method != http.MethodPost {
		t.Errorf("User-Agent %q method %s", got.Header.Get("User-Agent"), got.Method)
	}
	if string(gotBody) != string(payload) {
		t.Error("body changed in transit")
	}

	// A wrong secret is refused by the receiver.
	status, _, err = Sender{URL: srv.URL, Secret: "wrong", Client: srv.Client()}.Send(context.Background(), "pull_request", "", payload)
	if err != nil || status != http.StatusUnauthorized {
		t.Errorf("wrong secret: status %d err %v, want 401", status, err)
	}
	if id := got.Header.Get("X-GitHub-Delivery"); len(id) != 36 {
		t.Errorf("derived delivery id %q is not GUID-shaped", id)
	}
	// No secret: no signature headers, as GitHub does.
	_, _, _ = Sender{URL: srv.URL, Client: srv.Client()}.Send(context.Background(), "ping", "d-2", []byte(`{}`))
	if got.Header.Get("X-Hub-Signature-256") != "" {
		t.Error("unsigned delivery carries a signature")
	}
	if _, _, err := (Sender{URL: "http://127.0.0.1:1", Client: srv.Client()}).Send(context.Background(), "", "d", nil); err == nil {
		t.Error("empty event accepted")
	}
}
