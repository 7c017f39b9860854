package reviews

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/mdtext"
)

// Feature name, also the marker prefix: <!-- overlap:reviews:... -->.
const featureName = "reviews"

// PR is what the decision needs to know about one pull request.
type PR struct {
	Number int
	// Title is the author's text: at most an urgency hint (TitleSaysUrgent).
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
	// ReadyAt is when the PR was last marked ready for review (zero when it
	// never was a draft): a request's clock starts no earlier.
	ReadyAt time.Time
	// Comments are people's comments on the conversation: a requested
	// reviewer's comment after the request answers it as a review does.
	Comments []Comment
	// Pings are the app's own comments of this feature already on the PR.
	Pings []Ping
	// CommentsTruncated says Comments and Pings came from a page that did
	// not reach the conversation's first comment (see CompleteComments).
	CommentsTruncated bool
	// pendingAll counts every pending request, placed in time or not (for
	// GitHub's limit on requested reviewers).
	pendingAll int
}

// Comment is one comment by someone other than the app.
type Comment struct {
	Author string
	At     time.Time
}

// MaxRequestAge is how old a request (counted from the later of the
// request and the PR's last ready-for-review) may be for its first nudge.
// Older requests that were never nudged are left alone: the day Overlap is
// installed does not flood a team with months-old requests.
const MaxRequestAge = 14 * 24 * time.Hour

// MaxPingsPerRun caps the new ping comments (nudges, reminders and
// escalations) of one repository in one sweep or event; the oldest
// requests go first and the rest wait for the next sweep.
const MaxPingsPerRun = 10

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

// maxMarker bounds the marker ParsePing reads: room for a 39-character
// login or an "org/team" slug of several hundred bytes.
const maxMarker = 1 << 10

var markerRe = regexp.MustCompile(`^<!-- overlap:reviews:([^:\s]+):(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)(?::(reminder-(\d+)|escalation))? -->`)

// ParsePing reads a comment body this feature wrote; ok is false for any
// other body.
//
// The marker is read from the first maxMarker bytes after leading blanks
// (a marker is under 100 bytes plus the reviewer's login or team), so a
// megabyte "login" costs nothing.
func ParsePing(body string, created time.Time) (Ping, bool) {
	m := markerRe.FindStringSubmatch(capText(strings.TrimLeft(body, " \t\r\n"), maxMarker))
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
	// RequestAt is the time of the request the post is about.
	RequestAt time.Time
}

// Escalate asks the handler to request a review from the policy's
// escalate_to and then post Post (which says so once).
type Escalate struct {
	Reviewer  string
	RequestAt time.Time
	Target    config.EscalationTarget
	// Reason says why, for the comment: "after 2 reminders", or that the
	// reviewer was away or busy.
	Reason string
	Post   Post
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
	// Duplicates are markers that more than one ping comment carries (two
	// replicas that posted at once): the handler keeps the oldest.
	Duplicates []string
}

var (
	// urgentTag is "[urgent]" anywhere or "urgent:" opening the title.
	urgentTag = regexp.MustCompile(`(?i)\[urgent\]|^\W*urgent\s*:`)
	// urgentShout is "URGENT" in capitals opening the title.
	urgentShout = regexp.MustCompile(`^\W*URGENT\b`)
)

// Urgent reports whether the PR carries the urgent label: the only thing
// that escalates (urgent_first_response, focus blocks pierced,
// urgent_after_hours). GitHub lets only people with triage access or more
// add a label, so the label is a decision by someone trusted to make it;
// the title is the author's text, and an author must not be able to reach
// reviewers in their focus blocks or at night (issue 8, finding 7), so a
// title alone never makes a PR urgent (see TitleSaysUrgent).
func Urgent(pr PR, pol config.Reviews) bool {
	for _, l := range pr.Labels {
		if pol.UrgentLabel != "" && strings.EqualFold(l, pol.UrgentLabel) {
			return true
		}
	}
	return false
}

// TitleSaysUrgent reports whether the title asks for urgency on purpose:
// "[urgent]" anywhere, or "urgent:" or "URGENT" at its start; a title that
// merely uses the word ("Non-urgent: …", "not urgent", "drop the
// urgent-label workaround") does not. It is a hint only: the nudge says
// the author asked, so a reviewer or triager can add the label, but the
// norm and when Overlap may write stay as for any PR.
//
// Only the first MaxTitle bytes are read: GitHub caps a title at 256
// characters, at most 1 KiB of UTF-8, so a longer "title" is not one
// GitHub sent and its tail cannot make it urgent (DESIGN.md principle 9).
func TitleSaysUrgent(title string) bool {
	title = capText(title, MaxTitle)
	return urgentTag.MatchString(title) || urgentShout.MatchString(title)
}

