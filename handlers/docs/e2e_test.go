package docs_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

const org = apptest.Org

// monday is a sweep slot: Monday 2026-11-23 09:05 in Berlin (08:05 UTC),
// five minutes after the default Monday 09:00 slot.
var monday = time.Date(2026, 11, 23, 8, 5, 0, 0, time.UTC)

func daysAgo(n int) time.Time { return monday.AddDate(0, 0, -n) }

const policy = `team:
  timezone: Europe/Berlin
  people:
    dave:
      away: ["2026-11-21..2026-11-29"]
docs:
  sets:
    runbooks: {paths: ["docs/runbooks/**/*.md"], max_age: 90d}
  duty:
    rotation: [alice, bob, "@acme/platform"]
    starts: 2026-01-05
    every: 1w
`

// ops sets up the acceptance repository: three runbooks last committed
// 400, 100 and 10 days before monday, each covering some code.
func ops(t *testing.T) *apptest.Harness {
	t.Helper()
	return opsWith(t, &docs.Feature{})
}

// opsWith is ops with the app running feature f.
func opsWith(t *testing.T, f *docs.Feature) *apptest.Harness {
	t.Helper()
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{f}, Now: monday})
	h.Fake.AddRepo(h.Installation, org, "ops", githubfake.RepoOptions{})
	h.Fake.AddTeam(org, "platform", []string{"dave", "erin"}) // org members: assignable in a public repo
	h.Fake.SetPermission(org, "ops", "alice", "write")
	h.Fake.SetPermission(org, "ops", "bob", "write")
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Message: "Start", Author: "alice", Date: daysAgo(400), Files: map[string]string{
		".github/overlap.yml":         policy,
		"db/migrate.sql":              "-- schema\n",
		"services/payments/charge.go": "package payments\n",
		"services/auth/login.go":      "package auth\n",
		"docs/runbooks/db.md":         "---\nowner: \"@acme/platform\"\ncovers: [\"db/**\"]\n---\n# Database\n\nSee [payments](payments.md).\n",
	}})
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Message: "Payments runbook", Author: "carol", Date: daysAgo(100), Files: map[string]string{
		"docs/runbooks/payments.md": "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments\n\nRestart the charge worker.\n",
	}})
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Message: "Auth runbook", Author: "alice", Date: daysAgo(10), Files: map[string]string{
		"docs/runbooks/auth.md": "---\nowner: alice\ncovers: [\"services/auth/**\"]\n---\n# Auth\n",
	}})
	return h
}

func botComments(h *apptest.Harness, repo string, n int) []githubfake.CommentInfo {
	var out []githubfake.CommentInfo
	for _, c := range h.Fake.Comments(org, repo, n) {
		if strings.HasSuffix(c.Author, "[bot]") {
			out = append(out, c)
		}
	}
	return out
}

func latestCheck(h *apptest.Harness, repo, sha string) (githubfake.CheckRunInfo, int) {
	var last githubfake.CheckRunInfo
	n := 0
	for _, r := range h.Fake.CheckRuns(org, repo) {
		if r.HeadSHA == sha && r.Name == docs.CheckName {
			last = r
			n++
		}
	}
	return last, n
}

