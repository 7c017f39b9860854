package handlers

import (
	"testing"
	"time"
)

func TestSweepScopeIncludes(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	recent := RecentScope(now, 15*time.Minute, []int{7})
	for _, tc := range []struct {
		name    string
		scope   SweepScope
		number  int
		updated time.Time
		want    bool
	}{
		{"full sweep takes everything", SweepScope{}, 1, now.AddDate(-1, 0, 0), true},
		{"updated inside two intervals and the margin", recent, 1, now.Add(-39 * time.Minute), true},
		{"updated exactly at the watermark", recent, 1, now.Add(-40 * time.Minute), true},
		{"updated before the watermark", recent, 1, now.Add(-41 * time.Minute), false},
		{"dirty, whatever its age", recent, 7, now.AddDate(0, -1, 0), true},
		{"another number is not dirty", recent, 8, now.AddDate(0, -1, 0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.scope.Includes(tc.number, tc.updated); got != tc.want {
				t.Errorf("Includes(%d, %s) = %v, want %v", tc.number, tc.updated, got, tc.want)
			}
		})
	}
}

func TestSweepScopeSelectKeepsTheListingOrder(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	prs := []OpenPR{{Number: 1, UpdatedAt: now}, {Number: 2, UpdatedAt: now.AddDate(0, 0, -3)}, {Number: 3, UpdatedAt: now.Add(-time.Minute)}}
	got := SweepScope{Since: now.Add(-time.Hour), Dirty: []int{2}}.Select(prs)
	if len(got) != 3 {
		t.Fatalf("dirty #2 must be kept: %+v", got)
	}
	got = SweepScope{Since: now.Add(-time.Hour)}.Select(prs)
	if len(got) != 2 || got[0].Number != 1 || got[1].Number != 3 {
		t.Errorf("got %+v, want #1 and #3", got)
	}
}

func TestOpenPRFromSpellsBotsAsRESTDoes(t *testing.T) {
	conclusion := "ACTION_REQUIRED"
	n := gqlListedPR{Number: 4, Author: &gqlActor{Typename: "Bot", Login: "dependabot"}, StatusCheckRollup: &gqlRollup{}}
	n.StatusCheckRollup.Contexts.Nodes = []gqlCheckContext{
		{CheckRun: gqlCheckRun{Name: "Decision record", Conclusion: &conclusion}},
		{}, // a commit status
	}
	p := openPRFrom(n)
	if p.Author != "dependabot[bot]" || !p.AuthorBot {
		t.Errorf("author %q bot %v, want dependabot[bot] true", p.Author, p.AuthorBot)
	}
	if got := p.Checks["Decision record"]; got != "action_required" || !p.HasCheck("Decision record") || p.HasCheck("Overlap config") || len(p.Checks) != 1 {
		t.Errorf("checks %v", p.Checks)
	}
	if r := p.REST(); r.GetUser().GetLogin() != "dependabot[bot]" || r.GetUser().GetType() != "Bot" || r.GetState() != "open" {
		t.Errorf("REST view %+v", r)
	}
}
