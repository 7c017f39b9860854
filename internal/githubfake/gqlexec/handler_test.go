package gqlexec

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/shurcooL/githubv4"
)

// recorder keeps every query the handler saw and its errors.
type recorder struct {
	mu      sync.Mutex
	queries []string
	errs    [][]error
}

func (r *recorder) onQuery(q string, errs []error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, q)
	r.errs = append(r.errs, errs)
}

func newServer(t *testing.T, root map[string]any) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(mustGitHub(t).Handler(func(*http.Request) map[string]any { return root }, rec.onQuery))
	t.Cleanup(srv.Close)
	return srv, rec
}

// TestGithubv4EndToEnd runs githubv4's own query construction (struct tags,
// aliases, inline fragments, typed variables) against the handler: exactly
// how Overlap calls GitHub.
func TestGithubv4EndToEnd(t *testing.T) {
	c := calls{}
	srv, rec := newServer(t, fixture(c))
	client := githubv4.NewEnterpriseClient(srv.URL, srv.Client())

	type commitNodes struct {
		Nodes []struct {
			CommittedDate githubv4.DateTime
			Oid           githubv4.GitObjectID
		}
	}
	var q struct {
		Repository struct {
			NameWithOwner    string
			DefaultBranchRef struct {
				Target struct {
					Commit struct {
						D0 commitNodes `graphql:"d0: history(path: $p0, first: 1)"`
						D1 commitNodes `graphql:"d1: history(path: $p1, first: 1)"`
					} `graphql:"... on Commit"`
				}
			}
			PullRequests struct {
				Nodes []struct {
					Number        int
					TimelineItems struct {
						Nodes []struct {
							Typename             string `graphql:"__typename"`
							ReviewRequestedEvent struct {
								CreatedAt         githubv4.DateTime
								RequestedReviewer struct {
									User struct{ Login string } `graphql:"... on User"`
								}
							} `graphql:"... on ReviewRequestedEvent"`
						}
					} `graphql:"timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT], last: 20)"`
				}
			} `graphql:"pullRequests(states: $states, first: $n)"`
		} `graphql:"repository(owner: $owner, name: $name)"`
		User struct {
			Status struct{ IndicatesLimitedAvailability bool }
		} `graphql:"user(login: \"alice\")"`
		RateLimit struct {
			Cost      int
			Remaining int
			ResetAt   githubv4.DateTime
		}
	}
	vars := map[string]any{
		"owner":  githubv4.String("acme"),
		"name":   githubv4.String("svc"),
		"p0":     githubv4.String("docs/a.md"),
		"p1":     githubv4.String("docs/b.md"),
		"states": []githubv4.PullRequestState{githubv4.PullRequestStateOpen},
		"n":      githubv4.Int(10),
	}
	if err := client.Query(context.Background(), &q, vars); err != nil {
		t.Fatalf("Query: %v (document: %v)", err, rec.queries)
	}
	if len(rec.queries) != 1 || len(rec.errs[0]) != 0 {
		t.Fatalf("handler saw %v with errors %v", rec.queries, rec.errs)
	}
	if !strings.Contains(rec.queries[0], "d0: history(path: $p0, first: 1)") {
		t.Errorf("document %q does not carry the alias", rec.queries[0])
	}
	r := q.Repository
	if r.NameWithOwner != "acme/svc" {
		t.Errorf("nameWithOwner = %q", r.NameWithOwner)
	}
	if got := r.DefaultBranchRef.Target.Commit.D0.Nodes; len(got) != 1 || !got[0].CommittedDate.Equal(dayA) || got[0].Oid != "oid-docs/a.md" {
		t.Errorf("d0 = %+v, want one commit at %v", got, dayA)
	}
	if got := r.DefaultBranchRef.Target.Commit.D1.Nodes; len(got) != 1 || !got[0].CommittedDate.Equal(dayB) {
		t.Errorf("d1 = %+v, want one commit at %v", got, dayB)
	}
	if len(r.PullRequests.Nodes) != 1 || r.PullRequests.Nodes[0].Number != 7 {
		t.Fatalf("pullRequests = %+v", r.PullRequests)
	}
	var reviewers []string
	for _, n := range r.PullRequests.Nodes[0].TimelineItems.Nodes {
		if n.Typename == "ReviewRequestedEvent" && n.ReviewRequestedEvent.RequestedReviewer.User.Login != "" {
			reviewers = append(reviewers, n.ReviewRequestedEvent.RequestedReviewer.User.Login)
			if !n.ReviewRequestedEvent.CreatedAt.Equal(dayB) {
				t.Errorf("review requested at %v, want %v", n.ReviewRequestedEvent.CreatedAt, dayB)
			}
		}
	}
	if strings.Join(reviewers, ",") != "bob" {
		t.Errorf("user reviewers = %v, want [bob]", reviewers)
	}
	if !q.User.Status.IndicatesLimitedAvailability {
		t.Error("user status lost indicatesLimitedAvailability")
	}
	if q.RateLimit.Remaining != 4999 || !q.RateLimit.ResetAt.Equal(dayB) {
		t.Errorf("rateLimit = %+v", q.RateLimit)
	}
	wantArgs := map[string]any{"states": []any{"OPEN"}, "first": 10}
	if got := c["pullRequests"]; len(got) != 1 || got[0]["first"] != wantArgs["first"] || len(got[0]["states"].([]any)) != 1 {
		t.Errorf("pullRequests args = %v, want %v", got, wantArgs)
	}
}

