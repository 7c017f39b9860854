// Package adr is the "Decision records" feature:
// a pull request labelled as a decision is asked for an Architecture Decision
// Record (ADR) in the repository's ADR directory and gated by the
// "Decision record" check run until a complete record is in the PR, an
// existing one is linked, or a writer skips it.
//
// The decision core ([Decide], [DecideCommand], [ParseRecord], [Check],
// [NextNumber], [LinkCandidates], [DueForRevisit]) performs no I/O and takes
// `now` as an argument. [Feature] is the thin handler around it: it fetches
// what Decide needs, calls it, and asks internal/gh to apply the [Desired]
// state: one sticky comment (behind the marker `<!-- overlap:adr -->`) and
// one "Decision record" check run per head SHA. A redelivered, duplicated or
// out-of-order event converges to the same comment and check.
//
// # Events
//
//   - pull_request opened, reopened, labeled, unlabeled, synchronize, edited,
//     ready_for_review: reconcile the PR. A PR without a decision label costs
//     nothing beyond the shared policy read, except after a decision label
//     was removed (then the comment and check are looked up and retired).
//   - check_run rerequested: reconcile the run's PRs; requested_action
//     "adr-skip" (the "Skip: not a decision" button; GitHub caps labels at 20
//     characters): skip, if the clicker has write access (else ignored).
//   - issue_comment created/edited with `/adr skip <reason>`: skip, if the
//     commenter has write, maintain or admin permission
//     (GET /repos/{o}/{r}/collaborators/{user}/permission); anyone else gets
//     one polite reply per command comment (marker
//     `<!-- overlap:adr:reply:<comment id> -->`), and the check is unchanged.
//   - Sweep (handlers.Sweeper): every open PR carrying a decision label is
//     reconciled, catching up missed deliveries.
//   - TrackingSections (handlers.SectionSource): records on the default
//     branch past their revisit date, for the docs tracking issue.
//
// Linked records in the PR body are confirmed before they count: records of
// this repository against the base listing already fetched, records of
// other repositories with one contents read each (a repository the
// installation cannot read answers 404 and is not confirmed). Policy comes
// from the PR's base branch for pull_request events and from the default
// branch for comments, check runs and sweeps. check_run.pull_requests is
// empty for PRs from forks, so the button and re-run do nothing there; the
// sweep still covers those PRs.
//
// # State
//
// GitHub is the database. A skip (from `/adr skip <reason>` or the check's
// button) is written into the sticky comment as a hidden state line (see
// [State] and [StateFromComment]), so later events (a push, an edit) read it
// back from the comment the handler fetches anyway, at no extra call.
//
// When the decision label is removed, the sticky comment is edited (not
// deleted) to say the prompt no longer applies, so the conversation keeps its
// history, and an existing check run is completed `neutral`.
//
// # API calls (measured in TestEconomyLabeledEventOn200Records)
//
// One pull_request.labeled on a repository with 200 records on the base
// branch and no policy file costs 8 calls:
//
//   - the policy at the base: 2 (the repo's file, then the org's .github
//     repository as the fallback; 1 when the repo has a file), shared with
//     every other feature handling the event;
//   - the PR's files: 1 (shared through Env.PullRequestFiles);
//   - one GraphQL request for the ADR directory on the base branch (whatever
//     its size), the open PRs carrying a decision label with their files
//     (numbers they reserve), and the head text of every ADR file in the PR;
//   - the sticky-comment lookup: 1 (it also carries the skip state);
//   - the check-run lookup on the head SHA: 1;
//   - one write per changed object: here 2 (comment created, check created);
//     0 when nothing changed (a redelivery costs the 6 reads only).
//
// Extra: one contents read per linked record in another repository (at
// most [MaxLinkCandidates], only when the PR has no ADR file); for
// `/adr skip` the permission lookup and the PR read; a refusal's reply
// costs its lookup and one write. A sweep costs one GraphQL request per
// repository plus, per open decision PR, the four reads above (writes only
// where something changed). TrackingSections costs one GraphQL request (the
// directory with every record's text).
package adr
