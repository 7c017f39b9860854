package config

import (
	"reflect"
	"testing"
	"time"
)

func TestDescribe(t *testing.T) {
	got := Describe(Defaults())
	want := []string{
		"Team: UTC, mon, tue, wed, thu, fri 09:00-17:00",
		"Decision records: on — labels decision, architecture; ADRs in .adr-dir or docs/adr (nygard), check required",
		"Docs freshness: on — sets runbooks (docs/runbooks/**/*.md, max age 90d); check advisory, warn 2w ahead; sweep mon 09:00 (UTC); duty off",
		`Review reminders: on — first response within 4h ("urgent": 1h, within working hours); remind every 1d, at most 2; no escalation`,
		"Timezone conversions: on — posted as a comment",
		"Weekly updates: off",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Describe(Defaults()):\n got %q\nwant %q", got, want)
	}

	pol, probs := Parse(repoFile, []byte(fullFile))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	got = Describe(pol)
	want = []string{
		"Team: Europe/London, mon, tue, wed, thu 08:30-16:30; focus blocks tue,thu 13:00-15:00; 2 holidays; 2 people configured",
		"Decision records: on — labels Decision; ADRs in architecture/decisions (madr), check advisory",
		"Docs freshness: on — sets onboarding (docs/onboarding/**/*.md, max age 17d); check required, warn 3d ahead; sweep fri 16:00 (Europe/London); duty alice, @acme/docs-crew every 2w from 2026-01-05",
		`Review reminders: on — first response within 1h30m ("urgent": 1h, also after hours); remind every 1d, at most 3; escalate to codeowners after 1 reminders`,
		"Timezone conversions: off",
		"Weekly updates: off",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Describe(full):\n got %q\nwant %q", got, want)
	}
}

func TestDiff(t *testing.T) {
	if d := Diff(Defaults(), Defaults()); len(d) != 0 {
		t.Errorf("no change should give no sentences, got %q", d)
	}
	after := Defaults()
	after.ADR.Enabled = false
	after.Reviews.FirstResponse = Duration(2 * time.Hour)
	after.Reviews.EscalateTo = "@acme/leads"
	after.Docs.Sets = map[string]DocSet{
		"runbooks":   {Paths: []Glob{"docs/runbooks/**/*.md"}, MaxAge: Duration(30 * day)},
		"onboarding": {Paths: []Glob{"docs/onboarding/*.md"}, MaxAge: Duration(90 * day)},
	}
	after.Team.Timezone = "Europe/Paris"
	after.Timezones.Mode = TimezoneOff
	got := Diff(Defaults(), after)
	want := []string{
		"Team: timezone changed from UTC to Europe/Paris",
		"Decision records turned off",
		"Docs freshness: sets.onboarding added",
		"Docs freshness: sets.runbooks.max_age changed from 90d to 30d",
		"Review reminders: first_response changed from 4h to 2h",
		"Review reminders: escalate_to changed from (none) to @acme/leads",
		"Timezone conversions: mode changed from comment to off",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Diff:\n got %q\nwant %q", got, want)
	}
	if back := Diff(after, Defaults()); back[1] != "Decision records turned on" || back[2] != "Docs freshness: sets.onboarding removed" {
		t.Errorf("reverse diff: %q", back)
	}
}
