package adr

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var testPR = PR{
	Owner: "acme", Repo: "shop", Number: 42, Title: "ADR: Use Postgres for events",
	Author: "alice", HTMLURL: "https://github.com/acme/shop/pull/42", HeadSHA: "headsha", BaseRef: "main",
	Labels: []string{"Decision"},
}

var testNow = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// fill writes a sentence under every section heading, as a user would.
func fill(tmpl string) string {
	return regexp.MustCompile(`(?m)^(#{2,3} .*)$`).ReplaceAllString(tmpl, "$1\n\nWe wrote this part.")
}

func knownBase(names ...string) map[int]string {
	m := map[int]string{}
	for _, n := range names {
		if num, ok := NumberOf(n); ok {
			m[num] = n
		}
	}
	return m
}

func TestTemplateRoundTrip(t *testing.T) {
	for _, format := range []string{FormatNygard, FormatMADR} {
		t.Run(format, func(t *testing.T) {
			s := DefaultSettings()
			s.Template = format
			tmpl := Template(format, 13, testPR.Title, testPR, testNow)
			for _, want := range []string{"Use Postgres for events", "https://github.com/acme/shop/pull/42", "@alice", "2026-03-02"} {
				if !strings.Contains(tmpl, want) {
					t.Errorf("template lacks %q:\n%s", want, tmpl)
				}
			}
			path := "docs/adr/" + FileName(13, testPR.Title)

			// As rendered, every section is still guidance only: incomplete.
			raw, err := ParseRecord(path, tmpl)
			if err != nil {
				t.Fatalf("ParseRecord(template): %v", err)
			}
			if !Failed(Check(raw, s, nil)) {
				t.Errorf("an unfilled template passed the check")
			}

			r, err := ParseRecord(path, fill(tmpl))
			if err != nil {
				t.Fatalf("ParseRecord(filled): %v", err)
			}
			if got := Check(r, s, nil); len(got) != 0 {
				t.Errorf("filled template has annotations: %+v", got)
			}
			if r.Number != 13 || r.Title != "Use Postgres for events" || !strings.EqualFold(r.Status, "proposed") || r.Format != format {
				t.Errorf("parsed record = number %d, title %q, status %q, format %q", r.Number, r.Title, r.Status, r.Format)
			}
		})
	}
}

func TestTemplateHeadings(t *testing.T) {
	ny := Template("nygard", 7, "Pick a queue", testPR, testNow)
	if !strings.HasPrefix(ny, "# 0007. Pick a queue\n") {
		t.Errorf("nygard title line: %q", strings.SplitN(ny, "\n", 2)[0])
	}
	for _, h := range []string{"## Status", "## Context", "## Decision", "## Consequences"} {
		if !strings.Contains(ny, "\n"+h+"\n") {
			t.Errorf("nygard template lacks %q", h)
		}
	}
	md := Template("madr", 7, "Pick a queue", testPR, testNow)
	for _, h := range []string{"---\nstatus: proposed\ndate: 2026-03-02\ndeciders: alice\n", "\n# Pick a queue\n", "## Context and Problem Statement", "## Considered Options", "## Decision Outcome", "### Consequences", "## Pros and Cons of the Options"} {
		if !strings.Contains(md, h) {
			t.Errorf("madr template lacks %q", h)
		}
	}
	// The date is today's date where the caller is, not in UTC.
	late := time.Date(2026, 3, 2, 23, 30, 0, 0, time.FixedZone("NZ", 13*3600)).UTC() // 2026-03-02 10:30 UTC
	if got := Template("madr", 1, "x", testPR, late.In(time.FixedZone("NZ", 13*3600))); !strings.Contains(got, "date: 2026-03-02") {
		t.Errorf("date not in caller's zone: %s", got)
	}
}

const completeNygard = `# 3. Use Kafka

Date: 2025-01-01

## Status

Accepted

## Context

We need events.

## Decision

Kafka.

## Consequences

Ops work.
`

