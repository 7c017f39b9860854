package webhook

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Discussion is the state of a discussion as the emulator knows it.
type Discussion struct {
	Number     int
	DatabaseID int64  // "id" (0: StableID)
	NodeID     string // "node_id" ("": derived from the id)
	Title      string
	Body       string
	Author     string
	Category   string // category name ("": General)
	CreatedAt  time.Time
	UpdatedAt  time.Time // zero: CreatedAt
	Comments   int
	// StateReason is "" while open (never closed), else GraphQL's
	// DiscussionStateReason (RESOLVED, OUTDATED, DUPLICATE; REOPENED after
	// a reopen). A closed discussion says state "closed" and state_reason
	// in lower case, as GitHub's webhook does.
	StateReason string
	Closed      bool
	// TitleFrom and BodyFrom are the old values an edited delivery reports
	// in changes (a nil pointer leaves that key out; with both nil the
	// delivery says the body changed from "").
	TitleFrom, BodyFrom *string
}

// DiscussionComment is one comment (or reply) of a discussion.
type DiscussionComment struct {
	DatabaseID int64  // "id"; required
	NodeID     string // "": derived from the id
	Body       string
	Author     string
	ParentID   int64 // the parent comment's id for a reply, else 0
	CreatedAt  time.Time
	UpdatedAt  time.Time // zero: CreatedAt
	BodyFrom   string    // the old body, for an edited delivery's changes
}

func (d Discussion) check(event, action string) error {
	if d.Number <= 0 || d.Author == "" || d.Title == "" {
		return fmt.Errorf("build %s %s: need a positive number (%d), an author (%q) and a title (%q)", event, action, d.Number, d.Author, d.Title)
	}
	return nil
}

func iso(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func orTime(t, def time.Time) time.Time {
	if t.IsZero() {
		return def
	}
	return t
}

// patchDiscussion rewrites the example's discussion object.
func (b Build) patchDiscussion(m map[string]any, d Discussion) {
	full, n := b.Repo.FullName(), strconv.Itoa(d.Number)
	id := d.DatabaseID
	if id == 0 {
		id = StableID("discussion", full, n)
	}
	node := d.NodeID
	if node == "" {
		node = NodeID("D", id)
	}
	cat := d.Category
	if cat == "" {
		cat = "General"
	}
	m["id"] = id
	m["node_id"] = node
	m["number"] = d.Number
	m["title"] = d.Title
	m["body"] = d.Body
	m["user"] = patchUser(getMap(m, "user"), d.Author, "")
	m["html_url"] = webURL + "/" + full + "/discussions/" + n
	m["repository_url"] = apiURL + "/repos/" + full
	m["state"] = "open"
	m["state_reason"] = nil
	if d.Closed {
		m["state"] = "closed"
	}
	if d.StateReason != "" {
		m["state_reason"] = strings.ToLower(d.StateReason)
	}
	m["comments"] = d.Comments
	m["created_at"] = iso(d.CreatedAt)
	m["updated_at"] = iso(orTime(d.UpdatedAt, d.CreatedAt))
	c := getMap(m, "category")
	c["name"] = cat
	c["slug"] = strings.ToLower(strings.ReplaceAll(cat, " ", "-"))
	c["id"] = StableID("category", full, cat)
	c["node_id"] = NodeID("DIC", c["id"].(int64))
	c["repository_id"] = b.Repo.id()
}

// Discussion builds a discussion delivery (created, edited, ...). An edited
// delivery says the body changed (changes.body.from is ""); patch changes
// with Set to describe another edit.
func (b Build) Discussion(action string, d Discussion, extra ...func(map[string]any)) ([]byte, error) {
	if err := d.check("discussion", action); err != nil {
		return nil, err
	}
	p, err := b.start("discussion", action, "created", d.Author)
	if err != nil {
		return nil, err
	}
	b.patchDiscussion(getMap(p, "discussion"), d)
	if action == "closed" && !d.Closed {
		return nil, fmt.Errorf("build discussion closed: the discussion is not closed (set Closed and StateReason)")
	}
	if action == "edited" {
		ch := map[string]any{}
		if d.TitleFrom != nil {
			ch["title"] = map[string]any{"from": *d.TitleFrom}
		}
		if d.BodyFrom != nil || d.TitleFrom == nil {
			from := ""
			if d.BodyFrom != nil {
				from = *d.BodyFrom
			}
			ch["body"] = map[string]any{"from": from}
		}
		p["changes"] = ch
	} else {
		delete(p, "changes")
	}
	return finish(p, extra)
}

// DiscussionComment builds a discussion_comment delivery (created, edited,
// deleted) for comment c of discussion d. An edited delivery says the body
// changed (changes.body.from is "").
func (b Build) DiscussionComment(action string, d Discussion, c DiscussionComment, extra ...func(map[string]any)) ([]byte, error) {
	if err := d.check("discussion_comment", action); err != nil {
		return nil, err
	}
	if c.DatabaseID <= 0 || c.Author == "" {
		return nil, fmt.Errorf("build discussion_comment %s: need a positive comment id (%d) and an author (%q)", action, c.DatabaseID, c.Author)
	}
	p, err := b.start("discussion_comment", action, "created", c.Author)
	if err != nil {
		return nil, err
	}
	disc := getMap(p, "discussion")
	b.patchDiscussion(disc, d)
	cm := getMap(p, "comment")
	id := strconv.FormatInt(c.DatabaseID, 10)
	node := c.NodeID
	if node == "" {
		node = NodeID("DC", c.DatabaseID)
	}
	cm["id"] = c.DatabaseID
	cm["node_id"] = node
	cm["body"] = c.Body
	cm["user"] = patchUser(getMap(cm, "user"), c.Author, "")
	cm["html_url"] = disc["html_url"].(string) + "#discussioncomment-" + id
	cm["repository_url"] = b.Repo.FullName()
	cm["discussion_id"] = disc["id"]
	cm["parent_id"] = nil
	if c.ParentID != 0 {
		cm["parent_id"] = c.ParentID
	}
	cm["created_at"] = iso(c.CreatedAt)
	cm["updated_at"] = iso(orTime(c.UpdatedAt, c.CreatedAt))
	if action == "edited" {
		p["changes"] = map[string]any{"body": map[string]any{"from": c.BodyFrom}}
	} else {
		delete(p, "changes")
	}
	return finish(p, extra)
}
