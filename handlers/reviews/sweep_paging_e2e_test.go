package reviews_test

import (
	"fmt"
	"testing"

	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// A repository with 150 open PRs is swept whole: the one request past the
// norm is on the last PR, past the first 100 of any listing, and gets its
// single nudge; the listing costs one GraphQL request per 50 PRs.
func TestSweepReachesPRsPastTheFirst100(t *testing.T) {
	w := newWorld(t, utc(23, 13, 0))
	for i := 1; i < 150; i++ {
		branch := fmt.Sprintf("quiet-%03d", i)
		w.Fake.Commit(apptest.Org, repo, branch, githubfake.CommitSpec{Message: "change", Author: "dave",
			Files: map[string]string{"src/app.go": fmt.Sprintf("package app // %d\n", i)}})
		w.Fake.OpenPR(apptest.Org, repo, githubfake.PRSpec{Title: fmt.Sprintf("Quiet %d", i), Author: "dave", Head: branch, CreatedAt: utc(23, 12, 0)})
	}
	n := w.openPR("Add retries", utc(23, 13, 0), []string{"alice"}, nil)
	if n != 150 {
		t.Fatalf("the waiting PR is #%d, want #150", n)
	}
	w.ResetCounts()
	w.sweepAt(utc(23, 18, 0)) // 13:00 in New York: 5 of alice's working hours
	w.expectPings(n, 1, "150th open PR, 5 working hours")
	if got := w.Calls.Calls()["POST /graphql"]; got < 3 {
		t.Errorf("GraphQL requests: %d, want the 3 pages of 50 (and the busy lookup)", got)
	}
	w.ResetCounts()
	w.sweepAt(utc(23, 18, 15))
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("a second sweep wrote %v", wr)
	}
}
