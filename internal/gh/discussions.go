package gh

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shurcooL/githubv4"
)

// GitHub Discussions exist only in the GraphQL API, so this part of the
// write path goes through Options.GraphQL. It follows the rest of the
// package: the app's comment in a discussion is found by its marker (and,
// with BotLogin set, by its author), written only when it differs, and
// duplicates are removed; dry-run records the write without sending it.
// The same holds for the app's replies under a comment
// (UpsertDiscussionReplyIn) and for the discussion itself (UpdateDiscussion
// edits only what differs; CloseDiscussion closes with a reason).
//
// Reads: GetDiscussion is one query for a discussion with up to
// MaxDiscussionComments top-level comments (each with up to
// MaxDiscussionReplies replies); longer discussions page with one more
// query per MaxDiscussionComments comments.

// Page sizes of GetDiscussion. GitHub caps a query at 500,000 nodes; 100 ×
// 100 stays far below.
const (
	MaxDiscussionComments = 100
	MaxDiscussionReplies  = 100
)

// ErrNoGraphQL is returned by the discussion methods of a Client built
// without Options.GraphQL.
var ErrNoGraphQL = errors.New("gh: no GraphQL client configured (Options.GraphQL)")

// Discussion is a discussion with its comments.
type Discussion struct {
	ID        string // node ID, for mutations
	Number    int
	Title     string
	Body      string
	Author    Actor
	CreatedAt time.Time
	URL       string
	Category  string
	// Comments lists top-level comments oldest first, each followed by its
	// replies (oldest first).
	Comments []DiscussionComment
}

// DiscussionComment is a comment or a reply in a discussion.
type DiscussionComment struct {
	ID        string // node ID
	Body      string
	Author    Actor
	CreatedAt time.Time
	ReplyTo   string // node ID of the parent comment; "" for a top-level comment
}

// Actor is a GraphQL author: a login and whether it is a bot (GraphQL drops
// the "[bot]" suffix of app logins).
type Actor struct {
	Login string
	Bot   bool
}

type gqlActor struct {
	Login    string
	Typename string `graphql:"__typename"`
}

func (a *gqlActor) actor() Actor {
	if a == nil {
		return Actor{Login: "ghost"} // a deleted account
	}
	return Actor{Login: a.Login, Bot: a.Typename == "Bot"}
}

type gqlDiscussionComment struct {
	ID        string
	Body      string
	CreatedAt time.Time
	Author    *gqlActor
}