func TestPRTouchingCodeOfAStaleRunbookIsRemindedUntilTheRunbookIsEdited(t *testing.T) {
	h := ops(t)
	h.Fake.Commit(org, "ops", "fix-charge", githubfake.CommitSpec{Author: "bob", Files: map[string]string{
		"services/payments/charge.go": "package payments\n\n// retries\n",
	}})
	n := h.Fake.OpenPR(org, "ops", githubfake.PRSpec{Title: "Retry charges", Author: "bob", Head: "fix-charge"})
	h.Send("pull_request", h.PREvent("opened", "ops", n))

	cs := botComments(h, "ops", n)
	if len(cs) != 1 {
		t.Fatalf("want one reminder comment, got %d", len(cs))
	}
	body := cs[0].Body
	for _, want := range []string{docs.MarkerPR, "docs/runbooks/payments.md", "100 days since last review (limit 90 days)", "| carol |", "services/payments/charge.go"} {
		if !strings.Contains(body, want) {
			t.Errorf("comment lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "@") {
		t.Errorf("the reminder @-mentions someone; PR events arrive at any hour:\n%s", body)
	}
	for _, not := range []string{"db.md", "auth.md"} {
		if strings.Contains(body, not) {
			t.Errorf("comment names %s, which covers nothing in this PR:\n%s", not, body)
		}
	}
	head := h.PR("ops", n).HeadSHA
	cr, runs := latestCheck(h, "ops", head)
	if runs != 1 || cr.Conclusion != "neutral" {
		t.Fatalf("want one neutral %q check, got %d runs, last %q", docs.CheckName, runs, cr.Conclusion)
	}
	if len(cr.Annotations) != 1 || cr.Annotations[0].Path != "services/payments/charge.go" || !strings.Contains(cr.Annotations[0].Message, "payments.md") {
		t.Fatalf("want one annotation on the covered file, got %+v", cr.Annotations)
	}

	// A redelivery converges: still one comment, no new check run.
	h.Send("pull_request", h.PREvent("opened", "ops", n))
	if got := len(botComments(h, "ops", n)); got != 1 {
		t.Errorf("after redelivery: %d comments", got)
	}
	if _, runs := latestCheck(h, "ops", head); runs != 1 {
		t.Errorf("after redelivery: %d check runs on the head", runs)
	}

	h.Fake.PushPR(org, "ops", n, githubfake.CommitSpec{Author: "bob", Files: map[string]string{
		"docs/runbooks/payments.md": "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments\n\nRestart the charge worker; retries are automatic now.\n",
	}})
	h.Send("pull_request", h.PREvent("synchronize", "ops", n))
	if got := botComments(h, "ops", n); len(got) != 0 {
		t.Errorf("editing the runbook must clear the reminder, comments: %v", got)
	}
	cr, _ = latestCheck(h, "ops", h.PR("ops", n).HeadSHA)
	if cr.Conclusion != "success" || len(cr.Annotations) != 0 {
		t.Errorf("check on the new head: %q with %d annotations, want success without", cr.Conclusion, len(cr.Annotations))
	}
}

func TestRequiredModeAndDocsOnlyPRs(t *testing.T) {
	h := ops(t)
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Date: daysAgo(5), Files: map[string]string{
		".github/overlap.yml": strings.Replace(policy, "docs:\n", "docs:\n  check: required\n", 1),
	}})
	h.Fake.Commit(org, "ops", "db-change", githubfake.CommitSpec{Author: "bob", Files: map[string]string{"db/migrate.sql": "-- v2\n"}})
	n := h.Fake.OpenPR(org, "ops", githubfake.PRSpec{Title: "Migrate", Author: "bob", Head: "db-change"})
	h.Send("pull_request", h.PREvent("opened", "ops", n))
	if cr, _ := latestCheck(h, "ops", h.PR("ops", n).HeadSHA); cr.Conclusion != "action_required" {
		t.Errorf("required mode: conclusion %q, want action_required", cr.Conclusion)
	}

	// A PR that only edits docs never gets the reminder, even though its
	// doc links to a file that does not exist (that is annotated instead).
	h.Fake.Commit(org, "ops", "typo", githubfake.CommitSpec{Author: "bob", Files: map[string]string{
		"docs/runbooks/auth.md": "---\nowner: alice\n---\n# Auth\n\nSee [the guide](../guide.md).\n",
	}})
	m := h.Fake.OpenPR(org, "ops", githubfake.PRSpec{Title: "Typo", Author: "bob", Head: "typo"})
	h.Send("pull_request", h.PREvent("opened", "ops", m))
	if got := botComments(h, "ops", m); len(got) != 0 {
		t.Errorf("docs-only PR got a reminder: %v", got)
	}
	cr, _ := latestCheck(h, "ops", h.PR("ops", m).HeadSHA)
	if len(cr.Annotations) != 1 || cr.Annotations[0].Path != "docs/runbooks/auth.md" || cr.Annotations[0].StartLine != 6 {
		t.Errorf("broken link in the edited doc: annotations %+v", cr.Annotations)
	}
}

