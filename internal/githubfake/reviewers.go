package githubfake

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Review requests: who GitHub lets a pull request ask.
//
// POST /repos/{owner}/{repo}/pulls/{n}/requested_reviewers answers 422, as
// GitHub does, when
//
//   - a user is not a collaborator of the repository (the fake's rule is
//     the one for assignees, see assignable: the owner, anyone SetPermission
//     gave read or more, and on a public organization repository the
//     members of the organization's teams);
//   - a team is not a team of the repository's organization, or has no
//     access to the repository (a team made by AddTeam reaches every
//     repository of its organization until SetTeamRepoAccess narrows it);
//   - the pull request would then wait on more than MaxRequestedReviewers
//     users and teams together.
//
// An app checks first with GET /repos/{owner}/{repo}/collaborators/{user}
// (204 or 404) and GET /orgs/{org}/teams/{team}/repos/{owner}/{repo} (404
// without access), both served here.

// MaxRequestedReviewers is how many users and teams together a pull
// request may have pending review requests from.
const MaxRequestedReviewers = 15

func init() {
	handlers["GET /repos/{owner}/{repo}/collaborators/{username}"] = hCheckCollaborator
	handlers["GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"] = hCheckTeamRepo
}

// readyEvent is one "marked ready for review" on a pull request's timeline.
type readyEvent struct {
	at time.Time
	by *user
}

// SetTeamRepoAccess gives an organization's team a permission on one of
// the organization's repositories: admin, maintain, push, triage, pull, or
// none to take access away. From the first call on, the team reaches only
// the repositories given this way.
func (s *Server) SetTeamRepoAccess(org, slug, owner, name, permission string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.teams[strings.ToLower(org+"/"+slug)]
	if t == nil {
		s.violate("setup: SetTeamRepoAccess: team %s/%s does not exist (AddTeam first)", org, slug)
		return
	}
	rp := s.setupRepo("SetTeamRepoAccess", owner, name)
	if rp == nil {
		return
	}
	switch permission {
	case "admin", "maintain", "push", "triage", "pull", "none":
	default:
		s.violate("setup: SetTeamRepoAccess(%s/%s, %s): permission %q is not admin|maintain|push|triage|pull|none", org, slug, rp.fullName(), permission)
		return
	}
	if t.repos == nil {
		t.repos = map[string]string{}
	}
	if permission == "none" {
		delete(t.repos, strings.ToLower(rp.fullName()))
		return
	}
	t.repos[strings.ToLower(rp.fullName())] = permission
}

// MarkReadyForReview turns a draft pull request into one ready for review
// at the given instant (now when zero), as the "Ready for review" button
// does; the timeline gets a ReadyForReviewEvent.
func (s *Server) MarkReadyForReview(owner, name string, number int, by string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, is := s.setupPR("MarkReadyForReview", owner, name, number)
	if is == nil {
		return
	}
	if !is.pr.draft {
		s.violate("setup: MarkReadyForReview: #%d is not a draft", number)
		return
	}
	if at.IsZero() {
		at = s.opts.Now()
	}
	is.pr.draft = false
	is.pr.readyLog = append(is.pr.readyLog, readyEvent{at: at, by: s.userByLogin(defaultStr(by, is.user.login))})
	is.updated = at
}

// teamRepoPermission is the team's permission on rp, "" without access.
// Callers hold s.mu.
func teamRepoPermission(t *team, rp *repo) string {
	if !strings.EqualFold(t.org, rp.owner.login) {
		return ""
	}
	if t.repos == nil {
		return "pull"
	}
	return t.repos[strings.ToLower(rp.fullName())]
}

// isTeamMember reports whether u is a member of t. Callers hold s.mu.
func (s *Server) isTeamMember(t *team, u *user) bool {
	if u == nil {
		return false
	}
	for _, m := range t.members {
		if strings.EqualFold(m, u.login) {
			return true
		}
	}
	return false
}

// checkReviewers answers GitHub's 422 for a review request GitHub refuses.
// Callers hold s.mu.
func (s *Server) checkReviewers(rp *repo, is *issue, users, teams []string) (response, bool) {
	refuse := func(field string) response {
		return invalid("PullRequest", field, "custom", "Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the "+rp.fullName()+" repository.")
	}
	pending := len(is.pr.requested)
	for _, login := range users {
		if !s.assignable(rp, login) {
			return refuse("reviewers"), false
		}
		if u := s.users[strings.ToLower(login)]; !hasRequest(is.pr.requested, u, nil) {
			pending++
		}
	}
	for _, slug := range teams {
		t := s.teams[strings.ToLower(rp.owner.login+"/"+slug)]
		if t == nil || teamRepoPermission(t, rp) == "" {
			return refuse("team_reviewers"), false
		}
		if !hasRequest(is.pr.requested, nil, t) {
			pending++
		}
	}
	if pending > MaxRequestedReviewers {
		return invalid("PullRequest", "reviewers", "custom", "You may only request up to "+strconv.Itoa(MaxRequestedReviewers)+" reviewers on a pull request."), false
	}
	return response{}, true
}

// hCheckCollaborator is "Check if a user is a repository collaborator":
// 204 or 404.
func hCheckCollaborator(s *Server, c *call) response {
	if !s.assignable(c.repo, c.params["username"]) {
		return notFound()
	}
	return response{status: http.StatusNoContent}
}

// hCheckTeamRepo is "Check team permissions for a repository": 404 without
// access; 204, or the repository with the team's permissions when asked
// for application/vnd.github.v3.repository+json (as go-github does).
func hCheckTeamRepo(s *Server, c *call) response {
	t := s.teams[strings.ToLower(c.params["org"]+"/"+c.params["team_slug"])]
	rp := s.repos[repoKey(c.params["owner"], c.params["repo"])]
	if t == nil || rp == nil || c.inst == nil || !strings.EqualFold(s.installations[c.inst.id].account.login, t.org) || rp.inst != c.inst.id {
		return notFound()
	}
	perm := teamRepoPermission(t, rp)
	if perm == "" {
		return notFound()
	}
	if !strings.Contains(c.r.Header.Get("Accept"), "application/vnd.github.v3.repository+json") {
		return response{status: http.StatusNoContent}
	}
	out := s.repoJSON(rp)
	rank := map[string]int{"pull": 1, "triage": 2, "push": 3, "maintain": 4, "admin": 5}[perm]
	out["permissions"] = map[string]any{
		"pull": rank >= 1, "triage": rank >= 2, "push": rank >= 3, "maintain": rank >= 4, "admin": rank >= 5,
	}
	out["role_name"] = perm
	return jsonResp(http.StatusOK, out)
}
