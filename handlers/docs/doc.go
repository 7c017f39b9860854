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
// The decision functions perform no I/O and never read the clock. Feature
// (feature.go, handle_*.go, sweep.go) is the I/O edge: it fetches, calls
// them with env.Now, and hands the desired state to internal/gh.
//
// # When the sweep acts
//
// The scheduler may sweep every 15 minutes; the tracking issue is not
// rewritten that often. Creating, reopening, closing (with thanks) and
// reassigning — the actions that notify people — happen only in the weekly
// refresh: the first sweep within DueWindow (8 h) after the `docs.sweep`
// slot (default Monday 09:00 in the team's zone), which records the slot and
// the default branch's head in the data block. Between slots a
// sweep only edits an open issue in place, keeping its assignee, and only
// when the default branch moved since the issue was rendered. The duty
// person is the one for the week starting at the slot (see Duty; people
// away that day or most of the week, or whose GitHub status says busy, are
// skipped). A `/reviewed` comment re-renders the issue at once and may
// close it when everything is fresh, since the commenter is at work.
//
// # Quiet by design
//
// Nothing the feature writes @-mentions anyone: the PR reminder and the
// tracking issue name owners and the duty person as plain names, because
// events and sweeps happen at any hour. The one notification is the duty
// assignment, made only when the duty person may be pinged
// (calendar.MayPing, Normal urgency: their working hours, outside focus
// blocks). When the weekly refresh runs outside those hours (a New York
// teammate at the 09:00 London slot) the issue keeps its assignees and
// records the pending assignment in its data block; the first sweep at
// which the person may be pinged, before the next slot, refreshes in full
// and assigns them. GitHub only assigns people with access to the
// repository: the sweep asks first (GET /repos/{owner}/{repo}/assignees/
// {login}, once per refresh that would change the assignee), skips those
// who cannot be assigned in the rotation and names them in the issue.
//
// A hand-damaged data block is rebuilt from the reviews that can still be
// read (SalvageData), and a single sticky comment (MarkerDamaged) says so.
//
// # Several processes
//
// Within one process the app serialises the events and sweeps of a
// repository, but a `/reviewed` on a webhook replica may overlap a sweep in
// the CronJob: both read the issue, fetch for seconds, and write the whole
// body back. So every write of an existing tracking issue is preceded by a
// second read of it (GET …/issues/{number}); when it changed meanwhile, its
// data block is merged into ours (MergeData: per doc the later review wins)
// and the issue is decided again, so a recorded review is not overwritten.
// GitHub offers no conditional issue edit, so two writes landing within the
// one round trip between that read and the write can still race. The
// comments are GitHub's own record of the commands, so every sweep refresh
// of an existing issue lists them (one call, shared with the rest of the
// sweep) and re-applies each `/reviewed` the data block does not reflect
// (UnreflectedTargets), after checking its author as the comment handler
// does (a permission call per such author; none when all are reflected).
// Targets the app refused in its reply stay refused.
//
// # Very large repositories
//
// GitHub truncates a recursive tree listing past 100,000 entries or 7 MB.
// The partial list is not taken for the whole repository: relative links are
// not checked (a link to a file past the cut would look broken), a missing
// onboarding guide is not reported, and the tracking issue says the
// repository is too large to list in full, so docs past the cut are not
// tracked.
//
// # API economy (measured in e2e_test.go through the emulator)
//
// Last-commit dates and texts of a repository's docs come from aliased
// `history(first:1, path:)` and `object(expression:)` fields, MaxAliases
// (50) docs per GraphQL request; each request costs 1 point (≤100
// connections of first:1). Per repository and weekly refresh: policy (2
// conditional reads shared with other features), issue lookup (1), head of
// the default branch (1), recursive tree (1), ⌈docs/50⌉ GraphQL requests,
// and at most one write; for an issue that exists, the listing of its
// comments (1) and the second read before a write (1). While a repository has no tracking issue, the lookup lists the
// labelled issues, then the most recently updated ones (2 calls on most
// repositories). With a duty
// rotation, a refresh that changes the assignee adds one assignability
// check (more only when someone cannot be assigned), and a pending
// assignment costs one more full refresh, when it is made.
//
//   - A 500-doc repository: 10 GraphQL requests (10 points), 16 calls in
//     all including the create.
//   - An org of 200 repositories (3 docs each): weekly refresh 1,600 calls
//     (8 per repo: 200 GraphQL requests = 200 points, 200 creates); a quiet
//     sweep between slots 800 calls (4 per repo: policy, issue lookup,
//     head; no GraphQL, no write), of which the policy reads are usually
//     free 304s; the next week's refresh 1,800 (9 per repo: one lookup,
//     the comment listing, the second read, 200 edits).
//   - The duty rotation adds, once per sweep instant for the whole org,
//     one team-members call per team and one GraphQL request for statuses.
//
// A pull_request event costs the PR's files and the policy (shared), the
// base tree (1), ⌈docs/50⌉ GraphQL requests, the tracking-issue lookup for
// recorded reviews (1), the comment lookup (1), the check lookup (1) and at
// most two writes; a PR that edits docs adds the head tree (1) and one
// GraphQL request for their link check. A repository without docs stops
// after the tree.
package docs
