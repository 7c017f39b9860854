package adr_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

const org = apptest.Org

// record renders a complete Nygard record; drop lists sections to leave out
// and empty the ones to leave without text.
func record(n int, title string, drop, empty []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %d. %s\n\nDate: 2026-11-20\n", n, title)
	body := map[string]string{
		"Status":       "Accepted",
		"Context":      "We need somewhere durable to keep events.",
		"Decision":     "We will use Postgres with one table per stream.",
		"Consequences": "The team runs Postgres; replays read from it.",
	}
	for _, sec := range []string{"Status", "Context", "Decision", "Consequences"} {
		if contains(drop, sec) {
			continue
		}
		text := body[sec]
		if contains(empty, sec) {
			text = "<!-- to do -->"
		}
		fmt.Fprintf(&b, "\n## %s\n\n%s\n", sec, text)
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// baseRecords returns records 0001..n for the base branch.
func baseRecords(n int) map[string]string {
	files := map[string]string{"README.md": "# api\n", "main.go": "package main\n"}
	for i := 1; i <= n; i++ {
		files[fmt.Sprintf("docs/adr/%04d-decision-number-%d.md", i, i)] = record(i, fmt.Sprintf("Decision number %d", i), nil, nil)
	}
	return files
}

type world struct {
	*apptest.Harness
	t    *testing.T
	repo string
}

func newWorld(t *testing.T, files map[string]string, extra ...handlers.Feature) *world {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: append([]handlers.Feature{adr.Feature{}}, extra...)})
	h.AddRepo("api", files)
	return &world{Harness: h, t: t, repo: "api"}
}

// openPR pushes files to a new branch and opens a PR labelled labels
// (nothing is delivered).
func (w *world) openPR(branch, title, body string, files map[string]string, labels ...string) int {
	w.t.Helper()
	if files == nil {
		files = map[string]string{"main.go": "package main // " + branch + "\n"}
	}
	w.Fake.Commit(org, w.repo, branch, githubfake.CommitSpec{Message: title, Author: "alice", Files: files})
	n := w.Fake.OpenPR(org, w.repo, githubfake.PRSpec{Title: title, Body: body, Author: "alice", Head: branch, Labels: labels})
	if n == 0 {
		w.t.Fatalf("could not open PR %q", title)
	}
	return n
}

// label adds a label on GitHub and delivers pull_request.labeled.
func (w *world) label(n int, label string) {
	w.t.Helper()
	w.Fake.AddLabels(org, w.repo, n, label)
	pr := w.PR(w.repo, n)
	payload, err := w.Builder(w.repo, "alice").PullRequestLabeled("labeled", pr, label)
	if err != nil {
		w.t.Fatal(err)
	}
	if st := w.Send("pull_request", payload); st != http.StatusAccepted {
		w.t.Fatalf("labeled: status %d", st)
	}
}

func (w *world) unlabel(n int, label string) {
	w.t.Helper()
	w.Fake.RemoveLabel(org, w.repo, n, label)
	payload, err := w.Builder(w.repo, "alice").PullRequestLabeled("unlabeled", w.PR(w.repo, n), label)
	if err != nil {
		w.t.Fatal(err)
	}
	w.Send("pull_request", payload)
}

// push commits files to the PR and delivers synchronize.
func (w *world) push(n int, files map[string]string) string {
	w.t.Helper()
	sha := w.Fake.PushPR(org, w.repo, n, githubfake.CommitSpec{Message: "update", Author: "alice", Files: files})
	w.Send("pull_request", w.PREvent("synchronize", w.repo, n))
	return sha
}

// comment posts a PR comment as login and delivers issue_comment.created.
func (w *world) comment(n int, login, body string) int64 {
	w.t.Helper()
	id := w.Fake.AddComment(org, w.repo, n, login, body)
	pr := w.PR(w.repo, n)
	payload, err := w.Builder(w.repo, login).IssueComment("created", n, true, pr.Title, pr.Body, body, login, id)
	if err != nil {
		w.t.Fatal(err)
	}
	w.Send("issue_comment", payload)
	return id
}

func (w *world) head(n int) string { return w.PR(w.repo, n).HeadSHA }

// checks returns the app's "Decision record" runs on sha, oldest first.
func (w *world) checks(sha string) []githubfake.CheckRunInfo {
	var out []githubfake.CheckRunInfo
	for _, r := range w.Fake.CheckRuns(org, w.repo) {
		if r.Name == adr.CheckName && r.HeadSHA == sha {
			out = append(out, r)
		}
	}
	return out
}

