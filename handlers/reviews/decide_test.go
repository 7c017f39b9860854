package reviews

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/roster"
)

// TeamYAML is the team every test of this package works with (the e2e
// tests in package reviews_test add their own reviews block): London (the
// team zone, carol), New York (alice), Singapore (bob). Team focus blocks
// 09:30-11:30 and 14:00-16:00 on each person's own clock. In late November
// London is UTC+0, New York UTC-5, Singapore UTC+8.
const TeamYAML = `team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  working_days: [mon, tue, wed, thu, fri]
  focus_blocks: ["09:30-11:30", "14:00-16:00"]
  people:
    alice: {timezone: America/New_York, working_hours: "08:00-16:00"}
    bob:   {timezone: Asia/Singapore}
    carol: {timezone: Europe/London}
`

const teamYAML = TeamYAML + `reviews:
  escalate_to: "@acme/leads"
`

func testPolicy(t *testing.T, extra string) config.Policy {
	t.Helper()
	base := teamYAML
	if strings.Contains(extra, "escalate_to") {
		base = strings.Replace(base, "  escalate_to: \"@acme/leads\"\n", "", 1)
	}
	p, probs := config.Parse("overlap.yml", []byte(base+extra))
	if len(probs) > 0 {
		t.Fatalf("policy: %v", probs)
	}
	return p
}

func at(day, h, m int) time.Time { return time.Date(2026, 11, day, h, m, 0, 0, time.UTC) }