func TestGithubv4Mutation(t *testing.T) {
	root := fixture(calls{})
	var got map[string]any
	root[MutationKey] = map[string]any{
		"addDiscussionComment": Lazy(func(args map[string]any) (any, error) {
			got = args["input"].(map[string]any)
			return map[string]any{"comment": map[string]any{"id": "DC_1", "url": "https://github.com/acme/svc/discussions/1#discussioncomment-1"}}, nil
		}),
	}
	srv, _ := newServer(t, root)
	client := githubv4.NewEnterpriseClient(srv.URL, srv.Client())
	var m struct {
		AddDiscussionComment struct {
			Comment struct {
				ID  githubv4.ID
				URL githubv4.URI
			}
		} `graphql:"addDiscussionComment(input: $input)"`
	}
	in := githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID("D_1"), Body: githubv4.String("Shipped: ...")}
	if err := client.Mutate(context.Background(), &m, in, nil); err != nil {
		t.Fatalf("Mutate: %v", err)
	}
	if m.AddDiscussionComment.Comment.ID != "DC_1" || m.AddDiscussionComment.Comment.URL.Fragment != "discussioncomment-1" {
		t.Errorf("payload = %+v", m.AddDiscussionComment)
	}
	if got["discussionId"] != "D_1" || got["body"] != "Shipped: ..." {
		t.Errorf("mutation input = %v", got)
	}
}

func TestGithubv4ReportsGraphQLErrors(t *testing.T) {
	srv, rec := newServer(t, fixture(calls{}))
	client := githubv4.NewEnterpriseClient(srv.URL, srv.Client())
	var q struct {
		Repository struct{ Stars int } `graphql:"repository(owner: \"acme\", name: \"svc\")"`
	}
	err := client.Query(context.Background(), &q, nil)
	if err == nil || !strings.Contains(err.Error(), `Cannot query field "stars" on type "Repository"`) {
		t.Errorf("Query err = %v, want the validation error", err)
	}
	if len(rec.errs) != 1 || len(rec.errs[0]) == 0 {
		t.Errorf("onQuery did not see the error: %v", rec.errs)
	}
}

func TestHandlerHTTP(t *testing.T) {
	srv, _ := newServer(t, fixture(calls{}))
	tests := []struct {
		name, method, body string
		status             int
		want               string // JSON response
	}{
		{"GET is refused", http.MethodGet, "", http.StatusMethodNotAllowed,
			`{"errors":[{"message":"GraphQL requests must be POSTed"}]}`},
		{"body that is not JSON", http.MethodPost, `{"query":`, http.StatusBadRequest, ""},
		{"no query", http.MethodPost, `{"variables":{}}`, http.StatusOK,
			`{"errors":[{"message":"A query attribute must be specified and must be a string."}]}`},
		{"invalid query has no data member", http.MethodPost, `{"query":"{ rateLimit { nope } }"}`, http.StatusOK,
			`{"errors":[{"message":"Cannot query field \"nope\" on type \"RateLimit\".","locations":[{"line":1,"column":15}]}]}`},
		{"operationName and variables", http.MethodPost,
			`{"query":"query A { rateLimit { cost } } query B($o: String!) { repository(owner: $o, name: \"svc\") { name } }","operationName":"B","variables":{"o":"acme"}}`,
			http.StatusOK, `{"data":{"repository":{"name":"svc"}}}`},
		{"field error keeps data", http.MethodPost, `{"query":"{ repository(owner: \"x\", name: \"y\") { name } }"}`, http.StatusOK,
			`{"data":{"repository":null},"errors":[{"message":"Could not resolve to a Repository with the name 'x/y'.","path":["repository"],"locations":[{"line":1,"column":3}]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, srv.URL, strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			var body any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("response is not JSON: %v", err)
			}
			if tt.want != "" {
				assertJSON(t, body, tt.want)
			} else if m, _ := body.(map[string]any); m["errors"] == nil {
				t.Errorf("response %v has no errors", body)
			}
		})
	}
}
