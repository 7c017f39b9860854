package adr_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

var sweepAt = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// conclusion is the current "Decision record" conclusion on n's head, or
// "none".
func (w *world) conclusion(n int) string {
	runs := w.checks(w.head(n))
	if len(runs) == 0 {
		return "none"
	}
	return runs[len(runs)-1].Conclusion
}

// A labeled delivery that arrives after the unlabel (or an unlabel that
// arrives after the label came back) must not decide from the payload's
// stale labels.
func TestOutOfOrderLabelEventsDecideFromCurrentLabels(t *testing.T) {
	w := newWorld(t, baseRecords(2))

	// labeled built while the label was on, delivered after the unlabel.
	m := w.openPR("late-label", "Order", "", nil)
	w.Fake.AddLabels(org, w.repo, m, "decision")
	stale, err := w.Builder(w.repo, "alice").PullRequestLabeled("labeled", w.PR(w.repo, m), "decision")
	if err != nil {
		t.Fatal(err)
	}
	w.unlabel(m, "decision")
	w.Send("pull_request", stale)
	if got := w.conclusion(m); got == "action_required" {
		t.Errorf("a stale labeled delivery blocked a PR without the label")
	}

	// unlabeled built while the label was off, delivered after it came back.
	n := w.openPR("late-unlabel", "Switch queues", "", nil)
	w.label(n, "decision")
	w.Fake.RemoveLabel(org, w.repo, n, "decision")
	staleUnlabel, err := w.Builder(w.repo, "alice").PullRequestLabeled("unlabeled", w.PR(w.repo, n), "decision")
	if err != nil {
		t.Fatal(err)
	}
	w.label(n, "decision")
	w.Send("pull_request", staleUnlabel)
	if got := w.conclusion(n); got != "action_required" {
		t.Errorf("a stale unlabeled delivery retired the check of a labelled PR: %s", got)
	}
	if body := w.sticky(n); !strings.Contains(body, "Decision record needed") {
		t.Errorf("the prompt should stand:\n%s", body)
	}
}

// The sweep repairs a blocking check left on a PR whose unlabel delivery
// was lost, and leaves PRs that are fine alone.
func TestSweepRetiresTheCheckOfAPRThatLostItsLabel(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	n := w.openPR("lost", "Switch queues", "", nil)
	w.label(n, "decision")
	w.Fake.RemoveLabel(org, w.repo, n, "decision") // the unlabeled delivery never arrives
	other := w.openPR("fine", "Use NATS", "", nil)
	w.label(other, "decision")

	w.Sweep(sweepAt, "adr")
	if got := w.conclusion(n); got != "neutral" {
		t.Errorf("after the sweep: %s, want neutral", got)
	}
	if !strings.Contains(w.sticky(n), "no longer") {
		t.Errorf("the prompt should say it no longer applies:\n%s", w.sticky(n))
	}
	if got := w.conclusion(other); got != "action_required" {
		t.Errorf("the labelled PR: %s", got)
	}
	w.ResetCounts()
	w.Sweep(sweepAt.Add(time.Hour), "adr")
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("a second sweep wrote %v", wr)
	}
}

func TestEditingAnExistingRecordDoesNotSatisfyTheCheck(t *testing.T) {
	w := newWorld(t, baseRecords(3))
	old := "docs/adr/0001-decision-number-1.md"
	n := w.openPR("typo", "Fix a typo in ADR 1", "", map[string]string{old: strings.Replace(record(1, "Decision number 1", nil, nil), "durable", "durable,", 1)}, "decision")
	w.label(n, "decision")
	c := w.check(n)
	if c.Conclusion != "action_required" {
		t.Fatalf("a typo fix in %s passed: %s\n%s", old, c.Conclusion, c.Summary)
	}
	if !strings.Contains(c.Summary, "`"+old+"`: an existing record, only modified") {
		t.Errorf("the summary should say why %s does not count:\n%s", old, c.Summary)
	}
	// Adding the new record passes, the edited old one alongside.
	w.push(n, map[string]string{"docs/adr/0004-fix-a-typo-in-adr-1.md": record(4, "Fix a typo in ADR 1", nil, nil)})
	if c := w.check(n); c.Conclusion != "success" {
		t.Errorf("with a new record: %s %+v", c.Conclusion, c.Annotations)
	}
}

func TestRecordInASubdirectoryIsPointedOut(t *testing.T) {
	w := newWorld(t, baseRecords(12))
	sub := "docs/adr/payments/0013-payments-use-idempotency-keys.md"
	n := w.openPR("sub", "Payments use idempotency keys", "", map[string]string{sub: record(13, "Payments use idempotency keys", nil, nil)}, "decision")
	w.label(n, "decision")
	c := w.check(n)
	if c.Conclusion != "action_required" || !strings.Contains(c.Summary, "directly in `docs/adr/`") {
		t.Fatalf("want action_required saying records sit directly in docs/adr/, got %s\n%s", c.Conclusion, c.Summary)
	}
	if len(c.Annotations) != 1 || c.Annotations[0].Path != sub || !strings.Contains(c.Annotations[0].Message, "directly in docs/adr/") {
		t.Errorf("want an annotation on %s, got %+v", sub, c.Annotations)
	}
}