// repoCalls counts the calls a sweep made for repositories, leaving out
// the app's walk over installations and their repository lists.
func repoCalls(h *apptest.Harness) int {
	n := 0
	for route, c := range h.Calls.Calls() {
		if !strings.Contains(route, "/app/") && !strings.HasSuffix(route, "/app") && !strings.Contains(route, "/installation/") {
			n += c
		}
	}
	return n
}

func issues(h *apptest.Harness) []githubfake.IssueInfo { return h.Fake.Issues(org, "ops") }

func TestSweepKeepsOneTrackingIssueAssignedToTheDutyPerson(t *testing.T) {
	h := ops(t)
	// Rotation alice, bob, @acme/platform → alice, bob, dave, erin. From
	// Monday 2026-01-05 to Monday 2026-11-23 are 46 weeks: index 46 % 4 = 2,
	// dave. dave is away all week and erin's GitHub status says busy, so
	// duty falls to alice; next week's person after her is bob.
	h.Fake.SetUserStatus("erin", "On call", true)

	// Between slots nothing is created.
	h.Sweep(monday.Add(-2 * 24 * time.Hour))
	if got := issues(h); len(got) != 0 {
		t.Fatalf("a sweep outside the weekly slot created %d issues", len(got))
	}

	h.Sweep(monday)
	list := issues(h)
	if len(list) != 1 {
		t.Fatalf("want one tracking issue, got %d", len(list))
	}
	is := list[0]
	if is.State != "open" || is.Title != "Docs freshness: 2 stale docs" || strings.Join(is.Assignees, ",") != "alice" || strings.Join(is.Labels, ",") != docs.LabelStale {
		t.Fatalf("issue: %+v", is)
	}
	for _, want := range []string{docs.MarkerTracking, "**On duty this week:** alice · **next:** bob", "**runbooks**",
		"`docs/runbooks/db.md` | 400 days since last review (limit 90 days) | acme/platform | [history](https://github.com/acme/ops/commits/main/docs/runbooks/db.md)",
		"`docs/runbooks/payments.md` | 100 days"} {
		if !strings.Contains(is.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, is.Body)
		}
	}
	if strings.Contains(is.Body, "@") {
		t.Errorf("the tracking issue @-mentions someone:\n%s", is.Body)
	}
	if strings.Contains(is.Body, "auth.md` |") {
		t.Errorf("the 10-day-old runbook is listed as stale:\n%s", is.Body)
	}

	// A second sweep in the same slot with nothing changed costs a few
	// reads and writes nothing.
	h.ResetCounts()
	h.Sweep(monday.Add(30 * time.Minute))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("repeat sweep wrote %v", w)
	}
	if n := repoCalls(h); n != 4 {
		t.Errorf("repeat sweep in the same slot made %d repository calls (%v), want 4: policy, issue lookup, head, and the open-PR listing of the PR repair pass", n, h.Calls.Calls())
	}

	// Next week: the same issue is edited in place, reassigned to erin
	// (index 47 % 4 = 3), who is back.
	h.Fake.SetUserStatus("erin", "", false)
	h.Sweep(monday.AddDate(0, 0, 7))
	list = issues(h)
	if len(list) != 1 {
		t.Fatalf("second week: %d issues, want the same one", len(list))
	}
	if list[0].Number != is.Number || strings.Join(list[0].Assignees, ",") != "erin" || !strings.Contains(list[0].Body, "107 days since last review") {
		t.Fatalf("second week issue: %+v", list[0])
	}

	// Both runbooks are updated: the next slot closes the issue with thanks.
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Author: "carol", Date: monday.AddDate(0, 0, 9), Files: map[string]string{
		"docs/runbooks/payments.md": "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments\n\nv2\n",
		"docs/runbooks/db.md":       "---\nowner: \"@acme/platform\"\ncovers: [\"db/**\"]\n---\n# Database\n\nv2\n",
	}})
	h.Sweep(monday.AddDate(0, 0, 14))
	list = issues(h)
	if len(list) != 1 || list[0].State != "closed" {
		t.Fatalf("all fresh: %+v", list)
	}
	cs := botComments(h, "ops", is.Number)
	if len(cs) != 1 || !strings.Contains(cs[0].Body, "Thanks") {
		t.Fatalf("closing comment: %+v", cs)
	}

	// Months later the auth runbook (last edited 10 days before monday)
	// passes 90 days: the same issue reopens.
	h.Sweep(monday.AddDate(0, 0, 84))
	list = issues(h)
	if len(list) != 1 || list[0].Number != is.Number || list[0].State != "open" || list[0].Title != "Docs freshness: 1 stale doc" {
		t.Fatalf("later staleness: %+v", list)
	}
	if !strings.Contains(list[0].Body, "docs/runbooks/auth.md") {
		t.Errorf("reopened issue does not list auth.md:\n%s", list[0].Body)
	}
}

