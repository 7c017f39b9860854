package adr

import (
	"strings"
	"testing"
)

func baseInput() Input {
	var base []string
	for i := 1; i <= 12; i++ {
		base = append(base, FileName(i, "record"))
	}
	return Input{
		Settings: DefaultSettings(),
		PR:       testPR,
		BaseADRs: append(base, "README.md"),
		Now:      testNow,
		StateKey: testKey,
	}
}

func filledADR(n int, title string) string {
	return fill(Template(FormatNygard, n, title, testPR, testNow))
}

func TestDecideNotDecisionPR(t *testing.T) {
	in := baseInput()
	in.PR.Labels = []string{"bug"}
	if d := Decide(in); d.Comment != nil || d.Check != nil {
		t.Fatalf("a PR that never was a decision PR got %+v", d)
	}

	// Label removed after the prompt: retire both, create nothing new.
	in.CheckExists, in.CommentExists = true, true
	d := Decide(in)
	if d.Check == nil || d.Check.Conclusion != ConclusionNeutral || d.Check.Title != "No longer a decision PR" || d.Check.HeadSHA != "headsha" || d.Check.Name != CheckName {
		t.Errorf("check = %+v, want neutral \"No longer a decision PR\" on the head SHA", d.Check)
	}
	if d.Comment == nil || !strings.Contains(*d.Comment, "no longer applies") {
		t.Errorf("comment = %v, want it to say the prompt no longer applies", d.Comment)
	}

	// Only a comment exists: the check stays absent.
	in.CheckExists = false
	if d := Decide(in); d.Check != nil || d.Comment == nil {
		t.Errorf("got %+v, want comment edit only", d)
	}

	// Feature turned off in the policy counts as "no longer".
	in = baseInput()
	in.Settings.Enabled = false
	in.CheckExists = true
	if d := Decide(in); d.Check == nil || d.Check.Conclusion != ConclusionNeutral || d.Comment != nil {
		t.Errorf("disabled: got %+v", d)
	}
}

func TestDecideMissing(t *testing.T) {
	for _, mode := range []string{CheckRequired, CheckAdvisory} {
		t.Run(mode, func(t *testing.T) {
			in := baseInput()
			in.Settings.Check = mode
			in.Files = []File{{Path: "src/events.go", Status: "modified"}, {Path: "docs/adr/README.md", Status: "modified"}}
			d := Decide(in)
			want := map[string]string{CheckRequired: ConclusionActionRequired, CheckAdvisory: ConclusionNeutral}[mode]
			if d.Check == nil || d.Check.Conclusion != want {
				t.Fatalf("check = %+v, want %s", d.Check, want)
			}
			path := "docs/adr/0013-use-postgres-for-events.md"
			if !strings.Contains(d.Check.Summary, path) || !strings.Contains(d.Check.Summary, "/adr skip") {
				t.Errorf("summary does not say exactly what to add: %q", d.Check.Summary)
			}
			if len(d.Check.Actions) != 1 || d.Check.Actions[0].Identifier != "adr-skip" {
				t.Errorf("actions = %+v, want the skip button", d.Check.Actions)
			}
			c := *d.Comment
			if !strings.Contains(c, "**`"+path+"`**") || !strings.Contains(c, "````markdown\n# 0013. Use Postgres for events\n") {
				t.Errorf("comment lacks the path or the fenced template:\n%s", c)
			}
			if strings.Contains(c, "overlap:adr") {
				t.Error("the write path adds the marker; Decide must not")
			}
		})
	}
}

func TestDecideNumberingAvoidsOtherPRs(t *testing.T) {
	in := baseInput()
	in.OtherPRADRs = []string{"0013-other-decision.md", "0014-third.md"}
	d := Decide(in)
	if !strings.Contains(*d.Comment, "docs/adr/0015-use-postgres-for-events.md") {
		t.Errorf("want 0015 after other PRs' 0013 and 0014:\n%s", *d.Comment)
	}
}

func TestDecideMADRTemplateAndExtraSections(t *testing.T) {
	in := baseInput()
	in.Settings.Template = FormatMADR
	in.Settings.RequiredSections = []string{"Context and Problem Statement", "Decision Outcome", "Rollout Plan"}
	c := *Decide(in).Comment
	for _, want := range []string{"status: proposed", "deciders: alice", "## Context and Problem Statement", "## Rollout Plan"} {
		if !strings.Contains(c, want) {
			t.Errorf("MADR prompt lacks %q", want)
		}
	}
}

