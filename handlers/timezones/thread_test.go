package timezones

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/roster"
)

const teamYAML = `team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  holidays: [2026-11-27]
  people:
    alice: {timezone: America/New_York, working_hours: "08:00-16:00"}
    bob:   {timezone: Asia/Singapore, away: [2026-11-26]}
    carol: {timezone: Europe/London}
`

func mustPolicy(t *testing.T, y string) config.Policy {
	t.Helper()
	p, problems := config.Parse(".github/overlap.yml", []byte(y))
	if len(problems) > 0 {
		t.Fatalf("policy: %v", problems)
	}
	return p
}

var tue10 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func TestComment(t *testing.T) {
	cal := roster.Calendar(mustPolicy(t, teamYAML).Team)
	tests := []struct {
		name  string
		texts []Text
		want  []string // substrings, in this order
		none  bool
	}{
		{
			name:  "author zone from the roster, working hours too",
			texts: []Text{{Author: "alice", Body: "Ship it EOD", At: tue10}},
			// alice's EOD is 16:00 New York.
			want: []string{"“EOD” (alice) → Tue 24 Nov 16:00 America/New_York = 21:00 Europe/London = Wed 25 Nov 05:00 Asia/Singapore"},
		},
		{
			name:  "someone outside the roster has the team's zone and hours",
			texts: []Text{{Author: "dave", Body: "done by EOD", At: tue10}},
			want:  []string{"“by EOD” (dave) → Tue 24 Nov 17:30 Europe/London"},
		},
		{
			name: "thread order kept, duplicates dropped",
			texts: []Text{
				{Author: "carol", Body: "call at 3pm", At: tue10},
				{Author: "bob", Body: "ok, Friday then", At: tue10},
				{Author: "carol", Body: "call at 3pm", At: tue10},
			},
			want: []string{"“at 3pm” (carol) → Tue 24 Nov 15:00 Europe/London", "“Friday” (bob) → Fri 27 Nov 17:30 Asia/Singapore"},
		},
		{
			name:  "holidays and away days count as outside working hours",
			texts: []Text{{Author: "alice", Body: "Thursday 10:00", At: tue10}},
			// Thu 26 Nov 10:00 New York = 15:00 London (carol works), 23:00 Singapore; bob is away anyway.
			want: []string{"outside working hours for bob (Asia/Singapore)"},
		},
		{
			name: "bots, Overlap's own marker, blank texts are skipped",
			texts: []Text{
				{Author: "renovate[bot]", Body: "rebase Friday at 3pm", At: tue10, Bot: true},
				{Author: "alice", Body: "<!-- overlap:timezones -->\n- “ship Friday EOD”", At: tue10},
				{Author: "alice", Body: "   ", At: tue10},
			},
			none: true,
		},
		{
			name:  "a phrase naming a zone is left alone",
			texts: []Text{{Author: "carol", Body: "ship Friday 17:00 UTC", At: tue10}},
			none:  true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Comment(tt.texts, cal)
			if tt.none {
				if got != "" {
					t.Errorf("want no comment, got:\n%s", got)
				}
				return
			}
			at := 0
			for _, w := range tt.want {
				i := strings.Index(got[at:], w)
				if i < 0 {
					t.Fatalf("missing (or out of order) %q in:\n%s", w, got)
				}
				at += i + len(w)
			}
			if strings.Count(got, "\n- ") != len(tt.want) {
				t.Errorf("want %d items, got:\n%s", len(tt.want), got)
			}
			if strings.Contains(got, "@") {
				t.Errorf("the comment would mention someone:\n%s", got)
			}
		})
	}
}

func TestTeamOrderAndEmptyRoster(t *testing.T) {
	team := Team(roster.Calendar(mustPolicy(t, teamYAML).Team))
	var got []string
	for _, p := range team {
		got = append(got, p.Login)
	}
	// The team zone first (carol, London), then the other zones by name.
	if strings.Join(got, ",") != "carol,alice,bob" {
		t.Errorf("team order = %v, want carol,alice,bob", got)
	}

	solo := roster.Calendar(mustPolicy(t, "team:\n  timezone: Asia/Singapore\n").Team)
	body := Comment([]Text{{Author: "zoe", Body: "ship Friday", At: tue10}}, solo)
	if !strings.Contains(body, "Fri 27 Nov 17:00 Asia/Singapore") || !strings.Contains(body, "the team") {
		t.Errorf("a team without people should still convert in the team zone:\n%s", body)
	}
}