func TestFrontMatterLastReviewedWinsAndMalformedIsReported(t *testing.T) {
	h := ops(t)
	h.Fake.Commit(org, "ops", "main", githubfake.CommitSpec{Author: "carol", Date: daysAgo(95), Files: map[string]string{
		// Committed 95 days ago (stale by commit date) but reviewed 20 days ago.
		"docs/runbooks/payments.md": "---\nowner: carol\nlast_reviewed: 2026-11-03\ncovers: [\"services/payments/**\"]\n---\n# Payments\n",
		"docs/runbooks/broken.md":   "---\nowner: [alice\n---\n# Broken\n",
	}})
	h.Sweep(monday)
	list := issues(h)
	if len(list) != 1 {
		t.Fatalf("%d issues", len(list))
	}
	body := list[0].Body
	if strings.Contains(body, "`docs/runbooks/payments.md` |") {
		t.Errorf("payments.md was reviewed 20 days ago but is listed stale:\n%s", body)
	}
	if !strings.Contains(body, "`docs/runbooks/broken.md`: front matter") {
		t.Errorf("malformed front matter not reported on the doc:\n%s", body)
	}
	// db.md (400 days) and broken.md (95 days; its bad front matter does
	// not stop its commit date from counting) are stale.
	if list[0].Title != "Docs freshness: 2 stale docs" || !strings.Contains(body, "`docs/runbooks/broken.md` | 95 days") {
		t.Errorf("title %q, body:\n%s", list[0].Title, body)
	}
}

func TestReviewedCommandRecordsOwnersAndRefusesStrangers(t *testing.T) {
	h := ops(t)
	h.Sweep(monday)
	is := issues(h)[0]
	comment := commenter(t, h, is)

	later := monday.Add(26 * time.Hour) // Tuesday 10:05 Berlin
	h.Clock.Set(later)
	comment("mallory", "/reviewed docs/runbooks/payments.md")
	cur := issues(h)[0]
	if strings.Contains(cur.Body, "reviewed on") {
		t.Errorf("a stranger's review was recorded:\n%s", cur.Body)
	}
	replies := botComments(h, "ops", is.Number)
	if len(replies) != 1 || !strings.Contains(replies[0].Body, "@mallory") || !strings.Contains(replies[0].Body, "only its owner (carol)") {
		t.Fatalf("refusal reply: %+v", replies)
	}

	comment("carol", "Checked it against the new worker.\n\n/reviewed docs/runbooks/payments.md")
	cur = issues(h)[0]
	if !strings.Contains(cur.Body, "`docs/runbooks/payments.md` reviewed on 2026-11-24 by carol") {
		t.Errorf("owner's review not shown:\n%s", cur.Body)
	}
	if strings.Contains(cur.Body, "`docs/runbooks/payments.md` | ") || cur.Title != "Docs freshness: 1 stale doc" {
		t.Errorf("reviewed doc still listed stale (title %q):\n%s", cur.Title, cur.Body)
	}
	if strings.Join(cur.Assignees, ",") != strings.Join(is.Assignees, ",") {
		t.Errorf("a review reassigned the issue: %v → %v", is.Assignees, cur.Assignees)
	}

	// The recorded review counts on PRs too: a payments change is not reminded.
	h.Fake.Commit(org, "ops", "pay", githubfake.CommitSpec{Author: "bob", Files: map[string]string{"services/payments/charge.go": "package payments // v3\n"}})
	n := h.Fake.OpenPR(org, "ops", githubfake.PRSpec{Title: "Pay", Author: "bob", Head: "pay"})
	h.Send("pull_request", h.PREvent("opened", "ops", n))
	if got := botComments(h, "ops", n); len(got) != 0 {
		t.Errorf("PR reminded about a doc reviewed yesterday: %v", got)
	}

	// A member of the owning team reviews the team's doc; everything is
	// fresh, so the issue closes with thanks.
	comment("erin", "/reviewed docs/runbooks/db.md")
	cur = issues(h)[0]
	if cur.State != "closed" {
		t.Errorf("all docs reviewed: state %q\n%s", cur.State, cur.Body)
	}
}