func TestDecideRecordPresent(t *testing.T) {
	path := "docs/adr/0013-use-postgres-for-events.md"
	tests := []struct {
		name        string
		content     string
		others      []string
		wantConcl   string
		wantAnnots  int // failures
		wantComment []string
	}{
		{"complete", filledADR(13, testPR.Title), nil, ConclusionSuccess, 0,
			[]string{"✅", "[`" + path + "`](https://github.com/acme/shop/blob/headsha/" + path + ")"}},
		{"missing consequences", strings.Replace(filledADR(13, testPR.Title), "## Consequences", "## Aftermath", 1), nil, ConclusionFailure, 1,
			[]string{"needs work", "Consequences"}},
		{"unfilled template", Template(FormatNygard, 13, testPR.Title, testPR, testNow), nil, ConclusionFailure, 3,
			[]string{"3 problems"}},
		{"number also used by another PR", filledADR(13, testPR.Title), []string{"0013-other.md"}, ConclusionSuccess, 0,
			[]string{"whichever merges second must renumber"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInput()
			in.OtherPRADRs = tt.others
			in.Files = []File{{Path: path, Status: "added", Content: tt.content}}
			d := Decide(in)
			if d.Check.Conclusion != tt.wantConcl {
				t.Errorf("conclusion = %s, want %s; annotations %+v", d.Check.Conclusion, tt.wantConcl, d.Check.Annotations)
			}
			if got := countLevel(d.Check.Annotations, LevelFailure); got != tt.wantAnnots {
				t.Errorf("failures = %d, want %d: %+v", got, tt.wantAnnots, d.Check.Annotations)
			}
			for _, a := range d.Check.Annotations {
				if a.Path != path || a.Line < 1 {
					t.Errorf("annotation %+v not on the ADR file", a)
				}
			}
			if !strings.Contains(d.Check.Summary, path) {
				t.Errorf("summary does not list the ADR: %q", d.Check.Summary)
			}
			if len(d.Check.Actions) != 0 {
				t.Errorf("no skip button once a record is present")
			}
			for _, w := range tt.wantComment {
				if !strings.Contains(*d.Comment, w) {
					t.Errorf("comment lacks %q:\n%s", w, *d.Comment)
				}
			}
		})
	}
}

func TestDecideCollisionAndRename(t *testing.T) {
	in := baseInput()
	in.Files = []File{{Path: "docs/adr/0007-use-postgres-for-events.md", Status: "added", Content: filledADR(7, testPR.Title)}}
	d := Decide(in)
	if d.Check.Conclusion != ConclusionFailure || d.Check.Annotations[0].Title != "Number already used" {
		t.Errorf("collision with base 0007: got %+v", d.Check)
	}

	// Renaming a base record (same number) next to a new record is not a
	// collision.
	added := File{Path: "docs/adr/0013-use-postgres-for-events.md", Status: "added", Content: filledADR(13, testPR.Title)}
	in.Files = []File{added, {Path: "docs/adr/0007-new-name.md", Status: "renamed", PreviousPath: "docs/adr/0007-record.md", Content: filledADR(7, "New name")}}
	if d := Decide(in); d.Check.Conclusion != ConclusionSuccess {
		t.Errorf("rename: got %+v", d.Check.Annotations)
	}

	// A legacy record on base keeps its odd name when only modified.
	in.BaseADRs = append(in.BaseADRs, "0002_Legacy.md")
	in.Files = []File{added, {Path: "docs/adr/0002_Legacy.md", Status: "modified", Content: filledADR(2, "Legacy")}}
	if d := Decide(in); d.Check.Conclusion != ConclusionSuccess {
		t.Errorf("modified legacy record: got %+v", d.Check.Annotations)
	}
}

