package reviews_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/reviews"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// The team is reviews.TeamYAML (decide_test.go): London (carol, the team
// zone), New York (alice), Singapore (bob).
const policy = reviews.TeamYAML + `reviews:
  first_response: 4h
  urgent_label: urgent
  urgent_first_response: 1h
  remind_every: 1d
  max_reminders: 2
  escalate_after: 2
  escalate_to: "@acme/leads"
`

const repo = "api"

// utc is an instant on a November 2026 day (Monday 23 = day 23).
func utc(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, time.UTC) }

type world struct {
	*apptest.Harness
	t *testing.T
}

func newWorld(t *testing.T, start time.Time) *world {
	t.Helper()
	return newWorldWith(t, start, map[string]string{".github/overlap.yml": policy})
}

func newWorldWith(t *testing.T, start time.Time, files map[string]string) *world {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{reviews.New()}, Now: start})
	files["README.md"], files["src/app.go"] = "# api\n", "package app\n"
	h.AddRepo(repo, files)
	for _, l := range []string{"alice", "bob", "carol", "dave", "erin"} {
		h.Fake.AddUser(l, "")
	}
	h.Fake.AddTeam(apptest.Org, "leads", []string{"erin"})
	h.Fake.AddTeam(apptest.Org, "platform", []string{"alice", "carol"})
	return &world{Harness: h, t: t}
}

// openPR opens a PR by dave and requests reviewers at the given instant.
func (w *world) openPR(title string, at time.Time, users, teams []string, labels ...string) int {
	w.t.Helper()
	branch := fmt.Sprintf("feature-%d", at.UnixNano())
	w.Fake.Commit(apptest.Org, repo, branch, githubfake.CommitSpec{Message: "change", Author: "dave",
		Files: map[string]string{"src/app.go": "package app // " + title + "\n"}})
	n := w.Fake.OpenPR(apptest.Org, repo, githubfake.PRSpec{Title: title, Author: "dave", Head: branch, Labels: labels, CreatedAt: at})
	w.Fake.RequestReviewers(apptest.Org, repo, n, githubfake.ReviewRequestSpec{Users: users, Teams: teams, At: at})
	return n
}

// pings returns the app's reviews comments on PR n.
func (w *world) pings(n int) []githubfake.CommentInfo {
	var out []githubfake.CommentInfo
	for _, c := range w.Fake.Comments(apptest.Org, repo, n) {
		if strings.HasPrefix(c.Body, "<!-- overlap:reviews:") {
			out = append(out, c)
		}
	}
	return out
}

func (w *world) sweepAt(at time.Time) {
	w.t.Helper()
	w.Sweep(at, "reviews")
}

func (w *world) expectPings(n, want int, when string) []githubfake.CommentInfo {
	w.t.Helper()
	got := w.pings(n)
	if len(got) != want {
		var bodies []string
		for _, c := range got {
			bodies = append(bodies, c.Body)
		}
		w.t.Fatalf("%s: PR #%d has %d review comments, want %d:\n%s", when, n, len(got), want, strings.Join(bodies, "\n---\n"))
	}
	return got
}

func TestFiveHourOldRequestGetsExactlyOneNudgeAtAnAllowedTime(t *testing.T) {
	// alice (New York) is asked Monday 08:00 her time (13:00 UTC).
	w := newWorld(t, utc(23, 13, 0))
	n := w.openPR("Add retries", utc(23, 13, 0), []string{"alice"}, nil)

	w.sweepAt(utc(23, 16, 0)) // 11:00 New York: 3h of her working time
	w.expectPings(n, 0, "3 working hours")
	w.sweepAt(utc(23, 18, 0)) // 13:00 New York: 5h, between her focus blocks
	got := w.expectPings(n, 1, "5 working hours")
	body := got[0].Body
	wantMarker := "<!-- overlap:reviews:alice:2026-11-23T13:00:00Z -->"
	if !strings.HasPrefix(body, wantMarker) {
		t.Errorf("nudge marker: got %q, want prefix %q", body, wantMarker)
	}
	for _, want := range []string{"@alice", "on Mon 23 Nov at 08:00 America/New_York", "(Mon 23 Nov at 13:00 Europe/London)", "longer than the team's norm for a first response, 4h of your working time"} {
		if !strings.Contains(body, want) {
			t.Errorf("nudge should contain %q:\n%s", want, body)
		}
	}
	if strings.Count(body, "@") != 1 {
		t.Errorf("the nudge must mention only the reviewer:\n%s", body)
	}
	// Repeated sweeps (and the same sweep twice) never duplicate.
	for _, at := range []time.Time{utc(23, 18, 0), utc(23, 18, 15), utc(23, 20, 0), utc(23, 23, 0)} {
		w.sweepAt(at)
	}
	w.expectPings(n, 1, "after repeated sweeps")
}

