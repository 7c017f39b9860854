package gqlexec

import (
	"strings"
	"testing"
)

func mustGitHub(t *testing.T) *Schema {
	t.Helper()
	s, err := LoadGitHubSchema()
	if err != nil {
		t.Fatalf("LoadGitHubSchema: %v", err)
	}
	return s
}

func TestLoadGitHubSchema(t *testing.T) {
	s := mustGitHub(t)
	again, err := LoadGitHubSchema()
	if err != nil || again != s {
		t.Fatalf("second LoadGitHubSchema = %p, %v; want the cached %p", again, err, s)
	}
	if s.LoadDuration() <= 0 {
		t.Errorf("LoadDuration = %v, want > 0", s.LoadDuration())
	}
	t.Logf("GitHub schema loaded in %v", s.LoadDuration())
	for _, name := range []string{"Repository", "ReviewRequestedEvent", "DiscussionComment", "RateLimit", "DateTime"} {
		if s.AST().Types[name] == nil {
			t.Errorf("type %s missing from the GitHub schema", name)
		}
	}
	if s.AST().Mutation == nil || s.AST().Mutation.Fields.ForName("addDiscussionComment") == nil {
		t.Error("Mutation.addDiscussionComment missing")
	}
}

func TestParseSchemaDuplicateFields(t *testing.T) {
	same := `type Query { a: Int  b(x: Int = 1): String  a: Int }`
	s, err := ParseSchema("same.graphql", same)
	if err != nil {
		t.Fatalf("identical duplicate field should be tolerated: %v", err)
	}
	if n := len(s.AST().Query.Fields); n != 2+2 { // a, b, __schema, __type
		t.Errorf("Query has %d fields, want 4", n)
	}
	_, err = ParseSchema("differ.graphql", `type Query { a: Int  a: String }`)
	if err == nil || !strings.Contains(err.Error(), "Query.a is defined twice") {
		t.Errorf("conflicting duplicate: err = %v, want 'Query.a is defined twice'", err)
	}
	if _, err := ParseSchema("broken.graphql", `type Query {`); err == nil {
		t.Error("broken SDL: want an error")
	}
}

func TestValidateGitHubQueries(t *testing.T) {
	s := mustGitHub(t)
	tests := map[string]string{
		"history batch with aliases": `query($owner: String!, $name: String!) {
			repository(owner: $owner, name: $name) {
				defaultBranchRef { name target { ... on Commit {
					d0: history(path: "docs/runbook.md", first: 1) { nodes { committedDate oid } }
					d1: history(path: "docs/onboarding.md", first: 1) { nodes { committedDate oid } }
				} } }
			}
		}`,
		"review requests in the timeline": `query($owner: String!, $name: String!, $n: Int!) {
			repository(owner: $owner, name: $name) {
				pullRequests(states: [OPEN], first: $n, orderBy: {field: UPDATED_AT, direction: DESC}) {
					pageInfo { hasNextPage endCursor }
					nodes { number title isDraft author { login }
						timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT], last: 50) {
							nodes { __typename ... on ReviewRequestedEvent { createdAt requestedReviewer { ... on User { login } ... on Team { slug } } } }
						}
					}
				}
			}
		}`,
		"user status":                  `query { user(login: "alice") { login status { indicatesLimitedAvailability message emoji expiresAt } } }`,
		"rate limit":                   `query { rateLimit { cost limit remaining used resetAt nodeCount } }`,
		"named fragment and operation": `query Who { viewer { ...who } } fragment who on User { login name }`,
		"discussion mutation":          `mutation($input: AddDiscussionCommentInput!) { addDiscussionComment(input: $input) { comment { id url } } }`,
	}
	for name, q := range tests {
		t.Run(name, func(t *testing.T) {
			doc, errs := s.Validate(q)
			if len(errs) > 0 {
				t.Fatalf("valid GitHub query rejected: %v", errs)
			}
			if doc == nil || len(doc.Operations) != 1 {
				t.Fatalf("doc = %+v, want one operation", doc)
			}
		})
	}
}

func TestValidateRejects(t *testing.T) {
	s := mustGitHub(t)
	tests := []struct {
		name, query, want string
	}{
		{"unknown field", `{ repository(owner: "o", name: "r") { stars } }`,
			`Cannot query field "stars" on type "Repository"`},
		{"missing required argument", `{ repository(owner: "o") { id } }`,
			`argument "name" of type "String!" is required`},
		{"wrong argument type", `{ repository(owner: "o", name: 42) { id } }`,
			`String cannot represent a non string value: 42`},
		{"first on a field without it", `{ repository(owner: "o", name: "r") { labels(first: 5) { totalCount } defaultBranchRef(first: 1) { name } } }`,
			`Unknown argument "first" on field "Repository.defaultBranchRef"`},
		{"wrong enum", `{ repository(owner: "o", name: "r") { pullRequests(states: [PENDING], first: 1) { totalCount } } }`,
			`Value "PENDING" does not exist in "PullRequestState!" enum`},
		{"object without selection", `{ repository(owner: "o", name: "r") { owner } }`,
			`must have a selection of subfields`},
		{"variable of the wrong type", `query($n: String) { repository(owner: "o", name: "r") { pullRequests(first: $n) { totalCount } } }`,
			`Variable "$n" of type "String" used in position expecting type "Int"`},
		{"fragment on an impossible type", `{ repository(owner: "o", name: "r") { defaultBranchRef { target { ... on User { login } } } } }`,
			`Fragment cannot be spread here as objects of type "GitObject" can never be of type "User"`},
		{"syntax error", `{ repository(owner: "o", name: "r") { id }`, `Expected Name, found <EOF>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := s.Validate(tt.query)
			if len(errs) == 0 {
				t.Fatal("invalid query accepted")
			}
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.Error())
			}
			all := strings.Join(msgs, "\n")
			if !strings.Contains(all, tt.want) {
				t.Errorf("errors:\n%s\nwant one containing %q", all, tt.want)
			}
			if !strings.Contains(all, "query:") {
				t.Errorf("errors %q carry no location", all)
			}
		})
	}
}
