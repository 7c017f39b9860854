package timezones

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
)

var _ handlers.Sweeper = Feature{}

// FullLookback bounds a full sweep (a zero env.Scope): threads updated in
// the last two weeks. The feature comments on every thread it has ever
// seen, closed ones included, and a full sweep of all of them would cost
// O(threads in the repository's history); a conversion of a deadline in a
// thread nobody has touched for two weeks is history, not help.
const FullLookback = 14 * 24 * time.Hour

// Sweep implements handlers.Sweeper, the sticky comment's repair path. It
// reconciles, through the event's own reconcile, the threads updated since
// the watermark (env.Scope.Since; FullLookback on a full sweep) and the
// numbers marked dirty:
//
//   - open pull requests, from the shared open-PR listing, with the policy
//     of their base branch;
//   - open issues (REST, `since`, 100 a page);
//   - discussions (GraphQL, most recently updated first, 50 a page, until
//     one is older than the watermark);
//   - dirty numbers none of those listed: read as an issue or PR, else as
//     a discussion.
//
// A thread whose body is its only text (no comment, review or reply — so
// no sticky comment either) and has no phrase is decided from the listing
// alone: nothing to write, no read. Closed issues and PRs are left alone
// unless dirty. The listings assume that GitHub moves a thread's updatedAt
// when a comment, review or reply is added, which it does.
//
// Cost per repository with N open PRs, of which K threads are in scope: the
// shared listing (⌈N/100⌉ GraphQL, shared), one issue listing per 100
// updated issues, one discussion listing per 50 updated discussions; then
// per thread in scope with more than its body, the thread (an issue 1, a
// PR 2: comments and reviews, the comment listing shared with the other
// features; a discussion 1 GraphQL) and a write only if the comment
// differs. With timezones off on the default branch only PRs on other
// bases are looked at, and issues and discussions cost nothing.
func (f Feature) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	scope := sweepScope(env.Scope, env.Now)
	loaded, err := env.Policy(ctx)
	if err != nil {
		return err
	}
	onDefault := loaded.Policy.Timezones.Active()
	prs, err := env.OpenPullRequests(ctx)
	if err != nil {
		return fmt.Errorf("timezones sweep: %w", err)
	}
	seen := map[int]bool{}
	var errs []error
	sweepOne := func(e *handlers.Env, tg target, others int) {
		seen[tg.number] = true
		if ctx.Err() != nil {
			return
		}
		quiet, err := bodyOnlyQuiet(ctx, e, tg, others)
		if err == nil && !quiet {
			err = reconcile(ctx, e, tg)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("timezones sweep %s#%d: %w", repo.FullName(), tg.number, err))
		}
	}
	for _, p := range scope.Select(prs) {
		penv := env.ForBase(p.BaseRef)
		if penv == env && !onDefault {
			seen[p.Number] = true
			continue
		}
		sweepOne(penv, target{kind: prThread, number: p.Number,
			body: Text{Author: p.Author, Body: p.Body, At: p.CreatedAt, Bot: p.AuthorBot}}, p.Comments+p.Reviews)
	}
	if !onDefault {
		return errors.Join(errs...)
	}
	// A failed listing costs its own kind of thread only: the others and
	// the dirty numbers are still reconciled.
	issues, err := listIssues(ctx, env, scope.Since)
	if err != nil {
		errs = append(errs, err)
	}
	for _, is := range issues {
		if is.IsPullRequest() {
			continue // from the PR listing: open ones are there, with their base
		}
		sweepOne(env, issueTargetOf(is), is.GetComments())
	}
	discussions, err := listDiscussions(ctx, env, scope.Since)
	if err != nil {
		errs = append(errs, err)
	}
	for _, d := range discussions {
		sweepOne(env, target{kind: discussionThread, number: d.Number, body: d.text()}, d.Comments.TotalCount)
	}
	for _, n := range scope.Dirty {
		if seen[n] || ctx.Err() != nil {
			continue
		}
		seen[n] = true
		if err := reconcileDirty(ctx, env, n); err != nil {
			errs = append(errs, fmt.Errorf("timezones sweep %s#%d: %w", repo.FullName(), n, err))
		}
	}
	return errors.Join(errs...)
}

// sweepScope is the scope a timezones sweep uses: a full scope becomes
// the last FullLookback.
func sweepScope(s handlers.SweepScope, now time.Time) handlers.SweepScope {
	if s.Full() {
		s.Since = now.Add(-FullLookback)
	}
	return s
}

