package githubfake

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shurcooL/githubv4"
)

func TestGraphQLThroughGithubv4(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	f := w.fake
	f.Commit("acme", "api", "main", CommitSpec{Author: "bob", Date: t0.Add(time.Hour), Files: map[string]string{"docs/runbook.md": "v2\n"}})
	f.Commit("acme", "api", "feat", CommitSpec{Files: map[string]string{"a.go": "package a\n"}})
	n := f.OpenPR("acme", "api", PRSpec{Title: "Add a", Author: "alice", Head: "feat", Labels: []string{"decision"}})
	f.AddTeam("acme", "platform", []string{"carol"})
	requested := t0.Add(2 * time.Hour)
	f.RequestReviewers("acme", "api", n, ReviewRequestSpec{Users: []string{"bob"}, Teams: []string{"platform"}, At: requested})
	f.SubmitReview("acme", "api", n, ReviewSpec{User: "dave", State: "COMMENTED", SubmittedAt: t0.Add(3 * time.Hour)})
	f.SetUserStatus("bob", "On leave", true)

	v4, err := w.cc.NewInstallationV4Client(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	type reviewer struct {
		User struct{ Login string } `graphql:"... on User"`
		Team struct{ Slug string }  `graphql:"... on Team"`
	}
	var q struct {
		Repository struct {
			NameWithOwner    string
			DefaultBranchRef struct {
				Name   string
				Target struct {
					Commit struct {
						Oid     string
						History struct {
							TotalCount int
							Nodes      []struct {
								CommittedDate time.Time
								Oid           string
								Author        struct{ User struct{ Login string } }
							}
							PageInfo struct {
								HasNextPage bool
								EndCursor   string
							}
						} `graphql:"history(first: 1, path: $path)"`
					} `graphql:"... on Commit"`
				}
			}
			Object struct {
				Tree struct {
					Entries []struct{ Name, Path, Type string }
				} `graphql:"... on Tree"`
			} `graphql:"object(expression: \"main:docs\")"`
			PullRequests struct {
				Nodes []struct {
					Number     int
					Title      string
					IsDraft    bool
					HeadRefOid string
					CreatedAt  time.Time
					Author     struct{ Login string }
					Labels     struct {
						Nodes []struct{ Name string }
					} `graphql:"labels(first: 10)"`
					ReviewRequests struct {
						Nodes []struct{ RequestedReviewer reviewer }
					} `graphql:"reviewRequests(first: 10)"`
					TimelineItems struct {
						Nodes []struct {
							ReviewRequestedEvent struct {
								CreatedAt         time.Time
								RequestedReviewer reviewer
							} `graphql:"... on ReviewRequestedEvent"`
						}
					} `graphql:"timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT], first: 10)"`
					Reviews struct {
						Nodes []struct {
							Author      struct{ Login string }
							State       string
							SubmittedAt time.Time
						}
					} `graphql:"reviews(first: 10)"`
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   string
				}
			} `graphql:"pullRequests(states: [OPEN], first: 10)"`
		} `graphql:"repository(owner: $owner, name: $name)"`
		User struct {
			Login  string
			Status struct {
				IndicatesLimitedAvailability bool
				Message                      string
			}
		} `graphql:"user(login: \"bob\")"`
		RateLimit struct {
			Cost, Remaining, Limit int
			ResetAt                time.Time
		}
	}
	err = v4.Query(ctx, &q, map[string]any{
		"owner": githubv4.String("acme"), "name": githubv4.String("api"), "path": githubv4.String("docs/runbook.md"),
	})
	if err != nil {
		t.Fatalf("query: %v", err)
	}
	r := q.Repository
	h := r.DefaultBranchRef.Target.Commit.History
	if r.NameWithOwner != "acme/api" || r.DefaultBranchRef.Name != "main" || h.TotalCount != 2 || !h.PageInfo.HasNextPage ||
		len(h.Nodes) != 1 || h.Nodes[0].Author.User.Login != "bob" || !h.Nodes[0].CommittedDate.Equal(t0.Add(time.Hour)) {
		t.Errorf("history = %+v", h)
	}
	if len(r.Object.Tree.Entries) != 1 || r.Object.Tree.Entries[0].Path != "docs/runbook.md" || r.Object.Tree.Entries[0].Type != "blob" {
		t.Errorf("tree = %+v", r.Object.Tree)
	}
	if len(r.PullRequests.Nodes) != 1 {
		t.Fatalf("open PRs = %d", len(r.PullRequests.Nodes))
	}
	pr := r.PullRequests.Nodes[0]
	if pr.Number != n || pr.Author.Login != "alice" || pr.HeadRefOid != f.Branch("acme", "api", "feat") || len(pr.Labels.Nodes) != 1 {
		t.Errorf("PR = %+v", pr)
	}
	if rr := pr.ReviewRequests.Nodes; len(rr) != 2 || rr[0].RequestedReviewer.User.Login != "bob" || rr[1].RequestedReviewer.Team.Slug != "platform" {
		t.Errorf("review requests = %+v", rr)
	}
	if ev := pr.TimelineItems.Nodes; len(ev) != 2 || !ev[0].ReviewRequestedEvent.CreatedAt.Equal(requested) {
		t.Errorf("timeline = %+v", ev)
	}
	if rv := pr.Reviews.Nodes; len(rv) != 1 || rv[0].Author.Login != "dave" || rv[0].State != "COMMENTED" {
		t.Errorf("reviews = %+v", rv)
	}
	if !q.User.Status.IndicatesLimitedAvailability || q.User.Status.Message != "On leave" {
		t.Errorf("user status = %+v", q.User.Status)
	}
	if q.RateLimit.Limit != 5000 || q.RateLimit.Remaining != 4999 || q.RateLimit.Cost != 1 {
		t.Errorf("rateLimit = %+v", q.RateLimit)
	}
	if f.Calls()["POST /graphql"] != 1 || len(f.GraphQLQueries()) != 1 {
		t.Errorf("graphql calls = %d, queries %d", f.Calls()["POST /graphql"], len(f.GraphQLQueries()))
	}
}

func TestGraphQLStrictness(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	v4, err := w.cc.NewInstallationV4Client(w.inst)
	if err != nil {
		t.Fatal(err)
	}

	// A field GitHub's schema does not have.
	var bad struct {
		Repository struct{ Stars int } `graphql:"repository(owner: \"acme\", name: \"api\")"`
	}
	if err := v4.Query(ctx, &bad, nil); err == nil {
		t.Error("unknown field: no error")
	}
	// A connection without first/last.
	var nofirst struct {
		Repository struct {
			PullRequests struct{ TotalCount int } `graphql:"pullRequests(states: [OPEN])"`
		} `graphql:"repository(owner: \"acme\", name: \"api\")"`
	}
	if err := v4.Query(ctx, &nofirst, nil); err == nil || !strings.Contains(err.Error(), "first") {
		t.Errorf("connection without first: %v", err)
	}
	v := w.fake.TakeViolations()
	if len(v) != 2 || !strings.Contains(v[0], "Stars") && !strings.Contains(v[0], "stars") {
		t.Errorf("violations = %q", v)
	}

	// A repository the installation cannot see is GitHub's NOT_FOUND, not a violation.
	var missing struct {
		Repository *struct{ Name string } `graphql:"repository(owner: \"acme\", name: \"gone\")"`
	}
	if err := v4.Query(ctx, &missing, nil); err == nil || !strings.Contains(err.Error(), "Could not resolve") {
		t.Errorf("missing repo: %v", err)
	}
	if v := w.fake.Violations(); len(v) != 0 {
		t.Errorf("NOT_FOUND recorded as violation: %v", v)
	}
}