// MaxTitle is how much of a PR title is read: 256 characters (GitHub's cap)
// of up to 4 bytes each.
const MaxTitle = 256 * utf8.UTFMax

// capText cuts s to at most n bytes, at a rune boundary.
func capText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Decide computes the pings a pull request should get at in.Now. It is
// pure; see the package documentation for the rules.
func Decide(in Input) Plan {
	var plan Plan
	pr, pol := in.PR, in.Policy
	plan.Resolve = resolutions(in)
	plan.Duplicates = duplicates(pr.Pings)
	if !pol.Enabled || pr.Closed || pr.Draft {
		return plan
	}
	urgent := Urgent(pr, pol)
	hinted := !urgent && TitleSaysUrgent(pr.Title)
	norm, urgency := pol.FirstResponse.Std(), calendar.Normal
	if urgent {
		norm, urgency = pol.UrgentFirstResponse.Std(), calendar.Urgent
		if pol.UrgentAfterHours {
			urgency = calendar.UrgentAfterHours
		}
	}
	for _, rq := range pr.Pending {
		if rq.Bot || strings.EqualFold(rq.Reviewer, pr.Author) {
			continue
		}
		if _, ok := firstResponse(pr, rq); ok {
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
		start := clockStart(pr, rq)
		if len(mine) == 0 && in.Now.Sub(start) > MaxRequestAge {
			plan.Waits = append(plan.Waits, Wait{Reviewer: rq.Reviewer, Reason: "requested more than 14 days ago and never nudged: left alone"})
			continue
		}
		step := stepper{in: in, rq: rq, start: start, people: people, norm: norm, urgency: urgency, urgent: urgent, hinted: hinted, plan: &plan}
		canEscalate := pol.EscalateTo != "" && !st.escalated && !isTarget(rq, pol.EscalateTo)
		if canEscalate && step.allAway() && step.teamWaited() >= norm*time.Duration(pol.EscalateAfter+1) {
			step.escalate(time.Time{}, fmt.Sprintf("while %s %s away or busy, so no reminder could reach them", display(rq.Reviewer), isOrAre(rq.Team)))
			continue
		}
		if !st.nudged {
			step.nudge()
			continue
		}
		if st.reminders < pol.MaxReminders {
			step.remind(st.reminders+1, st.last)
		}
		if canEscalate && st.reminders >= pol.EscalateAfter {
			step.escalate(st.lastBefore(pol.EscalateAfter), "after "+plural(st.reminders, "reminder"))
		}
	}
	plan.Due = uniqueFold(plan.Due)
	return plan
}

// clockStart is when a request's norm starts counting: the request, or the
// PR's last ready-for-review when the request was made on a draft.
func clockStart(pr PR, rq Request) time.Time {
	if pr.ReadyAt.After(rq.At) {
		return pr.ReadyAt
	}
	return rq.At
}

// duplicates lists the markers more than one ping carries, sorted.
func duplicates(pings []Ping) []string {
	count := map[string]int{}
	for _, p := range pings {
		count[p.Key()]++
	}
	var out []string
	for k, n := range count {
		if n > 1 {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func isOrAre(team bool) string {
	if team {
		return "are"
	}
	return "is"
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
	start   time.Time // see clockStart
	people  []string
	norm    time.Duration
	urgency calendar.Urgency
	urgent  bool
	// hinted: the title asks for urgency but no label escalates (see
	// TitleSaysUrgent); only the nudge's wording changes.
	hinted bool
	plan   *Plan
}

// allAway reports whether every one of the people is away or busy now:
// no nudge or reminder can reach them.
func (s stepper) allAway() bool {
	for _, p := range s.people {
		if !s.in.Calendar.IsAway(p, s.in.Now) {
			return false
		}
	}
	return true
}

// teamWaited is the team's working time (the team's default schedule)
// since the clock started: the measure for escalating past someone away.
func (s stepper) teamWaited() time.Duration {
	return s.in.Calendar.WorkingTime("", s.start, s.in.Now)
}

// dueAt is when the norm runs out for the earliest of the people: in their
// working time, or in plain elapsed time for urgent_after_hours (working
// time only accrues in working hours, so the setting would otherwise never
// reach anyone after hours).
func (s stepper) dueAt() time.Time {
	if s.urgency == calendar.UrgentAfterHours {
		return s.start.Add(s.norm)
	}
	var due time.Time
	for _, p := range s.people {
		d := s.in.Calendar.AddWorkingTime(p, s.start, s.norm)
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
	// A team is mentioned through the members who may be pinged now, by
	// login: "@org/team" would notify every member, including those
	// outside their working hours (DESIGN principle 5).
	s.plan.Due = append(s.plan.Due, ok...)
	s.plan.Posts = append(s.plan.Posts, Post{
		Marker: markerFor(s.rq.Reviewer, s.rq.At, kind, n), Kind: kind, Reviewer: s.rq.Reviewer,
		RequestAt: s.rq.At, Mentions: ok, Body: body(ok),
	})
}

// escalate goes out remind_every after since, the escalate_after-th
// reminder (the reminders had their chance), or at once when since is zero
// (the reviewer is away), at a time the escalation target may be pinged: a
// login's own calendar, the team's schedule for a team or the CODEOWNERS.
// The comment mentions nobody; GitHub's review request is what notifies the
// new reviewers.
func (s stepper) escalate(since time.Time, reason string) {
	now := s.in.Now
	if !since.IsZero() {
		if due := since.Add(s.in.Policy.RemindEvery.Std()); now.Before(due) {
			s.wait("escalation not due before "+s.formatFor(due), due)
			return
		}
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
		Reviewer: s.rq.Reviewer, RequestAt: s.rq.At, Target: target, Reason: reason,
		Post: Post{Marker: markerFor(s.rq.Reviewer, s.rq.At, Escalation, 0), Kind: Escalation, Reviewer: s.rq.Reviewer, RequestAt: s.rq.At},
	})
}

// Refusal is someone an escalation could not request a review from, and
// why (GitHub would refuse, or the limit was reached).
type Refusal struct {
	Who, Why string
}

// EscalationBody is the comment that says, once, who else was asked and
// who could not be. reason is Escalate.Reason.
func EscalationBody(reviewer string, requestAt time.Time, reason string, asked []string, refused []Refusal, team config.Team) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Review escalated.** The review requested from %s on %s is still waiting %s",
		display(reviewer), onAt(requestAt, team.Timezone.Location()), reason)
	switch {
	case len(asked) > 0:
		b.WriteString(", so Overlap also requested a review from " + quoted(asked) + ".\n")
	case len(refused) > 0:
		b.WriteString(", but Overlap could not request a review from anyone else.\n")
	default:
		b.WriteString(", but nobody else was found to ask (no owner of the changed files).\n")
	}
	if len(refused) > 0 {
		b.WriteString("\nCould not be requested:\n")
		for _, r := range refused {
			fmt.Fprintf(&b, "- %s: %s\n", display(r.Who), mdtext.Text(r.Why))
		}
	}
	return b.String()
}

func quoted(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = display(n)
	}
	return strings.Join(out, ", ")
}

// display writes a reviewer without an @, so that talking about someone
// does not notify them.
func display(reviewer string) string { return mdtext.Code(reviewer) }

func (s stepper) formatFor(t time.Time) string {
	return onAt(t, s.in.Calendar.Person(s.people[0]).Schedule.Location)
}

// onAt writes t in loc to follow "on": "Wed 25 Nov at 17:00 Europe/London".
func onAt(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return t.Format("Mon 2 Jan") + " at " + t.Format("15:04") + " " + loc.String()
}

// requested writes the request time in the reviewer's zone, and in the
// team's zone when that differs (login "" is the team's zone only).
func (s stepper) requested(login string) string {
	loc := s.in.Calendar.Person(login).Schedule.Location
	out := onAt(s.rq.At, loc)
	if team := s.in.Team.Timezone.Location(); team.String() != loc.String() {
		out += " (" + onAt(s.rq.At, team) + ")"
	}
	return out
}

func mentions(logins []string) string {
	out := make([]string, len(logins))
	for i, l := range logins {
		out[i] = mdtext.Mention(l) // a deliberate ping; anything not a login pings nobody
	}
	return strings.Join(out, " ")
}

// nudgeBody is written once and never edited to re-notify (only to say
// the wait is over), so it states the norm, not a running count. It
// describes the mode in force: with urgent_after_hours the norm counts
// elapsed time and Overlap may write at any hour.
func (s stepper) nudgeBody(to []string) string {
	var b strings.Builder
	afterHours := s.urgency == calendar.UrgentAfterHours
	norm := config.Duration(s.norm).String()
	if s.rq.Team {
		fmt.Fprintf(&b, "%s: a review from your team %s was requested on %s and has waited longer than the team's norm for a first response, ",
			mentions(to), display(s.rq.Reviewer), s.requested(""))
	} else {
		fmt.Fprintf(&b, "%s: your review was requested on %s and has waited longer than the team's norm for a first response, ",
			mentions(to), s.requested(to[0]))
	}
	switch {
	case afterHours:
		b.WriteString(norm + " of elapsed time (urgent requests count every hour, not only working hours)")
	case s.rq.Team:
		b.WriteString(norm + " of working time")
	default:
		b.WriteString(norm + " of your working time")
	}
	if !s.start.Equal(s.rq.At) {
		b.WriteString(" (counted from when the pull request was marked ready for review)")
	}
	switch {
	case s.urgent:
		b.WriteString("; this PR is **urgent**")
	case s.hinted:
		b.WriteString("; its author marked it urgent in the title (only the urgent label, which needs triage access, changes when Overlap writes)")
	}
	if s.rq.Team {
		b.WriteString(".\n\nA review or a comment here from any member answers it, and so does a note that nobody can take it.")
	} else {
		b.WriteString(".\n\nAny of these answers it: a review, a comment here, or a note that you can't take it.")
	}
	switch {
	case afterHours:
		b.WriteString(" For urgent requests Overlap may write at any hour, but never to someone away or marked busy")
	case s.urgent:
		b.WriteString(" Overlap only writes in working hours (urgent requests may reach into a focus block)")
	default:
		b.WriteString(" Overlap only writes in working hours, outside focus blocks")
	}
	if s.rq.Team {
		b.WriteString(", so it mentions only the members it may reach now")
	}
	b.WriteString(".\n")
	return b.String()
}

func (s stepper) reminderBody(to []string, n int) string {
	if s.rq.Team {
		return fmt.Sprintf("%s: reminder %d of %d — the review requested from your team %s on %s is still waiting.\n",
			mentions(to), n, s.in.Policy.MaxReminders, display(s.rq.Reviewer), s.requested(""))
	}
	return fmt.Sprintf("%s: reminder %d of %d — the review requested on %s is still waiting.\n",
		mentions(to), n, s.in.Policy.MaxReminders, s.requested(to[0]))
}

// resolutions edit the nudges whose wait is over: the request got its
// answer (a review, or a comment, from the reviewer or any member of the
// team), or it is no longer pending (withdrawn, or replaced by a newer
// request). GitHub drops a team's request once a member reviews for it, so
// whether a reviewer is a team is read from the timeline too.
func resolutions(in Input) []Post {
	var out []Post
	done := map[string]bool{}
	for _, p := range in.PR.Pings {
		if p.Kind != Nudge || p.Resolved || done[p.Key()] {
			continue
		}
		done[p.Key()] = true
		rq := Request{Reviewer: p.Reviewer, At: p.RequestAt}
		for _, known := range append(slices.Clone(in.PR.Requested), in.PR.Pending...) {
			if strings.EqualFold(known.Reviewer, p.Reviewer) {
				rq.Team, rq.Bot = known.Team, known.Bot
				if len(known.Members) > 0 {
					rq.Members = known.Members
				}
			}
		}
		var body string
		if r, ok := firstResponse(in.PR, rq); ok {
			verb := "reviewed"
			if r.Comment {
				verb = "answered in a comment"
			}
			body = fmt.Sprintf("~~Waiting for a review from %s.~~ %s %s on %s. Thanks!\n",
				display(p.Reviewer), display(r.Author), verb, onAt(r.At, in.Calendar.Person(r.Author).Schedule.Location))
		} else if in.PR.Closed {
			body = fmt.Sprintf("~~Waiting for a review from %s.~~ The pull request was closed.\n", display(p.Reviewer))
		} else if !stillPending(in.PR, p) {
			body = fmt.Sprintf("~~Waiting for a review from %s.~~ The request was withdrawn or renewed.\n", display(p.Reviewer))
		} else {
			continue
		}
		out = append(out, Post{Marker: p.Key(), Kind: Nudge, Reviewer: p.Reviewer, RequestAt: p.RequestAt, Body: body + "\n" + resolvedFlag})
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

// Response is the first answer to a request: a review, or a comment on the
// conversation (Comment true), by the reviewer or a member of the team.
type Response struct {
	Author  string
	At      time.Time
	Comment bool
}

// firstResponse is the earliest review or comment at or after the request
// by someone it asked: the nudge tells people a comment helps, so a
// comment ("I can't take this one") answers the request as a review does.
func firstResponse(pr PR, rq Request) (Response, bool) {
	var best Response
	found := false
	if rv, ok := firstReview(pr, rq); ok {
		best, found = Response{Author: rv.Author, At: rv.At}, true
	}
	since := rq.At.Truncate(time.Second)
	for _, c := range pr.Comments {
		if c.At.Before(since) || !answers(rq, c.Author) {
			continue
		}
		if !found || c.At.Before(best.At) {
			best, found = Response{Author: c.Author, At: c.At, Comment: true}, true
		}
	}
	return best, found
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

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
