package timezones

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/olebedev/when"
	"github.com/olebedev/when/rules"
	"github.com/olebedev/when/rules/en"

	"github.com/overlaphq/overlap/internal/calendar"
)

// Person is a teammate as this package needs them: a zone and working hours.
// The hooks are filled from the team calendar by the caller; nil hooks fall
// back to 09:00–17:00, Monday to Friday.
type Person struct {
	Login string
	Loc   *time.Location
	// IsWorking reports whether t is inside the person's working hours.
	IsWorking func(t time.Time) bool
	// StartOfDay and EndOfDay return the start and end of working hours on
	// day, which is passed as midnight in Loc.
	StartOfDay func(day time.Time) time.Time
	EndOfDay   func(day time.Time) time.Time
	// WorkingDay reports whether day (midnight in Loc) is one of the
	// person's working days by schedule: a working weekday that is not a
	// holiday. Away days still count: "by EOD" written by someone who is
	// away means the end of that day, not the end of their absence.
	WorkingDay func(day time.Time) bool
}

func (p Person) loc(t time.Time) *time.Location {
	if p.Loc != nil {
		return p.Loc
	}
	return t.Location()
}

func (p Person) startOfDay(day time.Time) time.Time {
	if p.StartOfDay != nil {
		return p.StartOfDay(day)
	}
	return clockOn(day, 9, 0)
}

func (p Person) endOfDay(day time.Time) time.Time {
	if p.EndOfDay != nil {
		return p.EndOfDay(day)
	}
	return clockOn(day, 17, 0)
}

