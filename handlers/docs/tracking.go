package docs

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/mdtext"
)

// Section is an extra block of the tracking issue contributed by another
// feature (e.g. decision records past their revisit date).
type Section struct {
	Title string
	Lines []string // each becomes a list item
}

// Issue is the existing tracking issue, found by its marker.
type Issue struct {
	Number    int
	State     string // "open" or "closed"
	Title     string
	Body      string
	Assignees []string
	Labels    []string
}

// TrackingAction is what to do with the tracking issue.
type TrackingAction string

// Tracking actions. Close and Reopen also set Title, Body and Assignees.
const (
	ActionNone   TrackingAction = "none"
	ActionCreate TrackingAction = "create"
	ActionUpdate TrackingAction = "update"
	ActionClose  TrackingAction = "close"
	ActionReopen TrackingAction = "reopen"
)

// TrackingInput is what a sweep knows about a repository's docs.
type TrackingInput struct {
	Repo     RepoRef
	Settings Settings
	Docs     []Doc    // from BuildDocs
	Tree     []string // default-branch tree, to spot a missing onboarding guide (nil: not checked)
	// Truncated says GitHub cut the tree listing (a very large repository):
	// docs past the cut are missing from Docs, the onboarding guide may be
	// past it too, and links were not checked. The body says so.
	Truncated bool
	// Data is the data block of the existing issue (after any /reviewed
	// command); its reviews are attached to Docs and written back.
	Data        Data
	BrokenLinks []Link
	Extra       []Section
	Away        func(login string) bool // out of office or busy
	Existing    *Issue                  // nil when there is none yet
	Now         time.Time
	// DutyAt is the instant the duty rotation is read at (zero: Now). The
	// sweep passes the weekly slot, so the whole week names one person.
	DutyAt time.Time
	// MayAssign reports whether the duty person may be notified now (in
	// their working hours, outside a focus block): assigning notifies, so
	// an assignment that may not happen now is left pending (Data.Pending)
	// for a later sweep. Nil means always.
	MayAssign func(login string) bool
	// NotAssignable lists people GitHub refuses to assign in this
	// repository (no access): they are skipped in the rotation and named in
	// the body.
	NotAssignable []string
	// Calendar is the team's calendar; the body uses it to say when a
	// pending assignment will happen, in the duty person's zone and the
	// team's. Nil: the body says only "when their working hours begin".
	Calendar *calendar.Calendar
	// KeepAssignees leaves the assignees (and a pending assignment) as
	// they are: refreshes outside the weekly one never reassign.
	KeepAssignees bool
	// StateKey seals the data block (the handler passes env.GH.StateKey()).
	StateKey gh.StateKey
}

// TrackingDesired is the desired state of the tracking issue.
type TrackingDesired struct {
	Action TrackingAction
	Title  string
	// Body excludes MarkerTracking, which the write path adds; it ends with
	// the data block.
	Body   string
	Labels []string
	// Assignees is exactly the duty person once they may be assigned;
	// otherwise (no rotation, assignment pending, duty person not
	// assignable, KeepAssignees) the existing assignees, unchanged.
	Assignees []string
	Comment   string // thank-you comment posted when closing
	Stale     []Doc
	Duty      string
	Next      string
	// Pending is the duty person whose assignment waits until they may be
	// notified ("" when none); it is recorded in the body's data block.
	Pending string
}

// Caps keep the body well under GitHub's 65,536-character limit.
const (
	maxStaleRows  = 150
	maxListRows   = 50
	recentReviews = 10
)

