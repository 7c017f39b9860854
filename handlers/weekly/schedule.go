package weekly

import (
	"strings"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
)

// The schedule decisions are pure: the sweep calls them with now, the
// policy and the calendar, and writes only what they return. Each is
// idempotent given the state it is passed (thread found or not, who was
// reminded), so a sweep that runs twice, or late, does the right thing:
// a Monday missed while Overlap was down is caught up by the next sweep
// of the same week, never by one of the week after.

// OpenAt is when the week's thread opens: policy open time, team zone.
func OpenAt(w config.WeeklyUpdates, week Week) time.Time { return at(week, w.Open, week.Loc) }

// SummarizeAt is when the week's summary is written, team zone.
func SummarizeAt(w config.WeeklyUpdates, week Week) time.Time {
	return at(week, w.Summarize, week.Loc)
}

// RemindAt is login's own remind time in the week: the policy's day and
// wall time read in the participant's zone (thu 14:00 is a different
// instant in London, New York and Singapore).
func RemindAt(w config.WeeklyUpdates, cal *calendar.Calendar, login string, week Week) time.Time {
	loc := cal.Person(login).Schedule.Location
	return at(week, w.Remind, loc)
}

// ShouldOpen reports whether the sweep at now must create this week's
// thread: the feature is on, the open time has passed this week, and no
// thread with this week's marker exists.
func ShouldOpen(now time.Time, w config.WeeklyUpdates, week Week, exists bool) bool {
	return w.Enabled && !exists && week.Contains(now) && !now.Before(OpenAt(w, week))
}

// ShouldSummarize reports whether the summary is due at now. The summary
// comment is found by its marker and edited, so a second call the same
// week rewrites it rather than adding one.
func ShouldSummarize(now time.Time, w config.WeeklyUpdates, week Week, threadExists bool) bool {
	return w.Enabled && threadExists && week.Contains(now) && !now.Before(SummarizeAt(w, week))
}

// ReminderAt is when login is actually reminded: the first moment at or
// after their remind time when they may be pinged (working hours, outside
// focus blocks, not away: calendar.NextPing with Normal urgency). ok is
// false when that moment is not before the summary (a Friday-only worker
// with a Thursday reminder is not chased on Friday evening) or never comes.
func ReminderAt(w config.WeeklyUpdates, cal *calendar.Calendar, login string, week Week) (time.Time, bool) {
	t := cal.NextPing(login, RemindAt(w, cal, login, week), calendar.Normal)
	if t.IsZero() || !t.Before(SummarizeAt(w, week)) {
		return time.Time{}, false
	}
	return t, true
}

// DueReminders returns, in roster order, the participants to mention in
// one reminder reply now: missing (not posted, not away), not yet reminded
// this week (reminded holds lower-case logins, read back from the markers
// of the week's reminder replies), and whose moment (ReminderAt) has come
// while they may still be pinged now. Someone whose moment passed during a
// focus block is reminded at the next sweep outside it.
func DueReminders(now time.Time, w config.WeeklyUpdates, cal *calendar.Calendar, week Week, rows []Row, reminded map[string]bool) []string {
	if !w.Enabled || !week.Contains(now) || !now.Before(SummarizeAt(w, week)) {
		return nil
	}
	var out []string
	for _, r := range rows {
		if r.Status != Missing || reminded[strings.ToLower(r.Login)] {
			continue
		}
		t, ok := ReminderAt(w, cal, r.Login, week)
		if !ok || now.Before(t) || !cal.MayPing(r.Login, now, calendar.Normal) {
			continue
		}
		out = append(out, r.Login)
	}
	return out
}
