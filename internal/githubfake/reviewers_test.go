package githubfake

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"
)

// reviewWorld is newWorld with an open PR #1 by dave.
func reviewWorld(t *testing.T) *world {
	t.Helper()
	w := newWorld(t)
	w.fake.Commit("acme", "api", "feature", CommitSpec{Message: "x", Author: "dave", Files: map[string]string{"x.txt": "x\n"}})
	if n := w.fake.OpenPR("acme", "api", PRSpec{Title: "x", Author: "dave", Head: "feature"}); n != 1 {
		t.Fatalf("PR number %d", n)
	}
	return w
}

func TestReviewRequestsGitHubRefuses(t *testing.T) {
	w := reviewWorld(t)
	ctx := context.Background()
	w.fake.AddTeam("acme", "platform", []string{"alice", "carol"})
	w.fake.AddTeam("acme", "leads", []string{"erin"})
	w.fake.AddRepo(w.inst, "acme", "web", RepoOptions{})
	w.fake.SetTeamRepoAccess("acme", "leads", "acme", "web", "push") // leads: web only
	w.fake.AddTeam("other", "ops", []string{"oscar"})
	w.fake.AddUser("mallory", "")

	for _, tc := range []struct {
		name         string
		users, teams []string
		field        string // "" = accepted
	}{
		{"stranger", []string{"mallory"}, nil, "reviewers"},
		{"team without access to the repository", nil, []string{"leads"}, "team_reviewers"},
		{"another organization's team", nil, []string{"ops"}, "team_reviewers"},
		{"another organization's member", []string{"oscar"}, nil, "reviewers"},
		{"members and a team with access", []string{"alice"}, []string{"platform"}, ""},
	} {
		_, _, err := w.gh.PullRequests.RequestReviewers(ctx, "acme", "api", 1, github.ReviewersRequest{Reviewers: tc.users, TeamReviewers: tc.teams})
		v := w.fake.TakeViolations()
		if tc.field == "" {
			if err != nil || len(v) > 0 {
				t.Errorf("%s: %v %v", tc.name, err, v)
			}
			continue
		}
		if statusOf(err) != http.StatusUnprocessableEntity || len(v) != 1 || !strings.Contains(v[0], tc.field) {
			t.Errorf("%s: err %v, violations %v; want a 422 on %s", tc.name, err, v, tc.field)
		}
	}

	// Checks an app makes first.
	for _, tc := range []struct {
		login string
		want  bool
	}{{"alice", true}, {"mallory", false}, {"oscar", false}} {
		if ok, _, err := w.gh.Repositories.IsCollaborator(ctx, "acme", "api", tc.login); err != nil || ok != tc.want {
			t.Errorf("IsCollaborator(%s) = %v, %v", tc.login, ok, err)
		}
	}
	for _, tc := range []struct {
		slug, repo string
		want       int
	}{{"platform", "api", 200}, {"leads", "api", 404}, {"leads", "web", 200}, {"nosuch", "api", 404}} {
		r, resp, _ := w.gh.Teams.IsTeamRepoBySlug(ctx, "acme", tc.slug, "acme", tc.repo)
		if resp == nil || resp.StatusCode != tc.want {
			t.Errorf("IsTeamRepoBySlug(%s, %s) = %v, want %d", tc.slug, tc.repo, resp, tc.want)
			continue
		}
		if tc.want == 200 && r.GetFullName() != "acme/"+tc.repo {
			t.Errorf("IsTeamRepoBySlug(%s, %s) repository %q", tc.slug, tc.repo, r.GetFullName())
		}
	}
	w.fake.TakeViolations()
}

func TestReviewRequestsAreCappedAt15(t *testing.T) {
	w := reviewWorld(t)
	ctx := context.Background()
	var people []string
	for i := range 16 {
		people = append(people, fmt.Sprintf("u%02d", i))
		w.fake.SetPermission("acme", "api", people[i], "read")
	}
	w.fake.AddTeam("acme", "platform", []string{"alice"})
	// 14 users and a team: 15, allowed.
	if _, _, err := w.gh.PullRequests.RequestReviewers(ctx, "acme", "api", 1, github.ReviewersRequest{Reviewers: people[:14], TeamReviewers: []string{"platform"}}); err != nil {
		t.Fatal(err)
	}
	// Asking one already requested again adds nothing: still allowed.
	if _, _, err := w.gh.PullRequests.RequestReviewers(ctx, "acme", "api", 1, github.ReviewersRequest{Reviewers: people[:1]}); err != nil {
		t.Fatal(err)
	}
	// The 16th is refused.
	_, _, err := w.gh.PullRequests.RequestReviewers(ctx, "acme", "api", 1, github.ReviewersRequest{Reviewers: people[14:15]})
	if statusOf(err) != http.StatusUnprocessableEntity {
		t.Fatalf("16th reviewer: %v", err)
	}
	if v := w.fake.TakeViolations(); len(v) != 1 {
		t.Errorf("violations %v", v)
	}
	if pr, _ := w.fake.PR("acme", "api", 1); len(pr.Requested) != 15 {
		t.Errorf("requested = %v, want 15", pr.Requested)
	}
}

func TestMemberReviewClearsTheTeamRequest(t *testing.T) {
	w := reviewWorld(t)
	w.fake.AddTeam("acme", "platform", []string{"alice", "carol"})
	w.fake.AddTeam("acme", "docs", []string{"bob"})
	w.fake.RequestReviewers("acme", "api", 1, ReviewRequestSpec{Users: []string{"erin"}, Teams: []string{"platform", "docs"}})
	w.fake.SubmitReview("acme", "api", 1, ReviewSpec{User: "carol", State: "APPROVED"})
	pr, _ := w.fake.PR("acme", "api", 1)
	if strings.Join(pr.Requested, ",") != "erin,acme/docs" {
		t.Errorf("requested after carol's review = %v, want erin and acme/docs (platform answered by its member)", pr.Requested)
	}
}

func TestReadyForReviewOnTheTimeline(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.fake.Commit("acme", "api", "wip", CommitSpec{Message: "x", Author: "dave", Files: map[string]string{"x.txt": "x\n"}})
	n := w.fake.OpenPR("acme", "api", PRSpec{Title: "x", Author: "dave", Head: "wip", Draft: true})
	ready := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	w.fake.MarkReadyForReview("acme", "api", n, "", ready)
	v4, err := w.cc.NewInstallationV4Client(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	var q struct {
		Repository struct {
			PullRequest struct {
				IsDraft       bool
				TimelineItems struct {
					Nodes []struct {
						Typename            string `graphql:"__typename"`
						ReadyForReviewEvent struct {
							CreatedAt githubv4.DateTime
							Actor     struct{ Login string }
						} `graphql:"... on ReadyForReviewEvent"`
					}
				} `graphql:"timelineItems(itemTypes: [READY_FOR_REVIEW_EVENT], first: 10)"`
			} `graphql:"pullRequest(number: $n)"`
		} `graphql:"repository(owner: \"acme\", name: \"api\")"`
	}
	if err := v4.Query(ctx, &q, map[string]any{"n": githubv4.Int(n)}); err != nil {
		t.Fatal(err)
	}
	pr := q.Repository.PullRequest
	if pr.IsDraft || len(pr.TimelineItems.Nodes) != 1 || !pr.TimelineItems.Nodes[0].ReadyForReviewEvent.CreatedAt.Equal(ready) ||
		pr.TimelineItems.Nodes[0].ReadyForReviewEvent.Actor.Login != "dave" {
		t.Errorf("after MarkReadyForReview: %+v", pr)
	}
}
