package configcheck_test

import (
	"strings"
	"testing"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

const org = apptest.Org

// secret is planted in a private repository the installation can read.
const secret = "hunter2-AKIAEXAMPLE"

// valuesFile is not a policy at all: every line would be an error, and the
// old messages quoted each key and value.
var valuesFile = "aws_secret_access_key: " + secret + "\nteam:\n  timezone: " + secret + "\n  people:\n    " + secret + ": {timezone: Mars/Olympus}\nreviews:\n  escalate_to: \"" + secret + "\"\n  max_reminders: " + secret + "\n"

// assertNothingWritten fails if any write the app made (comments, check
// runs and their annotations, issues: the emulator records every request
// body) contains s.
func assertNothingWritten(t *testing.T, h *apptest.Harness, s string) {
	t.Helper()
	for _, w := range h.Fake.Writes() {
		if strings.Contains(string(w.Body), s) || strings.Contains(w.Path, s) {
			t.Errorf("%s %s wrote content of another repository:\n%s", w.Method, w.Path, w.Body)
		}
	}
}

// readsOf counts the app's requests for repository name's contents.
func readsOf(h *apptest.Harness, name string) int {
	n := 0
	for _, r := range h.Fake.Requests() {
		if strings.HasPrefix(strings.ToLower(r.Path), "/repos/"+org+"/"+name+"/") {
			n++
		}
	}
	return n
}

// Finding 3 (issue 8): a PR that pointed extends: or remote: at a private
// file got its keys and values printed in the "Overlap config" check. Every
// way a policy can point at another repository is tried, from a fork PR
// by someone with no access (the check runs on the base repository and
// anyone who can see the PR sees it).
func TestConfigCheckNeverPrintsAnotherRepositorysFile(t *testing.T) {
	for _, tc := range []struct {
		name     string
		orgFile  string // the org default; "" = none
		proposed string // the .github/overlap.yml the PR proposes
		base     string // the repository's policy at the base; "" = none
		wantRead bool   // whether acme/infra-private may be read at all
		want     string // in the check's summary
	}{
		{name: "extends a private file", proposed: "extends: acme/infra-private/deploy/values.yml\n",
			want: "extends: Overlap reads policy files only from this repository, the org default and the repositories the org allows"},
		{name: "remote: a private file", proposed: "remote: acme/infra-private\npath: deploy/values.yml\n",
			want: "remote: Overlap reads policy files only from this repository, the org default and the repositories the org allows"},
		{name: "remote: at a ref", proposed: "remote: acme/infra-private\npath: deploy/values.yml\nref: main\n",
			want: "remote: Overlap reads policy files only from"},
		{name: "extends at a ref", proposed: "extends: acme/infra-private/deploy/values.yml@main\n",
			want: "extends: Overlap reads policy files only from"},
		{name: "the base policy already points there", base: "extends: acme/infra-private/deploy/values.yml\n", proposed: "",
			want: "extends: Overlap reads policy files only from"},
		{name: "an allowed repository's broken file", orgFile: "policy:\n  extends_allowed: [acme/infra-private]\n",
			proposed: "extends: acme/infra-private/deploy/values.yml\n", wantRead: true,
			want: "acme/infra-private:deploy/values.yml:1: has 4 problems (lines 1, 3, 5, 8)"},
		{name: "the org default is broken", orgFile: valuesFile, proposed: "extends: org\n",
			want: "acme/.github:overlap.yml:3: team.timezone: this setting is not valid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}})
			files := map[string]string{"README.md": "# web\n"}
			if tc.base != "" {
				files[".github/overlap.yml"] = tc.base
			}
			h.AddRepo("web", files)
			h.Fake.AddRepo(h.Installation, org, "infra-private", githubfake.RepoOptions{Private: true})
			h.Fake.Commit(org, "infra-private", "main", githubfake.CommitSpec{Message: "values", Author: "octocat",
				Files: map[string]string{"deploy/values.yml": valuesFile, ".github/overlap.yml": valuesFile}})
			if tc.orgFile != "" {
				h.AddRepo(".github", map[string]string{"overlap.yml": tc.orgFile})
			}
			change := map[string]string{"README.md": "# web, again\n"}
			if tc.proposed != "" {
				change[".github/overlap.yml"] = tc.proposed
			}
			h.Fake.Commit(org, "web", "attack", githubfake.CommitSpec{Message: "policy", Author: "mallory", Files: change})
			n := h.Fake.OpenPR(org, "web", githubfake.PRSpec{Title: "Tweak the policy", Author: "mallory", Head: "attack"})
			h.Send("pull_request", h.PREvent("opened", "web", n, func(p map[string]any) {
				// As GitHub sends it for a PR from a fork.
				head := p["pull_request"].(map[string]any)["head"].(map[string]any)
				if repo, ok := head["repo"].(map[string]any); ok {
					repo["fork"] = true
					repo["full_name"] = "mallory/web"
				}
			}))

			var summary string
			for _, r := range h.Fake.CheckRuns(org, "web") {
				if r.Name == configcheck.CheckName {
					summary = r.Summary
				}
			}
			if !strings.Contains(summary, tc.want) {
				t.Errorf("check summary lacks %q:\n%s", tc.want, summary)
			}
			assertNothingWritten(t, h, secret)
			assertNothingWritten(t, h, "aws_secret_access_key")
			assertNothingWritten(t, h, "Mars/Olympus")
			if got := readsOf(h, "infra-private"); (got > 0) != tc.wantRead {
				t.Errorf("the app read acme/infra-private %d times (want reads: %v)", got, tc.wantRead)
			}
		})
	}
}
