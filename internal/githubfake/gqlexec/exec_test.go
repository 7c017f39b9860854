package gqlexec

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

type namedString string

// calls records the arguments every Lazy received, keyed by field.
type calls map[string][]map[string]any

func (c calls) lazy(name string, f func(args map[string]any) (any, error)) Lazy {
	return func(args map[string]any) (any, error) {
		c[name] = append(c[name], args)
		return f(args)
	}
}

var (
	dayA = time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600))
	dayB = time.Date(2026, 4, 2, 17, 0, 0, 0, time.UTC)
)

// fixture is a small GitHub: one repository with a commit history per path,
// one open pull request with a timeline, a user and the rate limit.
func fixture(c calls) map[string]any {
	history := map[string]time.Time{"docs/a.md": dayA, "docs/b.md": dayB}
	commit := map[string]any{
		"__typename": "Commit",
		"oid":        "c0ffee",
		"history": c.lazy("history", func(args map[string]any) (any, error) {
			path, _ := args["path"].(string)
			when, ok := history[path]
			if !ok {
				return map[string]any{"nodes": []any{}, "totalCount": 0}, nil
			}
			return map[string]any{
				"nodes":      []any{map[string]any{"oid": "oid-" + path, "committedDate": when}},
				"totalCount": 1,
			}, nil
		}),
	}
	pr := map[string]any{
		"number": 7, "title": "Add ADR", "isDraft": false,
		"author": map[string]any{"__typename": "User", "login": "alice"},
		"timelineItems": c.lazy("timelineItems", func(map[string]any) (any, error) {
			return map[string]any{"nodes": []any{
				map[string]any{"__typename": "LabeledEvent", "createdAt": dayA},
				map[string]any{"__typename": "ReviewRequestedEvent", "createdAt": dayB,
					"requestedReviewer": map[string]any{"__typename": "User", "login": "bob"}},
				map[string]any{"__typename": "ReviewRequestedEvent", "createdAt": dayB,
					"requestedReviewer": map[string]any{"__typename": "Team", "slug": "platform"}},
			}}, nil
		}),
	}
	repo := map[string]any{
		"id": "R_1", "name": "svc", "nameWithOwner": "acme/svc",
		"defaultBranchRef": map[string]any{"name": "main", "target": commit},
		"pullRequests": c.lazy("pullRequests", func(map[string]any) (any, error) {
			return map[string]any{"totalCount": 1, "nodes": []map[string]any{pr}}, nil
		}),
	}
	return map[string]any{
		"repository": c.lazy("repository", func(args map[string]any) (any, error) {
			if args["owner"] == "acme" && args["name"] == "svc" {
				return repo, nil
			}
			return nil, errors.New("Could not resolve to a Repository with the name '" + args["owner"].(string) + "/" + args["name"].(string) + "'.")
		}),
		"user": func(args map[string]any) (any, error) { // a plain func works as well as a Lazy
			return map[string]any{"login": args["login"], "status": map[string]any{"indicatesLimitedAvailability": true, "message": "on leave"}}, nil
		},
		"rateLimit": c.lazy("rateLimit", func(map[string]any) (any, error) {
			return map[string]any{"cost": 1, "limit": 5000, "remaining": 4999, "used": 1, "resetAt": dayB, "nodeCount": 0}, nil
		}),
	}
}

