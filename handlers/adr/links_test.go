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

func TestPlanAndJudgeLinks(t *testing.T) {
	pr := PR{Owner: "acme", Repo: "shop"}
	s := DefaultSettings()
	s.LinkedRepositories = []string{"acme/architecture/decisions"}
	complete := "# 3. Use Kafka\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n"
	hello := "hello"
	outside := "links outside this repository's `docs/adr/` directory (and those of the repositories in the policy's adr.linked_repositories) do not count"
	allowedNo := "not counted: Overlap did not find a complete decision record there on that repository's default branch"
	for _, tc := range []struct {
		name, body string
		listed     bool
		text       *string
		wantScope  int
		wantOK     bool
		wantWhy    string
	}{
		{"own complete", "docs/adr/0003-use-kafka.md", true, &complete, linkOwn, true, ""},
		{"own not listed", "docs/adr/0003-use-kafka.md", false, nil, linkOwn, false, "there is no such record in `docs/adr/` on the base branch"},
		{"own not a record", "docs/adr/0003-use-kafka.md", true, &hello, linkOwn, false, "the record is incomplete: line 1: The record has no title: start it with a level-1 heading, e.g. \"# 0003. Title\"; line 1: Required section \"Context\" is missing: add a \"## Context\" heading with its text; line 1: Required section \"Decision\" is missing: add a \"## Decision\" heading with its text; …"},
		{"another repository", "acme/scratch:docs/adr/0001-anything.md", false, &complete, linkOutside, false, outside},
		{"an allowed repository outside its directory", "acme/architecture:docs/adr/0001-x.md", false, &complete, linkOutside, false, outside},
		{"an allowed repository, complete", "acme/architecture:decisions/0003-use-kafka.md", false, &complete, linkAllowed, true, ""},
		{"an allowed repository, not a record", "acme/architecture:decisions/0003-use-kafka.md", false, &hello, linkAllowed, false, allowedNo},
		{"an allowed repository, unreadable", "acme/architecture:decisions/0003-use-kafka.md", false, nil, linkAllowed, false, allowedNo},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := PlanLinks(tc.body, pr, s)
			if len(plan) != 1 || plan[0].Scope != tc.wantScope {
				t.Fatalf("PlanLinks = %+v, want one link of scope %d", plan, tc.wantScope)
			}
			ok, why := JudgeLink(plan[0], tc.listed, tc.text, s)
			if ok != tc.wantOK || why != tc.wantWhy {
				t.Errorf("JudgeLink = %v, %q; want %v, %q", ok, why, tc.wantOK, tc.wantWhy)
			}
		})
	}
}
