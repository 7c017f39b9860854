package reviews_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// A busy PR: after the nudge, 120 comments by people and CI push it out of
// the GraphQL page of the last 100. Reminders still come a day apart, and
// the nudge is never edited again.
func TestBusyPRKeepsItsPings(t *testing.T) {
	w := newWorld(t, utc(23, 13, 0))
	n := w.openPR("Add retries", utc(23, 13, 0), []string{"alice"}, nil)
	w.sweepAt(utc(23, 18, 0))
	nudge := w.expectPings(n, 1, "nudge")[0]
	for i := range 120 {
		w.Fake.AddComment(apptest.Org, repo, n, "dave", fmt.Sprintf("ci run %d", i))
	}
	w.ResetCounts()
	for _, at := range []time.Time{utc(23, 18, 30), utc(23, 18, 45), utc(23, 19, 0), utc(24, 18, 0), utc(25, 18, 0), utc(26, 18, 0)} {
		w.sweepAt(at)
	}
	got := w.expectPings(n, 3, "three days later: the nudge and 2 reminders")
	if got[0].Body != nudge.Body || got[0].ID != nudge.ID {
		t.Errorf("the nudge changed:\n%s", got[0].Body)
	}
	for _, wr := range w.Writes() {
		if wr.Action != "comment.create" {
			t.Errorf("unexpected write %s", wr)
		}
	}
	// Each sweep reads the whole conversation once (2 pages of 100): the
	// write path shares that listing.
	if c := w.Calls.Calls()["GET /repos/{owner}/{repo}/issues/{n}/comments"]; c != 12 {
		t.Errorf("comment listings over 6 sweeps: %d, want 12 (2 pages each)", c)
	}
}

// The nudge says a comment answers it; alice answers with one.
func TestCommentAnswersTheNudge(t *testing.T) {
	w := newWorld(t, utc(23, 13, 0))
	n := w.openPR("Add retries", utc(23, 13, 0), []string{"alice"}, nil)
	w.sweepAt(utc(23, 18, 0))
	w.expectPings(n, 1, "nudge")
	w.Fake.AddComment(apptest.Org, repo, n, "alice", "Sorry, I can't take this one this week.")
	w.sweepAt(utc(24, 18, 0))
	w.sweepAt(utc(25, 18, 0))
	got := w.expectPings(n, 1, "after alice's comment")
	if !strings.Contains(got[0].Body, "`alice` answered in a comment") || strings.Contains(got[0].Body, "@alice") {
		t.Errorf("the nudge should say alice answered, without pinging her:\n%s", got[0].Body)
	}
}

// Two replicas that posted the same reminder at once: the next run keeps
// the oldest and deletes the other.
func TestDuplicatePingsAreCleaned(t *testing.T) {
	w := newWorld(t, utc(23, 9, 0))
	n := w.openPR("Rework cache", utc(23, 9, 0), []string{"carol"}, nil)
	w.sweepAt(utc(23, 16, 0))
	w.sweepAt(utc(24, 16, 0))
	got := w.expectPings(n, 2, "nudge and reminder 1")
	bot := w.Fake.AppSlug() + "[bot]"
	w.Fake.AddComment(apptest.Org, repo, n, bot, got[0].Body) // the other replica's nudge
	w.Fake.AddComment(apptest.Org, repo, n, bot, got[1].Body) // and reminder
	w.sweepAt(utc(24, 16, 15))
	after := w.expectPings(n, 2, "after the clean-up")
	if after[0].ID != got[0].ID || after[1].ID != got[1].ID {
		t.Errorf("the oldest comments should stay: before %d,%d after %d,%d", got[0].ID, got[1].ID, after[0].ID, after[1].ID)
	}
}

// Escalation to people GitHub refuses: the escalation comment still goes
// out, naming who could not be requested, and nothing is sent that GitHub
// would answer 422 (the harness fails the test on any such request).
func TestEscalationSkipsReviewersGitHubRefuses(t *testing.T) {
	var owners []string
	for i := range 16 {
		owners = append(owners, fmt.Sprintf("@owner%02d", i))
	}
	tests := []struct {
		name      string
		target    string
		codeowner string
		setup     func(w *world)
		asked     []string
		refused   []string // substrings of the "Could not be requested" lines
	}{
		{name: "not a collaborator", target: "mallory",
			setup:   func(w *world) { w.Fake.AddUser("mallory", "") },
			refused: []string{"`mallory`: not a collaborator of this repository"}},
		{name: "team without access", target: "@acme/leads",
			setup: func(w *world) {
				w.AddRepo("web", map[string]string{"README.md": "# web\n"})
				w.Fake.SetTeamRepoAccess(apptest.Org, "leads", apptest.Org, "web", "push")
			},
			refused: []string{"`acme/leads`: the team has no access to this repository"}},
		{name: "another organization's team", target: "@other/ops",
			setup:   func(w *world) { w.Fake.AddTeam("other", "ops", []string{"oscar"}) },
			refused: []string{"`other/ops`: a team of another organization"}},
		{name: "more than GitHub's 15", target: "codeowners", codeowner: "src/ " + strings.Join(owners, " ") + "\n",
			setup: func(w *world) {
				for _, o := range owners {
					w.Fake.SetPermission(apptest.Org, repo, strings.TrimPrefix(o, "@"), "read")
				}
			},
			// carol's request is pending: 14 more fit.
			asked:   []string{"`owner00`", "`owner13`"},
			refused: []string{"`owner14`: GitHub allows at most 15", "`owner15`: GitHub allows at most 15"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := strings.Replace(policy, `escalate_to: "@acme/leads"`, "escalate_to: \""+tt.target+"\"", 1)
			files := map[string]string{".github/overlap.yml": pol}
			if tt.codeowner != "" {
				files[".github/CODEOWNERS"] = tt.codeowner
			}
			w := newWorldWith(t, utc(23, 9, 0), files)
			tt.setup(w)
			n := w.openPR("Rework cache", utc(23, 9, 0), []string{"carol"}, nil)
			for _, day := range []int{23, 24, 25, 26} {
				w.sweepAt(utc(day, 16, 0))
			}
			got := w.expectPings(n, 4, "nudge, 2 reminders and the escalation")
			esc := got[3].Body
			t.Logf("escalation comment:\n%s", esc)
			if !strings.Contains(esc, "Review escalated") {
				t.Fatalf("escalation comment:\n%s", esc)
			}
			for _, want := range append(tt.asked, tt.refused...) {
				if !strings.Contains(esc, want) {
					t.Errorf("escalation comment lacks %q:\n%s", want, esc)
				}
			}
			pr, _ := w.Fake.PR(apptest.Org, repo, n)
			if want := 1 + len(tt.asked); tt.asked != nil && len(pr.Requested) != 15 || tt.asked == nil && len(pr.Requested) != want {
				t.Errorf("requested = %v", pr.Requested)
			}
		})
	}
}

