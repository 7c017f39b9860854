package timezones

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
)

// Marker starts the one comment Overlap keeps in a thread.
var Marker = gh.Marker("timezones")

// Feature implements handlers.Feature.
type Feature struct{}

// Name implements handlers.Feature.
func (Feature) Name() string { return "timezones" }

// Events implements handlers.Feature.
func (Feature) Events() []string {
	return []string{"pull_request", "issues", "issue_comment", "pull_request_review", "discussion", "discussion_comment"}
}

// threadKind says where a thread lives and how it is read.
type threadKind int

const (
	issueThread      threadKind = iota // an issue: body + comments
	prThread                           // a pull request: body + comments + review bodies
	discussionThread                   // a discussion: body + comments + replies (GraphQL)
)

// target is the thread an event touches, with what the payload already
// says about its body.
type target struct {
	kind   threadKind
	number int
	body   Text // issue and PR threads: the body as the payload has it
}

// Handle implements handlers.Feature: it re-reads the whole thread the
// event touched and reconciles its sticky comment.
func (Feature) Handle(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	tg, ok, err := targetOf(ev)
	if err != nil || !ok {
		return err
	}
	return reconcile(ctx, env, tg)
}

// reconcile re-reads the whole thread tg and reconciles its sticky
// comment; the event and the sweep (sweep.go) share it.
func reconcile(ctx context.Context, env *handlers.Env, tg target) error {
	loaded, err := env.Policy(ctx)
	if err != nil {
		return err
	}
	if !loaded.Policy.Timezones.Active() {
		return nil
	}
	cal := roster.Calendar(loaded.Policy.Team)
	switch tg.kind {
	case discussionThread:
		d, err := env.GH.GetDiscussion(ctx, env.Repo, tg.number)
		if err != nil {
			return err
		}
		body, err := CommentContext(ctx, discussionTexts(d), cal)
		if err != nil {
			return err
		}
		if body == "" {
			_, err = env.GH.DeleteDiscussionCommentIn(ctx, env.Repo, d, Marker)
		} else {
			_, err = env.GH.UpsertDiscussionCommentIn(ctx, env.Repo, d, Marker, body)
		}
		return err
	default:
		if tg.kind == prThread && env.GraphQL != nil {
			// One read for the conversation and its reviews, shared with
			// the other features (it fills ListComments' cache).
			if _, err := env.PullRequest(ctx, tg.number); err != nil {
				return err
			}
		}
		comments, err := env.GH.ListComments(ctx, env.Repo, tg.number)
		if err != nil {
			return err
		}
		texts := append([]Text{tg.body}, commentTexts(comments)...)
		if tg.kind == prThread {
			reviews, err := listReviews(ctx, env, tg.number)
			if err != nil {
				return err
			}
			texts = append(texts, reviews...)
		}
		sortTexts(texts[1:]) // the body first, then comments and reviews as written
		body, err := CommentContext(ctx, texts, cal)
		if err != nil {
			return err
		}
		if body == "" {
			_, err = env.GH.DeleteCommentIn(ctx, env.Repo, tg.number, comments, Marker)
		} else {
			_, err = env.GH.UpsertCommentIn(ctx, env.Repo, tg.number, comments, Marker, body)
		}
		return err
	}
}

// payload is the part of the six event types the feature reads.
type payload struct {
	Changes *struct {
		Body *struct{} `json:"body"`
	} `json:"changes"`
	PullRequest *struct {
		textJSON
	} `json:"pull_request"`
	Issue *struct {
		textJSON
		PullRequest *struct{} `json:"pull_request"`
	} `json:"issue"`
	Discussion *struct {
		Number int `json:"number"`
	} `json:"discussion"`
	Comment *textJSON `json:"comment"`
	Review  *textJSON `json:"review"`
}

type textJSON struct {
	Number    int          `json:"number"`
	Body      *string      `json:"body"`
	User      *github.User `json:"user"`
	CreatedAt time.Time    `json:"created_at"`
}

