package adr_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// Bypasses of the "Decision record" check found in review (issue 8), each
// end to end against the emulator.

// editAs edits comment id (authored by author) into to as editor, and
// delivers issue_comment.edited with editor as the sender, as GitHub does.
// The clock moves first: an edit is later than the comment it edits.
func (w *world) editAs(n int, id int64, editor, author, from, to string) {
	w.t.Helper()
	w.Clock.Advance(time.Minute)
	w.Fake.EditComment(org, w.repo, id, to)
	pr := w.PR(w.repo, n)
	payload, err := w.Builder(w.repo, editor).IssueComment("edited", n, true, pr.Title, pr.Body, to, author, id, func(p map[string]any) {
		p["issue"].(map[string]any)["user"].(map[string]any)["login"] = pr.Author
		p["changes"] = map[string]any{"body": map[string]any{"from": from}}
	})
	if err != nil {
		w.t.Fatal(err)
	}
	w.Send("issue_comment", payload)
}

// press delivers a press of the skip button on run as login.
func (w *world) press(login string, run githubfake.CheckRunInfo, prs []int) {
	w.t.Helper()
	payload, err := w.Builder(w.repo, login).CheckRun("requested_action", run.ID, adr.CheckName, run.HeadSHA, prs, adr.ActionSkipID)
	if err != nil {
		w.t.Fatal(err)
	}
	w.Send("check_run", payload)
}

// A PR author with write (not allowed to skip their own PR) edits a
// maintainer's innocuous comment into "/adr skip ...": GitHub lets any
// writer edit anyone's comment. The command is the author's and the
// editor's; the editor may not skip, so nothing is skipped, neither on the
// edit's delivery nor when a later push re-derives the skip from the
// comments.
func TestEditingSomeoneElsesCommentIntoASkipDoesNotSkip(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("carol", "mine", "Switch the queue library")
	id := w.commentAs(n, "created", "mia", "mia", "Looks good, thanks!")
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Fatalf("precondition: %s", c.Conclusion)
	}
	w.editAs(n, id, "carol", "mia", "Looks good, thanks!", "/adr skip trivial")
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("carol (write) skipped her own PR by editing mia's comment: %s: %s", c.Conclusion, c.Summary)
	}
	if r := w.reply(n, strconv.FormatInt(id, 10)); !strings.Contains(r, "@carol") || !strings.Contains(r, "your own pull request") {
		t.Errorf("the editor should be told why the edit skips nothing, got %q", r)
	}
	w.push(n, map[string]string{"go.mod": "module api\n"})
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("after a push (the skip derived from the comments): %s: %s", c.Conclusion, c.Summary)
	}
}

// The same edit of a maintainer's real skip command takes the skip away
// rather than keeping it under the maintainer's name.
func TestEditingAMaintainersSkipCommandTakesTheSkipBack(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("carol", "mine", "Switch the queue library")
	id := w.commentAs(n, "created", "mia", "mia", "/adr skip dependency bump")
	if c := w.check(n); c.Conclusion != "neutral" {
		t.Fatalf("precondition: mia's skip: %s", c.Conclusion)
	}
	w.editAs(n, id, "carol", "mia", "/adr skip dependency bump", "/adr skip dependency bump, and the new queue")
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("carol's edit of mia's command kept a skip: %s: %s", c.Conclusion, c.Summary)
	}
	w.push(n, map[string]string{"go.mod": "module api\n"})
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("after a push: %s: %s", c.Conclusion, c.Summary)
	}
}

// A writer's edit of their own command, or a maintainer's edit of another
// writer's comment into a skip, counts (author and editor may both skip),
// and survives later pushes: the sealed state carries the editor, verified
// when the edit was handled, and the body's digest.
func TestAMaintainersEditIsTheirSkipAndSurvivesAPush(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("alice", "bump", "Bump the client")
	id := w.commentAs(n, "created", "carol", "carol", "/adr skip dependency bmup")
	w.editAs(n, id, "carol", "carol", "/adr skip dependency bmup", "/adr skip dependency bump")
	if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "dependency bump") {
		t.Fatalf("carol's own edit: %s: %s", c.Conclusion, c.Summary)
	}
	w.push(n, map[string]string{"go.sum": "x\n"})
	if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "dependency bump") {
		t.Errorf("after a push: %s: %s", c.Conclusion, c.Summary)
	}
	w.Fake.SetPermission(org, "api", "wes", "write")
	other := w.commentAs(n, "created", "wes", "wes", "Is this only a bump?")
	w.editAs(n, other, "mia", "wes", "Is this only a bump?", "/adr skip only a bump, checked")
	if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "only a bump, checked") {
		t.Errorf("mia's edit of wes's comment: %s: %s", c.Conclusion, c.Summary)
	}
	w.push(n, map[string]string{"go.sum": "y\n"})
	if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "only a bump, checked") {
		t.Errorf("mia's edit after a push: %s: %s", c.Conclusion, c.Summary)
	}
}

