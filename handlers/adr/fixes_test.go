package adr

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	overlap "github.com/overlaphq/overlap"
	"github.com/overlaphq/overlap/handlers"
)

func TestDirFromADRDir(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string
		ok   bool
	}{
		{"doc/adr\n", "doc/adr", true},
		{"  docs/architecture/decisions/ \r\nignored\n", "docs/architecture/decisions", true},
		{"\ufeffdecisions", "decisions", true},
		{"", "", false},
		{"\n\n", "", false},
		{"/etc/adr\n", "", false},
		{"../elsewhere\n", "", false},
		{".\n", "", false},
	} {
		got, ok := DirFromADRDir(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("DirFromADRDir(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestDateNumbering(t *testing.T) {
	s := DefaultSettings()
	s.Numbering = NumberingDate
	in := baseInput()
	in.Settings = s
	in.BaseADRs = []string{"20240105-use-go.md"}
	// Now in the team's zone decides "today": 23:30 UTC is already the 25th in Berlin.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	in.Now = time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC).In(berlin)
	d := Decide(in)
	if !strings.Contains(*d.Comment, "`docs/adr/20261125-use-postgres-for-events.md`") || strings.Contains(*d.Comment, "# 0000.") {
		t.Errorf("date-numbered prompt:\n%s", *d.Comment)
	}

	for _, tc := range []struct {
		name, path string
		failures   int
		msg        string
	}{
		{"valid date name sharing a date", "docs/adr/20240105-use-postgres.md", 0, ""},
		{"dashed date", "docs/adr/2024-01-05-use-postgres.md", 1, "YYYYMMDD-title-in-kebab-case.md"},
		{"impossible date", "docs/adr/20241305-use-postgres.md", 1, `e.g. to "YYYYMMDD-use-postgres.md"`},
		{"sequential name", "docs/adr/0002-use-postgres.md", 1, "YYYYMMDD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := strings.Replace(fill(Template(FormatNygard, 0, "Use Postgres", testPR, testNow)), "Proposed", "Draft", 1)
			in.Files = []File{{Path: tc.path, Status: "added", Content: rec}}
			d := Decide(in)
			if got := countLevel(d.Check.Annotations, LevelFailure); got != tc.failures {
				t.Fatalf("failures %d, want %d: %+v", got, tc.failures, d.Check.Annotations)
			}
			if tc.msg != "" && !strings.Contains(d.Check.Annotations[0].Message, tc.msg) {
				t.Errorf("message %q lacks %q", d.Check.Annotations[0].Message, tc.msg)
			}
		})
	}

	// Sequential numbering meets a date-named record: say how to switch.
	r, _ := ParseRecord("docs/adr/20240105-use-go.md", fill(Template(FormatNygard, 0, "Use Go", testPR, testNow)))
	anns := Check(r, DefaultSettings(), map[int]string{})
	if len(anns) == 0 || !strings.Contains(anns[0].Message, "numbering: date") {
		t.Errorf("sequential check of a date-named record: %+v", anns)
	}
}

func TestMADR2ConsequencesAndDraftStatus(t *testing.T) {
	s := DefaultSettings()
	s.Template = FormatMADR
	head := "# Use Kafka\n\n* Status: %s\n\n## Context and Problem Statement\n\nX.\n\n## Considered Options\n\n* Kafka\n\n## Decision Outcome\n\nKafka.\n\n"
	for _, tc := range []struct {
		name, status, tail string
		failures           int
	}{
		{"positive and negative", "draft", "### Positive Consequences\n\n* fast\n\n### Negative Consequences\n\n* ops\n", 0},
		{"only negative", "accepted", "### Negative Consequences\n\n* ops\n", 0},
		{"both empty", "accepted", "### Positive Consequences\n\n<!-- x -->\n\n### Negative Consequences\n\n", 1},
		{"none", "accepted", "", 1},
		{"bad status", "drafted", "### Consequences\n\n* ok\n", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRecord("docs/adr/0003-use-kafka.md", strings.Replace(head, "%s", tc.status, 1)+tc.tail)
			if err != nil {
				t.Fatal(err)
			}
			anns := Check(r, s, map[int]string{})
			if got := countLevel(anns, LevelFailure); got != tc.failures {
				t.Errorf("failures %d, want %d: %+v", got, tc.failures, anns)
			}
		})
	}
}

