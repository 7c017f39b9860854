package docs

import (
	"github.com/overlaphq/overlap/internal/gh"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
)

func trackingInput(t *testing.T) TrackingInput {
	s := testSettings()
	s.Duty = DutySettings{Rotation: []string{"alice", "bob", "carol"}, Starts: Date{2026, 11, 2}, Every: 7 * 24 * time.Hour}
	src := testSource()
	return TrackingInput{
		Repo:     RepoRef{Owner: "octo", Name: "ops", Branch: "main"},
		StateKey: testKey,
		Settings: s,
		Docs:     buildTestDocs(t),
		Tree:     src.Tree,
		Now:      now,
	}
}

// allFresh marks every doc reviewed yesterday.
func allFresh(in *TrackingInput) {
	in.Data = Data{Reviewed: map[string]Review{}}
	for _, d := range in.Docs {
		in.Data.Reviewed[d.Path] = Review{On: DateOf(daysAgo(1)), By: "bob"}
	}
}

func TestDecideTrackingBody(t *testing.T) {
	in := trackingInput(t)
	in.Data = reviewed("docs/onboarding/welcome.md", 2)
	in.BrokenLinks = []Link{{Doc: "docs/runbooks/db.md", Line: 12, Target: "../missing.md", Reason: "no such file: docs/missing.md"}}
	in.Extra = []Section{{Title: "Decisions to revisit", Lines: []string{"ADR 0007 was due for revisit on 2026-11-01"}}, {Title: "Empty", Lines: nil}}
	got := DecideTracking(in)
	if got.Action != ActionCreate {
		t.Fatalf("action = %s, want create", got.Action)
	}
	if got.Title != "Docs freshness: 2 stale docs" || got.Duty != "alice" || got.Next != "bob" ||
		len(got.Assignees) != 1 || got.Assignees[0] != "alice" || got.Labels[0] != "docs-stale" {
		t.Errorf("desired = %+v", got)
	}
	for _, want := range []string{
		"**On duty this week:** alice · **next:** bob",
		"### Stale docs (2)",
		"**runbooks**",
		"| `docs/runbooks/db.md` | 400 days since last review (limit 90 days) | carol | [history](https://github.com/octo/ops/commits/main/docs/runbooks/db.md) |",
		"| `docs/runbooks/payments.md` | 100 days since last review (limit 90 days) | octo/payments |",
		"`docs/runbooks/db.md` line 12: `../missing.md` — no such file: docs/missing.md",
		"### Decisions to revisit\n\n- ADR 0007 was due for revisit on 2026-11-01",
		"### Recent reviews\n\n- `docs/onboarding/welcome.md` reviewed on 2026-11-22 by alice",
	} {
		if !strings.Contains(got.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, got.Body)
		}
	}
	if strings.Contains(got.Body, "### Empty") || strings.Contains(got.Body, "cache.md` |") {
		t.Errorf("body lists an empty section or a fresh doc:\n%s", got.Body)
	}
	if strings.Index(got.Body, "db.md` | 400") > strings.Index(got.Body, "payments.md` | 100") {
		t.Errorf("oldest stale doc must come first")
	}
	if strings.Contains(got.Body, MarkerTracking) {
		t.Errorf("the write path adds the marker, not the body")
	}
	if strings.Contains(got.Body, "@") {
		t.Errorf("the body @-mentions someone; a sweep runs at any hour:\n%s", got.Body)
	}
}

