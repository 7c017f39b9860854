package config

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestWeeklyUpdatesDefaults(t *testing.T) {
	w := Defaults().Weekly
	if w.Enabled {
		t.Error("weekly updates must be off by default: they write to Discussions")
	}
	for _, c := range []struct {
		name string
		got  WeekTime
		want string
	}{{"open", w.Open, "mon 09:00"}, {"remind", w.Remind, "thu 14:00"}, {"summarize", w.Summarize, "fri 16:00"}} {
		if c.got.String() != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
	if w.Category != DefaultWeeklyCategory || w.Repository != "" || len(w.Participants) != 0 || len(w.ShippedFrom) != 0 {
		t.Errorf("defaults: %+v", w)
	}
}

func TestWeeklyUpdatesParse(t *testing.T) {
	pol, probs := Parse(repoFile, []byte(`
team:
  timezone: Europe/London
weekly_updates:
  enabled: true
  repository: acme/team-handbook
  category: Weekly updates
  participants: [alice, "@bob", "@acme/platform"]
  open: MON 09:30
  remind: thursday  14:00
  summarize: fri 16:00
  shipped_from: [acme/api, acme/web]
`))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	w := pol.Weekly
	if !w.Enabled || w.Repository != "acme/team-handbook" || w.Category != "Weekly updates" {
		t.Errorf("got %+v", w)
	}
	if got := listString(w.Participants); got != "alice, bob, @acme/platform" {
		t.Errorf("participants = %s", got)
	}
	if w.Open != (WeekTime{Day: Weekday(time.Monday), Time: 9*60 + 30}) || w.Remind.String() != "thu 14:00" {
		t.Errorf("times: %s %s", w.Open, w.Remind)
	}
	if got := describeWeekly(w, pol.Team); !strings.Contains(got, "opens mon 09:30 (Europe/London)") || !strings.Contains(got, "shipped from acme/api, acme/web") {
		t.Errorf("describe: %s", got)
	}
}

func TestWeeklyUpdatesProblems(t *testing.T) {
	for _, c := range []struct {
		name string
		yaml string
		want []string // "line key: message fragment"
	}{
		{"unknown key", "weekly_updates:\n  enabld: true\n", []string{`2 weekly_updates.enabld: unknown key "enabld"`}},
		{"bad day", "weekly_updates:\n  open: someday 09:00\n", []string{`2 weekly_updates.open: bad weekly time "someday 09:00": unknown weekday`}},
		{"bad time", "weekly_updates:\n  remind: thu 25:00\n", []string{`2 weekly_updates.remind: bad weekly time "thu 25:00": bad time`}},
		{"time only", "weekly_updates:\n  summarize: \"16:00\"\n", []string{`2 weekly_updates.summarize: bad weekly time "16:00"`}},
		{"not a scalar", "weekly_updates:\n  open: [mon, \"09:00\"]\n", []string{`2 weekly_updates.open: expected a single value`}},
		{"bad repo", "weekly_updates:\n  repository: acme\n", []string{`2 weekly_updates.repository: bad repository "acme"`}},
		{"repo path", "weekly_updates:\n  repository: acme/handbook/docs\n", []string{`2 weekly_updates.repository: bad repository "acme/handbook/docs": a repository, not a path`}},
		{"bad shipped_from", "weekly_updates:\n  shipped_from:\n    - acme/api\n    - nope\n", []string{`4 weekly_updates.shipped_from[1]: bad repository "nope"`}},
		{"duplicate shipped_from", "weekly_updates:\n  shipped_from: [acme/api, ACME/api]\n", []string{`2 weekly_updates.shipped_from[1]: listed twice`}},
		{"duplicate participant", "weekly_updates:\n  participants:\n    - alice\n    - \"@Alice\"\n", []string{`4 weekly_updates.participants[1]: Alice is listed twice (first as item 1)`}},
		{"duplicate team", "weekly_updates:\n  participants: [\"@acme/x\", \"@ACME/x\"]\n", []string{`2 weekly_updates.participants[1]: @ACME/x is listed twice`}},
		{"bad participant", "weekly_updates:\n  participants: [\"@acme/\"]\n", []string{`2 weekly_updates.participants[0]: bad team "@acme/"`}},
		{"empty category", "weekly_updates:\n  category: \"\"\n", []string{`2 weekly_updates.category: no category`}},
		{"summary before open", "weekly_updates:\n  open: wed 09:00\n  remind: wed 10:00\n  summarize: mon 16:00\n", []string{
			`4 weekly_updates.summarize: summary at mon 16:00 is not after the thread opens (wed 09:00)`,
			`3 weekly_updates.remind: reminder day wed is outside the thread's week (wed to mon)`}},
		{"sunday is the end of the week", "weekly_updates:\n  open: sun 09:00\n  summarize: mon 09:00\n", []string{
			`3 weekly_updates.summarize: summary at mon 09:00 is not after`,
			`1 weekly_updates.remind: reminder day thu is outside the thread's week (sun to mon)`}},
		{"remind after summary", "weekly_updates:\n  remind: sat 10:00\n", []string{`2 weekly_updates.remind: reminder day sat is outside the thread's week (mon to fri)`}},
		{"enabled with nobody", "weekly_updates:\n  enabled: true\n", []string{`1 weekly_updates.participants: no participants`}},
		{"enabled with team.people", "team:\n  people:\n    alice: {}\nweekly_updates:\n  enabled: true\n", nil},
		{"weekly ok", "weekly_updates:\n  open: mon 08:00\n  remind: mon 08:00\n  summarize: mon 08:01\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, probs := Parse(repoFile, []byte(c.yaml))
			var got []string
			for _, p := range probs {
				got = append(got, strings.TrimSpace(strings.Join([]string{strconv.Itoa(p.Line), p.Key + ":", p.Message}, " ")))
			}
			if len(got) != len(c.want) {
				t.Fatalf("problems:\n got %q\nwant %q", got, c.want)
			}
			for _, w := range c.want {
				found := false
				for _, g := range got {
					if strings.HasPrefix(g, w) {
						found = true
					}
				}
				if !found {
					t.Errorf("missing %q in %q", w, got)
				}
			}
		})
	}
}

func TestWeeklyUpdatesDiff(t *testing.T) {
	after := Defaults()
	after.Weekly.Enabled = true
	after.Weekly.Remind = WeekTime{Day: Weekday(time.Wednesday), Time: 11 * 60}
	after.Weekly.Participants = []PersonRef{"alice", "@acme/platform"}
	got := Diff(Defaults(), after)
	want := []string{
		"Weekly updates turned on",
		"Weekly updates: participants changed from (none) to alice, @acme/platform",
		"Weekly updates: remind changed from thu 14:00 to wed 11:00",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Diff:\n got %q\nwant %q", got, want)
	}
}

func TestWeekTimeOffset(t *testing.T) {
	for _, c := range []struct {
		s    string
		want time.Duration
	}{{"mon 00:00", 0}, {"mon 09:00", 9 * time.Hour}, {"sun 23:59", 6*24*time.Hour + 23*time.Hour + 59*time.Minute}, {"thu 14:00", 3*24*time.Hour + 14*time.Hour}} {
		w, err := ParseWeekTime(c.s)
		if err != nil || w.Offset() != c.want {
			t.Errorf("%s: %v %v, want %v", c.s, w.Offset(), err, c.want)
		}
	}
}
