package docs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// A London team with one New Yorker. The rotation [bob, alice] from
// Monday 2026-01-05 puts alice on duty the week of 2026-11-16 (index 45)
// and bob the week of 2026-11-23 (index 46). In November London is UTC and
// New York UTC-5: the 09:00 London slot is 04:00 in New York.
const londonPolicy = `team:
  timezone: Europe/London
  people:
    bob:
      timezone: America/New_York
docs:
  sets:
    runbooks: {paths: ["docs/runbooks/**/*.md"], max_age: 90d}
  duty:
    rotation: [bob, alice]
    starts: 2026-01-05
    every: 1w
`

var londonSlot = time.Date(2026, 11, 23, 9, 5, 0, 0, time.UTC) // Monday 09:05 London

func londonRepo(t *testing.T, policy string) *apptest.Harness {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{&docs.Feature{}}, Now: londonSlot})
	h.Fake.AddRepo(h.Installation, org, "ops", githubfake.RepoOptions{})
	h.Fake.SetPermission(org, "ops", "alice", "write")
	h.Fake.SetPermission(org, "ops", "bob", "write")
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Message: "Start", Author: "alice", Date: londonSlot.AddDate(0, 0, -200), Files: map[string]string{
		".github/overlap.yml":  policy,
		"db/migrate.sql":       "-- schema\n",
		"docs/runbooks/db.md":  "---\nowner: carol\ncovers: [\"db/**\"]\n---\n# Database\n",
		"docs/runbooks/web.md": "---\nowner: \"@acme/web\"\n---\n# Web\n",
	}})
	return h
}

func TestDutyPersonIsAssignedOnlyInTheirWorkingHours(t *testing.T) {
	h := londonRepo(t, londonPolicy)

	// Last week alice (London) was assigned at the 09:05 slot.
	h.Sweep(londonSlot.AddDate(0, 0, -7))
	list := issues(h)
	if len(list) != 1 || strings.Join(list[0].Assignees, ",") != "alice" {
		t.Fatalf("last week: %+v", list)
	}

	// This week's slot: bob is on duty, but it is 04:05 in New York. The
	// issue is refreshed and names him, without a mention; alice stays
	// assigned.
	h.Sweep(londonSlot)
	is := issues(h)[0]
	if strings.Join(is.Assignees, ",") != "alice" {
		t.Errorf("at 04:05 New York time the issue was reassigned to %v", is.Assignees)
	}
	if !strings.Contains(is.Body, "**On duty this week:** bob (assigned when their working hours begin: Mon 23 Nov 09:00 America/New_York (14:00 Europe/London)) · **next:** alice from Mon 30 Nov") {
		t.Errorf("body does not name bob as on duty:\n%s", is.Body)
	}
	if strings.Contains(is.Body, "@") {
		t.Errorf("the tracking issue @-mentions someone at night:\n%s", is.Body)
	}

	// Sweeps every 15 minutes until 08:45 in New York leave it alone,
	// reading only the policy, the issue, the head and the open-PR listing.
	for at := londonSlot.Add(10 * time.Minute); at.Before(time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC)); at = at.Add(15 * time.Minute) {
		h.ResetCounts()
		h.Sweep(at)
		if w := h.Writes(); len(w) != 0 {
			t.Fatalf("sweep at %s (%s New York) wrote %v", at.Format("15:04"), at.In(newYork(t)).Format("15:04"), w)
		}
		if n := repoCalls(h); n != 4 { // policy, issue, head, open-PR listing
			t.Errorf("waiting sweep at %s made %d repository calls, want 4", at.Format("15:04"), n)
		}
	}

	// 09:00 in New York: the first sweep at or after it assigns bob.
	h.ResetCounts()
	h.Sweep(time.Date(2026, 11, 23, 14, 0, 0, 0, time.UTC))
	is = issues(h)[0]
	if strings.Join(is.Assignees, ",") != "bob" {
		t.Fatalf("at 09:00 New York: assignees %v, want bob", is.Assignees)
	}
	if strings.Contains(is.Body, "assigned when") || strings.Contains(is.Body, `"pending"`) {
		t.Errorf("the assignment is done but the body still says it is pending:\n%s", is.Body)
	}
	if got := assigneeChecks(h); got != 1 {
		t.Errorf("assignability checks: %d, want 1", got)
	}

	// Then the rest of the week's sweeps are quiet again.
	h.ResetCounts()
	h.Sweep(time.Date(2026, 11, 23, 14, 15, 0, 0, time.UTC))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("sweep after the assignment wrote %v", w)
	}
}

// assigneeChecks counts GET /repos/{owner}/{repo}/assignees/{login}
// calls (the call counter does not template the login).
func assigneeChecks(h *apptest.Harness) int {
	n := 0
	for route, c := range h.Calls.Calls() {
		if strings.HasPrefix(route, "GET /repos/{owner}/{repo}/assignees/") {
			n += c
		}
	}
	return n
}

func newYork(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDutyPersonWithoutAccessIsSkipped(t *testing.T) {
	// zoe is first in the rotation but no collaborator: GitHub would
	// answer 422 to an issue assigned to her (the emulator fails the test
	// on that). The sweep asks first and hands the week to alice.
	h := londonRepo(t, strings.Replace(londonPolicy, "rotation: [bob, alice]", "rotation: [zoe, alice]", 1))
	h.Fake.AddUser("zoe", "Zoe")
	h.Sweep(londonSlot)
	list := issues(h)
	if len(list) != 1 {
		t.Fatalf("issues: %+v", list)
	}
	is := list[0]
	if strings.Join(is.Assignees, ",") != "alice" {
		t.Errorf("assignees %v, want alice", is.Assignees)
	}
	for _, want := range []string{"**On duty this week:** alice", "**Not assignable:** zoe"} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, is.Body)
		}
	}
	if got := assigneeChecks(h); got != 2 {
		t.Errorf("assignability checks: %d, want 2 (zoe, then alice): %v", got, h.Calls.Calls())
	}
}