func TestDecide(t *testing.T) {
	mon9 := at(23, 9, 0)
	carol := Request{Reviewer: "carol", At: mon9}
	nudge := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Nudge, At: at(23, 16, 0)}
	r1 := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Reminder, Index: 1, At: at(24, 16, 0)}
	r2 := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Reminder, Index: 2, At: at(25, 16, 0)}
	esc := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Escalation, At: at(26, 16, 0)}
	tests := []struct {
		name      string
		pr        PR
		extra     string
		busy      []string
		now       time.Time
		posts     []string // markers' tails
		escalates int
		waitWhy   string
	}{
		{name: "within the norm", pr: PR{Pending: []Request{carol}}, now: at(23, 12, 0), waitWhy: "within the norm"},
		{name: "overdue in focus block", pr: PR{Pending: []Request{carol}}, now: at(23, 14, 30), waitWhy: "focus block"},
		{name: "overdue and free", pr: PR{Pending: []Request{carol}}, now: at(23, 16, 0), posts: []string{"carol:2026-11-23T09:00:00Z -->"}},
		{name: "overdue at night", pr: PR{Pending: []Request{carol}}, now: at(23, 22, 0), waitWhy: "working hours"},
		{name: "overdue but busy", pr: PR{Pending: []Request{carol}}, busy: []string{"carol"}, now: at(23, 16, 0), waitWhy: "busy"},
		{name: "already nudged", pr: PR{Pending: []Request{carol}, Pings: []Ping{nudge}}, now: at(23, 17, 0), waitWhy: "reminder 1 not due"},
		{name: "reminder 1 a day later", pr: PR{Pending: []Request{carol}, Pings: []Ping{nudge}}, now: at(24, 16, 0), posts: []string{":reminder-1 -->"}},
		{name: "reminder waits for the weekend to pass", pr: PR{Pending: []Request{carol}, Pings: []Ping{{Reviewer: "carol", RequestAt: mon9, At: at(27, 16, 0)}}}, now: at(28, 16, 0), waitWhy: "working hours"},
		{name: "escalation after 2 reminders and a day", pr: PR{Pending: []Request{carol}, Pings: []Ping{nudge, r1, r2}}, now: at(26, 16, 0), escalates: 1},
		{name: "escalation only once", pr: PR{Pending: []Request{carol}, Pings: []Ping{nudge, r1, r2, esc}}, now: at(30, 16, 0)},
		{name: "no escalation without a target", extra: "  escalate_to: \"\"\n", pr: PR{Pending: []Request{carol}, Pings: []Ping{nudge, r1, r2}}, now: at(26, 16, 0)},
		{name: "draft skipped", pr: PR{Draft: true, Pending: []Request{carol}}, now: at(23, 16, 0)},
		{name: "closed skipped", pr: PR{Closed: true, Pending: []Request{carol}}, now: at(23, 16, 0)},
		{name: "bot skipped", pr: PR{Pending: []Request{{Reviewer: "renovate[bot]", Bot: true, At: mon9}}}, now: at(23, 16, 0)},
		{name: "reviewed since the request", pr: PR{Pending: []Request{carol}, Reviews: []Review{{Author: "Carol", At: at(23, 10, 0)}}}, now: at(23, 16, 0)},
		{name: "a review before the request does not count", pr: PR{Pending: []Request{carol}, Reviews: []Review{{Author: "carol", At: at(20, 10, 0)}}}, now: at(23, 16, 0), posts: []string{"carol:2026-11-23T09:00:00Z -->"}},
		{name: "urgent label pierces focus after 1h", pr: PR{Labels: []string{"Urgent"}, Pending: []Request{carol}}, now: at(23, 10, 5), posts: []string{"carol:2026-11-23T09:00:00Z -->"}},
		{name: "a non-urgent title waits out the focus block", pr: PR{Title: "Non-urgent: tidy docs", Pending: []Request{carol}}, now: at(23, 10, 5), waitWhy: "within the norm"},
		{name: "an urgent title alone does not pierce the focus block", pr: PR{Title: "URGENT: fix prod", Pending: []Request{carol}}, now: at(23, 10, 5), waitWhy: "within the norm"},
		{name: "nor the night", pr: PR{Title: "[urgent] fix prod", Pending: []Request{{Reviewer: "carol", At: at(23, 16, 0)}}}, extra: "  urgent_after_hours: true\n", now: at(23, 21, 0), waitWhy: "within the norm"},
		{name: "urgent does not pierce the night", pr: PR{Labels: []string{"urgent"}, Pending: []Request{{Reviewer: "carol", At: at(23, 16, 0)}}}, now: at(23, 21, 0), waitWhy: "working hours"},
		{name: "urgent_after_hours does", extra: "  urgent_after_hours: true\n", pr: PR{Labels: []string{"urgent"}, Pending: []Request{{Reviewer: "carol", At: at(23, 17, 0)}}}, now: at(23, 21, 0), posts: []string{"carol:2026-11-23T17:00:00Z -->"}},
		{name: "team: only available members", pr: PR{Pending: []Request{{Reviewer: "acme/platform", Team: true, Members: []string{"alice", "carol"}, At: mon9}}}, now: at(23, 16, 0), posts: []string{"acme/platform:2026-11-23T09:00:00Z -->"}},
		{name: "team: member review satisfies", pr: PR{Pending: []Request{{Reviewer: "acme/platform", Team: true, Members: []string{"alice", "carol"}, At: mon9}}, Reviews: []Review{{Author: "alice", At: at(23, 15, 0)}}}, now: at(23, 16, 0)},
		{name: "disabled", extra: "  enabled: false\n", pr: PR{Pending: []Request{carol}}, now: at(23, 16, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := testPolicy(t, tt.extra)
			cal := roster.Calendar(pol.Team)
			busy := map[string]bool{}
			for _, b := range tt.busy {
				busy[b] = true
			}
			cal.SetBusy(busy)
			plan := Decide(Input{PR: tt.pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: tt.now})
			if len(plan.Posts) != len(tt.posts) {
				t.Fatalf("posts = %+v, want %d", plan.Posts, len(tt.posts))
			}
			for i, want := range tt.posts {
				if !strings.HasSuffix(plan.Posts[i].Marker, want) {
					t.Errorf("post %d marker %q, want suffix %q", i, plan.Posts[i].Marker, want)
				}
			}
			if len(plan.Escalates) != tt.escalates {
				t.Errorf("escalates = %+v, want %d", plan.Escalates, tt.escalates)
			}
			if tt.waitWhy != "" && (len(plan.Waits) == 0 || !strings.Contains(plan.Waits[0].Reason, tt.waitWhy)) {
				t.Errorf("waits = %+v, want a reason with %q", plan.Waits, tt.waitWhy)
			}
		})
	}
}

