package reviews

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/gh"
)

// Feature name, also the marker prefix: <!-- overlap:reviews:... -->.
const featureName = "reviews"

// PR is what the decision needs to know about one pull request.
type PR struct {
	Number int
	Title  string
	Author string
	// BaseRef is the base branch (CODEOWNERS is read there).
	BaseRef string
	Draft   bool
	Closed  bool // closed or merged
	Labels  []string
	// Pending are the review requests GitHub still lists, each with the
	// time of its latest ReviewRequestedEvent.
	Pending []Request
	// Requested is every ReviewRequestedEvent on the timeline, oldest first
	// (for time-to-first-review and for clearing old nudges).
	Requested []Request
	Reviews   []Review
	// Pings are the app's own comments of this feature already on the PR.
	Pings []Ping
}

// Request is one review request.
type Request struct {
	// Reviewer is a login, or "org/slug" for a team.
	Reviewer string
	Team     bool
	Bot      bool // bots (and mannequins) are never nudged
	At       time.Time
	// Members are a team's logins (filled in by the handler through the
	// roster Directory); empty for a user.
	Members []string
}

// Review is one submitted review.
type Review struct {
	Author string
	At     time.Time
}

// Kind says what a ping comment is.
type Kind int

// Kinds of pings, in the order they happen.
const (
	Nudge Kind = iota
	Reminder
	Escalation
)

// Ping is one comment this feature wrote, identified by its marker.
type Ping struct {
	Reviewer  string
	RequestAt time.Time
	Kind      Kind
	Index     int       // reminder number, from 1
	At        time.Time // when the comment was created
	Resolved  bool      // the nudge was edited to say the wait is over
}

// Key is the comment's marker.
func (p Ping) Key() string { return markerFor(p.Reviewer, p.RequestAt, p.Kind, p.Index) }

// markerFor builds the marker of a ping: the nudge carries the issue's
// marker <!-- overlap:reviews:<login>:<request-time> -->, a reminder adds
// ":reminder-N", the escalation ":escalation".
func markerFor(reviewer string, at time.Time, k Kind, index int) string {
	key := []string{reviewer, at.UTC().Format(time.RFC3339)}
	switch k {
	case Reminder:
		key = append(key, "reminder-"+strconv.Itoa(index))
	case Escalation:
		key = append(key, "escalation")
	}
	return gh.Marker(featureName, key...)
}

// resolvedFlag ends a nudge that no longer waits; it is how a sweep knows not
// to edit it again.
const resolvedFlag = "<!-- overlap:reviews:resolved -->"

var markerRe = regexp.MustCompile(`^<!-- overlap:reviews:([^:\s]+):(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(?::(reminder-(\d+)|escalation))? -->`)

// ParsePing reads a comment body this feature wrote; ok is false for any
// other body.
func ParsePing(body string, created time.Time) (Ping, bool) {
	m := markerRe.FindStringSubmatch(strings.TrimLeft(body, " \t\r\n"))
	if m == nil {
		return Ping{}, false
	}
	at, err := time.Parse(time.RFC3339, m[2])
	if err != nil {
		return Ping{}, false
	}
	p := Ping{Reviewer: m[1], RequestAt: at, At: created, Resolved: strings.Contains(body, resolvedFlag)}
	switch {
	case m[3] == "escalation":
		p.Kind = Escalation
	case m[4] != "":
		p.Kind = Reminder
		p.Index, _ = strconv.Atoi(m[4])
		if p.Index < 1 {
			return Ping{}, false
		}
	}
	return p, true
}

// Input is everything one decision looks at.
type Input struct {
	PR       PR
	Policy   config.Reviews
	Team     config.Team // for the team zone the comments also show
	Calendar *calendar.Calendar
	Now      time.Time
}

// Post is a comment to create (or, for a resolved nudge, to edit).
type Post struct {
	Marker string
	Body   string
	// Mentions are the logins the body @-mentions (checked quiet at Now).
	Mentions []string
	Kind     Kind
	Reviewer string
}

