package adr

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/mdtext"
)

// CheckName is the check run's name (part of the external contract).
const CheckName = "Decision record"

// Check-run conclusions used by this feature.
const (
	ConclusionSuccess        = "success"
	ConclusionFailure        = "failure"
	ConclusionNeutral        = "neutral"
	ConclusionActionRequired = "action_required"
	ConclusionSkipped        = "skipped"
)

// Output limits: GitHub allows 65,535 bytes per check summary/text and
// 65,536 characters per comment; stay below both.
const (
	maxCheckOutput = 60000
	maxComment     = 60000
	// maxProblemsInComment keeps the confirmation short; the check has them all.
	maxProblemsInComment = 10
)

// File is one file of the PR, as the PR files API lists it.
type File struct {
	Path         string
	Status       string // added, modified, removed, renamed (also copied, changed)
	PreviousPath string // for renamed files
	Content      string // head content; needed only for ADR files
}

// Input is everything Decide needs; the handler fetches it.
type Input struct {
	Settings Settings
	PR       PR
	Files    []File
	// BaseADRs are the file names (or paths) in the ADR directory on the base
	// branch; OtherPRADRs the ADR file names added by other open PRs (not
	// this one).
	BaseADRs    []string
	OtherPRADRs []string
	// Linked are the records the PR body links that count (see JudgeLink);
	// LinkNotes say why the other links judged do not.
	Linked    []LinkedRef
	LinkNotes []LinkNote
	// Skip comes from ReadState, a fresh `/adr skip` or the button.
	Skip *Skip
	// StateKey seals the state written into the sticky comment (the
	// handler passes env.GH.StateKey()).
	StateKey gh.StateKey
	// CheckExists and CommentExists say whether a "Decision record" check run
	// on the head SHA and a sticky comment exist, so a PR that stops being a
	// decision PR gets them retired rather than left stale.
	CheckExists   bool
	CommentExists bool
	// FilesIncomplete says GitHub's file listing stopped at its limit, so
	// a record may be in the PR without being seen.
	FilesIncomplete bool
	Now             time.Time
}

// Action is a check-run button (label ≤ 20, identifier ≤ 20, description ≤
// 40 characters).
type Action struct {
	Label, Identifier, Description string
}

// CheckRun is the desired completed check run on the head SHA.
type CheckRun struct {
	Name        string
	HeadSHA     string
	Conclusion  string
	Title       string
	Summary     string
	Text        string
	DetailsURL  string
	Annotations []Annotation // all of them; the write path sends 50 per request
	Actions     []Action
}

// Desired is what should exist after this event. A nil field means "leave
// it as it is" (which, for a PR that never was a decision PR, is "none").
type Desired struct {
	Comment *string // body after the write path's marker
	Check   *CheckRun
}

// skipAction is the check's button. The brief's wording "Skip (not a
// decision)" is 21 characters, one over GitHub's 20-character label limit.
var skipAction = Action{Label: "Skip: not a decision", Identifier: ActionSkipID, Description: "This PR needs no decision record"}

