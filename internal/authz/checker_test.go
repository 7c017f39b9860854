package authz_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"

	"github.com/overlaphq/overlap/internal/authz"
	"github.com/overlaphq/overlap/internal/githubfake"
)

const route = "GET /repos/{owner}/{repo}/collaborators/{username}/permission"

func emulator(t *testing.T) (*githubfake.Server, *github.Client) {
	t.Helper()
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	f := githubfake.NewTest(t, githubfake.Options{Now: func() time.Time { return now }})
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "acme", "api", githubfake.RepoOptions{Private: true})
	cc := githubapp.NewClientCreator(f.URL()+"/", f.URL()+"/graphql", f.AppID(), f.AppPrivateKeyPEM())
	rest, err := cc.NewInstallationClient(inst)
	if err != nil {
		t.Fatalf("installation client: %v", err)
	}
	return f, rest
}

// The roles GitHub distinguishes only in role_name (maintain, triage, a
// custom role) are read as such over real HTTP.
func TestCheckerReadsRolesAsGitHubReportsThem(t *testing.T) {
	f, rest := emulator(t)
	f.SetPermission("acme", "api", "mia", "maintain")
	f.SetPermission("acme", "api", "tess", "triage")
	f.SetPermission("acme", "api", "carol", "write")
	f.SetCustomRole("acme", "api", "sec", "security-manager", "maintain")
	f.SetCustomRole("acme", "api", "sup", "support", "triage")
	f.AddUser("stranger", "Stranger")
	c := authz.NewChecker(rest, "acme", "api")
	ctx := context.Background()
	for login, want := range map[string]authz.Role{
		"mia": authz.RoleMaintain, "tess": authz.RoleTriage, "carol": authz.RoleWrite,
		"sec": authz.RoleMaintain, "sup": authz.RoleTriage, "stranger": authz.RoleNone,
		"nobody-at-all": authz.RoleNone, // 404: no such user
	} {
		g, err := c.Grant(ctx, login)
		if err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		if got := authz.RoleOf(g); got != want {
			t.Errorf("%s: role %s (permission %q, role_name %q), want %s", login, got, g.Permission, g.RoleName, want)
		}
	}
}

func TestCheckerReadsEachPersonOncePerEvent(t *testing.T) {
	f, rest := emulator(t)
	f.SetPermission("acme", "api", "carol", "write")
	c := authz.NewChecker(rest, "acme", "api")
	ctx := context.Background()
	f.ResetCalls()
	for _, req := range []authz.Request{
		{Action: authz.ADRSkip, Actor: authz.Actor{Login: "carol"}, Author: "alice"},
		{Action: authz.ADRSkip, Actor: authz.Actor{Login: "Carol"}, Author: "alice"},
		{Action: authz.DocsReviewed, Actor: authz.Actor{Login: "carol"}},
		// No read at all: a bot, a ghost, a self-only action.
		{Action: authz.ADRSkip, Actor: authz.Actor{Login: "overlap[bot]", Type: "Bot"}},
		{Action: authz.ADRSkip, Actor: authz.Actor{Login: "ghost"}},
		{Action: authz.FeedbackOptOut, Actor: authz.Actor{Login: "rita"}, Subject: "rita"},
	} {
		if _, err := c.Authorize(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	if n := f.Calls()[route]; n != 1 {
		t.Errorf("want one permission read, got %d: %v", n, f.Calls())
	}
	// A new event sees a changed role.
	f.SetPermission("acme", "api", "carol", "read")
	d, err := authz.NewChecker(rest, "acme", "api").Authorize(ctx, authz.Request{Action: authz.ADRSkip, Actor: authz.Actor{Login: "carol"}})
	if err != nil || d.Allowed {
		t.Errorf("after losing write: %+v, %v", d, err)
	}
}

func TestCheckerFailsClosedWhenGitHubDoesNotAnswer(t *testing.T) {
	f, rest := emulator(t)
	f.SetPermission("acme", "api", "dave", "admin")
	f.Inject(githubfake.Fault{Route: route, Status: http.StatusBadGateway, Times: 1})
	c := authz.NewChecker(rest, "acme", "api")
	ctx := context.Background()
	req := authz.Request{Action: authz.ADRSkip, Actor: authz.Actor{Login: "dave"}}
	d, err := c.Authorize(ctx, req)
	if err == nil || d.Allowed || d.Reason != authz.DeniedFailure {
		t.Fatalf("want a refusal and an error to retry on, got %+v, %v", d, err)
	}
	// The failure is not remembered: the retry reads again and succeeds.
	if d, err = c.Authorize(ctx, req); err != nil || !d.Allowed {
		t.Errorf("retry: %+v, %v", d, err)
	}
}

// A login is escaped into the path: it cannot address another endpoint.
func TestCheckerEscapesTheLogin(t *testing.T) {
	f, rest := emulator(t)
	f.ResetCalls()
	g, err := authz.NewChecker(rest, "acme", "api").Grant(context.Background(), "../../../user")
	if err != nil || authz.RoleOf(g) != authz.RoleNone {
		t.Errorf("got %+v, %v", g, err)
	}
	if f.Calls()[route] != 1 {
		t.Errorf("the request should have gone to the permission endpoint: %v", f.Calls())
	}
}
