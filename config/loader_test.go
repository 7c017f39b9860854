package config

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-github/v60/github"
)

// fakeContents imitates the two REST endpoints appconfig uses: the contents
// API and GET /repos/{owner}/{repo} (for default branches).
type fakeContents struct {
	mu       sync.Mutex
	files    map[string]string // "owner/repo@ref:path" -> content; ref "" = default branch "main"
	repos    map[string]bool   // existing repositories
	fail     bool              // answer 502 to everything
	requests []string          // "path?ref=x"
}

func newFakeContents() *fakeContents {
	return &fakeContents{files: map[string]string{}, repos: map[string]bool{}}
}

func (f *fakeContents) put(repo, ref, path, content string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ref == "" {
		ref = "main"
	}
	f.repos[repo] = true
	f.files[repo+"@"+ref+":"+path] = content
}

func (f *fakeContents) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.URL.Path+"?ref="+r.URL.Query().Get("ref"))
	w.Header().Set("Content-Type", "application/json")
	if f.fail {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(`{"message":"Server Error"}`))
		return
	}
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/repos/"), "/", 4)
	notFound := func() {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Not Found"}`))
	}
	if len(parts) < 2 {
		notFound()
		return
	}
	repo := parts[0] + "/" + parts[1]
	if len(parts) == 2 {
		if !f.repos[repo] {
			notFound()
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"name": parts[1], "full_name": repo, "default_branch": "main"})
		return
	}
	if len(parts) != 4 || parts[2] != "contents" {
		notFound()
		return
	}
	ref := r.URL.Query().Get("ref")
	if ref == "" {
		ref = "main"
	}
	content, ok := f.files[repo+"@"+ref+":"+parts[3]]
	if !ok {
		notFound()
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"type": "file", "encoding": "base64", "path": parts[3], "name": parts[3],
		"content": base64.StdEncoding.EncodeToString([]byte(content)), "sha": blobSHA([]byte(content)),
		// GitHub names the ref it read (the default branch when none was
		// asked for) in the file's API url.
		"url": "https://api.github.com/repos/" + repo + "/contents/" + parts[3] + "?ref=" + ref,
	})
}

func (f *fakeContents) reset() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	r := f.requests
	f.requests = nil
	return r
}

func newTestClient(t *testing.T, h http.Handler) *github.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	c := github.NewClient(srv.Client())
	u, err := url.Parse(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = u
	return c
}

