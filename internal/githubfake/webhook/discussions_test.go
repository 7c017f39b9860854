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