// Install day: the first sweep nudges at most MaxPingsPerRun requests (the
// oldest first), the rest on the next sweep; a request weeks old is left
// alone.
func TestInstallDayDoesNotFlood(t *testing.T) {
	w := newWorld(t, utc(2, 9, 0))
	old := w.openPR("Forgotten", utc(2, 9, 0), []string{"carol"}, nil) // Monday 2 Nov
	var prs []int
	for i := range 12 {
		prs = append(prs, w.openPR(fmt.Sprintf("Change %d", i), utc(23, 9, i), []string{"carol"}, nil))
	}
	w.sweepAt(utc(23, 16, 0))
	nudged := func() (n int) {
		for _, pr := range prs {
			n += len(w.pings(pr))
		}
		return n
	}
	if got := nudged(); got != 10 {
		t.Errorf("first sweep nudged %d PRs, want 10", got)
	}
	if len(w.pings(prs[10]))+len(w.pings(prs[11])) != 0 {
		t.Errorf("the newest requests should wait for the next sweep")
	}
	w.sweepAt(utc(23, 16, 15))
	if got := nudged(); got != 12 {
		t.Errorf("after the second sweep %d PRs nudged, want 12", got)
	}
	for _, at := range []time.Time{utc(24, 16, 0), utc(25, 16, 0)} {
		w.sweepAt(at)
	}
	w.expectPings(old, 0, "a three-week-old request")
}

// A request made while the PR was a draft counts from "ready for review".
func TestDraftTimeDoesNotCount(t *testing.T) {
	w := newWorld(t, utc(23, 9, 0))
	w.Fake.Commit(apptest.Org, repo, "wip", githubfake.CommitSpec{Message: "wip", Author: "dave", Files: map[string]string{"x.txt": "x\n"}})
	n := w.Fake.OpenPR(apptest.Org, repo, githubfake.PRSpec{Title: "WIP: cache", Author: "dave", Head: "wip", Draft: true, CreatedAt: utc(23, 9, 0)})
	w.Fake.RequestReviewers(apptest.Org, repo, n, githubfake.ReviewRequestSpec{Users: []string{"carol"}, At: utc(23, 9, 0)})
	w.sweepAt(utc(24, 16, 0))
	w.Fake.MarkReadyForReview(apptest.Org, repo, n, "dave", utc(25, 12, 0))
	w.sweepAt(utc(25, 12, 15))
	w.sweepAt(utc(25, 15, 59))
	w.expectPings(n, 0, "under 4 working hours after ready for review")
	w.sweepAt(utc(25, 16, 0))
	got := w.expectPings(n, 1, "4 working hours after ready for review")
	if !strings.Contains(got[0].Body, "marked ready for review") {
		t.Errorf("the nudge should say where the clock started:\n%s", got[0].Body)
	}
}

// carol sets her GitHub status to busy for the week: no nudge reaches her,
// and the request is escalated once the team has had 3 × 4h of working
// time (Tuesday), saying why.
func TestBusyReviewerIsEscalated(t *testing.T) {
	w := newWorld(t, utc(23, 9, 0))
	n := w.openPR("Rework cache", utc(23, 9, 0), []string{"carol"}, nil)
	w.Fake.SetUserStatus("carol", "On leave", true)
	w.sweepAt(utc(23, 16, 0))
	w.sweepAt(utc(24, 12, 0))
	w.expectPings(n, 0, "carol busy, team norm × 3 not reached")
	w.sweepAt(utc(24, 13, 0))
	got := w.expectPings(n, 1, "escalation")
	if !strings.Contains(got[0].Body, ":escalation -->") || !strings.Contains(got[0].Body, "away or busy") || !strings.Contains(got[0].Body, "`acme/leads`") {
		t.Errorf("escalation:\n%s", got[0].Body)
	}
	if pr, _ := w.Fake.PR(apptest.Org, repo, n); !containsFold(pr.Requested, "acme/leads") {
		t.Errorf("leads were not requested: %v", pr.Requested)
	}
}
