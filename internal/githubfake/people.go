package githubfake

import (
	"net/http"
	"strings"
)

// role is a user's role on a repository: its name (a base role or a
// custom role's name) and the base role it is built on.
type role struct{ name, base string }

// baseRoles maps GitHub's base repository roles to the legacy permission
// the permission endpoint reports for them.
var baseRoles = map[string]string{
	"admin": "admin", "maintain": "write", "write": "write",
	"triage": "read", "read": "read", "none": "none",
}

// roleRank orders the base roles for the capability flags.
var roleRank = map[string]int{"none": 0, "read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}

// hCollaboratorPermission is "Get repository permissions for a user":
// permission is the legacy base role (maintain reported as write, triage
// as read), role_name the role assigned (a custom role by its name), and
// the user object carries the capability flags and role_name as GitHub's
// does. Without a role set: the owner is admin, anyone can read a public
// repository, nobody else has access. An unknown login is 404.
func hCollaboratorPermission(s *Server, c *call) response {
	login := c.params["username"]
	u := s.users[strings.ToLower(login)]
	if u == nil {
		return notFound()
	}
	r, ok := c.repo.roles[strings.ToLower(login)]
	if legacy, set := c.repo.perms[strings.ToLower(login)]; set && !ok {
		r, ok = role{name: legacy, base: legacy}, true // set directly by another part of the fake
	}
	switch {
	case ok:
	case strings.EqualFold(login, c.repo.owner.login):
		r = role{name: "admin", base: "admin"}
	case !c.repo.private:
		r = role{name: "read", base: "read"}
	default:
		r = role{name: "none", base: "none"}
	}
	rank := roleRank[r.base]
	j := s.userJSON(u)
	j["permissions"] = map[string]any{
		"admin": rank >= 5, "maintain": rank >= 4, "push": rank >= 3, "triage": rank >= 2, "pull": rank >= 1,
	}
	j["role_name"] = r.name
	return jsonResp(http.StatusOK, map[string]any{"permission": baseRoles[r.base], "role_name": r.name, "user": j})
}

func hTeamMembers(s *Server, c *call) response {
	t := s.teams[strings.ToLower(c.params["org"]+"/"+c.params["team_slug"])]
	if t == nil {
		return notFound()
	}
	if c.inst == nil || !strings.EqualFold(s.installations[c.inst.id].account.login, t.org) {
		return notFound()
	}
	out := []any{}
	for _, m := range t.members {
		out = append(out, s.userJSON(s.userLocked(m, "User")))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func hGetUser(s *Server, c *call) response {
	u := s.users[strings.ToLower(c.params["username"])]
	if u == nil {
		return notFound()
	}
	j := s.userJSON(u)
	j["name"] = nilIfEmpty(u.name)
	j["company"], j["blog"], j["location"], j["email"], j["bio"] = nil, "", nil, nil, nil
	j["public_repos"], j["followers"], j["following"] = 0, 0, 0
	j["created_at"], j["updated_at"] = ts(s.app.created), ts(s.app.created)
	return jsonResp(http.StatusOK, j)
}