func TestDecideTeamRequestMentionsOnlyReachableMembers(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	members := []string{"alice", "bob", "carol", "dave", "erin"}
	mon9 := at(23, 9, 0)
	team := Request{Reviewer: "acme/platform", Team: true, Members: members, At: mon9}
	// 16:00 London: carol, dave and erin (team schedule) are free; alice
	// (11:00 New York) is in a focus block, bob (00:00 Singapore) asleep.
	plan := Decide(Input{PR: PR{Pending: []Request{team}}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(23, 16, 0)})
	if len(plan.Posts) != 1 || strings.Join(plan.Posts[0].Mentions, ",") != "carol,dave,erin" {
		t.Fatalf("posts = %+v, want one mentioning carol,dave,erin", plan.Posts)
	}
	body := plan.Posts[0].Body
	if !strings.HasPrefix(body, "@carol @dave @erin: ") || strings.Count(body, "@") != 3 {
		t.Errorf("the nudge should mention exactly the reachable members:\n%s", body)
	}
	if strings.Contains(body, "@acme/platform") || !strings.Contains(body, "your team `acme/platform`") {
		t.Errorf("the team should be named without a mention (it would notify everyone):\n%s", body)
	}
	if strings.Join(plan.Due, ",") != "carol,dave,erin" {
		t.Errorf("Due = %v, want the mentioned members' busy status read", plan.Due)
	}

	// The reminder a day later at 17:45 London (12:45 New York): only alice
	// is working outside a focus block.
	nudge := Ping{Reviewer: "acme/platform", RequestAt: mon9, Kind: Nudge, At: at(23, 16, 0)}
	plan = Decide(Input{PR: PR{Pending: []Request{team}, Pings: []Ping{nudge}}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(24, 17, 45)})
	if len(plan.Posts) != 1 || plan.Posts[0].Kind != Reminder || strings.Join(plan.Posts[0].Mentions, ",") != "alice" {
		t.Fatalf("reminder posts = %+v, want one mentioning alice", plan.Posts)
	}
	if body := plan.Posts[0].Body; !strings.HasPrefix(body, "@alice: reminder 1 of 2") || strings.Count(body, "@") != 1 || !strings.Contains(body, "`acme/platform`") {
		t.Errorf("team reminder should mention alice alone and name the team:\n%s", body)
	}

	// Nobody reachable (22:00 London, 17:00 New York, 06:00 Singapore): the
	// team waits, like a person, until the first member may be pinged.
	plan = Decide(Input{PR: PR{Pending: []Request{team}}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(23, 22, 0)})
	if len(plan.Posts) != 0 || len(plan.Due) != 0 {
		t.Errorf("posted while no member may be pinged: %+v", plan.Posts)
	}
	// bob starts at 09:00 Singapore, 01:00 UTC on Tuesday.
	if len(plan.Waits) != 1 || !plan.Waits[0].Next.Equal(at(24, 1, 0)) {
		t.Errorf("waits = %+v, want the team to wait for bob's morning (Tue 01:00 UTC)", plan.Waits)
	}
}

// TestNudgeTextMatchesTheMode: the body describes the norm and the hours
// Overlap writes in as the policy sets them.
func TestNudgeTextMatchesTheMode(t *testing.T) {
	tests := []struct {
		name     string
		extra    string
		title    string
		labels   []string
		rqAt     time.Time
		now      time.Time
		want     []string
		dontWant []string
	}{
		{name: "normal", rqAt: at(23, 9, 0), now: at(23, 16, 0),
			want:     []string{"requested on Mon 23 Nov at 09:00 Europe/London", "4h of your working time.", "Overlap only writes in working hours, outside focus blocks."},
			dontWant: []string{"urgent", "any hour"}},
		{name: "urgent", labels: []string{"urgent"}, rqAt: at(23, 9, 0), now: at(23, 11, 0),
			want:     []string{"1h of your working time; this PR is **urgent**", "Overlap only writes in working hours (urgent requests may reach into a focus block)."},
			dontWant: []string{"outside focus blocks", "any hour"}},
		{name: "urgent after hours", extra: "  urgent_after_hours: true\n", labels: []string{"urgent"}, rqAt: at(23, 17, 0), now: at(23, 21, 0),
			want:     []string{"requested on Mon 23 Nov at 17:00 Europe/London", "1h of elapsed time", "**urgent**", "Overlap may write at any hour, but never to someone away or marked busy."},
			dontWant: []string{"working time", "only writes in working hours", "focus block"}},
		{name: "urgent title, no label", extra: "  urgent_after_hours: true\n", title: "[urgent] fix prod", rqAt: at(23, 9, 0), now: at(23, 16, 0),
			want:     []string{"4h of your working time; its author marked it urgent in the title (only the urgent label, which needs triage access, changes when Overlap writes).", "Overlap only writes in working hours, outside focus blocks."},
			dontWant: []string{"**urgent**", "any hour", "elapsed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pol := testPolicy(t, tt.extra)
			pr := PR{Title: tt.title, Labels: tt.labels, Pending: []Request{{Reviewer: "carol", At: tt.rqAt}}}
			plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: roster.Calendar(pol.Team), Now: tt.now})
			if len(plan.Posts) != 1 {
				t.Fatalf("posts = %+v, waits = %+v, want one nudge", plan.Posts, plan.Waits)
			}
			body := plan.Posts[0].Body
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body lacks %q:\n%s", w, body)
				}
			}
			for _, w := range tt.dontWant {
				if strings.Contains(body, w) {
					t.Errorf("body says %q, false in this mode:\n%s", w, body)
				}
			}
		})
	}
}

