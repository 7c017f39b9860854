package timezones_test

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/handlers/timezones"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// Timezone conversions name the team's people and zones: a policy that
// points at another repository's file must not bring that file's people
// into this repository's comments, and the PR text naming it must not
// either.
func TestTimezonesWriteNothingFromAnotherRepository(t *testing.T) {
	for _, ptr := range apptest.VaultPointers {
		t.Run(strings.TrimSpace(strings.ReplaceAll(ptr, "\n", " ")), func(t *testing.T) {
			h := apptest.New(t, apptest.Options{Features: []handlers.Feature{timezones.Feature{}, configcheck.Feature{}},
				Now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)})
			h.PlantVault(nil)
			h.AddRepo("api", map[string]string{"README.md": "# api\n", ".github/overlap.yml": ptr +
				"team:\n  timezone: Europe/London\n  people:\n    alice: {timezone: America/New_York}\n"})
			h.Fake.Commit(apptest.Org, "api", "t", githubfake.CommitSpec{Message: "c", Author: "alice", Files: map[string]string{"main.go": "package main\n"}})
			n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Ship it", Author: "alice", Head: "t",
				Body: "We ship Friday at 17:00, see acme/vault:deploy/values.yml and https://github.com/acme/vault/blob/main/.github/overlap.yml"})
			h.Send("pull_request", h.PREvent("opened", "api", n))
			h.AssertNoVaultSecret(t)
		})
	}
}
