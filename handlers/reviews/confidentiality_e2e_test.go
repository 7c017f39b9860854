package reviews_test

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/handlers/reviews"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// Review nudges name reviewers and escalation targets: a policy pointing at
// another repository's file (whose escalate_to and people are secret) must
// not bring them into this repository's nudges or checks, however it
// points there, and a CODEOWNERS line naming the file changes nothing.
func TestReviewsWriteNothingFromAnotherRepository(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) // a Monday
	for _, ptr := range apptest.VaultPointers {
		t.Run(strings.TrimSpace(strings.ReplaceAll(ptr, "\n", " ")), func(t *testing.T) {
			h := apptest.New(t, apptest.Options{Features: []handlers.Feature{reviews.New(), configcheck.Feature{}}, Now: start})
			h.PlantVault(map[string]string{".github/CODEOWNERS": "* @" + apptest.VaultSecret + "\n"})
			h.Fake.AddUser("alice", "")
			h.Fake.AddUser("bob", "")
			h.Fake.AddUser(apptest.VaultSecret, "")
			h.AddRepo("api", map[string]string{"README.md": "# api\n", ".github/overlap.yml": ptr,
				".github/CODEOWNERS": "# owners as in acme/vault:.github/CODEOWNERS\n* @bob\n"})
			h.Fake.Commit(apptest.Org, "api", "t", githubfake.CommitSpec{Message: "c", Author: "alice", Files: map[string]string{"main.go": "package main\n"}})
			n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Change", Author: "alice", Head: "t", Body: "Urgent, see acme/vault:deploy/values.yml"})
			h.Fake.RequestReviewers(apptest.Org, "api", n, githubfake.ReviewRequestSpec{Users: []string{"bob"}, At: start})
			h.Send("pull_request", h.PREvent("opened", "api", n))
			h.Sweep(start.Add(26*time.Hour), "reviews")
			h.AssertNoVaultSecret(t)
		})
	}
}
