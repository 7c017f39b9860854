package adr

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// looseNumber finds a record number in a badly formed name ("8-x.md",
// "0008_X.md") so the suggested name keeps it.
var looseNumber = regexp.MustCompile(`^(\d+)[-_ .]*`)

// Annotation levels, as the check-runs API spells them.
const (
	LevelFailure = "failure"
	LevelWarning = "warning"
	LevelNotice  = "notice"
)

// Annotation is one check-run annotation on an ADR file. Line is 1-based and
// is used as both start_line and end_line.
type Annotation struct {
	Path    string
	Line    int
	Level   string
	Title   string
	Message string
}

// checkOpts turns off checks that do not apply to a file.
type checkOpts struct {
	// existing is set for a record that is already on the base branch and
	// only modified by the PR: its name was accepted when it was added, so
	// the naming rule is not re-applied to legacy records.
	existing bool
	// inPR names the records (file names) the PR itself adds, so a number
	// collision among them is blamed on the right file.
	inPR map[string]bool
}

// MaxAnnotationsPerFile caps the annotations Check returns for one record:
// a record is attacker-sized text (a PR author may add 1 MB of empty
// headings), and GitHub shows 50 annotations per request anyway. Failures
// come first, so what blocks the check is always among those shown; the
// rest are counted in one last notice.
const MaxAnnotationsPerFile = 50

// checkEvery is how many sections Check walks between looks at ctx.
const checkEvery = 1024

// Check returns the problems of a parsed record, failures first in file
// order, at most MaxAnnotationsPerFile of them. A record is complete when
// no annotation has LevelFailure.
//
// baseNumbers maps record numbers to the file names that hold them (the base
// branch's ADR directory; Decide adds the PR's own new records) and is used
// for number collisions and for "supersedes"/"superseded by" targets.
//
// The work is linear in the record's sections (DESIGN.md principle 9): each
// section is compared with the next one only, and the sort is O(n log n)
// over a capped list.
func Check(r Record, s Settings, baseNumbers map[int]string) []Annotation {
	out, _ := CheckContext(context.Background(), r, s, baseNumbers)
	return out
}

// CheckContext is Check that stops with ctx's error when ctx is done
// before the last section is checked.
func CheckContext(ctx context.Context, r Record, s Settings, baseNumbers map[int]string) ([]Annotation, error) {
	return checkCtx(ctx, r, s.normalized(), baseNumbers, checkOpts{})
}

func check(r Record, s Settings, known map[int]string, o checkOpts) []Annotation {
	out, _ := checkCtx(context.Background(), r, s, known, o)
	return out
}

func checkCtx(ctx context.Context, r Record, s Settings, known map[int]string, o checkOpts) ([]Annotation, error) {
	var out []Annotation
	anchor := r.TitleLine
	if anchor == 0 {
		anchor = 1
	}
	add := func(line int, level, title, msg string) {
		if line <= 0 {
			line = anchor
		}
		out = append(out, Annotation{Path: r.Path, Line: line, Level: level, Title: title, Message: msg})
	}
	name := baseName(r.Path)

	switch {
	case o.existing:
	case s.dateNumbered():
		if !ValidDateFileName(name) {
			date := "YYYYMMDD"
			if m := looseNumber.FindStringSubmatch(name); m != nil && len(m[1]) == 8 {
				if _, err := time.Parse("20060102", m[1]); err == nil {
					date = m[1]
				}
			}
			want := date + "-" + Slug(titleForName(r, name)) + ".md"
			add(1, LevelFailure, "File name", fmt.Sprintf("%q does not follow YYYYMMDD-title-in-kebab-case.md (the date, then lower-case words joined by dashes); rename it, e.g. to %q.", name, want))
		}
	case !ValidFileName(name):
		num := r.Number
		if m := looseNumber.FindStringSubmatch(name); num == 0 && m != nil {
			num, _ = strconv.Atoi(m[1])
		}
		msg := fmt.Sprintf("%q does not follow NNNN-title-in-kebab-case.md (4-digit number, lower-case words joined by dashes)", name)
		if ValidDateFileName(name) {
			msg += "; records named by date (log4brains) need `numbering: date` in the policy's adr block"
		} else {
			want := FileName(max(num, 1), titleForName(r, name))
			if num == 0 {
				want = "NNNN-" + strings.TrimPrefix(want, "0001-")
			}
			msg += fmt.Sprintf("; rename it, e.g. to %q", want)
		}
		add(1, LevelFailure, "File name", msg+".")
	}
	// Date-named records share dates by design: no collision check.
	if r.Number > 0 && !s.dateNumbered() {
		if other, ok := known[r.Number]; ok && other != name {
			where := "on the base branch"
			if o.inPR[other] {
				where = "in this PR"
			}
			add(anchor, LevelFailure, "Number already used", fmt.Sprintf("Number %04d is already used by %s %s; renumber this record to the next free number named in the PR comment.", r.Number, other, where))
		}
	}
	if strings.TrimSpace(r.Title) == "" {
		add(1, LevelFailure, "Missing title", "The record has no title: start it with a level-1 heading, e.g. \"# "+titleExample(r, s)+"\".")
	} else if r.HeadingNumber > 0 && r.Number > 0 && r.HeadingNumber != r.Number && !s.dateNumbered() {
		add(r.TitleLine, LevelWarning, "Title number", fmt.Sprintf("The title says %d but the file name says %04d; make them agree.", r.HeadingNumber, r.Number))
	}

	required := map[string]bool{}
	statusRequired := false
	for _, want := range s.requiredSections() {
		key := strings.ToLower(cleanHeading(want))
		if key == "" {
			continue
		}
		required[key] = true
		if key == "status" {
			statusRequired = true
			continue
		}
		sec, ok := r.requiredSection(key)
		switch {
		case !ok:
			add(anchor, LevelFailure, "Missing section", fmt.Sprintf("Required section %q is missing: add a \"## %s\" heading with its text.", cleanHeading(want), cleanHeading(want)))
		case sec.Empty:
			add(sec.Line, LevelFailure, "Empty section", fmt.Sprintf("Section %q is empty: write it (HTML comments and TODO do not count).", sec.Name))
		}
	}

	// Status: required by default, and validated whenever one is written.
	statusSec, hasStatusSec := r.section("status")
	switch {
	case r.Status == "" && hasStatusSec:
		add(statusSec.Line, LevelFailure, "Missing status", "Section \"Status\" does not give a status: write one of "+statusList()+".")
	case r.Status == "" && statusRequired:
		add(anchor, LevelFailure, "Missing status", "The record has no status: "+statusHint(r)+" with one of "+statusList()+".")
	case r.Status != "":
		ok, by := parseStatus(r.Status)
		if !ok {
			add(r.StatusLine, LevelFailure, "Invalid status", fmt.Sprintf("Status %q is not one of %s (case does not matter).", r.Status, statusList()))
		} else if by > 0 && !knownNumber(known, by) {
			add(r.StatusLine, LevelFailure, "Unknown record", fmt.Sprintf("The status says superseded by %04d, but there is no record %04d.", by, by))
		}
	}

	for _, n := range r.Supersedes {
		if !knownNumber(known, n) {
			add(anchor, LevelFailure, "Unknown record", fmt.Sprintf("This record supersedes %04d, but there is no record %04d in the ADR directory.", n, n))
		}
	}

	// Empty optional sections are warnings, found in file order: once the
	// cap's worth is collected, the rest are only counted.
	hidden := 0
	for i, sec := range r.Sections {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if !sec.Empty || r.hasSubsections(i) {
			continue
		}
		key := strings.ToLower(sec.Name)
		if required[key] || key == "status" {
			continue
		}
		if len(out) >= MaxAnnotationsPerFile {
			hidden++
			continue
		}
		add(sec.Line, LevelWarning, "Empty section", fmt.Sprintf("Section %q is empty: fill it in or delete it.", sec.Name))
	}
	out = append(out, r.notes...)

	// Failures first, then by line, so the summary leads with what blocks.
	sortAnnotations(out)
	if hidden > 0 || len(out) > MaxAnnotationsPerFile {
		// The last place holds the count of the rest.
		if len(out) > MaxAnnotationsPerFile-1 {
			hidden += len(out) - (MaxAnnotationsPerFile - 1)
			out = out[:MaxAnnotationsPerFile-1]
		}
		out = append(out, Annotation{Path: r.Path, Line: anchor, Level: LevelNotice, Title: "More problems",
			Message: fmt.Sprintf("%d more problems in this file are not shown; fix the ones above and push again.", hidden)})
	}
	return out, nil
}

