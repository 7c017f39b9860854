// Package reviews makes a team's written review response-time norm
// executable (issue 4, section 2): a review request that has waited longer
// than reviews.first_response in the requested reviewer's working time, with
// no review or comment from them since, gets one nudge comment mentioning
// only that reviewer (for a team, its members reachable now), at a moment
// their calendar allows.
//
// # Rules (Decide)
//
//   - The norm counts the reviewer's working time (calendar.WorkingTime):
//     nights, weekends, holidays and away days do not count. It starts at
//     the request, or at the PR's last ready-for-review when the request
//     was made on a draft. An urgent PR (one carrying the urgent_label)
//     uses urgent_first_response; with urgent_after_hours the urgent norm
//     counts plain elapsed time, since working time only accrues in
//     working hours, and the nudge says so (and that it may write at any
//     hour).
//   - Only the label makes a PR urgent. GitHub lets only people with triage
//     access or more add a label, so urgency is someone trusted's call; the
//     title is the author's own text (issue 8, finding 7: an author could
//     otherwise reach every reviewer at night or in a focus block). A title
//     with "[urgent]" anywhere, or starting "urgent:" or "URGENT" (not one
//     that merely says "non-urgent" or "not urgent"), is a hint only: the
//     norm stays first_response, the ping waits for working hours outside
//     focus blocks like any other, and the nudge says the author marked it
//     urgent in the title, so the reviewer or a triager can add the label.
//     The hint does not shorten the norm either: when others are pinged
//     is not the author's to set.
//   - A request answered by a review, or by a comment on the conversation,
//     from the reviewer (any member, for a team) at or after the request
//     needs nothing more: the nudge says a comment helps, so one counts.
//   - Install day: a request older than MaxRequestAge (14 days) that was
//     never nudged is left alone, and one run writes at most MaxPingsPerRun
//     (10) new pings per repository, oldest requests first; the rest go on
//     the next sweep.
//   - A ping goes out only when calendar.MayPing allows it: normal pings need
//     working hours outside focus blocks, urgent (labelled) ones may pierce
//     focus blocks, urgent_after_hours ones any hour. Away days and a GitHub status
//     marked busy (read once per run, for the people about to be pinged)
//     hold every ping. A ping that may not go now is not queued: the next
//     sweep decides again (Plan.Waits says why and when).
//   - Comments: one per ping, created once and never edited except to say
//     the wait is over (the body states the norm, not a running count).
//     The nudge carries <!-- overlap:reviews:<login>:<request-time> --> (request time in UTC,
//     RFC 3339); reminder N adds ":reminder-N"; the escalation adds
//     ":escalation". The markers are the state: a sweep counts them, so
//     repeated sweeps and redelivered events never duplicate (a ping is
//     created only when no comment carries its marker), and when two
//     replicas raced, the next run deletes all but the oldest comment of a
//     marker. Pings are read from GraphQL's last 100 comments; when a busy
//     conversation has more, the whole of it is read through the write
//     path's REST listing, so older pings are always found.
//   - Reminders: at most max_reminders, each remind_every (elapsed time)
//     after the previous ping, at an allowed moment.
//   - Escalation: once escalate_after reminders went unanswered and another
//     remind_every passed, a review is requested from escalate_to (a login,
//     an @org/team, or the CODEOWNERS owners of the changed files at the
//     base, last match wins) and one comment says so, naming people without
//     @-mentions (GitHub's review request notifies them). A request from the
//     escalation target itself never escalates. Before requesting, each
//     target is checked as GitHub will (a user must be a collaborator, a
//     team must have access to the repository; another organization's team
//     is expanded to its members, who must be collaborators) and at most
//     15 reviewers stay pending on the PR (GitHub's limit); the comment
//     goes out even when nobody could be asked, listing who could not be
//     and why, so a refusal never blocks the sweep.
//   - Away or busy: a reviewer who is away (roster away days) or whose
//     GitHub status is busy gets no nudge or reminder, so the ladder cannot
//     climb. Once the TEAM's working time (its default schedule) since the
//     clock started reaches the norm (first_response, or the urgent one) ×
//     (escalate_after + 1) — the norm plus one norm per reminder the ladder
//     would have sent — and the
//     reviewer (every member, for a team) is still away or busy, the
//     request escalates at once, saying so. Off-hours alone are not away.
//   - A team request is nudged when any member has had the norm in their own
//     working time and at least one member may be pinged now; the nudge
//     (and each reminder) mentions, by login, only the members who may be
//     pinged now and names the team without "@" (an @org/slug mention would
//     notify every member, some outside their working hours); with no
//     member reachable it waits as for a person. Any member's review or
//     comment satisfies it. GitHub drops a team's request when a
//     member reviews on its behalf; the timeline still says it was a team,
//     so the nudge is resolved with who reviewed.
//   - Draft and closed PRs, bot reviewers and the PR author are skipped.
//   - A review or comment (or a withdrawn or renewed request) clears the
//     wait: the nudge is edited once to say so, without a mention, and
//     nothing follows.
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
// and the last 100 comments, and one team-member listing per distinct
// requested team. When pings are due: +1 GraphQL request for the busy status
// of everyone about to be pinged, and 2 calls per ping (list comments by
// marker, create). With four nudges due the repository sweep costs 12 calls.
// A PR with review requests and more than 100 comments adds its REST
// listing, one call per 100 comments, each sweep (TestBusyPRKeepsItsPings:
// 2 calls for 123 comments), which its writes then share. An escalation
// adds the listing of requested reviewers, one check per target
// (collaborator or team access), the request and the comment. An event
// (review_requested, labeled, review submitted) costs the policy, one
// GraphQL request for that PR and, only if a ping is due, the same.
package reviews
