package adr_test

import (
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/githubfake"
)

// reads returns the contents reads the app made of repository name.
func (w *world) reads(name string) int {
	n := 0
	for _, r := range w.Fake.Requests() {
		if r.Method == "GET" && strings.HasPrefix(strings.ToLower(r.Path), "/repos/"+org+"/"+strings.ToLower(name)+"/contents/") {
			n++
		}
	}
	return n
}

// Finding 2 (issue 8): a link to any readable file of any repository
// passed the check, and answered whether private files exist.
func TestALinkToAFileInAnotherRepositoryDoesNotCount(t *testing.T) {
	w := newWorld(t, baseRecords(2))
	w.AddRepo("scratch", map[string]string{"docs/adr/0001-anything.md": "hello"})
	n := w.openPR("k", "Consume the orders topic", "Decided in acme/scratch:docs/adr/0001-anything.md", nil, "decision")
	w.label(n, "decision")

	c := w.check(n)
	if c.Conclusion != "action_required" {
		t.Fatalf("a link to another repository's file must not satisfy the check: %s %q", c.Conclusion, c.Title)
	}
	if !strings.Contains(c.Summary, "`acme/scratch:docs/adr/0001-anything.md`: links outside this repository's `docs/adr/` directory do not count") {
		t.Errorf("the check should say why the link does not count:\n%s", c.Summary)
	}
	if got := w.reads("scratch"); got != 0 {
		t.Errorf("the app read the other repository %d times; a refused link must not be read (its answer would tell whether the file exists)", got)
	}
	// The same answer for a file that does not exist: no oracle.
	payload := w.PREvent("edited", "api", n, func(p map[string]any) {
		p["pull_request"].(map[string]any)["body"] = "Decided in acme/scratch:docs/adr/0009-nothing.md"
	})
	w.Send("pull_request", payload)
	missing := w.check(n)
	if strings.ReplaceAll(missing.Summary, "0009-nothing", "0001-anything") != c.Summary {
		t.Errorf("a missing file is answered differently from an existing one:\n%s\n---\n%s", missing.Summary, c.Summary)
	}
}

func TestLinkedRecordsOfThisRepositoryAreCheckedLikeNewOnes(t *testing.T) {
	files := baseRecords(2)
	files["docs/adr/0003-half-done.md"] = record(3, "Half done", []string{"Consequences"}, []string{"Decision"})
	files["docs/adr/0004-hello.md"] = "hello"
	for _, tc := range []struct {
		name, body  string
		wantSuccess bool
		wantNote    string
	}{
		{"a complete record", "See docs/adr/0002-decision-number-2.md", true, ""},
		{"its GitHub URL", "See https://github.com/acme/api/blob/main/docs/adr/0001-decision-number-1.md", true, ""},
		{"an incomplete record", "See docs/adr/0003-half-done.md", false,
			"`docs/adr/0003-half-done.md`: the record is incomplete: line 1: Required section \"Consequences\" is missing: add a \"## Consequences\" heading with its text; line 13: Section \"Decision\" is empty"},
		{"a file that is no record", "See docs/adr/0004-hello.md", false, "`docs/adr/0004-hello.md`: the record is incomplete: line 1: The record has no title"},
		{"a record that does not exist", "See docs/adr/0042-nothing.md", false, "`docs/adr/0042-nothing.md`: there is no such record in `docs/adr/` on the base branch"},
		{"a record only on the PR's branch", "See https://github.com/acme/api/blob/other/docs/adr/0005-on-a-branch.md", false,
			"`docs/adr/0005-on-a-branch.md`: there is no such record in `docs/adr/` on the base branch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, files)
			// A complete record on another branch is not a decision made.
			w.Fake.Commit(org, "api", "other", githubfake.CommitSpec{Message: "draft", Author: "alice", Files: map[string]string{"docs/adr/0005-on-a-branch.md": record(5, "On a branch", nil, nil)}})
			n := w.openPR("k", "Consume the orders topic", tc.body, nil, "decision")
			w.label(n, "decision")
			c := w.check(n)
			if got := c.Conclusion == "success"; got != tc.wantSuccess {
				t.Fatalf("conclusion %s (%q), want success=%v\n%s", c.Conclusion, c.Title, tc.wantSuccess, c.Summary)
			}
			if tc.wantNote != "" && !strings.Contains(c.Summary, tc.wantNote) {
				t.Errorf("summary lacks %q:\n%s", tc.wantNote, c.Summary)
			}
			if tc.wantSuccess && c.Title != "Linked to an existing decision record" {
				t.Errorf("title %q", c.Title)
			}
		})
	}
}

