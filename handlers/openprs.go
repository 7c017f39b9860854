package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"
)

// SweepScope bounds what a feature's sweep reconciles in one repository.
//
// Sweeps are the repair path of every feature (DESIGN principle 8): what an
// event would have done but did not (a fault, a refused delivery, a pod that
// died) is done by the next sweep. Reconciling every open item of every
// repository on every pass would cost O(PRs) reads however little changed,
// so a sweep reconciles only what may have missed an event: the items
// updated since the last successful sweep of the repository, and the items
// the app knows failed.
//
// The watermark is recomputed, not stored (principle 2: GitHub is the
// database, and no local state survives a pod). An event that fails at
// instant T was caused by a change that moved the item's updatedAt to about
// T; the next pass runs within one interval, and if that pass fails too the
// one after it, so a window of two intervals plus a margin (RecentScope)
// covers every item changed since the last successful pass of a repository
// unless two passes in a row fail. What falls outside that — an event that
// failed longer ago and was still retried, or a GitHub outage spanning
// several passes — the app names in Dirty, and a full scope (the zero
// value) covers everything else: the first pass of a process and a periodic
// full pass make "lost" impossible even when the app restarts without
// memory.
//
// Issue, pull request and discussion numbers share one sequence per
// repository, so one list of numbers serves every feature: each reconciles
// the dirty numbers it has something to say about and ignores the rest.
type SweepScope struct {
	// Since is the watermark: items whose updatedAt is at or after it are
	// reconciled. The zero time is a full sweep: every open item (features
	// with an unbounded history, such as timezones, document their own
	// bound).
	Since time.Time
	// Dirty lists numbers of items whose events failed after their retries
	// (the app's per-repository dirty set). They are reconciled whatever
	// their updatedAt.
	Dirty []int
}

// SweepMargin is added to RecentScope's window: it absorbs the lag between
// a change and the updatedAt GitHub reports for it, clock skew between
// replicas, and a pass that starts late.
const SweepMargin = 10 * time.Minute

// RecentScope is the recomputed watermark of a pass at now of a sweep that
// runs every interval: items updated in the last 2×interval + SweepMargin,
// and the dirty numbers. The app uses it for every pass but a full one.
func RecentScope(now time.Time, interval time.Duration, dirty []int) SweepScope {
	return SweepScope{Since: now.Add(-2*interval - SweepMargin), Dirty: dirty}
}

// Full reports whether the scope is a full sweep.
func (s SweepScope) Full() bool { return s.Since.IsZero() }

// IsDirty reports whether number was marked dirty.
func (s SweepScope) IsDirty(number int) bool { return slices.Contains(s.Dirty, number) }

// Includes reports whether an item numbered number, last updated at
// updated, is to be reconciled.
func (s SweepScope) Includes(number int, updated time.Time) bool {
	return s.Full() || !updated.Before(s.Since) || s.IsDirty(number)
}

// OpenPR is an open pull request as the shared sweep listing has it: the
// fields every sweeping feature needs to reconcile it without reading it
// again.
type OpenPR struct {
	Number int
	Title  string
	Body   string
	URL    string
	// Author is the login as REST and webhook payloads spell it: a bot's
	// login carries its "[bot]" suffix, which GraphQL drops.
	Author    string
	AuthorBot bool
	CreatedAt time.Time
	UpdatedAt time.Time
	HeadSHA   string
	BaseRef   string
	BaseSHA   string
	Draft     bool
	Labels    []string
	// Comments and Reviews count the conversation's comments (the app's
	// included) and the reviews: a PR with neither can be judged from its
	// body alone.
	Comments, Reviews int
	// Checks maps the name of each check run on the head commit to its
	// conclusion in lower case ("" while it has not completed), from the
	// status rollup: features find their stale checks without a lookup
	// per PR.
	Checks map[string]string
}

// HasCheck reports whether a check run named name is on the PR's head.
func (p OpenPR) HasCheck(name string) bool {
	_, ok := p.Checks[name]
	return ok
}

// openPRsPage is the number of PRs per listing request (GitHub's maximum).
const openPRsPage = 100

