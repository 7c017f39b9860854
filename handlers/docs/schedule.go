package docs

import "time"

// DueWindow is how long after the weekly slot a sweep still counts as the
// weekly refresh. The scheduler sweeps every 15 minutes by default and
// `overlap sweep --once` may run from a CronJob an hour or two late; a
// working day's span catches either without reaching the evening.
const DueWindow = 8 * time.Hour

// Schedule is the weekly slot of the docs sweep: a weekday and a wall-clock
// time in the team's zone (default Monday 09:00).
type Schedule struct {
	Day      time.Weekday
	Minute   int // minutes after midnight
	Location *time.Location
}

// LastSlot returns the latest slot at or before now. Wall-clock times are
// applied with time.Date, so the slot stays at 09:00 across DST changes.
func (s Schedule) LastSlot(now time.Time) time.Time {
	loc := s.Location
	if loc == nil {
		loc = time.UTC
	}
	local := now.In(loc)
	back := (int(local.Weekday()) - int(s.Day) + 7) % 7
	y, m, d := local.Date()
	slot := time.Date(y, m, d-back, s.Minute/60, s.Minute%60, 0, 0, loc)
	if slot.After(now) {
		slot = time.Date(y, m, d-back-7, s.Minute/60, s.Minute%60, 0, 0, loc)
	}
	return slot
}

// Due reports whether now falls in the weekly refresh: within DueWindow
// after the last slot. It also returns that slot.
func (s Schedule) Due(now time.Time) (slot time.Time, due bool) {
	slot = s.LastSlot(now)
	return slot, now.Sub(slot) < DueWindow
}

// Plan is what a sweep of one repository should do, decided before any
// doc is fetched.
type Plan struct {
	// Skip: nothing to do, unless CheckHead is set and the default branch
	// moved since the issue was rendered (Data.Head).
	Skip bool
	// CheckHead: read the default branch's head (one call) and refresh
	// only when it differs from Data.Head.
	CheckHead bool
	// Full: the refresh may create, reopen, close and reassign the issue.
	// Otherwise it only edits an open issue in place.
	Full bool
}

// PlanSweep decides a sweep from the clock and the tracking issue alone.
//
// The weekly refresh — creating, reopening, closing and reassigning the
// issue, which notify people — happens on the first sweep within DueWindow
// after the slot; it records the slot in the issue's data block, so later
// sweeps in the window only look again when the default branch moved.
// Between slots a sweep only edits an open issue, and only when the
// default branch moved since it was rendered (a doc was fixed or a covers
// line changed); a repository without an open issue costs no more than
// finding that out.
//
// Assigning the duty person notifies them, so the weekly refresh leaves
// the assignment pending (Data.Pending) when they may not be pinged at the
// slot (a teammate whose morning starts hours after the team's). Any later
// sweep before the next slot at which mayPing allows it does a full
// refresh again, which assigns them. mayPing nil means always. The rule
// depends only on its arguments.
func PlanSweep(due bool, slot time.Time, existing *Issue, data Data, mayPing func(login string) bool) Plan {
	open := existing != nil && existing.State != "closed"
	if open && data.Pending != "" && data.Slot == DateOf(slot) && (mayPing == nil || mayPing(data.Pending)) {
		return Plan{Full: true}
	}
	if due {
		if existing != nil && data.Slot == DateOf(slot) && data.Head != "" {
			return Plan{Skip: true, CheckHead: true, Full: true}
		}
		return Plan{Full: true}
	}
	if !open || data.Head == "" {
		if open {
			return Plan{} // rendered by an older version: refresh in place
		}
		return Plan{Skip: true}
	}
	return Plan{Skip: true, CheckHead: true}
}

// Restrict limits a desired tracking issue to what a sweep outside the
// weekly refresh may do: edit an open issue in place, keeping its
// assignees. Creating, reopening and closing wait for the next slot.
func Restrict(d TrackingDesired, existing *Issue, full bool) TrackingDesired {
	if full {
		return d
	}
	switch d.Action {
	case ActionCreate, ActionReopen, ActionClose:
		d.Action = ActionNone
		d.Comment = ""
	case ActionUpdate:
		if existing != nil {
			d.Assignees = existing.Assignees
		}
	}
	return d
}
