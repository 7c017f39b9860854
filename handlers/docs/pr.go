package docs

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/mdtext"
)

// PRInput is what DecidePR needs about a pull request.
type PRInput struct {
	Repo     RepoRef
	Settings Settings
	// Docs are the tracked docs as of the base branch, reviews attached.
	Docs []Doc
	// Changed lists the files the PR changes; for renames include both the
	// old and the new path.
	Changed []string
	// TrackingIssue is the number of the docs tracking issue, 0 if none.
	TrackingIssue int
	Now           time.Time
}

// Flag is one doc the PR should look at.
type Flag struct {
	Doc   Doc
	Stale bool          // already stale (otherwise stale within WarnWithin)
	Age   time.Duration // since its freshness
	DueIn time.Duration // until stale, when not stale yet
	Files []string      // PR files the doc covers
}

// Annotation is a check-run annotation.
type Annotation struct {
	Path      string
	StartLine int
	EndLine   int
	Level     string // notice, warning or failure
	Title     string
	Message   string
}

// Check is the desired `Docs freshness` check run.
type Check struct {
	Skip        bool   // no docs are configured: post no check at all
	Name        string // CheckName
	Conclusion  string // success, neutral or action_required
	Title       string
	Summary     string
	Annotations []Annotation
}

// PRDesired is the desired state for a pull request.
type PRDesired struct {
	// Clear means no reminder should exist: delete (or empty) an existing
	// sticky comment. Comment is then "".
	Clear bool
	// Comment is the sticky comment body, without the marker, which the
	// write path adds.
	Comment string
	Check   Check
	Flags   []Flag
}

// maxFilesPerDoc bounds the covered files listed per doc in a comment.
const maxFilesPerDoc = 10

// DecidePR decides the reminder comment and check for a pull request: a
// doc is flagged when the PR changes files it covers, the doc is stale or
// will be within WarnWithin, and the PR does not change the doc itself
// (editing it, or bumping last_reviewed, clears the check). A PR that only
// edits documentation is never reminded.
func DecidePR(in PRInput) PRDesired {
	out := PRDesired{Clear: true, Check: Check{Name: CheckName, Conclusion: "success"}}
	if len(in.Settings.Sets) == 0 {
		out.Check.Skip = true
		return out
	}
	changed := map[string]bool{}
	for _, f := range in.Changed {
		changed[f] = true
	}
	isDoc := map[string]bool{}
	for _, d := range in.Docs {
		isDoc[d.Path] = true
	}
	onlyDocs := len(in.Changed) > 0
	for _, f := range in.Changed {
		if !isDoc[f] && !isDocFile(f) {
			onlyDocs = false
			break
		}
	}
	if onlyDocs {
		out.Check.Title = "Only documentation changed"
		out.Check.Summary = "This pull request only changes documentation, so no freshness reminder applies."
		return out
	}
	warn := in.Settings.warnWithin()
	var touched []string
	for _, d := range in.Docs {
		if !dueWithin(d, in.Now, warn) {
			continue
		}
		var files []string
		for _, f := range in.Changed {
			if !isDoc[f] && CoversFile(d, f) {
				files = append(files, f)
			}
		}
		if len(files) == 0 {
			continue
		}
		if changed[d.Path] {
			touched = append(touched, d.Path)
			continue
		}
		sort.Strings(files)
		fl := Flag{Doc: d, Stale: IsStale(d, in.Now), Age: Age(d, in.Now), Files: slices.Compact(files)}
		if !fl.Stale {
			fl.DueIn = Freshness(d).Add(d.MaxAge).Sub(in.Now)
		}
		out.Flags = append(out.Flags, fl)
	}
	sort.SliceStable(out.Flags, func(i, j int) bool {
		if out.Flags[i].Stale != out.Flags[j].Stale {
			return out.Flags[i].Stale
		}
		return out.Flags[i].Age > out.Flags[j].Age
	})
	if len(out.Flags) == 0 {
		out.Check.Title = "Docs are fresh"
		if len(touched) > 0 {
			out.Check.Summary = fmt.Sprintf("Thanks for updating %s alongside the code.", codeList(touched))
		} else {
			out.Check.Summary = "No stale or soon-stale doc covers the files this pull request changes."
		}
		return out
	}
	out.Clear = false
	out.Comment = renderPRComment(in, out.Flags)
	out.Check.Conclusion = "neutral"
	if in.Settings.Check == Required {
		out.Check.Conclusion = "action_required"
	}
	stale := 0
	for _, f := range out.Flags {
		if f.Stale {
			stale++
		}
	}
	out.Check.Title = fmt.Sprintf("%s covering this change due for review", plural(len(out.Flags), "doc", "docs"))
	switch {
	case stale == 1:
		out.Check.Title = "1 doc covering this change is stale"
	case stale > 1:
		out.Check.Title = fmt.Sprintf("%d docs covering this change are stale", stale)
	}
	out.Check.Summary = out.Comment
	for _, f := range out.Flags {
		for _, file := range f.Files {
			out.Check.Annotations = append(out.Check.Annotations, Annotation{
				Path: file, StartLine: 1, EndLine: 1, Level: "warning",
				Title:   fmt.Sprintf("%s: %s", f.Doc.Path, status(f)),
				Message: fmt.Sprintf("This file is described by %s (owner %s), %s. Update the doc in this pull request, bump its last_reviewed, or record a review with /reviewed.", f.Doc.Path, nameOf(f.Doc.Owner), status(f)),
			})
		}
	}
	return out
}

// status is "100 days since last review" plus the limit or the due date.
func status(f Flag) string {
	if f.Stale {
		return staleFor(f.Age, f.Doc.MaxAge)
	}
	return fmt.Sprintf("%s since last review, stale in %s", days(f.Age), days(f.DueIn+24*time.Hour-1))
}

func renderPRComment(in PRInput, flags []Flag) string {
	var b strings.Builder
	b.WriteString("### 📚 Docs freshness\n\n")
	b.WriteString("This pull request changes code described by docs that are due for a review:\n\n")
	b.WriteString("| Doc | Status | Owner | Covers these changes |\n|---|---|---|---|\n")
	for _, f := range flags {
		files := f.Files
		more := ""
		if len(files) > maxFilesPerDoc {
			more = fmt.Sprintf(" and %d more", len(files)-maxFilesPerDoc)
			files = files[:maxFilesPerDoc]
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s%s |\n", docLink(in.Repo, f.Doc.Path), status(f), nameOf(f.Doc.Owner), codeList(files), more)
	}
	b.WriteString("\nIf a doc no longer matches the code, update it in this pull request. If it is still accurate, bump `last_reviewed:` in its front matter")
	if in.TrackingIssue > 0 {
		fmt.Fprintf(&b, " or comment `/reviewed <path>` on #%d", in.TrackingIssue)
	} else {
		b.WriteString(" or comment `/reviewed <path>` on the docs tracking issue")
	}
	b.WriteString(".\n")
	return b.String()
}

func docLink(r RepoRef, p string) string {
	if u := r.HistoryURL(p); u != "" {
		return fmt.Sprintf("[%s](%s)", mdtext.CellCode(p), mdtext.URL(u))
	}
	return mdtext.CellCode(p)
}

func codeList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = mdtext.CellCode(s)
	}
	return strings.Join(q, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// isDocFile reports whether a path is documentation by its extension.
func isDocFile(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".md", ".markdown", ".mdx", ".rst", ".adoc", ".txt":
		return true
	}
	return false
}
