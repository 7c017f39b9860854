package timezones

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
)

// Text is one piece of a thread: the body of the issue, pull request or
// discussion, a comment, a reply or a review.
type Text struct {
	Author string
	Body   string
	// At is when the text was written (created_at, a review's
	// submitted_at). Its phrases resolve relative to it: "Friday" in a
	// comment of Tuesday 24 November is Friday 27 November however late
	// the thread is re-read.
	At time.Time
	// Bot marks texts written by an app; they are never scanned.
	Bot bool
}

// ownMarker starts everything Overlap writes; a person pasting it is
// quoting Overlap, not writing a deadline.
const ownMarker = "<!-- overlap:"

// Comment returns the body of the thread's sticky comment (without the
// marker): every phrase of the human texts, in order, de-duplicated,
// converted for the team in cal; "" when there is nothing to list. Each
// author's phrases resolve in their zone and working hours from the
// roster; someone not in the roster has the team's.
//
// Comment has no deadline; see [CommentContext].
func Comment(texts []Text, cal *calendar.Calendar) string {
	body, _ := CommentContext(context.Background(), texts, cal)
	return body
}

// CommentContext is [Comment] bounded for hostile threads: every comment
// event re-reads the thread, and a thread is as long as its writers make
// it, so the whole thread shares one detector [Budget]. The body (or the
// first text) is read first, then the other texts newest first — the
// comment that triggered the event is among them — until the budget is
// spent; texts left over are not listed. Budget only ever runs out on text
// far longer than people write, so in practice every text is read. Items
// are listed in thread order whatever order they were read in. It returns
// ctx's error when ctx is done first.
func CommentContext(ctx context.Context, texts []Text, cal *calendar.Calendar) (string, error) {
	budget := NewBudget()
	found := make([][]Item, len(texts))
	order := make([]int, 0, len(texts))
	if len(texts) > 0 {
		order = append(order, 0)
	}
	for i := len(texts) - 1; i > 0; i-- {
		order = append(order, i)
	}
	for _, i := range order {
		if budget.Spent() {
			break
		}
		t := texts[i]
		if t.Bot || strings.HasPrefix(strings.TrimSpace(t.Body), ownMarker) || strings.TrimSpace(t.Body) == "" {
			continue
		}
		items, err := ScanContext(ctx, budget, t.Body, PersonFor(cal, t.Author), t.At)
		if err != nil {
			return "", err
		}
		found[i] = items
	}
	var items []Item
	for _, f := range found {
		items = append(items, f...)
	}
	return Render(items, Team(cal)), nil
}

// PersonFor is login as the calendar knows them: zone, working hours and
// working days. For IsWorking holidays and away days count as off; for
// WorkingDay only holidays do (see Person.WorkingDay).
func PersonFor(cal *calendar.Calendar, login string) Person {
	p := cal.Person(login)
	sched := p.Schedule
	loc, hours := sched.Location, sched.Hours
	return Person{
		Login:      login,
		Loc:        loc,
		IsWorking:  func(t time.Time) bool { return cal.IsWorking(login, t) },
		StartOfDay: func(day time.Time) time.Time { return calendar.DateOf(day.In(loc)).At(hours.Start, loc) },
		EndOfDay:   func(day time.Time) time.Time { return calendar.DateOf(day.In(loc)).At(hours.End, loc) },
		WorkingDay: func(day time.Time) bool {
			d := calendar.DateOf(day.In(loc))
			return sched.Days[d.Weekday()] && !slices.Contains(sched.Holidays, d)
		},
	}
}

// Team is everyone in the roster, ordered by zone as cal.Zones lists them
// (the team zone first) and then by login, so the conversions read in the
// same order in every comment. A team without people is represented by its
// own schedule, named "the team".
func Team(cal *calendar.Calendar) []Person {
	people := cal.People()
	if len(people) == 0 {
		p := PersonFor(cal, "the team")
		return []Person{p}
	}
	rank := map[string]int{}
	for i, z := range cal.Zones() {
		rank[z.String()] = i
	}
	slices.SortStableFunc(people, func(a, b calendar.Person) int {
		return rank[a.Schedule.Location.String()] - rank[b.Schedule.Location.String()]
	})
	out := make([]Person, len(people))
	for i, p := range people {
		out[i] = PersonFor(cal, p.Login)
	}
	return out
}