func TestNextIsTheAllowedTime(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	pr := PR{Pending: []Request{{Reviewer: "bob", At: at(23, 1, 0)}}} // 09:00 Singapore
	plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(23, 14, 0)})
	if len(plan.Posts) != 0 || len(plan.Waits) != 1 {
		t.Fatalf("plan = %+v", plan)
	}
	if want := at(24, 1, 0); !plan.Waits[0].Next.Equal(want) {
		t.Errorf("next = %v, want %v (Tuesday 09:00 Singapore)", plan.Waits[0].Next, want)
	}
}

func TestResolutions(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	mon9 := at(23, 9, 0)
	nudge := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Nudge, At: at(23, 16, 0)}
	tests := []struct {
		name string
		pr   PR
		want string // "" = no edit
	}{
		{"still waiting", PR{Pending: []Request{{Reviewer: "carol", At: mon9}}, Pings: []Ping{nudge}}, ""},
		{"reviewed", PR{Reviews: []Review{{Author: "carol", At: at(23, 17, 0)}}, Pings: []Ping{nudge}}, "`carol` reviewed on Mon 23 Nov at 17:00 Europe/London"},
		{"withdrawn", PR{Pings: []Ping{nudge}}, "withdrawn or renewed"},
		{"renewed", PR{Pending: []Request{{Reviewer: "carol", At: at(24, 9, 0)}}, Pings: []Ping{nudge}}, "withdrawn or renewed"},
		{"closed", PR{Closed: true, Pending: []Request{{Reviewer: "carol", At: mon9}}, Pings: []Ping{nudge}}, "pull request was closed"},
		{"already resolved", PR{Pings: []Ping{{Reviewer: "carol", RequestAt: mon9, Resolved: true}}}, ""},
	}
	for _, tt := range tests {
		plan := Decide(Input{PR: tt.pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(24, 12, 0)})
		switch {
		case tt.want == "" && len(plan.Resolve) > 0:
			t.Errorf("%s: unexpected edit %+v", tt.name, plan.Resolve)
		case tt.want != "" && (len(plan.Resolve) != 1 || !strings.Contains(plan.Resolve[0].Body, tt.want) || !strings.Contains(plan.Resolve[0].Body, resolvedFlag)):
			t.Errorf("%s: resolve = %+v, want body with %q", tt.name, plan.Resolve, tt.want)
		}
	}
}

func TestParsePing(t *testing.T) {
	created := at(23, 16, 0)
	tests := []struct {
		body string
		ok   bool
		want Ping
	}{
		{"<!-- overlap:reviews:carol:2026-11-23T09:00:00Z -->\nhi", true, Ping{Reviewer: "carol", RequestAt: at(23, 9, 0), Kind: Nudge, At: created}},
		{"<!-- overlap:reviews:acme/platform:2026-11-23T09:00:00Z:reminder-2 -->", true, Ping{Reviewer: "acme/platform", RequestAt: at(23, 9, 0), Kind: Reminder, Index: 2, At: created}},
		{"<!-- overlap:reviews:carol:2026-11-23T09:00:00Z:escalation -->", true, Ping{Reviewer: "carol", RequestAt: at(23, 9, 0), Kind: Escalation, At: created}},
		{"<!-- overlap:reviews:carol:2026-11-23T09:00:00Z:reminder-0 -->", false, Ping{}},
		{"<!-- overlap:adr -->", false, Ping{}},
		{"> <!-- overlap:reviews:carol:2026-11-23T09:00:00Z -->", false, Ping{}},
		{"<!-- overlap:reviews:carol:yesterday -->", false, Ping{}},
	}
	for _, tt := range tests {
		got, ok := ParsePing(tt.body, created)
		if ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("ParsePing(%q) = %+v, %v; want %+v, %v", tt.body, got, ok, tt.want, tt.ok)
		}
		if ok && !strings.HasPrefix(tt.body, got.Key()) {
			t.Errorf("Key() = %q does not round-trip %q", got.Key(), tt.body)
		}
	}
}