// A repository the policy allows may hold the records; what the check says
// about a link there is the same whether the file is missing, unreadable or
// incomplete, since the PR's author may not be able to see it.
func TestLinkedRecordsInAnAllowedRepositorySayNothingSpecific(t *testing.T) {
	files := baseRecords(1)
	files[".github/overlap.yml"] = "adr:\n  linked_repositories: [acme/architecture/decisions]\n"
	w := newWorld(t, files)
	w.Fake.AddRepo(w.Installation, org, "architecture", githubfake.RepoOptions{Private: true})
	w.Fake.Commit(org, "architecture", "main", githubfake.CommitSpec{Message: "records", Author: "octocat", Files: map[string]string{
		"decisions/0007-one-queue.md":  record(7, "One queue", nil, nil),
		"decisions/0008-half-done.md":  record(8, "Half done", []string{"Consequences"}, nil),
		"docs/adr/0001-elsewhere.md":   record(1, "Elsewhere", nil, nil),
		"decisions/0009-secret-one.md": "hunter2",
	}})
	n := w.openPR("k", "Consume the orders topic", "", nil, "decision")
	var whys []string
	for _, tc := range []struct{ link, want string }{
		{"acme/architecture:decisions/0008-half-done.md", "action_required"},
		{"acme/architecture:decisions/0042-missing.md", "action_required"},
		{"acme/architecture:decisions/0009-secret-one.md", "action_required"},
		{"https://github.com/acme/architecture/blob/main/decisions/0007-one-queue.md", "success"},
	} {
		payload := w.PREvent("edited", "api", n, func(p map[string]any) {
			p["pull_request"].(map[string]any)["body"] = "Decided in " + tc.link
			p["pull_request"].(map[string]any)["labels"] = []map[string]any{{"name": "decision"}}
		})
		w.Fake.EditBody(org, "api", n, "Decided in "+tc.link)
		w.Fake.AddLabels(org, "api", n, "decision")
		w.Send("pull_request", payload)
		c := w.check(n)
		if c.Conclusion != tc.want {
			t.Errorf("%s: %s, want %s\n%s", tc.link, c.Conclusion, tc.want, c.Summary)
		}
		if strings.Contains(c.Summary, "hunter2") {
			t.Errorf("%s: the check quotes the other repository's file", tc.link)
		}
		if tc.want != "success" {
			_, why, _ := strings.Cut(c.Summary, "`: ")
			why, _, _ = strings.Cut(why, "\n")
			whys = append(whys, why)
		}
	}
	for _, why := range whys[1:] {
		if why != whys[0] {
			t.Errorf("links into an allowed repository are answered differently: %q vs %q", why, whys[0])
		}
	}
	// A link outside the allowed directory of that repository is not read.
	w.ResetCounts()
	payload := w.PREvent("edited", "api", n, func(p map[string]any) {
		p["pull_request"].(map[string]any)["body"] = "Decided in acme/architecture:docs/adr/0001-elsewhere.md"
	})
	w.Fake.EditBody(org, "api", n, "Decided in acme/architecture:docs/adr/0001-elsewhere.md")
	w.Send("pull_request", payload)
	if c := w.check(n); c.Conclusion != "action_required" || w.reads("architecture") != 0 {
		t.Errorf("outside the allowed directory: %s, %d reads", c.Conclusion, w.reads("architecture"))
	}
}
