package apptest

import (
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/githubfake"
)

// VaultSecret is planted in the private repository "vault", which the
// installation can read and the people of the repository under test may
// not: confidentiality tests assert it never appears in what the app
// writes elsewhere.
const VaultSecret = "hunter2x"

// VaultPolicy is a valid policy full of VaultSecret: if Overlap applied it,
// the secret would show up in what the features write.
const VaultPolicy = `team:
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

// VaultPointers are every way a policy can name a file of the vault.
var VaultPointers = []string{
	"extends: acme/vault\n",
	"extends: acme/vault/deploy/values.yml\n",
	"extends: acme/vault/.github/overlap.yml@main\n",
	"remote: acme/vault\n",
	"remote: acme/vault\npath: deploy/values.yml\nref: main\n",
}

// PlantVault creates Org/vault (private) holding VaultSecret in a policy
// file, a non-policy file and the extra files given.
func (h *Harness) PlantVault(extra map[string]string) {
	h.Fake.AddRepo(h.Installation, Org, "vault", githubfake.RepoOptions{Private: true})
	files := map[string]string{
		".github/overlap.yml": VaultPolicy,
		"deploy/values.yml":   "aws_secret_access_key: " + VaultSecret + "\nteam:\n  timezone: " + VaultSecret + "\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	h.Fake.Commit(Org, "vault", "main", githubfake.CommitSpec{Message: "secrets", Author: "octocat", Files: files})
}

// AssertNoVaultSecret fails if anything the app wrote (comments, check
// runs and their annotations, issues, discussions: the emulator records
// every request body) contains VaultSecret, and if the app wrote nothing
// at all (the test would prove nothing).
func (h *Harness) AssertNoVaultSecret(t testing.TB) {
	t.Helper()
	writes := h.Fake.Writes()
	if len(writes) == 0 {
		t.Fatal("the app wrote nothing; the scenario does not exercise the feature")
	}
	for _, w := range writes {
		if strings.Contains(string(w.Body), VaultSecret) || strings.Contains(w.Path, VaultSecret) {
			t.Errorf("%s %s wrote the other repository's secret:\n%s", w.Method, w.Path, w.Body)
		}
	}
}
