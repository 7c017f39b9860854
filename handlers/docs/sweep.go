package docs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
)

// sweepTracking reconciles the repository's tracking issue (the first half
// of Sweep, in sweep_prs.go). See PlanSweep for when a sweep does what.
func (f *Feature) sweepTracking(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	pol, on, err := policy(ctx, env)
	if err != nil || !on {
		return err
	}
	slot, due := ScheduleFrom(pol).Due(env.Now)
	found, err := env.GH.FindIssue(ctx, repo, MarkerTracking, LabelStale)
	if err != nil {
		return fmt.Errorf("docs sweep: %w", err)
	}
	ex, data, damaged := trackingState(env, found)
	if damaged != nil {
		if data, err = repairData(ctx, env, found, damaged); err != nil {
			return fmt.Errorf("docs sweep: %w", err)
		}
	}
	cal := roster.Calendar(pol.Team)
	plan := PlanSweep(due, slot, ex, data, func(login string) bool { return cal.MayPing(login, env.Now, calendar.Normal) })
	if damaged != nil {
		plan.Skip = false // the rebuilt block must be written
	}
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
		save: damaged != nil, rederive: true,
	})
}

// repairData starts a data block that did not verify over, empty: its
// reviews are re-derived from the issue's /reviewed comments by the
// refresh that follows (rederiveReviews). A block that does not verify is
// said once on the issue (a sticky comment: a later damage edits it rather
// than adding another); the comment comes first, so should the body write
// fail, the next sweep retries both without a second comment. An unsealed
// block from before sealing (ErrLegacyData) is migrated silently.
func repairData(ctx context.Context, env *handlers.Env, found *github.Issue, cause error) (Data, error) {
	if errors.Is(cause, ErrLegacyData) {
		zerolog.Ctx(ctx).Info().Int("issue", found.GetNumber()).Msg("docs: tracking issue data block is unsealed; re-deriving it from the comments")
		return Data{}, nil
	}
	zerolog.Ctx(ctx).Warn().Err(cause).Int("issue", found.GetNumber()).
		Msg("docs: tracking issue data block does not verify; re-deriving it from the comments")
	if _, err := env.GH.UpsertComment(ctx, env.Repo, found.GetNumber(), MarkerDamaged, DamagedNote(cause)); err != nil {
		return Data{}, fmt.Errorf("note the damaged data block: %w", err)
	}
	return Data{}, nil
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
	// save writes the body even when nothing else changes (a rebuilt or
	// newly recorded data block must not be lost), keeping the issue's
	// state and assignees.
	save bool
	// snap, when set, is the docs already fetched at head.
	snap *snapshot
	// settings, when set, has the rotation already expanded.
	settings *Settings
	away     func(string) bool
	// rederive re-applies the authorised /reviewed commands in the issue's
	// comments that its data block does not reflect (see rederiveReviews).
	rederive bool
}

