package adr

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestLinkCandidates(t *testing.T) {
	tests := []struct {
		name, body string
		want       []LinkedRef
	}{
		{"repo-relative path", "See docs/adr/0003-use-kafka.md for why.",
			[]LinkedRef{{Owner: "acme", Repo: "shop", Path: "docs/adr/0003-use-kafka.md"}}},
		{"markdown link with ./", "Decided in [ADR 3](./docs/adr/0003-use-kafka.md).",
			[]LinkedRef{{Owner: "acme", Repo: "shop", Path: "docs/adr/0003-use-kafka.md"}}},
		{"owner/repo:path", "Covered by acme/platform:docs/adr/0010-queues.md",
			[]LinkedRef{{Owner: "acme", Repo: "platform", Path: "docs/adr/0010-queues.md"}}},
		{"owner/repo/path", "Covered by acme/platform/docs/adr/0010-queues.md,",
			[]LinkedRef{{Owner: "acme", Repo: "platform", Path: "docs/adr/0010-queues.md"}}},
		{"blob URL with a slashed branch and a line anchor", "<https://github.com/acme/shop/blob/release/v2/docs/adr/0003-use-kafka.md#L5>",
			[]LinkedRef{{Owner: "acme", Repo: "shop", Path: "docs/adr/0003-use-kafka.md", Ref: "release/v2"}}},
		{"escaped blob URL", "https://github.com/acme/shop/blob/main/docs/adr/0004-caf%C3%A9.md",
			[]LinkedRef{{Owner: "acme", Repo: "shop", Path: "docs/adr/0004-café.md", Ref: "main"}}},
		{"duplicates collapse", "docs/adr/0003-a.md and again docs/adr/0003-a.md",
			[]LinkedRef{{Owner: "acme", Repo: "shop", Path: "docs/adr/0003-a.md"}}},
		{"outside the directory", "docs/runbooks/db.md and docs/adr-old/0001-x.md", nil},
		{"not markdown", "docs/adr/diagram.png", nil},
		{"path traversal", "docs/adr/../../secrets.md", nil},
		{"blob URL of another directory", "https://github.com/acme/shop/blob/main/src/docs/adr.md", nil},
		{"tree URL", "https://github.com/acme/shop/tree/main/docs/adr/0003-a.md", nil},
		{"garbage", "::: /// https://", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LinkCandidates(tt.body, "acme", "shop", "docs/adr/")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LinkCandidates = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLinkCandidatesCapped(t *testing.T) {
	var b strings.Builder
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "docs/adr/%04d-x.md\n", i)
	}
	if got := LinkCandidates(b.String(), "acme", "shop", "docs/adr"); len(got) != MaxLinkCandidates {
		t.Errorf("got %d candidates, want the cap %d", len(got), MaxLinkCandidates)
	}
}
