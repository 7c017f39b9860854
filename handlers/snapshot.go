package handlers

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"
)

// PRSnapshot is the per-Env view of one pull request (DESIGN principle 10,
// "one read per event"): what every interested feature reads about it,
// fetched in ONE GraphQL request at the first need (Env.PullRequest), and
// shared. Filling it also fills the caches the features' own lookups go
// through, so they cost no call: Env.PullRequestFiles, the comment listing
// of gh.Client.ListComments / FindComments, and gh.Client.FindCheckRun for
// the head commit.
//
// Logins are spelled as REST and webhook payloads spell them: a bot's
// carries its "[bot]" suffix, which GraphQL drops (gh.Client.IsOwn
// compares against the REST spelling).
type PRSnapshot struct {
	Number    int
	Title     string
	Body      string
	URL       string
	State     string // OPEN, CLOSED or MERGED
	Draft     bool
	Author    string
	AuthorBot bool
	CreatedAt time.Time
	UpdatedAt time.Time
	Labels    []string
	BaseRef   string
	BaseSHA   string
	HeadRef   string
	HeadSHA   string

	// Files are the first 100 changed files as REST lists them (filename,
	// status, additions, deletions). FilesComplete says they are all of
	// them and none is a rename or copy (GraphQL does not name a renamed
	// file's previous path); otherwise Env.PullRequestFiles lists them over
	// REST.
	Files         []*github.CommitFile
	FilesComplete bool
	// Comments are the conversation's last 100 comments, oldest first, as
	// REST lists them; CommentsComplete says there are no older ones.
	Comments         []*github.IssueComment
	CommentsComplete bool
	// Reviews are the last 100 reviews, oldest first; ReviewsComplete says
	// there are no older ones.
	Reviews         []SnapshotReview
	ReviewsComplete bool
	// ReviewRequests are the pending review requests (first 50).
	ReviewRequests []SnapshotReviewer
	// Timeline holds the last 100 review-request and ready-for-review
	// events, oldest first.
	Timeline []SnapshotEvent
	// CheckSHA is the head commit the check runs are of; CheckRuns are the
	// app's runs on it (every app's when the Env knows no app ID), with the
	// fields gh.Client.FindCheckRun callers read. ChecksComplete says no
	// page was left unread.
	CheckSHA       string
	CheckRuns      []*github.CheckRun
	ChecksComplete bool

	parts map[string]any // SnapshotPart fields, by alias
}

// SnapshotReview is one review of the snapshot.
type SnapshotReview struct {
	ID          int64
	Author      string // "" for a deleted account
	AuthorBot   bool
	Body        string
	State       string    // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
	SubmittedAt time.Time // zero while pending
}

// SnapshotReviewer is a requested reviewer: Kind is "User", "Team", "Bot"
// or "Mannequin"; Login is a user's, bot's (raw GraphQL spelling, without
// "[bot]") or mannequin's login, Team a team's "org/slug".
type SnapshotReviewer struct {
	Kind  string
	Login string
	Team  string
}

// SnapshotEvent is a timeline event: Kind "ReviewRequestedEvent" (with its
// Reviewer) or "ReadyForReviewEvent".
type SnapshotEvent struct {
	Kind     string
	At       time.Time
	Reviewer *SnapshotReviewer
}

