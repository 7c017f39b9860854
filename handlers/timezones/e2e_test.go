package timezones_test

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/timezones"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

const (
	org  = apptest.Org
	repo = "api"
)

// The team of the issue: London (the team zone; carol), New York (alice)
// and Singapore (bob). Late November: London UTC+0, New York UTC-5,
// Singapore UTC+8.
const policy = `team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  people:
    alice: {timezone: America/New_York, working_hours: "08:00-16:00"}
    bob:   {timezone: Asia/Singapore}
    carol: {timezone: Europe/London}
`

// tue is the pinned clock: Tuesday 24 November 2026, 10:00 UTC.
var tue = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type world struct {
	*apptest.Harness
	t   *testing.T
	prs int
}

func newWorld(t *testing.T, pol string) *world {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{timezones.Feature{}}, Now: tue})
	h.AddRepo(repo, map[string]string{".github/overlap.yml": pol, "README.md": "# api\n"})
	return &world{Harness: h, t: t}
}

func iso(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// openPR opens a pull request by author with body (nothing is delivered).
func (w *world) openPR(author, body string) int {
	w.t.Helper()
	w.prs++
	branch := fmt.Sprintf("topic-%d", w.prs)
	w.Fake.Commit(org, repo, branch, githubfake.CommitSpec{Message: "change", Author: author, Files: map[string]string{"main.go": "package main // " + branch + "\n"}})
	n := w.Fake.OpenPR(org, repo, githubfake.PRSpec{Title: "Change", Body: body, Author: author, Head: branch})
	if n == 0 {
		w.t.Fatal("could not open the PR")
	}
	return n
}

// prEvent delivers pull_request.<action> for the PR as the fake has it,
// with its real created_at; extra patches the payload.
func (w *world) prEvent(action string, n int, extra ...func(map[string]any)) {
	w.t.Helper()
	info, _ := w.Fake.PR(org, repo, n)
	extra = append([]func(map[string]any){webhook.Set("pull_request.created_at", iso(info.CreatedAt))}, extra...)
	if st := w.Send("pull_request", w.PREvent(action, repo, n, extra...)); st != http.StatusAccepted {
		w.t.Fatalf("pull_request.%s answered %d", action, st)
	}
}

// editBody changes the PR body on GitHub and delivers pull_request.edited.
func (w *world) editBody(n int, body string) {
	w.t.Helper()
	old, _ := w.Fake.PR(org, repo, n)
	w.Fake.EditBody(org, repo, n, body)
	w.prEvent("edited", n, webhook.Set("changes", map[string]any{"body": map[string]any{"from": old.Body}}))
}

// comment posts a comment on PR n as author and delivers issue_comment.
func (w *world) comment(n int, author, body string) int64 {
	w.t.Helper()
	id := w.Fake.AddComment(org, repo, n, author, body)
	info, _ := w.Fake.PR(org, repo, n)
	p, err := w.Builder(repo, author).IssueComment("created", n, true, info.Title, info.Body, body, author, id,
		webhook.Set("issue.created_at", iso(info.CreatedAt)), webhook.Set("issue.user.login", info.Author))
	if err != nil {
		w.t.Fatal(err)
	}
	w.Send("issue_comment", p)
	return id
}

// sticky returns the app's timezones comments on issue or PR n.
func (w *world) sticky(n int) []githubfake.CommentInfo {
	var out []githubfake.CommentInfo
	for _, c := range w.Fake.Comments(org, repo, n) {
		if strings.HasPrefix(c.Body, timezones.Marker) && c.Author == "overlap[bot]" {
			out = append(out, c)
		}
	}
	return out
}

func (w *world) one(n int) string {
	w.t.Helper()
	cs := w.sticky(n)
	if len(cs) != 1 {
		w.t.Fatalf("want exactly one timezones comment on #%d, got %d: %+v", n, len(cs), cs)
	}
	return cs[0].Body
}

// calls returns the API calls since the last ResetCounts, without the
// installation token the app fetches on its first event.
func (w *world) calls() map[string]int {
	out := map[string]int{}
	for k, v := range w.Calls.Calls() {
		if !strings.Contains(k, "access_tokens") {
			out[k] = v
		}
	}
	return out
}

func (w *world) wantCalls(what string, want map[string]int) {
	w.t.Helper()
	got := w.calls()
	if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(want)) {
		w.t.Errorf("%s: API calls\n got %v\nwant %v", what, sorted(got), sorted(want))
	}
}

