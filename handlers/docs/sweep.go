package docs

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
)

// Sweep implements handlers.Sweeper: it reconciles the repository's
// tracking issue. See PlanSweep for when a sweep does what.
func (f *Feature) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	pol, on, err := policy(ctx, env)
	if err != nil || !on {
		return err
	}
	slot, due := ScheduleFrom(pol).Due(env.Now)
	found, err := env.GH.FindIssue(ctx, repo, MarkerTracking, LabelStale)
	if err != nil {
		return fmt.Errorf("docs sweep: %w", err)
	}
	ex, data, err := trackingState(found)
	if err != nil {
		// A hand-edited data block: keep the reviews it may still hold
		// rather than overwrite them with nothing.
		zerolog.Ctx(ctx).Warn().Err(err).Int("issue", found.GetNumber()).Msg("docs: tracking issue data block is damaged; not touching it")
		return nil
	}
	plan := PlanSweep(due, slot, ex, data)
	if plan.Skip && !plan.CheckHead {
		return nil
	}
	branch := defaultBranch(repo, env)
	head, err := headOf(ctx, env, branch)
	if err != nil {
		return fmt.Errorf("docs sweep: %w", err)
	}
	if plan.Skip && head == data.Head {
		return nil
	}
	return f.refresh(ctx, env, refreshInput{
		policy: pol, found: found, existing: ex, data: data, head: head, branch: branch, slot: slot, full: plan.Full,
	})
}

type refreshInput struct {
	policy   config.Policy
	found    *github.Issue // the tracking issue as read, nil when none
	existing *Issue
	data     Data
	head     string
	branch   string
	slot     time.Time
	full     bool
	// closeOK lets an edit-only refresh close the issue (a /reviewed
	// comment that made everything fresh: the commenter is at work).
	closeOK bool
	// snap, when set, is the docs already fetched at head.
	snap *snapshot
	// settings, when set, has the rotation already expanded.
	settings *Settings
	away     func(string) bool
}

// refresh fetches the docs at head, decides the tracking issue and applies
// it.
func (f *Feature) refresh(ctx context.Context, env *handlers.Env, r refreshInput) error {
	s := SettingsFrom(r.policy.Docs)
	away := r.away
	if r.settings != nil {
		s = *r.settings
	} else {
		var err error
		if away, err = f.duty(ctx, env, r.policy, &s, r.slot); err != nil {
			return fmt.Errorf("docs sweep: %w", err)
		}
	}
	var snap snapshot
	if r.snap != nil {
		snap = *r.snap
	} else {
		var err error
		if snap, err = f.fetchDocs(ctx, env, s, r.head); err != nil {
			return fmt.Errorf("docs sweep: %w", err)
		}
	}
	data := r.data
	data.Head = r.head
	if r.full {
		data.Slot = DateOf(r.slot)
	}
	in := TrackingInput{
		Repo:        RepoRef{Owner: env.Repo.Owner, Name: env.Repo.Name, Branch: r.branch},
		Settings:    s,
		Docs:        snap.Docs,
		Tree:        snap.Tree,
		Data:        data,
		BrokenLinks: brokenLinks(snap, nil),
		Extra:       f.sections(ctx, env),
		Away:        away,
		Existing:    r.existing,
		Now:         env.Now,
		DutyAt:      r.slot,
	}
	want := DecideTracking(in)
	if !(r.closeOK && want.Action == ActionClose) {
		want = Restrict(want, r.existing, r.full)
	}
	return apply(ctx, env, want, r.found, r.existing, r.full)
}

// apply hands the desired issue to the write path.
func apply(ctx context.Context, env *handlers.Env, want TrackingDesired, found *github.Issue, ex *Issue, full bool) error {
	ti := gh.TrackingIssue{
		Marker: MarkerTracking, Title: want.Title, Body: want.Body,
		Labels: want.Labels, Assignees: want.Assignees, Open: true,
	}
	switch want.Action {
	case ActionCreate, ActionUpdate, ActionReopen:
	case ActionClose:
		ti.Open, ti.CloseComment = false, want.Comment
	case ActionNone:
		// A closed issue still records the refresh (head and slot in its
		// data block), so the rest of the week's sweeps stay cheap; an
		// edit notifies nobody.
		if !full || ex == nil || ex.State != "closed" || normalizeBody(ex.Body) == normalizeBody(want.Body) {
			return nil
		}
		ti.Open = false
	default:
		return nil
	}
	if _, _, err := env.GH.UpsertFoundIssue(ctx, env.Repo, ti, found); err != nil {
		return fmt.Errorf("docs tracking issue: %w", err)
	}
	return nil
}

// duty expands the rotation in s (teams → members) and returns the test
// for people to skip in the duty week that starts at the slot at.
func (f *Feature) duty(ctx context.Context, env *handlers.Env, pol config.Policy, s *Settings, at time.Time) (func(string) bool, error) {
	if len(s.Duty.Rotation) == 0 {
		return nil, nil
	}
	ppl, err := f.rotationPeople(ctx, env, s.Duty.Rotation)
	if err != nil {
		return nil, err
	}
	s.Duty.Rotation = ppl.rotation
	return AwayForDuty(roster.Calendar(pol.Team), ppl.busy, at, s.Duty.Every), nil
}

// sections collects the extra blocks other features contribute.
func (f *Feature) sections(ctx context.Context, env *handlers.Env) []Section {
	var out []Section
	for _, src := range f.Sections {
		secs, err := src.TrackingSections(ctx, env, env.Repo)
		if err != nil {
			zerolog.Ctx(ctx).Warn().Err(err).Msg("docs: a tracking-issue section source failed; leaving it out")
			continue
		}
		for _, s := range secs {
			out = append(out, Section{Title: s.Title, Lines: s.Lines})
		}
	}
	return out
}

// trackingState converts the found issue and reads its data block.
func trackingState(is *github.Issue) (*Issue, Data, error) {
	if is == nil {
		return nil, Data{}, nil
	}
	var assignees, labels []string
	for _, u := range is.Assignees {
		assignees = append(assignees, u.GetLogin())
	}
	for _, l := range is.Labels {
		labels = append(labels, l.GetName())
	}
	ex := issueOf(is, assignees, labels)
	data, err := ParseData(is.GetBody())
	return ex, data, err
}

func defaultBranch(repo gh.Repo, env *handlers.Env) string {
	for _, b := range []string{repo.DefaultBranch, env.Repo.DefaultBranch} {
		if b != "" {
			return b
		}
	}
	return "main"
}
