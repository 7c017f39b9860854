package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

const repoFile = ".github/overlap.yml"

func TestParseEmptyGivesDefaults(t *testing.T) {
	for _, in := range []string{"", "\n", "# only a comment\n", "---\n", "~\n"} {
		pol, probs := Parse(repoFile, []byte(in))
		if len(probs) != 0 {
			t.Errorf("Parse(%q) problems: %v", in, probs)
		}
		if !reflect.DeepEqual(pol, Defaults()) {
			t.Errorf("Parse(%q) = %+v, want Defaults()", in, pol)
		}
	}
}

func TestDefaults(t *testing.T) {
	d := Defaults()
	if !d.ADR.Enabled || d.ADR.Directory != "" || d.ADR.Numbering != NumberingSequential || d.ADR.AlwaysReport || d.ADR.Template != TemplateNygard || d.ADR.Check != CheckRequired {
		t.Errorf("adr defaults: %+v", d.ADR)
	}
	if !d.ADR.HasLabel("Architecture") || d.ADR.HasLabel("bug") {
		t.Errorf("labels should match case-insensitively: %v", d.ADR.Labels)
	}
	if got := d.ADR.Sections(); !reflect.DeepEqual(got, []string{"Status", "Context", "Decision", "Consequences"}) {
		t.Errorf("nygard sections = %v", got)
	}
	rb, ok := d.Docs.Sets["runbooks"]
	if !ok || len(d.Docs.Sets) != 1 || rb.MaxAge.Std() != 90*24*time.Hour || !rb.Paths[0].Match("docs/runbooks/db/restore.md") {
		t.Errorf("docs sets default: %+v", d.Docs.Sets)
	}
	if d.Docs.Check != CheckAdvisory || d.Docs.WarnWithin.String() != "2w" || d.Docs.Sweep.Day.String() != "mon" || d.Docs.Sweep.Time.String() != "09:00" || d.Docs.Duty.Active() {
		t.Errorf("docs defaults: %+v", d.Docs)
	}
	if d.Reviews.FirstResponse.String() != "4h" || d.Reviews.UrgentFirstResponse.String() != "1h" || d.Reviews.RemindEvery.String() != "1d" ||
		d.Reviews.MaxReminders != 2 || d.Reviews.EscalateAfter != 2 || d.Reviews.EscalateTo != "" || d.Reviews.UrgentLabel != "urgent" {
		t.Errorf("reviews defaults: %+v", d.Reviews)
	}
	if d.Team.Timezone != "UTC" || d.Team.WorkingHours.String() != "09:00-17:00" || listString(d.Team.WorkingDays) != "mon, tue, wed, thu, fri" {
		t.Errorf("team defaults: %+v", d.Team)
	}
	if !d.Timezones.Active() {
		t.Errorf("timezones default should be on")
	}
}

const fullFile = `
team:
  timezone: Europe/London
  working_hours: "08:30-16:30"
  working_days: [Monday, TUE, wed, thu]
  focus_blocks: ["tue,thu 13:00-15:00"]
  holidays: [2026-12-25, 2026-12-26]
  people:
    alice:
      timezone: America/New_York
      manager: true
      away: ["2026-12-20..2027-01-03", 2026-11-27]
    bob:
      working_hours: 10:00-18:00
      reports_to: "@alice"
adr:
  labels: [Decision]
  directory: architecture/decisions
  template: MADR
  required_sections: [Context, Decision]
  check: advisory
docs:
  sets:
    onboarding:
      paths: ["docs/onboarding/**/*.md"]
      max_age: 2w3d
      covers: ["cmd/**"]
  covers:
    docs/runbooks/db.md: ["internal/db/**"]
  check: required
  warn_within: 3d
  sweep: {day: friday, time: "16:00"}
  duty:
    rotation: [alice, "@acme/docs-crew"]
    starts: 2026-01-05
    every: 2w
reviews:
  first_response: 1h30m
  urgent_after_hours: true
  max_reminders: 3
  escalate_after: 1
  escalate_to: codeowners
timezones:
  mode: "off"
`

