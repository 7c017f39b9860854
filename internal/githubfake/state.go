package githubfake

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strings"
	"time"
)

type user struct {
	id     int64
	login  string
	typ    string // "User", "Organization", "Bot"
	name   string
	status *userStatus
}

type userStatus struct {
	message string
	limited bool
}

type team struct {
	id      int64
	org     string
	slug    string
	members []string
	// repos is the team's access by lower-case repository full name; nil
	// means every repository of its organization (see SetTeamRepoAccess).
	repos map[string]string
}

type label struct {
	id    int64
	name  string
	color string
}

// repo is one repository: git objects, branches, issues (and PRs, which
// share the number space), comments, check runs and collaborator roles.
type repo struct {
	id             int64
	owner          *user
	name           string
	inst           int64
	private        bool
	hasDiscussions bool
	defaultBranch  string
	created        time.Time
	pushed         time.Time

	commits  map[string]*commit
	branches map[string]string // branch → commit SHA
	blobs    map[string]string
	trees    map[string][]treeEntry

	issues     map[int]*issue
	nextNumber int
	comments   map[int64]*comment
	checkRuns  map[int64]*checkRun
	perms      map[string]string // lower-case login → admin|write|read|none (the legacy permission)
	roles      map[string]role   // lower-case login → the role SetPermission/SetCustomRole gave (people.go)
	labels     map[string]*label // lower-case name
	treeLimit  int               // truncate.go: tree listings cut past this many entries (0: never)
}

// RepoOptions configures AddRepo.
type RepoOptions struct {
	DefaultBranch  string // default "main"
	Private        bool
	HasDiscussions bool
}

func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

func (rp *repo) fullName() string { return rp.owner.login + "/" + rp.name }

func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}

// userLocked returns the user with login, creating it with typ when it does
// not exist yet. Callers hold s.mu.
func (s *Server) userLocked(login, typ string) *user {
	k := strings.ToLower(login)
	if u := s.users[k]; u != nil {
		return u
	}
	if typ == "" {
		typ = "User"
		if strings.HasSuffix(login, "[bot]") {
			typ = "Bot"
		}
	}
	u := &user{id: s.newID(), login: login, typ: typ}
	s.users[k] = u
	return u
}

// AddUser makes a user known (users are also created on first mention by
// any setup call).
func (s *Server) AddUser(login, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(login, "User").name = name
}

// SetUserStatus sets a user's profile status (GraphQL user.status).
func (s *Server) SetUserStatus(login, message string, limitedAvailability bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.userLocked(login, "User").status = &userStatus{message: message, limited: limitedAvailability}
}

// AddTeam creates (or replaces) a team of an organization.
func (s *Server) AddTeam(org, slug string, members []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range members {
		s.userLocked(m, "User")
	}
	k := strings.ToLower(org + "/" + slug)
	t := s.teams[k]
	if t == nil {
		t = &team{id: s.newID(), org: org, slug: slug}
		s.teams[k] = t
	}
	t.members = append([]string(nil), members...)
}

// AddRepo creates a repository owned by owner (the installation's account)
// and visible to that installation. It has no commits until Commit.
func (s *Server) AddRepo(installationID int64, owner, name string, o RepoOptions) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.installations[installationID]
	if in == nil {
		s.violate("setup: AddRepo(%d, %s/%s): no such installation", installationID, owner, name)
		return
	}
	if !strings.EqualFold(in.account.login, owner) {
		s.violate("setup: AddRepo(%d, %s/%s): installation %d belongs to %s, not %s", installationID, owner, name, installationID, in.account.login, owner)
		return
	}
	if s.repos[repoKey(owner, name)] != nil {
		s.violate("setup: AddRepo: %s/%s already exists", owner, name)
		return
	}
	if o.DefaultBranch == "" {
		o.DefaultBranch = "main"
	}
	now := s.opts.Now()
	s.repos[repoKey(owner, name)] = &repo{
		id: s.newID(), owner: in.account, name: name, inst: installationID,
		private: o.Private, hasDiscussions: o.HasDiscussions, defaultBranch: o.DefaultBranch,
		created: now, pushed: now,
		commits: map[string]*commit{}, branches: map[string]string{}, blobs: map[string]string{},
		trees: map[string][]treeEntry{}, issues: map[int]*issue{}, nextNumber: 1,
		comments: map[int64]*comment{}, checkRuns: map[int64]*checkRun{},
		perms: map[string]string{}, labels: map[string]*label{},
	}
}