func sorted(m map[string]int) []string {
	var out []string
	for k, v := range m {
		if v != 0 {
			out = append(out, fmt.Sprintf("%s=%d", k, v))
		}
	}
	sort.Strings(out)
	return out
}

func mustContain(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("comment lacks %q:\n%s", p, body)
		}
	}
}

const (
	policyGET    = "GET /repos/{owner}/{repo}/contents/{path}"
	listComments = "GET /repos/{owner}/{repo}/issues/{n}/comments"
	listReviews  = "GET /repos/{owner}/{repo}/pulls/{n}/reviews"
	// readPR is the PR's shared snapshot: its comments and reviews in one
	// GraphQL request (handlers.Env.PullRequest), no REST listing.
	readPR        = "POST /graphql"
	createComment = "POST /repos/{owner}/{repo}/issues/{n}/comments"
	editComment   = "PATCH /repos/{owner}/{repo}/issues/comments/{n}"
	deleteComment = "DELETE /repos/{owner}/{repo}/issues/comments/{n}"
	graphql       = "POST /graphql"
)

// The issue's acceptance: "we ship Friday EOD" in a 3-timezone team gets one
// comment with the three conversions; editing the body updates that
// comment; a comment adding "call at 3pm" extends the list.
func TestPRBodyThenEditThenComment(t *testing.T) {
	w := newWorld(t, policy)
	n := w.openPR("carol", "Tidy the API.\n\nWe ship Friday EOD.")
	w.ResetCounts()
	w.prEvent("opened", n)

	body := w.one(n)
	mustContain(t, body,
		"“ship Friday EOD” (carol) → Fri 27 Nov 17:30 Europe/London = 12:30 America/New_York = Sat 28 Nov 01:30 Asia/Singapore",
		"outside working hours for bob (Asia/Singapore)")
	if strings.Contains(body, "@") {
		t.Errorf("the comment mentions someone:\n%s", body)
	}
	w.wantCalls("pull_request.opened", map[string]int{policyGET: 1, readPR: 1, createComment: 1})

	// Editing the body updates the same comment.
	w.ResetCounts()
	w.editBody(n, "Tidy the API.\n\nWe ship Thursday EOD.")
	body = w.one(n)
	mustContain(t, body, "“ship Thursday EOD” (carol) → Thu 26 Nov 17:30 Europe/London = 12:30 America/New_York = Fri 27 Nov 01:30 Asia/Singapore")
	if strings.Contains(body, "Friday") {
		t.Errorf("the edited-away phrase is still listed:\n%s", body)
	}
	w.wantCalls("pull_request.edited", map[string]int{readPR: 1, editComment: 1})

	// Alice (New York) asks for a call at 3pm: her 3pm, today, is 20:00 in
	// London and 04:00 tomorrow in Singapore. The list grows; still one
	// comment.
	w.ResetCounts()
	w.comment(n, "alice", "Can we do a call at 3pm to go over it?")
	body = w.one(n)
	mustContain(t, body,
		"“ship Thursday EOD” (carol)",
		"“at 3pm” (alice) → Tue 24 Nov 15:00 America/New_York = 20:00 Europe/London = Wed 25 Nov 04:00 Asia/Singapore",
		"outside working hours for carol (Europe/London), bob (Asia/Singapore)")
	if i, j := strings.Index(body, "Thursday"), strings.Index(body, "3pm"); i > j {
		t.Errorf("phrases should be listed in thread order:\n%s", body)
	}
	w.wantCalls("issue_comment.created on a PR", map[string]int{policyGET: 1, readPR: 1, editComment: 1})

	// A redelivery changes nothing and writes nothing.
	w.ResetCounts()
	w.prEvent("edited", n, webhook.Set("changes", map[string]any{"body": map[string]any{"from": "x"}}))
	w.one(n)
	w.wantCalls("redelivered edit", map[string]int{readPR: 1})

	// A title-only edit cannot change the phrases: no API call at all.
	w.ResetCounts()
	w.prEvent("edited", n, webhook.Set("changes", map[string]any{"title": map[string]any{"from": "Old"}}))
	w.wantCalls("title edit", map[string]int{})
}