func TestCodeowners(t *testing.T) {
	co := ParseCodeowners(`# owners
*                @acme/everyone
*.go             @gopher
/docs/           @writer docs@example.com
apps/**/api.go   @api-owner
build/           @builder
/src/generated/  # nobody owns generated code
`)
	tests := []struct {
		paths []string
		want  string
	}{
		{[]string{"README.md"}, "@acme/everyone"},
		{[]string{"main.go"}, "@gopher"},
		{[]string{"src/deep/x.go"}, "@gopher"},
		{[]string{"docs/guide.md"}, "@writer"},
		{[]string{"sub/docs/guide.md"}, "@acme/everyone"}, // anchored: only the root docs/
		{[]string{"apps/web/v1/api.go"}, "@api-owner"},    // last match wins over *.go
		{[]string{"x/build/out.txt"}, "@builder"},         // unanchored directory at any depth
		{[]string{"src/generated/x.go"}, ""},              // ownership cleared
		{[]string{"main.go", "docs/a.md", "lib.go"}, "@gopher,@writer"},
	}
	for _, tt := range tests {
		if got := strings.Join(co.Owners(tt.paths), ","); got != tt.want {
			t.Errorf("Owners(%v) = %q, want %q", tt.paths, got, tt.want)
		}
	}
}

func TestWeeklyFigure(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	now := at(27, 18, 0) // Friday evening
	var prs []PR
	// Five requests to carol on Monday 09:00, answered after 1..5 working hours.
	for h := 1; h <= 5; h++ {
		rq := Request{Reviewer: "carol", At: at(23, 9, 0)}
		prs = append(prs, PR{Requested: []Request{rq}, Reviews: []Review{{Author: "carol", At: at(23, 9+h, 0)}}})
	}
	// Friday 16:00 → Monday 10:00: 2h30m of working time, not 66h.
	prs = append(prs, PR{Requested: []Request{{Reviewer: "carol", At: at(20, 16, 0)}}, Reviews: []Review{{Author: "carol", At: at(23, 10, 0)}}})
	// Answered last week: outside the window.
	prs = append(prs, PR{Requested: []Request{{Reviewer: "carol", At: at(16, 9, 0)}}, Reviews: []Review{{Author: "carol", At: at(16, 12, 0)}}})
	// A bot and an unanswered request do not count.
	prs = append(prs, PR{Requested: []Request{{Reviewer: "ci[bot]", Bot: true, At: at(23, 9, 0)}, {Reviewer: "bob", At: at(23, 9, 0)}}})
	fig := Weekly(prs, cal, now)
	if fig.Count != 6 {
		t.Fatalf("count = %d, want 6", fig.Count)
	}
	// Samples: 1h, 2h, 2h30m (Fri 16:00 → Mon 10:00), 3h, 4h, 5h.
	if fig.Median != 150*time.Minute || fig.P90 != 5*time.Hour {
		t.Errorf("median %v p90 %v, want 2h30m and 5h", fig.Median, fig.P90)
	}
	if got := Summarize(nil); got != (Figure{}) {
		t.Errorf("empty summary = %+v", got)
	}
}