func TestAlwaysReportDecision(t *testing.T) {
	in := baseInput()
	in.Settings.AlwaysReport = true
	in.PR.Labels = []string{"bug"}
	d := Decide(in)
	if d.Check == nil || d.Check.Conclusion != ConclusionSkipped || d.Check.Title != "Not a decision PR" || d.Comment != nil {
		t.Fatalf("non-decision PR with always_report: %+v", d)
	}
	// The label came off: the comment says so, the check is skipped (not neutral).
	in.CommentExists, in.CheckExists = true, true
	d = Decide(in)
	if d.Check.Conclusion != ConclusionSkipped || d.Comment == nil || !strings.Contains(*d.Comment, "no longer") {
		t.Errorf("unlabelled with always_report: %+v", d)
	}
	// Turned off: always_report does not create anything.
	in.Settings.Enabled = false
	in.CheckExists = false
	if d := Decide(in); d.Check != nil {
		t.Errorf("disabled feature created a check: %+v", d.Check)
	}
}

func TestStaleCheck(t *testing.T) {
	for _, tc := range []struct {
		conclusion string
		always     bool
		want       bool
	}{
		{"action_required", false, true},
		{"failure", false, true},
		{"success", false, true},
		{"neutral", false, false},
		{"skipped", true, false},
		{"", false, false},
		{"", true, true},
	} {
		s := DefaultSettings()
		s.AlwaysReport = tc.always
		if got := staleCheck(s, tc.conclusion); got != tc.want {
			t.Errorf("staleCheck(always=%v, %q) = %v", tc.always, tc.conclusion, got)
		}
	}
}

// Every example payload GitHub publishes for the events the feature reads
// decodes, including check_run rerequested's "2018-04-25 20:42:10"
// timestamps that go-github's event types refuse.
func TestPayloadExamplesDecode(t *testing.T) {
	targets := map[string]func() any{
		"pull_request":  func() any { return &pullRequestPayload{} },
		"check_run":     func() any { return &checkRunPayload{} },
		"issue_comment": func() any { return &issueCommentPayload{} },
	}
	n := 0
	for event, target := range targets {
		dir := "testdata/github/webhooks/" + event
		entries, err := fs.ReadDir(overlap.GitHubData, dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := fs.ReadFile(overlap.GitHubData, dir+"/"+e.Name())
			if err != nil {
				t.Fatal(err)
			}
			if err := decode(&handlers.Event{Type: event, Payload: b}, target()); err != nil {
				t.Errorf("%s/%s: %v", event, e.Name(), err)
			}
			n++
		}
	}
	if n < 5 {
		t.Errorf("only %d examples found", n)
	}
}

// Payloads missing the objects the handler reads are ignored, not a panic.
func TestPayloadsWithoutTheirObjects(t *testing.T) {
	for _, tc := range []struct{ event, action, payload string }{
		{"issue_comment", "created", `{"action":"created","issue":null,"comment":{"id":1,"body":"/adr skip x"}}`},
		{"issue_comment", "deleted", `{"action":"deleted","issue":{"number":1,"pull_request":{}},"comment":null}`},
		{"check_run", "rerequested", `{"action":"rerequested","check_run":null}`},
		{"pull_request", "labeled", `{"action":"labeled","pull_request":null,"label":null}`},
	} {
		ev := &handlers.Event{Type: tc.event, Action: tc.action, Payload: []byte(tc.payload)}
		if err := (Feature{}).Handle(context.Background(), &handlers.Env{}, ev); err != nil {
			t.Errorf("%s %s: %v", tc.event, tc.action, err)
		}
	}
}

func TestHugePRWithoutAVisibleRecordDoesNotBlock(t *testing.T) {
	in := Input{Settings: DefaultSettings(), PR: PR{Owner: "acme", Repo: "api", Number: 7, Title: "Vendor everything", Labels: []string{"decision"}, HeadSHA: "abc"},
		BaseADRs: []string{"0001-a.md"}, FilesIncomplete: true, Now: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
	for i := 0; i < 3000; i++ {
		in.Files = append(in.Files, File{Path: fmt.Sprintf("vendor/f%d.go", i), Status: "added"})
	}
	d := Decide(in)
	if d.Check == nil || d.Check.Conclusion != ConclusionNeutral || !strings.Contains(d.Check.Summary, "3,000") {
		t.Fatalf("want a neutral check explaining the 3,000-file limit, got %+v", d.Check)
	}
	in.FilesIncomplete = false
	if d := Decide(in); d.Check.Conclusion != ConclusionActionRequired {
		t.Errorf("a complete listing without a record still requires one, got %s", d.Check.Conclusion)
	}
}
