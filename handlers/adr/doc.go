// Package adr is the pure decision core of the "Decision records" feature:
// a pull request labelled as a decision is asked for an Architecture Decision
// Record (ADR) in the repository's ADR directory and gated by the
// "Decision record" check run until a complete record is in the PR, an
// existing one is linked, or a writer skips it.
//
// Nothing here performs I/O. The handler fetches what it needs, calls
// [Decide] (or [DecideCommand] for `/adr` comments), and asks internal/gh to
// apply the [Desired] state: one sticky comment (behind the marker
// `<!-- overlap:adr -->`, which the write path adds) and one check run on the
// head SHA. Every function takes `now` as an argument, so a redelivered or
// out-of-order event converges to the same comment and check.
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
// # API-call budget (plan; the lead measures and fills in the real figure)
//
// Per pull_request event (opened, reopened, labeled, unlabeled, edited,
// synchronize) on a decision PR the handler should need:
//
//   - PR files: 1 call (GET /pulls/{n}/files, 100 per page), plus the head
//     content of each ADR file in the PR (typically 1; or one GraphQL query
//     for all of them);
//   - the ADR directory on the base branch: listed once, 1 call (contents or
//     git trees API, conditional so a 304 is free);
//   - ADR files in other open PRs: 1 GraphQL query (open pull requests with
//     their file paths), needed only while the prompt is shown;
//   - the sticky comment lookup: 1 call (it also carries the skip state);
//   - the check-run lookup on the head SHA: 1 call;
//   - confirming linked records: 1 call per candidate, only when the PR has
//     no ADR file ([LinkCandidates] returns at most [MaxLinkCandidates]);
//   - one write per changed object: ≤1 comment write and ≤1 check-run write
//     (+1 PATCH per further 50 annotations), none when nothing changed.
//
// That is 4–5 reads and ≤2 writes for a typical event; a PR that is not a
// decision PR costs the label check only (0 calls) unless a comment or check
// run from an earlier label must be retired. An `/adr skip` comment adds one
// permission lookup for the commenter. Measured figure: TBD by the lead.
package adr
