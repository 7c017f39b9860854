package reviews

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

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
// nudge; an urgent label may make a nudge due).
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
	pr, err := LoadPR(ctx, env.GraphQL, env.Repo, payload.PullRequest.Number, env.GH.IsOwnLogin)
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
// then applies the plans.
func (r *run) reconcile(ctx context.Context, prs []PR) error {
	r.expandTeams(ctx, prs)
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

func (r *run) apply(ctx context.Context, pr PR, plan Plan) error {
	for _, p := range append(plan.Resolve, plan.Posts...) {
		if _, err := r.env.GH.UpsertComment(ctx, r.repo, pr.Number, p.Marker, p.Body); err != nil {
			return err
		}
	}
	for _, e := range plan.Escalates {
		users, teams, err := r.escalationTargets(ctx, pr, e)
		if err != nil {
			return err
		}
		if len(users)+len(teams) > 0 {
			if _, err := r.env.GH.RequestReviewers(ctx, r.repo, pr.Number, users, teams); err != nil {
				return err
			}
		}
		asked := append([]string{}, users...)
		for _, t := range teams {
			asked = append(asked, r.repo.Owner+"/"+t)
		}
		body := EscalationBody(e.Reviewer, e.RequestAt, r.pol.Reviews.EscalateAfter, asked, r.pol.Team)
		if _, err := r.env.GH.UpsertComment(ctx, r.repo, pr.Number, e.Post.Marker, body); err != nil {
			return err
		}
	}
	return nil
}

// escalationTargets resolves escalate_to for one request: a login, a team of
// the repository's organization (requested as a team; another org's team
// is expanded to its members), or the CODEOWNERS owners of the PR's files
// at its base. The PR's author and the waiting reviewer are left out.
func (r *run) escalationTargets(ctx context.Context, pr PR, e Escalate) (users, teams []string, err error) {
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
	for _, ref := range refs {
		org, slug, isTeam := strings.Cut(strings.TrimPrefix(ref, "@"), "/")
		switch {
		case isTeam && strings.EqualFold(org, r.repo.Owner):
			if !strings.EqualFold(org+"/"+slug, e.Reviewer) {
				teams = appendFold(teams, slug)
			}
		case isTeam:
			members, err := r.dir.Expand(ctx, []string{ref})
			if err != nil {
				return nil, nil, err
			}
			for _, m := range members {
				if !skip(m) {
					users = appendFold(users, m)
				}
			}
		default:
			if login := strings.TrimPrefix(ref, "@"); !skip(login) {
				users = appendFold(users, login)
			}
		}
	}
	return users, teams, nil
}

func appendFold(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
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
	return ParseCodeowners(data).Owners(paths), nil
}