func TestCheckMissingConsequences(t *testing.T) {
	content := strings.Replace(completeNygard, "## Consequences\n\nOps work.\n", "", 1)
	r, err := ParseRecord("docs/adr/0003-use-kafka.md", content)
	if err != nil {
		t.Fatal(err)
	}
	got := Check(r, DefaultSettings(), knownBase("0003-use-kafka.md"))
	if len(got) != 1 {
		t.Fatalf("want exactly one annotation, got %+v", got)
	}
	a := got[0]
	if a.Line != 1 || a.Level != LevelFailure || !strings.Contains(a.Message, "Consequences") || a.Path != "docs/adr/0003-use-kafka.md" {
		t.Errorf("annotation = %+v, want a failure on line 1 naming Consequences", a)
	}

	// MADR: the title is after the front matter; the annotation points at it.
	madr := "---\nstatus: accepted\n---\n\n# Use Kafka\n\n## Context and Problem Statement\n\nx\n\n## Considered Options\n\nx\n\n## Decision Outcome\n\nx\n"
	r, err = ParseRecord("docs/adr/0003-use-kafka.md", madr)
	if err != nil {
		t.Fatal(err)
	}
	s := DefaultSettings()
	s.Template = FormatMADR
	got = Check(r, s, nil)
	if len(got) != 1 || got[0].Line != 5 || !strings.Contains(got[0].Message, "Consequences") {
		t.Errorf("MADR missing Consequences: got %+v, want one annotation on line 5", got)
	}
}

func TestCheckStatus(t *testing.T) {
	known := knownBase("0001-first.md", "0002-x.md", "0003-use-kafka.md")
	tests := []struct {
		name     string
		status   string // replaces "Accepted" in completeNygard
		wantLine int    // 0 = no annotation
		wantMsg  string
	}{
		{"proposed", "proposed", 0, ""},
		{"upper case", "ACCEPTED", 0, ""},
		{"rejected", "Rejected", 0, ""},
		{"deprecated", "Deprecated", 0, ""},
		{"superseded by link", "Superseded by [0002](0002-x.md)", 0, ""},
		{"superseded by number", "superseded by 0001", 0, ""},
		{"superseded by adr-tools link", "Superseded by [1. First](0001-first.md)", 0, ""},
		{"invalid word", "Done", 7, `"Done"`},
		{"superseded by nothing", "Superseded by", 7, "not one of"},
		{"superseded by unknown record", "Superseded by 0042", 7, "no record 0042"},
		{"empty section", "", 5, "does not give a status"},
		{"only a supersedes line", "Supersedes [1. First](0001-first.md)", 5, "does not give a status"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := strings.Replace(completeNygard, "Accepted\n", tt.status+"\n", 1)
			r, err := ParseRecord("docs/adr/0003-use-kafka.md", content)
			if err != nil {
				t.Fatal(err)
			}
			got := Check(r, DefaultSettings(), known)
			if tt.wantLine == 0 {
				if len(got) != 0 {
					t.Errorf("status %q: unexpected %+v", tt.status, got)
				}
				return
			}
			if len(got) != 1 || got[0].Line != tt.wantLine || got[0].Level != LevelFailure || !strings.Contains(got[0].Message, tt.wantMsg) {
				t.Errorf("status %q: got %+v, want one failure on line %d containing %q", tt.status, got, tt.wantLine, tt.wantMsg)
			}
		})
	}
}

func TestStatusSources(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"madr front matter", "---\nstatus: Accepted\ndate: 2025-01-01\n---\n# T\n", "Accepted"},
		{"madr status line", "# T\n\n* Status: proposed\n* Date: 2025-01-01\n\n## Context and Problem Statement\n\nx\n", "proposed"},
		{"nygard section with adr-tools supersedes line first", "# 2. T\n\n## Status\n\nSupersedes [1. First](0001-first.md)\n\nAccepted\n", "Accepted"},
		{"status in a code block does not count", "# T\n\n```\nStatus: accepted\n```\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRecord("docs/adr/0002-t.md", tt.content)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tt.want {
				t.Errorf("Status = %q, want %q", r.Status, tt.want)
			}
		})
	}
}

