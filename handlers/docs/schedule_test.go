package docs

import (
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
)

func TestScheduleDue(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	s := Schedule{Day: time.Monday, Minute: 9 * 60, Location: berlin}
	at := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, berlin) }
	cases := []struct {
		name     string
		now      time.Time
		wantSlot time.Time
		wantDue  bool
	}{
		{"at the slot", at(2026, 11, 23, 9, 0), at(2026, 11, 23, 9, 0), true},
		{"a minute before: last week's slot, long past", at(2026, 11, 23, 8, 59), at(2026, 11, 16, 9, 0), false},
		{"late in the window", at(2026, 11, 23, 16, 59), at(2026, 11, 23, 9, 0), true},
		{"after the window", at(2026, 11, 23, 17, 0), at(2026, 11, 23, 9, 0), false},
		{"Sunday night", at(2026, 11, 29, 23, 0), at(2026, 11, 23, 9, 0), false},
		{"slot after DST ends stays at 09:00 local", at(2026, 10, 26, 9, 30), at(2026, 10, 26, 9, 0), true},
		{"UTC instant in the Berlin morning", time.Date(2026, 11, 23, 8, 5, 0, 0, time.UTC), at(2026, 11, 23, 9, 0), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			slot, due := s.Due(c.now)
			if !slot.Equal(c.wantSlot) || due != c.wantDue {
				t.Errorf("Due(%v) = %v, %v; want %v, %v", c.now, slot, due, c.wantSlot, c.wantDue)
			}
		})
	}
}