// A skip taken back (its command deleted) does not come back when someone
// who can edit Overlap's sticky comment (any writer, e.g. the PR's own
// author) pastes the old sealed line back from the comment's edit history:
// a kept skip holds only while its command is still on the PR.
func TestARevokedSkipDoesNotComeBackFromAnOldStateLine(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("carol", "mine", "Switch the queue library")
	id := w.commentAs(n, "created", "mia", "mia", "/adr skip trivial")
	if c := w.check(n); c.Conclusion != "neutral" {
		t.Fatalf("precondition: %s", c.Conclusion)
	}
	lines := strings.Split(strings.TrimSpace(w.sticky(n)), "\n")
	sealed := lines[len(lines)-1]
	pr := w.PR("api", n)
	w.Fake.RemoveComment(org, "api", id)
	del, err := w.Builder("api", "mia").IssueComment("deleted", n, true, pr.Title, pr.Body, "/adr skip trivial", "mia", id)
	if err != nil {
		t.Fatal(err)
	}
	w.Send("issue_comment", del)
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Fatalf("after delete: %s", c.Conclusion)
	}
	st := w.stickies(n)[0]
	w.Fake.EditComment(org, "api", st.ID, strings.TrimRight(st.Body, "\n")+"\n\n"+sealed+"\n")
	w.push(n, map[string]string{"go.mod": "module api\n"})
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("the revoked skip came back: %s: %s", c.Conclusion, c.Summary)
	}
}

// A `created` delivery that arrives after its comment was deleted (GitHub
// delivers out of order; Overlap's redelivery re-sends failed deliveries
// later; a captured payload replayed) applies nothing: the command is read
// from the comment as GitHub has it now.
func TestALateCreatedDeliveryOfADeletedCommandSkipsNothing(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("alice", "mine", "Switch the queue library")
	body := "/adr skip trivial"
	id := w.Fake.AddComment(org, "api", n, "mia", body)
	pr := w.PR("api", n)
	created, err := w.Builder("api", "mia").IssueComment("created", n, true, pr.Title, pr.Body, body, "mia", id, func(p map[string]any) {
		p["issue"].(map[string]any)["user"].(map[string]any)["login"] = pr.Author
	})
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := w.Builder("api", "mia").IssueComment("deleted", n, true, pr.Title, pr.Body, body, "mia", id)
	if err != nil {
		t.Fatal(err)
	}
	w.Fake.RemoveComment(org, "api", id)
	w.Send("issue_comment", deleted)
	w.Send("issue_comment", created)
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("the deleted command was applied: %s: %s", c.Conclusion, c.Summary)
	}
	w.push(n, map[string]string{"go.mod": "module api\n"})
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("after a push: %s: %s", c.Conclusion, c.Summary)
	}
}

// A delivery of an older version of a comment (it was edited since) is
// left to the edit's own delivery: the payload's body is not trusted.
func TestAStaleDeliveryOfAnEditedCommentIsNotApplied(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "carol", "write")
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("carol", "mine", "Switch the queue library")
	body := "/adr skip trivial"
	id := w.Fake.AddComment(org, "api", n, "mia", body)
	pr := w.PR("api", n)
	created, err := w.Builder("api", "mia").IssueComment("created", n, true, pr.Title, pr.Body, body, "mia", id, func(p map[string]any) {
		p["issue"].(map[string]any)["user"].(map[string]any)["login"] = pr.Author
	})
	if err != nil {
		t.Fatal(err)
	}
	w.Clock.Advance(time.Minute)
	w.Fake.EditComment(org, "api", id, "/adr skip trivial, says carol")
	w.Send("issue_comment", created)
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("a stale created delivery applied the skip over carol's edit: %s: %s", c.Conclusion, c.Summary)
	}
}

// A skip holds only while its giver may still skip: access taken away
// takes the skip away at the next reconcile.
func TestASkipGoesWhenItsGiverLosesAccess(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("alice", "mine", "Switch the queue library")
	w.commentAs(n, "created", "mia", "mia", "/adr skip trivial")
	if c := w.check(n); c.Conclusion != "neutral" {
		t.Fatalf("precondition: %s", c.Conclusion)
	}
	w.Fake.SetPermission(org, "api", "mia", "read")
	w.push(n, map[string]string{"go.mod": "module api\n"})
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("mia's skip outlived her access: %s: %s", c.Conclusion, c.Summary)
	}
}

// A deleted command on a closed PR is not ignored: its reply goes.
func TestDeletingACommandOnAClosedPRRemovesItsReply(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "rita", "read")
	n := w.openPRBy("alice", "mine", "Switch the queue library")
	body := "/adr skip trivial"
	id := w.commentAs(n, "created", "rita", "rita", body)
	if !hasReply(w, n) {
		t.Fatalf("precondition: rita's command was not answered")
	}
	w.Fake.ClosePR(org, "api", n)
	w.Fake.RemoveComment(org, "api", id)
	pr := w.PR("api", n)
	del, err := w.Builder("api", "rita").IssueComment("deleted", n, true, pr.Title, pr.Body, body, "rita", id,
		webhook.Set("issue.state", "closed"))
	if err != nil {
		t.Fatal(err)
	}
	w.Send("issue_comment", del)
	if hasReply(w, n) {
		t.Errorf("the reply to a deleted command stayed on the closed PR")
	}
}

