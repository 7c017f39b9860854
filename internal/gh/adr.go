package gh

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/go-github/v60/github"
)

// The decision-record feature reads its sticky comment (it carries the skip
// state) and its check run (whether one exists decides whether a PR that
// lost its label needs anything retired) before it decides. These variants of
// UpsertComment and UpsertCheckRun take what the caller already found, so a
// decision costs one lookup of each, not two.

// UpsertFoundComment is UpsertComment with the result of FindComments for
// the same marker already in hand: it creates the comment when existing is
// empty, edits the first one only if body changed, and deletes duplicates.
func (c *Client) UpsertFoundComment(ctx context.Context, repo Repo, number int, marker, body string, existing []*github.IssueComment) (Outcome, error) {
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

// ApplyFoundCheckRun is UpsertCheckRun with the result of FindCheckRun for
// cr.Name on cr.HeadSHA already in hand (nil when there is none).
func (c *Client) ApplyFoundCheckRun(ctx context.Context, repo Repo, cr CheckRun, existing *github.CheckRun) (Outcome, error) {
	return c.applyCheckRun(ctx, repo, cr, existing)
}