// A phrase that already names a zone gets nothing; a thread whose phrases
// are all edited away loses the comment.
func TestZonedPhraseAndEditedAway(t *testing.T) {
	w := newWorld(t, policy)
	n := w.openPR("carol", "We ship Friday 17:00 UTC, demo at 3pm London time.")
	w.ResetCounts()
	w.prEvent("opened", n)
	if cs := w.sticky(n); len(cs) != 0 {
		t.Fatalf("a zoned phrase got a comment: %+v", cs)
	}
	w.wantCalls("opened, nothing to say", map[string]int{policyGET: 1, readPR: 1})

	w.editBody(n, "We ship Friday.")
	w.one(n)
	w.ResetCounts()
	w.editBody(n, "We ship Friday 17:00 UTC.")
	if cs := w.sticky(n); len(cs) != 0 {
		t.Errorf("the comment should be deleted once no phrase is left: %+v", cs)
	}
	w.wantCalls("edited away", map[string]int{readPR: 1, deleteComment: 1})
}

// Each phrase resolves at the time its text was written: re-reading the
// thread days later does not move "Friday" to next week.
func TestPhrasesResolveAtTheirOwnTime(t *testing.T) {
	w := newWorld(t, policy)
	n := w.openPR("carol", "We ship Friday.")
	w.prEvent("opened", n)
	// Saturday: bob (Singapore) writes; the body's Friday is still the 27th.
	w.Clock.Set(time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC))
	w.comment(n, "bob", "Sorry, I can look tomorrow morning.")
	body := w.one(n)
	mustContain(t, body,
		"“ship Friday” (carol) → Fri 27 Nov 17:30 Europe/London",
		// bob's tomorrow is Sunday 29th in Singapore, 09:00 there.
		"“look tomorrow morning” (bob) → Sun 29 Nov 09:00 Asia/Singapore = 01:00 Europe/London = Sat 28 Nov 20:00 America/New_York")
}

// Overlap's own comments and other bots' never count; a bot's comment
// costs no API call.
func TestBotsAreIgnored(t *testing.T) {
	w := newWorld(t, policy)
	n := w.openPR("carol", "Nothing timed here.")
	w.ResetCounts()
	w.comment(n, "dependabot[bot]", "I will rebase this on Friday at 3pm.")
	w.wantCalls("bot comment", map[string]int{})
	// A person quoting Overlap's marker is quoting, not writing a deadline.
	w.comment(n, "alice", timezones.Marker+"\n- “ship Friday EOD” (carol)")
	if cs := w.sticky(n); len(cs) != 0 {
		t.Errorf("bot or quoted text got a comment: %+v", cs)
	}
	w.comment(n, "alice", "Review tomorrow morning?")
	body := w.one(n)
	if strings.Contains(body, "3pm") || strings.Contains(body, "EOD") {
		t.Errorf("a bot's or a quoted phrase is listed:\n%s", body)
	}
}