// assertJSON compares v with the JSON text want, ignoring key order.
func assertJSON(t *testing.T, v any, want string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	var got, exp any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	if !reflect.DeepEqual(got, exp) {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestExecute(t *testing.T) {
	s := mustGitHub(t)
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  string
		args  map[string][]map[string]any // arguments the Lazies must have seen
	}{
		{
			name: "aliased history batch with named and inline fragments",
			query: `query Docs($owner: String!, $name: String!, $p1: String) {
				repository(owner: $owner, name: $name) {
					nameWithOwner
					defaultBranchRef { name target { __typename oid ... on Commit {
						d0: history(path: "docs/a.md", first: 1) { nodes { ...c } }
						d1: history(path: $p1, first: 1) { nodes { ...c } }
						d2: history(path: "docs/none.md", first: 1) { totalCount nodes { oid } }
					} } }
				}
			}
			fragment c on Commit { committedDate oid }`,
			// Typed values as a caller in Go might pass them (githubv4.String is a named string).
			vars: map[string]any{"owner": namedString("acme"), "name": "svc", "p1": "docs/b.md"},
			want: `{"repository":{"nameWithOwner":"acme/svc","defaultBranchRef":{"name":"main","target":{
				"__typename":"Commit","oid":"c0ffee",
				"d0":{"nodes":[{"committedDate":"2026-03-01T08:30:00Z","oid":"oid-docs/a.md"}]},
				"d1":{"nodes":[{"committedDate":"2026-04-02T17:00:00Z","oid":"oid-docs/b.md"}]},
				"d2":{"totalCount":0,"nodes":[]}}}}}`,
			args: map[string][]map[string]any{
				"repository": {{"owner": "acme", "name": "svc", "followRenames": true}},
				"history": {
					{"path": "docs/a.md", "first": 1},
					{"path": "docs/b.md", "first": 1},
					{"path": "docs/none.md", "first": 1},
				},
			},
		},
		{
			name: "union members picked by __typename",
			query: `query($n: Int!) { repository(owner: "acme", name: "svc") {
				pullRequests(states: OPEN, first: $n, orderBy: {field: UPDATED_AT, direction: DESC}) {
					nodes { number author { login } timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT, LABELED_EVENT], last: 10) {
						nodes { ... on ReviewRequestedEvent { createdAt requestedReviewer { __typename ... on User { login } ... on Team { slug } } } }
					} }
				} } }`,
			vars: map[string]any{"n": json.Number("5")},
			want: `{"repository":{"pullRequests":{"nodes":[{"number":7,"author":{"login":"alice"},"timelineItems":{"nodes":[
				{},
				{"createdAt":"2026-04-02T17:00:00Z","requestedReviewer":{"__typename":"User","login":"bob"}},
				{"createdAt":"2026-04-02T17:00:00Z","requestedReviewer":{"__typename":"Team","slug":"platform"}}]}}]}}}`,
			args: map[string][]map[string]any{
				"pullRequests":  {{"states": []any{"OPEN"}, "first": 5, "orderBy": map[string]any{"field": "UPDATED_AT", "direction": "DESC"}}},
				"timelineItems": {{"itemTypes": []any{"REVIEW_REQUESTED_EVENT", "LABELED_EVENT"}, "last": 10}},
			},
		},
		{
			name:  "user status, rate limit defaults, skip and include",
			query: `query($withMsg: Boolean = false) { rateLimit { remaining resetAt } me: user(login: "alice") { login status { indicatesLimitedAvailability message @include(if: $withMsg) } } u2: user(login: "bob") @skip(if: true) { login } }`,
			want:  `{"rateLimit":{"remaining":4999,"resetAt":"2026-04-02T17:00:00Z"},"me":{"login":"alice","status":{"indicatesLimitedAvailability":true}}}`,
			args:  map[string][]map[string]any{"rateLimit": {{"dryRun": false}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := calls{}
			data, errs := s.Execute(context.Background(), tt.query, tt.vars, fixture(c))
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			assertJSON(t, data, tt.want)
			for field, want := range tt.args {
				if !reflect.DeepEqual(c[field], want) {
					t.Errorf("%s got args %#v\nwant %#v", field, c[field], want)
				}
			}
		})
	}
}

func TestExecuteFieldErrors(t *testing.T) {
	s := mustGitHub(t)
	tests := []struct {
		name    string
		root    func(c calls) map[string]any
		query   string
		want    string // data
		message string
		path    string
	}{
		{
			name:    "lazy error nulls a nullable field and keeps siblings",
			root:    fixture,
			query:   `{ repository(owner: "acme", name: "gone") { id } rateLimit { remaining } }`,
			want:    `{"repository":null,"rateLimit":{"remaining":4999}}`,
			message: "Could not resolve to a Repository with the name 'acme/gone'.",
			path:    "repository",
		},
		{
			name: "missing non-null value nulls the nearest nullable parent",
			root: func(c calls) map[string]any {
				r := fixture(c)
				r["repository"] = map[string]any{"name": "svc"} // no nameWithOwner
				return r
			},
			query:   `{ repository(owner: "acme", name: "svc") { name nameWithOwner } rateLimit { used } }`,
			want:    `{"repository":null,"rateLimit":{"used":1}}`,
			message: "Cannot return null for non-nullable field Repository.nameWithOwner",
			path:    "repository.nameWithOwner",
		},
		{
			name: "interface value without __typename",
			root: func(c calls) map[string]any {
				r := fixture(c)
				r["repository"] = map[string]any{"defaultBranchRef": map[string]any{"target": map[string]any{"oid": "x"}}}
				return r
			},
			query:   `{ repository(owner: "acme", name: "svc") { defaultBranchRef { target { oid } } } }`,
			want:    `{"repository":{"defaultBranchRef":{"target":null}}}`,
			message: `no "__typename" key`,
			path:    "repository.defaultBranchRef.target",
		},
		{
			name: "scalar of the wrong Go type",
			root: func(c calls) map[string]any {
				r := fixture(c)
				r["rateLimit"] = map[string]any{"remaining": "lots"}
				return r
			},
			query:   `{ rateLimit { remaining } }`,
			want:    `{"rateLimit":null}`,
			message: "Int needs an integer value, got string",
			path:    "rateLimit.remaining",
		},
		{
			name: "enum value not in the schema",
			root: func(c calls) map[string]any {
				r := fixture(c)
				r["repository"] = map[string]any{"viewerPermission": "OWNER"}
				return r
			},
			query:   `{ repository(owner: "acme", name: "svc") { viewerPermission } }`,
			want:    `{"repository":{"viewerPermission":null}}`,
			message: `"OWNER" is not a value of enum RepositoryPermission`,
			path:    "repository.viewerPermission",
		},
		{
			name: "non-null list item propagates to the list",
			root: func(c calls) map[string]any {
				r := fixture(c)
				r["repository"] = map[string]any{"repositoryTopics": map[string]any{"totalCount": 1, "nodes": []any{map[string]any{"topic": nil}}}}
				return r
			},
			query:   `{ repository(owner: "acme", name: "svc") { repositoryTopics(first: 5) { totalCount nodes { topic { name } } } } }`,
			want:    `{"repository":{"repositoryTopics":{"totalCount":1,"nodes":[null]}}}`,
			message: "Cannot return null for non-nullable field RepositoryTopic.topic",
			path:    "repository.repositoryTopics.nodes[0].topic",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, errs := s.Execute(context.Background(), tt.query, nil, tt.root(calls{}))
			assertJSON(t, data, tt.want)
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want exactly one", errs)
			}
			var ge *gqlerror.Error
			if !errors.As(errs[0], &ge) {
				t.Fatalf("error %T is not a *gqlerror.Error", errs[0])
			}
			if !strings.Contains(ge.Message, tt.message) {
				t.Errorf("message %q, want it to contain %q", ge.Message, tt.message)
			}
			if got := ge.Path.String(); got != tt.path {
				t.Errorf("path %q, want %q", got, tt.path)
			}
			if len(ge.Locations) == 0 {
				t.Error("field error has no location")
			}
		})
	}
}

