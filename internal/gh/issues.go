package gh

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"
)

// TrackingIssue is the desired state of an issue the app owns, found by its
// marker (and narrowed by its first label, which keeps the lookup to one
// page on busy repositories).
type TrackingIssue struct {
	Marker    string
	Title     string
	Body      string // without the marker
	Labels    []string
	Assignees []string
	// Open is the desired state. A closed issue that should be open is
	// reopened, never duplicated; a missing one that should be closed is not
	// created.
	Open bool
	// CloseComment, when set, is posted once as the issue is closed.
	CloseComment string
}

// FindIssue returns the app's issue carrying marker (open or closed, the most
// recently updated first), or nil. label, when set, narrows the search.
func (c *Client) FindIssue(ctx context.Context, repo Repo, marker, label string) (*github.Issue, error) {
	opt := &github.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "desc", ListOptions: github.ListOptions{PerPage: 100}}
	if label != "" {
		opt.Labels = []string{label}
	}
	for {
		page, resp, err := c.rest.Issues.ListByRepo(ctx, repo.Owner, repo.Name, opt)
		if err != nil {
			return nil, fmt.Errorf("list issues of %s: %w", repo.FullName(), err)
		}
		for _, is := range page {
			if !is.IsPullRequest() && HasMarker(is.GetBody(), marker) && c.mine(is.GetUser()) {
				return is, nil
			}
		}
		if resp.NextPage == 0 {
			return nil, nil
		}
		opt.Page = resp.NextPage
	}
}

// UpsertIssue reconciles one tracking issue with want and returns the issue
// as it now stands (nil when none exists and none is wanted).
func (c *Client) UpsertIssue(ctx context.Context, repo Repo, want TrackingIssue) (Outcome, *github.Issue, error) {
	label := ""
	if len(want.Labels) > 0 {
		label = want.Labels[0]
	}
	existing, err := c.FindIssue(ctx, repo, want.Marker, label)
	if err != nil {
		return "", nil, err
	}
	return c.UpsertFoundIssue(ctx, repo, want, existing)
}

// UpsertFoundIssue is UpsertIssue with the result of FindIssue already in
// hand (nil when there is none), for features that read their issue (its
// data block) before they decide.
func (c *Client) UpsertFoundIssue(ctx context.Context, repo Repo, want TrackingIssue, existing *github.Issue) (Outcome, *github.Issue, error) {
	body := want.Marker + "\n" + Truncate(want.Body, MaxCommentChars)
	if existing == nil {
		if !want.Open {
			return Absent, nil, nil
		}
		req := &github.IssueRequest{Title: github.String(want.Title), Body: &body}
		if len(want.Labels) > 0 {
			req.Labels = &want.Labels
		}
		if len(want.Assignees) > 0 {
			req.Assignees = &want.Assignees
		}
		if !c.record(ctx, Write{Action: "issue.create", Repo: repo.FullName(), Target: "new", Summary: want.Title + assigneeNote(want.Assignees)}) {
			return Created, nil, nil
		}
		is, _, err := c.rest.Issues.Create(ctx, repo.Owner, repo.Name, req)
		if err != nil {
			return "", nil, fmt.Errorf("create issue %q in %s: %w", want.Title, repo.FullName(), err)
		}
		return Created, is, nil
	}

	number := existing.GetNumber()
	target := "#" + strconv.Itoa(number)
	req := &github.IssueRequest{}
	changed := false
	action := "issue.update"
	if existing.GetTitle() != want.Title {
		req.Title, changed = github.String(want.Title), true
	}
	if existing.GetBody() != body {
		req.Body, changed = &body, true
	}
	if have := logins(existing.Assignees); want.Open && !sameSet(have, want.Assignees) {
		a := append([]string{}, want.Assignees...)
		req.Assignees, changed = &a, true
	}
	if have := labelNames(existing.Labels); !containsAll(have, want.Labels) {
		merged := union(have, want.Labels)
		req.Labels, changed = &merged, true
	}
	wasOpen := existing.GetState() == "open"
	switch {
	case want.Open && !wasOpen:
		req.State, changed, action = github.String("open"), true, "issue.reopen"
	case !want.Open && wasOpen:
		req.State, changed, action = github.String("closed"), true, "issue.close"
		req.StateReason = github.String("completed")
	}
	if !changed {
		return Unchanged, existing, nil
	}
	if action == "issue.close" && want.CloseComment != "" {
		if c.record(ctx, Write{Action: "comment.create", Repo: repo.FullName(), Target: target, Summary: firstLine(want.CloseComment)}) {
			if _, _, err := c.rest.Issues.CreateComment(ctx, repo.Owner, repo.Name, number, &github.IssueComment{Body: github.String(want.CloseComment)}); err != nil {
				return "", nil, fmt.Errorf("comment before closing %s%s: %w", repo.FullName(), target, err)
			}
		}
	}
	if !c.record(ctx, Write{Action: action, Repo: repo.FullName(), Target: target, Summary: want.Title + assigneeNote(want.Assignees)}) {
		return Updated, existing, nil
	}
	is, _, err := c.rest.Issues.Edit(ctx, repo.Owner, repo.Name, number, req)
	if err != nil {
		return "", nil, fmt.Errorf("edit issue %s%s: %w", repo.FullName(), target, err)
	}
	return Updated, is, nil
}

func assigneeNote(a []string) string {
	if len(a) == 0 {
		return ""
	}
	return " (assigned to " + strings.Join(a, ", ") + ")"
}

func logins(us []*github.User) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.GetLogin())
	}
	return out
}

func labelNames(ls []*github.Label) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.GetName())
	}
	return out
}

func sameSet(a, b []string) bool {
	return containsAll(a, b) && containsAll(b, a)
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(have, func(h string) bool { return strings.EqualFold(h, w) }) {
			return false
		}
	}
	return true
}

func union(a, b []string) []string {
	out := append([]string{}, a...)
	for _, x := range b {
		if !containsAll(out, []string{x}) {
			out = append(out, x)
		}
	}
	return out
}