func TestPlanSweep(t *testing.T) {
	slot := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	open := &Issue{Number: 1, State: "open"}
	closed := &Issue{Number: 1, State: "closed"}
	stamped := Data{Head: "abc", Slot: DateOf(slot)}
	older := Data{Head: "abc", Slot: DateOf(slot.AddDate(0, 0, -7))}
	pending := Data{Head: "abc", Slot: DateOf(slot), Pending: "bob"}
	pendingOld := Data{Head: "abc", Slot: DateOf(slot.AddDate(0, 0, -7)), Pending: "bob"}
	awake := func(login string) bool { return login == "bob" }
	asleep := func(string) bool { return false }
	cases := []struct {
		name    string
		due     bool
		ex      *Issue
		data    Data
		mayPing func(string) bool
		want    Plan
	}{
		{"due, assignment pending, bob still asleep: only if the branch moved", true, open, pending, asleep, Plan{Skip: true, CheckHead: true, Full: true}},
		{"due, assignment pending, bob at work: full refresh assigns him", true, open, pending, awake, Plan{Full: true}},
		{"after the window, bob at work: full refresh assigns him", false, open, pending, awake, Plan{Full: true}},
		{"after the window, bob asleep: edit if the branch moved", false, open, pending, asleep, Plan{Skip: true, CheckHead: true}},
		{"pending from last week's slot: not this week's business", false, open, pendingOld, awake, Plan{Skip: true, CheckHead: true}},
		{"pending on a closed issue: nothing to assign", false, closed, pending, awake, Plan{Skip: true}},
		{"due, no issue yet: full refresh", true, nil, Data{}, nil, Plan{Full: true}},
		{"due, issue from last week: full refresh", true, open, older, nil, Plan{Full: true}},
		{"due, refreshed this slot: only if the branch moved", true, open, stamped, nil, Plan{Skip: true, CheckHead: true, Full: true}},
		{"due, closed and refreshed this slot", true, closed, stamped, nil, Plan{Skip: true, CheckHead: true, Full: true}},
		{"between slots, no issue: nothing", false, nil, Data{}, nil, Plan{Skip: true}},
		{"between slots, closed: nothing", false, closed, older, nil, Plan{Skip: true}},
		{"between slots, open: edit if the branch moved", false, open, older, nil, Plan{Skip: true, CheckHead: true}},
		{"between slots, open but never stamped: edit", false, open, Data{}, nil, Plan{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := PlanSweep(c.due, slot, c.ex, c.data, c.mayPing); got != c.want {
				t.Errorf("PlanSweep = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestRestrictOutsideTheSlot(t *testing.T) {
	ex := &Issue{Number: 3, State: "open", Assignees: []string{"alice"}}
	for _, a := range []TrackingAction{ActionCreate, ActionReopen, ActionClose} {
		got := Restrict(TrackingDesired{Action: a, Comment: "thanks", Assignees: []string{"bob"}}, ex, false)
		if got.Action != ActionNone || got.Comment != "" {
			t.Errorf("%s outside the slot: %+v", a, got)
		}
		if full := Restrict(TrackingDesired{Action: a}, ex, true); full.Action != a {
			t.Errorf("%s in the slot was changed to %s", a, full.Action)
		}
	}
	got := Restrict(TrackingDesired{Action: ActionUpdate, Assignees: []string{"bob"}}, ex, false)
	if got.Action != ActionUpdate || strings.Join(got.Assignees, ",") != "alice" {
		t.Errorf("edit outside the slot must keep the assignee: %+v", got)
	}
}

func TestSettingsFromPolicy(t *testing.T) {
	p, problems := config.Parse(".github/overlap.yml", []byte(`docs:
  check: required
  warn_within: 0
  sets:
    onboarding: {paths: ["ONBOARDING.md"], max_age: 180d}
  covers:
    /docs/runbooks/db.md: ["db/**"]
  duty:
    rotation: [alice, "@acme/platform"]
    starts: 2026-01-05
    every: 2w
`))
	if len(problems) > 0 {
		t.Fatalf("policy: %v", problems)
	}
	s := SettingsFrom(p.Docs)
	if s.Check != Required || s.WarnWithin >= 0 || s.warnWithin() != 0 {
		t.Errorf("check %q, warn %v", s.Check, s.WarnWithin)
	}
	if set := s.Sets["onboarding"]; set.MaxAge != 180*24*time.Hour || set.Paths[0] != "ONBOARDING.md" || len(s.Sets) != 1 {
		t.Errorf("sets: %+v", s.Sets)
	}
	if s.Covers["docs/runbooks/db.md"][0] != "db/**" {
		t.Errorf("covers: %v", s.Covers)
	}
	if strings.Join(s.Duty.Rotation, ",") != "alice,@acme/platform" || s.Duty.Starts != (Date{2026, 1, 5}) || s.Duty.Every != 14*24*time.Hour {
		t.Errorf("duty: %+v", s.Duty)
	}
	def := SettingsFrom(config.Defaults().Docs)
	if def.Check != Advisory || def.WarnWithin != 14*24*time.Hour || len(def.Sets["runbooks"].Paths) != 1 {
		t.Errorf("defaults: %+v", def)
	}
}

func TestAwayForDuty(t *testing.T) {
	cal := calendar.New(calendar.Spec{People: map[string]calendar.PersonSpec{
		"monday":   {Away: []calendar.DateRange{{From: calendar.Date{Year: 2026, Month: 11, Day: 23}, To: calendar.Date{Year: 2026, Month: 11, Day: 23}}}},
		"midweek":  {Away: []calendar.DateRange{{From: calendar.Date{Year: 2026, Month: 11, Day: 25}, To: calendar.Date{Year: 2026, Month: 11, Day: 29}}}},
		"one-day":  {Away: []calendar.DateRange{{From: calendar.Date{Year: 2026, Month: 11, Day: 26}, To: calendar.Date{Year: 2026, Month: 11, Day: 26}}}},
		"lastweek": {Away: []calendar.DateRange{{From: calendar.Date{Year: 2026, Month: 11, Day: 1}, To: calendar.Date{Year: 2026, Month: 11, Day: 22}}}},
	}})
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	away := AwayForDuty(cal, map[string]bool{"busy": true}, start, 7*24*time.Hour)
	for login, want := range map[string]bool{"monday": true, "midweek": true, "one-day": false, "lastweek": false, "Busy": true, "nobody": false} {
		if got := away(login); got != want {
			t.Errorf("away(%s) = %v, want %v", login, got, want)
		}
	}
}

func TestWithLinks(t *testing.T) {
	links := []Link{{Doc: "docs/a.md", Line: 4, Target: "b.md", Reason: "no such file"}}
	green := PRDesired{Clear: true, Check: Check{Name: CheckName, Conclusion: "success", Title: "Docs are fresh", Summary: "ok"}}
	got := WithLinks(green, links, Advisory)
	if got.Check.Conclusion != "neutral" || len(got.Check.Annotations) != 1 || got.Check.Annotations[0].StartLine != 4 || !got.Clear {
		t.Errorf("advisory: %+v", got)
	}
	if !strings.HasPrefix(got.Check.Title, "1 broken link") || !strings.Contains(got.Check.Summary, "`docs/a.md` line 4: `b.md`") {
		t.Errorf("title %q summary %q", got.Check.Title, got.Check.Summary)
	}
	if req := WithLinks(green, links, Required); req.Check.Conclusion != "action_required" {
		t.Errorf("required: %q", req.Check.Conclusion)
	}
	stale := PRDesired{Check: Check{Conclusion: "neutral", Title: "1 doc covering this change is stale", Annotations: []Annotation{{Path: "x.go"}}}}
	if got := WithLinks(stale, links, Advisory); got.Check.Title != stale.Check.Title || len(got.Check.Annotations) != 2 || len(stale.Check.Annotations) != 1 {
		t.Errorf("a reminder keeps its title and gains the annotation: %+v", got.Check)
	}
	if got := WithLinks(green, nil, Advisory); got.Check.Conclusion != "success" {
		t.Errorf("no links must change nothing")
	}
}

func TestDataKeepsTheRefreshStamp(t *testing.T) {
	d := Data{Reviewed: map[string]Review{"a.md": {On: Date{2026, 11, 2}, By: "carol"}}, Head: "abc123", Slot: Date{2026, 11, 23}}
	got, err := parseData("body\n" + d.block())
	if err != nil {
		t.Fatal(err)
	}
	if got.Head != "abc123" || got.Slot != (Date{2026, 11, 23}) || got.Reviewed["a.md"].By != "carol" {
		t.Errorf("round trip: %+v", got)
	}
	if _, err := parseData(sealJSON(t, `{"slot": "monday"}`)); err == nil {
		t.Errorf("a damaged slot must be an error, not a silent reset")
	}
}
