package configcheck_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// GitHub takes 50 annotations a request: a policy with 80 problems needs a
// follow-up PATCH. When that one fails, the run must not look current, so
// the retry writes all 80 on a current run.
func TestAFailedAnnotationFollowUpIsWrittenAgain(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{configcheck.Feature{}}, Now: sweepNow})
	h.AddRepo("api", map[string]string{".github/overlap.yml": "team:\n  timezone: Europe/London\n", "main.go": "package main\n"})
	var b strings.Builder
	b.WriteString("team:\n  timezone: Europe/London\n")
	for i := 0; i < 80; i++ {
		fmt.Fprintf(&b, "bogus%d: 1\n", i)
	}
	h.Fake.Commit(apptest.Org, "api", "pol", githubfake.CommitSpec{Message: "policy", Author: "alice",
		Files: map[string]string{".github/overlap.yml": b.String()}})
	n := h.Fake.OpenPR(apptest.Org, "api", githubfake.PRSpec{Title: "Tune the policy", Author: "alice", Head: "pol"})
	// The follow-up PATCH that appends annotations 51..80 fails once.
	h.Fake.Inject(githubfake.Fault{Method: "PATCH", Route: "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", Status: http.StatusBadGateway, Times: 1})
	h.Send("pull_request", h.PREvent("opened", "api", n))
	h.WaitIdle()
	h.Sweep(sweepNow)
	runs := configChecks(h, n)
	if len(runs) == 0 {
		t.Fatal("no check")
	}
	last := runs[len(runs)-1]
	if len(last.Annotations) < 80 {
		t.Errorf("latest Overlap config check has %d of 80 annotations after retries and a sweep", len(last.Annotations))
	}
}