// On an issue, one list of comments serves both the scan and the sticky
// lookup: an issue_comment event costs the policy read, one list and one
// write.
func TestIssueCommentEconomy(t *testing.T) {
	w := newWorld(t, policy)
	num := w.Fake.OpenIssue(org, repo, githubfake.IssueSpec{Title: "Outage review", Body: "Let's meet tomorrow morning.", Author: "alice"})
	b := w.Builder(repo, "alice")
	p, err := b.Issues("opened", num, "Outage review", "Let's meet tomorrow morning.", "alice", webhook.Set("issue.created_at", iso(tue)))
	if err != nil {
		t.Fatal(err)
	}
	w.ResetCounts()
	w.Send("issues", p)
	mustContain(t, w.one(num), "“meet tomorrow morning” (alice) → Wed 25 Nov 08:00 America/New_York = 13:00 Europe/London = 21:00 Asia/Singapore")
	w.wantCalls("issues.opened", map[string]int{policyGET: 1, listComments: 1, createComment: 1})

	id := w.Fake.AddComment(org, repo, num, "bob", "I can do Thursday 10:00.")
	p, err = w.Builder(repo, "bob").IssueComment("created", num, false, "Outage review", "Let's meet tomorrow morning.", "I can do Thursday 10:00.", "bob", id,
		webhook.Set("issue.created_at", iso(tue)), webhook.Set("issue.user.login", "alice"))
	if err != nil {
		t.Fatal(err)
	}
	w.ResetCounts()
	w.Send("issue_comment", p)
	mustContain(t, w.one(num), "“do Thursday 10:00” (bob) → Thu 26 Nov 10:00 Asia/Singapore = 02:00 Europe/London = Wed 25 Nov 21:00 America/New_York")
	w.wantCalls("issue_comment.created on an issue", map[string]int{listComments: 1, editComment: 1})
}

// A discussion body gets its comment through GraphQL; a new comment in the
// discussion updates it in place.
func TestDiscussion(t *testing.T) {
	w := newWorld(t, policy)
	num, _ := w.Fake.CreateDiscussion(org, repo, githubfake.DiscussionSpec{Title: "Release plan", Body: "Code freeze Friday EOD, release next week.", Author: "carol"})
	info, _ := w.Fake.Discussion(org, repo, num)
	d := webhook.Discussion{Number: num, DatabaseID: info.DatabaseID, NodeID: info.NodeID, Title: info.Title, Body: info.Body, Author: "carol", CreatedAt: info.CreatedAt}
	p, err := w.Builder(repo, "carol").Discussion("created", d)
	if err != nil {
		t.Fatal(err)
	}
	w.ResetCounts()
	w.Send("discussion", p)
	own := w.discussionComments(num)
	if len(own) != 1 {
		t.Fatalf("want one app comment in the discussion, got %+v", own)
	}
	mustContain(t, own[0].Body, timezones.Marker,
		"“freeze Friday EOD” (carol) → Fri 27 Nov 17:30 Europe/London = 12:30 America/New_York = Sat 28 Nov 01:30 Asia/Singapore",
		"“release next week” (carol) → Mon 30 Nov 09:00 Europe/London = 04:00 America/New_York = 17:00 Asia/Singapore")
	w.wantCalls("discussion.created", map[string]int{policyGET: 1, graphql: 2})
	first := own[0].NodeID

	cid := w.Fake.AddDiscussionComment(org, repo, num, githubfake.DiscussionCommentSpec{Author: "alice", Body: "Can we sync tonight?"})
	info, _ = w.Fake.Discussion(org, repo, num)
	var dbID int64
	for _, c := range info.Comments {
		if c.NodeID == cid {
			dbID = c.DatabaseID
		}
	}
	p, err = w.Builder(repo, "alice").DiscussionComment("created", d, webhook.DiscussionComment{DatabaseID: dbID, NodeID: cid, Body: "Can we sync tonight?", Author: "alice", CreatedAt: tue})
	if err != nil {
		t.Fatal(err)
	}
	w.ResetCounts()
	w.Send("discussion_comment", p)
	own = w.discussionComments(num)
	if len(own) != 1 {
		t.Fatalf("want still one app comment, got %+v", own)
	}
	mustContain(t, own[0].Body, "“freeze Friday EOD” (carol)", "“sync tonight” (alice) → Tue 24 Nov 20:00 America/New_York")
	if own[0].NodeID != first {
		t.Errorf("the comment was replaced (%s → %s), want it edited in place", first, own[0].NodeID)
	}
	w.wantCalls("discussion_comment.created", map[string]int{graphql: 2})
}

func (w *world) discussionComments(num int) []githubfake.DiscussionCommentInfo {
	info, _ := w.Fake.Discussion(org, repo, num)
	var out []githubfake.DiscussionCommentInfo
	for _, c := range info.Comments {
		if c.Author == "overlap[bot]" {
			out = append(out, c)
		}
	}
	return out
}

