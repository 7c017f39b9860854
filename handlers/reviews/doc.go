// Package reviews makes a team's written review response-time norm
// executable (issue 4, section 2): a review request that has waited longer
// than reviews.first_response in the requested reviewer's working time, with
// no review from them since, gets one nudge comment mentioning only that
// reviewer, at a moment their calendar allows.
//
// # Rules (Decide)
//
//   - The norm counts the reviewer's working time (calendar.WorkingTime):
//     nights, weekends, holidays and away days do not count. An urgent PR
//     (the urgent_label, or "urgent" as a word in the title) uses
//     urgent_first_response; with urgent_after_hours the urgent norm counts
//     plain elapsed time, since working time only accrues in working hours.
//   - A ping goes out only when calendar.MayPing allows it: normal pings need
//     working hours outside focus blocks, urgent ones may pierce focus
//     blocks, urgent_after_hours ones any hour. Away days and a GitHub status
//     marked busy (read once per run, for the people about to be pinged)
//     hold every ping. A ping that may not go now is not queued: the next
//     sweep decides again (Plan.Waits says why and when).
//   - Comments: one per ping, never edited to re-notify. The nudge carries
//     <!-- overlap:reviews:<login>:<request-time> --> (request time in UTC,
//     RFC 3339); reminder N adds ":reminder-N"; the escalation adds
//     ":escalation". The markers are the state: a sweep counts them, so
//     repeated sweeps, redelivered events and two replicas never duplicate
//     (internal/gh's UpsertComment finds by marker before writing).
//   - Reminders: at most max_reminders, each remind_every (elapsed time)
//     after the previous ping, at an allowed moment.
//   - Escalation: once escalate_after reminders went unanswered and another
//     remind_every passed, a review is requested from escalate_to (a login,
//     an @org/team, or the CODEOWNERS owners of the changed files at the
//     base, last match wins) and one comment says so, naming people without
//     @-mentions (GitHub's review request notifies them). A request from the
//     escalation target itself never escalates.
//   - A team request is nudged when any member has had the norm in their own
//     working time; the nudge mentions the members who may be pinged now,
//     and any member's review satisfies it.
//   - Draft and closed PRs, bot reviewers and the PR author are skipped.
//   - A review (or a withdrawn or renewed request) clears the wait: the nudge
//     is edited once to say so, without a mention, and nothing follows.
//
// # Weekly figure
//
// Weekly/Summarize compute the median and 90th percentile of
// time-to-first-review in working hours for requests answered in the seven
// days before now; the sweep publishes them on /metrics as
// overlap_review_first_response_working_hours{repo,quantile} (and the sample
// count as overlap_review_first_response_samples{repo}). The sample is the
// open PRs and the 50 most recently updated closed ones.
//
// # API calls (measured in TestSweepAPICalls)
//
// A sweep of one repository with nothing due: 3 calls — the policy (one
// conditional GET, shared by every feature), ONE GraphQL request for all
// open PRs (50 a page; it also carries the 50 latest closed PRs for the
// weekly figure) with their review requests, request times, reviews, labels
// and this feature's comments, and one team-member listing per distinct
// requested team. When pings are due: +1 GraphQL request for the busy status
// of everyone about to be pinged, and 2 calls per ping (list comments by
// marker, create). With four nudges due the repository sweep costs 12 calls.
// An event (review_requested, labeled, review submitted) costs the policy,
// one GraphQL request for that PR and, only if a ping is due, the same.
package reviews