// TestEconomy measures the sweep's GraphQL requests for a 500-doc
// repository: ⌈500/MaxAliases⌉ = 10 requests of 1 point each, every one
// validated against GitHub's schema by the emulator.
func TestEconomy500Docs(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{&docs.Feature{}}, Now: monday})
	h.Fake.AddRepo(h.Installation, org, "big", githubfake.RepoOptions{})
	files := map[string]string{".github/overlap.yml": "team:\n  timezone: Europe/Berlin\n"}
	for i := 0; i < 500; i++ {
		files[fmt.Sprintf("docs/runbooks/r%03d.md", i)] = fmt.Sprintf("# Runbook %d\n", i)
	}
	h.Fake.Commit(org, "big", "main", githubfake.CommitSpec{Date: daysAgo(120), Files: files})
	h.ResetCounts()
	h.Sweep(monday)

	calls := h.Calls.Calls()
	t.Logf("500-doc repo sweep: %d calls: %v", h.Calls.Total(), calls)
	// The docs in ⌈500/MaxAliases⌉ requests, and the open-PR listing of
	// the PR repair pass (shared with the other sweeps in a full app).
	want := (500+docs.MaxAliases-1)/docs.MaxAliases + 1
	if got := calls["POST /graphql"]; got != want {
		t.Errorf("GraphQL requests for 500 docs: %d, want %d", got, want)
	}
	if got := len(h.Fake.GraphQLQueries()); got != want {
		t.Errorf("emulator saw %d GraphQL documents, want %d", got, want)
	}
	list := h.Fake.Issues(org, "big")
	if len(list) != 1 || list[0].Title != "Docs freshness: 500 stale docs" {
		t.Fatalf("issues: %+v", list)
	}
	if !strings.Contains(list[0].Body, "…and 350 more.") {
		t.Errorf("body does not cap the listing at 150 rows")
	}
	if n := h.Calls.Total(); n > want+8 {
		t.Errorf("sweep of a 500-doc repo made %d calls, want ≤ %d", n, want+8)
	}
}