func TestTargetOf(t *testing.T) {
	human := `"user": {"login": "alice", "type": "User"}`
	bot := `"user": {"login": "renovate[bot]", "type": "Bot"}`
	pr := `"pull_request": {"number": 7, "body": "ship Friday", "created_at": "2026-11-24T10:00:00Z", ` + human + `}`
	issue := `"issue": {"number": 3, "body": "x", "created_at": "2026-11-24T10:00:00Z", ` + human + `}`
	prIssue := `"issue": {"number": 7, "body": "x", "pull_request": {"url": "u"}, "created_at": "2026-11-24T10:00:00Z", ` + human + `}`
	disc := `"discussion": {"number": 9}`
	tests := []struct {
		event, action, payload string
		ok                     bool
		kind                   threadKind
		number                 int
	}{
		{"pull_request", "opened", `{` + pr + `}`, true, prThread, 7},
		{"pull_request", "edited", `{"changes": {"body": {"from": ""}}, ` + pr + `}`, true, prThread, 7},
		{"pull_request", "edited", `{"changes": {"title": {"from": ""}}, ` + pr + `}`, false, 0, 0},
		{"pull_request", "synchronize", `{` + pr + `}`, false, 0, 0},
		{"issues", "opened", `{` + issue + `}`, true, issueThread, 3},
		{"issues", "labeled", `{` + issue + `}`, false, 0, 0},
		{"issue_comment", "created", `{` + issue + `, "comment": {` + human + `}}`, true, issueThread, 3},
		{"issue_comment", "deleted", `{` + prIssue + `, "comment": {` + human + `}}`, true, prThread, 7},
		{"issue_comment", "created", `{` + issue + `, "comment": {` + bot + `}}`, false, 0, 0},
		{"pull_request_review", "submitted", `{` + pr + `, "review": {"body": "by EOD", ` + human + `}}`, true, prThread, 7},
		{"pull_request_review", "submitted", `{` + pr + `, "review": {"body": null, ` + human + `}}`, false, 0, 0},
		{"pull_request_review", "edited", `{"changes": {"body": {"from": "x"}}, ` + pr + `, "review": {"body": "", ` + human + `}}`, true, prThread, 7},
		{"pull_request_review", "dismissed", `{` + pr + `, "review": {"body": "x", ` + human + `}}`, false, 0, 0},
		{"discussion", "created", `{` + disc + `}`, true, discussionThread, 9},
		{"discussion", "edited", `{"changes": {"title": {"from": ""}}, ` + disc + `}`, false, 0, 0},
		{"discussion", "labeled", `{` + disc + `}`, false, 0, 0},
		{"discussion_comment", "edited", `{` + disc + `, "comment": {` + human + `}}`, true, discussionThread, 9},
		{"discussion_comment", "created", `{` + disc + `, "comment": {` + bot + `}}`, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.event+"."+tt.action, func(t *testing.T) {
			tg, ok, err := targetOf(&handlers.Event{Type: tt.event, Action: tt.action, Payload: []byte(tt.payload)})
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.ok || (ok && (tg.kind != tt.kind || tg.number != tt.number)) {
				t.Errorf("targetOf = %+v, %v; want kind %d #%d, %v", tg, ok, tt.kind, tt.number, tt.ok)
			}
		})
	}
	if _, _, err := targetOf(&handlers.Event{Type: "issues", Action: "opened", Payload: []byte(`{"issue": [}`)}); err == nil {
		t.Error("a malformed payload should be an error, not a panic or a silent skip")
	}
	tg, _, _ := targetOf(&handlers.Event{Type: "pull_request", Action: "opened", Payload: []byte(`{` + pr + `}`)})
	if tg.body.Author != "alice" || tg.body.Body != "ship Friday" || !tg.body.At.Equal(tue10) {
		t.Errorf("body from the payload = %+v", tg.body)
	}
}

// End of day reads the roster's working days: an away day neither pushes
// "by EOD" to the end of the absence nor lets it land on a weekend.
func TestCommentEODWithRoster(t *testing.T) {
	cal := roster.Calendar(mustPolicy(t, `team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  holidays: [2026-12-25]
  people:
    carol: {timezone: Europe/London}
    bob:   {timezone: Asia/Singapore, away: [2026-11-30..2026-12-04]}
`).Team)
	sgt, err := time.LoadLocation("Asia/Singapore")
	if err != nil {
		t.Fatal(err)
	}
	lon, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, author, body string
		at                 time.Time
		want               string // "" means no comment
	}{
		{"Friday evening before an absence: Monday, not Saturday", "bob", "Review by EOD please",
			time.Date(2026, 11, 27, 19, 0, 0, 0, sgt), "“by EOD” (bob) → Mon 30 Nov 17:30 Asia/Singapore"},
		{"written on an away day: that day, not a week later", "bob", "Review by EOD please",
			time.Date(2026, 11, 30, 10, 0, 0, 0, sgt), "“by EOD” (bob) → Mon 30 Nov 17:30 Asia/Singapore"},
		{"Christmas Eve evening skips the holiday and the weekend", "carol", "Merge by EOD",
			time.Date(2026, 12, 24, 18, 0, 0, 0, lon), "“by EOD” (carol) → Mon 28 Dec 17:30 Europe/London"},
		{"OOO until Monday is the start of Monday", "carol", "I'm OOO until Monday",
			time.Date(2026, 11, 24, 8, 0, 0, 0, lon), "“OOO until Monday” (carol) → Mon 30 Nov 09:00 Europe/London"},
		{"ambiguous clock is left alone", "carol", "Done by 5:00", time.Date(2026, 11, 24, 15, 0, 0, 0, lon), ""},
		{"UK names a zone", "carol", "ETA: Thursday 17:00 UK", time.Date(2026, 11, 24, 8, 0, 0, 0, lon), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Comment([]Text{{Author: tt.author, Body: tt.body, At: tt.at}}, cal)
			if tt.want == "" {
				if got != "" {
					t.Errorf("want no comment, got:\n%s", got)
				}
				return
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("missing %q in:\n%s", tt.want, got)
			}
		})
	}
}