// check returns the one current run on the PR head, failing otherwise.
func (w *world) check(n int) githubfake.CheckRunInfo {
	w.t.Helper()
	runs := w.checks(w.head(n))
	if len(runs) == 0 {
		w.t.Fatalf("no %q check on #%d's head", adr.CheckName, n)
	}
	return runs[len(runs)-1]
}

// stickies returns the app's sticky ADR comments on n.
func (w *world) stickies(n int) []githubfake.CommentInfo {
	var out []githubfake.CommentInfo
	for _, c := range w.Fake.Comments(org, w.repo, n) {
		if c.Author == w.App.BotLogin() && gh.HasMarker(c.Body, adr.Marker) {
			out = append(out, c)
		}
	}
	return out
}

func (w *world) sticky(n int) string {
	w.t.Helper()
	cs := w.stickies(n)
	if len(cs) != 1 {
		w.t.Fatalf("want exactly one sticky comment on #%d, got %d", n, len(cs))
	}
	return cs[0].Body
}

func TestLabelledPRWithoutRecordIsAskedForTheNextNumberOnce(t *testing.T) {
	w := newWorld(t, baseRecords(12))
	n := w.openPR("events", "Use Postgres for events", "We store events.", nil)
	w.label(n, "decision")

	body := w.sticky(n)
	for _, want := range []string{"`docs/adr/0013-use-postgres-for-events.md`", "# 0013. Use Postgres for events", "## Consequences", "@alice", "/adr skip"} {
		if !strings.Contains(body, want) {
			t.Errorf("prompt lacks %q:\n%s", want, body)
		}
	}
	first := w.head(n)
	runs := w.checks(first)
	if len(runs) != 1 || runs[0].Conclusion != "action_required" {
		t.Fatalf("want one action_required check, got %+v", runs)
	}
	if !contains(runs[0].Actions, adr.ActionSkipID) || !strings.Contains(runs[0].Summary, "0013-use-postgres-for-events.md") {
		t.Errorf("check should offer the skip button and name the file: %+v", runs[0])
	}

	// The same delivery again (GitHub's "Redeliver"), then a push.
	labeled, err := w.Builder("api", "alice").PullRequestLabeled("labeled", w.PR("api", n), "decision")
	if err != nil {
		t.Fatal(err)
	}
	w.SendAs("pull_request", "same-delivery", labeled)
	w.SendAs("pull_request", "same-delivery", labeled)
	second := w.push(n, map[string]string{"main.go": "package main // v2\n"})

	if cs := w.stickies(n); len(cs) != 1 {
		t.Errorf("want one sticky comment after redelivery and push, got %d", len(cs))
	}
	if runs := w.checks(first); len(runs) != 1 {
		t.Errorf("first head: want one check, got %d", len(runs))
	}
	if runs := w.checks(second); len(runs) != 1 || runs[0].Conclusion != "action_required" {
		t.Errorf("new head: want one action_required check, got %+v", runs)
	}
}

func TestCompleteRecordPassesAndIncompleteOneFailsOnTheRightLine(t *testing.T) {
	w := newWorld(t, baseRecords(12))
	n := w.openPR("events", "Use Postgres for events", "", nil, "decision")
	w.label(n, "architecture")
	if got := w.check(n).Conclusion; got != "action_required" {
		t.Fatalf("before the record: %s", got)
	}

	path := "docs/adr/0013-use-postgres-for-events.md"
	w.push(n, map[string]string{path: record(13, "Use Postgres for events", nil, nil)})
	c := w.check(n)
	if c.Conclusion != "success" || !strings.Contains(c.Summary, path) {
		t.Fatalf("complete record: want success listing %s, got %s: %s", path, c.Conclusion, c.Summary)
	}
	body := w.sticky(n)
	if !strings.Contains(body, "Decision record ✅") || !strings.Contains(body, "/blob/"+w.head(n)+"/"+path) {
		t.Errorf("comment should confirm and link the file:\n%s", body)
	}
	if strings.Contains(body, "Template") {
		t.Errorf("confirmation still carries the template:\n%s", body)
	}

	// Drop Consequences and leave Decision empty.
	incomplete := record(13, "Use Postgres for events", []string{"Consequences"}, []string{"Decision"})
	w.push(n, map[string]string{path: incomplete})
	c = w.check(n)
	if c.Conclusion != "failure" {
		t.Fatalf("incomplete record: %s", c.Conclusion)
	}
	lineOf := func(prefix string) int {
		for i, l := range strings.Split(incomplete, "\n") {
			if strings.HasPrefix(l, prefix) {
				return i + 1
			}
		}
		t.Fatalf("no %q in the record", prefix)
		return 0
	}
	var missing, empty bool
	for _, a := range c.Annotations {
		if a.Path != path || a.Level != "failure" {
			continue
		}
		if strings.Contains(a.Message, `"Consequences" is missing`) && a.StartLine == lineOf("# 13.") {
			missing = true
		}
		if strings.Contains(a.Message, `"Decision" is empty`) && a.StartLine == lineOf("## Decision") {
			empty = true
		}
	}
	if !missing || !empty {
		t.Errorf("want a failure on the title line for the missing Consequences and one on the empty Decision heading; got %+v", c.Annotations)
	}
	if body := w.sticky(n); !strings.Contains(body, "needs work") || !strings.Contains(body, "Consequences") {
		t.Errorf("comment should list the problems:\n%s", body)
	}
}

