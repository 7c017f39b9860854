// Package timezones finds time-sensitive phrases written without a timezone
// ("ship Friday EOD", "by Monday 10:00", "tomorrow morning") in PR, issue and
// discussion text, pins each one to an explicit instant in the author's
// timezone, and renders one comment that converts those instants for every
// zone in the team.
//
// A team spread over London, New York and Singapore loses a day whenever
// "Friday" means three different moments. The comment makes the author's
// meaning explicit and shows who is off-hours at that moment; it never asks
// anyone to do anything.
//
// Detection, resolution and rendering (Detect, Resolve, Scan, Render,
// Comment) are pure: no I/O, no clock. Feature wires them to events.
//
// # The sticky comment
//
// Feature handles pull_request and issues (opened; edited when the body
// changed), issue_comment (created, edited, deleted), pull_request_review
// (submitted with a body; edited), discussion (created; edited when the
// body changed) and discussion_comment (created, edited, deleted). For any
// of them it re-reads the whole thread — the body, every human comment (and
// discussion reply), and on a pull request every review body — and keeps
// one comment starting with `<!-- overlap:timezones -->` that lists the
// thread's phrases in order, de-duplicated, edited in place as phrases come
// and go. The desired comment depends only on the thread's current text, so
// redeliveries, out-of-order events and edits all converge.
//
// When no phrase is left (edited away, comment deleted) the comment is
// deleted rather than edited to say so: the thread then looks exactly as if
// the phrase had never been written, which is also what a thread that never
// had one looks like.
//
// Each author's phrases resolve in their zone and working hours from the
// roster (roster.Calendar over the policy's team block), else the team's.
// Every text resolves relative to its own created_at (a review: its
// submitted_at), never the time of the event: "Friday" written on Tuesday
// stays that Friday however late the thread is re-read. created_at rather
// than updated_at, because an issue's updated_at moves with every comment
// or label, which would make "Friday" drift to next week on unrelated
// activity. Texts by bots (Overlap included) and texts that start with an
// Overlap marker (someone quoting Overlap) are never scanned; a bot's
// comment event costs no API call at all. `timezones.enabled: false` or
// `timezones.mode: off` silences the feature after the shared policy read.
//
// # API calls per event
//
// Measured in e2e_test.go (the policy read, one conditional GET shared by
// every feature for the event, is counted in each):
//
//   - issue opened/edited, issue_comment on an issue: policy 1 + list
//     comments 1 (it serves both the scan and the sticky lookup) + at most
//     1 write = 3.
//   - pull_request opened/edited, issue_comment on a PR,
//     pull_request_review: policy 1 + comments 1 + reviews 1 + at most 1
//     write = 4.
//   - discussion, discussion_comment: policy 1 + one GraphQL query (body,
//     100 comments with 100 replies each) + at most 1 mutation = 3.
//   - an event that cannot change the phrases (a title edit, a bot's
//     comment, an approval without a body): 0.
//   - `mode: off`: the policy read only.
//
// Threads longer than 100 comments cost one more list page (or query) per
// 100 comments.
//
// # Detection
//
// Every recognised phrase shape is one row of the rules table in rules.go:
// its pattern, its Kind, which day it means and which time on that day.
// Detect masks what must never count (fenced and indented code, inline code,
// `>` quotes, URLs, link targets, HTML comments) and then rejects matches that
// are really something else: versions and paths ("1.15:00", "Monday.com"),
// durations ("15:00 minutes"), dates ("Friday the 13th"), named days
// ("Black Friday"), plural recurring days ("on Fridays" is not matched), and
// any phrase whose sentence already names a zone (UTC, GMT, BST, SGT, ET, PT,
// +01:00, Europe/London, "London time", "your time", "local time", …).
// Clock times need a colon or am/pm: "at 3" and "15.00" are not detected.
// A clock from 1:00 to 7:59 without am/pm ("Done by 5:00", "Friday 7:30")
// could be morning or evening, so it is left alone, weekday and all;
// 0:00–0:59, 8:00–23:59 and zero-padded hours ("05:00") read as 24-hour.
// A region word right after a phrase ("5pm Pacific", "noon (Eastern)",
// "9am US Eastern") or a single-zone country ("Thursday 17:00 UK",
// "3pm Britain") names a zone as a city does ("3pm London"), and so do
// "UK time" and "US Pacific" anywhere in the sentence. A m:ss position in a recording ("the
// 2:30 mark", "1:15 into the video", "skip to 4:05") is not a time of day.
//
// A phrase that spells out its date takes the date with it: "Nov 27 at
// 3pm", "2026-11-27 15:00", "3pm on Fri 27 Nov", "EOD 27 November" (ISO, or
// a month name with a day either way round, optionally a year). Numeric
// day/month dates ("27/11", "11/27", "27.11.") mean different days in London
// and New York, and "the 27th" has no month, so a phrase next to one of
// those is skipped rather than pinned to a guessed day. A date on its own,
// with or without a weekday ("Friday 27 Nov", "Monday March 3rd"), is a
// date, not a time-sensitive phrase, and is not detected.
//
// # Resolution rules
//
// All arithmetic is calendar arithmetic in the author's location, so a phrase
// resolves to the right wall-clock time across a DST change. A wall-clock
// time the change skips ("02:30" on 8 March 2026 in New York) is taken as
// the same distance past the gap (03:30), and one it repeats ("01:30" on 1
// November) as the first of the two; the comment says so under the line.
//
//   - A range ("3-4pm", "15:00-16:00", "3pm to 4pm", "Fri 10-11am") is one
//     item, both ends converted. A start without am/pm is the latest of its
//     readings before the end ("11-1pm" is 11:00–13:00); a range whose end
//     comes before its start runs past midnight.
//   - Past references are not deadlines and are not listed: a phrase
//     touching "yesterday", "last", "last night", "earlier", "ago" or
//     "was at" ("at 3pm yesterday", "last Friday", "the outage was at
//     2pm"). A bare time that names today's occurrence of something ("the
//     2pm meeting", "this morning's 9am", "today's 3pm", "9am this
//     morning") is today's: listed while ahead, left out once past, never
//     rolled over to tomorrow.
//   - A bare weekday ("ship Friday") means the end of the author's working day
//     on that weekday: a deadline is the useful reading of a day name.
//   - A weekday is the coming one: today if the resolved instant is still
//     ahead of now, otherwise that weekday next week. "this Friday" is the
//     same. "next Friday" and "Friday next week" mean the Friday of the next
//     Monday-to-Sunday week.
//   - A weekday with a time ("Fri 3pm") is that time on that day; with
//     morning it is the start of working hours, afternoon 14:00, evening
//     18:00, night 20:00; with EOD/COB the end of working hours.
//   - "EOD", "end of day", "COB", "close of business": the end of the author's
//     working hours today if today is a working day and that is still
//     ahead, otherwise the end of the author's next working day. Working
//     days are the schedule's (working weekdays, holidays skipped); away
//     days count, so "by EOD" written while away, or on Friday before a week
//     off, is not pushed past the absence, and it is never a weekend day
//     for a Monday-to-Friday author. "EOD today" is today's, even if past.
//   - A return from an absence ("until Monday", "OOO till Friday", "back on
//     Monday", "returning next Tuesday", "back tomorrow") is not a deadline:
//     it means the START of the author's working hours that day. With a time
//     or EOD of its own ("until Monday 10:00") the time wins.
//   - "tomorrow" alone means the end of tomorrow's working day; "tomorrow
//     morning" the start of tomorrow's working hours; "tomorrow 3pm" 15:00.
//   - "tonight" is 20:00 today ("tonight at 9pm": 21:00 today).
//   - "next week" is Monday of the next Monday-to-Sunday week at the start of
//     working hours.
//   - A bare time ("at 15:00", "3pm", "noon") is today if still ahead of now,
//     else tomorrow. "midnight" is the midnight that ends the day it names.
//   - A dated phrase is that date in the author's zone, even if already past;
//     without a year, the date's next occurrence (today included): "Nov 27"
//     written on 28 November is next year's. A weekday that contradicts the
//     date ("Monday March 3rd at 3pm" when 3 March is a Wednesday) or a day
//     the month does not have leaves the phrase unconverted: either word
//     may be the slip, and a wrong conversion is worse than none.
//
// Working hours come from the Person: StartOfDay and EndOfDay default to
// 09:00 and 17:00, IsWorking defaults to Monday to Friday between them, and
// WorkingDay to Monday to Friday.
package timezones