// refresh fetches the docs at head, decides the tracking issue and applies
// it.
func (f *Feature) refresh(ctx context.Context, env *handlers.Env, r refreshInput) error {
	s := SettingsFrom(r.policy.Docs)
	away := r.away
	var busy map[string]bool
	if r.settings != nil {
		s = *r.settings
	} else {
		var err error
		if away, busy, err = f.duty(ctx, env, r.policy, &s, r.slot); err != nil {
			return fmt.Errorf("docs sweep: %w", err)
		}
	}
	cal := roster.Calendar(r.policy.Team)
	cal.SetBusy(busy)
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
	save := r.save
	if r.rederive && r.found != nil {
		var changed bool
		var err error
		if data, changed, err = rederiveReviews(ctx, env, r.found.GetNumber(), r.policy, s, away, snap.Docs, data); err != nil {
			return fmt.Errorf("docs sweep: %w", err)
		}
		save = save || changed
	}
	data.Head = r.head
	if r.full {
		data.Slot = DateOf(r.slot)
	}
	in := TrackingInput{
		StateKey:    env.GH.StateKey(),
		Repo:        RepoRef{Owner: env.Repo.Owner, Name: env.Repo.Name, Branch: r.branch},
		Settings:    s,
		Docs:        snap.Docs,
		Tree:        snap.Tree,
		Truncated:   snap.Truncated,
		Data:        data,
		BrokenLinks: brokenLinks(snap, nil),
		Extra:       f.sections(ctx, env),
		Away:        away,
		Existing:    r.existing,
		Now:         env.Now,
		DutyAt:      r.slot,
		MayAssign:   func(login string) bool { return cal.MayPing(login, env.Now, calendar.Normal) },
		Calendar:    cal,
		// Only the weekly refresh (or the sweep completing its pending
		// assignment) assigns.
		KeepAssignees: !r.full,
	}
	decide := func() (TrackingDesired, error) {
		if err := checkAssignable(ctx, env, &in); err != nil {
			return TrackingDesired{}, fmt.Errorf("docs sweep: %w", err)
		}
		want := DecideTracking(in)
		if !(r.closeOK && want.Action == ActionClose) {
			want = Restrict(want, in.Existing, r.full)
		}
		return want, nil
	}
	want, err := decide()
	if err != nil || !needsWrite(want, in.Existing, r.full, save) {
		return err
	}

	// Another process (a /reviewed on a webhook replica, a sweep in the
	// CronJob) may have written the issue since it was read, seconds of
	// fetching ago: read it again right before writing and keep what it
	// recorded. Only an issue that exists can carry reviews.
	found := r.found
	if found != nil {
		if f.beforeReread != nil {
			f.beforeReread()
		}
		fresh, err := reread(ctx, env, found.GetNumber())
		if err != nil {
			return fmt.Errorf("docs sweep: %w", err)
		}
		if changedSince(found, fresh) {
			found = fresh
			in.Existing, in.Data = nil, data
			if fresh != nil {
				ex, theirs, damaged := trackingState(env, fresh)
				if damaged != nil {
					theirs = Data{} // nothing of a block that does not verify is kept
				}
				in.Existing, in.Data = ex, MergeData(data, theirs)
			}
			if want, err = decide(); err != nil || !needsWrite(want, in.Existing, r.full, save) {
				return err
			}
		}
	}
	return apply(ctx, env, want, found, in.Existing, r.full, save)
}

// reread reads the tracking issue again by number (one call); nil when it
// is gone (deleted, transferred).
func reread(ctx context.Context, env *handlers.Env, number int) (*github.Issue, error) {
	is, resp, err := env.REST.Issues.Get(ctx, env.Repo.Owner, env.Repo.Name, number)
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone) {
			return nil, nil
		}
		return nil, fmt.Errorf("read tracking issue %s#%d again: %w", env.Repo.FullName(), number, err)
	}
	return is, nil
}

// changedSince reports whether the tracking issue differs, in anything the
// decision reads, from when it was first read.
func changedSince(was, now *github.Issue) bool {
	if now == nil {
		return true
	}
	var a, b []string
	for _, u := range was.Assignees {
		a = append(a, strings.ToLower(u.GetLogin()))
	}
	for _, u := range now.Assignees {
		b = append(b, strings.ToLower(u.GetLogin()))
	}
	var la, lb []string
	for _, l := range was.Labels {
		la = append(la, l.GetName())
	}
	for _, l := range now.Labels {
		lb = append(lb, l.GetName())
	}
	slices.Sort(a)
	slices.Sort(b)
	slices.Sort(la)
	slices.Sort(lb)
	return was.GetBody() != now.GetBody() || was.GetState() != now.GetState() || was.GetTitle() != now.GetTitle() ||
		!slices.Equal(a, b) || !slices.Equal(la, lb)
}