// DecideTracking decides the tracking issue for a sweep. It needs
// attention when a doc is stale, a relative link is broken, the onboarding
// guide is missing, a doc's front matter is malformed, or an extra section
// has lines. Then the issue is created, edited when its title, body,
// assignee or label differ, or reopened (never duplicated). When nothing
// needs attention an open issue is closed with a thank-you comment, keeping
// its data block.
func DecideTracking(in TrackingInput) TrackingDesired {
	docs := AttachReviews(in.Docs, in.Data)
	out := TrackingDesired{Labels: []string{LabelStale}}
	out.Duty, out.Next = DutyOf(in)
	for _, d := range docs {
		if IsStale(d, in.Now) {
			out.Stale = append(out.Stale, d)
		}
	}
	missing := missingOnboarding(in)
	problems := 0
	for _, d := range docs {
		problems += len(d.Problems)
	}
	extra := 0
	for _, s := range in.Extra {
		extra += len(s.Lines)
	}
	attention := len(out.Stale) > 0 || len(in.BrokenLinks) > 0 || len(missing) > 0 || problems > 0 || extra > 0

	out.Assignees, out.Pending = assignees(in, out.Duty)
	if !attention {
		out.Pending = "" // the issue closes or stays closed: nobody to assign
	}
	in.Data.Pending = out.Pending
	out.Title = trackingTitle(len(out.Stale), attention)
	out.Body = renderTracking(in, docs, out, missing)

	ex := in.Existing
	switch {
	case ex == nil && attention:
		out.Action = ActionCreate
	case ex == nil:
		out.Action = ActionNone
	case strings.EqualFold(ex.State, "closed") && attention:
		out.Action = ActionReopen
	case strings.EqualFold(ex.State, "closed"):
		out.Action = ActionNone
	case !attention:
		out.Action = ActionClose
		out.Comment = thankYou(out.Duty)
	case differs(ex, out):
		out.Action = ActionUpdate
	default:
		out.Action = ActionNone
	}
	return out
}

// DutyOf is who DecideTracking puts on duty for in, and who is next: the
// rotation read at DutyAt, skipping people who are away and people GitHub
// would not let us assign.
func DutyOf(in TrackingInput) (duty, next string) {
	at := in.DutyAt
	if at.IsZero() {
		at = in.Now
	}
	skip := func(login string) bool {
		return containsFold(in.NotAssignable, login) || (in.Away != nil && in.Away(login))
	}
	return Duty(in.Settings.Duty.Rotation, in.Settings.Duty.Starts, in.Settings.Duty.Every, at, skip)
}