func TestSkipCommandNeedsWriteAccess(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "rita", "read")
	n := w.openPR("deps", "Bump the HTTP client", "", nil, "decision")
	w.label(n, "decision")
	before := w.check(n)

	w.ResetCounts()
	id := w.comment(n, "rita", "/ADR skip it is only a bump")
	if runs := w.checks(w.head(n)); len(runs) != 1 || runs[0].Conclusion != "action_required" || runs[0].CompletedAt != before.CompletedAt {
		t.Errorf("a read-only user's skip must leave the check alone: %+v", runs)
	}
	var reply string
	for _, c := range w.Fake.Comments(org, "api", n) {
		if gh.HasMarker(c.Body, gh.Marker("adr", "reply", fmt.Sprint(id))) {
			reply = c.Body
		}
	}
	if !strings.Contains(reply, "@rita") || !strings.Contains(reply, "write access") {
		t.Errorf("want a polite refusal to rita, got %q", reply)
	}
	if wr := w.Writes(); len(wr) != 1 || wr[0].Action != "comment.create" {
		t.Errorf("refusal: want only the reply written, got %v", wr)
	}

	// Quoted or fenced commands are not commands.
	w.ResetCounts()
	w.comment(n, "carol", "> /adr skip because it is a dependency bump\n\n```\n/adr skip x\n```\n")
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("quoted command ran: %v", wr)
	}

	w.comment(n, "carol", "/adr skip because it is a dependency bump")
	c := w.check(n)
	if c.Conclusion != "neutral" || !strings.Contains(c.Summary, "@carol") || !strings.Contains(c.Summary, "because it is a dependency bump") {
		t.Fatalf("writer's skip: want neutral naming carol and the reason, got %s: %s", c.Conclusion, c.Summary)
	}
	// The skip survives a push: it lives in the sticky comment.
	w.push(n, map[string]string{"go.mod": "module api\n"})
	if c := w.check(n); c.Conclusion != "neutral" {
		t.Errorf("after a push the skip should still hold, got %s", c.Conclusion)
	}
	if body := w.sticky(n); !strings.Contains(body, "skipped") {
		t.Errorf("comment should say the record was skipped:\n%s", body)
	}
}

func TestSkipButtonNeedsWriteAccess(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "dave", "admin")
	w.Fake.SetPermission(org, "api", "rita", "read")
	n := w.openPR("deps", "Bump the HTTP client", "", nil, "decision")
	w.label(n, "decision")
	run := w.check(n)

	press := func(login string) {
		payload, err := w.Builder("api", login).CheckRun("requested_action", run.ID, adr.CheckName, run.HeadSHA, []int{n}, adr.ActionSkipID)
		if err != nil {
			t.Fatal(err)
		}
		w.Send("check_run", payload)
	}
	press("rita")
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("a read-only click must not skip: %s", c.Conclusion)
	}
	press("dave")
	c := w.check(n)
	if c.Conclusion != "neutral" || !strings.Contains(c.Summary, "@dave") {
		t.Fatalf("button: want neutral naming dave, got %s: %s", c.Conclusion, c.Summary)
	}
	if len(w.checks(run.HeadSHA)) != 1 {
		t.Errorf("the button should update the run in place")
	}

	// "Re-run" re-evaluates from GitHub: the skip holds and nothing changes.
	w.ResetCounts()
	payload, err := w.Builder("api", "alice").CheckRun("rerequested", run.ID, adr.CheckName, run.HeadSHA, []int{n}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.Send("check_run", payload)
	if c := w.check(n); c.Conclusion != "neutral" || len(w.Writes()) != 0 {
		t.Errorf("rerequested: want the skip kept and no write, got %s and %v", c.Conclusion, w.Writes())
	}
}