func TestNoNudgeInFocusBlockThenOneWhenItEnds(t *testing.T) {
	// carol (London) is asked Monday 09:00; the norm runs out at 13:00.
	w := newWorld(t, utc(23, 9, 0))
	n := w.openPR("Tidy config", utc(23, 9, 0), []string{"carol"}, nil)
	for _, at := range []time.Time{utc(23, 12, 0), utc(23, 14, 0), utc(23, 15, 59)} {
		w.sweepAt(at) // 14:00-16:00 is her focus block
	}
	w.expectPings(n, 0, "during carol's focus block")
	w.sweepAt(utc(23, 16, 0))
	got := w.expectPings(n, 1, "when the focus block ends")
	if !strings.Contains(got[0].Body, "@carol") || strings.Contains(got[0].Body, "(Mon") {
		t.Errorf("carol's nudge shows London time once (her zone is the team's):\n%s", got[0].Body)
	}
	w.sweepAt(utc(23, 16, 0))
	w.expectPings(n, 1, "second sweep at the same instant")
}

func TestNoNudgeAtNight(t *testing.T) {
	// bob (Singapore) is asked Monday 09:00 his time (01:00 UTC); the norm
	// runs out at 13:00 SGT. Nobody swept during his day; at 22:00 SGT the
	// request is overdue but it is night for him.
	w := newWorld(t, utc(23, 1, 0))
	n := w.openPR("Bump deps", utc(23, 1, 0), []string{"bob"}, nil)
	w.sweepAt(utc(23, 14, 0)) // 22:00 Singapore
	w.sweepAt(utc(23, 20, 0)) // 04:00 Singapore
	w.expectPings(n, 0, "Singapore night")
	w.sweepAt(utc(24, 1, 0)) // Tuesday 09:00 Singapore
	got := w.expectPings(n, 1, "bob's next morning")
	if !strings.Contains(got[0].Body, "on Mon 23 Nov at 09:00 Asia/Singapore") {
		t.Errorf("the request time should be in bob's zone:\n%s", got[0].Body)
	}
}

func TestUrgentPiercesFocusBlockAfterOneHour(t *testing.T) {
	// Tuesday 09:00 London, carol: a normal and an urgent request.
	w := newWorld(t, utc(24, 9, 0))
	normal := w.openPR("Refactor logging", utc(24, 9, 0), []string{"carol"}, nil)
	urgent := w.openPR("Fix login outage", utc(24, 9, 0), []string{"carol"}, nil, "urgent")
	w.sweepAt(utc(24, 9, 50)) // 50m: under the urgent norm
	w.expectPings(urgent, 0, "50 minutes")
	w.sweepAt(utc(24, 10, 5)) // 1h05 of working time, inside the 09:30-11:30 focus block
	got := w.expectPings(urgent, 1, "urgent after 1h in a focus block")
	if !strings.Contains(got[0].Body, "urgent") {
		t.Errorf("the urgent nudge should say so:\n%s", got[0].Body)
	}
	w.expectPings(normal, 0, "normal request in the focus block")

	// Adding the urgent label to the other PR nudges at once, through the event.
	w.Clock.Set(utc(24, 10, 10))
	w.Fake.AddLabels(apptest.Org, repo, normal, "urgent")
	payload, err := w.Builder(repo, "dave").PullRequestLabeled("labeled", w.PR(repo, normal), "urgent")
	if err != nil {
		t.Fatal(err)
	}
	w.Send("pull_request", payload)
	w.expectPings(normal, 1, "after the urgent label")
}

