package configcheck

import (
	"context"
	"errors"
	"fmt"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

var _ handlers.Sweeper = Feature{}

// Sweep implements handlers.Sweeper, the check's repair path: every open
// PR in env.Scope (updated since the watermark, or marked dirty; every
// open PR on a full sweep) is reconciled through the event's own path,
// with its policy read at its base branch as the event reads it. The write
// path compares before it writes, so a PR whose check is current costs
// reads only, and a check that a fault kept from being written is written
// once.
//
// Cost per repository with N open PRs of which K are in scope: the shared
// open-PR listing (⌈N/100⌉ GraphQL requests, shared with the other
// sweeps), then per PR in scope its file listing (1 per 100 files, shared
// with docs and adr through Env), and where there is something to report
// (the PR changes the policy file, or the policy in force is broken) the
// head file (1) and the check-run lookup (1) plus a write only if the
// check differs. The base policy is one cached read per base branch.
func (f Feature) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	prs, err := env.OpenPullRequests(ctx)
	if err != nil {
		return fmt.Errorf("configcheck sweep: %w", err)
	}
	var errs []error
	for _, p := range env.Scope.Select(prs) {
		if err := reconcile(ctx, env.ForBase(p.BaseRef), p.REST()); err != nil {
			errs = append(errs, fmt.Errorf("configcheck sweep %s#%d: %w", repo.FullName(), p.Number, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}
