package adr_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

const permissionRoute = "GET /repos/{owner}/{repo}/collaborators/{username}/permission"

// openPRBy opens a decision PR authored by author and delivers the label.
func (w *world) openPRBy(author, branch, title string) int {
	w.t.Helper()
	w.Fake.Commit(org, w.repo, branch, githubfake.CommitSpec{Message: title, Author: author,
		Files: map[string]string{"main.go": "package main // " + branch + "\n"}})
	n := w.Fake.OpenPR(org, w.repo, githubfake.PRSpec{Title: title, Author: author, Head: branch, Labels: []string{"decision"}})
	if n == 0 {
		w.t.Fatalf("could not open PR %q", title)
	}
	w.label(n, "decision")
	return n
}

// commentAs posts body on PR n as commenter and delivers issue_comment
// with sender as the event's sender; the payload's issue names the PR's
// author, as GitHub's does.
func (w *world) commentAs(n int, action, sender, commenter, body string) int64 {
	w.t.Helper()
	id := w.Fake.AddComment(org, w.repo, n, commenter, body)
	pr := w.PR(w.repo, n)
	payload, err := w.Builder(w.repo, sender).IssueComment(action, n, true, pr.Title, pr.Body, body, commenter, id, func(p map[string]any) {
		p["issue"].(map[string]any)["user"].(map[string]any)["login"] = pr.Author
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.Send("issue_comment", payload)
	return id
}

func (w *world) reply(n int, key ...string) string {
	marker := gh.Marker("adr", append([]string{"reply"}, key...)...)
	for _, c := range w.Fake.Comments(org, w.repo, n) {
		if c.Author == w.App.BotLogin() && gh.HasMarker(c.Body, marker) {
			return c.Body
		}
	}
	return ""
}

// GitHub's permission endpoint reports triage as "read" and maintain as
// "write"; Overlap reads role_name, so a triager is refused and a
// maintainer is not.
func TestTriagersSkipIsRefusedWithAReply(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "tess", "triage")
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("alice", "deps", "Bump the HTTP client")

	id := w.commentAs(n, "created", "tess", "tess", "/adr skip only a dependency bump")
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("a triager's skip must leave the check alone, got %s: %s", c.Conclusion, c.Summary)
	}
	if r := w.reply(n, fmt.Sprint(id)); !strings.Contains(r, "@tess") || !strings.Contains(r, "write access") {
		t.Errorf("want a refusal naming tess and the access needed, got %q", r)
	}

	w.commentAs(n, "created", "mia", "mia", "/adr skip only a dependency bump")
	if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "@mia") {
		t.Errorf("a maintainer's skip: want neutral naming mia, got %s: %s", c.Conclusion, c.Summary)
	}
}

// Waiving the check on one's own PR is a self-approval: a PR author with
// write access is refused (someone else may skip it), one with maintain
// or admin is not.
func TestAuthorWithWriteMayNotSkipTheirOwnPR(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "dave", "admin")
	mine := w.openPRBy("carol", "mine", "Switch the queue library")

	id := w.commentAs(mine, "created", "carol", "carol", "/adr skip trivial")
	if c := w.check(mine); c.Conclusion != "action_required" {
		t.Errorf("the author's own skip must not apply, got %s: %s", c.Conclusion, c.Summary)
	}
	if r := w.reply(mine, fmt.Sprint(id)); !strings.Contains(r, "your own pull request") || !strings.Contains(r, "maintain or admin") {
		t.Errorf("the refusal should say why, got %q", r)
	}
	// A racing replica re-derives skips from the comments by the same
	// rule: a push does not resurrect the author's command.
	w.push(mine, map[string]string{"go.mod": "module api\n"})
	if c := w.check(mine); c.Conclusion != "action_required" {
		t.Errorf("after a push the author's command must still not skip, got %s", c.Conclusion)
	}

	// The button, pressed by the author, is refused the same way.
	run := w.check(mine)
	payload, err := w.Builder("api", "carol").CheckRun("requested_action", run.ID, adr.CheckName, run.HeadSHA, []int{mine}, adr.ActionSkipID)
	if err != nil {
		t.Fatal(err)
	}
	w.Send("check_run", payload)
	if c := w.check(mine); c.Conclusion != "action_required" {
		t.Errorf("the author's button press must not skip, got %s", c.Conclusion)
	}
	if r := w.reply(mine, "button", "carol"); !strings.Contains(r, "@carol") || !strings.Contains(r, "your own pull request") {
		t.Errorf("want one reply to the author's press, got %q", r)
	}

	// Another writer (here an admin) may skip it; so may an admin on their own PR.
	w.commentAs(mine, "created", "dave", "dave", "/adr skip not a decision after all")
	if c := w.check(mine); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "@dave") {
		t.Errorf("another writer's skip: got %s: %s", c.Conclusion, c.Summary)
	}
	his := w.openPRBy("dave", "his", "Rename a flag")
	w.commentAs(his, "created", "dave", "dave", "/adr skip rename only")
	if c := w.check(his); c.Conclusion != "neutral" {
		t.Errorf("an admin's skip of their own PR: got %s: %s", c.Conclusion, c.Summary)
	}
}