func TestLoader(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name         string
		setup        func(f *fakeContents)
		ref          string
		wantSource   string
		wantFiles    []string
		wantProblems []string
		check        func(t *testing.T, p Policy)
	}{
		{
			name:       "repo file",
			setup:      func(f *fakeContents) { f.put("acme/web", "", ".github/overlap.yml", "adr:\n  template: madr\n") },
			wantSource: "acme/web:.github/overlap.yml",
			wantFiles:  []string{"acme/web:.github/overlap.yml"},
			check: func(t *testing.T, p Policy) {
				if p.ADR.Template != TemplateMADR {
					t.Errorf("template = %s", p.ADR.Template)
				}
			},
		},
		{
			name: "org fallback",
			setup: func(f *fakeContents) {
				f.repos["acme/web"] = true
				f.put("acme/.github", "", "overlap.yml", "reviews:\n  first_response: 2h\n")
			},
			wantSource: "acme/.github@main:overlap.yml",
			wantFiles:  []string{"acme/.github@main:overlap.yml"},
			check: func(t *testing.T, p Policy) {
				if p.Reviews.FirstResponse.String() != "2h" {
					t.Errorf("first_response = %s", p.Reviews.FirstResponse)
				}
			},
		},
		{
			name:       "defaults when neither exists",
			setup:      func(f *fakeContents) { f.repos["acme/web"] = true },
			wantSource: "defaults",
			check: func(t *testing.T, p Policy) {
				if !reflect.DeepEqual(p, Defaults()) {
					t.Errorf("policy is not Defaults(): %+v", p)
				}
			},
		},
		{
			name: "broken file gives problems and defaults",
			setup: func(f *fakeContents) {
				f.put("acme/web", "", ".github/overlap.yml", "adr:\n  template: madr\n  labls: [x]\n")
			},
			wantSource:   "acme/web:.github/overlap.yml",
			wantFiles:    []string{"acme/web:.github/overlap.yml"},
			wantProblems: []string{`.github/overlap.yml:3:3: adr.labls: unknown key "labls" (hint: did you mean "labels"?)`},
			check: func(t *testing.T, p Policy) {
				if !reflect.DeepEqual(p, Defaults()) {
					t.Errorf("a broken file must yield Defaults(), got template %s", p.ADR.Template)
				}
			},
		},
		{
			name: "base ref is the ref requested",
			setup: func(f *fakeContents) {
				f.put("acme/web", "main", ".github/overlap.yml", "adr:\n  enabled: true\n")
				f.put("acme/web", "release", ".github/overlap.yml", "adr:\n  enabled: false\n")
			},
			ref:        "release",
			wantSource: "acme/web@release:.github/overlap.yml",
			wantFiles:  []string{"acme/web@release:.github/overlap.yml"},
			check: func(t *testing.T, p Policy) {
				if p.ADR.Enabled {
					t.Errorf("read the wrong ref: adr enabled")
				}
			},
		},
		{
			name: "extends org",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", "team:\n  timezone: Europe/Berlin\nreviews:\n  max_reminders: 4\n  first_response: 8h\n")
				f.put("acme/web", "", ".github/overlap.yml", "extends: org\nreviews:\n  first_response: 1h\n")
			},
			wantSource: "acme/web:.github/overlap.yml",
			wantFiles:  []string{"acme/.github:overlap.yml", "acme/web:.github/overlap.yml"},
			check: func(t *testing.T, p Policy) {
				if p.Reviews.FirstResponse.String() != "1h" || p.Reviews.MaxReminders != 4 || p.Team.Timezone != "Europe/Berlin" {
					t.Errorf("merge wrong: %+v %+v", p.Reviews, p.Team)
				}
			},
		},
		{
			name: "extends a repository the org allows, at a ref",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", "policy:\n  extends_allowed: [acme/policies]\n")
				f.put("acme/policies", "v2", "teams/web.yml", "adr:\n  directory: decisions\n")
				f.put("acme/web", "", ".github/overlap.yml", "extends: acme/policies/teams/web.yml@v2\n")
			},
			wantSource: "acme/web:.github/overlap.yml",
			wantFiles:  []string{"acme/policies@v2:teams/web.yml", "acme/web:.github/overlap.yml"},
			check: func(t *testing.T, p Policy) {
				if p.ADR.Directory != "decisions" {
					t.Errorf("directory = %s", p.ADR.Directory)
				}
			},
		},
		{
			name: "extends org without an org file",
			setup: func(f *fakeContents) {
				f.put("acme/web", "", ".github/overlap.yml", "adr:\n  enabled: false\nextends: org\n")
			},
			wantSource:   "acme/web:.github/overlap.yml",
			wantFiles:    []string{"acme/web:.github/overlap.yml"},
			wantProblems: []string{`.github/overlap.yml:3:10: extends: extends org, but acme/.github:overlap.yml does not exist (hint: create that file or remove extends)`},
		},
		{
			name: "org file that extends is a problem in the org file",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", "extends: acme/base\n")
				f.put("acme/base", "", ".github/overlap.yml", "{}\n")
				f.put("acme/web", "", ".github/overlap.yml", "extends: org\n")
			},
			wantSource:   "acme/web:.github/overlap.yml",
			wantFiles:    []string{"acme/.github:overlap.yml", "acme/web:.github/overlap.yml"},
			wantProblems: []string{`acme/.github:overlap.yml:1:10: extends: a file used through extends cannot extend another file (one level only) (hint: remove extends from acme/.github:overlap.yml)`},
		},
		{
			name: "org default that extends org",
			setup: func(f *fakeContents) {
				f.repos["acme/web"] = true
				f.put("acme/.github", "", "overlap.yml", "extends: org\n")
			},
			wantSource:   "acme/.github@main:overlap.yml",
			wantFiles:    []string{"acme/.github@main:overlap.yml"},
			wantProblems: []string{`acme/.github@main:overlap.yml:1:10: extends: the org default cannot extend itself (hint: remove extends)`},
		},
		{
			name: "remote reference to a missing file of an allowed repository",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", "policy:\n  extends_allowed: [acme/nothere]\n")
				f.put("acme/web", "", ".github/overlap.yml", "remote: acme/nothere\n")
			},
			wantSource:   "acme/web:.github/overlap.yml",
			wantFiles:    []string{"acme/web:.github/overlap.yml"},
			wantProblems: []string{`.github/overlap.yml:1:1: remote: the file it names does not exist or cannot be read (hint: check remote:, path: and ref:)`},
		},
		{
			name: "remote reference to an allowed repository",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", "policy:\n  extends_allowed: [ACME/Policies]\n")
				f.put("acme/policies", "", ".github/overlap.yml", "adr:\n  directory: decisions\n")
				f.put("acme/web", "", ".github/overlap.yml", "remote: acme/policies\n")
			},
			wantSource: "acme/policies:.github/overlap.yml",
			wantFiles:  []string{"acme/policies:.github/overlap.yml"},
			check: func(t *testing.T, p Policy) {
				if p.ADR.Directory != "decisions" {
					t.Errorf("directory = %s", p.ADR.Directory)
				}
			},
		},
		{
			name: "the org default may use remote: without a list",
			setup: func(f *fakeContents) {
				f.repos["acme/web"] = true
				f.put("acme/.github", "", "overlap.yml", "remote: acme/policies\npath: org.yml\n")
				f.put("acme/policies", "", "org.yml", "reviews:\n  max_reminders: 5\n")
			},
			wantSource: "acme/policies:org.yml",
			wantFiles:  []string{"acme/policies:org.yml"},
			check: func(t *testing.T, p Policy) {
				if p.Reviews.MaxReminders != 5 {
					t.Errorf("max_reminders = %d", p.Reviews.MaxReminders)
				}
			},
		},
		{
			name: "extends a file of the repository itself",
			setup: func(f *fakeContents) {
				f.put("acme/web", "", "policies/base.yml", "adr:\n  directory: decisions\n")
				f.put("acme/web", "", ".github/overlap.yml", "extends: acme/web/policies/base.yml\n")
			},
			wantSource: "acme/web:.github/overlap.yml",
			wantFiles:  []string{"acme/web:policies/base.yml", "acme/web:.github/overlap.yml"},
			check: func(t *testing.T, p Policy) {
				if p.ADR.Directory != "decisions" {
					t.Errorf("directory = %s", p.ADR.Directory)
				}
			},
		},
		{
			name: "a repository file cannot widen the allow-list",
			setup: func(f *fakeContents) {
				f.put("acme/web", "", ".github/overlap.yml", "policy:\n  extends_allowed: [acme/infra]\n")
			},
			wantSource:   "acme/web:.github/overlap.yml",
			wantFiles:    []string{"acme/web:.github/overlap.yml"},
			wantProblems: []string{`.github/overlap.yml:2:3: policy.extends_allowed: is read from the org default only (acme/.github:overlap.yml) (hint: move it there, or remove it)`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeContents()
			c.setup(fake)
			client := newTestClient(t, fake)
			l := NewLoader(PolicySource{})
			got, err := l.Load(ctx, client, "acme", "web", c.ref)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if got.Source != c.wantSource {
				t.Errorf("Source = %q, want %q", got.Source, c.wantSource)
			}
			if !reflect.DeepEqual(got.Files, c.wantFiles) {
				t.Errorf("Files = %q, want %q", got.Files, c.wantFiles)
			}
			var probs []string
			for _, p := range got.Problems {
				probs = append(probs, p.Error())
			}
			if !reflect.DeepEqual(probs, c.wantProblems) {
				t.Errorf("Problems = %q\nwant %q", probs, c.wantProblems)
			}
			if len(c.wantProblems) > 0 && !reflect.DeepEqual(got.Policy, Defaults()) {
				t.Errorf("Policy with problems must be Defaults()")
			}
			if c.check != nil {
				c.check(t, got.Policy)
			}
			if c.ref != "" {
				for _, r := range fake.reset() {
					if strings.HasPrefix(r, "/repos/acme/web/contents/") && !strings.HasSuffix(r, "?ref="+c.ref) {
						t.Errorf("read %s, want only ref %s", r, c.ref)
					}
				}
			}
		})
	}
}

