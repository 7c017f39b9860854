// Package weekly holds the pure decisions of the weekly async update thread
// (issue 10): a GitHub Discussion per ISO week where each participant
// writes what they shipped, what is next and what blocks them, reminded at
// their own local time with a draft built from their GitHub week, and
// summarised for the team.
//
// What is built here, with no GitHub I/O and not yet registered in
// app/features.go:
//
//   - week.go: ISO week identity in the team zone (WeekOf, Key
//     "2026-W49", Title "Weekly update · 2026-W49 (30 Nov – 6 Dec)",
//     Marker, ParseKey, DST-correct Start/End).
//   - parse.go: ParseReply, the linear, capped, cancellable reader of a
//     reply (headings, bold labels, "Shipped:" prefixes, list items;
//     unlabelled text is Shipped; code and quotes ignored).
//   - roster.go: Participants (policy → references, teams unexpanded),
//     Roster (posted / missing / away from the calendar: away days,
//     holidays, GitHub busy), Participation (k of n, away apart).
//   - schedule.go: OpenAt, RemindAt, ReminderAt, SummarizeAt and the
//     decisions ShouldOpen, DueReminders, ShouldSummarize, all functions of
//     now, the policy and the calendar.
//   - render.go: the thread body with its roster table, the reminder reply
//     with per-person drafts, the summary comment; every user string
//     through internal/mdtext, mentions only where a ping is meant.
//
// What the next session must wire:
//
//   - Fetching: expand "@org/team" participants (roster.Directory.Expand),
//     read busy status (Directory.Busy → Calendar.SetBusy), find the week's
//     thread by Marker in the category (paged comments), read top-level
//     replies by participant (latest edit; deleted replies drop out), the
//     reminder replies' markers (who was reminded this week), and each
//     person's week: merged PRs in shipped_from (one search per org and
//     week, not per person), open PRs, assigned issues, PRs waiting on a
//     review past reviews.first_response, and blockers' PR reviewers and
//     issue assignees (BlockerRefs gives the references).
//   - The Discussions write path in internal/gh: categories with
//     filterByAssignable, createDiscussion, updateDiscussion (roster, one
//     edit only when RenderThread's output changed), closeDiscussion
//     RESOLVED for last week's thread with a link to the new one,
//     addDiscussionComment / updateDiscussionComment for reminders and the
//     summary (found by their markers, edited on re-run).
//   - The setup issue (no Discussions, missing or unassignable category),
//     closed once the thread opens; the Overlap config check preview of
//     OpenAt / RemindAt / SummarizeAt per zone.
//   - The feature in app/features.go, discussion / discussion_comment
//     events, the sweep, the emulator end-to-end tests of issue 10, the
//     sandbox scene, and the request figures in docs/performance.md.
package weekly
