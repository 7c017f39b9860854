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

// Docs freshness lists doc sets, owners and the duty rotation, and checks
// the links of edited docs: a policy pointing at another repository's file
// (a secret rotation and doc sets) and docs linking into that repository
// must not bring any of it into this repository's checks or tracking issue.
func TestDocsWriteNothingFromAnotherRepository(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for _, ptr := range apptest.VaultPointers {
		t.Run(strings.TrimSpace(strings.ReplaceAll(ptr, "\n", " ")), func(t *testing.T) {
			h := apptest.New(t, apptest.Options{Features: []handlers.Feature{&docs.Feature{}, configcheck.Feature{}}, Now: start})
			h.PlantVault(map[string]string{"docs/runbooks/db.md": "---\nowner: " + apptest.VaultSecret + "\nlast_reviewed: 2020-01-01\n---\n# " + apptest.VaultSecret + "\n"})
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
			h.AssertNoVaultSecret(t)
		})
	}
}