// Decide computes the sticky comment and the check run for a PR.
func Decide(in Input) Desired {
	s := in.Settings.normalized()
	pr := in.PR
	state := State{Skip: in.Skip}
	if !s.Enabled || !IsDecisionPR(pr.Labels, s.Labels) {
		return retire(in, s, state)
	}

	base := map[int]string{}
	baseNames := map[string]bool{}
	for _, n := range in.BaseADRs {
		baseNames[baseName(n)] = true
	}
	for _, f := range in.Files {
		if f.Status == "removed" {
			delete(baseNames, baseName(f.Path))
		}
		if f.Status == "renamed" && f.PreviousPath != "" {
			delete(baseNames, baseName(f.PreviousPath))
		}
	}
	for _, n := range in.BaseADRs {
		if num, ok := NumberOf(n); ok && baseNames[baseName(n)] {
			if _, dup := base[num]; !dup {
				base[num] = baseName(n)
			}
		}
	}

	files := adrFiles(in.Files, s.Directory)
	misplaced := misplacedFiles(in.Files, s.Directory)
	d := Desired{}
	var body string
	switch {
	case len(NewRecords(files, s.Directory)) > 0:
		body, d.Check = decideRecords(in, s, files, base, baseNames)
	case len(in.Linked) > 0:
		body, d.Check = decideLinked(in, s)
	case in.Skip != nil:
		body, d.Check = decideSkipped(in, s)
	default:
		body, d.Check = decideMissing(in, s, files, misplaced)
	}
	for _, f := range misplaced {
		d.Check.Annotations = append(d.Check.Annotations, Annotation{Path: f.Path, Line: 1, Level: LevelWarning, Title: "Not in the ADR directory",
			Message: fmt.Sprintf("Records must sit directly in %s/ (not in a subdirectory) to count; move it to %s/%s.", s.Directory, s.Directory, baseName(f.Path))})
	}
	d.Check.Name, d.Check.HeadSHA, d.Check.DetailsURL = CheckName, pr.HeadSHA, pr.HTMLURL
	d.Check.Summary = truncate(d.Check.Summary, maxCheckOutput)
	d.Check.Text = truncate(d.Check.Text, maxCheckOutput)
	body = withState(truncate(body, maxComment-200), state, in.StateKey, pr)
	d.Comment = &body
	return d
}

// retire handles a PR that is not (or no longer) a decision PR: an existing
// comment is edited to say the prompt no longer applies (kept, not deleted,
// so the thread keeps its history) and an existing check is completed
// neutral. Nothing is created, unless the policy sets always_report: then
// the check is always there, completed "skipped" ("Not a decision PR"),
// so branch protection can require it.
func retire(in Input, s Settings, state State) Desired {
	var d Desired
	why := fmt.Sprintf("This PR is no longer labelled %s, so it needs no decision record and the earlier prompt no longer applies. Add one of those labels again to bring the prompt back.", labelList(s.Labels))
	if !s.Enabled {
		why = "Decision records are turned off in this repository's policy, so the earlier prompt no longer applies."
	}
	if in.CommentExists {
		body := withState("### Decision record: no longer needed\n\n"+why+"\n", state, in.StateKey, in.PR)
		d.Comment = &body
	}
	switch {
	case s.Enabled && s.AlwaysReport:
		d.Check = &CheckRun{Name: CheckName, HeadSHA: in.PR.HeadSHA, DetailsURL: in.PR.HTMLURL,
			Conclusion: ConclusionSkipped, Title: "Not a decision PR",
			Summary: fmt.Sprintf("This PR is not labelled %s, so it needs no decision record. Label it to be asked for one.", labelList(s.Labels))}
	case in.CheckExists:
		d.Check = &CheckRun{Name: CheckName, HeadSHA: in.PR.HeadSHA, DetailsURL: in.PR.HTMLURL,
			Conclusion: ConclusionNeutral, Title: "No longer a decision PR", Summary: why}
	}
	return d
}

// NewRecords picks, among a PR's ADR files (see adrFiles), the ones that
// add a record: added or copied files, and files renamed into the
// directory from elsewhere. Editing or renaming an existing record does
// not record a new decision.
func NewRecords(files []File, dir string) []File {
	var out []File
	for _, f := range files {
		switch f.Status {
		case "added", "copied":
			out = append(out, f)
		case "renamed":
			if f.PreviousPath == "" || !inDir(f.PreviousPath, dir) {
				out = append(out, f)
			}
		}
	}
	return out
}

// misplacedFiles are Markdown files the PR adds or changes in a
// subdirectory of the ADR directory: adr-tools, MADR and log4brains keep
// records directly in it, so these do not count and are pointed out.
func misplacedFiles(files []File, dir string) []File {
	var out []File
	for _, f := range files {
		p := strings.TrimPrefix(f.Path, "/")
		if f.Status == "removed" || !strings.HasPrefix(p, dir+"/") || path.Dir(p) == dir || !strings.EqualFold(path.Ext(p), ".md") || ignoredName(p) {
			continue
		}
		f.Path = p
		out = append(out, f)
	}
	return out
}