func TestUrgent(t *testing.T) {
	pol := testPolicy(t, "")
	tests := []struct {
		title  string
		labels []string
		urgent bool // escalates: only the label
		hint   bool // the title asks
	}{
		{"URGENT: fix prod", nil, false, true},
		{"urgent: rotate the leaked key", nil, false, true},
		{"[urgent] db failover", nil, false, true},
		{"Fix login [Urgent]", nil, false, true},
		{"🚨 URGENT db down", nil, false, true},
		{"Tidy docs", []string{"Urgent"}, true, false},
		{"[urgent] db failover", []string{"urgent"}, true, true},
		{"Non-urgent: tidy docs", nil, false, false},
		{"not urgent - typo", nil, false, false},
		{"chore: drop the urgent-label workaround", nil, false, false},
		{"Make urgent requests pierce focus blocks", nil, false, false},
		{"[non-urgent] bump deps", nil, false, false},
		{"Urgently needed refactor", nil, false, false},
	}
	for _, tt := range tests {
		if got := Urgent(PR{Title: tt.title, Labels: tt.labels}, pol.Reviews); got != tt.urgent {
			t.Errorf("Urgent(%q, %v) = %v, want %v", tt.title, tt.labels, got, tt.urgent)
		}
		if got := TitleSaysUrgent(tt.title); got != tt.hint {
			t.Errorf("TitleSaysUrgent(%q) = %v, want %v", tt.title, got, tt.hint)
		}
	}
}

// TestDecideAnswers: a comment by the requested reviewer (or a member of
// the team) after the request answers it, as the nudge says.
func TestDecideAnswers(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	mon9 := at(23, 9, 0)
	team := Request{Reviewer: "acme/platform", Team: true, Members: []string{"alice", "carol"}, At: mon9}
	tests := []struct {
		name     string
		pending  Request
		comments []Comment
		posts    int
	}{
		{"reviewer's comment answers", Request{Reviewer: "carol", At: mon9}, []Comment{{Author: "Carol", At: at(23, 10, 0)}}, 0},
		{"comment before the request does not", Request{Reviewer: "carol", At: mon9}, []Comment{{Author: "carol", At: at(20, 10, 0)}}, 1},
		{"someone else's comment does not", Request{Reviewer: "carol", At: mon9}, []Comment{{Author: "dave", At: at(23, 10, 0)}}, 1},
		{"a member's comment answers the team", team, []Comment{{Author: "alice", At: at(23, 15, 0)}}, 0},
	}
	for _, tt := range tests {
		plan := Decide(Input{PR: PR{Pending: []Request{tt.pending}, Comments: tt.comments}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(23, 16, 0)})
		if len(plan.Posts) != tt.posts {
			t.Errorf("%s: posts = %+v, want %d", tt.name, plan.Posts, tt.posts)
		}
	}
	// The nudge sent before the comment is edited once to say so.
	nudge := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Nudge, At: at(23, 16, 0)}
	pr := PR{Pending: []Request{{Reviewer: "carol", At: mon9}}, Comments: []Comment{{Author: "carol", At: at(23, 17, 0)}}, Pings: []Ping{nudge}}
	plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(24, 16, 0)})
	if len(plan.Posts) != 0 || len(plan.Resolve) != 1 || !strings.Contains(plan.Resolve[0].Body, "`carol` answered in a comment on Mon 23 Nov at 17:00") {
		t.Errorf("after carol's comment: posts %+v resolve %+v", plan.Posts, plan.Resolve)
	}
}

func TestDecideTeamResolvedByMemberAfterGitHubDropsTheRequest(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	mon9 := at(23, 9, 0)
	nudge := Ping{Reviewer: "acme/platform", RequestAt: mon9, Kind: Nudge, At: at(23, 16, 0)}
	// GitHub drops the team request once a member reviews on its behalf:
	// only the timeline still knows it was a team.
	pr := PR{Reviews: []Review{{Author: "alice", At: at(23, 17, 0)}}, Pings: []Ping{nudge},
		Requested: []Request{{Reviewer: "acme/platform", Team: true, Members: []string{"alice", "carol"}, At: mon9}}}
	plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(24, 12, 0)})
	if len(plan.Resolve) != 1 || !strings.Contains(plan.Resolve[0].Body, "`alice` reviewed") {
		t.Errorf("resolve = %+v; want \"`alice` reviewed\"", plan.Resolve)
	}
}