func TestParseFullFile(t *testing.T) {
	pol, probs := Parse(repoFile, []byte(fullFile))
	if len(probs) != 0 {
		t.Fatalf("problems:\n%v", probs)
	}
	tm := pol.Team
	if tm.Timezone != "Europe/London" || tm.WorkingHours.String() != "08:30-16:30" || listString(tm.WorkingDays) != "mon, tue, wed, thu" {
		t.Errorf("team: %+v", tm)
	}
	if len(tm.FocusBlocks) != 1 || tm.FocusBlocks[0].String() != "tue,thu 13:00-15:00" || tm.FocusBlocks[0].On(Weekday(time.Monday)) {
		t.Errorf("focus blocks: %v", tm.FocusBlocks)
	}
	if listString(tm.Holidays) != "2026-12-25, 2026-12-26" {
		t.Errorf("holidays: %v", tm.Holidays)
	}
	alice := tm.Member("Alice") // logins are case-insensitive
	if alice.Timezone != "America/New_York" || !alice.Manager || alice.WorkingHours.String() != "08:30-16:30" || len(alice.Away) != 2 ||
		!alice.Away[0].Contains(Date{2027, 1, 1}) || alice.Away[1].String() != "2026-11-27" {
		t.Errorf("alice: %+v", alice)
	}
	if bob := tm.Member("bob"); bob.Timezone != "Europe/London" || bob.WorkingHours.String() != "10:00-18:00" || bob.ReportsTo != "alice" {
		t.Errorf("bob: %+v", bob)
	}
	if a := pol.ADR; a.Template != TemplateMADR || a.Check != CheckAdvisory || a.Directory != "architecture/decisions" ||
		!a.HasLabel("decision") || a.HasLabel("architecture") || !reflect.DeepEqual(a.Sections(), []string{"Context", "Decision"}) {
		t.Errorf("adr: %+v", a)
	}
	d := pol.Docs
	if _, ok := d.Sets["runbooks"]; ok || len(d.Sets) != 1 {
		t.Errorf("a sets block must replace the default sets: %v", d.SetNames())
	}
	if s := d.Sets["onboarding"]; s.MaxAge.Std() != 17*24*time.Hour || s.Covers[0] != "cmd/**" {
		t.Errorf("onboarding set: %+v", s)
	}
	if d.Check != CheckRequired || d.WarnWithin.String() != "3d" || d.Sweep.Day.String() != "fri" || d.Sweep.Time.String() != "16:00" || len(d.Covers["docs/runbooks/db.md"]) != 1 {
		t.Errorf("docs: %+v", d)
	}
	if !reflect.DeepEqual(d.Duty.Rotation, []PersonRef{"alice", "@acme/docs-crew"}) || d.Duty.Starts != (Date{2026, 1, 5}) || d.Duty.Every.String() != "2w" {
		t.Errorf("duty: %+v", d.Duty)
	}
	if r := pol.Reviews; r.FirstResponse.String() != "1h30m" || !r.UrgentAfterHours || r.MaxReminders != 3 || r.EscalateTo != EscalateToCodeowners || r.UrgentFirstResponse.String() != "1h" {
		t.Errorf("reviews: %+v", r)
	}
	if pol.Timezones.Active() || pol.Timezones.Mode != TimezoneOff {
		t.Errorf("timezones: %+v", pol.Timezones)
	}
}