func ignoredName(p string) bool {
	switch strings.ToLower(strings.TrimSuffix(path.Base(p), path.Ext(p))) {
	case "readme", "index", "template", "adr-template":
		return true
	}
	return false
}

// adrFiles picks the PR's ADR files: Markdown files directly in the ADR
// directory, not deleted, except README/index/template files that many ADR
// directories keep next to the records.
func adrFiles(files []File, dir string) []File {
	var out []File
	for _, f := range files {
		p := strings.TrimPrefix(f.Path, "/")
		if f.Status == "removed" || path.Dir(p) != dir || !strings.EqualFold(path.Ext(p), ".md") || ignoredName(p) {
			continue
		}
		f.Path = p
		out = append(out, f)
	}
	return out
}

type evaluated struct {
	file File
	rec  Record
	err  error
	anns []Annotation
}

func decideRecords(in Input, s Settings, files []File, base map[int]string, baseNames map[string]bool) (string, *CheckRun) {
	// Numbers known for "supersedes" and collisions: the base branch, then
	// the PR's own new records (the first file to claim a number keeps it).
	known := map[int]string{}
	for n, name := range base {
		known[n] = name
	}
	inPR := map[string]bool{}
	for _, f := range files {
		if n, ok := NumberOf(f.Path); ok {
			if _, taken := known[n]; !taken {
				known[n] = baseName(f.Path)
				inPR[baseName(f.Path)] = !baseNames[baseName(f.Path)]
			}
		}
	}
	others := map[int][]string{}
	for _, o := range in.OtherPRADRs {
		if n, ok := NumberOf(o); ok && !s.dateNumbered() {
			others[n] = append(others[n], baseName(o))
		}
	}

	var evs []evaluated
	var all []Annotation
	for _, f := range files {
		ev := evaluated{file: f}
		ev.rec, ev.err = ParseRecord(f.Path, f.Content)
		if ev.err != nil {
			ev.anns = []Annotation{{Path: f.Path, Line: 1, Level: LevelFailure, Title: "Unreadable record", Message: ev.err.Error()}}
		} else {
			existing := f.Status != "added" && f.Status != "renamed" && f.Status != "copied" && baseNames[baseName(f.Path)]
			ev.anns = check(ev.rec, s, known, checkOpts{existing: existing, inPR: inPR})
			if !existing && ev.rec.Number > 0 {
				for _, o := range others[ev.rec.Number] {
					if o != baseName(f.Path) {
						ev.anns = append(ev.anns, Annotation{Path: f.Path, Line: anchorLine(ev.rec), Level: LevelWarning, Title: "Number also used by another PR",
							Message: fmt.Sprintf("Another open PR adds %s with the same number %04d; whichever merges second must renumber.", o, ev.rec.Number)})
					}
				}
			}
		}
		evs = append(evs, ev)
		all = append(all, ev.anns...)
	}

	failed := Failed(all)
	c := &CheckRun{Annotations: all}
	var sum strings.Builder
	if failed {
		c.Conclusion = ConclusionFailure
		c.Title = fmt.Sprintf("Decision record incomplete: %s", plural(countLevel(all, LevelFailure), "problem"))
		sum.WriteString("The decision record needs work before this PR merges. Fix the problems annotated on the file:\n\n")
	} else {
		c.Conclusion = ConclusionSuccess
		c.Title = "Decision record present"
		sum.WriteString("This decision PR carries its decision record:\n\n")
	}
	for _, ev := range evs {
		fmt.Fprintf(&sum, "- %s\n", describe(ev))
	}
	c.Summary = sum.String()
	c.Text = annotationList(all)

	var b strings.Builder
	if failed {
		b.WriteString("### Decision record: needs work\n\n")
	} else {
		b.WriteString("### Decision record ✅\n\n")
	}
	b.WriteString("This PR adds or changes:\n\n")
	for _, ev := range evs {
		fmt.Fprintf(&b, "- [%s](%s)%s\n", mdtext.Code(ev.file.Path), blobURL(in.PR, "", "", in.PR.HeadSHA, ev.file.Path), statusSuffix(ev))
	}
	if failed {
		fmt.Fprintf(&b, "\nThe **%s** check found %s:\n\n", CheckName, plural(countLevel(all, LevelFailure), "problem"))
		shown := 0
		for _, a := range all {
			if a.Level != LevelFailure {
				continue
			}
			if shown == maxProblemsInComment {
				b.WriteString("- … and more in the check's annotations\n")
				break
			}
			fmt.Fprintf(&b, "- %s line %d: %s\n", mdtext.Code(a.Path), a.Line, mdtext.Text(a.Message))
			shown++
		}
	}
	for _, ev := range evs {
		for _, a := range ev.anns {
			if a.Title == "Number also used by another PR" {
				fmt.Fprintf(&b, "\n⚠️ %s\n", mdtext.Text(a.Message))
			}
		}
	}
	for _, r := range supersedeReminders(in, s, evs, base) {
		b.WriteString("\n" + r + "\n")
	}
	return b.String(), c
}

