package adr_test

import (
	"strings"
	"testing"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// Decision records quote links, labels and record files: a policy pointing
// at another repository's file, and a PR body linking that repository's
// files every way a link can be written, must not bring any of it (nor
// whether the files exist) into this repository's check or comment.
func TestDecisionRecordsWriteNothingFromAnotherRepository(t *testing.T) {
	links := "Decided in acme/vault:docs/adr/0001-x.md, acme/vault/docs/adr/0002-y.md, " +
		"https://github.com/acme/vault/blob/main/docs/adr/0001-x.md and https://github.com/acme/vault/blob/hunter2x/docs/adr/0003-z.md"
	for _, ptr := range append(apptest.VaultPointers, "adr:\n  linked_repositories: [acme/vault/decisions]\n") {
		t.Run(strings.TrimSpace(strings.ReplaceAll(ptr, "\n", " ")), func(t *testing.T) {
			h := apptest.New(t, apptest.Options{Features: []handlers.Feature{adr.Feature{}, configcheck.Feature{}}})
			h.PlantVault(map[string]string{
				"docs/adr/0001-x.md":        "# 1. " + apptest.VaultSecret + "\n\n## Status\n\n" + apptest.VaultSecret + "\n",
				"docs/adr/0002-y.md":        "hello " + apptest.VaultSecret,
				"decisions/0004-partial.md": "# 4. " + apptest.VaultSecret + "\n\n## Status\n\nAccepted\n",
			})
			h.AddRepo("api", map[string]string{"README.md": "# api\n", ".github/overlap.yml": ptr})
			h.Fake.Commit(apptest.Org, "api", "t", githubfake.CommitSpec{Message: "c", Author: "alice", Files: map[string]string{"main.go": "package main\n"}})
			body := links + " and acme/vault:decisions/0004-partial.md"
			n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Use the vault", Author: "alice", Head: "t", Body: body, Labels: []string{"decision"}})
			h.Send("pull_request", h.PREvent("opened", "api", n))
			h.AssertNoVaultSecret(t)
			for _, r := range h.Fake.CheckRuns(apptest.Org, "api") {
				if r.Name == adr.CheckName && r.Conclusion == "success" {
					t.Errorf("a link into another repository counted: %q", r.Title)
				}
			}
		})
	}
}
