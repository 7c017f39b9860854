package gh

import (
	"context"
	"fmt"
	"strconv"

	"github.com/google/go-github/v60/github"
)

// MaxCommentChars keeps bodies under GitHub's 65,536-character limit with
// room for the marker and a truncation note.
const MaxCommentChars = 60000

// ListComments lists every comment on issue or PR number, oldest first
// (100 a page). A feature that reads the whole conversation and keeps a
// sticky comment in it lists once and passes the list to UpsertCommentIn
// or DeleteCommentIn.
//
// The list is remembered for the Client's life (one event or one sweep of
// a repository) until the app writes a comment there, so several features
// looking at the same conversation pay for one listing.
func (c *Client) ListComments(ctx context.Context, repo Repo, number int) ([]*github.IssueComment, error) {
	key := repo.FullName() + "#" + strconv.Itoa(number)
	c.mu.Lock()
	cached, ok := c.comments[key]
	c.mu.Unlock()
	if ok {
		return cached, nil
	}
	all, err := c.listComments(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.comments == nil {
		c.comments = map[string][]*github.IssueComment{}
	}
	c.comments[key] = all
	c.mu.Unlock()
	return all, nil
}

// SeedComments remembers all as the complete listing of number, oldest
// first, as ListComments would return it (the per-event snapshot read it
// with the pull request, in one GraphQL request): the features' lookups
// are then served without a call. A listing already remembered is kept.
// Bots' logins must carry their "[bot]" suffix and users their Type, as
// in REST, so that IsOwn and bot checks see what a listing would show.
func (c *Client) SeedComments(repo Repo, number int, all []*github.IssueComment) {
	key := repo.FullName() + "#" + strconv.Itoa(number)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.comments[key]; ok {
		return
	}
	if c.comments == nil {
		c.comments = map[string][]*github.IssueComment{}
	}
	c.comments[key] = all
}

// noteComments keeps a remembered listing of number true after the app
// wrote there: change gets the list and returns it as it now is.
func (c *Client) noteComments(repo Repo, number int, change func([]*github.IssueComment) []*github.IssueComment) {
	key := repo.FullName() + "#" + strconv.Itoa(number)
	c.mu.Lock()
	if list, ok := c.comments[key]; ok {
		c.comments[key] = change(list)
	}
	c.mu.Unlock()
}

// forgetComments drops the remembered listing of number.
func (c *Client) forgetComments(repo Repo, number int) {
	c.mu.Lock()
	delete(c.comments, repo.FullName()+"#"+strconv.Itoa(number))
	c.mu.Unlock()
}

func (c *Client) listComments(ctx context.Context, repo Repo, number int) ([]*github.IssueComment, error) {
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

// own keeps the app's comments that start with marker.
func (c *Client) own(all []*github.IssueComment, marker string) []*github.IssueComment {
	var found []*github.IssueComment
	for _, cm := range all {
		if c.IsOwn(cm, marker) {
			found = append(found, cm)
		}
	}
	return found
}

// FindComments lists the app's comments on issue or PR number that start
// with marker, oldest first.
func (c *Client) FindComments(ctx context.Context, repo Repo, number int, marker string) ([]*github.IssueComment, error) {
	all, err := c.ListComments(ctx, repo, number)
	if err != nil {
		return nil, err
	}
	return c.own(all, marker), nil
}

// UpsertComment makes issue or PR number carry exactly one app comment that
// starts with marker and has body: it creates it, edits it only when the
// body changed, and deletes duplicates left by racing deliveries.
func (c *Client) UpsertComment(ctx context.Context, repo Repo, number int, marker, body string) (Outcome, error) {
	existing, err := c.FindComments(ctx, repo, number, marker)
	if err != nil {
		return "", err
	}
	return c.UpsertFoundComment(ctx, repo, number, marker, body, existing)
}

// UpsertFoundComment is UpsertComment with the result of FindComments for
// the same marker already in hand (features that read their comment before
// deciding, e.g. for state it carries, pay for one lookup, not two).
func (c *Client) UpsertFoundComment(ctx context.Context, repo Repo, number int, marker, body string, existing []*github.IssueComment) (Outcome, error) {
	full := marker + "\n" + Truncate(body, MaxCommentChars)
	target := "#" + strconv.Itoa(number)
	outcome := Unchanged
	if len(existing) == 0 {
		outcome = Created
		if c.record(ctx, Write{Action: "comment.create", Repo: repo.FullName(), Target: target, Summary: firstLine(body)}) {
			created, _, err := c.rest.Issues.CreateComment(ctx, repo.Owner, repo.Name, number, &github.IssueComment{Body: &full})
			if err != nil {
				return "", fmt.Errorf("create comment on %s%s: %w", repo.FullName(), target, err)
			}
			c.noteComments(repo, number, func(l []*github.IssueComment) []*github.IssueComment { return append(l, created) })
		}
	} else if keep := existing[0]; keep.GetBody() != full {
		outcome = Updated
		if c.record(ctx, Write{Action: "comment.update", Repo: repo.FullName(), Target: target, Summary: firstLine(body)}) {
			edited, _, err := c.rest.Issues.EditComment(ctx, repo.Owner, repo.Name, keep.GetID(), &github.IssueComment{Body: &full})
			if err != nil {
				return "", fmt.Errorf("edit comment %d on %s%s: %w", keep.GetID(), repo.FullName(), target, err)
			}
			c.noteComments(repo, number, func(l []*github.IssueComment) []*github.IssueComment {
				out := make([]*github.IssueComment, len(l))
				for i, cm := range l {
					out[i] = cm
					if cm.GetID() == edited.GetID() {
						out[i] = edited
					}
				}
				return out
			})
		}
	}
	if len(existing) > 1 {
		if err := c.deleteComments(ctx, repo, target, existing[1:]); err != nil {
			return "", err
		}
	}
	return outcome, nil
}

// UpsertCommentIn is UpsertComment over all, the comments of number as
// ListComments returned them: it reads nothing itself.
func (c *Client) UpsertCommentIn(ctx context.Context, repo Repo, number int, all []*github.IssueComment, marker, body string) (Outcome, error) {
	return c.UpsertFoundComment(ctx, repo, number, marker, body, c.own(all, marker))
}

// DeleteComment removes every app comment on number that starts with marker.
func (c *Client) DeleteComment(ctx context.Context, repo Repo, number int, marker string) (Outcome, error) {
	all, err := c.ListComments(ctx, repo, number)
	if err != nil {
		return "", err
	}
	return c.DeleteCommentIn(ctx, repo, number, all, marker)
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

func (c *Client) deleteComments(ctx context.Context, repo Repo, target string, cms []*github.IssueComment) error {
	if n, err := strconv.Atoi(target[1:]); err == nil {
		defer c.forgetComments(repo, n) // rare: the next reader lists again
	}
	for _, cm := range cms {
		if c.record(ctx, Write{Action: "comment.delete", Repo: repo.FullName(), Target: target, Summary: "comment " + strconv.FormatInt(cm.GetID(), 10)}) {
			if _, err := c.rest.Issues.DeleteComment(ctx, repo.Owner, repo.Name, cm.GetID()); err != nil {
				return fmt.Errorf("delete comment %d on %s%s: %w", cm.GetID(), repo.FullName(), target, err)
			}
		}
	}
	return nil
}

// Truncate shortens s to at most n bytes on a line boundary when possible,
// ending with a note that it was cut.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const note = "\n\n_… cut to fit GitHub's size limit._"
	cut := n - len(note)
	if cut < 0 {
		cut = 0
	}
	// Do not split a UTF-8 sequence.
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	head := s[:cut]
	for i := len(head) - 1; i > len(head)/2; i-- {
		if head[i] == '\n' {
			head = head[:i]
			break
		}
	}
	return head + note
}