func TestUnlabelRetiresPromptAndCheck(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	n := w.openPR("x", "Switch queues", "", nil, "decision")
	w.label(n, "decision")
	w.unlabel(n, "decision")
	runs := w.checks(w.head(n))
	if len(runs) != 1 || runs[0].Conclusion != "neutral" {
		t.Fatalf("after unlabel: want the one check neutral, got %+v", runs)
	}
	if body := w.sticky(n); !strings.Contains(body, "no longer") {
		t.Errorf("comment should say the prompt no longer applies:\n%s", body)
	}
	// Ordinary events on a PR that is not a decision PR cost nothing.
	w.ResetCounts()
	w.Send("pull_request", w.PREvent("edited", "api", n))
	for route := range w.Calls.Calls() {
		if route != "GET /repos/{owner}/{repo}/contents/{path}" && route != "GET /repos/{owner}/{repo}" { // the shared policy read
			t.Errorf("non-decision PR event called %s", route)
		}
	}
}

func TestMADRTemplate(t *testing.T) {
	files := baseRecords(2)
	files[".github/overlap.yml"] = "adr:\n  template: madr\n  labels: [ADR]\n"
	w := newWorld(t, files)
	n := w.openPR("m", "ADR: Adopt OpenTelemetry", "", nil, "adr")
	w.label(n, "adr")
	body := w.sticky(n)
	for _, want := range []string{"docs/adr/0003-adopt-opentelemetry.md", "status: proposed", "## Context and Problem Statement", "## Considered Options", "## Decision Outcome", "### Consequences"} {
		if !strings.Contains(body, want) {
			t.Errorf("MADR prompt lacks %q:\n%s", want, body)
		}
	}
	path := "docs/adr/0003-adopt-opentelemetry.md"
	madr := "---\nstatus: accepted\ndate: 2026-11-24\n---\n\n# Adopt OpenTelemetry\n\n## Context and Problem Statement\n\nTraces are scattered.\n\n" +
		"## Considered Options\n\n* OpenTelemetry\n* Vendor agent\n\n## Decision Outcome\n\nChosen option: OpenTelemetry.\n\n### Consequences\n\n* Good, because portable.\n"
	w.push(n, map[string]string{path: madr})
	if c := w.check(n); c.Conclusion != "success" {
		t.Fatalf("complete MADR record: %s %+v", c.Conclusion, c.Annotations)
	}
	w.push(n, map[string]string{path: strings.Replace(madr, "### Consequences\n\n* Good, because portable.\n", "", 1)})
	c := w.check(n)
	if c.Conclusion != "failure" || len(c.Annotations) == 0 || !strings.Contains(c.Annotations[0].Message, "Consequences") || c.Annotations[0].StartLine != 6 {
		t.Errorf("MADR without Consequences: want a failure on the title (line 6), got %s %+v", c.Conclusion, c.Annotations)
	}
}

func TestNumberCollisions(t *testing.T) {
	w := newWorld(t, baseRecords(5))
	// Another open decision PR already claims 0006.
	other := w.openPR("other", "Use gRPC", "", map[string]string{"docs/adr/0006-use-grpc.md": record(6, "Use gRPC", nil, nil)}, "decision")
	w.label(other, "decision")
	if c := w.check(other); c.Conclusion != "success" {
		t.Fatalf("other PR: %s %+v", c.Conclusion, c.Annotations)
	}

	n := w.openPR("mine", "Use NATS", "", nil, "decision")
	w.label(n, "decision")
	if body := w.sticky(n); !strings.Contains(body, "docs/adr/0007-use-nats.md") {
		t.Errorf("the next number should skip the other PR's 0006:\n%s", body)
	}
	// A record reusing a base number fails.
	w.push(n, map[string]string{"docs/adr/0005-use-nats.md": record(5, "Use NATS", nil, nil)})
	c := w.check(n)
	if c.Conclusion != "failure" || !strings.Contains(c.Text+c.Summary, "already used") {
		t.Errorf("collision with the base: want failure, got %s\n%s\n%+v", c.Conclusion, c.Summary, c.Annotations)
	}
	// A record reusing the other PR's number passes with a warning.
	w.push(n, map[string]string{"docs/adr/0005-use-nats.md": "", "docs/adr/0006-use-nats.md": record(6, "Use NATS", nil, nil)})
	c = w.check(n)
	if c.Conclusion != "success" || !strings.Contains(w.sticky(n), "Another open PR adds 0006-use-grpc.md") {
		t.Errorf("collision with another PR: want success with a warning, got %s\n%s", c.Conclusion, w.sticky(n))
	}
}

