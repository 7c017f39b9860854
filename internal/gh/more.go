package gh

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"
)

// RequestReviewers asks for reviews from users and teams (team slugs
// without the org) on PR number, skipping ones already requested.
func (c *Client) RequestReviewers(ctx context.Context, repo Repo, number int, users, teams []string) (Outcome, error) {
	current, _, err := c.rest.PullRequests.ListReviewers(ctx, repo.Owner, repo.Name, number, nil)
	if err != nil {
		return "", fmt.Errorf("list requested reviewers on %s#%d: %w", repo.FullName(), number, err)
	}
	var haveUsers, haveTeams []string
	for _, u := range current.Users {
		haveUsers = append(haveUsers, u.GetLogin())
	}
	for _, t := range current.Teams {
		haveTeams = append(haveTeams, t.GetSlug())
	}
	req := github.ReviewersRequest{}
	for _, u := range users {
		if !containsAll(haveUsers, []string{u}) {
			req.Reviewers = append(req.Reviewers, u)
		}
	}
	for _, t := range teams {
		if !containsAll(haveTeams, []string{t}) {
			req.TeamReviewers = append(req.TeamReviewers, t)
		}
	}
	if len(req.Reviewers)+len(req.TeamReviewers) == 0 {
		return Unchanged, nil
	}
	who := strings.Join(append(append([]string{}, req.Reviewers...), prefixAll("team ", req.TeamReviewers)...), ", ")
	if !c.record(ctx, Write{Action: "reviewers.request", Repo: repo.FullName(), Target: "#" + strconv.Itoa(number), Summary: who}) {
		return Created, nil
	}
	if _, _, err := c.rest.PullRequests.RequestReviewers(ctx, repo.Owner, repo.Name, number, req); err != nil {
		return "", fmt.Errorf("request reviewers %s on %s#%d: %w", who, repo.FullName(), number, err)
	}
	return Created, nil
}

func prefixAll(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}