// supersedeReminders asks to mark each superseded record, unless the PR
// already does.
func supersedeReminders(in Input, s Settings, evs []evaluated, base map[int]string) []string {
	var out []string
	for _, ev := range evs {
		if ev.err != nil || ev.rec.Number == 0 {
			continue
		}
		for _, old := range ev.rec.Supersedes {
			name, ok := base[old]
			if !ok || old == ev.rec.Number {
				continue
			}
			if alreadyMarked(evs, name, ev.rec.Number) {
				continue
			}
			oldPath := s.Directory + "/" + name
			out = append(out, fmt.Sprintf("🔁 This record supersedes %04d. Please also set the status of [%s](%s) to %s.",
				old, mdtext.Code(oldPath), blobURL(in.PR, "", "", in.PR.BaseRef, oldPath), mdtext.Code(fmt.Sprintf("Superseded by [%04d](%s)", ev.rec.Number, baseName(ev.file.Path)))))
		}
	}
	return out
}

func alreadyMarked(evs []evaluated, oldName string, newNumber int) bool {
	for _, ev := range evs {
		if ev.err != nil || baseName(ev.file.Path) != oldName {
			continue
		}
		if ok, by := parseStatus(ev.rec.Status); ok && by == newNumber {
			return true
		}
	}
	return false
}

func decideLinked(in Input, s Settings) (string, *CheckRun) {
	var list strings.Builder
	for _, l := range in.Linked {
		fmt.Fprintf(&list, "- [%s](%s)\n", mdtext.Code(linkName(in.PR, l)), blobURL(in.PR, l.Owner, l.Repo, l.Ref, l.Path))
	}
	c := &CheckRun{Conclusion: ConclusionSuccess, Title: "Linked to an existing decision record",
		Summary: "The PR description links an existing decision record:\n\n" + list.String()}
	body := "### Decision record ✅\n\nThis PR links an existing decision record:\n\n" + list.String()
	return body, c
}

func decideSkipped(in Input, s Settings) (string, *CheckRun) {
	who := mdtext.Mention(in.Skip.By)
	if in.Skip.By == "" {
		who = "a maintainer"
	}
	reason := oneLine(in.Skip.Reason)
	c := &CheckRun{Conclusion: ConclusionNeutral, Title: "Skipped: not a decision",
		Summary: fmt.Sprintf("Skipped by %s: %s\n\nAdding a record to %s later still gets it checked.", who, reason, mdtext.Code(s.Directory+"/"))}
	next := nextFileName(in, s)
	body := fmt.Sprintf("### Decision record: skipped\n\nSkipped by %s: %s\n\nIf this turns out to be a decision after all, add %s to this PR and it will be checked.\n", who, reason, mdtext.Code(s.Directory+"/"+next))
	return body, c
}

