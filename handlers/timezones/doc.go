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
// The package is pure: no I/O, no clock. Callers pass the text, the author,
// the team and `now` (the created_at of the comment the phrase came from).
// Wiring to events and the sticky comment (marker `<!-- overlap:timezones -->`)
// lives elsewhere.
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
//
// # Resolution rules
//
// All arithmetic is calendar arithmetic in the author's location, so a phrase
// resolves to the right wall-clock time across a DST change.
//
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
//     working hours today if still ahead, otherwise the end of the author's
//     next working day. "EOD today" is today's, even if already past.
//   - "tomorrow" alone means the end of tomorrow's working day; "tomorrow
//     morning" the start of tomorrow's working hours; "tomorrow 3pm" 15:00.
//   - "tonight" is 20:00 today ("tonight at 9pm": 21:00 today).
//   - "next week" is Monday of the next Monday-to-Sunday week at the start of
//     working hours.
//   - A bare time ("at 15:00", "3pm", "noon") is today if still ahead of now,
//     else tomorrow. "midnight" is the midnight that ends the day it names.
//
// Working hours come from the Person: StartOfDay and EndOfDay default to
// 09:00 and 17:00, and IsWorking defaults to Monday to Friday between them.
package timezones
