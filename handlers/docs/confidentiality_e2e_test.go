package docs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// secret is planted in repository vault, which the installation can read
// and the people of acme/api may not.
const secret = "hunter2x"

// vaultPolicy is a valid policy full of the secret: if Overlap applied it,
// the secret would show up in what the features write.
const vaultPolicy = `team:
  timezone: Asia/Tokyo
  people:
    hunter2x: {timezone: Asia/Tokyo, manager: true}
adr:
  labels: [decision, hunter2x-label]
  directory: hunter2x/adr
docs:
  sets:
    runbooks: {paths: ["docs/runbooks/**/*.md"], max_age: 1d}
  duty: {rotation: [hunter2x], every: 1w, starts: 2026-01-05}
reviews:
  first_response: 1h
  escalate_to: hunter2x
`

// pointers are every way a policy can name a file of another repository.
var pointers = []string{
	"extends: acme/vault\n",
	"extends: acme/vault/deploy/values.yml\n",
	"extends: acme/vault/.github/overlap.yml@main\n",
	"remote: acme/vault\n",
	"remote: acme/vault\npath: deploy/values.yml\nref: main\n",
}

// plantVault creates acme/vault (private) holding the secret in a policy
// file, a non-policy file and extra files.
func plantVault(h *apptest.Harness, extra map[string]string) {
	h.Fake.AddRepo(h.Installation, apptest.Org, "vault", githubfake.RepoOptions{Private: true})
	files := map[string]string{
		".github/overlap.yml": vaultPolicy,
		"deploy/values.yml":   "aws_secret_access_key: " + secret + "\nteam:\n  timezone: " + secret + "\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	h.Fake.Commit(apptest.Org, "vault", "main", githubfake.CommitSpec{Message: "secrets", Author: "octocat", Files: files})
}

// assertNoSecret fails if anything the app wrote (comments, check runs and
// their annotations, issues, discussions: the emulator records every
// request body) contains the secret, and if the app wrote nothing at all
// (the test would prove nothing).
func assertNoSecret(t *testing.T, h *apptest.Harness) {
	t.Helper()
	writes := h.Fake.Writes()
	if len(writes) == 0 {
		t.Fatal("the app wrote nothing; the scenario does not exercise the feature")
	}
	for _, w := range writes {
		if strings.Contains(string(w.Body), secret) || strings.Contains(w.Path, secret) {
			t.Errorf("%s %s wrote the other repository's secret:\n%s", w.Method, w.Path, w.Body)
		}
	}
}

// Docs freshness lists doc sets, owners and the duty rotation, and checks
// the links of edited docs: a policy pointing at another repository's file
// (a secret rotation and doc sets) and docs linking into that repository
// must not bring any of it into this repository's checks or tracking issue.
func TestDocsWriteNothingFromAnotherRepository(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, ptr := range pointers {
		t.Run(strings.TrimSpace(strings.ReplaceAll(ptr, "\n", " ")), func(t *testing.T) {
			h := apptest.New(t, apptest.Options{Features: []handlers.Feature{&docs.Feature{}, configcheck.Feature{}}, Now: start})
			plantVault(h, map[string]string{"docs/runbooks/db.md": "---\nowner: " + secret + "\nlast_reviewed: 2020-01-01\n---\n# " + secret + "\n"})
			h.AddRepo("api", map[string]string{"README.md": "# api\n", ".github/overlap.yml": ptr,
				"docs/runbooks/db.md": "---\nowner: alice\nlast_reviewed: 2020-01-01\ncovers: [\"db/**\"]\n---\n# Database\n"})
			h.Fake.Commit(apptest.Org, "api", "t", githubfake.CommitSpec{Message: "c", Author: "alice", Files: map[string]string{
				"db/schema.sql": "create table t();\n",
				"docs/runbooks/db.md": "---\nowner: alice\nlast_reviewed: 2020-01-01\ncovers: [\"db/**\"]\n---\n# Database\n\n" +
					"See [the vault](../../../vault/docs/runbooks/db.md), [values](https://github.com/acme/vault/blob/main/deploy/values.yml) and [this](acme/vault:docs/runbooks/db.md).\n",
			}})
			n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Schema", Author: "alice", Head: "t", Body: "Runbook: acme/vault:docs/runbooks/db.md"})
			h.Send("pull_request", h.PREvent("opened", "api", n))
			h.Sweep(start.Add(time.Hour))
			assertNoSecret(t, h)
		})
	}
}