type discussionQuery struct {
	Repository struct {
		Discussion *struct {
			ID        string
			Number    int
			Title     string
			Body      string
			URL       string
			CreatedAt time.Time
			Author    *gqlActor
			Category  struct{ Name string }
			Comments  struct {
				Nodes []struct {
					gqlDiscussionComment
					Replies struct {
						Nodes []gqlDiscussionComment
					} `graphql:"replies(first: $replies)"`
				}
				PageInfo struct {
					HasNextPage bool
					EndCursor   githubv4.String
				}
			} `graphql:"comments(first: $comments, after: $after)"`
		} `graphql:"discussion(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// GetDiscussion reads discussion number with its comments and replies.
func (c *Client) GetDiscussion(ctx context.Context, repo Repo, number int) (*Discussion, error) {
	if c.opts.GraphQL == nil {
		return nil, ErrNoGraphQL
	}
	vars := map[string]any{
		"owner":    githubv4.String(repo.Owner),
		"name":     githubv4.String(repo.Name),
		"number":   githubv4.Int(number),
		"comments": githubv4.Int(MaxDiscussionComments),
		"replies":  githubv4.Int(MaxDiscussionReplies),
		"after":    (*githubv4.String)(nil),
	}
	var d *Discussion
	for {
		var q discussionQuery
		if err := c.opts.GraphQL.Query(ctx, &q, vars); err != nil {
			return nil, fmt.Errorf("read discussion %s#%d: %w", repo.FullName(), number, err)
		}
		got := q.Repository.Discussion
		if got == nil {
			return nil, fmt.Errorf("read discussion %s#%d: not found", repo.FullName(), number)
		}
		if d == nil {
			d = &Discussion{ID: got.ID, Number: got.Number, Title: got.Title, Body: got.Body, URL: got.URL,
				CreatedAt: got.CreatedAt, Author: got.Author.actor(), Category: got.Category.Name}
		}
		for _, n := range got.Comments.Nodes {
			d.Comments = append(d.Comments, n.comment(""))
			for _, r := range n.Replies.Nodes {
				d.Comments = append(d.Comments, r.comment(n.ID))
			}
		}
		if !got.Comments.PageInfo.HasNextPage {
			return d, nil
		}
		after := got.Comments.PageInfo.EndCursor
		vars["after"] = &after
	}
}

func (g gqlDiscussionComment) comment(replyTo string) DiscussionComment {
	return DiscussionComment{ID: g.ID, Body: g.Body, CreatedAt: g.CreatedAt, Author: g.Author.actor(), ReplyTo: replyTo}
}

// FindDiscussionComments returns the app's top-level comments in d that
// start with marker, oldest first.
func (c *Client) FindDiscussionComments(d *Discussion, marker string) []DiscussionComment {
	var out []DiscussionComment
	for _, cm := range d.Comments {
		if cm.ReplyTo == "" && HasMarker(cm.Body, marker) && cm.Author.Bot && c.IsOwnLogin(cm.Author.Login) {
			out = append(out, cm)
		}
	}
	return out
}

// UpsertDiscussionComment makes discussion number carry exactly one app
// comment that starts with marker and has body (one read, at most one
// write plus the removal of duplicates).
func (c *Client) UpsertDiscussionComment(ctx context.Context, repo Repo, number int, marker, body string) (Outcome, error) {
	d, err := c.GetDiscussion(ctx, repo, number)
	if err != nil {
		return "", err
	}
	return c.UpsertDiscussionCommentIn(ctx, repo, d, marker, body)
}

// UpsertDiscussionCommentIn is UpsertDiscussionComment over a discussion
// already read with GetDiscussion: it reads nothing itself.
func (c *Client) UpsertDiscussionCommentIn(ctx context.Context, repo Repo, d *Discussion, marker, body string) (Outcome, error) {
	if c.opts.GraphQL == nil {
		return "", ErrNoGraphQL
	}
	return c.upsertDiscussionComment(ctx, repo, d, "", c.FindDiscussionComments(d, marker), marker, body)
}

// FindDiscussionReplies returns the app's replies in d under the top-level
// comment parentID that start with marker, oldest first. GetDiscussion
// reads up to MaxDiscussionReplies replies per comment.
func (c *Client) FindDiscussionReplies(d *Discussion, parentID, marker string) []DiscussionComment {
	var out []DiscussionComment
	for _, cm := range d.Comments {
		if parentID != "" && cm.ReplyTo == parentID && HasMarker(cm.Body, marker) && cm.Author.Bot && c.IsOwnLogin(cm.Author.Login) {
			out = append(out, cm)
		}
	}
	return out
}

// UpsertDiscussionReplyIn makes the top-level comment parentID of d (read
// with GetDiscussion) carry exactly one app reply that starts with marker
// and has body: at most one write plus the removal of duplicates, none when
// it is already there. GitHub threads one level deep, so parentID must be a
// top-level comment.
func (c *Client) UpsertDiscussionReplyIn(ctx context.Context, repo Repo, d *Discussion, parentID, marker, body string) (Outcome, error) {
	if c.opts.GraphQL == nil {
		return "", ErrNoGraphQL
	}
	if parentID == "" {
		return "", fmt.Errorf("reply on %s discussion #%d: no parent comment", repo.FullName(), d.Number)
	}
	return c.upsertDiscussionComment(ctx, repo, d, parentID, c.FindDiscussionReplies(d, parentID, marker), marker, body)
}

// upsertDiscussionComment writes the comment (parentID "") or reply that
// existing, the app's matching comments, should be.
func (c *Client) upsertDiscussionComment(ctx context.Context, repo Repo, d *Discussion, parentID string, existing []DiscussionComment, marker, body string) (Outcome, error) {
	full := marker + "\n" + Truncate(body, MaxCommentChars)
	target := "discussion #" + strconv.Itoa(d.Number)
	if parentID != "" {
		target += " reply to " + parentID
	}
	outcome := Unchanged
	if len(existing) == 0 {
		outcome = Created
		if c.record(ctx, Write{Action: "discussion_comment.create", Repo: repo.FullName(), Target: target, Summary: firstLine(body)}) {
			var m struct {
				AddDiscussionComment struct {
					Comment struct{ ID string }
				} `graphql:"addDiscussionComment(input: $input)"`
			}
			in := githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID(d.ID), Body: githubv4.String(full)}
			if parentID != "" {
				in.ReplyToID = githubv4.NewID(githubv4.ID(parentID))
			}
			if err := c.opts.GraphQL.Mutate(ctx, &m, in, nil); err != nil {
				return "", fmt.Errorf("comment on %s %s: %w", repo.FullName(), target, err)
			}
		}
	} else if keep := existing[0]; keep.Body != full {
		outcome = Updated
		if c.record(ctx, Write{Action: "discussion_comment.update", Repo: repo.FullName(), Target: target, Summary: firstLine(body)}) {
			var m struct {
				UpdateDiscussionComment struct {
					Comment struct{ ID string }
				} `graphql:"updateDiscussionComment(input: $input)"`
			}
			in := githubv4.UpdateDiscussionCommentInput{CommentID: githubv4.ID(keep.ID), Body: githubv4.String(full)}
			if err := c.opts.GraphQL.Mutate(ctx, &m, in, nil); err != nil {
				return "", fmt.Errorf("edit comment %s on %s %s: %w", keep.ID, repo.FullName(), target, err)
			}
		}
	}
	if len(existing) > 1 {
		if err := c.deleteDiscussionComments(ctx, repo, target, existing[1:]); err != nil {
			return "", err
		}
	}
	return outcome, nil
}

// DeleteDiscussionCommentIn removes every app comment in d that starts with
// marker.
func (c *Client) DeleteDiscussionCommentIn(ctx context.Context, repo Repo, d *Discussion, marker string) (Outcome, error) {
	if c.opts.GraphQL == nil {
		return "", ErrNoGraphQL
	}
	existing := c.FindDiscussionComments(d, marker)
	if len(existing) == 0 {
		return Absent, nil
	}
	return Deleted, c.deleteDiscussionComments(ctx, repo, "discussion #"+strconv.Itoa(d.Number), existing)
}

func (c *Client) deleteDiscussionComments(ctx context.Context, repo Repo, target string, cms []DiscussionComment) error {
	for _, cm := range cms {
		if !c.record(ctx, Write{Action: "discussion_comment.delete", Repo: repo.FullName(), Target: target, Summary: "comment " + cm.ID}) {
			continue
		}
		var m struct {
			DeleteDiscussionComment struct {
				Comment struct{ ID string }
			} `graphql:"deleteDiscussionComment(input: $input)"`
		}
		if err := c.opts.GraphQL.Mutate(ctx, &m, githubv4.DeleteDiscussionCommentInput{ID: githubv4.ID(cm.ID)}, nil); err != nil {
			return fmt.Errorf("delete comment %s on %s %s: %w", cm.ID, repo.FullName(), target, err)
		}
	}
	return nil
}

// DiscussionCategory is a category discussions are filed under.
type DiscussionCategory struct {
	ID   string // node ID, for CreateDiscussion
	Name string
	Slug string
}

// DiscussionCategories lists the repository's discussion categories, or
// with assignableOnly only those the app can post in
// (filterByAssignable: GitHub leaves out, for example, announcement-style
// categories only maintainers may post in). GitHub allows at most 25
// categories per repository, so this is one query; it pages all the same.
func (c *Client) DiscussionCategories(ctx context.Context, repo Repo, assignableOnly bool) ([]DiscussionCategory, error) {
	if c.opts.GraphQL == nil {
		return nil, ErrNoGraphQL
	}
	var q struct {
		Repository struct {
			DiscussionCategories struct {
				Nodes    []DiscussionCategory
				PageInfo struct {
					HasNextPage bool
					EndCursor   githubv4.String
				}
			} `graphql:"discussionCategories(first: $first, after: $after, filterByAssignable: $assignable)"`
		} `graphql:"repository(owner: $owner, name: $name)"`
	}
	vars := map[string]any{"owner": githubv4.String(repo.Owner), "name": githubv4.String(repo.Name),
		"first": githubv4.Int(100), "after": (*githubv4.String)(nil), "assignable": githubv4.Boolean(assignableOnly)}
	var out []DiscussionCategory
	for {
		if err := c.opts.GraphQL.Query(ctx, &q, vars); err != nil {
			return nil, fmt.Errorf("list discussion categories of %s (assignable only: %t): %w", repo.FullName(), assignableOnly, err)
		}
		out = append(out, q.Repository.DiscussionCategories.Nodes...)
		if !q.Repository.DiscussionCategories.PageInfo.HasNextPage {
			return out, nil
		}
		after := q.Repository.DiscussionCategories.PageInfo.EndCursor
		vars["after"] = &after
	}
}

// CreateDiscussion opens a discussion titled title in the category named
// category (its name or slug) and returns it (without comments). One query
// reads the repository's node ID and categories, one mutation creates it.
// Finding an existing discussion first (by marker) is the caller's job;
// in dry-run mode the returned Discussion has no ID or number.
func (c *Client) CreateDiscussion(ctx context.Context, repo Repo, category, title, body string) (*Discussion, error) {
	if c.opts.GraphQL == nil {
		return nil, ErrNoGraphQL
	}
	var q struct {
		Repository struct {
			ID                   string
			DiscussionCategories struct {
				Nodes []DiscussionCategory
			} `graphql:"discussionCategories(first: 100)"`
		} `graphql:"repository(owner: $owner, name: $name)"`
	}
	vars := map[string]any{"owner": githubv4.String(repo.Owner), "name": githubv4.String(repo.Name)}
	if err := c.opts.GraphQL.Query(ctx, &q, vars); err != nil {
		return nil, fmt.Errorf("read discussion categories of %s: %w", repo.FullName(), err)
	}
	var cat *DiscussionCategory
	var names []string
	for i, x := range q.Repository.DiscussionCategories.Nodes {
		names = append(names, x.Name)
		if strings.EqualFold(x.Name, category) || strings.EqualFold(x.Slug, category) {
			cat = &q.Repository.DiscussionCategories.Nodes[i]
		}
	}
	if cat == nil {
		return nil, fmt.Errorf("create discussion in %s: no category %q (it has: %s)", repo.FullName(), category, strings.Join(names, ", "))
	}
	full := Truncate(body, MaxCommentChars)
	d := &Discussion{Title: title, Body: full, Category: cat.Name}
	if !c.record(ctx, Write{Action: "discussion.create", Repo: repo.FullName(), Target: cat.Name, Summary: title}) {
		return d, nil
	}
	var m struct {
		CreateDiscussion struct {
			Discussion struct {
				ID        string
				Number    int
				URL       string
				CreatedAt time.Time
				Author    *gqlActor
			}
		} `graphql:"createDiscussion(input: $input)"`
	}
	in := githubv4.CreateDiscussionInput{RepositoryID: githubv4.ID(q.Repository.ID), CategoryID: githubv4.ID(cat.ID),
		Title: githubv4.String(title), Body: githubv4.String(full)}
	if err := c.opts.GraphQL.Mutate(ctx, &m, in, nil); err != nil {
		return nil, fmt.Errorf("create discussion %q in %s: %w", title, repo.FullName(), err)
	}
	got := m.CreateDiscussion.Discussion
	d.ID, d.Number, d.URL, d.CreatedAt, d.Author = got.ID, got.Number, got.URL, got.CreatedAt, got.Author.actor()
	return d, nil
}

// UpdateDiscussion makes discussion d (read with GetDiscussion or returned
// by CreateDiscussion) have title and body, editing it only when one of
// them differs and sending only what changed: Unchanged makes no write. An
// empty title keeps the current one. On a sent edit d is updated in place.
// GitHub lets the app edit only the discussions it created.
func (c *Client) UpdateDiscussion(ctx context.Context, repo Repo, d *Discussion, title, body string) (Outcome, error) {
	if c.opts.GraphQL == nil {
		return "", ErrNoGraphQL
	}
	full := Truncate(body, MaxCommentChars)
	in := githubv4.UpdateDiscussionInput{DiscussionID: githubv4.ID(d.ID)}
	var changed []string
	if title != "" && title != d.Title {
		in.Title = githubv4.NewString(githubv4.String(title))
		changed = append(changed, "title")
	}
	if full != d.Body {
		in.Body = githubv4.NewString(githubv4.String(full))
		changed = append(changed, "body")
	}
	if len(changed) == 0 {
		return Unchanged, nil
	}
	target := "discussion #" + strconv.Itoa(d.Number)
	summary := strings.Join(changed, " and ") + ": " + firstLine(defaultString(title, d.Title))
	if !c.record(ctx, Write{Action: "discussion.update", Repo: repo.FullName(), Target: target, Summary: summary}) {
		return Updated, nil
	}
	var m struct {
		UpdateDiscussion struct {
			Discussion struct{ ID string }
		} `graphql:"updateDiscussion(input: $input)"`
	}
	if err := c.opts.GraphQL.Mutate(ctx, &m, in, nil); err != nil {
		return "", fmt.Errorf("edit %s of %s %s: %w", strings.Join(changed, " and "), repo.FullName(), target, err)
	}
	if in.Title != nil {
		d.Title = title
	}
	d.Body = full
	return Updated, nil
}

func defaultString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Reasons for CloseDiscussion.
const (
	CloseResolved  = "RESOLVED"
	CloseOutdated  = "OUTDATED"
	CloseDuplicate = "DUPLICATE"
)

// CloseDiscussion closes the discussion with node ID discussionID for
// reason: CloseResolved, CloseOutdated or CloseDuplicate ("" is
// CloseResolved). One mutation; closing a closed discussion only sets the
// reason.
func (c *Client) CloseDiscussion(ctx context.Context, repo Repo, discussionID, reason string) error {
	if c.opts.GraphQL == nil {
		return ErrNoGraphQL
	}
	reason = strings.ToUpper(defaultString(reason, CloseResolved))
	switch reason {
	case CloseResolved, CloseOutdated, CloseDuplicate:
	default:
		return fmt.Errorf("close discussion %s in %s: reason %q is not RESOLVED, OUTDATED or DUPLICATE", discussionID, repo.FullName(), reason)
	}
	target := "discussion " + discussionID
	if !c.record(ctx, Write{Action: "discussion.close", Repo: repo.FullName(), Target: target, Summary: strings.ToLower(reason)}) {
		return nil
	}
	var m struct {
		CloseDiscussion struct {
			Discussion struct{ ID string }
		} `graphql:"closeDiscussion(input: $input)"`
	}
	r := githubv4.DiscussionCloseReason(reason)
	in := githubv4.CloseDiscussionInput{DiscussionID: githubv4.ID(discussionID), Reason: &r}
	if err := c.opts.GraphQL.Mutate(ctx, &m, in, nil); err != nil {
		return fmt.Errorf("close %s in %s as %s: %w", target, repo.FullName(), reason, err)
	}
	return nil
}
