package gh

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/go-github/v60/github"
)

// A feature that reads a whole conversation (every comment of an issue or
// PR) and keeps one sticky comment in it needs the comment list twice: to
// read what people wrote and to find its own comment. ListComments reads it
// once; UpsertCommentIn and DeleteCommentIn reconcile against that list, so
// an event costs one list plus at most one write.

// ListComments lists every comment on issue or PR number, oldest first
// (100 a page).
func (c *Client) ListComments(ctx context.Context, repo Repo, number int) ([]*github.IssueComment, error) {
	var all []*github.IssueComment
	opt := &github.IssueListCommentsOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := c.rest.Issues.ListComments(ctx, repo.Owner, repo.Name, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list comments on %s#%d: %w", repo.FullName(), number, err)
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			return all, nil
		}
		opt.Page = resp.NextPage
	}
}

// IsOwn reports whether cm is the app's comment starting with marker.
func (c *Client) IsOwn(cm *github.IssueComment, marker string) bool {
	return HasMarker(cm.GetBody(), marker) && c.mine(cm.GetUser())
}

func (c *Client) own(all []*github.IssueComment, marker string) []*github.IssueComment {
	var found []*github.IssueComment
	for _, cm := range all {
		if c.IsOwn(cm, marker) {
			found = append(found, cm)
		}
	}
	return found
}

// UpsertCommentIn is UpsertComment over all, the comments of number as
// ListComments returned them: it reads nothing itself.
func (c *Client) UpsertCommentIn(ctx context.Context, repo Repo, number int, all []*github.IssueComment, marker, body string) (Outcome, error) {
	existing := c.own(all, marker)
	full := marker + "\n" + Truncate(body, MaxCommentChars)
	target := "#" + strconv.Itoa(number)
	outcome := Unchanged
	if len(existing) == 0 {
		outcome = Created
		if c.record(ctx, Write{Action: "comment.create", Repo: repo.FullName(), Target: target, Summary: firstLine(body)}) {
			if _, _, err := c.rest.Issues.CreateComment(ctx, repo.Owner, repo.Name, number, &github.IssueComment{Body: &full}); err != nil {
				return "", fmt.Errorf("create comment on %s%s: %w", repo.FullName(), target, err)
			}
		}
	} else if keep := existing[0]; keep.GetBody() != full {
		outcome = Updated
		if c.record(ctx, Write{Action: "comment.update", Repo: repo.FullName(), Target: target, Summary: firstLine(body)}) {
			if _, _, err := c.rest.Issues.EditComment(ctx, repo.Owner, repo.Name, keep.GetID(), &github.IssueComment{Body: &full}); err != nil {
				return "", fmt.Errorf("edit comment %d on %s%s: %w", keep.GetID(), repo.FullName(), target, err)
			}
		}
	}
	if len(existing) > 1 {
		if err := c.deleteComments(ctx, repo, target, existing[1:]); err != nil {
			return "", err
		}
	}
	return outcome, nil
}

// DeleteCommentIn is DeleteComment over all, the comments of number as
// ListComments returned them.
func (c *Client) DeleteCommentIn(ctx context.Context, repo Repo, number int, all []*github.IssueComment, marker string) (Outcome, error) {
	existing := c.own(all, marker)
	if len(existing) == 0 {
		return Absent, nil
	}
	return Deleted, c.deleteComments(ctx, repo, "#"+strconv.Itoa(number), existing)
}