// TestParseProblems pins the exact text people see in the check run.
func TestParseProblems(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{"unknown key with hint", "adr:\n  templete: madr\n",
			[]string{`.github/overlap.yml:2:3: adr.templete: unknown key "templete" (hint: did you mean "template"?)`}},
		{"unknown top-level key lists known keys", "frobnicate: 1\n",
			[]string{`.github/overlap.yml:1:1: frobnicate: unknown key "frobnicate" (hint: known keys: adr, docs, extends, policy, reviews, team, timezones, weekly_updates)`}},
		{"unknown template", "adr:\n  template: foo\n",
			[]string{`.github/overlap.yml:2:13: adr.template: unknown template "foo" (hint: use nygard or madr)`}},
		{"bad duration", "reviews:\n  first_response: 9x\n",
			[]string{`.github/overlap.yml:2:19: reviews.first_response: bad duration "9x": use a number and a unit: m, h, d or w, e.g. 4h or 90d`}},
		{"seconds are not a policy unit", "docs:\n  warn_within: 30s\n",
			[]string{`.github/overlap.yml:2:16: docs.warn_within: bad duration "30s": use a number and a unit: m, h, d or w, e.g. 4h or 90d`}},
		{"bad time zone", "team:\n  people:\n    alice:\n      timezone: Mars/Olympus\n",
			[]string{`.github/overlap.yml:4:17: team.people.alice.timezone: unknown time zone "Mars/Olympus" (hint: use an IANA name such as Europe/London)`}},
		{"bad time range", "team:\n  working_hours: 17:00-09:00\n",
			[]string{`.github/overlap.yml:2:18: team.working_hours: bad time range "17:00-09:00": start must be before end (hint: use HH:MM-HH:MM, e.g. 09:00-17:00)`}},
		{"malformed time range", "team:\n  working_hours: 9am-5pm\n",
			[]string{`.github/overlap.yml:2:18: team.working_hours: bad time range "9am-5pm" (hint: use HH:MM-HH:MM, e.g. 09:00-17:00)`}},
		{"wrong type: string for list", "adr:\n  labels: decision\n",
			[]string{`.github/overlap.yml:2:11: adr.labels: expected a list, got "decision" (hint: write it as [a, b] or one "- item" per line)`}},
		{"wrong type: list for mapping", "reviews: [a]\n",
			[]string{`.github/overlap.yml:1:10: reviews: expected a mapping of keys, got a list`}},
		{"wrong type: bool", "adr:\n  enabled: sometimes\n",
			[]string{`.github/overlap.yml:2:12: adr.enabled: expected true or false, got "sometimes"`}},
		{"wrong type: number", "reviews:\n  max_reminders: two\n",
			[]string{`.github/overlap.yml:2:18: reviews.max_reminders: expected a whole number, got "two"`}},
		{"bad weekday", "team:\n  working_days: [mon, funday]\n",
			[]string{`.github/overlap.yml:2:23: team.working_days[1]: unknown weekday "funday" (hint: use mon, tue, wed, thu, fri, sat or sun)`}},
		{"bad date", "team:\n  holidays: [2026-02-30]\n",
			[]string{`.github/overlap.yml:2:14: team.holidays[0]: bad date "2026-02-30" (hint: use YYYY-MM-DD, e.g. 2026-12-24)`}},
		{"reversed date range", "team:\n  people:\n    bob:\n      away: [2026-03-10..2026-03-01]\n",
			[]string{`.github/overlap.yml:4:14: team.people.bob.away[0]: bad date range "2026-03-10..2026-03-01": ends before it starts (hint: put the earlier date first)`}},
		{"bad glob", "docs:\n  sets:\n    x:\n      paths: [\"docs/[a\"]\n",
			[]string{`.github/overlap.yml:4:15: docs.sets.x.paths[0]: bad glob "docs/[a" (hint: use a path pattern such as docs/**/*.md)`}},
		{"rotation without start", "docs:\n  duty:\n    rotation: [alice]\n",
			[]string{`.github/overlap.yml:2:3: docs.duty.starts: a rotation needs a start date (hint: add starts: YYYY-MM-DD, the first day of the first person's turn)`}},
		{"bad escalation target", "reviews:\n  escalate_to: the boss\n",
			[]string{`.github/overlap.yml:2:16: reviews.escalate_to: unknown escalation target "the boss" (hint: use codeowners, @org/team or a login)`}},
		{"bad extends", "extends: just/a/../x\n",
			[]string{`.github/overlap.yml:1:10: extends: bad extends "just/a/../x": bad path (hint: use org, or owner/repo[/path][@ref])`}},
		{"repeated key", "adr:\n  enabled: true\n  enabled: false\n",
			[]string{`.github/overlap.yml:3:3: adr.enabled: key "enabled" is repeated (first at line 2) (hint: remove one of them)`}},
		{"yaml syntax error", "adr:\n  labels: [a, b\n  template: madr\n",
			[]string{`.github/overlap.yml:2: YAML syntax error: did not find expected ',' or ']'`}},
		{"yaml syntax error: unquoted colon", "adr:\n  labels: [a]\n  directory: a: b\n",
			[]string{`.github/overlap.yml:3: YAML syntax error: mapping values are not allowed in this context`}},
		{"yaml syntax error: bad indentation", "adr:\n  enabled: true\n template: madr\n",
			[]string{`.github/overlap.yml:3: YAML syntax error: did not find expected key`}},
		{"tab indentation", "adr:\n\tenabled: true\n",
			[]string{`.github/overlap.yml:2: YAML syntax error: found character that cannot start any token`}},
		{"several problems sorted by line", "timezones:\n  mode: loud\nadr:\n  template: foo\n",
			[]string{
				`.github/overlap.yml:2:9: timezones.mode: unknown mode "loud" (hint: use comment or off)`,
				`.github/overlap.yml:4:13: adr.template: unknown template "foo" (hint: use nygard or madr)`,
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, probs := Parse(repoFile, []byte(c.in))
			var got []string
			for _, p := range probs {
				got = append(got, p.Error())
				if p.Line < 1 {
					t.Errorf("problem without a line: %+v", p)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("problems:\n got %q\nwant %q", got, c.want)
			}
			if probs.Error() != strings.Join(c.want, "\n") {
				t.Errorf("Problems.Error() = %q", probs.Error())
			}
		})
	}
}

