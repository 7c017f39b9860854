package reviews

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
)

// Feature implements handlers.Feature, handlers.Sweeper and
// handlers.MetricsProvider. Build it with New.
type Feature struct {
	firstReview *prometheus.GaugeVec
	samples     *prometheus.GaugeVec
	series      repoSeries
}

// New returns the feature with its metrics.
func New() *Feature {
	return &Feature{
		firstReview: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "overlap_review_first_response_working_hours",
			Help: "Time to first review over the last 7 days, in working hours of the reviewer, by repository and quantile (0.5, 0.9). Updated by the reviews sweep.",
		}, []string{"repo", "quantile"}),
		samples: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "overlap_review_first_response_samples",
			Help: "Review requests answered in the last 7 days that the time-to-first-review quantiles are computed from, by repository.",
		}, []string{"repo"}),
	}
}

// Name implements handlers.Feature.
func (*Feature) Name() string { return featureName }

// Events implements handlers.Feature.
func (*Feature) Events() []string { return []string{"pull_request", "pull_request_review"} }

// Collectors implements handlers.MetricsProvider.
func (f *Feature) Collectors() []prometheus.Collector {
	return []prometheus.Collector{f.firstReview, f.samples}
}

var prActions = map[string]bool{
	"review_requested": true, "review_request_removed": true, "labeled": true,
	"ready_for_review": true, "edited": true, "closed": true,
}

// Handle implements handlers.Feature: a request, a label, a title edit or a
// review reconciles that one pull request at once (a review clears its
// nudge; an urgent label may make a nudge due; a title never does, see
// Urgent).
func (f *Feature) Handle(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	switch {
	case ev.Type == "pull_request" && prActions[ev.Action]:
	case ev.Type == "pull_request_review" && ev.Action == "submitted":
	default:
		return nil
	}
	var payload struct {
		PullRequest struct {
			Number int `json:"number"`
		} `json:"pull_request"`
	}
	if err := json.Unmarshal(ev.Payload, &payload); err != nil {
		return fmt.Errorf("parse %s payload: %w", ev.Type, err)
	}
	if payload.PullRequest.Number <= 0 {
		return fmt.Errorf("%s.%s payload has no pull request number", ev.Type, ev.Action)
	}
	loaded, err := env.Policy(ctx)
	if err != nil {
		return err
	}
	if !loaded.Policy.Reviews.Enabled {
		return nil
	}
	pr, err := LoadEventPR(ctx, env, payload.PullRequest.Number)
	if err != nil {
		return err
	}
	r := newRun(env, loaded.Policy)
	return r.reconcile(ctx, []PR{pr})
}

// Sweep implements handlers.Sweeper: every open pull request of the
// repository in one GraphQL request per 50, and the weekly figure.
func (f *Feature) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	loaded, err := env.Policy(ctx)
	if err != nil {
		return err
	}
	if !loaded.Policy.Reviews.Enabled {
		return nil
	}
	open, recent, err := LoadPRs(ctx, env.GraphQL, repo, env.GH.IsOwnLogin)
	if err != nil {
		return err
	}
	r := newRun(env, loaded.Policy)
	r.repo = repo
	r.expandTeams(ctx, recent)
	recErr := r.reconcile(ctx, open)
	fig := Weekly(append(open, recent...), r.cal, env.Now)
	f.samples.WithLabelValues(repo.FullName()).Set(float64(fig.Count))
	f.firstReview.WithLabelValues(repo.FullName(), "0.5").Set(fig.Median.Hours())
	f.firstReview.WithLabelValues(repo.FullName(), "0.9").Set(fig.P90.Hours())
	f.series.touch(repo.FullName(), env.Now, f.samples, f.firstReview)
	return recErr
}

// run is one event's or one sweep's work: the policy, calendar and
// directory are shared by every pull request it looks at.
type run struct {
	env  *handlers.Env
	repo gh.Repo
	pol  config.Policy
	cal  *calendar.Calendar
	dir  *roster.Directory
}

func newRun(env *handlers.Env, pol config.Policy) *run {
	return &run{env: env, repo: env.Repo, pol: pol, cal: roster.Calendar(pol.Team), dir: roster.NewDirectory(env.REST, env.GraphQL)}
}