// Escalate asks the handler to request a review from the policy's
// escalate_to and then post Post (which says so once).
type Escalate struct {
	Reviewer  string
	RequestAt time.Time
	Target    config.EscalationTarget
	Post      Post
}

// Wait is a request that needs nothing now; Next is the earliest instant the
// next step could happen (a later sweep looks again; nothing is queued).
type Wait struct {
	Reviewer string
	Reason   string
	Next     time.Time
}

// Plan is the decision for one pull request.
type Plan struct {
	Posts     []Post
	Escalates []Escalate
	// Resolve are nudge comments to edit because their wait is over.
	Resolve []Post
	Waits   []Wait
	// Due lists the people a post or escalation would mention now; the
	// handler reads their GitHub busy status and decides again.
	Due []string
}

var urgentWord = regexp.MustCompile(`(?i)\burgent\b`)

// Urgent reports whether the PR is labelled with the urgent label or says
// "urgent" in its title.
func Urgent(pr PR, pol config.Reviews) bool {
	for _, l := range pr.Labels {
		if pol.UrgentLabel != "" && strings.EqualFold(l, pol.UrgentLabel) {
			return true
		}
	}
	return urgentWord.MatchString(pr.Title)
}

// Decide computes the pings a pull request should get at in.Now. It is
// pure; see the package documentation for the rules.
func Decide(in Input) Plan {
	var plan Plan
	pr, pol := in.PR, in.Policy
	plan.Resolve = resolutions(in)
	if !pol.Enabled || pr.Closed || pr.Draft {
		return plan
	}
	urgent := Urgent(pr, pol)
	norm, urgency := pol.FirstResponse.Std(), calendar.Normal
	if urgent {
		norm, urgency = pol.UrgentFirstResponse.Std(), calendar.Urgent
		if pol.UrgentAfterHours {
			urgency = calendar.UrgentAfterHours
		}
	}
	for _, rq := range pr.Pending {
		if rq.Bot || reviewedSince(pr, rq) || strings.EqualFold(rq.Reviewer, pr.Author) {
			continue
		}
		people := []string{rq.Reviewer}
		if rq.Team {
			people = without(rq.Members, pr.Author)
			if len(people) == 0 {
				plan.Waits = append(plan.Waits, Wait{Reviewer: rq.Reviewer, Reason: "team has no members to ask"})
				continue
			}
		}
		var mine []Ping
		for _, p := range pr.Pings {
			if strings.EqualFold(p.Reviewer, rq.Reviewer) && p.RequestAt.Equal(rq.At.Truncate(time.Second)) {
				mine = append(mine, p)
			}
		}
		st := state(mine)
		step := stepper{in: in, rq: rq, people: people, norm: norm, urgency: urgency, urgent: urgent, plan: &plan}
		if !st.nudged {
			step.nudge()
			continue
		}
		if st.reminders < pol.MaxReminders {
			step.remind(st.reminders+1, st.last)
		}
		if pol.EscalateTo != "" && st.reminders >= pol.EscalateAfter && !st.escalated && !isTarget(rq, pol.EscalateTo) {
			step.escalate(st.lastBefore(pol.EscalateAfter))
		}
	}
	plan.Due = uniqueFold(plan.Due)
	return plan
}

// isTarget reports whether rq is itself a request of the escalation target
// (a login, or an @org/team): the buck stops there.
func isTarget(rq Request, target config.EscalationTarget) bool {
	return strings.EqualFold(strings.TrimPrefix(string(target), "@"), rq.Reviewer)
}

// pingState sums up the pings of one request.
type pingState struct {
	nudged    bool
	reminders int // highest reminder number posted
	escalated bool
	last      time.Time   // last nudge or reminder
	times     []time.Time // [0] nudge, [i] reminder i (zero when unknown)
}

