package adr

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
)

// The policy file's defaults and the check must require the same sections:
// a record the docs call complete must pass, and the template the prompt
// hands out must list every section the check then asks for.
func TestDefaultSectionsComeFromThePolicy(t *testing.T) {
	for _, tc := range []struct {
		template config.ADRTemplate
		want     []string
	}{
		{config.TemplateNygard, []string{"Status", "Context", "Decision", "Consequences"}},
		{config.TemplateMADR, []string{"Status", "Context and Problem Statement", "Considered Options", "Decision Outcome", "Consequences"}},
	} {
		t.Run(string(tc.template), func(t *testing.T) {
			pol := config.Defaults().ADR
			pol.Template = tc.template
			s := SettingsFrom(pol)
			if !reflect.DeepEqual(s.RequiredSections, tc.want) {
				t.Errorf("SettingsFrom: required %v, want %v", s.RequiredSections, tc.want)
			}
			// Without explicit sections the core falls back to the same list.
			bare := Settings{Template: string(tc.template)}.normalized()
			if got := bare.requiredSections(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("fallback: required %v, want %v", got, tc.want)
			}
			// The template has every required section, so filling it in passes.
			rec := fill(Template(string(tc.template), 13, "Use Postgres", testPR, testNow))
			r, err := ParseRecord("docs/adr/0013-use-postgres.md", rec)
			if err != nil {
				t.Fatal(err)
			}
			if anns := Check(r, s, map[int]string{}); Failed(anns) {
				t.Errorf("a filled-in %s template fails: %+v", tc.template, anns)
			}
		})
	}
}

func TestSettingsFromPolicy(t *testing.T) {
	pol := config.Defaults().ADR
	pol.Labels = []string{"ADR"}
	pol.Directory = "architecture/decisions"
	pol.Check = config.CheckAdvisory
	pol.RequiredSections = []string{"Context", "Decision"}
	s := SettingsFrom(pol).normalized()
	if !s.Enabled || s.Labels[0] != "ADR" || s.Directory != "architecture/decisions" || s.Check != CheckAdvisory ||
		!reflect.DeepEqual(s.RequiredSections, []string{"Context", "Decision"}) || s.Template != FormatNygard {
		t.Errorf("SettingsFrom = %+v", s)
	}
	// The mapping copies: changing the policy afterwards does not leak in.
	pol.Labels[0] = "changed"
	if SettingsFrom(config.Defaults().ADR).Labels[0] != "decision" {
		t.Error("defaults changed through a shared slice")
	}
}

func TestRevisitSections(t *testing.T) {
	day := func(s string) *time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return &d
	}
	due := []Record{
		{Path: "docs/adr/0002-use-go.md", Title: "Use Go", Status: "Accepted", Revisit: day("2026-01-01")},
		{Path: "docs/adr/0007-a-b.md", Title: "", Revisit: day("2026-11-24")},
		{Path: "docs/adr/0009-x.md", Title: "<script> tricks", Status: "Proposed", Revisit: day("2026-11-20")},
	}
	repo := PR{Owner: "acme", Repo: "api"}
	tests := []struct {
		name string
		in   []Record
		want []string
	}{
		{"nothing due", nil, nil},
		{"each record one line", due, []string{
			"[Use Go](https://github.com/acme/api/blob/main/docs/adr/0002-use-go.md) — revisit date 2026-01-01 (status: Accepted)",
			"[0007-a-b.md](https://github.com/acme/api/blob/main/docs/adr/0007-a-b.md) — revisit date 2026-11-24",
			"[&lt;script&gt; tricks](https://github.com/acme/api/blob/main/docs/adr/0009-x.md) — revisit date 2026-11-20 (status: Proposed)",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := RevisitSections(tc.in, repo, "main")
			if tc.want == nil {
				if got != nil {
					t.Fatalf("want no section, got %+v", got)
				}
				return
			}
			if len(got) != 1 || got[0].Title != RevisitTitle {
				t.Fatalf("want one %q section, got %+v", RevisitTitle, got)
			}
			if strings.Join(got[0].Lines, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("lines:\n%s\nwant:\n%s", strings.Join(got[0].Lines, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestInDir(t *testing.T) {
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"docs/adr/0001-x.md", true},
		{"/docs/adr/0001-x.md", true},
		{"docs/adr/old/0001-x.md", false},
		{"docs/adr-notes/0001-x.md", false},
		{"0001-x.md", false},
	} {
		if got := inDir(tc.path, "docs/adr"); got != tc.want {
			t.Errorf("inDir(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}
