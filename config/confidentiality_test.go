package config

import (
	"context"
	"strings"
	"testing"
)

// secretValues is a private file that is not a policy at all (a deploy
// values file), as an attacker would point extends: or remote: at it.
const secretValues = "aws_secret_access_key: hunter2-AKIA\nteam:\n  timezone: hunter2-zone\n  people:\n    hunter2-login: {timezone: Mars/Olympus}\nreviews:\n  max_reminders: hunter2-count\n  urgent_label: [hunter2-list]\nadr:\n  hunter2-key: x\n"

// TestLoaderReadsOnlyAllowedRepositories: a repository's policy (at the base
// or at a PR's head, which cannot change the org's list) can pull in a
// file of another repository only when the org default allows that
// repository; refused targets are never read, so the answer reveals
// nothing about them.
func TestLoaderReadsOnlyAllowedRepositories(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		repoFile string
		orgFile  string // "" = none
		wantRead bool   // whether acme/infra-private may be read
		wantLine string // substring of the one problem
	}{
		{"extends without a list", "extends: acme/infra-private/deploy/values.yml\n", "", false, ".github/overlap.yml:1:10: extends: Overlap reads policy files only from"},
		{"remote without a list", "remote: acme/infra-private\npath: deploy/values.yml\n", "", false, ".github/overlap.yml:1:1: remote: Overlap reads policy files only from"},
		{"extends, listed elsewhere", "extends: acme/infra-private/deploy/values.yml\n", "policy:\n  extends_allowed: [acme/policies]\n", false, "extends: Overlap reads policy files only from"},
		{"extends the org .github repo's other files", "extends: acme/.github/deploy/values.yml\n", "team:\n  timezone: UTC\n", false, "extends: Overlap reads policy files only from"},
		{"a broken org file lists nothing", "extends: acme/infra-private/deploy/values.yml\n", "policy:\n  extends_allowed: acme/infra-private\n", false, "extends: Overlap reads policy files only from"},
		{"extends, listed", "extends: acme/infra-private/deploy/values.yml\n", "policy:\n  extends_allowed: [acme/infra-private]\n", true, "acme/infra-private:deploy/values.yml:1: has 6 problems (lines 1, 3, 5, 7, 8, 10)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeContents()
			fake.put("acme/infra-private", "", "deploy/values.yml", secretValues)
			fake.put("acme/web", "", ".github/overlap.yml", c.repoFile)
			if c.orgFile != "" {
				fake.put("acme/.github", "", "overlap.yml", c.orgFile)
			}
			got, err := NewLoader(PolicySource{}).Load(ctx, newTestClient(t, fake), "acme", "web", "")
			if err != nil {
				t.Fatal(err)
			}
			read := false
			for _, r := range fake.reset() {
				read = read || strings.Contains(r, "infra-private")
			}
			if read != c.wantRead {
				t.Errorf("read acme/infra-private = %v, want %v", read, c.wantRead)
			}
			text := got.Problems.Error()
			if len(got.Problems) == 0 || !strings.Contains(text, c.wantLine) {
				t.Errorf("problems = %q, want one containing %q", text, c.wantLine)
			}
			if strings.Contains(text, "hunter2") || strings.Contains(strings.Join(got.Files, " ")+got.Source, "hunter2") {
				t.Errorf("the problems quote the other repository's file:\n%s", text)
			}
		})
	}
}

// TestParentProblemsShowNoContent: problems in a file of another repository
// are reported by place only, whatever the decoder's messages quote; the
// org default keeps the schema's key paths; the repository's own file is
// quoted in full.
func TestParentProblemsShowNoContent(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name  string
		setup func(f *fakeContents)
		repo  string // the repository whose policy is loaded
		want  []string
	}{
		{
			name: "org default used through extends",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", secretValues)
				f.put("acme/web", "", ".github/overlap.yml", "extends: org\n")
			},
			repo: "web",
			want: []string{
				"acme/.github:overlap.yml:1: unknown top-level key (hint: " + hiddenHint + ")",
				"acme/.github:overlap.yml:3: team.timezone: this setting is not valid (hint: " + hiddenHint + ")",
				"acme/.github:overlap.yml:5: team.people.*.timezone: this setting is not valid (hint: " + hiddenHint + ")",
				"acme/.github:overlap.yml:7: reviews.max_reminders: this setting is not valid (hint: " + hiddenHint + ")",
				"acme/.github:overlap.yml:8: reviews.urgent_label: this setting is not valid (hint: " + hiddenHint + ")",
				"acme/.github:overlap.yml:10: adr: unknown key under adr (hint: " + hiddenHint + ")",
			},
		},
		{
			name: "org default as the fallback",
			setup: func(f *fakeContents) {
				f.repos["acme/web"] = true
				f.put("acme/.github", "", "overlap.yml", "team: [\"hunter2\"\n")
			},
			repo: "web",
			want: []string{"acme/.github@main:overlap.yml:2: the file cannot be read as a policy (YAML syntax, size or structure) (hint: " + hiddenHint + ")"},
		},
		{
			name: "the org's .github repository sees its own file in full",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", "team:\n  timezone: hunter2-zone\n")
			},
			repo: ".github",
			want: []string{`acme/.github@main:overlap.yml:2:13: team.timezone: unknown time zone "hunter2-zone" (hint: use an IANA name such as Europe/London)`},
		},
		{
			name: "cross-field messages on the own file cite only its own values",
			setup: func(f *fakeContents) {
				f.put("acme/.github", "", "overlap.yml", "policy:\n  extends_allowed: [acme/policies]\n")
				f.put("acme/policies", "", "base.yml", "reviews:\n  max_reminders: 7777\n  escalate_to: hunter2-team\n")
				f.put("acme/web", "", ".github/overlap.yml", "extends: acme/policies/base.yml\nreviews:\n  escalate_after: 9999\n")
			},
			repo: "web",
			want: []string{`.github/overlap.yml:3:3: reviews.escalate_after: escalation after 9999 reminders never happens: it is more than max_reminders (hint: lower escalate_after or raise max_reminders)`},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			fake := newFakeContents()
			c.setup(fake)
			got, err := NewLoader(PolicySource{}).Load(ctx, newTestClient(t, fake), "acme", c.repo, "")
			if err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, p := range got.Problems {
				lines = append(lines, p.Error())
			}
			if strings.Join(lines, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(c.want, "\n"))
			}
			if c.repo != ".github" && strings.Contains(strings.Join(lines, "\n"), "hunter2") {
				t.Errorf("a problem quotes another repository's file")
			}
		})
	}
}

func TestSchemaPath(t *testing.T) {
	for _, c := range []struct {
		key, want string
		unknown   bool
	}{
		{"adr.template", "adr.template", false},
		{"team.people.alice.away[0]", "team.people.*.away[0]", false},
		{"adr.labls", "adr", true},
		{"aws_secret_access_key", "", true},
		{"docs.sets.runbooks.max_age", "docs.sets.*.max_age", false},
		{"adr.labels[3]", "adr.labels[3]", false},
		{"", "", false},
	} {
		got, unknown := schemaPath(c.key)
		if got != c.want || unknown != c.unknown {
			t.Errorf("schemaPath(%q) = %q, %v; want %q, %v", c.key, got, unknown, c.want, c.unknown)
		}
	}
}