func state(pings []Ping) pingState {
	var s pingState
	for _, p := range pings {
		switch p.Kind {
		case Nudge:
			s.nudged = true
			s.setTime(0, p.At)
		case Reminder:
			s.nudged = true // a reminder implies the nudge, even if it was deleted
			s.reminders = max(s.reminders, p.Index)
			s.setTime(p.Index, p.At)
		case Escalation:
			s.escalated = true
		}
		if p.Kind != Escalation && p.At.After(s.last) {
			s.last = p.At
		}
	}
	return s
}

func (s *pingState) setTime(i int, t time.Time) {
	for len(s.times) <= i {
		s.times = append(s.times, time.Time{})
	}
	s.times[i] = t
}

// lastBefore is the time of the n-th reminder (the nudge for n = 0), or the
// last ping when that one is unknown.
func (s pingState) lastBefore(n int) time.Time {
	if n < len(s.times) && !s.times[n].IsZero() {
		return s.times[n]
	}
	return s.last
}

type stepper struct {
	in      Input
	rq      Request
	people  []string
	norm    time.Duration
	urgency calendar.Urgency
	urgent  bool
	plan    *Plan
}

// waited is the longest working time any of the people has had since the
// request (for a team: the member who has had the most).
func (s stepper) waited(now time.Time) time.Duration {
	var best time.Duration
	for _, p := range s.people {
		best = max(best, s.in.Calendar.WorkingTime(p, s.rq.At, now))
	}
	return best
}

// dueAt is when the norm runs out for the earliest of the people: in their
// working time, or in plain elapsed time for urgent_after_hours (working
// time only accrues in working hours, so the setting would otherwise never
// reach anyone after hours).
func (s stepper) dueAt() time.Time {
	if s.urgency == calendar.UrgentAfterHours {
		return s.rq.At.Add(s.norm)
	}
	var due time.Time
	for _, p := range s.people {
		d := s.in.Calendar.AddWorkingTime(p, s.rq.At, s.norm)
		if !d.IsZero() && (due.IsZero() || d.Before(due)) {
			due = d
		}
	}
	return due
}

// reachable splits the people into those who may be mentioned now and the
// earliest instant one of the others may be.
func (s stepper) reachable(now time.Time) (ok []string, next time.Time, why string) {
	cal := s.in.Calendar
	for _, p := range s.people {
		if cal.MayPing(p, now, s.urgency) {
			ok = append(ok, p)
			continue
		}
		n := cal.NextPing(p, now, s.urgency)
		if n.Equal(now) { // busy: the schedule allows it, the status does not
			n = time.Time{}
		}
		if !n.IsZero() && (next.IsZero() || n.Before(next)) {
			next = n
		}
		if why == "" {
			why = quietReason(cal, p, now)
		}
	}
	return ok, next, why
}

func quietReason(cal *calendar.Calendar, login string, t time.Time) string {
	switch {
	case cal.IsAway(login, t):
		return login + " is away or busy"
	case cal.InFocus(login, t):
		return login + " is in a focus block"
	case !cal.IsWorking(login, t):
		return "outside " + login + "'s working hours"
	}
	return login + " may not be pinged now"
}

func (s stepper) wait(reason string, next time.Time) {
	s.plan.Waits = append(s.plan.Waits, Wait{Reviewer: s.rq.Reviewer, Reason: reason, Next: next})
}

func (s stepper) nudge() {
	now := s.in.Now
	due := s.dueAt()
	if due.IsZero() {
		s.wait("no working time ahead within a year", time.Time{})
		return
	}
	if now.Before(due) {
		s.wait("within the norm (due "+s.formatFor(due)+")", due)
		return
	}
	s.post(Nudge, 0, s.nudgeBody)
}

func (s stepper) remind(n int, last time.Time) {
	now := s.in.Now
	due := last.Add(s.in.Policy.RemindEvery.Std())
	if now.Before(due) {
		s.wait(fmt.Sprintf("reminder %d not due before %s", n, s.formatFor(due)), due)
		return
	}
	s.post(Reminder, n, func(ok []string) string { return s.reminderBody(ok, n) })
}

