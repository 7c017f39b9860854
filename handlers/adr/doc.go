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
//     ready_for_review: reconcile the PR. Adding or removing a decision
//     label is decided from the labels GitHub has now (read in the GraphQL
//     request below), not from the payload: label deliveries can arrive out
//     of order or be lost. A PR without a decision label costs nothing beyond
//     the shared policy read, except after a decision label was added or
//     removed (its comment and check are looked up and retired) and with
//     always_report (below).
//   - check_run rerequested: reconcile the run's PRs; requested_action
//     "adr-skip" (the "Skip: not a decision" button; GitHub caps labels at 20
//     characters): skip, if the clicker may (internal/authz, the same rule
//     as `/adr skip`); anyone else but a bot gets one reply on the PR.
//     A check run belongs to a commit, not a PR, and a fork can open a PR
//     at the same head: the press applies only when exactly one open
//     decision PR (read from GitHub, one GraphQL request) has the run's
//     head SHA; with more, each gets one reply asking for `/adr skip` on
//     the PR meant, and nothing is skipped. A button skip holds for the
//     head SHA it was pressed on only (see State).
//   - issue_comment created/edited with `/adr skip <reason>`: skip, if the
//     comment's author may (internal/authz: write, maintain or admin by
//     role_name of GET /repos/{o}/{r}/collaborators/{user}/permission; on
//     their own PR the author needs maintain or admin; a bot's comment is
//     ignored, whoever sent the event); anyone else gets
//     one polite reply per command comment (marker
//     `<!-- overlap:adr:reply:<comment id> -->`), and the check is unchanged.
//     Editing the command away or deleting the comment (issue_comment
//     edited/deleted) takes the skip back, if the skip in force came from
//     that comment, and removes the reply (on a closed PR too).
//     The command is read from the comment as GitHub has it now (the
//     listing), not from the payload: a delivery of a comment deleted
//     since gives nothing, one of a comment edited since is left to the
//     edit's delivery. GitHub lets any writer edit anyone's comment, so an
//     edit whose sender is not the comment's author counts only when the
//     sender may skip this PR too; otherwise the editor gets the reply and
//     a skip the comment gave is taken back.
//   - Sweep (handlers.Sweeper): every open PR carrying a decision label is
//     reconciled, catching up missed deliveries; among the 100 most recently
//     updated open PRs, one without a decision label whose "Decision record"
//     check is not neutral or skipped is retired (its unlabel was lost).
//   - TrackingSections (handlers.SectionSource): records on the default
//     branch past their revisit date, for the docs tracking issue.
//
// Payloads are decoded into small structs holding only the fields read, so
// GitHub's own examples (check_run rerequested carries timestamps such as
// "2018-04-25 20:42:10") and objects sent as null are handled.
//
// # Records
//
// A decision PR passes with at least one NEW record directly in the ADR
// directory (added, or renamed into it from elsewhere), a linked record or
// a skip. Editing or renaming an existing record does not count, and the
// check names the files it saw and why; Markdown files in a subdirectory
// are annotated ("records must sit directly in docs/adr/").
//
// The directory is `adr.directory`; when the policy leaves it unset, the
// `.adr-dir` file of adr-tools at the base names it (read in the same
// GraphQL request; one more request only when it names a directory other
// than docs/adr), else docs/adr. With `adr.numbering: date` (log4brains)
// records are named YYYYMMDD-title.md: the prompt proposes today's date (in
// the clock's zone), the naming check wants 8 digits forming a date, and
// dates are not compared for collisions. Statuses are draft, proposed,
// accepted, rejected, deprecated and superseded by NNNN; MADR 2.x and
// log4brains' "Positive Consequences"/"Negative Consequences" count as
// Consequences.
//
// # Branch protection
//
// An action_required check blocks merging only when branch protection
// requires it, and a required check that never reports blocks every PR. With
// `adr.always_report: true` a PR without a decision label gets a completed
// "skipped" Decision record run ("Not a decision PR"), which satisfies the
// requirement, so the check can be required. The trade-off: one check-run
// lookup per pull_request event on such PRs and one write per new head
// (measured in TestEconomyOfTheReviewFixes: a push costs 3 calls).
//
// # State
//
// GitHub is the database. A skip (from `/adr skip <reason>` or the check's
// button) is written into the sticky comment as a hidden, sealed state line
// (see [State] and [StateFromComment]), with what it was verified against.
// The kept skip is a cache, never the authority: on every reconcile of a
// decision PR it is checked against the comment listing already fetched for
// the sticky comment (skips.go):
//
//   - a command's skip holds only while its comment is still on the PR with
//     the same body (a digest in the state), still parses to a skip, and its
//     author, and its last editor when that was someone else, may still
//     skip this PR (one permission lookup per person per event). So a
//     deleted or edited command, a replayed `created` delivery, an old
//     sealed line pasted back from the sticky comment's edit history, or
//     a skipper who lost access, gives no skip;
//   - a button skip has no comment: it holds only for the head SHA it was
//     pressed on, like GitHub's "dismiss stale approvals", and only while
//     the presser may still skip. A push asks again; so does a state line
//     written before this rule (it has no head).
//
// Without a kept skip that holds (a second process may have rewritten the
// sticky comment from a state read before the skip was stored; or it was
// dropped above), the skip is re-derived from GitHub's own record: the
// latest `/adr skip <reason>` command in the PR's comments whose author may
// skip, and, if the comment was ever edited, whose last editor is known and
// may skip too. The editor comes from GraphQL (IssueComment.editor and
// lastEditedAt, one request, only when such a command exists: REST's issue
// comment names no editor, and its second-granular updated_at misses an
// edit within the second); a comment whose updated_at is later than its
// created_at but whose editor GraphQL does not name does not count. That
// is conservative on purpose: such a comment's skip is normally carried by
// the kept state, verified when its delivery was handled.
//
// When the decision label is removed, the sticky comment is edited (not
// deleted) to say the prompt no longer applies, so the conversation keeps its
// history, and an existing check run is completed `neutral` (`skipped`
// with always_report).
//
// # API calls (measured in TestEconomyLabeledEventOn200Records)
//
// One pull_request.labeled on a repository with 200 records on the base
// branch costs 3 calls once the policy is cached (the first event of a
// repository adds its policy reads, shared with every feature):
//
//   - one GraphQL request, the event's PR snapshot (handlers.Env.PullRequest)
//     shared by every feature: the PR, its files, comments (the sticky
//     comment and its skip state), this app's check runs on the head, and
//     ADR's own part — the ADR directory on the base branch (whatever its
//     size), .adr-dir, the open PRs carrying a decision label with their
//     files (numbers they reserve);
//   - one write per changed object: here 2 (comment created, check
//     created); 0 when nothing changed (a redelivery costs the 1 read).
//
// A PR that adds records costs one more GraphQL request for their text at
// the head. Removing the decision label costs the same 3 (2 writes retire
// the comment and the check).
//
// Extra: a skip in force costs the permission lookup of its giver per
// event (a skip holds only while its giver may still skip); re-deriving a
// skip from an edited-looking command one GraphQL request for the editors;
// a button press one GraphQL request (the open decision PRs at its head).
// One contents read per linked record in another repository (at
// most [MaxLinkCandidates], only when the PR adds no record); for
// `/adr skip` the permission lookup and the PR read; a refusal's reply
// costs its lookup and one write; the button on a fork PR one more GraphQL
// request; a repository whose .adr-dir names another directory one more
// GraphQL request per decision. A sweep costs one GraphQL request per
// repository plus, per open decision PR, the four reads above (writes only
// where something changed), and per PR to retire the two lookups and its
// writes. TrackingSections costs one GraphQL request (the directory with
// every record's text), two when .adr-dir redirects it.
package adr