type gqlListedPR struct {
	Number      int
	Title       string
	Body        string
	URL         string
	CreatedAt   githubv4.DateTime
	UpdatedAt   githubv4.DateTime
	HeadRefOid  string
	BaseRefName string
	BaseRefOid  string
	IsDraft     bool
	Author      *gqlActor
	Labels      struct {
		Nodes []struct{ Name string }
	} `graphql:"labels(first: 100)"`
	// Only the counts are read; `first: 1` keeps the connections valid for
	// servers that require a page size (the emulator does).
	Comments          struct{ TotalCount int } `graphql:"comments(first: 1)"`
	Reviews           struct{ TotalCount int } `graphql:"reviews(first: 1)"`
	StatusCheckRollup *gqlRollup
}

type gqlActor struct {
	Typename string `graphql:"__typename"`
	Login    string
}

// gqlRollup is the status rollup of a PR's head: its check runs (commit
// statuses decode with an empty name).
type gqlRollup struct {
	Contexts struct {
		Nodes []gqlCheckContext
	} `graphql:"contexts(first: 100)"`
}

type gqlCheckContext struct {
	CheckRun gqlCheckRun `graphql:"... on CheckRun"`
}

type gqlCheckRun struct {
	Name       string
	Conclusion *string
}

// gqlOpenPRsPage lists open PRs oldest first: a PR opened while the pages
// are read joins the end instead of shifting the pages already read, so no
// PR is skipped or read twice (an UPDATED_AT order would move a PR updated
// meanwhile to the front, past the cursor).
type gqlOpenPRsPage struct {
	Repository *struct {
		PullRequests struct {
			Nodes    []gqlListedPR
			PageInfo struct {
				HasNextPage bool
				EndCursor   githubv4.String
			}
		} `graphql:"pullRequests(states: OPEN, first: 100, after: $after, orderBy: {field: CREATED_AT, direction: ASC})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// sweepShared is what the features sweeping one repository share through
// its Env: the open-PR listing and the Envs at other base branches.
type sweepShared struct {
	mu     sync.Mutex
	listed bool
	open   []OpenPR
	bases  map[string]*Env
}

// OpenPullRequests lists every open pull request of the repository (all
// pages), read once per Env however many features ask: the adr,
// configcheck, docs and timezones sweeps share one listing per repository
// sweep. Cost: ⌈N/100⌉ GraphQL requests for N open PRs. Callers must not
// modify the result.
func (e *Env) OpenPullRequests(ctx context.Context) ([]OpenPR, error) {
	e.sweep.mu.Lock()
	defer e.sweep.mu.Unlock()
	if e.sweep.listed {
		return e.sweep.open, nil
	}
	if e.GraphQL == nil {
		return nil, fmt.Errorf("list open pull requests of %s: no GraphQL client", e.Repo.FullName())
	}
	vars := map[string]any{
		"owner": githubv4.String(e.Repo.Owner),
		"name":  githubv4.String(e.Repo.Name),
		"after": (*githubv4.String)(nil),
	}
	var out []OpenPR
	for {
		var q gqlOpenPRsPage
		if err := e.GraphQL.Query(ctx, &q, vars); err != nil {
			return nil, fmt.Errorf("list open pull requests of %s: %w", e.Repo.FullName(), err)
		}
		if q.Repository == nil {
			break
		}
		for _, n := range q.Repository.PullRequests.Nodes {
			out = append(out, openPRFrom(n))
		}
		page := q.Repository.PullRequests.PageInfo
		if !page.HasNextPage {
			break
		}
		after := page.EndCursor
		vars["after"] = &after
	}
	e.sweep.open, e.sweep.listed = out, true
	return out, nil
}

func openPRFrom(n gqlListedPR) OpenPR {
	p := OpenPR{
		Number: n.Number, Title: n.Title, Body: n.Body, URL: n.URL,
		CreatedAt: n.CreatedAt.UTC(), UpdatedAt: n.UpdatedAt.UTC(),
		HeadSHA: n.HeadRefOid, BaseRef: n.BaseRefName, BaseSHA: n.BaseRefOid, Draft: n.IsDraft,
		Comments: n.Comments.TotalCount, Reviews: n.Reviews.TotalCount,
	}
	if a := n.Author; a != nil {
		p.Author = a.Login
		if a.Typename == "Bot" {
			p.AuthorBot = true
			if !strings.HasSuffix(p.Author, "[bot]") {
				p.Author += "[bot]"
			}
		}
	}
	for _, l := range n.Labels.Nodes {
		p.Labels = append(p.Labels, l.Name)
	}
	if r := n.StatusCheckRollup; r != nil {
		p.Checks = map[string]string{}
		for _, c := range r.Contexts.Nodes {
			name := c.CheckRun.Name
			if name == "" {
				continue // a commit status, not a check run
			}
			if _, seen := p.Checks[name]; seen {
				continue
			}
			conclusion := ""
			if c.CheckRun.Conclusion != nil {
				conclusion = strings.ToLower(*c.CheckRun.Conclusion)
			}
			p.Checks[name] = conclusion
		}
	}
	return p
}

// ForBase returns an Env for the same installation, repository and instant
// whose policy is read at ref, as an event on a PR based on ref would read
// it (principle 7: a PR is judged by its base branch). A sweep's Env reads
// the default branch's; a PR based elsewhere is reconciled with ForBase so
// the sweep decides exactly what the event would have. The Env is made once
// per ref and shared, so the features sweeping such a PR share its policy
// and file listings too. It is e itself for ref "" or e's own policy ref,
// and when e has no loader (its policy is pinned). Scope and the open-PR
// listing stay with e, the repository's Env.
func (e *Env) ForBase(ref string) *Env {
	if ref == "" || ref == e.PolicyRef || (e.PolicyRef == "" && ref == e.Repo.DefaultBranch) || e.Policies == nil {
		return e
	}
	e.sweep.mu.Lock()
	defer e.sweep.mu.Unlock()
	if b, ok := e.sweep.bases[ref]; ok {
		return b
	}
	b := &Env{
		InstallationID: e.InstallationID, REST: e.REST, GraphQL: e.GraphQL, GH: e.GH,
		Now: e.Now, Policies: e.Policies, Repo: e.Repo, PolicyRef: ref,
	}
	if e.sweep.bases == nil {
		e.sweep.bases = map[string]*Env{}
	}
	e.sweep.bases[ref] = b
	return b
}

// Select returns the PRs of prs in scope, in the listing's order.
func (s SweepScope) Select(prs []OpenPR) []OpenPR {
	var out []OpenPR
	for _, p := range prs {
		if s.Includes(p.Number, p.UpdatedAt) {
			out = append(out, p)
		}
	}
	return out
}

// REST is the PR in the shape of a webhook payload's pull_request, for the
// reconcilers that take one: number, state, title, body, draft, URL, author,
// labels, head and base.
func (p OpenPR) REST() *github.PullRequest {
	pr := &github.PullRequest{
		Number: github.Int(p.Number), State: github.String("open"), Title: github.String(p.Title),
		Body: github.String(p.Body), Draft: github.Bool(p.Draft), HTMLURL: github.String(p.URL),
		User:      &github.User{Login: github.String(p.Author)},
		CreatedAt: &github.Timestamp{Time: p.CreatedAt}, UpdatedAt: &github.Timestamp{Time: p.UpdatedAt},
		Head: &github.PullRequestBranch{SHA: github.String(p.HeadSHA)},
		Base: &github.PullRequestBranch{SHA: github.String(p.BaseSHA), Ref: github.String(p.BaseRef)},
	}
	if p.AuthorBot {
		pr.User.Type = github.String("Bot")
	}
	for _, l := range p.Labels {
		pr.Labels = append(pr.Labels, &github.Label{Name: github.String(l)})
	}
	return pr
}

// ShareListing gives next, the Env of a sweep's next feature, the open-PR
// listing e has read: the next feature reads every PR afresh (the PR
// snapshot, comments and check runs are per Env, and an event may have
// written to the PR in between) but not the list of them again.
func (e *Env) ShareListing(next *Env) {
	e.sweep.mu.Lock()
	listed, open := e.sweep.listed, e.sweep.open
	e.sweep.mu.Unlock()
	if !listed {
		return
	}
	next.sweep.mu.Lock()
	next.sweep.listed, next.sweep.open = true, open
	next.sweep.mu.Unlock()
}