// post plans the n-th comment of kind now, mentioning whoever may be
// pinged now, or waits for the first moment one of them may be.
func (s stepper) post(kind Kind, n int, body func(mentions []string) string) {
	ok, next, why := s.reachable(s.in.Now)
	if len(ok) == 0 {
		s.wait(why, next)
		return
	}
	s.plan.Due = append(s.plan.Due, ok...)
	s.plan.Posts = append(s.plan.Posts, Post{
		Marker: markerFor(s.rq.Reviewer, s.rq.At, kind, n), Kind: kind, Reviewer: s.rq.Reviewer,
		Mentions: ok, Body: body(ok),
	})
}

// escalate goes out remind_every after the escalate_after-th reminder (the
// reminders had their chance), at a time the escalation target may be
// pinged: a login's own calendar, the team's schedule for a team or the
// CODEOWNERS. The comment mentions nobody; GitHub's review request is what
// notifies the new reviewers.
func (s stepper) escalate(since time.Time) {
	now := s.in.Now
	due := since.Add(s.in.Policy.RemindEvery.Std())
	if now.Before(due) {
		s.wait("escalation not due before "+s.formatFor(due), due)
		return
	}
	target := s.in.Policy.EscalateTo
	who := string(target)
	if target == config.EscalateToCodeowners || config.PersonRef(target).IsTeam() {
		who = "" // the team's schedule: an unknown login gets it
	}
	if !s.in.Calendar.MayPing(who, now, s.urgency) {
		s.wait("escalation waits for working hours", s.in.Calendar.NextPing(who, now, s.urgency))
		return
	}
	s.plan.Escalates = append(s.plan.Escalates, Escalate{
		Reviewer: s.rq.Reviewer, RequestAt: s.rq.At, Target: target,
		Post: Post{Marker: markerFor(s.rq.Reviewer, s.rq.At, Escalation, 0), Kind: Escalation, Reviewer: s.rq.Reviewer},
	})
}

// EscalationBody is the comment that says, once, who else was asked.
func EscalationBody(reviewer string, requestAt time.Time, reminders int, asked []string, team config.Team) string {
	names := make([]string, len(asked))
	for i, a := range asked {
		names[i] = "`" + a + "`"
	}
	who := strings.Join(names, ", ")
	if who == "" {
		who = "nobody else (no owner found)"
	}
	return fmt.Sprintf("**Review escalated.** The review requested from %s on %s is still waiting after %s, so Overlap also requested a review from %s.\n",
		display(reviewer), calendar.FormatIn(requestAt, team.Timezone.Location()), plural(reminders, "reminder"), who)
}

// display writes a reviewer without an @, so that talking about someone
// does not notify them.
func display(reviewer string) string { return "`" + reviewer + "`" }

func (s stepper) formatFor(t time.Time) string {
	return calendar.FormatIn(t, s.in.Calendar.Person(s.people[0]).Schedule.Location)
}

// times writes the request time in the reviewer's zone, and in the team's
// zone when that differs.
func (s stepper) requested(login string) string {
	loc := s.in.Calendar.Person(login).Schedule.Location
	out := calendar.FormatIn(s.rq.At, loc)
	if team := s.in.Team.Timezone.Location(); team.String() != loc.String() {
		out += " (" + calendar.FormatIn(s.rq.At, team) + ")"
	}
	return out
}

func mentions(logins []string) string {
	out := make([]string, len(logins))
	for i, l := range logins {
		out[i] = "@" + l
	}
	return strings.Join(out, " ")
}