func TestDecideClockStartsWhenReady(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	// Requested Monday 09:00 on a draft, marked ready Wednesday 12:00.
	pr := PR{ReadyAt: at(25, 12, 0), Pending: []Request{{Reviewer: "carol", At: at(23, 9, 0)}}}
	plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(25, 12, 15)})
	if len(plan.Posts) != 0 || len(plan.Waits) != 1 || !plan.Waits[0].Next.Equal(at(25, 16, 0)) {
		t.Fatalf("15 minutes after ready: posts %+v waits %+v; want a wait until Wed 16:00", plan.Posts, plan.Waits)
	}
	plan = Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(25, 16, 0)})
	if len(plan.Posts) != 1 || !strings.HasSuffix(plan.Posts[0].Marker, "carol:2026-11-23T09:00:00Z -->") ||
		!strings.Contains(plan.Posts[0].Body, "marked ready for review") {
		t.Fatalf("4 working hours after ready: %+v", plan.Posts)
	}
	// A ready-for-review before the request changes nothing.
	pr = PR{ReadyAt: at(20, 12, 0), Pending: []Request{{Reviewer: "carol", At: at(23, 9, 0)}}}
	if plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(23, 16, 0)}); len(plan.Posts) != 1 || strings.Contains(plan.Posts[0].Body, "ready") {
		t.Errorf("ready before the request: %+v", plan.Posts)
	}
}

func TestDecideOldRequests(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	old := at(23, 9, 0).AddDate(0, 0, -21) // three weeks before Monday
	now := at(23, 16, 0)
	plan := Decide(Input{PR: PR{Pending: []Request{{Reviewer: "carol", At: old}}}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: now})
	if len(plan.Posts)+len(plan.Escalates) != 0 || len(plan.Waits) != 1 || !strings.Contains(plan.Waits[0].Reason, "14 days") {
		t.Errorf("a three-week-old request that was never nudged: %+v", plan)
	}
	// Thirteen days: still nudged.
	plan = Decide(Input{PR: PR{Pending: []Request{{Reviewer: "carol", At: now.Add(-13 * 24 * time.Hour)}}}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: now})
	if len(plan.Posts) != 1 {
		t.Errorf("a 13-day-old request: %+v", plan)
	}
	// A chain Overlap started goes on: the reminder is due.
	nudge := Ping{Reviewer: "carol", RequestAt: old, Kind: Nudge, At: at(20, 16, 0)}
	plan = Decide(Input{PR: PR{Pending: []Request{{Reviewer: "carol", At: old}}, Pings: []Ping{nudge}}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: now})
	if len(plan.Posts) != 1 || plan.Posts[0].Kind != Reminder {
		t.Errorf("an old request already nudged: %+v", plan)
	}
}

// TestDecideEscalatesPastAnAwayReviewer: someone away or busy gets no
// nudge or reminder, so the escalation comes once the team has had the norm
// times (escalate_after + 1) of its own working time: 4h × 3 = 12h, reached
// Tuesday 12:30 London for a request made Monday 09:00 (Monday 8h30,
// Tuesday 3h30). Off-hours alone are not "away".
func TestDecideEscalatesPastAnAwayReviewer(t *testing.T) {
	pol := testPolicy(t, "")
	pc := pol.Team.People["carol"]
	away, err := config.ParseDateRange("2026-11-23..2026-12-06")
	if err != nil {
		t.Fatal(err)
	}
	pc.Away = append(pc.Away, away)
	pol.Team.People["carol"] = pc
	cal := roster.Calendar(pol.Team)
	pr := PR{Pending: []Request{{Reviewer: "carol", At: at(23, 9, 0)}}}
	var first time.Time
	for now := at(23, 9, 0); now.Before(at(28, 0, 0)); now = now.Add(15 * time.Minute) {
		plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: now})
		if len(plan.Posts) > 0 {
			t.Fatalf("%v: posted to carol while she is away: %+v", now, plan.Posts)
		}
		if len(plan.Escalates) > 0 {
			first = now
			if !strings.Contains(plan.Escalates[0].Reason, "away or busy") {
				t.Errorf("reason %q", plan.Escalates[0].Reason)
			}
			break
		}
	}
	if !first.Equal(at(24, 12, 30)) {
		t.Errorf("first escalation at %v, want Tue 24 Nov 12:30 UTC", first)
	}

	// Busy on GitHub counts as away.
	cal = roster.Calendar(testPolicy(t, "").Team)
	cal.SetBusy(map[string]bool{"carol": true})
	if plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(24, 16, 0)}); len(plan.Escalates) != 1 {
		t.Errorf("busy carol: %+v", plan)
	}

	// bob is merely asleep (22:00 Singapore) two days on: no escalation.
	pol = testPolicy(t, "")
	cal = roster.Calendar(pol.Team)
	pr = PR{Pending: []Request{{Reviewer: "bob", At: at(23, 1, 0)}}}
	if plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(25, 14, 0)}); len(plan.Escalates) != 0 {
		t.Errorf("off-hours escalated: %+v", plan.Escalates)
	}
}