// timezones.mode: off and timezones.enabled: false silence the feature
// after the one policy read every feature shares.
func TestOptOut(t *testing.T) {
	for _, opt := range []string{"timezones:\n  mode: off\n", "timezones:\n  enabled: false\n"} {
		t.Run(strings.TrimSpace(strings.ReplaceAll(opt, "\n", " ")), func(t *testing.T) {
			w := newWorld(t, policy+opt)
			n := w.openPR("carol", "We ship Friday EOD.")
			w.ResetCounts()
			w.prEvent("opened", n)
			if cs := w.Fake.Comments(org, repo, n); len(cs) != 0 {
				t.Errorf("opted out, yet commented: %+v", cs)
			}
			w.wantCalls("opted out", map[string]int{policyGET: 1})
		})
	}
}

// A review's body is part of the PR thread.
func TestReviewBody(t *testing.T) {
	w := newWorld(t, policy)
	n := w.openPR("carol", "Small fix.")
	w.Fake.SubmitReview(org, repo, n, githubfake.ReviewSpec{User: "bob", State: "APPROVED", Body: "Looks good, merge tomorrow morning."})
	info, _ := w.Fake.PR(org, repo, n)
	p, err := w.Builder(repo, "bob").PullRequestReview("submitted", w.PR(repo, n), "bob", "approved", "Looks good, merge tomorrow morning.",
		webhook.Set("pull_request.created_at", iso(info.CreatedAt)))
	if err != nil {
		t.Fatal(err)
	}
	w.ResetCounts()
	w.Send("pull_request_review", p)
	mustContain(t, w.one(n), "“merge tomorrow morning” (bob) → Wed 25 Nov 09:00 Asia/Singapore = 01:00 Europe/London = Tue 24 Nov 20:00 America/New_York")
	w.wantCalls("pull_request_review.submitted", map[string]int{policyGET: 1, readPR: 1, createComment: 1})

	// An approval without a body cannot add a phrase: no call.
	p, _ = w.Builder(repo, "alice").PullRequestReview("submitted", w.PR(repo, n), "alice", "approved", "")
	w.ResetCounts()
	w.Send("pull_request_review", p)
	w.wantCalls("empty review", map[string]int{})
}

// Editing a comment re-reads it; deleting the only comment with a phrase
// deletes Overlap's comment.
func TestCommentEditedAndDeleted(t *testing.T) {
	w := newWorld(t, policy)
	num := w.Fake.OpenIssue(org, repo, githubfake.IssueSpec{Title: "Sync", Body: "When?", Author: "carol"})
	send := func(action string, id int64, body string) {
		t.Helper()
		p, err := w.Builder(repo, "alice").IssueComment(action, num, false, "Sync", "When?", body, "alice", id,
			webhook.Set("issue.created_at", iso(tue)), webhook.Set("issue.user.login", "carol"))
		if err != nil {
			t.Fatal(err)
		}
		w.Send("issue_comment", p)
	}
	id := w.Fake.AddComment(org, repo, num, "alice", "How about 3pm?")
	send("created", id, "How about 3pm?")
	mustContain(t, w.one(num), "“about 3pm” (alice) → Tue 24 Nov 15:00 America/New_York")

	w.Fake.EditComment(org, repo, id, "How about 4pm?")
	send("edited", id, "How about 4pm?")
	body := w.one(num)
	mustContain(t, body, "“about 4pm” (alice) → Tue 24 Nov 16:00 America/New_York")
	if strings.Contains(body, "3pm") {
		t.Errorf("the edited-away phrase is still listed:\n%s", body)
	}

	w.Fake.RemoveComment(org, repo, id)
	w.ResetCounts()
	send("deleted", id, "How about 4pm?")
	if cs := w.sticky(num); len(cs) != 0 {
		t.Errorf("no phrase is left, yet: %+v", cs)
	}
	w.wantCalls("issue_comment.deleted", map[string]int{listComments: 1, deleteComment: 1})
}