func (s stepper) nudgeBody(to []string) string {
	var b strings.Builder
	norm := config.Duration(s.norm).String()
	if s.rq.Team {
		fmt.Fprintf(&b, "%s: a review from team %s was requested on %s and has waited %s of working time; the team's norm for a first response is %s",
			mentions(to), display(s.rq.Reviewer), s.requested(to[0]), hm(s.waited(s.in.Now)), norm)
	} else {
		fmt.Fprintf(&b, "%s: your review was requested on %s and has waited %s of your working time; the team's norm for a first response is %s",
			mentions(to), s.requested(to[0]), hm(s.waited(s.in.Now)), norm)
	}
	if s.urgent {
		b.WriteString(" (this PR is **urgent**)")
	}
	b.WriteString(".\n\nAny of these helps: a review, a comment, or a note that you can't take it. Overlap only writes in your working hours, outside focus blocks")
	if s.urgent {
		b.WriteString(" (urgent requests may reach you in one)")
	}
	b.WriteString(".\n")
	return b.String()
}

func (s stepper) reminderBody(to []string, n int) string {
	return fmt.Sprintf("%s: reminder %d of %d — the review requested on %s is still waiting (%s of working time so far).\n",
		mentions(to), n, s.in.Policy.MaxReminders, s.requested(to[0]), hm(s.waited(s.in.Now)))
}

// resolutions edit the nudges whose wait is over: the request got its review,
// or it is no longer pending (withdrawn, or replaced by a newer request).
func resolutions(in Input) []Post {
	var out []Post
	for _, p := range in.PR.Pings {
		if p.Kind != Nudge || p.Resolved {
			continue
		}
		rq := Request{Reviewer: p.Reviewer, At: p.RequestAt}
		for _, pending := range in.PR.Pending {
			if strings.EqualFold(pending.Reviewer, p.Reviewer) {
				rq = pending
				rq.At = p.RequestAt
			}
		}
		var body string
		if rv, ok := firstReview(in.PR, rq); ok {
			body = fmt.Sprintf("~~Waiting for a review from %s.~~ %s reviewed on %s. Thanks!\n",
				display(p.Reviewer), display(rv.Author), calendar.FormatIn(rv.At, in.Calendar.Person(rv.Author).Schedule.Location))
		} else if in.PR.Closed {
			body = fmt.Sprintf("~~Waiting for a review from %s.~~ The pull request was closed.\n", display(p.Reviewer))
		} else if !stillPending(in.PR, p) {
			body = fmt.Sprintf("~~Waiting for a review from %s.~~ The request was withdrawn or renewed.\n", display(p.Reviewer))
		} else {
			continue
		}
		out = append(out, Post{Marker: p.Key(), Kind: Nudge, Reviewer: p.Reviewer, Body: body + "\n" + resolvedFlag})
	}
	return out
}

func stillPending(pr PR, p Ping) bool {
	if pr.Closed {
		return false
	}
	for _, rq := range pr.Pending {
		if strings.EqualFold(rq.Reviewer, p.Reviewer) && rq.At.Truncate(time.Second).Equal(p.RequestAt) {
			return true
		}
	}
	return false
}

// reviewedSince reports whether the reviewer (any member, for a team)
// reviewed at or after the request.
func reviewedSince(pr PR, rq Request) bool {
	_, ok := firstReview(pr, rq)
	return ok
}

// firstReview is the earliest review that answers rq.
func firstReview(pr PR, rq Request) (Review, bool) {
	var best Review
	found := false
	for _, rv := range pr.Reviews {
		if rv.At.Before(rq.At.Truncate(time.Second)) || !answers(rq, rv.Author) {
			continue
		}
		if !found || rv.At.Before(best.At) {
			best, found = rv, true
		}
	}
	return best, found
}

func answers(rq Request, author string) bool {
	if rq.Team {
		return slices.ContainsFunc(rq.Members, func(m string) bool { return strings.EqualFold(m, author) })
	}
	return strings.EqualFold(rq.Reviewer, author)
}

func without(list []string, drop string) []string {
	var out []string
	for _, l := range list {
		if !strings.EqualFold(l, drop) {
			out = append(out, l)
		}
	}
	return out
}

func uniqueFold(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, l := range list {
		if k := strings.ToLower(l); !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// hm writes a duration as "5h", "1h30m" or "45m".
func hm(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02dm", h, m)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