// TestEconomyOrgSweep200Repos measures an org sweep: 200 repositories with
// 3 runbooks each (one stale), default policy (no policy file). It asserts
// one GraphQL request per repository and logs the per-route counts for the
// weekly refresh, a quiet sweep between slots, and the next week's refresh.
func TestEconomyOrgSweep200Repos(t *testing.T) {
	if testing.Short() {
		t.Skip("measures 200 repositories")
	}
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{&docs.Feature{}}, Now: monday})
	const repos = 200
	for i := 0; i < repos; i++ {
		name := fmt.Sprintf("svc-%03d", i)
		h.Fake.AddRepo(h.Installation, org, name, githubfake.RepoOptions{})
		h.Fake.Commit(org, name, "main", githubfake.CommitSpec{Date: daysAgo(120), Files: map[string]string{
			"docs/runbooks/old.md": "# Old\n", "main.go": "package main\n",
		}})
		h.Fake.Commit(org, name, "main", githubfake.CommitSpec{Date: daysAgo(5), Files: map[string]string{
			"docs/runbooks/a.md": "# A\n", "docs/runbooks/b.md": "# B\n",
		}})
	}
	measure := func(label string, at time.Time) map[string]int {
		h.ResetCounts()
		h.Sweep(at)
		calls := h.Calls.Calls()
		t.Logf("%s: %d calls (%d for repositories), %d writes: %v", label, h.Calls.Total(), repoCalls(h), len(h.Writes()), calls)
		return calls
	}
	slot := monday.Add(time.Hour) // 09:05 UTC: the default team zone is UTC
	first := measure("weekly refresh, issues created", slot)
	// Per repository: the docs, and the open-PR listing of the PR repair
	// pass (shared with the other sweeps in a full app).
	if got := first["POST /graphql"]; got != 2*repos {
		t.Errorf("GraphQL requests: %d, want two per repository (%d)", got, 2*repos)
	}
	if got := first["POST /repos/{owner}/{repo}/issues"]; got != repos {
		t.Errorf("issues created: %d, want %d", got, repos)
	}
	// Per repository: policy (2, shared with every feature, conditional),
	// issue lookup, head, tree, GraphQL, the write (lookup + create), and
	// the open-PR listing.
	if n := repoCalls(h); n > 9*repos {
		t.Errorf("weekly refresh made %d repository calls, want ≤ 9 per repository", n)
	}
	quiet := measure("sweep between slots, nothing pushed", slot.Add(26*time.Hour))
	if quiet["POST /graphql"] != repos || len(h.Writes()) != 0 {
		t.Errorf("a quiet sweep between slots queried docs or wrote: %v", quiet)
	}
	// Per repository: policy (2), issue lookup, head, open-PR listing.
	if n := repoCalls(h); n > 5*repos {
		t.Errorf("quiet sweep made %d repository calls, want ≤ 5 per repository", n)
	}
	if got := first["GET /repos/{owner}/{repo}/issues/{n}"]; got != 0 {
		t.Errorf("second reads of issues that did not exist yet: %d, want 0", got)
	}
	next := measure("next weekly refresh, issues edited", slot.AddDate(0, 0, 7))
	if got := next["POST /graphql"]; got != 2*repos {
		t.Errorf("GraphQL requests next week: %d, want %d", got, 2*repos)
	}
	// Per repository: policy (2), issue lookup, head, tree, GraphQL, the
	// issue's comments (re-deriving /reviewed records; no permission call
	// when all are reflected), the second read of the issue right before
	// the write, the edit, and the open-PR listing.
	if got := next["GET /repos/{owner}/{repo}/issues/{n}"]; got != repos {
		t.Errorf("second reads before the edit: %d, want one per repository (%d)", got, repos)
	}
	if got := next["PATCH /repos/{owner}/{repo}/issues/{n}"]; got != repos {
		t.Errorf("edits next week: %d, want %d", got, repos)
	}
	if got := next["GET /repos/{owner}/{repo}/issues/{n}/comments"]; got != repos {
		t.Errorf("comment listings next week: %d, want one per repository (%d)", got, repos)
	}
	if n := repoCalls(h); n != 10*repos {
		t.Errorf("next weekly refresh made %d repository calls, want 10 per repository", n)
	}
}

// commenter returns a function that posts a comment on the tracking issue
// as who and delivers the issue_comment event for it.
func commenter(t *testing.T, h *apptest.Harness, is githubfake.IssueInfo) func(who, text string) {
	b := h.Builder("ops", "carol")
	return func(who, text string) {
		t.Helper()
		id := h.Fake.AddComment(org, "ops", is.Number, who, text)
		p, err := b.IssueComment("created", is.Number, false, is.Title, issues(h)[0].Body, text, who, id)
		if err != nil {
			t.Fatal(err)
		}
		h.Send("issue_comment", p)
	}
}