// A fork PR's check_run carries no pull_requests: the PR is found by its
// head SHA.
func TestSkipButtonOnAForkPR(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	w.Fake.SetPermission(org, "api", "dave", "admin")
	n := w.openPR("fork", "Bump the client", "", nil, "decision")
	w.label(n, "decision")
	run := w.check(n)
	payload, err := w.Builder("api", "dave").CheckRun("requested_action", run.ID, adr.CheckName, run.HeadSHA, nil, adr.ActionSkipID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(payload), `"pull_requests":[]`) {
		t.Fatalf("the payload should carry an empty pull_requests list")
	}
	w.Send("check_run", payload)
	if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, "@dave") {
		t.Errorf("fork PR skip: %s %s", c.Conclusion, c.Summary)
	}
}

func TestADRDirFileNamesTheDirectory(t *testing.T) {
	files := map[string]string{".adr-dir": "doc/architecture/decisions\n", "main.go": "package main\n"}
	for i := 1; i <= 4; i++ {
		files["doc/architecture/decisions/"+adr.FileName(i, "record")] = record(i, "Record", nil, nil)
	}
	w := newWorld(t, files)
	n := w.openPR("a", "Use NATS", "", nil, "decision")
	w.label(n, "decision")
	if body := w.sticky(n); !strings.Contains(body, "`doc/architecture/decisions/0005-use-nats.md`") {
		t.Fatalf("the prompt should follow .adr-dir:\n%s", body)
	}
	w.push(n, map[string]string{"doc/architecture/decisions/0005-use-nats.md": record(5, "Use NATS", nil, nil)})
	if c := w.check(n); c.Conclusion != "success" {
		t.Errorf("record in the .adr-dir directory: %s %+v", c.Conclusion, c.Annotations)
	}

	// A directory in the policy wins over .adr-dir (the push makes the app
	// forget the policy it had cached).
	w.CommitAndPush("api", "main", githubfake.CommitSpec{Message: "policy", Author: "alice", Files: map[string]string{".github/overlap.yml": "adr:\n  directory: decisions\n"}})
	m := w.openPR("b", "Use gRPC", "", nil, "decision")
	w.label(m, "decision")
	if body := w.sticky(m); !strings.Contains(body, "`decisions/0001-use-grpc.md`") {
		t.Errorf("the policy's directory should win:\n%s", body)
	}
}

func TestLog4brainsDateNumbering(t *testing.T) {
	files := map[string]string{
		".github/overlap.yml":               "adr:\n  numbering: date\n  template: madr\n",
		"docs/adr/20240105-use-go.md":       "# Use Go\n\n- Status: accepted\n\n## Context and Problem Statement\n\nX.\n\n## Considered Options\n\n- Go\n\n## Decision Outcome\n\nGo.\n\n### Positive Consequences\n\n- fast\n",
		"docs/adr/20240105-use-postgres.md": "# Use Postgres\n\n- Status: accepted\n\n## Context and Problem Statement\n\nX.\n\n## Considered Options\n\n- PG\n\n## Decision Outcome\n\nPG.\n\n### Negative Consequences\n\n- ops\n",
	}
	w := newWorld(t, files)
	n := w.openPR("l4b", "Use Kafka", "", nil, "decision")
	w.label(n, "decision")
	if body := w.sticky(n); !strings.Contains(body, "`docs/adr/20261124-use-kafka.md`") {
		t.Fatalf("the prompt should propose today's date:\n%s", body)
	}
	l4b := "# Use Kafka\n\n- Status: draft\n- Date: 2026-11-24\n\n## Context and Problem Statement\n\nEvents lag.\n\n## Considered Options\n\n- Kafka\n- NATS\n\n" +
		"## Decision Outcome\n\nChosen option: Kafka.\n\n### Positive Consequences\n\n- seconds, not minutes\n\n### Negative Consequences\n\n- we run Kafka\n"
	// Same date as an existing record: dates are not numbers, no collision.
	w.push(n, map[string]string{"docs/adr/20240105-use-kafka.md": l4b})
	if c := w.check(n); c.Conclusion != "success" {
		t.Errorf("a log4brains record (draft, Positive/Negative Consequences, shared date): %s %+v", c.Conclusion, c.Annotations)
	}
	w.push(n, map[string]string{"docs/adr/20240105-use-kafka.md": "", "docs/adr/2024-01-05-use-kafka.md": l4b})
	c := w.check(n)
	if c.Conclusion != "failure" || len(c.Annotations) == 0 || !strings.Contains(c.Annotations[0].Message, "YYYYMMDD-title-in-kebab-case.md") {
		t.Errorf("a badly named record should fail on its name: %s %+v", c.Conclusion, c.Annotations)
	}
}

