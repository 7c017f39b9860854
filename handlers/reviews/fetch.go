package reviews

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

type actorNode struct {
	Login string
}

type reviewerNode struct {
	Typename string                        `graphql:"__typename"`
	User     actorNode                     `graphql:"... on User"`
	Team     struct{ CombinedSlug string } `graphql:"... on Team"`
	Bot      actorNode                     `graphql:"... on Bot"`
}

type prNode struct {
	Number      int
	Title       string
	IsDraft     bool
	State       string
	BaseRefName string
	Author      *actorNode
	Labels      struct {
		Nodes []struct{ Name string }
	} `graphql:"labels(first: 50)"`
	ReviewRequests struct {
		Nodes []struct{ RequestedReviewer *reviewerNode }
	} `graphql:"reviewRequests(first: 50)"`
	TimelineItems struct {
		Nodes []struct {
			Typename             string `graphql:"__typename"`
			ReviewRequestedEvent struct {
				CreatedAt         githubv4.DateTime
				RequestedReviewer *reviewerNode
			} `graphql:"... on ReviewRequestedEvent"`
			ReadyForReviewEvent struct {
				CreatedAt githubv4.DateTime
			} `graphql:"... on ReadyForReviewEvent"`
		}
	} `graphql:"timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT, READY_FOR_REVIEW_EVENT], last: 100)"`
	Reviews struct {
		Nodes []struct {
			Author      *actorNode
			SubmittedAt *githubv4.DateTime
		}
	} `graphql:"reviews(last: 100)"`
	// Comments are the conversation's last 100 comments: the app's pings
	// and people's answers. On a busier conversation (hasPreviousPage) the
	// handler reads the whole of it through the write path's listing.
	Comments struct {
		Nodes []struct {
			Body      string
			CreatedAt githubv4.DateTime
			Author    *actorNode
		}
		PageInfo struct{ HasPreviousPage bool }
	} `graphql:"comments(last: 100)"`
}

type pageInfo struct {
	HasNextPage bool
	EndCursor   githubv4.String
}

