package docs

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestDecideTrackingAssignment covers who the tracking issue is assigned
// to: the duty person only when they may be notified now, otherwise the
// issue keeps its assignees and the assignment waits in the data block.
func TestDecideTrackingAssignment(t *testing.T) {
	asleep := func(l string) bool { return l != "alice" } // alice is the duty person (trackingInput)
	issue := func(assignees ...string) *Issue {
		return &Issue{Number: 3, State: "open", Title: "t", Body: "b", Assignees: assignees, Labels: []string{LabelStale}}
	}
	tests := []struct {
		name          string
		mutate        func(*TrackingInput)
		wantAssignees string
		wantPending   string
		wantInBody    []string
	}{
		{"duty person at work: assigned", func(in *TrackingInput) {
			in.Existing = issue("carol")
		}, "alice", "", []string{"**On duty this week:** alice · **next:** bob"}},
		{"duty person off hours: last week's assignee stays, alice pending", func(in *TrackingInput) {
			in.Existing = issue("carol")
			in.MayAssign = asleep
		}, "carol", "alice", []string{"**On duty this week:** alice (assigned when their working hours begin) · **next:** bob", `"pending":"alice"`}},
		{"new issue off hours: created without an assignee", func(in *TrackingInput) {
			in.MayAssign = asleep
		}, "", "alice", []string{`"pending":"alice"`}},
		{"already assigned: nothing pending even off hours", func(in *TrackingInput) {
			in.Existing = issue("alice")
			in.MayAssign = asleep
		}, "alice", "", nil},
		{"outside the weekly refresh: assignees and pending kept", func(in *TrackingInput) {
			in.Existing = issue("carol")
			in.Data.Pending = "alice"
			in.KeepAssignees = true
		}, "carol", "alice", []string{`"pending":"alice"`}},
		{"alice cannot be assigned: bob is on duty", func(in *TrackingInput) {
			in.Existing = issue("carol")
			in.NotAssignable = []string{"alice"}
		}, "bob", "", []string{"**On duty this week:** bob · **next:** carol", "**Not assignable:** alice"}},
		{"nobody can be assigned: the assignees stay", func(in *TrackingInput) {
			in.Existing = issue("zed")
			in.NotAssignable = []string{"alice", "bob", "carol"}
		}, "zed", "", []string{"**Not assignable:** alice, bob, carol"}},
		{"no rotation: people's own assignment stays", func(in *TrackingInput) {
			in.Existing = issue("zed")
			in.Settings.Duty = DutySettings{}
		}, "zed", "", nil},
		{"everything fresh: nothing pending", func(in *TrackingInput) {
			allFresh(in)
			in.Existing = issue("carol")
			in.MayAssign = asleep
		}, "carol", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := trackingInput(t)
			tt.mutate(&in)
			got := DecideTracking(in)
			if a := strings.Join(got.Assignees, ","); a != tt.wantAssignees || got.Pending != tt.wantPending {
				t.Errorf("assignees %q pending %q, want %q, %q", a, got.Pending, tt.wantAssignees, tt.wantPending)
			}
			for _, w := range tt.wantInBody {
				if !strings.Contains(got.Body, w) {
					t.Errorf("body lacks %q:\n%s", w, got.Body)
				}
			}
			back, err := ParseData(got.Body)
			if err != nil || back.Pending != tt.wantPending {
				t.Errorf("data block pending = %q (%v), want %q", back.Pending, err, tt.wantPending)
			}
			if strings.Contains(got.Comment+got.Body, "@") {
				t.Errorf("the issue @-mentions someone:\n%s\n%s", got.Body, got.Comment)
			}
		})
	}
}

func TestSalvageData(t *testing.T) {
	body := func(block string) string { return "## Docs\n\ntext\n\n<!-- overlap:docs:data " + block + " -->\n" }
	tests := []struct {
		name      string
		body      string
		wantPaths string // sorted, comma-separated
		wantHead  string
	}{
		{"one entry hand-edited to nonsense, the other kept",
			body(`{"reviewed":{"docs/a.md":{"on":"2026-11-02","by":"alice"},"docs/b.md":{"on":"last tuesday","by":"bob"}},"head":"abc"}`),
			"docs/a.md", "abc"},
		{"reviewed is not an object any more",
			body(`{"reviewed":["docs/a.md"],"head":"abc"}`), "", "abc"},
		{"broken JSON: entries still shaped like reviews survive",
			body(`{"reviewed":{"docs/a.md":{"on":"2026-11-02","by":"alice"},"docs/c.md":{"by":"carol","on":"2026-10-01"}, oops`),
			"docs/a.md,docs/c.md", ""},
		{"closing --> removed: read to the end of the line",
			"<!-- overlap:docs:data {\"reviewed\":{\"docs/a.md\":{\"on\":\"2026-11-02\",\"by\":\"alice\"}}}\nmore text\n",
			"docs/a.md", ""},
		{"garbage", body(`}}}{{{`), "", ""},
		{"no block at all", "## Docs\n", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := SalvageData(tt.body)
			var paths []string
			for _, p := range slices.Sorted(maps.Keys(d.Reviewed)) {
				if d.Reviewed[p].On.IsZero() {
					t.Errorf("kept a review of %s without a date", p)
				}
				paths = append(paths, p)
			}
			if got := strings.Join(paths, ","); got != tt.wantPaths || d.Head != tt.wantHead {
				t.Errorf("salvaged reviews %q head %q, want %q, %q", got, d.Head, tt.wantPaths, tt.wantHead)
			}
			// What is salvaged renders into a block that parses again.
			if _, err := ParseData(d.Block()); err != nil {
				t.Errorf("rebuilt block does not parse: %v\n%s", err, d.Block())
			}
		})
	}
}

func TestDamagedNote(t *testing.T) {
	cause := errors.New("docs data block: invalid character 'o'")
	for kept, want := range map[int]string{0: "none of the recorded reviews could be read", 1: "1 recorded review could still be read", 3: "3 recorded reviews could still be read"} {
		got := DamagedNote(cause, kept)
		if !strings.Contains(got, want) || !strings.Contains(got, "invalid character") || strings.Contains(got, "@") {
			t.Errorf("DamagedNote(%d) = %q", kept, got)
		}
	}
}