func (t *textJSON) text() Text {
	return Text{Author: t.User.GetLogin(), Body: derefString(t.Body), At: t.CreatedAt, Bot: isBot(t.User)}
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func isBot(u *github.User) bool {
	return u.GetType() == "Bot" || strings.HasSuffix(u.GetLogin(), "[bot]")
}

// targetOf decides from the payload alone whether the event can change a
// thread's phrases, and which thread. Events that cannot (a title edit, a
// bot's comment, a review without a body) cost no API call.
func targetOf(ev *handlers.Event) (target, bool, error) {
	if !mayTarget(ev.Type, ev.Action) {
		return target{}, false, nil // decided from the envelope: no payload decode
	}
	var p payload
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return target{}, false, fmt.Errorf("parse %s payload: %w", ev.Type, err)
	}
	bodyEdit := p.Changes != nil && p.Changes.Body != nil
	switch ev.Type {
	case "pull_request":
		if p.PullRequest == nil || !(ev.Action == "opened" || (ev.Action == "edited" && bodyEdit)) {
			return target{}, false, nil
		}
		return target{kind: prThread, number: p.PullRequest.Number, body: p.PullRequest.text()}, true, nil
	case "issues":
		if p.Issue == nil || !(ev.Action == "opened" || (ev.Action == "edited" && bodyEdit)) {
			return target{}, false, nil
		}
		return issueTarget(&p), true, nil
	case "issue_comment":
		if p.Issue == nil || p.Comment == nil || isBot(p.Comment.User) ||
			!(ev.Action == "created" || ev.Action == "edited" || ev.Action == "deleted") {
			return target{}, false, nil
		}
		return issueTarget(&p), true, nil
	case "pull_request_review":
		if p.PullRequest == nil || p.Review == nil || isBot(p.Review.User) {
			return target{}, false, nil
		}
		submitted := ev.Action == "submitted" && strings.TrimSpace(derefString(p.Review.Body)) != ""
		if !submitted && !(ev.Action == "edited" && bodyEdit) {
			return target{}, false, nil
		}
		return target{kind: prThread, number: p.PullRequest.Number, body: p.PullRequest.text()}, true, nil
	case "discussion":
		if p.Discussion == nil || !(ev.Action == "created" || (ev.Action == "edited" && bodyEdit)) {
			return target{}, false, nil
		}
		return target{kind: discussionThread, number: p.Discussion.Number}, true, nil
	case "discussion_comment":
		if p.Discussion == nil || p.Comment == nil || isBot(p.Comment.User) ||
			!(ev.Action == "created" || ev.Action == "edited" || ev.Action == "deleted") {
			return target{}, false, nil
		}
		return target{kind: discussionThread, number: p.Discussion.Number}, true, nil
	}
	return target{}, false, nil
}

// mayTarget reports whether an event of this type and action can ever
// name a thread to reconcile (the checks in targetOf that need only the
// envelope), so the many events that cannot cost no payload decode.
func mayTarget(typ, action string) bool {
	switch typ {
	case "pull_request", "issues":
		return action == "opened" || action == "edited"
	case "issue_comment", "discussion_comment":
		return action == "created" || action == "edited" || action == "deleted"
	case "pull_request_review":
		return action == "submitted" || action == "edited"
	case "discussion":
		return action == "created" || action == "edited"
	}
	return false
}

func issueTarget(p *payload) target {
	kind := issueThread
	if p.Issue.PullRequest != nil {
		kind = prThread
	}
	return target{kind: kind, number: p.Issue.Number, body: p.Issue.text()}
}

func commentTexts(cs []*github.IssueComment) []Text {
	out := make([]Text, 0, len(cs))
	for _, c := range cs {
		out = append(out, Text{Author: c.GetUser().GetLogin(), Body: c.GetBody(), At: c.GetCreatedAt().Time, Bot: isBot(c.GetUser())})
	}
	return out
}

// listReviews reads the bodies of a pull request's reviews: from the
// event's shared snapshot (handlers.Env.PullRequest, which also serves the
// comment listing) when it holds them all, else over REST (100 a page).
func listReviews(ctx context.Context, env *handlers.Env, number int) ([]Text, error) {
	var out []Text
	if env.GraphQL != nil {
		snap, err := env.PullRequest(ctx, number)
		if err != nil {
			return nil, err
		}
		if snap.ReviewsComplete {
			for _, r := range snap.Reviews {
				if strings.TrimSpace(r.Body) == "" || r.State == "PENDING" {
					continue
				}
				author := r.Author
				if author == "" {
					author = "ghost"
				}
				out = append(out, Text{Author: author, Body: r.Body, At: r.SubmittedAt, Bot: r.AuthorBot})
			}
			return out, nil
		}
	}
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := env.REST.PullRequests.ListReviews(ctx, env.Repo.Owner, env.Repo.Name, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list reviews of %s#%d: %w", env.Repo.FullName(), number, err)
		}
		for _, r := range page {
			if strings.TrimSpace(r.GetBody()) == "" {
				continue
			}
			out = append(out, Text{Author: r.GetUser().GetLogin(), Body: r.GetBody(), At: r.GetSubmittedAt().Time, Bot: isBot(r.GetUser())})
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

func discussionTexts(d *gh.Discussion) []Text {
	out := []Text{{Author: d.Author.Login, Body: d.Body, At: d.CreatedAt, Bot: d.Author.Bot}}
	for _, c := range d.Comments {
		out = append(out, Text{Author: c.Author.Login, Body: c.Body, At: c.CreatedAt, Bot: c.Author.Bot})
	}
	return out
}

// sortTexts orders comments and reviews by when they were written.
func sortTexts(ts []Text) {
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].At.Before(ts[j].At) })
}