// Only a new record (added, or renamed into the directory) records a
// decision; edits and renames of existing records are listed as not
// counting, and a link or a skip still satisfy the check.
func TestDecideOnlyNewRecordsCount(t *testing.T) {
	typo := File{Path: "docs/adr/0001-record.md", Status: "modified", Content: filledADR(1, "Record")}
	renamed := File{Path: "docs/adr/0002-better-name.md", Status: "renamed", PreviousPath: "docs/adr/0002-record.md", Content: filledADR(2, "Better name")}
	movedIn := File{Path: "docs/adr/0013-use-postgres-for-events.md", Status: "renamed", PreviousPath: "drafts/postgres.md", Content: filledADR(13, testPR.Title)}
	for _, tc := range []struct {
		name      string
		files     []File
		linked    bool
		skip      bool
		want      string
		inSummary []string
	}{
		{"typo fix in an old record", []File{typo}, false, false, ConclusionActionRequired,
			[]string{"`docs/adr/0001-record.md`: an existing record, only modified", "No new record is added directly in `docs/adr/`"}},
		{"rename within the directory", []File{renamed}, false, false, ConclusionActionRequired,
			[]string{"`docs/adr/0002-better-name.md`: an existing record, renamed within the directory"}},
		{"renamed into the directory", []File{movedIn}, false, false, ConclusionSuccess, []string{"docs/adr/0013-use-postgres-for-events.md"}},
		{"typo fix plus a linked record", []File{typo}, true, false, ConclusionSuccess, []string{"links an existing decision record"}},
		{"typo fix plus a skip", []File{typo}, false, true, ConclusionNeutral, []string{"Skipped by @carol"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := baseInput()
			in.Files = tc.files
			if tc.linked {
				in.Linked = []LinkedRef{{Owner: "acme", Repo: "api", Path: "docs/adr/0003-record.md"}}
			}
			if tc.skip {
				in.Skip = &Skip{By: "carol", Reason: "typo only"}
			}
			d := Decide(in)
			if d.Check.Conclusion != tc.want {
				t.Fatalf("conclusion %s, want %s: %s", d.Check.Conclusion, tc.want, d.Check.Summary)
			}
			for _, w := range tc.inSummary {
				if !strings.Contains(d.Check.Summary, w) {
					t.Errorf("summary lacks %q:\n%s", w, d.Check.Summary)
				}
			}
		})
	}
}

func TestDecideSubdirectoryRecordsAreNotCounted(t *testing.T) {
	in := baseInput()
	sub := "docs/adr/payments/0013-use-idempotency-keys.md"
	in.Files = []File{{Path: sub, Status: "added", Content: filledADR(13, "Use idempotency keys")}}
	d := Decide(in)
	if d.Check.Conclusion != ConclusionActionRequired {
		t.Fatalf("conclusion %s", d.Check.Conclusion)
	}
	if !strings.Contains(d.Check.Summary, "directly in `docs/adr/`") || !strings.Contains(*d.Comment, sub) {
		t.Errorf("the summary and comment should name the file and say records sit directly in docs/adr/:\n%s\n%s", d.Check.Summary, *d.Comment)
	}
	if len(d.Check.Annotations) != 1 || d.Check.Annotations[0].Path != sub || !strings.Contains(d.Check.Annotations[0].Message, "directly in docs/adr/") {
		t.Errorf("want one annotation on %s, got %+v", sub, d.Check.Annotations)
	}
}

func TestDecideSameNumberTwiceInOnePR(t *testing.T) {
	in := baseInput()
	in.Files = []File{
		{Path: "docs/adr/0013-first.md", Status: "added", Content: filledADR(13, "First")},
		{Path: "docs/adr/0013-second.md", Status: "added", Content: filledADR(13, "Second")},
	}
	d := Decide(in)
	if d.Check.Conclusion != ConclusionFailure || len(d.Check.Annotations) != 1 {
		t.Fatalf("want one failure, got %s %+v", d.Check.Conclusion, d.Check.Annotations)
	}
	if a := d.Check.Annotations[0]; a.Path != "docs/adr/0013-second.md" || !strings.Contains(a.Message, "used by 0013-first.md in this PR") {
		t.Errorf("annotation %+v", a)
	}
	// Against the base branch, the message says so.
	in.Files = in.Files[:1]
	in.Files[0].Path = "docs/adr/0012-first.md"
	d = Decide(in)
	if len(d.Check.Annotations) == 0 || !strings.Contains(d.Check.Annotations[0].Message, "used by 0012-record.md on the base branch") {
		t.Errorf("base collision: %+v", d.Check.Annotations)
	}
}