func hasReply(w *world, n int) bool {
	for _, c := range w.Fake.Comments(org, w.repo, n) {
		if c.Author == w.App.BotLogin() && strings.Contains(c.Body, "overlap:adr:reply:") {
			return true
		}
	}
	return false
}

// A PR author adds an ADR of 512 KB of empty "## a" headings: checking it
// was O(sections²) (20 s for one delivery). It is linear now (its speed is
// held by BenchmarkCheckHostile1MB; a test does not time a busy machine),
// and the check it gets stays readable: at most one file's cap of
// annotations.
func TestAHugeRecordOfEmptySectionsIsCheckedQuickly(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	rec := "# 4. Big\n\n## Status\n\nAccepted\n\n" + strings.Repeat("## a\n", (512<<10)/5)
	n := w.openPR("big", "Big record", "", map[string]string{"docs/adr/0004-big.md": rec}, "decision")
	w.label(n, "decision")
	c := w.check(n)
	if len(c.Annotations) > adr.MaxAnnotationsPerFile+5 {
		t.Errorf("%d annotations for one file", len(c.Annotations))
	}
}

// Check runs belong to a commit, not a PR. A fork author opens a PR at the
// same head SHA as a benign PR a maintainer is about to waive: a press on
// the shared run skips neither (each is asked for `/adr skip` on the PR
// meant), and nothing carries over to the twin's later pushes.
func TestTheButtonDoesNotSkipATwinPRAtTheSameCommit(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	w.Fake.SetPermission(org, "api", "mallory", "none")
	spec := githubfake.CommitSpec{Message: "bump", Author: "alice", Files: map[string]string{"go.sum": "x\n"}}
	w.Fake.Commit(org, "api", "bump", spec)
	w.Fake.Commit(org, "api", "twin", spec)
	if w.Fake.Branch(org, "api", "bump") != w.Fake.Branch(org, "api", "twin") {
		t.Fatal("could not make twin SHAs")
	}
	benign := w.Fake.OpenPR(org, "api", githubfake.PRSpec{Title: "Bump", Author: "alice", Head: "bump", Labels: []string{"decision"}})
	w.label(benign, "decision")
	evil := w.Fake.OpenPR(org, "api", githubfake.PRSpec{Title: "Bump too", Author: "mallory", Head: "twin", Labels: []string{"decision"}})
	w.label(evil, "decision")
	w.press("mia", w.check(benign), nil)
	for _, n := range []int{benign, evil} {
		if c := w.check(n); c.Conclusion != "action_required" {
			t.Errorf("#%d: a press on a commit shared by two PRs skipped: %s: %s", n, c.Conclusion, c.Summary)
		}
		if r := w.reply(n, "button", "mia"); !strings.Contains(r, "/adr skip") || !strings.Contains(r, "more than one open pull request") {
			t.Errorf("#%d: want a reply asking for /adr skip, got %q", n, r)
		}
	}
	w.Fake.PushPR(org, "api", evil, githubfake.CommitSpec{Message: "real change", Author: "mallory", Files: map[string]string{"db.go": "package db // switch to Mongo\n"}})
	w.Send("pull_request", w.PREvent("synchronize", "api", evil))
	if c := w.check(evil); c.Conclusion != "action_required" {
		t.Errorf("mallory's twin PR after pushing: %s: %s", c.Conclusion, c.Summary)
	}
	// With the twin gone from the commit, the press works on the PR alone.
	w.press("mia", w.check(benign), nil)
	if c := w.check(benign); c.Conclusion != "neutral" {
		t.Errorf("a press on a commit only one PR has: %s: %s", c.Conclusion, c.Summary)
	}
}

// A button skip is bound to the commit it was pressed on, like GitHub's
// "dismiss stale approvals": a push asks again (a command skip, which
// names its reason in the conversation, stays).
func TestAButtonSkipHoldsForTheCommitItWasPressedOn(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	w.Fake.SetPermission(org, "api", "mia", "maintain")
	n := w.openPRBy("alice", "deps", "Bump the HTTP client")
	w.press("mia", w.check(n), []int{n})
	if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "@mia") {
		t.Fatalf("press: %s: %s", c.Conclusion, c.Summary)
	}
	// Re-run on the same commit keeps it.
	payload, err := w.Builder("api", "alice").CheckRun("rerequested", w.check(n).ID, adr.CheckName, w.head(n), []int{n}, "")
	if err != nil {
		t.Fatal(err)
	}
	w.Send("check_run", payload)
	if c := w.check(n); c.Conclusion != "neutral" {
		t.Errorf("re-run on the pressed commit: %s", c.Conclusion)
	}
	w.push(n, map[string]string{"db.go": "package db // switch to Mongo\n"})
	if c := w.check(n); c.Conclusion != "action_required" {
		t.Errorf("a push after the press: %s: %s", c.Conclusion, c.Summary)
	}
}
