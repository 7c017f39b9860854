package docs_test

import (
	"strings"
	"testing"
	"time"
)

// A review lost from the data block (a write that raced past the second
// read, a hand edit) is re-derived by the next refresh from the /reviewed
// comment itself; refused commands stay refused, and once everything is
// reflected a refresh asks for no permissions.
func TestSweepRederivesReviewsLostFromTheDataBlock(t *testing.T) {
	h := ops(t)
	h.Sweep(monday)
	is := issues(h)[0]
	comment := commenter(t, h, is)
	h.Clock.Set(monday.Add(26 * time.Hour))
	comment("mallory", "/reviewed docs/runbooks/db.md")
	comment("carol", "/reviewed docs/runbooks/payments.md")
	const shown = "`docs/runbooks/payments.md` reviewed on 2026-11-24 by carol"
	if !strings.Contains(issues(h)[0].Body, shown) {
		t.Fatalf("setup: review not recorded:\n%s", issues(h)[0].Body)
	}

	// Strip the review from the data block, as a racing write would.
	body := issues(h)[0].Body
	data, err := parseOps(body)
	if err != nil || len(data.Reviewed) != 1 {
		t.Fatalf("setup: data block %+v, %v", data, err)
	}
	old := blockOps(data)
	data.Reviewed = nil
	h.Fake.EditBody(org, "ops", is.Number, strings.Replace(body, old, blockOps(data), 1))
	if d, _ := parseOps(issues(h)[0].Body); len(d.Reviewed) != 0 {
		t.Fatalf("setup: review still in the data block")
	}

	h.ResetCounts()
	h.Sweep(monday.AddDate(0, 0, 7))
	cur := issues(h)[0]
	if !strings.Contains(cur.Body, "`docs/runbooks/payments.md` reviewed on 2026-11-24 by carol") {
		t.Errorf("the lost review was not re-derived from carol's comment:\n%s", cur.Body)
	}
	if d, _ := parseOps(cur.Body); d.Reviewed["docs/runbooks/payments.md"].By != "carol" {
		t.Errorf("data block after the sweep: %+v", d.Reviewed)
	}
	if strings.Contains(cur.Body, "`docs/runbooks/db.md` reviewed") {
		t.Errorf("mallory's refused review was recorded:\n%s", cur.Body)
	}
	if n := permissionCalls(h.Calls); n != 1 {
		t.Errorf("re-deriving one lost review made %d permission calls, want 1 (carol's): %v", n, h.Calls.Calls())
	}

	// Everything reflected: the next refresh lists the comments and asks
	// for no permissions.
	h.ResetCounts()
	h.Sweep(monday.AddDate(0, 0, 14))
	if n := permissionCalls(h.Calls); n != 0 {
		t.Errorf("steady-state refresh made %d permission calls, want 0: %v", n, h.Calls.Calls())
	}
	if got := h.Calls.Calls()["GET /repos/{owner}/{repo}/issues/{n}/comments"]; got != 1 {
		t.Errorf("comment listings per refresh: %d, want 1", got)
	}
	if !strings.Contains(issues(h)[0].Body, "`docs/runbooks/payments.md` reviewed on 2026-11-24 by carol") {
		t.Errorf("review lost by a later refresh")
	}
}

func permissionCalls(h interface{ Calls() map[string]int }) int {
	n := 0
	for route, c := range h.Calls() {
		if strings.Contains(route, "/permission") {
			n += c
		}
	}
	return n
}