func TestParseLayeredExtends(t *testing.T) {
	org := File{Name: "acme/.github:overlap.yml", Data: []byte(`
team:
  timezone: Europe/Berlin
  people:
    alice: {timezone: Asia/Tokyo}
adr:
  labels: [adr]
  template: madr
reviews:
  first_response: 8h
  max_reminders: 5
`)}
	repo := File{Name: repoFile, Data: []byte(`
extends: org
team:
  people:
    bob: {manager: true}
reviews:
  first_response: 2h
`)}
	pol, probs := ParseLayered(org, repo)
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if pol.Extends != "org" {
		t.Errorf("extends = %q", pol.Extends)
	}
	// The repo overrides reviews.first_response and adds a person ...
	if pol.Reviews.FirstResponse.String() != "2h" || !pol.Team.People["bob"].Manager {
		t.Errorf("repo keys not applied: %+v %+v", pol.Reviews, pol.Team.People)
	}
	// ... and everything else comes from the org (maps merge recursively).
	if pol.Reviews.MaxReminders != 5 || pol.ADR.Template != TemplateMADR || listString(pol.ADR.Labels) != "adr" ||
		pol.Team.Timezone != "Europe/Berlin" || pol.Team.People["alice"].Timezone != "Asia/Tokyo" {
		t.Errorf("org keys lost: %+v", pol)
	}
	// Untouched by both: defaults.
	if pol.ADR.Directory != "" || pol.Docs.WarnWithin.String() != "2w" {
		t.Errorf("defaults lost: %+v", pol)
	}

	// Lists replace rather than append.
	repo.Data = []byte("adr:\n  labels: [decision]\n")
	pol, _ = ParseLayered(org, repo)
	if listString(pol.ADR.Labels) != "decision" {
		t.Errorf("labels = %v, want the repo's list only", pol.ADR.Labels)
	}

	// A problem in the org file carries the org file's name and line.
	org.Data = []byte("adr:\n  template: foo\n")
	repo.Data = []byte("reviews:\n  max_reminders: x\n")
	_, probs = ParseLayered(org, repo)
	want := []string{
		`.github/overlap.yml:2:18: reviews.max_reminders: expected a whole number, got "x"`,
		`acme/.github:overlap.yml:2:13: adr.template: unknown template "foo" (hint: use nygard or madr)`,
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.Error())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestParseExtends(t *testing.T) {
	cases := []struct {
		in   string
		want ExtendsRef
		err  bool
	}{
		{"org", ExtendsRef{Org: true}, false},
		{"acme/policies", ExtendsRef{Owner: "acme", Repo: "policies", Path: ".github/overlap.yml"}, false},
		{"acme/.github", ExtendsRef{Owner: "acme", Repo: ".github", Path: "overlap.yml"}, false},
		{"acme/policies/teams/web.yml@v2", ExtendsRef{Owner: "acme", Repo: "policies", Path: "teams/web.yml", Ref: "v2"}, false},
		{"acme", ExtendsRef{}, true},
		{"acme/policies@", ExtendsRef{}, true},
		{"-x/y", ExtendsRef{}, true},
	}
	for _, c := range cases {
		got, err := ParseExtends(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseExtends(%q) = %+v, %v", c.in, got, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"", fullFile, "adr: [", "a: &a [*a]", "team:\n  people:\n    x: {away: [1..2]}\n",
		"docs:\n  sets:\n    a: ~\n", "<<: {adr: 1}", "reviews: {escalate_to: '@x/'}", "- 1\n- 2\n", "? [a]\n: b\n",
		"a: &x {b: *x}\n", "team: {focus_blocks: [' 10:00-11:00']}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pol, probs := Parse(repoFile, data)
		for _, p := range probs {
			if p.Line < 1 || p.Message == "" {
				t.Fatalf("problem without line or message: %+v", p)
			}
			if strings.Contains(p.Message, "internal error") {
				t.Fatalf("recovered panic: %v", p)
			}
		}
		_ = Describe(pol)
		_ = Diff(Defaults(), pol)
	})
}