// A fork PR's author has no write access: their press of the check's
// button (GitHub sends check_run requested_action with them as sender,
// and no pull_requests for a fork) is refused and the check is unchanged.
func TestForkAuthorsButtonPressIsRefused(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	w.Fake.SetPermission(org, "api", "forker", "none")
	n := w.openPRBy("forker", "fork", "Bump the client")
	run := w.check(n)

	w.ResetCounts()
	payload, err := w.Builder("api", "forker").CheckRun("requested_action", run.ID, adr.CheckName, run.HeadSHA, nil, adr.ActionSkipID)
	if err != nil {
		t.Fatal(err)
	}
	w.Send("check_run", payload)
	if c := w.check(n); c.Conclusion != "action_required" || c.CompletedAt != run.CompletedAt {
		t.Errorf("a fork author's press must leave the check alone, got %s: %s", c.Conclusion, c.Summary)
	}
	if r := w.reply(n, "button", "forker"); !strings.Contains(r, "@forker") || !strings.Contains(r, "write access") {
		t.Errorf("want a refusal to forker, got %q", r)
	}
	for _, wr := range w.Writes() {
		if wr.Action != "comment.create" {
			t.Errorf("only the refusal may be written, got %v", w.Writes())
		}
	}
}

// A bot's comment never triggers an action, whatever its permission and
// whoever sent the event (an admin editing a bot's comment included).
func TestBotsSkipIsIgnored(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	bot := "deploy-bot[bot]"
	w.Fake.SetPermission(org, "api", bot, "admin")
	w.Fake.SetPermission(org, "api", "dave", "admin")
	n := w.openPRBy("alice", "bump", "Bump the client")
	before := w.check(n)

	w.ResetCounts()
	w.commentAs(n, "created", bot, bot, "/adr skip automated bump")
	w.commentAs(n, "edited", "dave", bot, "/adr skip automated bump, edited by an admin")
	w.commentAs(n, "created", bot, bot, "/adr frobnicate")
	if c := w.check(n); c.Conclusion != "action_required" || c.CompletedAt != before.CompletedAt {
		t.Errorf("a bot's skip must be ignored, got %s: %s", c.Conclusion, c.Summary)
	}
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("a bot's command must get no reply and no write, got %v", wr)
	}
	if got := w.Fake.Calls()[permissionRoute]; got != 0 {
		t.Errorf("a bot's command must cost no permission read, got %d", got)
	}
}

// One permission read per person per event: a writer's skip re-derived
// alongside their fresh command costs one read.
func TestSkipCostsOnePermissionReadPerPerson(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	w.Fake.SetPermission(org, "api", "carol", "write")
	n := w.openPRBy("alice", "bump", "Bump the client")
	w.ResetCounts()
	w.Fake.ResetCalls()
	w.commentAs(n, "created", "carol", "carol", "/adr skip dependency bump")
	if c := w.check(n); c.Conclusion != "neutral" {
		t.Fatalf("writer's skip: %s", c.Conclusion)
	}
	if got := w.Fake.Calls()[permissionRoute]; got != 1 {
		t.Errorf("want one permission read for the event, got %d", got)
	}
}