func TestSkipIsTakenBackWhenItsCommandGoes(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	w.Fake.SetPermission(org, "api", "carol", "write")
	n := w.openPR("s", "Bump", "", nil, "decision")
	w.label(n, "decision")
	pr := w.PR("api", n)
	edit := func(id int64, from, to string) {
		t.Helper()
		w.Fake.EditComment(org, "api", id, to)
		payload, err := w.Builder("api", "carol").IssueComment("edited", n, true, pr.Title, pr.Body, to, "carol", id,
			webhook.Set("changes", map[string]any{"body": map[string]any{"from": from}}))
		if err != nil {
			t.Fatal(err)
		}
		w.Send("issue_comment", payload)
	}

	id := w.comment(n, "carol", "/adr skip dependency bump")
	if got := w.conclusion(n); got != "neutral" {
		t.Fatalf("skip: %s", got)
	}
	edit(id, "/adr skip dependency bump", "never mind, it is a decision")
	if got := w.conclusion(n); got != "action_required" {
		t.Errorf("after the command was edited away: %s, want action_required", got)
	}
	if body := w.sticky(n); !strings.Contains(body, "Decision record needed") {
		t.Errorf("the prompt should come back:\n%s", body)
	}

	// Deleting the comment takes the skip back too. The skip is derived from
	// the writers' `/adr skip` commands still on the PR: deleting the one in
	// force falls back to an older one, deleting the last one takes it back.
	remove := func(id int64, body string) {
		t.Helper()
		w.Fake.RemoveComment(org, "api", id)
		del, err := w.Builder("api", "carol").IssueComment("deleted", n, true, pr.Title, pr.Body, body, "carol", id)
		if err != nil {
			t.Fatal(err)
		}
		w.Send("issue_comment", del)
	}
	skipped := func(when, reason string) {
		t.Helper()
		if c := w.check(n); c.Conclusion != "neutral" || !strings.Contains(c.Summary, reason) {
			t.Errorf("%s: want neutral for %q, got %s: %s", when, reason, c.Conclusion, c.Summary)
		}
	}
	first := w.comment(n, "carol", "/adr skip tooling first")
	second := w.comment(n, "carol", "/adr skip tooling second")
	third := w.comment(n, "carol", "/adr skip tooling third")
	skipped("three commands", "tooling third")
	// Deleting a command whose skip is not the one in force writes nothing.
	w.ResetCounts()
	remove(second, "/adr skip tooling second")
	skipped("after deleting an older command", "tooling third")
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf("deleting a command whose skip was not in force wrote %v", wr)
	}
	remove(third, "/adr skip tooling third")
	skipped("after deleting the command in force", "tooling first")
	remove(first, "/adr skip tooling first")
	if got := w.conclusion(n); got != "action_required" {
		t.Errorf("after deleting the last command: %s", got)
	}
}

