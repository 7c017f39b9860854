package docs

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestMergeData(t *testing.T) {
	r := func(y, m, d int, by string) Review { return Review{On: Date{y, time.Month(m), d}, By: by} }
	tests := []struct {
		name         string
		ours, theirs Data
		want         Data
	}{
		{
			name:   "a review recorded meanwhile is kept",
			ours:   Data{Head: "new", Slot: Date{2026, 11, 30}, Reviewed: map[string]Review{"a.md": r(2026, 9, 1, "bob")}},
			theirs: Data{Head: "old", Slot: Date{2026, 11, 23}, Reviewed: map[string]Review{"a.md": r(2026, 9, 1, "bob"), "b.md": r(2026, 11, 30, "carol")}},
			want:   Data{Head: "new", Slot: Date{2026, 11, 30}, Reviewed: map[string]Review{"a.md": r(2026, 9, 1, "bob"), "b.md": r(2026, 11, 30, "carol")}},
		},
		{
			name:   "latest date wins per path, ours on a tie",
			ours:   Data{Reviewed: map[string]Review{"a.md": r(2026, 11, 2, "bob"), "b.md": r(2026, 11, 1, "bob"), "c.md": r(2026, 11, 5, "bob")}},
			theirs: Data{Reviewed: map[string]Review{"a.md": r(2026, 10, 1, "carol"), "b.md": r(2026, 11, 3, "carol"), "c.md": r(2026, 11, 5, "carol")}},
			want:   Data{Reviewed: map[string]Review{"a.md": r(2026, 11, 2, "bob"), "b.md": r(2026, 11, 3, "carol"), "c.md": r(2026, 11, 5, "bob")}},
		},
		{
			name:   "a full refresh made elsewhere is not repeated; our pending stays",
			ours:   Data{Head: "h1", Slot: Date{2026, 11, 23}, Pending: "erin"},
			theirs: Data{Head: "h2", Slot: Date{2026, 11, 30}, Pending: "dave"},
			want:   Data{Head: "h1", Slot: Date{2026, 11, 30}, Pending: "erin", Reviewed: map[string]Review{}},
		},
		{
			name: "nothing on their side",
			ours: Data{Head: "h", Reviewed: map[string]Review{"a.md": r(2026, 11, 2, "bob")}},
			want: Data{Head: "h", Reviewed: map[string]Review{"a.md": r(2026, 11, 2, "bob")}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := MergeData(tt.ours, tt.theirs)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("MergeData =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestMergeDataKeepsUnknownKeysAndDoesNotAlias(t *testing.T) {
	ours, err := parseData(sealJSON(t, `{"future":1,"reviewed":{"a.md":{"on":"2026-11-02","by":"bob"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := parseData(sealJSON(t, `{"future":2,"later":"x","reviewed":{"b.md":{"on":"2026-11-03","by":"carol"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := MergeData(ours, theirs)
	block := blockJSON(t, got.block())
	for _, want := range []string{`"future":1`, `"later":"x"`, `"a.md":{"on":"2026-11-02","by":"bob"}`, `"b.md":{"on":"2026-11-03","by":"carol"}`} {
		if !strings.Contains(block, want) {
			t.Errorf("merged block lacks %s: %s", want, block)
		}
	}
	if _, ok := ours.Reviewed["b.md"]; ok {
		t.Errorf("MergeData changed its input")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(block), &raw); err != nil {
		t.Errorf("merged block is not JSON: %v", err)
	}
}
