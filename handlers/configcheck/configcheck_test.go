package configcheck

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
)

const policyPath = ".github/overlap.yml"

// head is the policy a PR proposes, as the loader would return it.
func head(yaml string) config.Loaded {
	p, problems := config.Parse(policyPath, []byte(yaml))
	return config.Loaded{Policy: p, Problems: problems, Source: "acme/api@head:" + policyPath}
}

func TestDecide(t *testing.T) {
	defaults := config.Loaded{Policy: config.Defaults(), Source: "defaults"}
	broken := config.Loaded{Policy: config.Defaults(), Source: "acme/api:.github/overlap.yml",
		Problems: config.Problems{{File: ".github/overlap.yml", Line: 3, Column: 11, Key: "adr.labels", Message: "did not find expected ',' or ']'"}}}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	team := "team:\n  timezone: Europe/London\n  people:\n    alice: {timezone: America/New_York}\n    bob: {timezone: Asia/Singapore}\n"
	cases := []struct {
		name       string
		in         Input
		conclusion string // "" = no check
		contains   []string
		lines      []int
	}{
		{"untouched valid policy: nothing to say", Input{Base: defaults}, "", nil, nil},
		{"untouched broken policy: neutral, quoting file and line", Input{Base: broken}, "neutral",
			[]string{"defaults", ".github/overlap.yml:3:11: adr.labels: did not find expected ',' or ']'"}, nil},
		{"changed and broken: failure with annotations", Input{Base: defaults, Path: policyPath, Changed: true, Head: head("adr:\n  check: maybe\n  labls: [x]\n")}, "failure",
			[]string{"2 problems"}, []int{2, 3}},
		{"changed and valid: preview of the change", Input{Base: defaults, Path: policyPath, Changed: true, Head: head("adr:\n  template: madr\n")}, "success",
			[]string{"What this pull request changes", "template changed from nygard to madr"}, nil},
		{"a team shows its overlap window", Input{Base: defaults, Path: policyPath, Changed: true, Head: head(team), Now: now}, "success",
			[]string{"overlap window", "alice: America/New_York", "none, working hours never meet"}, nil},
		{"problems in an extended org file are listed, not annotated", Input{Base: defaults, Path: policyPath, Changed: true, Head: config.Loaded{
			Policy: config.Defaults(), Problems: config.Problems{{File: "acme/.github:overlap.yml", Line: 2, Key: "team.timezone", Message: "unknown time zone"}}}}, "failure",
			[]string{"acme/.github:overlap.yml:2"}, nil},
		{"removed", Input{Base: defaults, Path: policyPath, Changed: true, Removed: true}, "success", []string{"removes"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Decide(c.in)
			if c.conclusion == "" {
				if got != nil {
					t.Fatalf("want no check, got %+v", got)
				}
				return
			}
			if got == nil || got.Conclusion != c.conclusion || got.Name != CheckName {
				t.Fatalf("want %s %q, got %+v", c.conclusion, CheckName, got)
			}
			for _, want := range c.contains {
				if !strings.Contains(got.Summary, want) && !strings.Contains(got.Title, want) {
					t.Errorf("summary lacks %q:\n%s", want, got.Summary)
				}
			}
			var lines []int
			for _, a := range got.Annotations {
				if a.Path != policyPath || a.Level != "failure" {
					t.Errorf("annotation %+v", a)
				}
				lines = append(lines, a.Line)
			}
			if len(lines) != len(c.lines) {
				t.Fatalf("annotation lines %v, want %v", lines, c.lines)
			}
			for i := range lines {
				if lines[i] != c.lines[i] {
					t.Errorf("annotation lines %v, want %v", lines, c.lines)
				}
			}
		})
	}
}