func TestExecuteRequestErrors(t *testing.T) {
	s := mustGitHub(t)
	tests := []struct {
		name, query, op string
		vars            map[string]any
		want            string
	}{
		{"invalid document", `{ repository(owner: "acme", name: "svc") { stars } }`, "", nil, `Cannot query field "stars"`},
		{"missing required variable", `query($owner: String!) { repository(owner: $owner, name: "svc") { id } }`, "", nil,
			"variable $owner of required type String! was not provided"},
		{"variable of the wrong type", `query($n: Int) { repository(owner: "acme", name: "svc") { pullRequests(first: $n) { totalCount } } }`, "",
			map[string]any{"n": "ten"}, "variable $n got an invalid value: Int needs an integer value, got string"},
		{"bad enum in an input object variable", `query($o: IssueOrder) { repository(owner: "acme", name: "svc") { pullRequests(orderBy: $o) { totalCount } } }`, "",
			map[string]any{"o": map[string]any{"field": "STARS", "direction": "ASC"}}, "IssueOrder.field: STARS is not a value of enum IssueOrderField"},
		{"several operations without a name", `query A { rateLimit { cost } } query B { rateLimit { used } }`, "", nil,
			"an operationName is required"},
		{"unknown operation name", `query A { rateLimit { cost } }`, "Z", nil, `unknown operation named "Z"`},
		{"mutation without a mutation root", `mutation { closeDiscussion(input: {discussionId: "D_1"}) { clientMutationId } }`, "", nil,
			"mutations are not available"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, errs := s.ExecuteOperation(context.Background(), tt.query, tt.op, tt.vars, fixture(calls{}))
			if data != nil {
				t.Errorf("data = %v, want nil for a request error", data)
			}
			if len(errs) == 0 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("errors = %v, want one containing %q", errs, tt.want)
			}
		})
	}
}

func TestExecuteOperationName(t *testing.T) {
	s := mustGitHub(t)
	q := `query A { rateLimit { cost } } query B { rateLimit { used } }`
	data, errs := s.ExecuteOperation(context.Background(), q, "B", nil, fixture(calls{}))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	assertJSON(t, data, `{"rateLimit":{"used":1}}`)
}

func TestExecuteMutation(t *testing.T) {
	s := mustGitHub(t)
	c := calls{}
	root := fixture(c)
	root[MutationKey] = map[string]any{
		"closeDiscussion": c.lazy("closeDiscussion", func(args map[string]any) (any, error) {
			in := args["input"].(map[string]any)
			return map[string]any{"discussion": map[string]any{"id": in["discussionId"], "closed": true}}, nil
		}),
	}
	data, errs := s.Execute(context.Background(),
		`mutation($id: ID!) { closeDiscussion(input: {discussionId: $id}) { discussion { id closed } } }`,
		map[string]any{"id": "D_kwDO"}, root)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	assertJSON(t, data, `{"closeDiscussion":{"discussion":{"id":"D_kwDO","closed":true}}}`)
	want := []map[string]any{{"input": map[string]any{"discussionId": "D_kwDO", "reason": "RESOLVED"}}}
	if !reflect.DeepEqual(c["closeDiscussion"], want) {
		t.Errorf("closeDiscussion args = %#v, want input-field default applied: %#v", c["closeDiscussion"], want)
	}
}

func TestExecuteCanceled(t *testing.T) {
	s := mustGitHub(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data, errs := s.Execute(ctx, `{ rateLimit { cost } }`, nil, fixture(calls{}))
	assertJSON(t, data, `{"rateLimit":null}`)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "context canceled") {
		t.Errorf("errors = %v, want context canceled", errs)
	}
}