// REST is the snapshot in the shape of a webhook payload's pull_request.
func (p *PRSnapshot) REST() *github.PullRequest {
	state := "open"
	if p.State != "OPEN" {
		state = "closed"
	}
	pr := &github.PullRequest{
		Number: github.Int(p.Number), State: github.String(state), Title: github.String(p.Title),
		Body: github.String(p.Body), Draft: github.Bool(p.Draft), HTMLURL: github.String(p.URL),
		Merged:    github.Bool(p.State == "MERGED"),
		User:      &github.User{Login: github.String(p.Author)},
		CreatedAt: &github.Timestamp{Time: p.CreatedAt}, UpdatedAt: &github.Timestamp{Time: p.UpdatedAt},
		Head: &github.PullRequestBranch{SHA: github.String(p.HeadSHA), Ref: github.String(p.HeadRef)},
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

// Part returns the value a SnapshotPart's field with alias decoded into
// (the field's Type), and whether the snapshot read it.
func (p *PRSnapshot) Part(alias string) (any, bool) {
	v, ok := p.parts[alias]
	return v, ok
}

// SnapshotField is one field a SnapshotPart adds to the repository object
// of the snapshot query: `<Alias>: <Field>`, decoded into Type.
type SnapshotField struct {
	Alias string       // lowerCamel, unique across parts (prefix it with the part's name)
	Field string       // the field and its arguments, e.g. `object(expression: $adrTree)`
	Type  reflect.Type // what the field decodes into
}

// SnapshotPart is a feature's contribution to the snapshot query: the
// repository-level fields it would otherwise read in a query of its own,
// so that an event makes one GraphQL request for every feature. Fields is
// called when a snapshot is built; it returns nothing when the feature has
// no use for it (disabled by policy), and the variables its fields use
// (named with the part's prefix). Fields read once per Env: they are
// repository facts, the same for every pull request of an event or sweep.
type SnapshotPart struct {
	Name   string
	Fields func(ctx context.Context, env *Env) ([]SnapshotField, map[string]any, error)
}

var (
	partsMu sync.Mutex
	parts   []SnapshotPart
)

// RegisterSnapshotPart adds a part to every snapshot query (features
// register theirs in an init function; no feature imports another).
func RegisterSnapshotPart(p SnapshotPart) {
	partsMu.Lock()
	defer partsMu.Unlock()
	for _, q := range parts {
		if q.Name == p.Name {
			panic("handlers: snapshot part " + p.Name + " registered twice")
		}
	}
	parts = append(parts, p)
	sort.Slice(parts, func(i, j int) bool { return parts[i].Name < parts[j].Name })
}

func snapshotParts() []SnapshotPart {
	partsMu.Lock()
	defer partsMu.Unlock()
	return append([]SnapshotPart(nil), parts...)
}

// snapshots is the Env's memo of pull request snapshots.
type snapshots struct {
	mu        sync.Mutex
	prs       map[int]*PRSnapshot
	repoParts map[string]any // part fields read so far, by alias
	partsRead bool
}

type gqlSnapActor struct {
	Typename string `graphql:"__typename"`
	Login    string
}

type gqlSnapReviewer struct {
	Typename  string                        `graphql:"__typename"`
	User      struct{ Login string }        `graphql:"... on User"`
	Team      struct{ CombinedSlug string } `graphql:"... on Team"`
	Bot       struct{ Login string }        `graphql:"... on Bot"`
	Mannequin struct{ Login string }        `graphql:"... on Mannequin"`
}

type gqlSnapCheckRun struct {
	DatabaseID  int64
	Name        string
	Status      string
	Conclusion  *string
	ExternalID  *string
	Title       *string
	Summary     *string
	DetailsURL  *string
	Annotations struct{ TotalCount int } `graphql:"annotations(first: 1)"`
}

type gqlSnapPR struct {
	Number      int
	Title       string
	Body        string
	URL         string
	State       string
	IsDraft     bool
	CreatedAt   githubv4.DateTime
	UpdatedAt   githubv4.DateTime
	Author      *gqlSnapActor
	BaseRefName string
	BaseRefOid  string
	HeadRefName string
	HeadRefOid  string
	Labels      struct {
		Nodes []struct{ Name string }
	} `graphql:"labels(first: 100)"`
	Files struct {
		PageInfo struct{ HasNextPage bool }
		Nodes    []struct {
			Path       string
			Additions  int
			Deletions  int
			ChangeType string
		}
	} `graphql:"files(first: 100)"`
	Comments struct {
		PageInfo struct{ HasPreviousPage bool }
		Nodes    []struct {
			DatabaseID int64
			Body       string
			URL        string
			CreatedAt  githubv4.DateTime
			UpdatedAt  githubv4.DateTime
			Author     *gqlSnapActor
		}
	} `graphql:"comments(last: 100)"`
	Reviews struct {
		PageInfo struct{ HasPreviousPage bool }
		Nodes    []struct {
			DatabaseID  int64
			Body        string
			State       string
			SubmittedAt *githubv4.DateTime
			Author      *gqlSnapActor
		}
	} `graphql:"reviews(last: 100)"`
	ReviewRequests struct {
		Nodes []struct{ RequestedReviewer *gqlSnapReviewer }
	} `graphql:"reviewRequests(first: 50)"`
	TimelineItems struct {
		Nodes []struct {
			Typename             string `graphql:"__typename"`
			ReviewRequestedEvent struct {
				CreatedAt         githubv4.DateTime
				RequestedReviewer *gqlSnapReviewer
			} `graphql:"... on ReviewRequestedEvent"`
			ReadyForReviewEvent struct {
				CreatedAt githubv4.DateTime
			} `graphql:"... on ReadyForReviewEvent"`
		}
	} `graphql:"timelineItems(itemTypes: [REVIEW_REQUESTED_EVENT, READY_FOR_REVIEW_EVENT], last: 100)"`
	// The head commit is the PR's last commit; its check suites of this
	// app (CheckSuiteFilter.appId; null: every app) and their latest run
	// of each name, as the REST listing with filter=latest has them.
	Commits struct {
		Nodes []struct {
			Commit struct {
				Oid         string
				CheckSuites struct {
					PageInfo struct{ HasNextPage bool }
					Nodes    []struct {
						CheckRuns struct {
							PageInfo struct{ HasNextPage bool }
							Nodes    []gqlSnapCheckRun
						} `graphql:"checkRuns(first: 100, filterBy: {checkType: LATEST})"`
					}
				} `graphql:"checkSuites(first: 10, filterBy: {appId: $snapAppId})"`
			}
		}
	} `graphql:"commits(last: 1)"`
}

// PullRequest returns the snapshot of pull request number, read once per
// Env in one GraphQL request however many features ask (see PRSnapshot),
// with every registered SnapshotPart's fields the first time. Callers must
// not modify it.
func (e *Env) PullRequest(ctx context.Context, number int) (*PRSnapshot, error) {
	e.snaps.mu.Lock()
	defer e.snaps.mu.Unlock()
	if p, ok := e.snaps.prs[number]; ok {
		return p, nil
	}
	if e.GraphQL == nil {
		return nil, fmt.Errorf("read %s#%d: no GraphQL client", e.Repo.FullName(), number)
	}
	var fields []SnapshotField
	vars := map[string]any{
		"owner":      githubv4.String(e.Repo.Owner),
		"name":       githubv4.String(e.Repo.Name),
		"snapNumber": githubv4.Int(number),
		"snapAppId":  (*githubv4.Int)(nil),
	}
	if e.GH != nil && e.GH.AppID() != 0 {
		id := githubv4.Int(e.GH.AppID())
		vars["snapAppId"] = &id
	}
	if !e.snaps.partsRead {
		seen := map[string]bool{}
		for _, p := range snapshotParts() {
			fs, vs, err := p.Fields(ctx, e)
			if err != nil {
				return nil, fmt.Errorf("read %s#%d: snapshot part %s: %w", e.Repo.FullName(), number, p.Name, err)
			}
			for _, f := range fs {
				if seen[f.Alias] {
					return nil, fmt.Errorf("snapshot part %s: alias %s used twice", p.Name, f.Alias)
				}
				seen[f.Alias] = true
				fields = append(fields, f)
			}
			for k, v := range vs {
				if _, dup := vars[k]; dup {
					return nil, fmt.Errorf("snapshot part %s: variable %s used twice", p.Name, k)
				}
				vars[k] = v
			}
		}
	}
	repoFields := []reflect.StructField{
		{Name: "PullRequest", Type: reflect.TypeOf((*gqlSnapPR)(nil)), Tag: `graphql:"pullRequest(number: $snapNumber)"`},
	}
	for i, f := range fields {
		repoFields = append(repoFields, reflect.StructField{
			Name: fmt.Sprintf("P%d", i), Type: f.Type,
			Tag: reflect.StructTag(fmt.Sprintf(`graphql:"%s: %s"`, f.Alias, f.Field)),
		})
	}
	qt := reflect.StructOf([]reflect.StructField{
		{Name: "Repository", Type: reflect.StructOf(repoFields), Tag: `graphql:"repository(owner: $owner, name: $name)"`},
	})
	q := reflect.New(qt)
	if err := e.GraphQL.Query(ctx, q.Interface(), vars); err != nil {
		return nil, fmt.Errorf("read %s#%d: %w", e.Repo.FullName(), number, err)
	}
	repo := q.Elem().Field(0)
	node := repo.Field(0).Interface().(*gqlSnapPR)
	if node == nil {
		return nil, fmt.Errorf("read %s#%d: not found", e.Repo.FullName(), number)
	}
	if !e.snaps.partsRead {
		e.snaps.partsRead = true
		e.snaps.repoParts = map[string]any{}
		for i, f := range fields {
			e.snaps.repoParts[f.Alias] = repo.Field(i + 1).Interface()
		}
	}
	p := snapshotFrom(node)
	p.parts = e.snaps.repoParts
	if e.snaps.prs == nil {
		e.snaps.prs = map[int]*PRSnapshot{}
	}
	e.snaps.prs[number] = p
	e.seed(p)
	return p, nil
}

// seed fills the Env's and the write path's caches from p.
func (e *Env) seed(p *PRSnapshot) {
	if p.FilesComplete {
		e.filesMu.Lock()
		if _, ok := e.files[p.Number]; !ok {
			if e.files == nil {
				e.files = map[int][]*github.CommitFile{}
			}
			e.files[p.Number] = p.Files
		}
		e.filesMu.Unlock()
	}
	if e.GH == nil {
		return
	}
	if p.CommentsComplete {
		e.GH.SeedComments(e.Repo, p.Number, append([]*github.IssueComment(nil), p.Comments...))
	}
	if p.ChecksComplete && p.CheckSHA != "" {
		e.GH.SeedCheckRuns(e.Repo, p.CheckSHA, p.CheckRuns)
	}
}

// restLogin is a GraphQL actor's login as REST spells it, and whether it
// is a bot. A deleted account (null author) is REST's "ghost".
func restLogin(a *gqlSnapActor) (string, string) {
	if a == nil {
		return "ghost", "User"
	}
	if a.Typename == "Bot" && !strings.HasSuffix(a.Login, "[bot]") {
		return a.Login + "[bot]", "Bot"
	}
	return a.Login, a.Typename
}

// restFileStatus maps GraphQL's PatchStatus to the REST file status.
var restFileStatus = map[string]string{
	"ADDED": "added", "DELETED": "removed", "MODIFIED": "modified", "RENAMED": "renamed",
	"COPIED": "copied", "CHANGED": "changed",
}

func snapReviewer(r *gqlSnapReviewer) *SnapshotReviewer {
	if r == nil {
		return nil
	}
	out := &SnapshotReviewer{Kind: r.Typename}
	switch r.Typename {
	case "User":
		out.Login = r.User.Login
	case "Bot":
		out.Login = r.Bot.Login
	case "Team":
		out.Team = r.Team.CombinedSlug
	case "Mannequin":
		out.Login = r.Mannequin.Login
	}
	return out
}

func snapshotFrom(n *gqlSnapPR) *PRSnapshot {
	p := &PRSnapshot{
		Number: n.Number, Title: n.Title, Body: n.Body, URL: n.URL, State: n.State, Draft: n.IsDraft,
		CreatedAt: n.CreatedAt.UTC(), UpdatedAt: n.UpdatedAt.UTC(),
		BaseRef: n.BaseRefName, BaseSHA: n.BaseRefOid, HeadRef: n.HeadRefName, HeadSHA: n.HeadRefOid,
	}
	if n.Author != nil {
		login, typ := restLogin(n.Author)
		p.Author, p.AuthorBot = login, typ == "Bot"
	}
	for _, l := range n.Labels.Nodes {
		p.Labels = append(p.Labels, l.Name)
	}
	p.FilesComplete = !n.Files.PageInfo.HasNextPage
	for _, f := range n.Files.Nodes {
		status := restFileStatus[f.ChangeType]
		if status == "" || status == "renamed" || status == "copied" {
			p.FilesComplete = false // REST names the previous path; GraphQL does not
		}
		p.Files = append(p.Files, &github.CommitFile{
			Filename: github.String(f.Path), Status: github.String(status),
			Additions: github.Int(f.Additions), Deletions: github.Int(f.Deletions), Changes: github.Int(f.Additions + f.Deletions),
		})
	}
	p.CommentsComplete = !n.Comments.PageInfo.HasPreviousPage
	for _, c := range n.Comments.Nodes {
		login, typ := restLogin(c.Author)
		p.Comments = append(p.Comments, &github.IssueComment{
			ID: github.Int64(c.DatabaseID), Body: github.String(c.Body), HTMLURL: github.String(c.URL),
			CreatedAt: &github.Timestamp{Time: c.CreatedAt.UTC()}, UpdatedAt: &github.Timestamp{Time: c.UpdatedAt.UTC()},
			User: &github.User{Login: github.String(login), Type: github.String(typ)},
		})
	}
	p.ReviewsComplete = !n.Reviews.PageInfo.HasPreviousPage
	for _, r := range n.Reviews.Nodes {
		rv := SnapshotReview{ID: r.DatabaseID, Body: r.Body, State: r.State}
		if r.Author != nil {
			login, typ := restLogin(r.Author)
			rv.Author, rv.AuthorBot = login, typ == "Bot"
		}
		if r.SubmittedAt != nil {
			rv.SubmittedAt = r.SubmittedAt.UTC()
		}
		p.Reviews = append(p.Reviews, rv)
	}
	for _, rq := range n.ReviewRequests.Nodes {
		if r := snapReviewer(rq.RequestedReviewer); r != nil {
			p.ReviewRequests = append(p.ReviewRequests, *r)
		}
	}
	for _, it := range n.TimelineItems.Nodes {
		switch it.Typename {
		case "ReviewRequestedEvent":
			p.Timeline = append(p.Timeline, SnapshotEvent{Kind: it.Typename, At: it.ReviewRequestedEvent.CreatedAt.UTC(),
				Reviewer: snapReviewer(it.ReviewRequestedEvent.RequestedReviewer)})
		case "ReadyForReviewEvent":
			p.Timeline = append(p.Timeline, SnapshotEvent{Kind: it.Typename, At: it.ReadyForReviewEvent.CreatedAt.UTC()})
		}
	}
	if len(n.Commits.Nodes) > 0 {
		head := n.Commits.Nodes[0].Commit
		suites := head.CheckSuites
		p.CheckSHA, p.ChecksComplete = head.Oid, !suites.PageInfo.HasNextPage
		for _, s := range suites.Nodes {
			if s.CheckRuns.PageInfo.HasNextPage {
				p.ChecksComplete = false
			}
			for _, r := range s.CheckRuns.Nodes {
				p.CheckRuns = append(p.CheckRuns, restCheckRun(head.Oid, r))
			}
		}
	}
	return p
}

func restCheckRun(sha string, r gqlSnapCheckRun) *github.CheckRun {
	out := &github.CheckRun{
		ID: github.Int64(r.DatabaseID), Name: github.String(r.Name), HeadSHA: github.String(sha),
		Status: github.String(strings.ToLower(r.Status)), ExternalID: r.ExternalID, DetailsURL: r.DetailsURL,
		Output: &github.CheckRunOutput{Title: r.Title, Summary: r.Summary, AnnotationsCount: github.Int(r.Annotations.TotalCount)},
	}
	if r.Conclusion != nil {
		out.Conclusion = github.String(strings.ToLower(*r.Conclusion))
	}
	return out
}
