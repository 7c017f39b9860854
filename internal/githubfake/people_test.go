package githubfake

import (
	"context"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/appconfig"
)

func TestInstallationsAndPeople(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	f := w.fake
	f.SetPermission("acme", "api", "alice", "write")
	f.AddTeam("acme", "platform", []string{"alice", "bob"})
	f.AddUser("carol", "Carol C")

	app, err := w.cc.NewAppClient()
	if err != nil {
		t.Fatal(err)
	}
	insts, _, err := app.Apps.ListInstallations(ctx, nil)
	if err != nil || len(insts) != 1 || insts[0].GetAccount().GetLogin() != "acme" || insts[0].GetID() != w.inst {
		t.Fatalf("installations = %v, %v", insts, err)
	}
	byRepo, _, err := app.Apps.FindRepositoryInstallation(ctx, "acme", "api")
	if err != nil || byRepo.GetID() != w.inst {
		t.Errorf("repo installation = %v, %v", byRepo, err)
	}
	byOrg, _, err := app.Apps.FindOrganizationInstallation(ctx, "acme")
	if err != nil || byOrg.GetID() != w.inst {
		t.Errorf("org installation = %v, %v", byOrg, err)
	}
	if _, _, err := app.Apps.FindOrganizationInstallation(ctx, "nobody"); statusOf(err) != 404 {
		t.Errorf("unknown org: %v, want 404", err)
	}
	repos, _, err := w.gh.Apps.ListRepos(ctx, nil)
	if err != nil || repos.GetTotalCount() != 1 || repos.Repositories[0].GetFullName() != "acme/api" {
		t.Errorf("installation repos = %v, %v", repos, err)
	}

	tests := []struct{ user, want string }{
		{"alice", "write"},
		{"carol", "read"}, // public repo: anyone can read
		{"acme", "admin"},
	}
	for _, tt := range tests {
		p, _, err := w.gh.Repositories.GetPermissionLevel(ctx, "acme", "api", tt.user)
		if err != nil || p.GetPermission() != tt.want {
			t.Errorf("permission of %s = %v, %v; want %s", tt.user, p.GetPermission(), err, tt.want)
		}
	}
	if _, _, err := w.gh.Repositories.GetPermissionLevel(ctx, "acme", "api", "ghost-user"); statusOf(err) != 404 {
		t.Errorf("unknown user: %v, want 404", err)
	}

	members, _, err := w.gh.Teams.ListTeamMembersBySlug(ctx, "acme", "platform", nil)
	if err != nil || len(members) != 2 || members[0].GetLogin() != "alice" {
		t.Errorf("team members = %v, %v", members, err)
	}
	u, _, err := w.gh.Users.Get(ctx, "carol")
	if err != nil || u.GetName() != "Carol C" || u.GetType() != "User" {
		t.Errorf("user = %v, %v", u, err)
	}
}

func TestSetupMistakesAreViolations(t *testing.T) {
	f := New(Options{Now: func() time.Time { return t0 }})
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "other", "x", RepoOptions{})
	f.Commit("acme", "missing", "main", CommitSpec{})
	f.OpenPR("acme", "x", PRSpec{Head: "a"})
	if v := f.Violations(); len(v) != 3 {
		t.Errorf("violations = %q, want 3 setup mistakes", v)
	}
}

func TestOperationMatching(t *testing.T) {
	idx, err := loadOperations()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path, op string
		params           map[string]string
	}{
		{"GET", "/repos/o/r/contents/a/b/c.md", "GET /repos/{owner}/{repo}/contents/{path}", map[string]string{"path": "a/b/c.md"}},
		{"GET", "/repos/o/r/git/ref/heads/feat/x", "GET /repos/{owner}/{repo}/git/ref/{ref}", map[string]string{"ref": "heads/feat/x"}},
		{"GET", "/repos/o/r/pulls/comments", "GET /repos/{owner}/{repo}/pulls/comments", nil},
		{"GET", "/repos/o/r/pulls/7", "GET /repos/{owner}/{repo}/pulls/{pull_number}", map[string]string{"pull_number": "7"}},
		{"GET", "/repos/o/r/branches/feat%2Fx", "GET /repos/{owner}/{repo}/branches/{branch}", map[string]string{"branch": "feat/x"}},
		{"GET", "/repos/o/r/commits/abc/check-runs", "GET /repos/{owner}/{repo}/commits/{ref}/check-runs", map[string]string{"ref": "abc"}},
		{"POST", "/repos/o/r/pulls/7", "", nil},
		{"GET", "/admin/hooks", "", nil}, // GHES only
	}
	for _, tt := range tests {
		op, params, ok := idx.match(tt.method, tt.path)
		if tt.op == "" {
			if ok {
				t.Errorf("%s %s matched %s, want no match", tt.method, tt.path, op.name)
			}
			continue
		}
		if !ok || op.name != tt.op {
			t.Errorf("%s %s: got %v, want %s", tt.method, tt.path, op, tt.op)
			continue
		}
		for k, v := range tt.params {
			if params[k] != v {
				t.Errorf("%s %s: param %s = %q, want %q", tt.method, tt.path, k, params[k], v)
			}
		}
	}
}

func TestSchemaLoadTime(t *testing.T) {
	bs, err := loadBodySchemas()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("OpenAPI request-body schemas: %d operations indexed in %v", len(bs.ops), bs.LoadTime)
	if bs.LoadTime > 5*time.Second {
		t.Errorf("loading GitHub's OpenAPI description took %v", bs.LoadTime)
	}
}

func TestAppconfigLoaderWorksAgainstTheFake(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	ld := appconfig.NewLoader([]string{".github/overlap.yml"}, appconfig.WithOwnerDefault(".github", []string{"overlap.yml"}))

	c, err := ld.LoadConfig(ctx, w.gh, "acme", "api", "main")
	if err != nil || string(c.Content) != "adr:\n  enabled: true\n" {
		t.Fatalf("repo config = %q, %v", c.Content, err)
	}

	// No repo file and no org .github repository: undefined, without error.
	w.fake.Commit("acme", "api", "bare", CommitSpec{Delete: []string{".github/overlap.yml"}})
	c, err = ld.LoadConfig(ctx, w.gh, "acme", "api", "bare")
	if err != nil || !c.IsUndefined() {
		t.Fatalf("no config anywhere = %+v, %v", c, err)
	}

	// The org default in acme/.github.
	w.fake.AddRepo(w.inst, "acme", ".github", RepoOptions{})
	w.fake.Commit("acme", ".github", "main", CommitSpec{Files: map[string]string{"overlap.yml": "org: true\n"}})
	c, err = ld.LoadConfig(ctx, w.gh, "acme", "api", "bare")
	if err != nil || string(c.Content) != "org: true\n" || c.Source != "acme/.github@main" {
		t.Fatalf("org default = %+v, %v", c, err)
	}
}
