package docs

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

// Sweep implements handlers.Sweeper. It reconciles the tracking issue, then
// repairs the PR side: the reminder comment and the `Docs freshness` check
// of every open, non-draft PR in env.Scope (updated since the watermark or
// marked dirty; every open PR on a full sweep), through the event's own
// reconcilePR with the policy of the PR's base branch. The PR pass runs
// after the tracking issue so that reviews the issue records and its
// number are the ones the reminders show; a failure of one half does not
// stop the other.
//
// Cost of the PR pass per repository with N open PRs of which K are in
// scope: the shared open-PR listing (⌈N/100⌉ GraphQL requests, shared with
// the other sweeps); once per sweep the tracking-issue lookup (1) and, per
// distinct base commit (usually one: GraphQL reports the base branch's
// current commit), the docs at it (tree 1 + ⌈docs/MaxAliases⌉ GraphQL);
// then per PR in scope its files (shared through Env), the comment listing
// (1, shared with the other features through the write path) and the
// check-run lookup (1), the link check of the docs it edits (tree 1 +
// GraphQL, only when it edits Markdown docs), and a write only where the
// comment or check differs. A repository without doc sets costs nothing
// per PR; one whose doc sets match no file, the files.
func (f *Feature) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	return errors.Join(f.sweepTracking(ctx, env, repo), f.sweepPRs(ctx, env, repo))
}

func (f *Feature) sweepPRs(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	prs, err := env.OpenPullRequests(ctx)
	if err != nil {
		return fmt.Errorf("docs sweep: %w", err)
	}
	memo := &prMemo{}
	var errs []error
	for _, p := range env.Scope.Select(prs) {
		if p.Draft {
			continue // reminded when it becomes ready for review, as by the event
		}
		if err := f.reconcilePR(ctx, env.ForBase(p.BaseRef), p.REST(), memo); err != nil {
			errs = append(errs, fmt.Errorf("docs sweep %s#%d: %w", repo.FullName(), p.Number, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// prMemo keeps what the PRs of one sweep share: the tracking issue and the
// docs snapshot per base commit. A nil memo (an event) reads both afresh.
type prMemo struct {
	found     *github.Issue
	foundRead bool
	snaps     map[string]snapshot // policy ref + "@" + base SHA
}

// docs returns the docs of settings s at sha. The key includes the policy
// ref, since PRs on different base branches may be judged by different doc
// sets.
func (m *prMemo) docs(ctx context.Context, f *Feature, env *handlers.Env, s Settings, sha string) (snapshot, error) {
	if m == nil {
		return f.fetchDocs(ctx, env, s, sha)
	}
	key := env.PolicyRef + "@" + sha
	if snap, ok := m.snaps[key]; ok {
		return snap, nil
	}
	snap, err := f.fetchDocs(ctx, env, s, sha)
	if err != nil {
		return snapshot{}, err
	}
	if m.snaps == nil {
		m.snaps = map[string]snapshot{}
	}
	m.snaps[key] = snap
	return snap, nil
}

// tracking returns the repository's tracking issue (nil when there is none).
func (m *prMemo) tracking(ctx context.Context, env *handlers.Env) (*github.Issue, error) {
	if m != nil && m.foundRead {
		return m.found, nil
	}
	found, err := env.GH.FindIssue(ctx, env.Repo, MarkerTracking, LabelStale)
	if err != nil {
		return nil, err
	}
	if m != nil {
		m.found, m.foundRead = found, true
	}
	return found, nil
}