func decideMissing(in Input, s Settings, seen, misplaced []File) (string, *CheckRun) {
	n := NextNumber(in.BaseADRs, in.OtherPRADRs)
	if s.dateNumbered() {
		n = 0
	}
	title := recordTitle(in.PR, s)
	file := s.Directory + "/" + nextFileName(in, s)
	tmpl := renderTemplate(s.Template, n, title, in.PR, in.Now, missingFromTemplate(s.Template, s.RequiredSections))
	notCounted := notCountedList(s, seen, misplaced) + linkNotesList(in.PR, in.LinkNotes)

	c := &CheckRun{Title: "Decision record missing", Actions: []Action{skipAction}}
	if s.Check == CheckAdvisory {
		c.Conclusion = ConclusionNeutral
	} else {
		c.Conclusion = ConclusionActionRequired
	}
	if in.FilesIncomplete {
		// Do not block on what cannot be seen.
		c.Conclusion = ConclusionNeutral
		c.Title = "Decision record not found in the files GitHub lists"
		notCounted = "This PR changes more files than GitHub lists (3,000), so a record may be in it unseen; this check does not block. Link the record in the PR description to make it count.\n\n" + notCounted
	}
	advice := fmt.Sprintf("Add %s (the template is in the PR comment), or link an existing record under %s in the PR description. Not a decision? Comment `/adr skip <reason>` or press **%s**.",
		mdtext.Code(file), mdtext.Code(s.Directory+"/"), skipAction.Label)
	if s.Check == CheckAdvisory {
		advice += "\n\nThis check is advisory: it does not block merging."
	}
	c.Summary = fmt.Sprintf("This PR is labelled %s, so it needs an Architecture Decision Record. No new record is added directly in %s.\n\n%s%s",
		labelList(matchedLabels(in.PR.Labels, s.Labels)), mdtext.Code(s.Directory+"/"), notCounted, advice)

	var b strings.Builder
	b.WriteString("### Decision record needed\n\n")
	fmt.Fprintf(&b, "This PR is labelled %s, so it needs an Architecture Decision Record", labelList(matchedLabels(in.PR.Labels, s.Labels)))
	if s.Check == CheckAdvisory {
		b.WriteString(" (advisory: the check will not block merging).\n\n")
	} else {
		b.WriteString(" before it merges.\n\n")
	}
	b.WriteString(notCounted)
	fmt.Fprintf(&b, "Add this file to the PR:\n\n**%s**\n\n", mdtext.Code(file))
	fmt.Fprintf(&b, "Template (%s), pre-filled with this PR:\n\n%s\n", templateName(s.Template), mdtext.Fence(tmpl, "markdown"))
	b.WriteString("Write every section; the HTML comments are guidance and do not count as text.\n\n")
	fmt.Fprintf(&b, "- Already decided? Link the existing record in the PR description, e.g. %s or its GitHub URL.\n", mdtext.Code(s.Directory+"/0001-….md"))
	fmt.Fprintf(&b, "- Not a decision? Comment `/adr skip <reason>` or press **%s** on the **%s** check.\n", skipAction.Label, CheckName)
	return b.String(), c
}

func recordTitle(pr PR, s Settings) string {
	// "pr_title" is the only source for now; new sources go here.
	return DisplayTitle(pr.Title)
}

// notCountedList explains the files under the ADR directory that the PR
// touches but that do not record a new decision ("" when there are none).
func notCountedList(s Settings, seen, misplaced []File) string {
	if len(seen)+len(misplaced) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Seen in this PR, but not counted:\n\n")
	for _, f := range seen {
		why := "an existing record, only modified: editing a record does not record a new decision"
		if f.Status == "renamed" {
			why = "an existing record, renamed within the directory: it does not record a new decision"
		}
		fmt.Fprintf(&b, "- %s: %s\n", mdtext.Code(f.Path), why)
	}
	for _, f := range misplaced {
		fmt.Fprintf(&b, "- %s: in a subdirectory; records must sit directly in %s\n", mdtext.Code(f.Path), mdtext.Code(s.Directory+"/"))
	}
	b.WriteString("\n")
	return b.String()
}

