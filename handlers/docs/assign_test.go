package docs

import (
	"errors"
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
		}, "carol", "alice", []string{"**On duty this week:** alice (assigned when their working hours begin) · **next:** bob"}},
		{"new issue off hours: created without an assignee", func(in *TrackingInput) {
			in.MayAssign = asleep
		}, "", "alice", nil},
		{"already assigned: nothing pending even off hours", func(in *TrackingInput) {
			in.Existing = issue("alice")
			in.MayAssign = asleep
		}, "alice", "", nil},
		{"outside the weekly refresh: assignees and pending kept", func(in *TrackingInput) {
			in.Existing = issue("carol")
			in.Data.Pending = "alice"
			in.KeepAssignees = true
		}, "carol", "alice", nil},
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
			back, err := parseData(got.Body)
			if err != nil || back.Pending != tt.wantPending {
				t.Errorf("data block pending = %q (%v), want %q", back.Pending, err, tt.wantPending)
			}
			if strings.Contains(got.Comment+got.Body, "@") {
				t.Errorf("the issue @-mentions someone:\n%s\n%s", got.Body, got.Comment)
			}
		})
	}
}

func TestDamagedNote(t *testing.T) {
	got := DamagedNote(errors.New("docs data block: state block does not verify"))
	if !strings.Contains(got, "does not verify") || !strings.Contains(got, "/reviewed") || strings.Contains(got, "@") {
		t.Errorf("DamagedNote = %q", got)
	}
}