func TestOddTitlesGiveValidFileNames(t *testing.T) {
	w := newWorld(t, baseRecords(1))
	valid := regexp.MustCompile("`docs/adr/(\\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\\.md)`")
	for i, title := range []string{
		"🚀 Move to ☁️ Kubernetes 🎉",
		strings.Repeat("Very long decision title ", 8), // 200 characters
		"?!… — ***",
	} {
		n := w.openPR(fmt.Sprintf("odd-%d", i), title, "", nil, "decision")
		w.label(n, "decision")
		m := valid.FindStringSubmatch(w.sticky(n))
		if m == nil {
			t.Errorf("%q: no valid kebab-case file name in the prompt:\n%s", title, w.sticky(n))
			continue
		}
		if len(m[1]) > 70 {
			t.Errorf("%q: file name too long: %s", title, m[1])
		}
	}
}

func TestLinkedRecordInAnotherRepository(t *testing.T) {
	files := baseRecords(2)
	files[".github/overlap.yml"] = "adr:\n  linked_repositories: [acme/platform]\n"
	w := newWorld(t, files)
	w.AddRepo("platform", map[string]string{"docs/adr/0003-use-kafka.md": record(3, "Use Kafka", nil, nil)})

	n := w.openPR("k", "Consume the orders topic", "Follows acme/platform:docs/adr/0009-missing.md", nil, "decision")
	w.label(n, "decision")
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Fatalf("a link to a record that does not exist must not satisfy the check: %s", c.Conclusion)
	}

	w.Fake.Commit(org, "api", "k", githubfake.CommitSpec{Files: map[string]string{"main.go": "package main // k2\n"}})
	// Editing the body to link an existing record satisfies the check.
	body := "Decided in https://github.com/acme/platform/blob/main/docs/adr/0003-use-kafka.md."
	payload := w.PREvent("edited", "api", n, func(p map[string]any) {
		p["pull_request"].(map[string]any)["body"] = body
	})
	w.Send("pull_request", payload)
	c := w.check(n)
	if c.Conclusion != "success" || !strings.Contains(c.Summary, "acme/platform:docs/adr/0003-use-kafka.md") {
		t.Errorf("linked record: want success naming it, got %s: %s", c.Conclusion, c.Summary)
	}
}

func TestSupersedingRecord(t *testing.T) {
	w := newWorld(t, baseRecords(4))
	n := w.openPR("s", "Replace the queue", "", nil, "decision")
	w.label(n, "decision")
	path := "docs/adr/0005-replace-the-queue.md"
	rec := strings.Replace(record(5, "Replace the queue", nil, nil), "Accepted\n", "Accepted\n\nSupersedes [ADR 42](0042-old-queue.md)\n", 1)
	w.push(n, map[string]string{path: rec})
	c := w.check(n)
	if c.Conclusion != "failure" || !strings.Contains(c.Text, "no record 0042") {
		t.Errorf("supersedes a missing record: want failure, got %s\n%s", c.Conclusion, c.Text)
	}
	rec = strings.Replace(rec, "[ADR 42](0042-old-queue.md)", "[ADR 3](0003-decision-number-3.md)", 1)
	w.push(n, map[string]string{path: rec})
	if c := w.check(n); c.Conclusion != "success" {
		t.Errorf("supersedes 0003: want success, got %s %+v", c.Conclusion, c.Annotations)
	}
	if body := w.sticky(n); !strings.Contains(body, "Superseded by") || !strings.Contains(body, "0003-decision-number-3.md") {
		t.Errorf("comment should remind to mark 0003 superseded:\n%s", body)
	}
}