// sortAnnotations orders failures first, then warnings, then notices, each
// by line, keeping the order of equal ones (O(n log n)).
func sortAnnotations(a []Annotation) {
	rank := func(l string) int {
		switch l {
		case LevelFailure:
			return 0
		case LevelWarning:
			return 1
		}
		return 2
	}
	sort.SliceStable(a, func(i, j int) bool {
		ri, rj := rank(a[i].Level), rank(a[j].Level)
		if ri != rj {
			return ri < rj
		}
		return a[i].Line < a[j].Line
	})
}

// Failed reports whether any annotation is a failure.
func Failed(as []Annotation) bool {
	for _, a := range as {
		if a.Level == LevelFailure {
			return true
		}
	}
	return false
}

func (r Record) section(key string) (Section, bool) {
	for _, s := range r.Sections {
		if strings.EqualFold(s.Name, key) {
			return s, true
		}
	}
	return Section{}, false
}

// requiredSection finds a required section. MADR 2.x and log4brains split
// Consequences into "Positive Consequences" and "Negative Consequences":
// either counts, and the pair is empty only when both are.
func (r Record) requiredSection(key string) (Section, bool) {
	if sec, ok := r.section(key); ok || key != "consequences" {
		return sec, ok
	}
	var out Section
	found := false
	for _, sec := range r.Sections {
		switch strings.ToLower(sec.Name) {
		case "positive consequences", "negative consequences":
			if !found {
				out, found = sec, true
			} else {
				out.Empty = out.Empty && sec.Empty
			}
		}
	}
	return out, found
}

// hasSubsections: an empty parent whose subsections carry the text (MADR's
// "Pros and Cons of the Options" → "### Option 1") is reported through them.
// i is the section's index: the next section is the only one looked at, so
// checking every section is linear.
func (r Record) hasSubsections(i int) bool {
	return i+1 < len(r.Sections) && r.Sections[i+1].Level > r.Sections[i].Level
}

func knownNumber(known map[int]string, n int) bool {
	_, ok := known[n]
	return ok
}

func statusList() string {
	return strings.Join(validStatuses, ", ")
}

func statusHint(r Record) string {
	if r.Format == FormatMADR {
		return "add `status:` to the front matter (or a \"Status:\" line)"
	}
	return "add a \"## Status\" section"
}

func titleExample(r Record, s Settings) string {
	if s.Template == FormatNygard && r.Number > 0 && !s.dateNumbered() {
		return fmt.Sprintf("%04d. Title", r.Number)
	}
	return "Title"
}

// titleForName picks the words for a suggested file name: the record's title,
// else whatever the current name says after its number.
func titleForName(r Record, name string) string {
	if strings.TrimSpace(r.Title) != "" {
		return r.Title
	}
	return looseNumber.ReplaceAllString(strings.TrimSuffix(name, path.Ext(name)), "")
}
