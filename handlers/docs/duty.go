package docs

import "time"

// Duty says who is on documentation duty at now and who takes over next.
//
// The rotation advances one person every `every` (zero means a week),
// counted from midnight of `starts` in now's time zone; before starts the
// first person is on duty. People for whom away reports true (out of office
// in the roster, or "busy" on GitHub) are skipped in favour of the next in
// line. next is the person for the following period, skipping the away and
// the current person, so the handover always names someone else when the
// rotation has more than one available person. When everyone is away the
// scheduled person stays on duty: the sweep still needs an assignee.
// The result depends only on the arguments.
func Duty(rotation []string, starts Date, every time.Duration, now time.Time, away func(login string) bool) (current, next string) {
	n := len(rotation)
	if n == 0 {
		return "", ""
	}
	if every <= 0 {
		every = DefaultDutyEvery
	}
	if away == nil {
		away = func(string) bool { return false }
	}
	idx := dutyIndex(starts, every, now)
	pick := func(from int, not string) string {
		for k := 0; k < n; k++ {
			p := rotation[(from+k)%n]
			if !away(p) && p != not {
				return p
			}
		}
		return ""
	}
	current = pick(idx, "")
	if current == "" {
		current = rotation[idx%n]
	}
	next = pick(idx+1, current)
	if next == "" {
		next = current
	}
	return current, next
}

// dutyIndex is the number of whole periods between starts and now. For
// periods of whole days it counts calendar days, so a DST change does not
// move the handover by an hour.
func dutyIndex(starts Date, every time.Duration, now time.Time) int {
	if starts.IsZero() {
		return 0
	}
	start := starts.In(now.Location())
	if now.Before(start) {
		return 0
	}
	if every%(24*time.Hour) == 0 {
		today := DateOf(now).In(time.UTC)
		elapsed := int(today.Sub(starts.In(time.UTC)) / (24 * time.Hour))
		return elapsed / int(every/(24*time.Hour))
	}
	return int(now.Sub(start) / every)
}