func TestDecideSupersedesReminder(t *testing.T) {
	newADR := strings.Replace(filledADR(13, testPR.Title), "Proposed\n", "Accepted\n\nSupersedes [3. Record](0003-record.md)\n", 1)
	in := baseInput()
	in.Files = []File{{Path: "docs/adr/0013-use-postgres-for-events.md", Status: "added", Content: newADR}}
	d := Decide(in)
	want := "`Superseded by [0013](0013-use-postgres-for-events.md)`"
	if d.Check.Conclusion != ConclusionSuccess || !strings.Contains(*d.Comment, want) || !strings.Contains(*d.Comment, "blob/main/docs/adr/0003-record.md") {
		t.Errorf("want a success and a reminder to mark 0003:\n%s\n%+v", *d.Comment, d.Check.Annotations)
	}

	// The PR already marks the old record: no reminder.
	old := strings.Replace(filledADR(3, "Record"), "Proposed\n", "Superseded by [0013](0013-use-postgres-for-events.md)\n", 1)
	in.Files = append(in.Files, File{Path: "docs/adr/0003-record.md", Status: "modified", Content: old})
	d = Decide(in)
	if strings.Contains(*d.Comment, "Please also set the status") || d.Check.Conclusion != ConclusionSuccess {
		t.Errorf("reminder shown although the PR marks 0003, or check failed: %s %+v", *d.Comment, d.Check.Annotations)
	}
}

func TestDecideLinkedAndSkipped(t *testing.T) {
	in := baseInput()
	in.Linked = []LinkedRef{{Owner: "acme", Repo: "platform", Path: "docs/adr/0010-queues.md"}}
	d := Decide(in)
	if d.Check.Conclusion != ConclusionSuccess || !strings.Contains(*d.Comment, "https://github.com/acme/platform/blob/HEAD/docs/adr/0010-queues.md") {
		t.Errorf("linked: %+v\n%s", d.Check, *d.Comment)
	}

	in = baseInput()
	in.Skip = &Skip{By: "bob", Reason: "only a dependency bump <!-- really --> yes"}
	d = Decide(in)
	if d.Check.Conclusion != ConclusionNeutral || !strings.Contains(d.Check.Summary, "@bob") || !strings.Contains(d.Check.Summary, "dependency bump") {
		t.Errorf("skipped: %+v", d.Check)
	}
	// The skip survives in the comment, and its reason cannot end the hidden comment early.
	if got := StateFromComment(*d.Comment, testKey, testPR); got.Skip == nil || *got.Skip != *in.Skip {
		t.Errorf("state read back = %+v, want %+v", got.Skip, in.Skip)
	}
	if strings.Count(*d.Comment, "<!--") != 1 {
		t.Errorf("the reason opened an HTML comment in the visible text:\n%s", *d.Comment)
	}

	// A record added after a skip is still checked.
	in.Files = []File{{Path: "docs/adr/0013-x.md", Status: "added", Content: "# 13. X\n"}}
	if d := Decide(in); d.Check.Conclusion != ConclusionFailure || StateFromComment(*d.Comment, testKey, testPR).Skip == nil {
		t.Errorf("record after skip: conclusion %s", d.Check.Conclusion)
	}
}

func TestDecideUnreadableRecord(t *testing.T) {
	in := baseInput()
	in.Files = []File{{Path: "docs/adr/0013-x.md", Status: "added", Content: "---\nstatus: [\n---\n"}}
	d := Decide(in)
	if d.Check.Conclusion != ConclusionFailure || len(d.Check.Annotations) != 1 || d.Check.Annotations[0].Line != 1 {
		t.Errorf("unreadable record: %+v", d.Check)
	}
}

func TestDecideIsStable(t *testing.T) {
	in := baseInput()
	in.Files = []File{{Path: "docs/adr/0013-x.md", Status: "added", Content: "# 13. X\n\n## Status\n\nDone\n"}}
	a, b := Decide(in), Decide(in)
	if *a.Comment != *b.Comment || a.Check.Summary != b.Check.Summary || a.Check.Text != b.Check.Text {
		t.Error("same input, different output: a redelivered event would flap")
	}
}

func TestTruncate(t *testing.T) {
	s := strings.Repeat("é", 100) // 200 bytes
	got := truncate(s, 51)
	if len(got) > 51 || !strings.HasSuffix(got, "(truncated)\n") || !strings.HasPrefix(got, "éé") {
		t.Errorf("truncate = %q (%d bytes)", got, len(got))
	}
	if truncate("short", 10) != "short" {
		t.Error("short strings unchanged")
	}
}
