package githubfake

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/gregjones/httpcache"
	"github.com/palantir/go-githubapp/githubapp"
)

var t0 = time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)

// world is a fake with one org installation, one repo and a client creator
// wired exactly as the app wires it.
type world struct {
	fake *Server
	inst int64
	cc   githubapp.ClientCreator
	gh   *github.Client
}

func newWorld(t *testing.T, opts ...githubapp.ClientOption) *world {
	t.Helper()
	now := t0
	f := NewTest(t, Options{Now: func() time.Time { return now }})
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "acme", "api", RepoOptions{})
	f.Commit("acme", "api", "main", CommitSpec{Message: "init", Author: "alice", Files: map[string]string{
		"README.md":           "# api\n",
		".github/overlap.yml": "adr:\n  enabled: true\n",
		"docs/runbook.md":     "step 1\nstep 2\n",
	}})
	cc := githubapp.NewClientCreator(f.URL()+"/", f.URL()+"/graphql", f.AppID(), f.AppPrivateKeyPEM(), opts...)
	gh, err := cc.NewInstallationClient(inst)
	if err != nil {
		t.Fatalf("installation client: %v", err)
	}
	return &world{fake: f, inst: inst, cc: cc, gh: gh}
}

func statusOf(err error) int {
	var er *github.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

func TestAppAuthAndConditionalRequests(t *testing.T) {
	w := newWorld(t, githubapp.WithClientCaching(true, func() httpcache.Cache { return httpcache.NewMemoryCache() }))
	ctx := context.Background()

	appClient, err := w.cc.NewAppClient()
	if err != nil {
		t.Fatal(err)
	}
	app, _, err := appClient.Apps.Get(ctx, "")
	if err != nil {
		t.Fatalf("Apps.Get: %v", err)
	}
	if app.GetSlug() != "overlap" || app.GetID() != w.fake.AppID() {
		t.Errorf("Apps.Get = slug %q id %d, want overlap/%d", app.GetSlug(), app.GetID(), w.fake.AppID())
	}

	gh, err := w.cc.NewInstallationClient(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		fc, _, _, err := gh.Repositories.GetContents(ctx, "acme", "api", ".github/overlap.yml", &github.RepositoryContentGetOptions{Ref: "main"})
		if err != nil {
			t.Fatalf("GetContents #%d: %v", i, err)
		}
		got, err := fc.GetContent()
		if err != nil || got != "adr:\n  enabled: true\n" {
			t.Fatalf("GetContents #%d = %q, %v", i, got, err)
		}
	}
	var statuses []int
	for _, r := range w.fake.Requests() {
		if r.Route == "GET /repos/{owner}/{repo}/contents/{path}" {
			statuses = append(statuses, r.Status)
		}
	}
	if len(statuses) != 2 || statuses[0] != 200 || statuses[1] != 304 {
		t.Errorf("contents statuses = %v, want [200 304] (the cache revalidates with If-None-Match)", statuses)
	}
	if n := w.fake.Calls()["POST /app/installations/{installation_id}/access_tokens"]; n != 1 {
		t.Errorf("token mints = %d, want 1 (the token is reused)", n)
	}
}

func TestContents(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sha := w.fake.Commit("acme", "api", "feature/x", CommitSpec{Files: map[string]string{"docs/runbook.md": "step 1\nstep 2 (new)\n"}})

	tests := []struct {
		name, path, ref, want string
	}{
		{"default branch", "docs/runbook.md", "", "step 1\nstep 2\n"},
		{"branch", "docs/runbook.md", "feature/x", "step 1\nstep 2 (new)\n"},
		{"refs/heads", "docs/runbook.md", "refs/heads/feature/x", "step 1\nstep 2 (new)\n"},
		{"sha", "docs/runbook.md", sha, "step 1\nstep 2 (new)\n"},
		{"short sha", "docs/runbook.md", sha[:7], "step 1\nstep 2 (new)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fc, dir, _, err := w.gh.Repositories.GetContents(ctx, "acme", "api", tt.path, &github.RepositoryContentGetOptions{Ref: tt.ref})
			if err != nil {
				t.Fatal(err)
			}
			if dir != nil || fc.GetEncoding() != "base64" || fc.GetType() != "file" || fc.GetSize() != len(tt.want) {
				t.Errorf("got encoding %q type %q size %d", fc.GetEncoding(), fc.GetType(), fc.GetSize())
			}
			if got, _ := fc.GetContent(); got != tt.want {
				t.Errorf("content = %q, want %q", got, tt.want)
			}
		})
	}

	_, dir, _, err := w.gh.Repositories.GetContents(ctx, "acme", "api", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range dir {
		names = append(names, d.GetName()+":"+d.GetType())
	}
	if got := strings.Join(names, ","); got != ".github:dir,README.md:file,docs:dir" {
		t.Errorf("root listing = %s", got)
	}

	_, _, resp, err := w.gh.Repositories.GetContents(ctx, "acme", "api", "nope.md", nil)
	if resp == nil || resp.StatusCode != 404 {
		t.Fatalf("missing file: resp %v err %v, want 404", resp, err)
	}
	var er *github.ErrorResponse
	if !errors.As(err, &er) || er.Message != "Not Found" {
		t.Errorf("missing file error = %v, want message Not Found", err)
	}
	if v := w.fake.Violations(); len(v) != 0 {
		t.Errorf("a 404 for a missing file is an answer, not a violation: %v", v)
	}

	tree, _, err := w.gh.Git.GetTree(ctx, "acme", "api", "main", true)
	if err != nil {
		t.Fatal(err)
	}
	var blobs []string
	for _, e := range tree.Entries {
		if e.GetType() == "blob" {
			blobs = append(blobs, e.GetPath())
		}
	}
	if got := strings.Join(blobs, ","); got != ".github/overlap.yml,README.md,docs/runbook.md" {
		t.Errorf("recursive tree blobs = %s", got)
	}
}

func TestCommitsAndBranches(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	later := t0.Add(48 * time.Hour)
	second := w.fake.Commit("acme", "api", "main", CommitSpec{Message: "touch runbook", Author: "bob", Date: later,
		Files: map[string]string{"docs/runbook.md": "step 1\n"}})
	w.fake.Commit("acme", "api", "main", CommitSpec{Message: "readme", Date: later.Add(time.Hour), Files: map[string]string{"README.md": "x\n"}})

	list, _, err := w.gh.Repositories.ListCommits(ctx, "acme", "api", &github.CommitsListOptions{Path: "docs/runbook.md"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].GetSHA() != second || list[0].GetCommit().GetAuthor().GetDate().Time != later {
		t.Fatalf("history of runbook: %d commits, first %s", len(list), list[0].GetSHA())
	}
	if list[0].GetAuthor().GetLogin() != "bob" {
		t.Errorf("author = %q, want bob", list[0].GetAuthor().GetLogin())
	}
	b, _, err := w.gh.Repositories.GetBranch(ctx, "acme", "api", "main", 0)
	if err != nil {
		t.Fatal(err)
	}
	ref, _, err := w.gh.Git.GetRef(ctx, "acme", "api", "refs/heads/main")
	if err != nil {
		t.Fatal(err)
	}
	if b.GetCommit().GetSHA() != ref.GetObject().GetSHA() || len(ref.GetObject().GetSHA()) != 40 {
		t.Errorf("branch %s and ref %s disagree", b.GetCommit().GetSHA(), ref.GetObject().GetSHA())
	}
	c, _, err := w.gh.Repositories.GetCommit(ctx, "acme", "api", second, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 1 || c.Files[0].GetFilename() != "docs/runbook.md" || c.Files[0].GetDeletions() != 1 {
		t.Errorf("commit files = %+v", c.Files)
	}
}

func TestPullRequestFilesReviewsAndLabels(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.fake.Commit("acme", "api", "feat", CommitSpec{Files: map[string]string{
		"docs/adr/0001-db.md": "# Use Postgres\n",
		"README.md":           "# api v2\n",
	}, Delete: []string{"docs/runbook.md"}})
	n := w.fake.OpenPR("acme", "api", PRSpec{Title: "DB choice", Author: "alice", Head: "feat", Labels: []string{"decision"}})
	w.fake.AddTeam("acme", "platform", []string{"carol"})
	w.fake.RequestReviewers("acme", "api", n, ReviewRequestSpec{Users: []string{"bob"}, Teams: []string{"platform"}})

	files, _, err := w.gh.PullRequests.ListFiles(ctx, "acme", "api", n, &github.ListOptions{PerPage: 2})
	if err != nil {
		t.Fatal(err)
	}
	more, _, err := w.gh.PullRequests.ListFiles(ctx, "acme", "api", n, &github.ListOptions{PerPage: 2, Page: 2})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range append(files, more...) {
		got = append(got, f.GetFilename()+":"+f.GetStatus())
	}
	if s := strings.Join(got, ","); s != "README.md:modified,docs/adr/0001-db.md:added,docs/runbook.md:removed" {
		t.Errorf("PR files = %s", s)
	}

	// Pushing to the head moves the PR's head SHA.
	sha := w.fake.PushPR("acme", "api", n, CommitSpec{Files: map[string]string{"x.go": "package x\n"}})
	pr, _, err := w.gh.PullRequests.Get(ctx, "acme", "api", n)
	if err != nil {
		t.Fatal(err)
	}
	if pr.GetHead().GetSHA() != sha || pr.GetChangedFiles() != 4 || pr.GetUser().GetLogin() != "alice" {
		t.Errorf("PR head %s files %d user %s; want %s 4 alice", pr.GetHead().GetSHA(), pr.GetChangedFiles(), pr.GetUser().GetLogin(), sha)
	}
	if len(pr.RequestedReviewers) != 1 || len(pr.RequestedTeams) != 1 {
		t.Errorf("requested = %d users %d teams, want 1 and 1", len(pr.RequestedReviewers), len(pr.RequestedTeams))
	}

	if info, ok := w.fake.PR("acme", "api", n); !ok || info.HeadSHA != sha || strings.Join(info.Requested, ",") != "bob,acme/platform" {
		t.Errorf("PR view = %+v", info)
	}
	w.fake.SubmitReview("acme", "api", n, ReviewSpec{User: "bob", State: "APPROVED", Body: "LGTM"})
	reviews, _, err := w.gh.PullRequests.ListReviews(ctx, "acme", "api", n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(reviews) != 1 || reviews[0].GetState() != "APPROVED" || reviews[0].GetCommitID() != sha {
		t.Errorf("reviews = %+v", reviews)
	}
	reqs, _, err := w.gh.PullRequests.ListReviewers(ctx, "acme", "api", n, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs.Users) != 0 || len(reqs.Teams) != 1 {
		t.Errorf("after bob's review: %d users %d teams requested, want 0 and 1", len(reqs.Users), len(reqs.Teams))
	}

	if _, _, err := w.gh.PullRequests.RequestReviewers(ctx, "acme", "api", n, github.ReviewersRequest{Reviewers: []string{"dave"}}); statusOf(err) != 422 {
		t.Errorf("requesting an unknown user: err %v, want 422", err)
	}
	w.fake.TakeViolations()
	w.fake.AddUser("dave", "Dave")
	w.fake.SetPermission("acme", "api", "dave", "read") // reviews may only be requested from collaborators
	if _, _, err := w.gh.PullRequests.RequestReviewers(ctx, "acme", "api", n, github.ReviewersRequest{Reviewers: []string{"dave"}}); err != nil {
		t.Errorf("request dave: %v", err)
	}

	labels, _, err := w.gh.Issues.AddLabelsToIssue(ctx, "acme", "api", n, []string{"urgent"})
	if err != nil || len(labels) != 2 {
		t.Fatalf("add label: %v %v", labels, err)
	}
	if _, err := w.gh.Issues.RemoveLabelForIssue(ctx, "acme", "api", n, "decision"); err != nil {
		t.Fatal(err)
	}
	issue, _, err := w.gh.Issues.Get(ctx, "acme", "api", n)
	if err != nil {
		t.Fatal(err)
	}
	if !issue.IsPullRequest() || len(issue.Labels) != 1 || issue.Labels[0].GetName() != "urgent" {
		t.Errorf("PR as issue: pull_request set %v, labels %v", issue.IsPullRequest(), issue.Labels)
	}

	open, _, err := w.gh.PullRequests.List(ctx, "acme", "api", &github.PullRequestListOptions{State: "open", Base: "main"})
	if err != nil || len(open) != 1 {
		t.Fatalf("open PRs into main: %d, %v", len(open), err)
	}
	merge := w.fake.MergePR("acme", "api", n, "alice")
	closed, _, err := w.gh.PullRequests.List(ctx, "acme", "api", &github.PullRequestListOptions{State: "closed"})
	if err != nil || len(closed) != 1 || !closed[0].GetMerged() || closed[0].GetMergeCommitSHA() != merge {
		t.Fatalf("closed PRs: %v, %v", closed, err)
	}
	fc, _, _, err := w.gh.Repositories.GetContents(ctx, "acme", "api", "docs/adr/0001-db.md", nil)
	if err != nil {
		t.Fatalf("merged file on main: %v", err)
	}
	if c, _ := fc.GetContent(); c != "# Use Postgres\n" {
		t.Errorf("merged content = %q", c)
	}
}

func TestIssuesAndCommentPaging(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.fake.SetPermission("acme", "api", "alice", "write") // only collaborators can be assigned
	is, _, err := w.gh.Issues.Create(ctx, "acme", "api", &github.IssueRequest{
		Title: github.String("Stale docs"), Body: github.String("<!-- overlap:docs -->"),
		Labels: &[]string{"docs"}, Assignees: &[]string{"alice"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if is.GetUser().GetLogin() != "overlap[bot]" || is.GetUser().GetType() != "Bot" {
		t.Errorf("issue author = %s (%s), want overlap[bot] (Bot)", is.GetUser().GetLogin(), is.GetUser().GetType())
	}
	w.fake.OpenIssue("acme", "api", IssueSpec{Title: "human issue", Author: "bob"})

	list, _, err := w.gh.Issues.ListByRepo(ctx, "acme", "api", &github.IssueListByRepoOptions{Labels: []string{"docs"}, Assignee: "alice"})
	if err != nil || len(list) != 1 || list[0].GetNumber() != is.GetNumber() {
		t.Fatalf("filtered issues = %v, %v", list, err)
	}
	list, _, err = w.gh.Issues.ListByRepo(ctx, "acme", "api", &github.IssueListByRepoOptions{Creator: "bob"})
	if err != nil || len(list) != 1 || list[0].GetTitle() != "human issue" {
		t.Fatalf("issues by bob = %v, %v", list, err)
	}

	for i := 0; i < 5; i++ {
		if _, _, err := w.gh.Issues.CreateComment(ctx, "acme", "api", is.GetNumber(), &github.IssueComment{Body: github.String("c" + string(rune('0'+i)))}); err != nil {
			t.Fatal(err)
		}
	}
	var bodies []string
	opts := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 2}}
	pages := 0
	for {
		cs, resp, err := w.gh.Issues.ListComments(ctx, "acme", "api", is.GetNumber(), opts)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range cs {
			bodies = append(bodies, c.GetBody())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if pages != 3 || strings.Join(bodies, ",") != "c0,c1,c2,c3,c4" {
		t.Errorf("paged through %d pages: %v", pages, bodies)
	}

	comments := w.fake.Comments("acme", "api", is.GetNumber())
	edited, _, err := w.gh.Issues.EditComment(ctx, "acme", "api", comments[0].ID, &github.IssueComment{Body: github.String("edited")})
	if err != nil || edited.GetBody() != "edited" {
		t.Fatalf("edit comment: %v %v", edited, err)
	}
	if _, err := w.gh.Issues.DeleteComment(ctx, "acme", "api", comments[1].ID); err != nil {
		t.Fatal(err)
	}
	if got := len(w.fake.Comments("acme", "api", is.GetNumber())); got != 4 {
		t.Errorf("comments after delete = %d, want 4", got)
	}

	long := strings.Repeat("x", 65537)
	if _, _, err := w.gh.Issues.CreateComment(ctx, "acme", "api", is.GetNumber(), &github.IssueComment{Body: &long}); statusOf(err) != 422 {
		t.Errorf("65,537-character comment: %v, want 422", err)
	}
	if v := w.fake.TakeViolations(); len(v) != 1 || !strings.Contains(v[0], "too long") {
		t.Errorf("violations = %v, want one about the body length", v)
	}

	closed, _, err := w.gh.Issues.Edit(ctx, "acme", "api", is.GetNumber(), &github.IssueRequest{State: github.String("closed")})
	if err != nil || closed.GetState() != "closed" || closed.GetStateReason() != "completed" {
		t.Fatalf("close: %v %v", closed, err)
	}
}

func TestCheckRuns(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	head := w.fake.Branch("acme", "api", "main")

	cr, _, err := w.gh.Checks.CreateCheckRun(ctx, "acme", "api", github.CreateCheckRunOptions{
		Name: "Decision record", HeadSHA: head, Status: github.String("in_progress"), ExternalID: github.String("adr"),
	})
	if err != nil {
		t.Fatal(err)
	}
	ann := func(n int) []*github.CheckRunAnnotation {
		var out []*github.CheckRunAnnotation
		for i := 0; i < n; i++ {
			out = append(out, &github.CheckRunAnnotation{Path: github.String("README.md"), StartLine: github.Int(1), EndLine: github.Int(1),
				AnnotationLevel: github.String("warning"), Message: github.String("m")})
		}
		return out
	}
	for i := 0; i < 2; i++ {
		_, _, err := w.gh.Checks.UpdateCheckRun(ctx, "acme", "api", cr.GetID(), github.UpdateCheckRunOptions{
			Name: "Decision record", Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: ann(30)},
		})
		if err != nil {
			t.Fatalf("update %d: %v", i, err)
		}
	}
	done, _, err := w.gh.Checks.UpdateCheckRun(ctx, "acme", "api", cr.GetID(), github.UpdateCheckRunOptions{
		Name: "Decision record", Conclusion: github.String("action_required"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if done.GetStatus() != "completed" || done.GetCompletedAt().Time != t0 || done.GetOutput().GetAnnotationsCount() != 60 {
		t.Errorf("completed run: status %s completed_at %v annotations %d", done.GetStatus(), done.GetCompletedAt(), done.GetOutput().GetAnnotationsCount())
	}
	all, _, err := w.gh.Checks.ListCheckRunAnnotations(ctx, "acme", "api", cr.GetID(), &github.ListOptions{PerPage: 100})
	if err != nil || len(all) != 60 {
		t.Errorf("annotations = %d, %v; want 60 (they accumulate)", len(all), err)
	}

	if _, _, err := w.gh.Checks.CreateCheckRun(ctx, "acme", "api", github.CreateCheckRunOptions{Name: "Docs freshness", HeadSHA: head, Conclusion: github.String("success")}); err != nil {
		t.Fatal(err)
	}
	res, _, err := w.gh.Checks.ListCheckRunsForRef(ctx, "acme", "api", "main", &github.ListCheckRunsOptions{CheckName: github.String("Decision record"), AppID: github.Int64(w.fake.AppID())})
	if err != nil {
		t.Fatal(err)
	}
	if res.GetTotal() != 1 || res.CheckRuns[0].GetID() != cr.GetID() || res.CheckRuns[0].GetConclusion() != "action_required" {
		t.Errorf("list by name = %d runs", res.GetTotal())
	}

	// More than 50 annotations in one request: GitHub answers 422.
	_, _, err = w.gh.Checks.UpdateCheckRun(ctx, "acme", "api", cr.GetID(), github.UpdateCheckRunOptions{
		Name: "Decision record", Output: &github.CheckRunOutput{Title: github.String("t"), Summary: github.String("s"), Annotations: ann(51)},
	})
	if statusOf(err) != 422 {
		t.Errorf("51 annotations: %v, want 422", err)
	}
	if v := w.fake.TakeViolations(); len(v) != 1 || !strings.Contains(v[0], "annotations") {
		t.Errorf("violations = %v", v)
	}

	// A conclusion outside GitHub's enum is rejected by the schema.
	_, _, err = w.gh.Checks.CreateCheckRun(ctx, "acme", "api", github.CreateCheckRunOptions{Name: "Decision record", HeadSHA: head, Conclusion: github.String("passed")})
	if statusOf(err) != 422 {
		t.Fatalf("bad conclusion: %v, want 422", err)
	}
	v := w.fake.TakeViolations()
	if len(v) != 1 || !strings.Contains(v[0], "POST /repos/{owner}/{repo}/check-runs") || !strings.Contains(v[0], "/conclusion") {
		t.Errorf("violation should name the operation and the field: %v", v)
	}
	if got := len(w.fake.CheckRuns("acme", "api")); got != 2 {
		t.Errorf("check runs stored = %d, want 2 (rejected requests change nothing)", got)
	}
}

func TestStrictRouting(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()

	req, _ := w.gh.NewRequest("GET", "repos/acme/api/no-such-thing", nil)
	if _, err := w.gh.Do(ctx, req, nil); statusOf(err) != 404 {
		t.Errorf("unknown route: %v, want 404", err)
	}
	// A real GitHub operation the fake does not implement.
	if _, _, err := w.gh.Repositories.ListHooks(ctx, "acme", "api", nil); statusOf(err) != 501 {
		t.Errorf("unimplemented operation: %v, want 501", err)
	}
	v := w.fake.TakeViolations()
	if len(v) != 2 || !strings.Contains(v[0], "no GitHub REST operation") || !strings.Contains(v[1], "GET /repos/{owner}/{repo}/hooks") {
		t.Errorf("violations = %q", v)
	}
	calls := w.fake.Calls()
	if calls["GET /repos/acme/api/no-such-thing"] != 1 || calls["GET /repos/{owner}/{repo}/hooks"] != 1 {
		t.Errorf("calls = %v", calls)
	}

	// Another installation's token cannot see the repo.
	other := w.fake.AddInstallation("globex", "Organization")
	w.fake.AddRepo(other, "globex", "secret", RepoOptions{Private: true})
	if _, _, err := w.gh.Repositories.Get(ctx, "globex", "secret"); statusOf(err) != 404 {
		t.Errorf("foreign repo: %v, want 404", err)
	}
}

func TestJWTWithWrongKeyIsRejected(t *testing.T) {
	w := newWorld(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	wrong := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	cc := githubapp.NewClientCreator(w.fake.URL()+"/", w.fake.URL()+"/graphql", w.fake.AppID(), wrong)
	app, err := cc.NewAppClient()
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.Apps.Get(context.Background(), ""); statusOf(err) != 401 {
		t.Errorf("JWT signed by another key: %v, want 401", err)
	}
	inst, err := cc.NewInstallationClient(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := inst.Repositories.Get(context.Background(), "acme", "api"); err == nil {
		t.Error("installation client with a wrong key got through")
	}
	if v := w.fake.TakeViolations(); len(v) < 2 {
		t.Errorf("violations = %v, want the rejected JWTs recorded", v)
	}

	// A raw request without credentials.
	resp, err := http.Get(w.fake.URL() + "/repos/acme/api")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Errorf("anonymous request: %d, want 401", resp.StatusCode)
	}
	w.fake.TakeViolations()
}

func TestRateLimitHeadersAndCounts(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, _, err := w.gh.Users.Get(ctx, "overlap[bot]"); err != nil { // mints the token
		t.Fatal(err)
	}
	w.fake.ResetCalls()
	_, r1, err := w.gh.Repositories.Get(ctx, "acme", "api")
	if err != nil {
		t.Fatal(err)
	}
	_, r2, err := w.gh.Repositories.Get(ctx, "acme", "api")
	if err != nil {
		t.Fatal(err)
	}
	if r1.Rate.Limit != 5000 || r2.Rate.Remaining != r1.Rate.Remaining-1 || r2.Rate.Reset.IsZero() {
		t.Errorf("rate: first %+v second %+v", r1.Rate, r2.Rate)
	}
	if got := r2.Header.Get("X-RateLimit-Resource"); got != "core" {
		t.Errorf("resource = %q", got)
	}
	if got := r2.Header.Get("X-RateLimit-Used"); got != "3" {
		t.Errorf("used = %q, want 3 (the token mint is App-authenticated and counted apart)", got)
	}
	if w.fake.Calls()["GET /repos/{owner}/{repo}"] != 2 || w.fake.TotalCalls() != 2 {
		t.Errorf("calls = %v total %d", w.fake.Calls(), w.fake.TotalCalls())
	}

	f := New(Options{RateLimit: 2})
	f.Start()
	defer f.Close()
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "acme", "api", RepoOptions{})
	gh := github.NewClient(nil).WithAuthToken(f.InstallationToken(inst))
	gh.BaseURL = mustURL(t, f.URL()+"/")
	for i := 0; i < 2; i++ {
		if _, _, err := gh.Repositories.Get(ctx, "acme", "api"); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err = gh.Repositories.Get(ctx, "acme", "api")
	var rl *github.RateLimitError
	if !errors.As(err, &rl) {
		t.Errorf("third request over a limit of 2: %v, want a RateLimitError", err)
	}
}

func TestFaultInjection(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.fake.Inject(Fault{Route: "GET /repos/{owner}/{repo}/contents/{path}", Status: 502, Times: 1})
	w.fake.Inject(Fault{Method: "POST", Route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", Status: 403,
		RetryAfter: 30 * time.Second})

	if _, _, _, err := w.gh.Repositories.GetContents(ctx, "acme", "api", "README.md", nil); statusOf(err) != 502 {
		t.Errorf("first GET: %v, want 502", err)
	}
	if _, _, _, err := w.gh.Repositories.GetContents(ctx, "acme", "api", "README.md", nil); err != nil {
		t.Errorf("second GET (fault used up): %v", err)
	}
	n := w.fake.OpenIssue("acme", "api", IssueSpec{Title: "x"})
	_, _, err := w.gh.Issues.CreateComment(ctx, "acme", "api", n, &github.IssueComment{Body: github.String("hi")})
	var abuse *github.AbuseRateLimitError
	if !errors.As(err, &abuse) || abuse.GetRetryAfter() != 30*time.Second {
		t.Errorf("secondary limit fault: %v", err)
	}
	if len(w.fake.Comments("acme", "api", n)) != 0 {
		t.Error("a faulted write must not be applied")
	}
	var writes []Write
	for _, wr := range w.fake.Writes() {
		if wr.Installation != 0 {
			writes = append(writes, wr)
		}
	}
	if len(writes) != 1 || writes[0].Status != 403 || !strings.Contains(string(writes[0].Body), `"hi"`) {
		t.Errorf("writes = %+v", writes)
	}

	// The 403 opened a 30 s window: a client that ignores it (here a fresh
	// client without go-github's memory of the refusal) is refused again
	// and reported.
	gh, err := w.cc.NewInstallationClient(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gh.Repositories.Get(ctx, "acme", "api"); !errors.As(err, &abuse) {
		t.Errorf("GET inside the Retry-After window: %v, want a secondary-limit refusal", err)
	}
	if v := w.fake.RateLimitViolations(); len(v) != 1 || v[0].Route != "GET /repos/{owner}/{repo}" || v[0].Installation != w.inst {
		t.Errorf("RateLimitViolations = %+v, want the one GET", v)
	}
	w.fake.TakeViolations()
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