func TestSweepCatchesUpMissedEvents(t *testing.T) {
	w := newWorld(t, baseRecords(12))
	n := w.openPR("missed", "Use Postgres for events", "", nil, "decision")
	plain := w.openPR("plain", "Fix a typo", "", nil)

	w.Sweep(time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), "adr")
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("sweep: %s", c.Conclusion)
	}
	if !strings.Contains(w.sticky(n), "0013-use-postgres-for-events.md") {
		t.Errorf("sweep prompt lacks the next file name")
	}
	if len(w.stickies(plain)) != 0 || len(w.checks(w.head(plain))) != 0 {
		t.Errorf("the sweep touched a PR without a decision label")
	}
	w.ResetCounts()
	w.Sweep(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), "adr")
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("a second sweep must write nothing, wrote %v", wr)
	}
}

// revisitProbe asks the feature for its tracking sections during a sweep,
// as the docs feature does.
type revisitProbe struct{ got []handlers.Section }

func (p *revisitProbe) Name() string     { return "revisit-probe" }
func (p *revisitProbe) Events() []string { return nil }
func (p *revisitProbe) Handle(context.Context, *handlers.Env, *handlers.Event) error {
	return nil
}
func (p *revisitProbe) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	var err error
	p.got, err = adr.Feature{}.TrackingSections(ctx, env, repo)
	return err
}

func TestRecordsPastTheirRevisitDateAreListed(t *testing.T) {
	files := baseRecords(3)
	files["docs/adr/0002-decision-number-2.md"] += "\nRevisit: 2026-11-01\n"
	files["docs/adr/0003-decision-number-3.md"] += "\nRevisit: 2027-06-01\n"
	files["docs/adr/0004-old.md"] = strings.Replace(record(4, "Old", nil, nil), "Accepted", "Superseded by [5](0005-x.md)", 1) + "\nRevisit: 2026-01-01\n"
	p := &revisitProbe{}
	w := newWorld(t, files, p)
	w.Sweep(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC), "revisit-probe")
	if len(p.got) != 1 || p.got[0].Title != adr.RevisitTitle || len(p.got[0].Lines) != 1 {
		t.Fatalf("want one section with one record (0002), got %+v", p.got)
	}
	line := p.got[0].Lines[0]
	if !strings.Contains(line, "Decision number 2") || !strings.Contains(line, "2026-11-01") || !strings.Contains(line, "/blob/main/docs/adr/0002-decision-number-2.md") {
		t.Errorf("line: %s", line)
	}
}

// TestEconomyLabeledEventOn200Records measures the API calls of one
// pull_request.labeled on a repository with 200 records (the figure in the
// package documentation).
func TestEconomyLabeledEventOn200Records(t *testing.T) {
	w := newWorld(t, baseRecords(200))
	n := w.openPR("big", "Use Postgres for events", "", nil)
	// The opened event warms the installation token and the policy cache:
	// the policy (none here) was read then and is not read again.
	w.Send("pull_request", w.PREvent("opened", "api", n))
	w.ResetCounts()
	w.label(n, "decision")
	if !strings.Contains(w.sticky(n), "0201-use-postgres-for-events.md") {
		t.Fatalf("wrong next number:\n%s", w.sticky(n))
	}
	// One read for the whole event: the PR snapshot (shared by every
	// feature: the PR, its files, comments and check runs) with the ADR
	// directory and the open decision PRs in the same GraphQL request.
	want := map[string]int{
		"POST /graphql": 1,
		"POST /repos/{owner}/{repo}/issues/{n}/comments": 1,
		"POST /repos/{owner}/{repo}/check-runs":          1,
	}
	got := w.Calls.Calls()
	total := 0
	for k, v := range got {
		total += v
		if want[k] != v {
			t.Errorf("%s: %d calls, want %d", k, v, want[k])
		}
	}
	for k, v := range want {
		if got[k] == 0 {
			t.Errorf("%s: no call, want %d", k, v)
		}
	}
	if total != 3 {
		t.Errorf("labeled on 200 records: %d calls, want 3: %v", total, got)
	}

	// Nothing changed: the same event again reads (the one snapshot) and
	// writes nothing.
	w.ResetCounts()
	w.label(n, "decision")
	if wr := w.Writes(); len(wr) != 0 || w.Calls.Total() != 1 || w.Calls.Calls()["POST /graphql"] != 1 {
		t.Errorf("unchanged state: %d calls, writes %v", w.Calls.Total(), wr)
	}
}
