package docs

import (
	"strings"
	"testing"
)

// A truncated tree is partial: the body says so, and the absence of the
// onboarding guide from it proves nothing.
func TestDecideTrackingOnATruncatedTree(t *testing.T) {
	tests := []struct {
		name        string
		truncated   bool
		wantNotice  bool
		wantMissing bool
		wantAction  TrackingAction
	}{
		{"full tree: missing guide reported", false, false, true, ActionCreate},
		{"truncated tree: notice, guide not judged, nothing else to say", true, true, false, ActionNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := trackingInput(t)
			allFresh(&in)
			in.Tree = []string{"README.md", "docs/runbooks/db.md"}
			in.Truncated = tt.truncated
			got := DecideTracking(in)
			if has := strings.Contains(got.Body, "too large for GitHub to list in full"); has != tt.wantNotice {
				t.Errorf("notice shown = %v, want %v:\n%s", has, tt.wantNotice, got.Body)
			}
			if has := strings.Contains(got.Body, "No onboarding guide"); has != tt.wantMissing {
				t.Errorf("missing guide reported = %v, want %v:\n%s", has, tt.wantMissing, got.Body)
			}
			if got.Action != tt.wantAction {
				t.Errorf("action = %s, want %s", got.Action, tt.wantAction)
			}
		})
	}
}

func TestBrokenLinksSkipsATruncatedTree(t *testing.T) {
	snap := snapshot{
		Tree:     []string{"docs/a.md"},
		Docs:     []Doc{{Path: "docs/a.md"}},
		Contents: map[string]string{"docs/a.md": "See [pay](../services/pay/README.md).\n"},
	}
	if got := brokenLinks(snap, nil); len(got) != 1 {
		t.Fatalf("full tree: %d broken links, want 1 (the file is not in the tree)", len(got))
	}
	snap.Truncated = true
	if got := brokenLinks(snap, nil); len(got) != 0 {
		t.Errorf("truncated tree: links reported broken: %+v", got)
	}
}