// firstPageQuery reads the first page of open PRs and, in the same request,
// the most recently updated closed/merged ones (for the weekly figure).
type firstPageQuery struct {
	Repository struct {
		Open struct {
			Nodes    []prNode
			PageInfo pageInfo
		} `graphql:"open: pullRequests(states: [OPEN], first: 50)"`
		Recent struct {
			Nodes []prNode
		} `graphql:"recent: pullRequests(states: [MERGED, CLOSED], first: 50, orderBy: {field: UPDATED_AT, direction: DESC})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

type nextPageQuery struct {
	Repository struct {
		Open struct {
			Nodes    []prNode
			PageInfo pageInfo
		} `graphql:"open: pullRequests(states: [OPEN], first: 50, after: $cursor)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

type onePRQuery struct {
	Repository struct {
		PullRequest *prNode `graphql:"pullRequest(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// LoadPRs reads a repository's open pull requests (every page, 50 a page)
// and its 50 most recently updated closed ones, with their review requests
// and request times, reviews, labels and this feature's comments: one
// GraphQL request per 50 open PRs. isOwn says which comment authors are the
// app (see gh.Client.IsOwnLogin).
func LoadPRs(ctx context.Context, v4 *githubv4.Client, repo gh.Repo, isOwn func(string) bool) (open, recent []PR, err error) {
	vars := map[string]any{"owner": githubv4.String(repo.Owner), "name": githubv4.String(repo.Name)}
	var first firstPageQuery
	if err := v4.Query(ctx, &first, vars); err != nil {
		return nil, nil, fmt.Errorf("read open pull requests of %s: %w", repo.FullName(), err)
	}
	for _, n := range first.Repository.Open.Nodes {
		open = append(open, n.toPR(isOwn))
	}
	for _, n := range first.Repository.Recent.Nodes {
		recent = append(recent, n.toPR(isOwn))
	}
	page := first.Repository.Open.PageInfo
	for page.HasNextPage {
		vars["cursor"] = page.EndCursor
		var next nextPageQuery
		if err := v4.Query(ctx, &next, vars); err != nil {
			return nil, nil, fmt.Errorf("read open pull requests of %s after %s: %w", repo.FullName(), page.EndCursor, err)
		}
		for _, n := range next.Repository.Open.Nodes {
			open = append(open, n.toPR(isOwn))
		}
		page = next.Repository.Open.PageInfo
	}
	return open, recent, nil
}

// LoadPR reads one pull request like LoadPRs does.
func LoadPR(ctx context.Context, v4 *githubv4.Client, repo gh.Repo, number int, isOwn func(string) bool) (PR, error) {
	vars := map[string]any{"owner": githubv4.String(repo.Owner), "name": githubv4.String(repo.Name), "number": githubv4.Int(number)}
	var q onePRQuery
	if err := v4.Query(ctx, &q, vars); err != nil {
		return PR{}, fmt.Errorf("read pull request %s#%d: %w", repo.FullName(), number, err)
	}
	if q.Repository.PullRequest == nil {
		return PR{}, fmt.Errorf("read pull request %s#%d: not found", repo.FullName(), number)
	}
	return q.Repository.PullRequest.toPR(isOwn), nil
}

// LoadEventPR reads one pull request like LoadPR, from the event's shared
// snapshot (handlers.Env.PullRequest): no request of its own when another
// feature has read it, and the one GraphQL request of the event otherwise.
func LoadEventPR(ctx context.Context, env *handlers.Env, number int) (PR, error) {
	snap, err := env.PullRequest(ctx, number)
	if err != nil {
		return PR{}, err
	}
	return prNodeFromSnapshot(snap).toPR(env.GH.IsOwnLogin), nil
}

// graphQLLogin is a login as GraphQL spells it (a bot without "[bot]"),
// the spelling toPR is written for.
func graphQLLogin(login string, bot bool) string {
	if bot {
		return strings.TrimSuffix(login, "[bot]")
	}
	return login
}

func reviewerFromSnapshot(r *handlers.SnapshotReviewer) *reviewerNode {
	if r == nil {
		return nil
	}
	n := &reviewerNode{Typename: r.Kind}
	switch r.Kind {
	case "User":
		n.User.Login = r.Login
	case "Bot":
		n.Bot.Login = r.Login
	case "Team":
		n.Team.CombinedSlug = r.Team
	}
	return n
}

// prNodeFromSnapshot is the snapshot as the node LoadPR decodes, so both
// paths share toPR.
func prNodeFromSnapshot(s *handlers.PRSnapshot) prNode {
	n := prNode{Number: s.Number, Title: s.Title, IsDraft: s.Draft, State: s.State, BaseRefName: s.BaseRef}
	if s.Author != "" {
		n.Author = &actorNode{Login: graphQLLogin(s.Author, s.AuthorBot)}
	}
	for _, l := range s.Labels {
		n.Labels.Nodes = append(n.Labels.Nodes, struct{ Name string }{l})
	}
	for _, rq := range s.ReviewRequests {
		n.ReviewRequests.Nodes = append(n.ReviewRequests.Nodes, struct{ RequestedReviewer *reviewerNode }{reviewerFromSnapshot(&rq)})
	}
	for _, ev := range s.Timeline {
		var it struct {
			Typename             string `graphql:"__typename"`
			ReviewRequestedEvent struct {
				CreatedAt         githubv4.DateTime
				RequestedReviewer *reviewerNode
			} `graphql:"... on ReviewRequestedEvent"`
			ReadyForReviewEvent struct {
				CreatedAt githubv4.DateTime
			} `graphql:"... on ReadyForReviewEvent"`
		}
		it.Typename = ev.Kind
		it.ReviewRequestedEvent.CreatedAt = githubv4.DateTime{Time: ev.At}
		it.ReviewRequestedEvent.RequestedReviewer = reviewerFromSnapshot(ev.Reviewer)
		it.ReadyForReviewEvent.CreatedAt = githubv4.DateTime{Time: ev.At}
		n.TimelineItems.Nodes = append(n.TimelineItems.Nodes, it)
	}
	for _, r := range s.Reviews {
		var rv struct {
			Author      *actorNode
			SubmittedAt *githubv4.DateTime
		}
		if r.Author != "" {
			rv.Author = &actorNode{Login: graphQLLogin(r.Author, r.AuthorBot)}
		}
		if !r.SubmittedAt.IsZero() {
			rv.SubmittedAt = &githubv4.DateTime{Time: r.SubmittedAt}
		}
		n.Reviews.Nodes = append(n.Reviews.Nodes, rv)
	}
	n.Comments.PageInfo.HasPreviousPage = !s.CommentsComplete
	for _, c := range s.Comments {
		var cm struct {
			Body      string
			CreatedAt githubv4.DateTime
			Author    *actorNode
		}
		cm.Body, cm.CreatedAt = c.GetBody(), githubv4.DateTime{Time: c.GetCreatedAt().Time}
		if u := c.GetUser(); u.GetLogin() != "ghost" || u.GetType() != "User" {
			cm.Author = &actorNode{Login: graphQLLogin(u.GetLogin(), u.GetType() == "Bot")}
		}
		n.Comments.Nodes = append(n.Comments.Nodes, cm)
	}
	return n
}

// reviewer converts a RequestedReviewer union.
func (r *reviewerNode) reviewer() (Request, bool) {
	if r == nil {
		return Request{}, false
	}
	switch r.Typename {
	case "User":
		return Request{Reviewer: r.User.Login}, r.User.Login != ""
	case "Team":
		return Request{Reviewer: r.Team.CombinedSlug, Team: true}, r.Team.CombinedSlug != ""
	case "Bot":
		return Request{Reviewer: r.Bot.Login + "[bot]", Bot: true}, true
	}
	return Request{Reviewer: r.Typename, Bot: true}, true // Mannequin: never nudged
}

func (n prNode) toPR(isOwn func(string) bool) PR {
	pr := PR{Number: n.Number, Title: n.Title, BaseRef: n.BaseRefName, Draft: n.IsDraft, Closed: n.State != "OPEN"}
	if n.Author != nil {
		pr.Author = n.Author.Login
	}
	for _, l := range n.Labels.Nodes {
		pr.Labels = append(pr.Labels, l.Name)
	}
	latest := map[string]time.Time{}
	for _, it := range n.TimelineItems.Nodes {
		if it.Typename == "ReadyForReviewEvent" {
			if at := it.ReadyForReviewEvent.CreatedAt.UTC().Truncate(time.Second); at.After(pr.ReadyAt) {
				pr.ReadyAt = at
			}
			continue
		}
		if it.Typename != "ReviewRequestedEvent" {
			continue
		}
		ev := it.ReviewRequestedEvent
		rq, ok := ev.RequestedReviewer.reviewer()
		if !ok || ev.CreatedAt.IsZero() {
			continue
		}
		rq.At = ev.CreatedAt.UTC().Truncate(time.Second)
		pr.Requested = append(pr.Requested, rq)
		if rq.At.After(latest[rq.Reviewer]) {
			latest[rq.Reviewer] = rq.At
		}
	}
	pr.pendingAll = len(n.ReviewRequests.Nodes)
	for _, r := range n.ReviewRequests.Nodes {
		rq, ok := r.RequestedReviewer.reviewer()
		if !ok {
			continue
		}
		rq.At = latest[rq.Reviewer]
		if rq.At.IsZero() {
			continue // no request event in the last 100: too old to place
		}
		pr.Pending = append(pr.Pending, rq)
	}
	for _, r := range n.Reviews.Nodes {
		if r.Author == nil || r.SubmittedAt == nil {
			continue // pending (unsubmitted) reviews, deleted users
		}
		pr.Reviews = append(pr.Reviews, Review{Author: r.Author.Login, At: r.SubmittedAt.UTC()})
	}
	pr.CommentsTruncated = n.Comments.PageInfo.HasPreviousPage
	for _, c := range n.Comments.Nodes {
		if c.Author != nil {
			pr.addComment(c.Author.Login, c.Body, c.CreatedAt.UTC(), isOwn)
		}
	}
	return pr
}

// addComment files one conversation comment: the app's pings, and
// everyone else's comments (a reviewer's answer).
func (pr *PR) addComment(author, body string, created time.Time, isOwn func(string) bool) {
	if isOwn(author) {
		if p, ok := ParsePing(body, created); ok {
			pr.Pings = append(pr.Pings, p)
			return
		}
	}
	pr.Comments = append(pr.Comments, Comment{Author: author, At: created})
}

// CompleteComments replaces the pings and comments of a pull request whose
// GraphQL page did not reach its first comment with the whole conversation
// as the REST listing gives it (all, oldest first).
func (pr *PR) CompleteComments(all []*github.IssueComment, isOwn func(string) bool) {
	pr.Pings, pr.Comments, pr.CommentsTruncated = nil, nil, false
	for _, c := range all {
		pr.addComment(c.GetUser().GetLogin(), c.GetBody(), c.GetCreatedAt().UTC(), isOwn)
	}
}