// workingDay reports whether day is one of p's scheduled working days.
func (p Person) workingDay(day time.Time) bool {
	if p.WorkingDay != nil {
		return p.WorkingDay(day)
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// working reports whether t falls inside p's working hours.
func (p Person) working(t time.Time) bool {
	if p.IsWorking != nil {
		return p.IsWorking(t)
	}
	local := t.In(p.loc(t))
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	day := midnight(local)
	return !local.Before(p.startOfDay(day)) && local.Before(p.endOfDay(day))
}

// Item is one resolved phrase of a thread, ready to render.
type Item struct {
	Phrase string    // as quoted in the comment, e.g. "ship Friday EOD"
	Author string    // login of whoever wrote it
	At     time.Time // the instant it resolved to (a range: its start)
	// End is the end of a range ("3-4pm", "15:00 to 16:00"); zero for a
	// single instant.
	End time.Time
	// Notes explain a wall-clock time the author's zone skips or repeats
	// that day (a DST change), e.g. "02:30 does not exist on Sun 8 Mar in
	// America/New_York (clocks go forward); taken as 03:30".
	Notes []string
}

// span is what a phrase resolves to: an instant or a range, and notes on
// any wall-clock time that a DST change skips or repeats.
type span struct {
	at, end time.Time
	notes   []string
}

// Scan detects the phrases in text and resolves each for author at now (the
// created_at of the body or comment). Phrases that cannot be resolved (the
// author's zone is unknown) are left out, and so are references to today's
// time that has already passed ("the 2pm meeting is cancelled" written at
// 3pm; see Phrase.Today): they are not upcoming deadlines.
//
// Scan has no deadline and its own budget; see [ScanContext].
func Scan(text string, author Person, now time.Time) []Item {
	items, _ := ScanContext(context.Background(), NewBudget(), text, author, now)
	return items
}

// ScanContext is [Scan] spending from budget (shared by the texts of a
// thread, see [Budget]) and returning ctx's error when ctx is done first.
func ScanContext(ctx context.Context, budget *Budget, text string, author Person, now time.Time) ([]Item, error) {
	phrases, err := budget.detect(ctx, text)
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, p := range phrases {
		sp, ok := resolvePhrase(p, author, now)
		if !ok || p.Today && !sp.at.After(now) {
			continue
		}
		items = append(items, Item{Phrase: p.Quote, Author: author.Login, At: sp.at, End: sp.end, Notes: sp.notes})
	}
	return items, nil
}

// Resolve turns a detected phrase into an instant in the author's zone,
// relative to now, following the rules in the package documentation. It
// reports false when the author has no zone or the phrase is not one the
// detector table knows. A range ("3-4pm") resolves to its start; a phrase
// marked Today resolves to today's time even when it has passed.
func Resolve(p Phrase, author Person, now time.Time) (time.Time, bool) {
	sp, ok := resolvePhrase(p, author, now)
	return sp.at, ok
}

func resolvePhrase(p Phrase, author Person, now time.Time) (span, bool) {
	if author.Loc == nil {
		return span{}, false
	}
	for _, r := range table {
		if r.kind != p.Kind {
			continue
		}
		g, ok := groups(r.full, strings.TrimSpace(p.Text))
		if !ok {
			continue
		}
		if p.Today && r.day == dayUpcoming && r.at == atClock {
			r.day = dayToday // "the 2pm meeting": today's, never tomorrow's
		}
		return resolve(r, g, author, now.In(author.Loc))
	}
	return span{}, false
}

func resolve(r rule, g map[string]string, author Person, now time.Time) (span, bool) {
	today := midnight(now)
	at := func(day time.Time) (span, bool) { return timeOn(r.at, g, day, author) }
	switch r.day {
	case dayToday:
		return at(today)
	case dayTomorrow:
		return at(addDays(today, 1))
	case dayNextMonday:
		return at(nextMonday(today))
	case dayDate:
		day, ok := dateOf(g, today)
		if !ok {
			return span{}, false
		}
		if g["wd"] != "" {
			// "Monday March 3rd" when 3 March is a Tuesday: either word
			// may be the slip, so convert neither.
			wd, err := calendar.ParseWeekday(g["wd"])
			if err != nil || wd != day.Weekday() {
				return span{}, false
			}
		}
		return at(day)
	case dayWeekday:
		target, err := calendar.ParseWeekday(g["wd"])
		if err != nil {
			return span{}, false
		}
		if strings.EqualFold(g["mod"], "next") || g["nw"] != "" {
			return at(addDays(nextMonday(today), (int(target)+6)%7))
		}
		day := addDays(today, (int(target)-int(today.Weekday())+7)%7)
		t, ok := at(day)
		if ok && !t.at.After(now) {
			t, ok = at(addDays(day, 7))
		}
		return t, ok
	case dayUpcoming:
		// End of day means the end of the author's working day: today's
		// if today is a working day and its end is still ahead, else the
		// next working day's ("by EOD" written on Friday evening is
		// Monday's). Working days come from the schedule, so an away day
		// neither pushes EOD to the end of the absence nor lets it fall
		// on a weekend.
		for k := 0; k <= 14; k++ {
			day := addDays(today, k)
			if r.at == atEOD && !author.workingDay(day) {
				continue
			}
			t, ok := at(day)
			if !ok {
				return span{}, false
			}
			if t.at.After(now) {
				return t, true
			}
		}
		if r.at == atEOD {
			// No working day within two weeks (a schedule without
			// working days): plain end of today or tomorrow.
			for k := 0; k <= 1; k++ {
				if t, ok := at(addDays(today, k)); ok && t.at.After(now) {
					return t, true
				}
			}
		}
	}
	return span{}, false
}

// dateOf returns midnight (in today's location) of the date named by the
// year, mon and day groups. Without a year it is the date's next occurrence
// on or after today: "Nov 27" written on 24 Nov is this year's, written on
// 28 Nov next year's. A day the month does not have ("Feb 30") is refused.
func dateOf(g map[string]string, today time.Time) (time.Time, bool) {
	d, err := strconv.Atoi(g["day"])
	if err != nil {
		return time.Time{}, false
	}
	m, ok := monthOf(g["mon"])
	if !ok {
		return time.Time{}, false
	}
	valid := func(y int) (time.Time, bool) {
		t := time.Date(y, m, d, 0, 0, 0, 0, today.Location())
		return t, t.Month() == m && t.Day() == d
	}
	if g["year"] != "" {
		y, err := strconv.Atoi(g["year"])
		if err != nil {
			return time.Time{}, false
		}
		return valid(y)
	}
	// Eight years always reach a 29 February.
	for y := today.Year(); y <= today.Year()+8; y++ {
		if t, ok := valid(y); ok && !t.Before(today) {
			return t, true
		}
	}
	return time.Time{}, false
}

var monthPrefixes = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// monthOf reads a month as a number ("11", from an ISO date) or a name.
func monthOf(s string) (time.Month, bool) {
	if n, err := strconv.Atoi(s); err == nil {
		return time.Month(n), n >= 1 && n <= 12
	}
	s = strings.ToLower(s)
	for i, p := range monthPrefixes {
		if strings.HasPrefix(s, p) {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

// timeOn returns the instant (or range) a phrase names on day (midnight in
// the author's zone).
func timeOn(a atRule, g map[string]string, day time.Time, author Person) (span, bool) {
	loc := day.Location()
	one := func(t time.Time) (span, bool) { return span{at: t}, true }
	switch a {
	case atClock:
		h, m, nextDay, ok := parseClock(g["clock"])
		if !ok {
			return span{}, false
		}
		endDay := day
		if nextDay {
			endDay = addDays(day, 1)
		}
		if g["from"] == "" {
			t, note := wallClock(endDay, h, m)
			return span{at: t, notes: note}, true
		}
		fh, fm, ok := rangeStart(g["from"], h, m, nextDay)
		if !ok {
			return span{}, false
		}
		// A range that runs past midnight ("11pm-1am") ends the next day.
		if !nextDay && fh*60+fm >= h*60+m {
			endDay = addDays(day, 1)
		}
		start, n1 := wallClock(day, fh, fm)
		end, n2 := wallClock(endDay, h, m)
		return span{at: start, end: end, notes: append(n1, n2...)}, true
	case atEOD:
		return one(author.endOfDay(day).In(loc))
	case atStart:
		return one(author.startOfDay(day).In(loc))
	case atPart:
		switch strings.ToLower(g["part"]) {
		case "morning":
			return one(author.startOfDay(day).In(loc))
		case "afternoon":
			return one(clockOn(day, 14, 0))
		case "evening":
			return one(clockOn(day, 18, 0))
		case "night":
			return one(clockOn(day, 20, 0))
		}
	case atTonight:
		return one(clockOn(day, 20, 0))
	}
	return span{}, false
}

// rangeStart reads the start of a range ending at eh:em. A start with
// am/pm, "noon", or in 24-hour form (zero-padded, 0:xx, 8:00–23:59) is
// read as written. An hour that could be either ("3" in "3-4pm", "3:30" in
// "3:30-4:30pm", "11" in "11-1pm") is the latest of its two readings that
// comes before the end, else the one with the end's am/pm (the range then
// runs past midnight).
func rangeStart(s string, eh, em int, endNextDay bool) (h, m int, ok bool) {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	if lower == "noon" || lower == "midday" || ampmSuffix.MatchString(s) {
		h, m, _, ok = parseClock(s)
		return h, m, ok
	}
	hh, mm, found := strings.Cut(s, ":")
	if !found {
		mm = "0"
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h > 23 || m > 59 {
		return 0, 0, false
	}
	if found && !isAmbiguousClock(s) && (h == 0 || h >= 8 || len(hh) == 2) {
		return h, m, true // 24-hour: "15:00-16:00", "09:30-10:00"
	}
	if h > 12 {
		return 0, 0, false
	}
	end := eh*60 + em
	if endNextDay {
		end += 24 * 60
	}
	best := -1
	for _, c := range []int{h % 12, h%12 + 12} {
		if c*60+m < end {
			best = c
		}
	}
	if best < 0 {
		best = h%12 + 12*(eh/12) // same half of the day as the end
	}
	return best, m, true
}

var ampmSuffix = regexp.MustCompile(`(?i)(?:[ap]m|[ap]\.m\.)$`)

// wallClock returns h:m on day in day's location, with a note when a DST
// change skips or repeats that wall-clock time. A skipped time ("02:30" on
// the morning clocks go forward) is read with the offset in force before
// the change, so it lands as far past the gap as it was into it (03:30); a
// repeated one ("01:30" on the morning clocks go back) is the first of the
// two, the earlier deadline. time.Date leaves both choices unspecified.
func wallClock(day time.Time, h, m int) (time.Time, []string) {
	loc := day.Location()
	naive := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, time.UTC)
	guess := time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, loc)
	// The offsets in force around that wall-clock time; zones do not
	// change twice within a day and a half.
	_, before := guess.Add(-36 * time.Hour).Zone()
	_, after := guess.Add(36 * time.Hour).Zone()
	var valid []time.Time
	for _, off := range []int{before, after} {
		t := naive.Add(-time.Duration(off) * time.Second).In(loc)
		if t.Hour() == h && t.Minute() == m && t.Day() == day.Day() && (len(valid) == 0 || !valid[0].Equal(t)) {
			valid = append(valid, t)
		}
	}
	dayName := day.Format("Mon 2 Jan")
	clock := fmt.Sprintf("%02d:%02d", h, m)
	switch len(valid) {
	case 0:
		t := naive.Add(-time.Duration(before) * time.Second).In(loc)
		return t, []string{fmt.Sprintf("%s does not exist on %s in %s (clocks go forward); taken as %s",
			clock, dayName, loc, t.Format("15:04"))}
	case 1:
		return valid[0], nil
	}
	first := valid[0]
	if valid[1].Before(first) {
		first = valid[1]
	}
	return first, []string{fmt.Sprintf("%s happens twice on %s in %s (clocks go back); taken as the first, %s (UTC%s)",
		clock, dayName, loc, first.Format("15:04 MST"), first.Format("-07:00"))}
}

var amSuffix = regexp.MustCompile(`(?i)a\.?m\.?$`)

// parseClock reads "3pm", "3:30 p.m.", "15:00", "noon" or "midnight".
// Midnight is the one that ends the day (nextDay). The clock itself is read
// with olebedev/when's English hour rules, which handle the am/pm spellings;
// its day arithmetic is not used, since it adds 24-hour durations and so
// drifts by an hour across a DST change.
func parseClock(s string) (hour, minute int, nextDay, ok bool) {
	s = strings.TrimSpace(s)
	if isAmbiguousClock(s) {
		return 0, 0, false, false // "5:00": 5am or 5pm? See ambiguousClock.
	}
	switch strings.ToLower(s) {
	case "noon", "midday":
		return 12, 0, false, true
	case "midnight":
		return 0, 0, true, true
	}
	p := when.New(&rules.Options{Distance: 5, MatchByOrder: true})
	if strings.Contains(s, ":") {
		p.Add(en.HourMinute(rules.Override))
	} else {
		p.Add(en.Hour(rules.Override))
	}
	base := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	res, err := p.Parse(s, base)
	if err != nil || res == nil {
		return 0, 0, false, false
	}
	hour, minute = res.Time.Hour(), res.Time.Minute()
	if hour == 12 && amSuffix.MatchString(s) {
		hour = 0 // when reads "12am" as noon
	}
	return hour, minute, false, true
}

// Calendar arithmetic in the location of the given time: time.Date
// normalises, so adding days keeps the wall clock across DST changes.

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func addDays(day time.Time, n int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+n, 0, 0, 0, 0, day.Location())
}

func clockOn(day time.Time, h, m int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, day.Location())
}

// nextMonday is Monday of the Monday-to-Sunday week after day's.
func nextMonday(day time.Time) time.Time {
	k := (8 - int(day.Weekday())) % 7
	if k == 0 {
		k = 7
	}
	return addDays(day, k)
}