// GitHub's own check_run example has "2018-04-25 20:42:10" timestamps and
// issue_comment payloads can carry "issue": null; neither may stop (or
// crash) the handler.
func TestOddPayloadShapes(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	n := w.openPR("odd", "Use NATS", "", nil, "decision")
	w.label(n, "decision")
	// A push whose synchronize delivery was lost; "Re-run" catches it up.
	sha := w.Fake.PushPR(org, w.repo, n, githubfake.CommitSpec{Message: "record", Author: "alice",
		Files: map[string]string{"docs/adr/0003-use-nats.md": record(3, "Use NATS", nil, nil)}})
	payload, err := w.Builder("api", "alice").CheckRun("rerequested", 1, adr.CheckName, sha, []int{n}, "", func(p map[string]any) {
		repo := p["repository"].(map[string]any)
		repo["created_at"], repo["updated_at"], repo["pushed_at"] = "2018-04-25 20:42:10", "2018-04-25 20:42:10", "2018-04-25 20:42:10"
		suite := p["check_run"].(map[string]any)["check_suite"].(map[string]any)
		suite["created_at"] = "2018-04-25 20:42:10"
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := w.Send("check_run", payload); st != http.StatusAccepted {
		t.Fatalf("status %d", st)
	}
	if got := w.conclusion(n); got != "success" {
		t.Errorf("rerequested with GitHub's example timestamps: %s", got)
	}

	w.ResetCounts()
	nullIssue, err := w.Builder("api", "carol").IssueComment("created", n, true, "t", "", "/adr skip x", "carol", 99, webhook.Set("issue", nil))
	if err != nil {
		t.Fatal(err)
	}
	w.Send("issue_comment", nullIssue)
	if wr := w.Writes(); len(wr) != 0 {
		t.Errorf(`"issue": null wrote %v`, wr)
	}
}

func TestAlwaysReport(t *testing.T) {
	files := baseRecords(2)
	files[".github/overlap.yml"] = "adr:\n  always_report: true\n"
	w := newWorld(t, files)
	n := w.openPR("plain", "Fix a typo", "", nil)
	w.Send("pull_request", w.PREvent("opened", "api", n))
	w.ResetCounts()
	w.Send("pull_request", w.PREvent("reopened", "api", n)) // nothing changed: one lookup, no write
	c := w.check(n)
	if c.Conclusion != "skipped" || c.Title != "Not a decision PR" {
		t.Fatalf("non-decision PR: %s %q", c.Conclusion, c.Title)
	}
	if wr := w.Writes(); len(wr) != 0 || w.Calls.Calls()["GET /repos/{owner}/{repo}/commits/{sha}/check-runs"] != 1 {
		t.Errorf("an unchanged non-decision PR: writes %v, calls %v", wr, w.Calls.Calls())
	}
	if len(w.stickies(n)) != 0 {
		t.Errorf("a non-decision PR got a comment")
	}
	w.push(n, map[string]string{"main.go": "package main // v2\n"})
	if got := w.conclusion(n); got != "skipped" {
		t.Errorf("new head: %s", got)
	}
	w.label(n, "decision")
	if got := w.conclusion(n); got != "action_required" {
		t.Errorf("labelled: %s", got)
	}
	w.unlabel(n, "decision")
	if got := w.conclusion(n); got != "skipped" {
		t.Errorf("unlabelled: %s", got)
	}

	// The sweep gives a PR whose events were missed its skipped run.
	m := w.openPR("missed", "Tidy", "", nil)
	w.Sweep(sweepAt, "adr")
	if got := w.conclusion(m); got != "skipped" {
		t.Errorf("sweep: %s", got)
	}
}

// TestEconomyOfTheReviewFixes measures the calls the fixes add (figures in
// the package documentation): an unlabel reads the labels back in the
// GraphQL request, and always_report costs one lookup per event on a
// non-decision PR plus one write per new head.
func TestEconomyOfTheReviewFixes(t *testing.T) {
	w := newWorld(t, baseRecords(200))
	n := w.openPR("big", "Use Postgres for events", "", nil)
	w.Send("pull_request", w.PREvent("opened", "api", n)) // warms the installation token
	w.label(n, "decision")
	w.ResetCounts()
	w.unlabel(n, "decision")
	// One GraphQL request (the PR snapshot: labels read back, files,
	// comments and check runs, ADR directory), writes 2 (the policy is
	// cached since the first event).
	if got := w.Calls.Total(); got != 3 || len(w.Writes()) != 2 || w.Calls.Calls()["POST /graphql"] != 1 {
		t.Errorf("unlabel: %d calls (want 3), writes %v: %v", got, w.Writes(), w.Calls.Calls())
	}

	files := baseRecords(2)
	files[".github/overlap.yml"] = "adr:\n  always_report: true\n"
	w = newWorld(t, files)
	m := w.openPR("plain", "Fix a typo", "", nil)
	w.Send("pull_request", w.PREvent("opened", "api", m))
	w.Fake.PushPR(org, w.repo, m, githubfake.CommitSpec{Message: "v2", Author: "alice", Files: map[string]string{"main.go": "package main // v2\n"}})
	w.ResetCounts()
	w.Send("pull_request", w.PREvent("synchronize", "api", m))
	// the check lookup 1, the skipped run 1 (the policy is cached).
	if got := w.Calls.Total(); got != 2 || len(w.Writes()) != 1 {
		t.Errorf("always_report push: %d calls (want 2), writes %v: %v", got, w.Writes(), w.Calls.Calls())
	}
}

func TestRevisitListFollowsADRDir(t *testing.T) {
	files := map[string]string{
		".adr-dir":                 "decisions\n",
		"decisions/0001-use-go.md": record(1, "Use Go", nil, nil) + "\nRevisit: 2026-11-01\n",
		"docs/adr/0001-other.md":   record(1, "Other", nil, nil) + "\nRevisit: 2026-11-01\n",
	}
	p := &revisitProbe{}
	w := newWorld(t, files, p)
	w.Sweep(sweepAt, "revisit-probe")
	if len(p.got) != 1 || len(p.got[0].Lines) != 1 || !strings.Contains(p.got[0].Lines[0], "/blob/main/decisions/0001-use-go.md") {
		t.Errorf("want the record under decisions/, got %+v", p.got)
	}
}
