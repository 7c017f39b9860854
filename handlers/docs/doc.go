// Package docs is the decision core of Overlap's "Docs freshness" feature:
// runbooks and onboarding guides that SRE teams keep in a repository, and
// the reminders that stop them from rotting.
//
// A doc's freshness is the latest of its last commit on the default branch,
// a `last_reviewed:` date in its front matter and a review recorded with a
// `/reviewed` command on the tracking issue. A doc is stale once its age
// exceeds its max age. From that the package decides, as plain functions
// over plain structs:
//
//   - on a pull request (DecidePR): the sticky reminder comment and the
//     `Docs freshness` check run, when the PR changes code that a stale (or
//     soon stale) doc covers and leaves the doc alone;
//   - on a sweep (DecideTracking): the one tracking issue per repository —
//     create, edit, close with thanks, reopen — assigned to the person on
//     documentation duty (Duty), listing stale docs, broken relative links
//     (BrokenLinks), a missing onboarding guide and extra sections;
//   - on a comment (ParseReviewedCommands, ApplyReviewed): who may record a
//     review, and the new hidden data block in the tracking issue, which is
//     where reviews live (GitHub is the database).
//
// HistoryQuery builds the single batched GraphQL query that learns the last
// commit date of every doc of a repository, so a sweep costs O(repos) calls.
//
// Nothing here performs I/O or reads the clock: handlers fetch, call these
// functions with `now`, and hand the desired state to internal/gh.
package docs
