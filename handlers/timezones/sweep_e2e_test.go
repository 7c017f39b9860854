package timezones_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/timezones"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// repairWorld is newWorld with the event retries off: what an event could
// not write is left to the sweep.
func repairWorld(t *testing.T) *world {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{timezones.Feature{}}, Now: tue,
		Configure: func(c *config.Server) { c.Queue.Retries = 0 }})
	h.AddRepo(repo, map[string]string{".github/overlap.yml": policy, "README.md": "# api\n"})
	return &world{Harness: h, t: t}
}

// writesFail makes GitHub answer 502 to every comment write (REST) and to
// every GraphQL request (discussions are read and written there) until
// ClearFaults.
func (w *world) writesFail() {
	for _, f := range []githubfake.Fault{
		{Method: "POST", Route: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"},
		{Method: "PATCH", Route: "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}"},
		{Method: "DELETE", Route: "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}"},
		{Method: "POST", Route: "POST /graphql"},
	} {
		f.Status = http.StatusBadGateway
		w.Fake.Inject(f)
	}
}

// sweepTwice sweeps at at, then again a quarter of an hour later, and
// fails the test if the second sweep writes.
func (w *world) sweepTwice(at time.Time) {
	w.t.Helper()
	w.Sweep(at)
	w.ResetCounts()
	w.Sweep(at.Add(15 * time.Minute))
	if wr := w.Writes(); len(wr) != 0 {
		w.t.Errorf("a second sweep wrote %v", wr)
	}
}

// The conversions a fault kept from a PR, an issue comment and a
// discussion are written by the next sweep, once each.
func TestSweepWritesTheConversionsFaultsKeptFromEvents(t *testing.T) {
	w := repairWorld(t)
	pr := w.openPR("carol", "Tidy the API.\n\nWe ship Friday EOD.")
	issue := w.Fake.OpenIssue(org, repo, githubfake.IssueSpec{Title: "Outage review", Body: "What happened.", Author: "alice"})
	cid := w.Fake.AddComment(org, repo, issue, "bob", "I can do Thursday 10:00.")
	disc, _ := w.Fake.CreateDiscussion(org, repo, githubfake.DiscussionSpec{Title: "Release plan", Body: "Code freeze Friday EOD.", Author: "carol"})

	w.writesFail()
	w.prEvent("opened", pr)
	p, err := w.Builder(repo, "bob").IssueComment("created", issue, false, "Outage review", "What happened.", "I can do Thursday 10:00.", "bob", cid,
		webhook.Set("issue.created_at", iso(tue)), webhook.Set("issue.user.login", "alice"))
	if err != nil {
		t.Fatal(err)
	}
	w.Send("issue_comment", p)
	info, _ := w.Fake.Discussion(org, repo, disc)
	p, err = w.Builder(repo, "carol").Discussion("created", webhook.Discussion{Number: disc, DatabaseID: info.DatabaseID, NodeID: info.NodeID,
		Title: info.Title, Body: info.Body, Author: "carol", CreatedAt: info.CreatedAt})
	if err != nil {
		t.Fatal(err)
	}
	w.Send("discussion", p)
	if len(w.sticky(pr)) != 0 || len(w.sticky(issue)) != 0 || len(w.discussionComments(disc)) != 0 {
		t.Fatal("a comment was written despite the fault")
	}
	w.Fake.ClearFaults()

	w.sweepTwice(tue.Add(15 * time.Minute))
	mustContain(t, w.one(pr), "“ship Friday EOD” (carol) → Fri 27 Nov 17:30 Europe/London")
	mustContain(t, w.one(issue), "“do Thursday 10:00” (bob) → Thu 26 Nov 10:00 Asia/Singapore")
	if own := w.discussionComments(disc); len(own) != 1 {
		t.Fatalf("discussion: want one comment, got %+v", own)
	} else {
		mustContain(t, own[0].Body, "“freeze Friday EOD” (carol) → Fri 27 Nov 17:30 Europe/London")
	}
}

// A thread whose body is its only text and has no phrase costs the sweep
// nothing past the listings; threads past the full sweep's two-week
// lookback are not read at all.
func TestSweepReadsOnlyThreadsThatCanNeedAComment(t *testing.T) {
	w := repairWorld(t)
	w.openPR("carol", "Just a refactor.")
	w.Fake.OpenIssue(org, repo, githubfake.IssueSpec{Title: "Old", Body: "Ship Friday.", Author: "alice", CreatedAt: tue.AddDate(0, 0, -30)})
	w.Fake.OpenIssue(org, repo, githubfake.IssueSpec{Title: "Idea", Body: "Nothing urgent.", Author: "alice"})
	w.ResetCounts()
	w.Sweep(tue.Add(15 * time.Minute))
	w.wantCalls("sweep of quiet threads", map[string]int{
		"GET /app/installations": 1, "GET /installation/repositories": 1,
		policyGET: 1, "GET /repos/{owner}/{repo}/issues": 1,
		graphql: 2, // the open-PR listing and the discussion listing
	})
}

// A dirty number is reconciled whatever its age: here an issue older than
// the lookback whose event failed.
func TestScopedSweepReconcilesADirtyOldIssue(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{scopedTimezones{scope: handlers.SweepScope{Since: tue, Dirty: []int{1}}}}, Now: tue})
	h.AddRepo(repo, map[string]string{".github/overlap.yml": policy, "README.md": "# api\n"})
	w := &world{Harness: h, t: t}
	old := tue.AddDate(0, 0, -30)
	n := w.Fake.OpenIssue(org, repo, githubfake.IssueSpec{Title: "Old", Body: "Ship Friday.", Author: "alice", CreatedAt: old})
	if n != 1 {
		t.Fatalf("issue number %d, the scope assumes 1", n)
	}
	w.sweepTwice(tue.Add(time.Hour))
	w.one(n)
}

// scopedTimezones is the feature with a sweep scope pinned, as the app sets
// env.Scope before each feature's sweep.
type scopedTimezones struct {
	timezones.Feature
	scope handlers.SweepScope
}

func (s scopedTimezones) Sweep(ctx context.Context, env *handlers.Env, r gh.Repo) error {
	env.Scope = s.scope
	return s.Feature.Sweep(ctx, env, r)
}