// bodyOnlyQuiet reports whether a thread whose only text is its body
// (others counts its comments, reviews or replies: the app's sticky
// comment among them) needs nothing: Comment over the body alone is empty,
// so the reconcile would find no comment to keep and none to write.
func bodyOnlyQuiet(ctx context.Context, env *handlers.Env, tg target, others int) (bool, error) {
	if others > 0 {
		return false, nil
	}
	loaded, err := env.Policy(ctx)
	if err != nil {
		return false, err
	}
	if !loaded.Policy.Timezones.Active() {
		return true, nil
	}
	body, err := CommentContext(ctx, []Text{tg.body}, roster.Calendar(loaded.Policy.Team))
	return body == "", err
}

func issueTargetOf(is *github.Issue) target {
	kind := issueThread
	if is.IsPullRequest() {
		kind = prThread
	}
	u := is.GetUser()
	return target{kind: kind, number: is.GetNumber(),
		body: Text{Author: u.GetLogin(), Body: is.GetBody(), At: is.GetCreatedAt().Time, Bot: isBot(u)}}
}

// listIssues lists the open issues (and PRs: GitHub's issue listing has
// both) updated at or after since, 100 a page.
func listIssues(ctx context.Context, env *handlers.Env, since time.Time) ([]*github.Issue, error) {
	opt := &github.IssueListByRepoOptions{State: "open", Since: since, Sort: "updated", Direction: "desc",
		ListOptions: github.ListOptions{PerPage: 100}}
	var out []*github.Issue
	for {
		page, resp, err := env.REST.Issues.ListByRepo(ctx, env.Repo.Owner, env.Repo.Name, opt)
		if err != nil {
			return nil, fmt.Errorf("timezones sweep: list issues of %s updated since %s: %w", env.Repo.FullName(), since.Format(time.RFC3339), err)
		}
		out = append(out, page...)
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

// listedDiscussion is a discussion as the sweep's listing has it: enough
// to skip one with nothing but a body without phrases.
type listedDiscussion struct {
	Number    int
	Body      string
	CreatedAt githubv4.DateTime
	UpdatedAt githubv4.DateTime
	Author    *struct {
		Typename string `graphql:"__typename"`
		Login    string
	}
	Comments struct{ TotalCount int } `graphql:"comments(first: 1)"`
}

func (d listedDiscussion) text() Text {
	t := Text{Body: d.Body, At: d.CreatedAt.UTC()}
	if d.Author != nil {
		t.Author, t.Bot = d.Author.Login, d.Author.Typename == "Bot"
	}
	return t
}

type discussionsPage struct {
	Repository *struct {
		Discussions struct {
			Nodes    []listedDiscussion
			PageInfo struct {
				HasNextPage bool
				EndCursor   githubv4.String
			}
		} `graphql:"discussions(first: 50, after: $after, orderBy: {field: UPDATED_AT, direction: DESC})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// listDiscussions lists the discussions updated at or after since, most
// recent first, stopping at the first older one. A repository without
// discussions lists none.
func listDiscussions(ctx context.Context, env *handlers.Env, since time.Time) ([]listedDiscussion, error) {
	vars := map[string]any{
		"owner": githubv4.String(env.Repo.Owner),
		"name":  githubv4.String(env.Repo.Name),
		"after": (*githubv4.String)(nil),
	}
	var out []listedDiscussion
	for {
		var q discussionsPage
		if err := env.GraphQL.Query(ctx, &q, vars); err != nil {
			return nil, fmt.Errorf("timezones sweep: list discussions of %s: %w", env.Repo.FullName(), err)
		}
		if q.Repository == nil {
			return out, nil
		}
		for _, d := range q.Repository.Discussions.Nodes {
			if d.UpdatedAt.Before(since) {
				return out, nil
			}
			out = append(out, d)
		}
		page := q.Repository.Discussions.PageInfo
		if !page.HasNextPage {
			return out, nil
		}
		after := page.EndCursor
		vars["after"] = &after
	}
}

// reconcileDirty reconciles a dirty number the listings did not cover: an
// older or closed issue or PR (one read), else a discussion. A number that
// is neither any more (deleted) is done with.
func reconcileDirty(ctx context.Context, env *handlers.Env, n int) error {
	is, resp, err := env.REST.Issues.Get(ctx, env.Repo.Owner, env.Repo.Name, n)
	switch {
	case err == nil:
		return reconcile(ctx, env, issueTargetOf(is))
	case resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone):
	default:
		return fmt.Errorf("read issue %s#%d: %w", env.Repo.FullName(), n, err)
	}
	if err := reconcile(ctx, env, target{kind: discussionThread, number: n}); err != nil && !discussionMissing(err) {
		return err
	}
	return nil
}

// discussionMissing recognises the answer to a discussion number that does
// not exist: GitHub's NOT_FOUND error ("Could not resolve to a Discussion
// with the number of 7."), or the write path's "not found" for a null
// discussion.
func discussionMissing(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Could not resolve to") || strings.HasSuffix(msg, ": not found")
}