func TestLoaderCache(t *testing.T) {
	ctx := context.Background()
	fake := newFakeContents()
	fake.put("acme/.github", "", "overlap.yml", "reviews:\n  max_reminders: 4\n")
	fake.put("acme/web", "", ".github/overlap.yml", "extends: org\n")
	client := newTestClient(t, fake)
	l := NewLoader(PolicySource{})

	first, err := l.Load(ctx, client, "acme", "web", "")
	if err != nil || l.Parses() != 1 || first.Policy.Reviews.MaxReminders != 4 {
		t.Fatalf("first load: %v, parses %d, %+v", err, l.Parses(), first.Policy.Reviews)
	}
	// Unchanged files: fetched again (cheap with conditional requests) but not parsed.
	second, err := l.Load(ctx, client, "acme", "web", "")
	if err != nil || l.Parses() != 1 {
		t.Fatalf("second load re-parsed: %v, parses %d", err, l.Parses())
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("cached result differs")
	}
	// A change to the org file (the base) is picked up.
	fake.put("acme/.github", "", "overlap.yml", "reviews:\n  max_reminders: 6\n")
	third, err := l.Load(ctx, client, "acme", "web", "")
	if err != nil || l.Parses() != 2 || third.Policy.Reviews.MaxReminders != 6 {
		t.Fatalf("changed base: %v, parses %d, %+v", err, l.Parses(), third.Policy.Reviews)
	}
	// Another ref is another cache entry.
	fake.put("acme/web", "dev", ".github/overlap.yml", "extends: org\n")
	if _, err := l.Load(ctx, client, "acme", "web", "dev"); err != nil || l.Parses() != 3 {
		t.Fatalf("other ref: %v, parses %d", err, l.Parses())
	}
}

