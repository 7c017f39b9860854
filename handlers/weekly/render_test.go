package weekly

import (
	"reflect"
	"strings"
	"testing"
)

var w49 = func() Week { w, _ := ParseKey("2026-W49", nil); return w }()

func TestRenderThread(t *testing.T) {
	got := RenderThread(ThreadInput{Week: w49, Duty: "@acme/docs", Rows: []Row{
		{"alice", "Europe/London", Posted},
		{"bob", "America/New_York", Missing},
		{"dave|x", "Asia/Singapore", Away},
	}})
	for _, want := range []string{
		"<!-- overlap:weekly:2026-W49 -->\n",
		"| Participant | Time zone | Posted |",
		"| alice | Europe/London | ✓ |",
		`| bob | America/New\_York | — |`,
		`| dave\|x | Asia/Singapore | *away* |`,
		"Documentation duty this week: @&#8203;acme/docs.",
		"**Shipped**", "**Next**", "**Blockers**",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("thread body lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "<!--") != 1 {
		t.Error("only the marker may be an HTML comment")
	}
	if RenderThread(ThreadInput{Week: w49}) != RenderThread(ThreadInput{Week: w49}) {
		t.Error("not deterministic")
	}
}

func TestRenderReminder(t *testing.T) {
	got := RenderReminder(w49, "2026-12-03T06:00Z", []Activity{{
		Login:    "carol",
		Merged:   []Item{{"acme/api", 7, "Fix @bob's <!-- bug --> [x](javascript:alert(1))", "https://github.com/acme/api/pull/7"}},
		Open:     []Item{{"acme/web", 9, "Search", "https://github.com/acme/web/pull/9"}},
		Assigned: []Item{{"acme/web", 3, "Flaky test", "https://github.com/acme/web/issues/3"}},
		Waiting:  []Item{{"acme/api", 8, "Retry", "https://github.com/acme/api/pull/8"}},
	}, {Login: "bob"}})
	for _, want := range []string{
		"<!-- overlap:weekly:2026-W49:remind:2026-12-03T06:00Z -->\n",
		"\n@carol\n",
		"\n@bob\n",
		"- [Search](https://github.com/acme/web/pull/9) (acme/web#9)",
		"- [Flaky test](https://github.com/acme/web/issues/3) (acme/web#3)",
		"- waiting for review: [Retry](https://github.com/acme/api/pull/8) (acme/api#8)",
		"@&#8203;bob's",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("reminder lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "<!--") != 1 || strings.Contains(got, "[x](javascript") {
		t.Errorf("user text escaped badly:\n%s", got)
	}
	if strings.Count(got, "@carol") != 1 || strings.Count(got, "@bob") != 1 {
		t.Error("each person is mentioned exactly once")
	}
	// Drafts never count.
	many := Activity{Login: "a"}
	for i := 0; i < 25; i++ {
		many.Merged = append(many.Merged, Item{"o/r", i + 1, "t", "https://github.com/o/r/pull/1"})
	}
	if d := Draft(many); strings.Count(d, "\n- [") != MaxDraftItems || !strings.Contains(d, "- …") {
		t.Errorf("draft not capped:\n%s", d)
	}
}

func TestRenderSummary(t *testing.T) {
	got := RenderSummary(SummaryInput{
		Week: w49,
		Rows: []Row{{"alice", "", Posted}, {"bob", "", Posted}, {"carol", "", Missing}, {"dave", "", Away}},
		Blockers: []Blocker{{
			Author: "bob", Text: "waiting on acme/api#8 from @erin\n```\n<!-- x -->", Link: "https://github.com/acme/h/discussions/1#discussioncomment-2",
			Unblockers: []string{"erin", "not a login!"},
		}},
		Shipped: map[string][]Item{
			"bob":   {{"acme/web", 9, "Search", "https://github.com/acme/web/pull/9"}, {"acme/api", 7, "Fix", "https://github.com/acme/api/pull/7"}},
			"alice": {{"acme/api", 5, "@carol's idea", "https://github.com/acme/api/pull/5"}},
			"carol": nil,
		},
		Reviews: []string{"Median first response: 3h"},
	})
	for _, want := range []string{
		"<!-- overlap:weekly:2026-W49:summary -->\n",
		"**Participation:** 2 of 3; away: dave.",
		"> waiting on acme/api#8 from @&#8203;erin\n",
		"— bob ([reply](https://github.com/acme/h/discussions/1#discussioncomment-2)); can unblock: @erin, not a login!",
		"- alice\n  - acme/api: [@&#8203;carol's idea](https://github.com/acme/api/pull/5)\n- bob\n  - acme/api: [Fix](https://github.com/acme/api/pull/7)\n  - acme/web: [Search](https://github.com/acme/web/pull/9)\n",
		"- Median first response: 3h",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Count(got, "<!--") != 1 || strings.Contains(got, "\n```") {
		t.Errorf("quoted text broke out:\n%s", got)
	}
	if strings.Contains(got, "carol\n") {
		t.Error("people with nothing shipped are not listed")
	}
	empty := RenderSummary(SummaryInput{Week: w49})
	if !strings.Contains(empty, "None reported.") || !strings.Contains(empty, "No merged pull requests") {
		t.Error(empty)
	}
}

func TestBlockerRefs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []Ref
	}{
		{"waiting on #42", []Ref{{Number: 42}}},
		{"acme/api#7 and @bob", []Ref{{Repo: "acme/api", Number: 7}, {Login: "bob"}}},
		{"see https://github.com/acme/web/pull/9#discussion_r1 please", []Ref{{Repo: "acme/web", Number: 9}}},
		{"https://github.com/acme/web/issues/3", []Ref{{Repo: "acme/web", Number: 3}}},
		{"mail a@b.c, @acme/team, #x, #12abc", nil},
		{"#1 #2 #3 #4 #5 #6", []Ref{{Number: 1}, {Number: 2}, {Number: 3}, {Number: 4}, {Number: 5}}},
	} {
		if got := BlockerRefs(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("BlockerRefs(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}