// SetPermission sets a user's role on a repository: admin, maintain,
// write, triage, read or none. GET .../collaborators/{user}/permission
// reports it as GitHub does: role_name is the role, permission the legacy
// base (maintain as write, triage as read), and the user object carries
// the capability flags. Everything else the fake derives from access
// (author_association, assignability) follows the legacy base.
func (s *Server) SetPermission(owner, name, login, permission string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("SetPermission", owner, name)
	if rp == nil {
		return
	}
	if _, ok := baseRoles[permission]; !ok {
		s.violate("setup: SetPermission(%s, %s): permission %q is not admin|maintain|write|triage|read|none", rp.fullName(), login, permission)
		return
	}
	s.setRoleLocked(rp, login, role{name: permission, base: permission})
}

// SetCustomRole gives a user an organization's custom repository role
// named roleName, built on base (read, triage, write or maintain), as
// GitHub Enterprise Cloud allows: role_name is roleName, permission and the
// flags follow the base.
func (s *Server) SetCustomRole(owner, name, login, roleName, base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("SetCustomRole", owner, name)
	if rp == nil {
		return
	}
	if _, ok := baseRoles[base]; !ok || base == "admin" || base == "none" || roleName == "" {
		s.violate("setup: SetCustomRole(%s, %s): a custom role needs a name and a base of read|triage|write|maintain, got %q on %q", rp.fullName(), login, roleName, base)
		return
	}
	s.setRoleLocked(rp, login, role{name: roleName, base: base})
}

func (s *Server) setRoleLocked(rp *repo, login string, r role) {
	s.userLocked(login, "User")
	if rp.roles == nil {
		rp.roles = map[string]role{}
	}
	rp.perms[strings.ToLower(login)] = baseRoles[r.base]
	rp.roles[strings.ToLower(login)] = r
}

// setupRepo finds a repo for a setup call, recording a violation when it
// does not exist. Callers hold s.mu.
func (s *Server) setupRepo(fn, owner, name string) *repo {
	rp := s.repos[repoKey(owner, name)]
	if rp == nil {
		s.violate("setup: %s: repository %s/%s does not exist (AddRepo first)", fn, owner, name)
	}
	return rp
}

// labelLocked returns the repo label, creating it (GitHub creates labels
// named in an issue write on the fly).
func (s *Server) labelLocked(rp *repo, name string) *label {
	k := strings.ToLower(name)
	if l := rp.labels[k]; l != nil {
		return l
	}
	l := &label{id: s.newID(), name: name, color: "ededed"}
	rp.labels[k] = l
	return l
}

// JSON renderers shared by the handlers.

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func tsOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ts(t)
}

func nodeID(kind string, id int64) string {
	return base64.RawStdEncoding.EncodeToString([]byte(fmt.Sprintf("%s_%d", kind, id)))
}

func (s *Server) userJSON(u *user) map[string]any {
	if u == nil {
		return nil
	}
	return map[string]any{
		"login": u.login, "id": u.id, "node_id": nodeID("U", u.id), "type": u.typ, "site_admin": false,
		"avatar_url": "https://avatars.githubusercontent.com/u/" + fmt.Sprint(u.id),
		"html_url":   "https://github.com/" + u.login,
		"url":        s.URL() + "/users/" + u.login,
	}
}

func (s *Server) userByLogin(login string) *user {
	if login == "" {
		return nil
	}
	return s.userLocked(login, "")
}

func (s *Server) repoJSON(rp *repo) map[string]any {
	vis := "public"
	if rp.private {
		vis = "private"
	}
	return map[string]any{
		"id": rp.id, "node_id": nodeID("R", rp.id), "name": rp.name, "full_name": rp.fullName(),
		"owner": s.userJSON(rp.owner), "private": rp.private, "visibility": vis,
		"html_url": "https://github.com/" + rp.fullName(), "url": s.URL() + "/repos/" + rp.fullName(),
		"description": nil, "fork": false, "archived": false, "disabled": false,
		"default_branch": rp.defaultBranch, "has_issues": true, "has_discussions": rp.hasDiscussions,
		"has_projects": false, "has_wiki": false,
		"created_at": ts(rp.created), "updated_at": ts(rp.pushed), "pushed_at": ts(rp.pushed),
		"permissions": map[string]any{"admin": false, "maintain": false, "push": false, "triage": false, "pull": true},
	}
}

func (s *Server) labelJSON(rp *repo, l *label) map[string]any {
	return map[string]any{
		"id": l.id, "node_id": nodeID("L", l.id), "name": l.name, "color": l.color, "default": false,
		"description": nil, "url": s.URL() + "/repos/" + rp.fullName() + "/labels/" + l.name,
	}
}

func sortInt64(x []int64) { sort.Slice(x, func(i, j int) bool { return x[i] < x[j] }) }