func TestDecideTrackingLifecycle(t *testing.T) {
	base := trackingInput(t)
	staleBody := DecideTracking(base)
	openIssue := &Issue{Number: 3, State: "open", Title: staleBody.Title,
		Body:      MarkerTracking + "\r\n" + strings.ReplaceAll(staleBody.Body, "\n", "\r\n"), // as GitHub returns it
		Assignees: []string{"alice"}, Labels: []string{"docs-stale"}}

	tests := []struct {
		name       string
		mutate     func(*TrackingInput)
		existing   *Issue
		wantAction TrackingAction
	}{
		{"nothing stale, no issue: nothing to do", allFresh, nil, ActionNone},
		{"stale docs, no issue: create", nil, nil, ActionCreate},
		{"unchanged open issue: no-op", nil, openIssue, ActionNone},
		{"a day later the ages changed: edit", func(in *TrackingInput) { in.Now = in.Now.Add(24 * time.Hour) }, openIssue, ActionUpdate},
		{"duty handover: edit the assignee", func(in *TrackingInput) { in.Away = func(l string) bool { return l == "alice" } }, openIssue, ActionUpdate},
		{"label removed by hand: edit", nil, withLabels(openIssue, nil), ActionUpdate},
		{"everything fresh: close with thanks", allFresh, openIssue, ActionClose},
		{"closed and still fresh: nothing", allFresh, closed(openIssue), ActionNone},
		{"closed, stale again: reopen", nil, closed(openIssue), ActionReopen},
		{"only a broken link keeps it open", func(in *TrackingInput) {
			allFresh(in)
			in.BrokenLinks = []Link{{Doc: "a.md", Line: 1, Target: "b.md", Reason: "no such file: b.md"}}
		}, openIssue, ActionUpdate},
		{"missing onboarding guide reopens", func(in *TrackingInput) {
			allFresh(in)
			in.Tree = []string{"README.md"}
		}, closed(openIssue), ActionReopen},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base
			in.Existing = tt.existing
			if tt.mutate != nil {
				tt.mutate(&in)
			}
			got := DecideTracking(in)
			if got.Action != tt.wantAction {
				t.Fatalf("action = %s, want %s", got.Action, tt.wantAction)
			}
			if (got.Action == ActionClose) != (got.Comment != "") {
				t.Errorf("thank-you comment only on close: %q", got.Comment)
			}
			if got.Action == ActionClose {
				if !strings.Contains(got.Comment, "Thanks alice") || !strings.Contains(got.Body, "All tracked docs are fresh.") || got.Title != "Docs freshness: all docs fresh" {
					t.Errorf("close: comment %q title %q", got.Comment, got.Title)
				}
				if !strings.Contains(blockJSON(t, gh.LastLine(got.Body)), `"docs/runbooks/db.md":{"on":"2026-11-23","by":"bob"}`) {
					t.Errorf("closing must keep the data block:\n%s", got.Body)
				}
			}
		})
	}
}

func TestMissingOnboardingGuide(t *testing.T) {
	in := trackingInput(t)
	allFresh(&in)
	in.Tree = []string{"README.md", "docs/runbooks/db.md"}
	got := DecideTracking(in)
	if !strings.Contains(got.Body, "No onboarding guide found at `docs/onboarding/*.md`.") || got.Title != "Docs freshness: docs need attention" {
		t.Errorf("title %q body:\n%s", got.Title, got.Body)
	}
}

func TestMalformedFrontMatterListedInTracking(t *testing.T) {
	in := trackingInput(t)
	allFresh(&in)
	src := testSource()
	src.Contents["docs/runbooks/cache.md"] = "---\nmax_age: sometime\n---\n"
	docs, err := BuildDocs(in.Settings, src)
	if err != nil {
		t.Fatal(err)
	}
	in.Docs = docs
	got := DecideTracking(in)
	if got.Action != ActionCreate || !strings.Contains(got.Body, "`docs/runbooks/cache.md`: front matter line 2: max\\_age \"sometime\"") {
		t.Errorf("action %s, body:\n%s", got.Action, got.Body)
	}
}

