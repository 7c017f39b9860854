package githubfake

import (
	"net/http"
	"strings"
)

// Assignability.
//
// GitHub lets an issue be assigned to people with access to the repository
// and answers 422 when an issue is created or edited with anyone else (a
// stranger, someone who left the organization). The fake models access
// simply, and a user is assignable in a repository when:
//
//   - they own it, or
//   - SetPermission gave them admin, write or read on it, or
//   - the repository is public, it belongs to an organization, and they
//     are a member of one of that organization's teams (AddTeam is the
//     fake's only notion of organization membership; every member can read
//     a public repository).
//
// An explicit SetPermission(…, "none") makes a user unassignable even when
// a team lists them. GET /repos/{owner}/{repo}/assignees/{assignee} answers
// 204 or 404 by the same rule. Like every 422 the fake returns, a refused
// assignee is recorded as a violation: an app should check first.

// The route is registered here rather than in routes.go so that this
// feature's emulator support lives in one file.
// assignable reports whether login may be assigned to issues of rp.
// Callers hold s.mu.
func (s *Server) assignable(rp *repo, login string) bool {
	k := strings.ToLower(login)
	if s.users[k] == nil {
		return false
	}
	if strings.EqualFold(login, rp.owner.login) {
		return true
	}
	switch rp.perms[k] {
	case "admin", "write", "read":
		return true
	case "none":
		return false
	}
	if rp.private || rp.owner.typ != "Organization" {
		return false
	}
	for _, t := range s.teams {
		if !strings.EqualFold(t.org, rp.owner.login) {
			continue
		}
		for _, m := range t.members {
			if strings.EqualFold(m, login) {
				return true
			}
		}
	}
	return false
}

// checkAssignees answers GitHub's 422 for the first login in list (and
// one, the legacy single "assignee" field) that cannot be assigned in rp.
// Callers hold s.mu.
func (s *Server) checkAssignees(rp *repo, list *[]string, one *string) (response, bool) {
	var logins []string
	if list != nil {
		logins = append(logins, *list...)
	}
	if one != nil && *one != "" {
		logins = append(logins, *one)
	}
	for _, a := range logins {
		if !s.assignable(rp, a) {
			return response{status: http.StatusUnprocessableEntity, body: map[string]any{
				"message": "Validation Failed",
				"errors": []any{map[string]any{
					"value": a, "resource": "Issue", "field": "assignees", "code": "invalid",
				}},
				"documentation_url": "https://docs.github.com/rest/issues/issues",
				"status":            "422",
			}}, false
		}
	}
	return response{}, true
}

// hCheckAssignee is "Check if a user can be assigned": 204 or 404.
func hCheckAssignee(s *Server, c *call) response {
	if !s.assignable(c.repo, c.params["assignee"]) {
		return notFound()
	}
	return response{status: http.StatusNoContent}
}
