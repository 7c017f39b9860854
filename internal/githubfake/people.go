package githubfake

import (
	"net/http"
	"strings"
)

func hCollaboratorPermission(s *Server, c *call) response {
	login := c.params["username"]
	u := s.users[strings.ToLower(login)]
	if u == nil {
		return notFound()
	}
	perm, ok := c.repo.perms[strings.ToLower(login)]
	switch {
	case ok:
	case strings.EqualFold(login, c.repo.owner.login):
		perm = "admin"
	case !c.repo.private:
		perm = "read"
	default:
		perm = "none"
	}
	return jsonResp(http.StatusOK, map[string]any{"permission": perm, "role_name": perm, "user": s.userJSON(u)})
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