func TestReviewClearsTheNudge(t *testing.T) {
	w := newWorld(t, utc(23, 13, 0))
	n := w.openPR("Add retries", utc(23, 13, 0), []string{"alice"}, nil)
	w.sweepAt(utc(23, 18, 0))
	w.expectPings(n, 1, "nudge")

	w.Clock.Set(utc(23, 18, 30))
	w.Fake.SubmitReview(apptest.Org, repo, n, githubfake.ReviewSpec{User: "alice", State: "APPROVED"})
	payload, err := w.Builder(repo, "alice").PullRequestReview("submitted", w.PR(repo, n), "alice", "approved", "")
	if err != nil {
		t.Fatal(err)
	}
	w.Send("pull_request_review", payload)
	got := w.expectPings(n, 1, "after the review")
	if !strings.Contains(got[0].Body, "reviewed on Mon 23 Nov at 13:30 America/New_York") || strings.Contains(got[0].Body, "@alice") {
		t.Errorf("the nudge should now say the review came, without pinging alice again:\n%s", got[0].Body)
	}
	// No reminder the next day or after: the wait is over.
	for _, at := range []time.Time{utc(24, 18, 0), utc(25, 18, 0), utc(26, 18, 0)} {
		w.sweepAt(at)
	}
	if got2 := w.expectPings(n, 1, "sweeps after the review"); got2[0].Body != got[0].Body {
		t.Errorf("sweeps changed the resolved nudge:\n%s", got2[0].Body)
	}
	// The weekly figure on /metrics: 08:00 → 13:30 New York is 5.5 working hours.
	resp, err := http.Get(w.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	metrics, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`overlap_review_first_response_working_hours{quantile="0.5",repo="acme/api"} 5.5`,
		`overlap_review_first_response_working_hours{quantile="0.9",repo="acme/api"} 5.5`,
		`overlap_review_first_response_samples{repo="acme/api"} 1`,
	} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestRemindersThenEscalationOnce(t *testing.T) {
	w := newWorld(t, utc(23, 9, 0))
	n := w.openPR("Rework cache", utc(23, 9, 0), []string{"carol"}, nil)
	w.sweepAt(utc(23, 16, 0))
	w.expectPings(n, 1, "Monday: nudge")
	w.sweepAt(utc(24, 12, 0)) // under a day since the nudge
	w.expectPings(n, 1, "Tuesday noon: no reminder yet")
	w.sweepAt(utc(24, 16, 0))
	got := w.expectPings(n, 2, "Tuesday: reminder 1")
	if !strings.Contains(got[1].Body, "reminder 1 of 2") || !strings.Contains(got[1].Body, ":reminder-1 -->") {
		t.Errorf("reminder 1:\n%s", got[1].Body)
	}
	w.sweepAt(utc(25, 16, 0))
	w.expectPings(n, 3, "Wednesday: reminder 2")
	if pr, _ := w.Fake.PR(apptest.Org, repo, n); containsFold(pr.Requested, "acme/leads") {
		t.Fatal("escalated too early")
	}
	w.ResetCounts()
	w.sweepAt(utc(26, 16, 0))
	got = w.expectPings(n, 4, "Thursday: escalation")
	esc := got[3].Body
	if !strings.Contains(esc, ":escalation -->") || !strings.Contains(esc, "`acme/leads`") || !strings.Contains(esc, "2 reminders") {
		t.Errorf("escalation comment:\n%s", esc)
	}
	if strings.Contains(esc, "@") && !strings.Contains(esc, "<!--") {
		t.Errorf("the escalation comment should mention nobody:\n%s", esc)
	}
	if pr, _ := w.Fake.PR(apptest.Org, repo, n); !containsFold(pr.Requested, "acme/leads") {
		t.Errorf("leads were not requested: %v", pr.Requested)
	}
	if c := w.Calls.Calls()["POST /repos/{owner}/{repo}/pulls/{n}/requested_reviewers"]; c != 1 {
		t.Errorf("review requests on escalation: %d, want 1", c)
	}
	for _, at := range []time.Time{utc(27, 16, 0), utc(30, 16, 0), utc(30, 16, 5)} {
		w.sweepAt(at)
	}
	// carol's request is done with: nudge, 2 reminders, one escalation. The
	// leads now have a request of their own, which follows the norm like
	// any other (but never escalates to itself).
	var carols int
	for _, c := range w.pings(n) {
		if strings.HasPrefix(c.Body, "<!-- overlap:reviews:carol:") {
			carols++
		}
		if strings.Contains(c.Body, ":escalation -->") && !strings.HasPrefix(c.Body, "<!-- overlap:reviews:carol:") {
			t.Errorf("the escalation target escalated to itself:\n%s", c.Body)
		}
	}
	if carols != 4 {
		t.Errorf("carol's request has %d comments after more sweeps, want 4", carols)
	}
	if c := w.Calls.Calls()["POST /repos/{owner}/{repo}/pulls/{n}/requested_reviewers"]; c != 1 {
		t.Errorf("review requests after more sweeps: %d, want still 1", c)
	}
}

func TestBusyStatusSuppressesTheNudge(t *testing.T) {
	w := newWorld(t, utc(23, 9, 0))
	n := w.openPR("Tidy config", utc(23, 9, 0), []string{"carol"}, nil)
	w.Fake.SetUserStatus("carol", "Heads down on the launch", true)
	w.sweepAt(utc(23, 16, 0))
	w.sweepAt(utc(23, 17, 0))
	w.expectPings(n, 0, "carol busy")
	w.Fake.SetUserStatus("carol", "", false)
	w.sweepAt(utc(23, 17, 15))
	w.expectPings(n, 1, "carol no longer busy")
}

func TestTeamRequestMentionsReachableMembersAndAnyMemberClearsIt(t *testing.T) {
	// Monday 09:00 London: team platform (alice in New York, carol in London).
	w := newWorld(t, utc(23, 9, 0))
	n := w.openPR("New endpoint", utc(23, 9, 0), nil, []string{"platform"})
	w.sweepAt(utc(23, 16, 0)) // carol free; 11:00 New York is alice's focus block
	got := w.expectPings(n, 1, "team nudge")
	// "@acme/platform" would notify alice in her focus block: the nudge
	// mentions the members who may be pinged now and names the team.
	if !strings.HasPrefix(strings.SplitN(got[0].Body, "\n", 2)[1], "@carol: ") || strings.Contains(got[0].Body, "@alice") ||
		strings.Contains(got[0].Body, "@acme/platform") || !strings.Contains(got[0].Body, "`acme/platform`") {
		t.Errorf("team nudge should mention carol alone and name the team without a mention:\n%s", got[0].Body)
	}
	if !strings.HasPrefix(got[0].Body, "<!-- overlap:reviews:acme/platform:2026-11-23T09:00:00Z -->") {
		t.Errorf("team marker: %q", got[0].Body[:70])
	}
	w.Clock.Set(utc(23, 17, 0))
	w.Fake.SubmitReview(apptest.Org, repo, n, githubfake.ReviewSpec{User: "alice", State: "COMMENTED", Body: "Looks fine"})
	payload, err := w.Builder(repo, "alice").PullRequestReview("submitted", w.PR(repo, n), "alice", "commented", "Looks fine")
	if err != nil {
		t.Fatal(err)
	}
	w.Send("pull_request_review", payload)
	// GitHub drops the team's request once a member reviews for it; the
	// nudge still says who answered, not "withdrawn".
	if pr, _ := w.Fake.PR(apptest.Org, repo, n); containsFold(pr.Requested, "acme/platform") {
		t.Errorf("the team's request should be gone after a member's review: %v", pr.Requested)
	}
	got = w.expectPings(n, 1, "after alice's review")
	if !strings.Contains(got[0].Body, "`alice` reviewed") {
		t.Errorf("any member's review satisfies a team request:\n%s", got[0].Body)
	}
	w.sweepAt(utc(24, 16, 0))
	w.expectPings(n, 1, "no reminder after a member reviewed")
}

func TestDraftClosedAndBotRequestsAreSkipped(t *testing.T) {
	w := newWorld(t, utc(23, 9, 0))
	w.Fake.Commit(apptest.Org, repo, "wip", githubfake.CommitSpec{Message: "wip", Author: "dave", Files: map[string]string{"x.txt": "x\n"}})
	draft := w.Fake.OpenPR(apptest.Org, repo, githubfake.PRSpec{Title: "WIP", Author: "dave", Head: "wip", Draft: true})
	w.Fake.RequestReviewers(apptest.Org, repo, draft, githubfake.ReviewRequestSpec{Users: []string{"carol"}, At: utc(23, 9, 0)})
	closed := w.openPR("Abandoned", utc(23, 9, 0), []string{"carol"}, nil)
	w.Fake.ClosePR(apptest.Org, repo, closed)
	w.sweepAt(utc(23, 16, 0))
	w.expectPings(draft, 0, "draft PR")
	w.expectPings(closed, 0, "closed PR")
}

func TestSweepAPICalls(t *testing.T) {
	w := newWorld(t, utc(23, 9, 0))
	for i := range 3 {
		w.openPR(fmt.Sprintf("Change %d", i), utc(23, 9, 0), []string{"carol"}, nil)
	}
	w.openPR("Team change", utc(23, 9, 0), nil, []string{"platform"})
	w.Sweep(utc(23, 9, 30), "reviews") // warm the policy cache
	w.ResetCounts()

	// Nothing due: one GraphQL request for every PR, plus one listing of
	// the team for the team request; the policy is a conditional GET.
	w.sweepAt(utc(23, 12, 0))
	calls := w.Calls.Calls()
	if calls["POST /graphql"] != 1 {
		t.Errorf("GraphQL requests for a quiet sweep: %d, want 1 (%v)", calls["POST /graphql"], calls)
	}
	if calls["GET /orgs/{org}/teams/{team}/members"] != 1 {
		t.Errorf("team listings: %d, want 1 (%v)", calls["GET /orgs/{org}/teams/{team}/members"], calls)
	}
	if writes := len(w.Writes()); writes != 0 {
		t.Errorf("a quiet sweep wrote %d times", writes)
	}
	// The installation walk (GET /app/installations, GET
	// /installation/repositories) is the app's, shared by every feature.
	quiet := w.Calls.Total() - calls["GET /app/installations"] - calls["GET /installation/repositories"]
	if quiet != 3 {
		t.Errorf("a quiet sweep of one repo made %d calls, want 3 (policy, GraphQL, team): %v", quiet, calls)
	}

	// Four nudges due: +1 GraphQL request for everyone's busy status, and
	// per nudge one comment listing and one comment creation.
	w.ResetCounts()
	w.sweepAt(utc(23, 16, 0))
	calls = w.Calls.Calls()
	if calls["POST /graphql"] != 2 {
		t.Errorf("GraphQL requests with nudges due: %d, want 2 (%v)", calls["POST /graphql"], calls)
	}
	if c := calls["POST /repos/{owner}/{repo}/issues/{n}/comments"]; c != 4 {
		t.Errorf("comments created: %d, want 4", c)
	}
	if c := calls["GET /repos/{owner}/{repo}/issues/{n}/comments"]; c != 4 {
		t.Errorf("comment listings: %d, want 4", c)
	}
	t.Logf("API calls: quiet repo sweep %d, sweep with 4 nudges %d: %v", quiet, w.Calls.Total(), calls)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

func TestFridayAfternoonRequestIsNudgedMondayNotAtTheWeekend(t *testing.T) {
	// Friday 27 Nov 16:00 London: carol has 1h30m left that day; 2h30m more
	// on Monday brings her to 11:30, when her morning focus block ends.
	w := newWorld(t, utc(27, 16, 0))
	n := w.openPR("Weekend-safe change", utc(27, 16, 0), []string{"carol"}, nil)
	for _, at := range []time.Time{utc(27, 17, 25), utc(28, 12, 0), utc(29, 20, 0), utc(30, 9, 0), utc(30, 11, 29)} {
		w.sweepAt(at)
	}
	w.expectPings(n, 0, "Friday evening, the weekend and Monday's focus block")
	w.sweepAt(utc(30, 11, 30))
	got := w.expectPings(n, 1, "Monday 11:30")
	if !strings.Contains(got[0].Body, "on Fri 27 Nov at 16:00 Europe/London") {
		t.Errorf("the nudge should give the request time:\n%s", got[0].Body)
	}
}

func TestEscalationToCodeowners(t *testing.T) {
	pol := strings.Replace(policy, `escalate_to: "@acme/leads"`, "escalate_to: codeowners", 1)
	w := newWorldWith(t, utc(23, 9, 0), map[string]string{
		".github/overlap.yml": pol,
		".github/CODEOWNERS":  "*       @acme/leads\nsrc/    @erin @dave\n",
	})
	n := w.openPR("Rework cache", utc(23, 9, 0), []string{"carol"}, nil)
	for _, day := range []int{23, 24, 25} {
		w.sweepAt(utc(day, 16, 0))
	}
	w.expectPings(n, 3, "nudge and two reminders")
	w.sweepAt(utc(26, 16, 0))
	got := w.expectPings(n, 4, "escalation")
	// src/app.go is owned by erin and dave; dave wrote the PR, so only erin.
	if !strings.Contains(got[3].Body, "`erin`") || strings.Contains(got[3].Body, "dave") {
		t.Errorf("escalation should ask the code owner erin (not the author):\n%s", got[3].Body)
	}
	if pr, _ := w.Fake.PR(apptest.Org, repo, n); !containsFold(pr.Requested, "erin") || containsFold(pr.Requested, "acme/leads") {
		t.Errorf("requested = %v, want erin (last matching rule), not the catch-all team", pr.Requested)
	}
}