func TestCheckEmptySectionAndCodeBlocks(t *testing.T) {
	content := strings.Replace(completeNygard, "We need events.", "<!-- TODO: explain -->\nTBD", 1)
	r, err := ParseRecord("docs/adr/0003-use-kafka.md", content)
	if err != nil {
		t.Fatal(err)
	}
	got := Check(r, DefaultSettings(), nil)
	if len(got) != 1 || got[0].Line != 9 || !strings.Contains(got[0].Message, `"Context" is empty`) {
		t.Errorf("got %+v, want one failure on the Context heading (line 9)", got)
	}

	// A heading inside a fenced block is not a section.
	fenced := strings.Replace(completeNygard, "## Consequences\n\nOps work.\n", "```md\n## Consequences\n\nOps work.\n```\n", 1)
	r, _ = ParseRecord("docs/adr/0003-use-kafka.md", fenced)
	if got := Check(r, DefaultSettings(), nil); len(got) != 1 || !strings.Contains(got[0].Message, "Consequences") {
		t.Errorf("fenced heading counted as a section: %+v", got)
	}
}

func TestCheckNamesNumbersAndSupersedes(t *testing.T) {
	base := knownBase("0001-first.md", "0003-use-kafka.md", "0007-other.md")
	tests := []struct {
		name, path, content string
		wantTitle           string // "" = no annotation
	}{
		{"same file on base is not a collision", "docs/adr/0003-use-kafka.md", completeNygard, ""},
		{"number taken by a different file", "docs/adr/0007-use-kafka.md", strings.Replace(completeNygard, "# 3.", "# 7.", 1), "Number already used"},
		{"underscore name", "docs/adr/0008_Use_Kafka.md", strings.Replace(completeNygard, "# 3.", "# 8.", 1), "File name"},
		{"unpadded number", "docs/adr/8-use-kafka.md", strings.Replace(completeNygard, "# 3.", "# 8.", 1), "File name"},
		{"supersedes an existing record", "docs/adr/0008-use-kafka.md", strings.Replace(completeNygard, "# 3.", "# 8.", 1) + "\nSupersedes [1. First](0001-first.md)\n", ""},
		{"supersedes a missing record", "docs/adr/0008-use-kafka.md", strings.Replace(completeNygard, "# 3.", "# 8.", 1) + "\nSupersedes ADR-0005\n", "Unknown record"},
		{"title number disagrees", "docs/adr/0008-use-kafka.md", completeNygard, "Title number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRecord(tt.path, tt.content)
			if err != nil {
				t.Fatal(err)
			}
			got := Check(r, DefaultSettings(), base)
			if tt.wantTitle == "" {
				if len(got) != 0 {
					t.Errorf("unexpected %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Title != tt.wantTitle {
				t.Errorf("got %+v, want one %q annotation", got, tt.wantTitle)
			}
		})
	}

	r, _ := ParseRecord("docs/adr/0008_Use_Kafka.md", completeNygard)
	got := Check(r, DefaultSettings(), base)
	if len(got) == 0 || !strings.Contains(got[0].Message, `"0008-use-kafka.md"`) {
		t.Errorf("bad name should suggest a good one, got %+v", got)
	}
}

func TestCustomRequiredSections(t *testing.T) {
	s := DefaultSettings()
	s.RequiredSections = []string{"Context", "Decision", "Alternatives"}
	r, _ := ParseRecord("docs/adr/0003-use-kafka.md", completeNygard)
	got := Check(r, s, nil)
	if len(got) != 1 || !strings.Contains(got[0].Message, `"Alternatives"`) {
		t.Errorf("got %+v, want the missing Alternatives section only (Status is not required here)", got)
	}
	// A record with no status at all passes when Status is not required...
	noStatus := strings.Replace(completeNygard, "## Status\n\nAccepted\n\n", "", 1) + "\n## Alternatives\n\nNone.\n"
	r, _ = ParseRecord("docs/adr/0003-use-kafka.md", noStatus)
	if got := Check(r, s, nil); len(got) != 0 {
		t.Errorf("got %+v, want none", got)
	}
	// ...and fails with the default sections.
	if got := Check(r, DefaultSettings(), nil); len(got) != 1 || got[0].Title != "Missing status" || got[0].Line != 1 {
		t.Errorf("got %+v, want one Missing status on line 1", got)
	}
}

func TestParseRecordErrors(t *testing.T) {
	for name, content := range map[string]string{
		"not UTF-8":             "# T\n\xff\xfe",
		"unclosed front matter": "---\nstatus: accepted\n# T\n",
		"bad YAML":              "---\nstatus: [accepted\n---\n# T\n",
		"front matter a list":   "---\n- a\n- b\n---\n# T\n",
	} {
		if _, err := ParseRecord("docs/adr/0001-t.md", content); err == nil {
			t.Errorf("%s: want an error", name)
		} else if !strings.Contains(err.Error(), "docs/adr/0001-t.md") {
			t.Errorf("%s: error %q does not name the file", name, err)
		}
	}
	// Windows line endings and a BOM are fine.
	r, err := ParseRecord("docs/adr/0003-use-kafka.md", "\ufeff"+strings.ReplaceAll(completeNygard, "\n", "\r\n"))
	if err != nil || len(Check(r, DefaultSettings(), nil)) != 0 {
		t.Errorf("CRLF record: err %v, annotations %+v", err, Check(r, DefaultSettings(), nil))
	}
}

func TestRevisit(t *testing.T) {
	nygard, _ := ParseRecord("docs/adr/0003-use-kafka.md", completeNygard+"\nRevisit: 2027-01-15\n")
	madr, _ := ParseRecord("docs/adr/0004-b.md", "---\nstatus: accepted\nrevisit: 2027-01-10\n---\n# B\n")
	old, _ := ParseRecord("docs/adr/0001-a.md", "---\nstatus: superseded by 0004\nrevisit: 2020-01-01\n---\n# A\n")
	none, _ := ParseRecord("docs/adr/0002-c.md", completeNygard)
	for _, r := range []Record{nygard, madr} {
		if r.Revisit == nil {
			t.Fatalf("%s: no revisit date parsed", r.Path)
		}
	}
	if got := nygard.Revisit.Format(time.DateOnly); got != "2027-01-15" || nygard.RevisitLine != 21 {
		t.Errorf("nygard revisit = %s on line %d", got, nygard.RevisitLine)
	}
	bad, _ := ParseRecord("docs/adr/0003-use-kafka.md", completeNygard+"\nRevisit: next spring\n")
	if got := Check(bad, DefaultSettings(), nil); len(got) != 1 || got[0].Level != LevelWarning || got[0].Line != 21 {
		t.Errorf("unreadable revisit: got %+v, want one warning on line 21", got)
	}

	records := []Record{nygard, madr, old, none}
	auckland := time.FixedZone("NZDT", 13*3600)
	la := time.FixedZone("PST", -8*3600)
	instant := time.Date(2027, 1, 14, 20, 0, 0, 0, time.UTC) // 15 Jan in Auckland, 14 Jan in Los Angeles
	tests := []struct {
		name string
		now  time.Time
		want []string
	}{
		{"before any date", time.Date(2026, 12, 31, 12, 0, 0, 0, time.UTC), nil},
		{"Los Angeles: only the 10th is due", instant.In(la), []string{"docs/adr/0004-b.md"}},
		{"Auckland: the 15th is today, so due", instant.In(auckland), []string{"docs/adr/0004-b.md", "docs/adr/0003-use-kafka.md"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range DueForRevisit(records, tt.now) {
				got = append(got, r.Path)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("DueForRevisit = %v, want %v (superseded records never due)", got, tt.want)
			}
		})
	}
}

// A record of more than MaxSections headings is refused as unreadable, with
// the reason; one at the cap is read.
func TestRecordHeadingCap(t *testing.T) {
	at := "# 1. Big\n\n" + strings.Repeat("## a\n\ntext\n\n", MaxSections)
	if _, err := ParseRecord("docs/adr/0001-big.md", at); err != nil {
		t.Errorf("a record of %d sections: %v", MaxSections, err)
	}
	over := at + "## one more\n"
	_, err := ParseRecord("docs/adr/0001-big.md", over)
	if err == nil || !strings.Contains(err.Error(), "more than 2000 headings") {
		t.Errorf("a record of %d sections: err = %v, want the heading cap", MaxSections+1, err)
	}
}
