package gh

import "testing"

// Route templates keep metric labels bounded: no login, number, SHA or
// file path may become a label value.
func TestRoute(t *testing.T) {
	cases := map[string]string{
		"/repos/acme/api/issues/12/comments":                                          "/repos/{owner}/{repo}/issues/{n}/comments",
		"/repos/acme/api/contents/docs/runbooks/a.md":                                 "/repos/{owner}/{repo}/contents/{path}",
		"/repos/acme/api/commits/0123456789abcdef0123456789abcdef01234567/check-runs": "/repos/{owner}/{repo}/commits/{sha}/check-runs",
		"/repos/acme/api/collaborators/alice/permission":                              "/repos/{owner}/{repo}/collaborators/{user}/permission",
		"/repos/acme/api/assignees/alice":                                             "/repos/{owner}/{repo}/assignees/{user}",
		"/orgs/acme/teams/platform/members":                                           "/orgs/{org}/teams/{team}/members",
		"/api/v3/repos/acme/api":                                                      "/repos/{owner}/{repo}",
		"/app/installations/42/access_tokens":                                         "/app/installations/{n}/access_tokens",
		"/graphql":                                                                    "/graphql",
		"/api/graphql":                                                                "/graphql",
		"/repos/acme/api/git/ref/heads/main":                                          "/repos/{owner}/{repo}/git/ref/{path}",
	}
	for in, want := range cases {
		if got := Route(in); got != want {
			t.Errorf("Route(%q) = %q, want %q", in, got, want)
		}
	}
}
