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

// fallbackPages bounds the search for an app issue that lost its label:
// the 300 most recently updated issues (a tracking issue is edited weekly).
const fallbackPages = 3

// FindIssue returns the app's issue carrying marker (open or closed), or
// nil. label, when set, narrows the search to one listing; when nothing
// carries it (someone removed the label by hand), the most recently updated
// issues are searched too, so the issue is found again rather than created
// twice. Duplicates (racing writers, or an issue found both ways) are
// reconciled here: the oldest is kept and the others are closed as not
// planned, pointing at it.
func (c *Client) FindIssue(ctx context.Context, repo Repo, marker, label string) (*github.Issue, error) {
	found, err := c.findIssues(ctx, repo, marker, label, 0)
	if err != nil {
		return nil, err
	}
	if len(found) == 0 && label != "" {
		if found, err = c.findIssues(ctx, repo, marker, "", fallbackPages); err != nil {
			return nil, err
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	keep := found[0]
	for _, is := range found[1:] {
		if is.GetNumber() < keep.GetNumber() {
			keep = is
		}
	}
	for _, is := range found {
		if is == keep || is.GetState() != "open" {
			continue
		}
		target := "#" + strconv.Itoa(is.GetNumber())
		if c.record(ctx, Write{Action: "issue.close", Repo: repo.FullName(), Target: target, Summary: "duplicate of #" + strconv.Itoa(keep.GetNumber())}) {
			req := &github.IssueRequest{State: github.String("closed"), StateReason: github.String("not_planned")}
			if _, _, err := c.rest.Issues.Edit(ctx, repo.Owner, repo.Name, is.GetNumber(), req); err != nil {
				return nil, fmt.Errorf("close duplicate issue %s%s: %w", repo.FullName(), target, err)
			}
		}
	}
	return keep, nil
}

// findIssues lists the app's issues carrying marker, most recently updated
// first, reading at most maxPages pages (0 = all).
func (c *Client) findIssues(ctx context.Context, repo Repo, marker, label string, maxPages int) ([]*github.Issue, error) {
	opt := &github.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "desc", ListOptions: github.ListOptions{PerPage: 100}}
	if label != "" {
		opt.Labels = []string{label}
	}
	var found []*github.Issue
	for pages := 1; ; pages++ {
		page, resp, err := c.rest.Issues.ListByRepo(ctx, repo.Owner, repo.Name, opt)
		if err != nil {
			return nil, fmt.Errorf("list issues of %s: %w", repo.FullName(), err)
		}
		for _, is := range page {
			if !is.IsPullRequest() && HasMarker(is.GetBody(), marker) && c.mine(is.GetUser()) {
				found = append(found, is)
			}
		}
		if resp.NextPage == 0 || (maxPages > 0 && pages >= maxPages) {
			return found, nil
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
		// One closing comment per issue, found by its own marker: two
		// writers closing at once leave one, and a later close edits it
		// (an edit notifies nobody a second time).
		if _, err := c.UpsertComment(ctx, repo, number, closeMarker(want.Marker), want.CloseComment); err != nil {
			return "", nil, fmt.Errorf("comment before closing %s%s: %w", repo.FullName(), target, err)
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

// closeMarker is the marker of an issue's closing comment:
// "<!-- overlap:docs:tracking -->" → "<!-- overlap:docs:tracking:closed -->".
func closeMarker(issueMarker string) string {
	return strings.TrimSuffix(issueMarker, " -->") + ":closed -->"
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