// checkAssignable asks GitHub whether the person the rotation puts on duty
// can be assigned in this repository (GET …/assignees/{login}: one call,
// made only when the assignment would change). Someone who cannot (not a
// collaborator, left the organization) is added to in.NotAssignable, which
// skips them in the rotation, and the next in line is checked in turn.
func checkAssignable(ctx context.Context, env *handlers.Env, in *TrackingInput) error {
	if in.KeepAssignees {
		return nil
	}
	var have []string
	if in.Existing != nil {
		have = in.Existing.Assignees
	}
	for range in.Settings.Duty.Rotation {
		duty, _ := DutyOf(*in)
		if duty == "" || containsFold(have, duty) || containsFold(in.NotAssignable, duty) {
			return nil
		}
		ok, err := canAssign(ctx, env, duty)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		zerolog.Ctx(ctx).Warn().Str("login", duty).Msg("docs: the duty person cannot be assigned in this repository; skipping them")
		in.NotAssignable = append(in.NotAssignable, duty)
	}
	return nil
}

// canAssign reports whether GitHub lets login be assigned to issues of the
// repository: 204 yes, 404 no.
func canAssign(ctx context.Context, env *handlers.Env, login string) (bool, error) {
	ok, _, err := env.REST.Issues.IsAssignee(ctx, env.Repo.Owner, env.Repo.Name, login)
	if err != nil {
		return false, fmt.Errorf("can %s be assigned in %s: %w", login, env.Repo.FullName(), err)
	}
	return ok, nil
}

// needsWrite reports whether apply would write want. An issue left as it
// is (ActionNone) is still edited to record the refresh of a closed issue
// (head and slot in its data block, so the rest of the week's sweeps stay
// cheap) or to save a data block (save), whatever its state; an edit
// notifies nobody.
func needsWrite(want TrackingDesired, ex *Issue, full, save bool) bool {
	switch want.Action {
	case ActionCreate, ActionUpdate, ActionReopen, ActionClose:
		return true
	case ActionNone:
		if ex == nil || normalizeBody(ex.Body) == normalizeBody(want.Body) {
			return false
		}
		return save || (full && ex.State == "closed")
	}
	return false
}

// apply hands the desired issue to the write path.
func apply(ctx context.Context, env *handlers.Env, want TrackingDesired, found *github.Issue, ex *Issue, full, save bool) error {
	if !needsWrite(want, ex, full, save) {
		return nil
	}
	ti := gh.TrackingIssue{
		Marker: MarkerTracking, Title: want.Title, Body: want.Body,
		Labels: want.Labels, Assignees: want.Assignees, Open: true,
	}
	switch want.Action {
	case ActionClose:
		ti.Open, ti.CloseComment = false, want.Comment
	case ActionNone:
		ti.Open = ex.State != "closed"
		ti.Assignees = ex.Assignees
	}
	if _, _, err := env.GH.UpsertFoundIssue(ctx, env.Repo, ti, found); err != nil {
		return fmt.Errorf("docs tracking issue: %w", err)
	}
	return nil
}

// duty expands the rotation in s (teams → members) and returns the test
// for people to skip in the duty week that starts at the slot at, and
// whose GitHub status says busy.
func (f *Feature) duty(ctx context.Context, env *handlers.Env, pol config.Policy, s *Settings, at time.Time) (func(string) bool, map[string]bool, error) {
	if len(s.Duty.Rotation) == 0 {
		return nil, nil, nil
	}
	ppl, err := f.rotationPeople(ctx, env, s.Duty.Rotation)
	if err != nil {
		return nil, nil, err
	}
	s.Duty.Rotation = ppl.rotation
	return AwayForDuty(roster.Calendar(pol.Team), ppl.busy, at, s.Duty.Every), ppl.busy, nil
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
func trackingState(env *handlers.Env, is *github.Issue) (*Issue, Data, error) {
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
	data, err := ParseData(is.GetBody(), env.GH.StateKey(), env.Repo.Owner, env.Repo.Name)
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