func TestDecideDuplicates(t *testing.T) {
	pol := testPolicy(t, "")
	cal := roster.Calendar(pol.Team)
	mon9 := at(23, 9, 0)
	nudge := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Nudge, At: at(23, 16, 0)}
	r1 := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Reminder, Index: 1, At: at(24, 16, 0)}
	r1b := r1
	r1b.At = r1.At.Add(200 * time.Millisecond)
	esc := Ping{Reviewer: "carol", RequestAt: mon9, Kind: Escalation, At: at(26, 16, 0)}
	pr := PR{Pending: []Request{{Reviewer: "carol", At: mon9}}, Pings: []Ping{nudge, r1, r1b, esc, esc}}
	plan := Decide(Input{PR: pr, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(26, 17, 0)})
	if want := []string{esc.Key(), r1.Key()}; strings.Join(plan.Duplicates, "|") != strings.Join(want, "|") {
		t.Errorf("duplicates = %v, want %v", plan.Duplicates, want)
	}
	if plan := Decide(Input{PR: PR{Pings: []Ping{nudge, r1}}, Policy: pol.Reviews, Team: pol.Team, Calendar: cal, Now: at(26, 17, 0)}); len(plan.Duplicates) != 0 {
		t.Errorf("no duplicates: %v", plan.Duplicates)
	}
}

func TestEscalationBody(t *testing.T) {
	pol := testPolicy(t, "")
	mon9 := at(23, 9, 0)
	tests := []struct {
		asked   []string
		refused []Refusal
		want    []string
	}{
		{[]string{"acme/leads"}, nil, []string{"requested from `carol` on Mon 23 Nov at 09:00 Europe/London is still waiting after 2 reminders, so Overlap also requested a review from `acme/leads`."}},
		{[]string{"erin"}, []Refusal{{"mallory", "not a collaborator of this repository"}}, []string{"from `erin`.", "Could not be requested:\n- `mallory`: not a collaborator"}},
		{nil, []Refusal{{"acme/leads", "the team has no access to this repository"}}, []string{"could not request a review from anyone else", "`acme/leads`: the team has no access"}},
		{nil, nil, []string{"nobody else was found"}},
	}
	for _, tt := range tests {
		body := EscalationBody("carol", mon9, "after 2 reminders", tt.asked, tt.refused, pol.Team)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("body lacks %q:\n%s", w, body)
			}
		}
		if strings.Contains(body, "@") {
			t.Errorf("the escalation mentions someone:\n%s", body)
		}
	}
}

func TestCapPings(t *testing.T) {
	var plans []Plan
	for i := range 12 {
		rq := at(23, 9, 0).Add(time.Duration(11-i) * time.Minute) // later plans hold older requests
		plans = append(plans, Plan{Posts: []Post{{Marker: fmt.Sprint("m", i), RequestAt: rq}}, Resolve: []Post{{Marker: "r"}}})
	}
	plans[0].Escalates = []Escalate{{RequestAt: at(20, 9, 0), Post: Post{Marker: "esc"}}}
	held := CapPings(plans, 10)
	// 13 pings: the escalation (oldest) and m11..m3 go; m2..m0 (newest) wait.
	if strings.Join(held, ",") != "m2,m1,m0" {
		t.Errorf("held = %v, want m2,m1,m0", held)
	}
	var posts, resolves int
	for _, p := range plans {
		posts += len(p.Posts) + len(p.Escalates)
		resolves += len(p.Resolve)
	}
	if posts != 10 || resolves != 12 || len(plans[0].Escalates) != 1 {
		t.Errorf("after the cap: %d pings, %d resolutions", posts, resolves)
	}
	if held := CapPings(plans, 10); held != nil {
		t.Errorf("under the limit: held %v", held)
	}
}