func TestLoaderCacheIsBounded(t *testing.T) {
	ctx := context.Background()
	fake := newFakeContents()
	for _, r := range []string{"a", "b", "c"} {
		fake.put("acme/"+r, "", ".github/overlap.yml", "adr:\n  enabled: false\n")
	}
	client := newTestClient(t, fake)
	l := NewLoader(PolicySource{CacheSize: 2})
	for _, r := range []string{"a", "b", "c", "a"} {
		if _, err := l.Load(ctx, client, "acme", r, ""); err != nil {
			t.Fatal(err)
		}
	}
	// "a" was evicted by "c", so loading it again parsed again.
	if l.Parses() != 4 {
		t.Errorf("parses = %d, want 4", l.Parses())
	}
	if _, err := l.Load(ctx, client, "acme", "c", ""); err != nil || l.Parses() != 4 {
		t.Errorf("recent entry should be cached: parses = %d", l.Parses())
	}
}

func TestLoaderInfrastructureError(t *testing.T) {
	fake := newFakeContents()
	fake.fail = true
	client := newTestClient(t, fake)
	_, err := NewLoader(PolicySource{}).Load(context.Background(), client, "acme", "web", "main")
	if err == nil {
		t.Fatal("a 502 must be an error")
	}
	var ge *github.ErrorResponse
	if !strings.Contains(err.Error(), "load policy for acme/web@main") || !errorsAs(err, &ge) || ge.Response.StatusCode != http.StatusBadGateway {
		t.Errorf("error lacks context or cause: %v", err)
	}
}