// assignees decides who the issue is assigned to and whose assignment is
// pending. Assigning notifies, so the duty person is assigned only when
// MayAssign allows; until then the issue keeps its assignees. Without a
// rotation, or when the duty person cannot be assigned at all, the
// assignees are left as people set them.
func assignees(in TrackingInput, duty string) (list []string, pending string) {
	var have []string
	if in.Existing != nil {
		have = slices.Clone(in.Existing.Assignees)
		sort.Strings(have)
	}
	switch {
	case in.KeepAssignees:
		return have, in.Data.Pending
	case duty == "" || containsFold(in.NotAssignable, duty):
		return have, ""
	case containsFold(have, duty), in.MayAssign == nil || in.MayAssign(duty):
		return []string{duty}, ""
	}
	return have, duty
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func trackingTitle(stale int, attention bool) string {
	switch {
	case stale > 0:
		return fmt.Sprintf("Docs freshness: %s", plural(stale, "stale doc", "stale docs"))
	case attention:
		return "Docs freshness: docs need attention"
	}
	return "Docs freshness: all docs fresh"
}

func thankYou(duty string) string {
	who := "everyone"
	if duty != "" {
		who = mdtext.Text(duty) + " and everyone"
	}
	return fmt.Sprintf("Thanks %s who reviewed and fixed the docs: everything tracked here is fresh again. Closing this issue; it will reopen when a doc goes stale.", who)
}

// differs reports whether the open issue must be edited.
func differs(ex *Issue, want TrackingDesired) bool {
	if ex.Title != want.Title || normalizeBody(ex.Body) != normalizeBody(want.Body) {
		return true
	}
	if !slices.Contains(ex.Labels, LabelStale) {
		return true
	}
	have := slices.Clone(ex.Assignees)
	sort.Strings(have)
	return !slices.Equal(have, want.Assignees)
}

func normalizeBody(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Replace(s, MarkerTracking, "", 1)
	return strings.TrimSpace(s)
}

// missingOnboarding returns the onboarding set's globs when they match no
// file of the tree.
func missingOnboarding(in TrackingInput) []string {
	set, ok := in.Settings.Sets[OnboardingSet]
	if !ok || len(in.Tree) == 0 || in.Truncated { // no full tree: cannot tell
		return nil
	}
	for _, p := range in.Tree {
		if matchAny(trimSlash(set.Paths), p) {
			return nil
		}
	}
	if len(set.Paths) == 0 {
		return []string{"(no paths configured)"}
	}
	return set.Paths
}

func trimSlash(globs []string) []string {
	out := make([]string, len(globs))
	for i, g := range globs {
		out[i] = strings.TrimPrefix(g, "/")
	}
	return out
}

func renderTracking(in TrackingInput, docs []Doc, out TrackingDesired, missing []string) string {
	var b strings.Builder
	b.WriteString("## 📚 Docs freshness\n\n")
	if out.Duty != "" {
		fmt.Fprintf(&b, "**On duty this week:** %s", mdtext.Text(out.Duty))
		if out.Pending != "" {
			fmt.Fprintf(&b, " (assigned when their working hours begin%s)", assignTime(in, out.Pending))
		}
		if out.Next != "" && out.Next != out.Duty {
			fmt.Fprintf(&b, " · **next:** %s", mdtext.Text(out.Next))
			if h := nextHandover(in); !h.IsZero() {
				fmt.Fprintf(&b, " from %s", handoverText(h, in.Settings.Duty.Every))
			}
		}
		b.WriteString("\n\n")
	}
	if len(in.NotAssignable) > 0 {
		na := slices.Clone(in.NotAssignable)
		sort.Strings(na)
		for i, n := range na {
			na[i] = mdtext.Text(n)
		}
		fmt.Fprintf(&b, "**Not assignable:** %s — GitHub cannot assign them in this repository (no access), so the rotation skips them.\n\n", strings.Join(na, ", "))
	}

	if in.Truncated {
		b.WriteString("> [!WARNING]\n> This repository is too large for GitHub to list in full (the git tree is truncated). " +
			"Docs past the cut are not tracked here, relative links are not checked and a missing onboarding guide is not reported.\n\n")
	}
	if len(out.Stale) == 0 {
		b.WriteString("All tracked docs are fresh.\n\n")
	} else {
		fmt.Fprintf(&b, "### Stale docs (%d)\n\n", len(out.Stale))
		bySet := map[string][]Doc{}
		for _, d := range out.Stale {
			bySet[d.Set] = append(bySet[d.Set], d)
		}
		rows := 0
		for _, set := range slices.Sorted(maps.Keys(bySet)) {
			list := bySet[set]
			sort.SliceStable(list, func(i, j int) bool {
				ai, aj := Age(list[i], in.Now), Age(list[j], in.Now)
				if ai != aj {
					return ai > aj
				}
				return list[i].Path < list[j].Path
			})
			fmt.Fprintf(&b, "**%s**\n\n| Doc | Age | Owner | History |\n|---|---|---|---|\n", mdtext.Text(set))
			for _, d := range list {
				if rows == maxStaleRows {
					break
				}
				rows++
				hist := "—"
				if u := in.Repo.HistoryURL(d.Path); u != "" {
					hist = fmt.Sprintf("[history](%s)", mdtext.URL(u))
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %s |\n",
					mdtext.CellCode(d.Path), staleFor(Age(d, in.Now), d.MaxAge), nameOf(d.Owner), hist)
			}
			b.WriteString("\n")
		}
		if rows < len(out.Stale) {
			fmt.Fprintf(&b, "…and %d more.\n\n", len(out.Stale)-rows)
		}
	}

	if len(in.BrokenLinks) > 0 {
		var lines []string
		for _, l := range in.BrokenLinks {
			lines = append(lines, fmt.Sprintf("%s line %d: %s — %s", mdtext.Code(l.Doc), l.Line, mdtext.Code(l.Target), mdtext.Text(l.Reason)))
		}
		writeList(&b, fmt.Sprintf("Broken links (%d)", len(in.BrokenLinks)), lines)
	}
	if len(missing) > 0 {
		writeList(&b, "Onboarding", []string{fmt.Sprintf("No onboarding guide found at %s.", codeList(missing))})
	}
	var probs []string
	for _, d := range docs {
		for _, p := range d.Problems {
			probs = append(probs, fmt.Sprintf("%s: %s", mdtext.Code(d.Path), mdtext.Text(p)))
		}
	}
	if len(probs) > 0 {
		writeList(&b, "Doc problems", probs)
	}
	for _, s := range in.Extra {
		if len(s.Lines) > 0 {
			writeList(&b, s.Title, s.Lines)
		}
	}
	if rec := recent(in.Data); len(rec) > 0 {
		writeList(&b, "Recent reviews", rec)
	}

	b.WriteString("---\nAfter checking that a doc is still accurate, comment `/reviewed <path>` (or `/reviewed all`) here. " +
		"The doc's owner, the person on duty and anyone with write access can record a review.\n\n")
	// The data block is the body's last line, the only place ParseData
	// looks.
	b.WriteString(in.Data.Block(in.StateKey, in.Repo.Owner, in.Repo.Name))
	b.WriteString("\n")
	return b.String()
}

// assignTime is ": Tue 24 Nov 09:00 America/New_York (14:00 Europe/London)",
// when the pending assignment will be made: the first time from Now that
// login may be notified. Empty without a calendar or within a year.
func assignTime(in TrackingInput, login string) string {
	if in.Calendar == nil {
		return ""
	}
	at := in.Calendar.NextPing(login, in.Now, calendar.Normal)
	if at.IsZero() || !at.After(in.Now) { // never, or busy with no known end
		return ""
	}
	own, team := in.Calendar.Person(login).Schedule.Location, in.Calendar.Team().Location
	text := ": " + calendar.FormatIn(at, own)
	if own.String() != team.String() {
		local := at.In(team)
		if calendar.DateOf(local) == calendar.DateOf(at.In(own)) {
			text += fmt.Sprintf(" (%s %s)", local.Format("15:04"), team)
		} else {
			text += " (" + calendar.FormatIn(at, team) + ")"
		}
	}
	return text
}

// nextHandover is when the next person's turn begins: the end of the
// rotation period that contains DutyAt (see Duty), in DutyAt's zone. Zero
// without a start date, since the rotation then never advances.
func nextHandover(in TrackingInput) time.Time {
	d := in.Settings.Duty
	at := in.DutyAt
	if at.IsZero() {
		at = in.Now
	}
	if d.Starts.IsZero() || len(d.Rotation) == 0 {
		return time.Time{}
	}
	every := d.Every
	if every <= 0 {
		every = DefaultDutyEvery
	}
	idx := dutyIndex(d.Starts, every, at)
	if every%(24*time.Hour) == 0 {
		days := (idx + 1) * int(every/(24*time.Hour))
		return d.Starts.In(at.Location()).AddDate(0, 0, days)
	}
	return d.Starts.In(at.Location()).Add(time.Duration(idx+1) * every)
}

// handoverText writes the handover as "Mon 30 Nov", with the time of day
// when periods are not whole days.
func handoverText(t time.Time, every time.Duration) string {
	if every <= 0 || every%(24*time.Hour) == 0 {
		return t.Format("Mon 2 Jan")
	}
	return calendar.FormatIn(t, t.Location())
}

func writeList(b *strings.Builder, title string, lines []string) {
	fmt.Fprintf(b, "### %s\n\n", title)
	for i, l := range lines {
		if i == maxListRows {
			fmt.Fprintf(b, "- …and %d more\n", len(lines)-i)
			break
		}
		fmt.Fprintf(b, "- %s\n", l)
	}
	b.WriteString("\n")
}

// recent lists the latest recorded reviews, newest first.
func recent(d Data) []string {
	paths := slices.Sorted(maps.Keys(d.Reviewed))
	sort.SliceStable(paths, func(i, j int) bool {
		return d.Reviewed[paths[j]].On.Before(d.Reviewed[paths[i]].On)
	})
	var out []string
	for i, p := range paths {
		if i == recentReviews {
			break
		}
		r := d.Reviewed[p]
		out = append(out, fmt.Sprintf("%s reviewed on %s by %s", mdtext.Code(p), r.On, nameOf(r.By)))
	}
	return out
}