func TestReviewedThenTrackingRoundTrip(t *testing.T) {
	in := trackingInput(t)
	first := DecideTracking(in)
	issue := &Issue{Number: 3, State: "open", Title: first.Title, Body: MarkerTracking + "\n" + first.Body, Assignees: []string{"alice"}, Labels: []string{LabelStale}}

	data, err := parseData(issue.Body)
	if err != nil {
		t.Fatal(err)
	}
	res := ApplyReviewed(ReviewedInput{Comment: "Both still accurate.\n/reviewed docs/runbooks/db.md\n/reviewed docs/runbooks/payments.md",
		Author: "alice", IsDuty: true, Now: now, Docs: in.Docs, Data: data})
	if !res.Changed {
		t.Fatalf("duty person's review not recorded: %+v", res)
	}
	in.Existing, in.Data = issue, res.Data
	got := DecideTracking(in)
	if got.Action != ActionClose {
		t.Fatalf("after reviewing both stale docs: action %s, want close", got.Action)
	}
	for _, want := range []string{
		"- `docs/runbooks/db.md` reviewed on 2026-11-24 by alice",
		"- `docs/runbooks/payments.md` reviewed on 2026-11-24 by alice",
	} {
		if !strings.Contains(got.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, got.Body)
		}
	}
	back, err := parseData(got.Body)
	if err != nil || len(back.Reviewed) != 2 {
		t.Errorf("data block after close: %+v %v", back, err)
	}
}

func withLabels(i *Issue, labels []string) *Issue {
	c := *i
	c.Labels = labels
	return &c
}

func closed(i *Issue) *Issue {
	c := *i
	c.State = "closed"
	return &c
}

// The duty line says when the next person takes over and, for a pending
// assignment, when it will happen in the duty person's zone and the team's.
func TestTrackingDutyTimes(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	weekdays := calendar.Weekdays(time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday)
	cal := calendar.New(calendar.Spec{
		Team:   calendar.Schedule{Location: berlin, Hours: calendar.ClockRange{Start: calendar.Clock{Hour: 9}, End: calendar.Clock{Hour: 17}}, Days: weekdays},
		People: map[string]calendar.PersonSpec{"alice": {Location: ny}, "bob": {}},
	})
	notYet := func(string) bool { return false }
	tests := []struct {
		name  string
		edit  func(*TrackingInput)
		want  string
		avoid string
	}{
		// now is Tue 24 Nov 09:00 Berlin = 03:00 New York; alice starts at
		// 09:00 New York, 15:00 Berlin. Weekly rotation from Mon 2 Nov:
		// alice's week ends Mon 30 Nov.
		{"pending, other zone", func(in *TrackingInput) { in.Calendar, in.MayAssign = cal, notYet },
			"**On duty this week:** alice (assigned when their working hours begin: Tue 24 Nov 09:00 America/New_York (15:00 Europe/Berlin)) · **next:** bob from Mon 30 Nov", ""},
		// At 23:30 Berlin (17:30 New York) alice's day is over: her next
		// start is Wednesday, 15:00 Berlin.
		{"pending, evening", func(in *TrackingInput) {
			in.Calendar, in.MayAssign, in.Now = cal, notYet, time.Date(2026, 11, 24, 23, 30, 0, 0, berlin)
		}, "begin: Wed 25 Nov 09:00 America/New_York (15:00 Europe/Berlin))", ""},
		{"pending, no calendar", func(in *TrackingInput) { in.MayAssign = notYet },
			"**On duty this week:** alice (assigned when their working hours begin) · **next:** bob from Mon 30 Nov", ""},
		{"assigned: no pending text", func(in *TrackingInput) { in.Calendar = cal },
			"**On duty this week:** alice · **next:** bob from Mon 30 Nov", "assigned when"},
		{"two-week turns", func(in *TrackingInput) { in.Settings.Duty.Every = 14 * 24 * time.Hour },
			// 2 Nov + 14 = 16 Nov: bob's turn, until 30 Nov.
			"**On duty this week:** bob · **next:** carol from Mon 30 Nov", ""},
		{"no start date: the rotation never advances", func(in *TrackingInput) { in.Settings.Duty.Starts = Date{} },
			"**On duty this week:** alice · **next:** bob\n", " from "},
	}
	for _, tt := range tests {
		in := trackingInput(t)
		tt.edit(&in)
		got := DecideTracking(in).Body
		if !strings.Contains(got, tt.want) {
			t.Errorf("%s: body lacks %q:\n%s", tt.name, tt.want, got)
		}
		if tt.avoid != "" && strings.Contains(strings.SplitN(got, "\n\n", 3)[1], tt.avoid) {
			t.Errorf("%s: duty line has %q:\n%s", tt.name, tt.avoid, got)
		}
	}
}