// linkNotesList explains the links of the PR body that do not count ("" when
// there are none).
func linkNotesList(pr PR, notes []LinkNote) string {
	if len(notes) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Linked in the description, but not counted:\n\n")
	for _, n := range notes {
		fmt.Fprintf(&b, "- %s: %s\n", mdtext.Code(linkName(pr, n.Ref)), n.Why)
	}
	b.WriteString("\n")
	return b.String()
}

// nextFileName proposes the new record's file name: the next free number,
// or today's date (in Now's zone) with numbering: date.
func nextFileName(in Input, s Settings) string {
	if s.dateNumbered() {
		return DateFileName(in.Now, recordTitle(in.PR, s))
	}
	return FileName(NextNumber(in.BaseADRs, in.OtherPRADRs), recordTitle(in.PR, s))
}

func templateName(f string) string {
	if f == FormatMADR {
		return "MADR"
	}
	return "Nygard"
}

func anchorLine(r Record) int {
	if r.TitleLine > 0 {
		return r.TitleLine
	}
	return 1
}

func describe(ev evaluated) string {
	if ev.err != nil {
		return fmt.Sprintf("%s: cannot be read (%s)", mdtext.Code(ev.file.Path), mdtext.Text(ev.err.Error()))
	}
	r := ev.rec
	s := mdtext.Code(ev.file.Path)
	if r.Title != "" {
		s += ": " + oneLine(r.Title)
	}
	if r.Status != "" {
		s += " (" + oneLine(r.Status) + ")"
	}
	if n := countLevel(ev.anns, LevelFailure); n > 0 {
		s += " — " + plural(n, "problem")
	}
	return s
}

func statusSuffix(ev evaluated) string {
	if ev.err != nil || ev.rec.Status == "" {
		return ""
	}
	return " — " + oneLine(ev.rec.Status)
}

func annotationList(as []Annotation) string {
	if len(as) == 0 {
		return ""
	}
	var b strings.Builder
	for _, a := range as {
		fmt.Fprintf(&b, "- **%s** %s line %d: %s\n", a.Level, mdtext.Code(a.Path), a.Line, mdtext.Text(a.Message))
	}
	return b.String()
}

func countLevel(as []Annotation, level string) int {
	n := 0
	for _, a := range as {
		if a.Level == level {
			n++
		}
	}
	return n
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func matchedLabels(have, want []string) []string {
	var out []string
	for _, h := range have {
		if IsDecisionPR([]string{h}, want) {
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		return want
	}
	return out
}

func labelList(labels []string) string {
	q := make([]string, len(labels))
	for i, l := range labels {
		q[i] = mdtext.Code(l)
	}
	switch len(q) {
	case 0:
		return "as a decision"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func linkName(pr PR, l LinkedRef) string {
	if strings.EqualFold(l.Owner, pr.Owner) && strings.EqualFold(l.Repo, pr.Repo) {
		return l.Path
	}
	return l.Owner + "/" + l.Repo + ":" + l.Path
}

// blobURL links a file at a ref; owner/repo default to the PR's, ref to HEAD
// (the default branch).
func blobURL(pr PR, owner, repo, ref, p string) string {
	root := pr.repoURL()
	if owner != "" && !(strings.EqualFold(owner, pr.Owner) && strings.EqualFold(repo, pr.Repo)) {
		host := "https://github.com"
		if u, err := url.Parse(root); err == nil && u.Host != "" {
			host = u.Scheme + "://" + u.Host
		}
		root = host + "/" + owner + "/" + repo
	}
	if ref == "" {
		ref = "HEAD"
	}
	return mdtext.URL(root + "/blob/" + escapePath(ref) + "/" + escapePath(p))
}

func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// oneLine writes user text (a record's title or status, a skip reason) on
// a Markdown line: see mdtext.Text for what it cannot produce.
func oneLine(s string) string { return mdtext.Text(s) }

// truncate cuts s to at most n bytes on a rune boundary, saying so.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "\n\n… (truncated)\n"
	cut := n - len(more)
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + more
}
