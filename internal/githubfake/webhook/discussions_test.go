package webhook

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

func TestDiscussionBuilders(t *testing.T) {
	b := Build{InstallationID: 7, Repo: Repo{Owner: "acme", Name: "api", OwnerType: "Organization"}}
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	d := Discussion{Number: 12, DatabaseID: 345, Title: "Week 48", Body: "Ship Friday", Author: "alice", Category: "Show and tell", CreatedAt: at}

	raw, err := b.Discussion("edited", d)
	if err != nil {
		t.Fatal(err)
	}
	var ev github.DiscussionEvent
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	dd := ev.GetDiscussion()
	if dd.GetNumber() != 12 || dd.GetID() != 345 || dd.GetBody() != "Ship Friday" || dd.GetUser().GetLogin() != "alice" ||
		!dd.GetCreatedAt().Time.Equal(at) || dd.GetDiscussionCategory().GetSlug() != "show-and-tell" ||
		ev.GetRepo().GetFullName() != "acme/api" || ev.GetInstallation().GetID() != 7 || ev.GetSender().GetLogin() != "alice" {
		t.Errorf("discussion event = %s", raw)
	}
	var changes struct {
		Changes struct {
			Body *struct{ From string } `json:"body"`
		} `json:"changes"`
	}
	if json.Unmarshal(raw, &changes); changes.Changes.Body == nil {
		t.Errorf("an edited delivery should say the body changed: %s", raw)
	}

	raw, err = b.DiscussionComment("created", d, DiscussionComment{DatabaseID: 99, Body: "at 3pm?", Author: "renovate[bot]", ParentID: 98, CreatedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	var cev github.DiscussionCommentEvent
	if err := json.Unmarshal(raw, &cev); err != nil {
		t.Fatal(err)
	}
	c := cev.GetComment()
	if c.GetID() != 99 || c.GetBody() != "at 3pm?" || c.GetUser().GetType() != "Bot" || c.GetParentID() != 98 || c.GetDiscussionID() != 345 ||
		cev.GetDiscussion().GetNumber() != 12 || cev.GetAction() != "created" {
		t.Errorf("discussion_comment event = %s", raw)
	}

	if _, err := b.DiscussionComment("created", d, DiscussionComment{Author: "bob"}); err == nil {
		t.Error("a comment without an id should be refused")
	}
	if _, err := b.Discussion("created", Discussion{Title: "x"}); err == nil {
		t.Error("a discussion without number and author should be refused")
	}
}

func TestDiscussionLifecycleBuilders(t *testing.T) {
	b := Build{InstallationID: 7, Repo: Repo{Owner: "acme", Name: "team-handbook", OwnerType: "Organization"}}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	old := "Weekly update · W48"
	d := Discussion{Number: 3, DatabaseID: 5, Title: "Weekly update · 2026-W48", Author: "overlap[bot]", Category: "Weekly updates", CreatedAt: at}
	type payload struct {
		Action     string
		Changes    map[string]struct{ From string }
		Discussion struct {
			State       string
			StateReason *string `json:"state_reason"`
		}
		Comment struct {
			ParentID *int64 `json:"parent_id"`
		}
	}
	closed := d
	closed.Closed, closed.StateReason = true, "RESOLVED"
	edited := d
	edited.TitleFrom = &old
	for _, tc := range []struct {
		name, action string
		build        func() ([]byte, error)
		check        func(p payload) bool
	}{
		{"closed", "closed", func() ([]byte, error) { return b.Discussion("closed", closed) },
			func(p payload) bool {
				return p.Discussion.State == "closed" && p.Discussion.StateReason != nil && *p.Discussion.StateReason == "resolved"
			}},
		{"open", "created", func() ([]byte, error) { return b.Discussion("created", d) },
			func(p payload) bool { return p.Discussion.State == "open" && p.Discussion.StateReason == nil }},
		{"title edit", "edited", func() ([]byte, error) { return b.Discussion("edited", edited) },
			func(p payload) bool { _, body := p.Changes["body"]; return p.Changes["title"].From == old && !body }},
		{"comment edited", "edited", func() ([]byte, error) {
			return b.DiscussionComment("edited", d, DiscussionComment{DatabaseID: 9, Author: "alice", Body: "new", BodyFrom: "old"})
		}, func(p payload) bool { return p.Changes["body"].From == "old" && p.Comment.ParentID == nil }},
		{"reply deleted", "deleted", func() ([]byte, error) {
			return b.DiscussionComment("deleted", d, DiscussionComment{DatabaseID: 10, Author: "overlap[bot]", Body: "r", ParentID: 9})
		}, func(p payload) bool { return p.Comment.ParentID != nil && *p.Comment.ParentID == 9 && p.Changes == nil }},
	} {
		raw, err := tc.build()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var p payload
		if err := json.Unmarshal(raw, &p); err != nil || p.Action != tc.action || !tc.check(p) {
			t.Errorf("%s: %v %s", tc.name, err, raw)
		}
	}
	if _, err := b.Discussion("closed", d); err == nil {
		t.Error("a closed delivery for an open discussion should be refused")
	}
}
