package authz

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/google/go-github/v60/github"
)

// Grant is GitHub's answer to GET /repos/{owner}/{repo}/collaborators/{username}/permission.
type Grant struct {
	// Permission is the legacy base role: admin, write, read or none.
	// GitHub reports maintain as write and triage as read here, so it
	// alone cannot tell a maintainer from a writer.
	Permission string `json:"permission"`
	// RoleName is the role assigned: admin, maintain, write, triage, read,
	// or the name of an organization's custom role.
	RoleName string `json:"role_name"`
	// User carries the per-capability flags GitHub adds to the user
	// object; they tell what a custom role is based on.
	User *struct {
		Permissions *Flags `json:"permissions"`
	} `json:"user"`
}

// Flags are the user object's "permissions": which base capabilities the
// person has on the repository.
type Flags struct {
	Admin    bool `json:"admin"`
	Maintain bool `json:"maintain"`
	Push     bool `json:"push"`
	Triage   bool `json:"triage"`
	Pull     bool `json:"pull"`
}

func baseRole(name string) (Role, bool) {
	switch strings.ToLower(name) {
	case "admin":
		return RoleAdmin, true
	case "maintain":
		return RoleMaintain, true
	case "write", "push":
		return RoleWrite, true
	case "triage":
		return RoleTriage, true
	case "read", "pull":
		return RoleRead, true
	case "none":
		return RoleNone, true
	}
	return RoleNone, false
}

// legacyCeiling is the highest role the legacy permission allows: maintain
// is reported as write and triage as read.
func legacyCeiling(permission string) Role {
	switch strings.ToLower(permission) {
	case "admin":
		return RoleAdmin
	case "write":
		return RoleMaintain
	case "read":
		return RoleTriage
	}
	return RoleNone
}

// legacyFloor is the role the legacy permission guarantees.
func legacyFloor(permission string) Role {
	switch strings.ToLower(permission) {
	case "admin":
		return RoleAdmin
	case "write":
		return RoleWrite
	case "read":
		return RoleRead
	}
	return RoleNone
}

func (f Flags) role() Role {
	switch {
	case f.Admin:
		return RoleAdmin
	case f.Maintain:
		return RoleMaintain
	case f.Push:
		return RoleWrite
	case f.Triage:
		return RoleTriage
	case f.Pull:
		return RoleRead
	}
	return RoleNone
}

// RoleOf is the effective role a grant gives. role_name is used when it
// names a base role; a custom role counts as the base its flags show, and
// without flags as what the legacy permission guarantees (a custom role
// reported as write counts as write, not maintain). Whatever the source,
// the role never exceeds what the legacy permission allows, so a response
// whose fields disagree is read as the lower of them.
func RoleOf(g Grant) Role {
	ceiling := legacyCeiling(g.Permission)
	role, ok := baseRole(g.RoleName)
	if !ok {
		role = legacyFloor(g.Permission)
		if g.User != nil && g.User.Permissions != nil {
			role = g.User.Permissions.role()
		}
	}
	return min(role, ceiling)
}

// Checker reads grants for the requests of one event on one repository
// and decides them. Make one per event: it remembers each person's grant
// (one permission read per person per event), and a later event must see
// a role changed in between.
type Checker struct {
	rest        *github.Client
	owner, repo string

	mu     sync.Mutex
	grants map[string]Grant // lower-case login
}

// NewChecker returns a Checker for the repository owner/repo, reading
// through rest.
func NewChecker(rest *github.Client, owner, repo string) *Checker {
	return &Checker{rest: rest, owner: owner, repo: repo, grants: map[string]Grant{}}
}

// Authorize decides req, reading the actor's grant only when the decision
// needs it. When GitHub does not answer, the decision is a refusal
// (DeniedFailure) and the error is returned, so the caller takes no action
// and the job is retried.
func (c *Checker) Authorize(ctx context.Context, req Request) (Decision, error) {
	var g Grant
	if NeedsGrant(req) {
		var err error
		if g, err = c.Grant(ctx, req.Actor.Login); err != nil {
			return Decision{Reason: DeniedFailure}, err
		}
	}
	return Decide(req, g), nil
}

// Grant returns login's grant on the repository, read once per Checker. A
// person GitHub does not know there (404) has the empty grant: no role.
// The lock is held across the read so that concurrent asks about one
// person cost one call.
func (c *Checker) Grant(ctx context.Context, login string) (Grant, error) {
	key := strings.ToLower(login)
	c.mu.Lock()
	defer c.mu.Unlock()
	if g, ok := c.grants[key]; ok {
		return g, nil
	}
	// Logins come from payloads: escape them so that no login can address
	// another endpoint.
	u := fmt.Sprintf("repos/%s/%s/collaborators/%s/permission", url.PathEscape(c.owner), url.PathEscape(c.repo), url.PathEscape(login))
	req, err := c.rest.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return Grant{}, fmt.Errorf("authz: build permission request for %s on %s/%s: %w", login, c.owner, c.repo, err)
	}
	var g Grant
	if _, err := c.rest.Do(ctx, req, &g); err != nil {
		var ghErr *github.ErrorResponse
		if !errors.As(err, &ghErr) || ghErr.Response == nil || ghErr.Response.StatusCode != http.StatusNotFound {
			return Grant{}, fmt.Errorf("authz: read %s's permission on %s/%s: %w", login, c.owner, c.repo, err)
		}
		g = Grant{Permission: "none"}
	}
	c.grants[key] = g
	return g, nil
}