// expandTeams fills in the members of team requests (one REST listing per
// team per run). A team Overlap cannot see is logged and left empty: its
// requests wait instead of failing the whole repository.
func (r *run) expandTeams(ctx context.Context, prs []PR) {
	fill := func(rqs []Request) {
		for i := range rqs {
			if !rqs[i].Team {
				continue
			}
			members, err := r.dir.Expand(ctx, []string{"@" + rqs[i].Reviewer})
			if err != nil {
				zerolog.Ctx(ctx).Warn().Err(err).Str("team", rqs[i].Reviewer).Msg("cannot expand team; its review requests wait")
				continue
			}
			rqs[i].Members = members
		}
	}
	for i := range prs {
		fill(prs[i].Pending)
		fill(prs[i].Requested)
	}
}

func (r *run) decide(pr PR) Plan {
	return Decide(Input{PR: pr, Policy: r.pol.Reviews, Team: r.pol.Team, Calendar: r.cal, Now: r.env.Now})
}

// reconcile decides every PR, reads the busy status of the people a ping
// would mention (once, in one GraphQL request) and decides again with it,
// caps the new pings at MaxPingsPerRun, then applies the plans.
func (r *run) reconcile(ctx context.Context, prs []PR) error {
	r.expandTeams(ctx, prs)
	if err := r.completeComments(ctx, prs); err != nil {
		return err
	}
	plans := make([]Plan, len(prs))
	var due []string
	for i, pr := range prs {
		plans[i] = r.decide(pr)
		due = append(due, plans[i].Due...)
	}
	if len(due) > 0 {
		busy, err := r.dir.Busy(ctx, uniqueFold(due))
		if err != nil {
			return err
		}
		r.cal.SetBusy(busy)
		for i, pr := range prs {
			plans[i] = r.decide(pr)
		}
	}
	for _, w := range CapPings(plans, MaxPingsPerRun) {
		zerolog.Ctx(ctx).Info().Str("repo", r.repo.FullName()).Str("marker", w).Msg("review ping waits for the next sweep: per-sweep limit reached")
	}
	var errs []error
	for i, pr := range prs {
		for _, w := range plans[i].Waits {
			zerolog.Ctx(ctx).Debug().Int("pr", pr.Number).Str("reviewer", w.Reviewer).Str("reason", w.Reason).
				Time("next", w.Next).Msg("review nudge waits")
		}
		if err := r.apply(ctx, pr, plans[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// completeComments reads the whole conversation of every pull request whose
// GraphQL page of comments did not reach its first one, so that pings and
// answers pushed out by a busy conversation are still found. It uses the
// write path's listing, which the writes on that PR then share.
func (r *run) completeComments(ctx context.Context, prs []PR) error {
	for i := range prs {
		if !prs[i].CommentsTruncated || len(prs[i].Requested) == 0 {
			continue
		}
		all, err := r.env.GH.ListComments(ctx, r.repo, prs[i].Number)
		if err != nil {
			return err
		}
		prs[i].CompleteComments(all, r.env.GH.IsOwnLogin)
	}
	return nil
}

// CapPings keeps at most limit new pings (posts and escalations) across
// plans, the oldest requests first, and returns the markers it held back
// (they wait for the next sweep). Resolutions are not capped.
func CapPings(plans []Plan, limit int) []string {
	type slot struct {
		plan, idx int
		esc       bool
		at        time.Time
		marker    string
	}
	var slots []slot
	for i, p := range plans {
		for j, post := range p.Posts {
			slots = append(slots, slot{i, j, false, post.RequestAt, post.Marker})
		}
		for j, e := range p.Escalates {
			slots = append(slots, slot{i, j, true, e.RequestAt, e.Post.Marker})
		}
	}
	if len(slots) <= limit {
		return nil
	}
	sort.SliceStable(slots, func(a, b int) bool { return slots[a].at.Before(slots[b].at) })
	keep := map[[3]int]bool{}
	var held []string
	for n, sl := range slots {
		k := [3]int{sl.plan, sl.idx, 0}
		if sl.esc {
			k[2] = 1
		}
		if n < limit {
			keep[k] = true
		} else {
			held = append(held, sl.marker)
		}
	}
	for i := range plans {
		var posts []Post
		for j, post := range plans[i].Posts {
			if keep[[3]int{i, j, 0}] {
				posts = append(posts, post)
			}
		}
		var escs []Escalate
		for j, e := range plans[i].Escalates {
			if keep[[3]int{i, j, 1}] {
				escs = append(escs, e)
			}
		}
		plans[i].Posts, plans[i].Escalates = posts, escs
	}
	return held
}

// apply writes one plan: duplicates left by two replicas go (the oldest
// stays), finished nudges are edited once, new pings are created (never
// edited: an existing ping with the marker is left as it is), and
// escalations request reviews and say so.
func (r *run) apply(ctx context.Context, pr PR, plan Plan) error {
	for _, marker := range plan.Duplicates {
		found, err := r.env.GH.FindComments(ctx, r.repo, pr.Number, marker)
		if err != nil {
			return err
		}
		if len(found) > 1 {
			if _, err := r.env.GH.DeleteCommentIn(ctx, r.repo, pr.Number, found[1:], marker); err != nil {
				return err
			}
		}
	}
	for _, p := range plan.Resolve {
		if _, err := r.env.GH.UpsertComment(ctx, r.repo, pr.Number, p.Marker, p.Body); err != nil {
			return err
		}
	}
	for _, p := range plan.Posts {
		if err := r.create(ctx, pr, p.Marker, p.Body); err != nil {
			return err
		}
	}
	for _, e := range plan.Escalates {
		if err := r.escalate(ctx, pr, e); err != nil {
			return err
		}
	}
	return nil
}

// create posts a ping unless a comment with its marker exists already.
func (r *run) create(ctx context.Context, pr PR, marker, body string) error {
	found, err := r.env.GH.FindComments(ctx, r.repo, pr.Number, marker)
	if err != nil || len(found) > 0 {
		return err
	}
	_, err = r.env.GH.UpsertFoundComment(ctx, r.repo, pr.Number, marker, body, nil)
	return err
}

// escalate requests reviews from the escalation target, leaving out anyone
// GitHub would refuse (checked first, and capped at GitHub's limit), and
// posts the comment that says who was asked and who could not be, even
// when nobody could.
func (r *run) escalate(ctx context.Context, pr PR, e Escalate) error {
	cands, refused, err := r.escalationTargets(ctx, pr, e)
	if err != nil {
		return err
	}
	users, teams, asked, more, err := r.admit(ctx, pr, cands)
	if err != nil {
		return err
	}
	refused = append(refused, more...)
	if len(users)+len(teams) > 0 {
		if _, err := r.env.GH.RequestReviewers(ctx, r.repo, pr.Number, users, teams); err != nil {
			var ge *github.ErrorResponse
			if !errors.As(err, &ge) || ge.Response == nil || ge.Response.StatusCode != http.StatusUnprocessableEntity {
				return err
			}
			zerolog.Ctx(ctx).Warn().Err(err).Int("pr", pr.Number).Msg("GitHub refused the escalation's review request")
			for _, a := range asked {
				refused = append(refused, Refusal{Who: a, Why: "GitHub refused the review request"})
			}
			asked = nil
		}
	}
	body := EscalationBody(e.Reviewer, e.RequestAt, e.Reason, asked, refused, r.pol.Team)
	return r.create(ctx, pr, e.Post.Marker, body)
}

// candidate is one reviewer an escalation would like to ask.
type candidate struct {
	login string // a user, or a team slug of the repository's organization
	team  bool
}

func (c candidate) name(org string) string {
	if c.team {
		return org + "/" + c.login
	}
	return c.login
}

// admit checks each candidate the way GitHub will (a user must be a
// collaborator, a team must have access to the repository) and keeps at
// most gh's limit of requested reviewers on the pull request.
func (r *run) admit(ctx context.Context, pr PR, cands []candidate) (users, teams, asked []string, refused []Refusal, err error) {
	pending := max(len(pr.Pending), pr.pendingAll)
	for _, c := range cands {
		name := c.name(r.repo.Owner)
		already := slices.ContainsFunc(pr.Pending, func(rq Request) bool { return strings.EqualFold(rq.Reviewer, name) })
		if !already {
			ok, why, err := r.mayRequest(ctx, c)
			if err != nil {
				return nil, nil, nil, nil, err
			}
			if !ok {
				refused = append(refused, Refusal{Who: name, Why: why})
				continue
			}
			if pending >= MaxRequestedReviewers {
				refused = append(refused, Refusal{Who: name, Why: fmt.Sprintf("GitHub allows at most %d requested reviewers on a pull request", MaxRequestedReviewers)})
				continue
			}
			pending++
		}
		if c.team {
			teams = append(teams, c.login)
		} else {
			users = append(users, c.login)
		}
		asked = append(asked, name)
	}
	return users, teams, asked, refused, nil
}

// MaxRequestedReviewers is GitHub's limit of users and teams together
// with a pending review request on one pull request.
const MaxRequestedReviewers = 15

// mayRequest asks GitHub whether a review may be requested from c: one
// call per candidate, made only when an escalation goes out.
func (r *run) mayRequest(ctx context.Context, c candidate) (bool, string, error) {
	if c.team {
		_, resp, err := r.env.REST.Teams.IsTeamRepoBySlug(ctx, r.repo.Owner, c.login, r.repo.Owner, r.repo.Name)
		switch {
		case resp != nil && resp.StatusCode == http.StatusNotFound:
			return false, "the team has no access to this repository", nil
		case err != nil:
			return false, "", fmt.Errorf("check team %s/%s's access to %s: %w", r.repo.Owner, c.login, r.repo.FullName(), err)
		}
		return true, "", nil
	}
	ok, _, err := r.env.REST.Repositories.IsCollaborator(ctx, r.repo.Owner, r.repo.Name, c.login)
	if err != nil {
		return false, "", fmt.Errorf("check whether %s is a collaborator of %s: %w", c.login, r.repo.FullName(), err)
	}
	if !ok {
		return false, "not a collaborator of this repository", nil
	}
	return true, "", nil
}

// escalationTargets resolves escalate_to for one request: a login, a team of
// the repository's organization (requested as a team; another org's team
// is expanded to its members, who must be collaborators here), or the
// CODEOWNERS owners of the PR's files at its base. The PR's author and the
// waiting reviewer are left out.
func (r *run) escalationTargets(ctx context.Context, pr PR, e Escalate) (cands []candidate, refused []Refusal, err error) {
	var refs []string
	if e.Target == config.EscalateToCodeowners {
		refs, err = r.codeowners(ctx, pr)
		if err != nil {
			return nil, nil, err
		}
	} else {
		refs = []string{string(e.Target)}
	}
	skip := func(login string) bool {
		return strings.EqualFold(login, pr.Author) || strings.EqualFold(login, e.Reviewer)
	}
	add := func(c candidate) {
		for _, x := range cands {
			if x.team == c.team && strings.EqualFold(x.login, c.login) {
				return
			}
		}
		cands = append(cands, c)
	}
	for _, ref := range refs {
		org, slug, isTeam := strings.Cut(strings.TrimPrefix(ref, "@"), "/")
		switch {
		case isTeam && strings.EqualFold(org, r.repo.Owner):
			if !strings.EqualFold(org+"/"+slug, e.Reviewer) {
				add(candidate{login: slug, team: true})
			}
		case isTeam:
			members, err := r.dir.Expand(ctx, []string{ref})
			if err != nil {
				zerolog.Ctx(ctx).Warn().Err(err).Str("team", ref).Msg("cannot read another organization's team for an escalation")
				refused = append(refused, Refusal{Who: org + "/" + slug, Why: "a team of another organization whose members Overlap cannot read"})
				continue
			}
			for _, m := range members {
				if !skip(m) {
					add(candidate{login: m})
				}
			}
		default:
			if login := strings.TrimPrefix(ref, "@"); !skip(login) {
				add(candidate{login: login})
			}
		}
	}
	return cands, refused, nil
}

// codeowners reads CODEOWNERS at the PR's base (the first of GitHub's three
// places that has one) and returns the owners of the PR's changed files.
func (r *run) codeowners(ctx context.Context, pr PR) ([]string, error) {
	ref := pr.BaseRef
	if ref == "" {
		ref = r.repo.DefaultBranch
	}
	var data string
	for _, p := range CodeownersPaths {
		fc, _, resp, err := r.env.REST.Repositories.GetContents(ctx, r.repo.Owner, r.repo.Name, p, &github.RepositoryContentGetOptions{Ref: ref})
		if err != nil {
			if resp != nil && resp.StatusCode == http.StatusNotFound {
				continue
			}
			return nil, fmt.Errorf("read %s at %s of %s: %w", p, ref, r.repo.FullName(), err)
		}
		if fc == nil {
			continue // a directory of that name
		}
		if data, err = fc.GetContent(); err != nil {
			return nil, fmt.Errorf("decode %s at %s of %s: %w", p, ref, r.repo.FullName(), err)
		}
		break
	}
	if data == "" {
		return nil, nil
	}
	files, err := r.env.PullRequestFiles(ctx, pr.Number)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.GetFilename())
	}
	co, err := ParseCodeownersContext(ctx, data)
	if err != nil {
		return nil, fmt.Errorf("read CODEOWNERS of %s: %w", r.repo.FullName(), err)
	}
	owners, err := co.OwnersContext(ctx, paths)
	if err != nil {
		return nil, fmt.Errorf("match CODEOWNERS of %s: %w", r.repo.FullName(), err)
	}
	return owners, nil
}
