package adr

import (
	"fmt"
	"path"
	"regexp"
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

// Check returns the problems of a parsed record, failures first in file
// order. A record is complete when no annotation has LevelFailure.
//
// baseNumbers maps record numbers to the file names that hold them (the base
// branch's ADR directory; Decide adds the PR's own new records) and is used
// for number collisions and for "supersedes"/"superseded by" targets.
func Check(r Record, s Settings, baseNumbers map[int]string) []Annotation {
	return check(r, s.normalized(), baseNumbers, checkOpts{})
}

func check(r Record, s Settings, known map[int]string, o checkOpts) []Annotation {
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

	for _, sec := range r.Sections {
		key := strings.ToLower(sec.Name)
		if sec.Empty && !required[key] && key != "status" && !r.hasSubsections(sec) {
			add(sec.Line, LevelWarning, "Empty section", fmt.Sprintf("Section %q is empty: fill it in or delete it.", sec.Name))
		}
	}
	out = append(out, r.notes...)

	// Failures first, then by line, so the summary leads with what blocks.
	sortAnnotations(out)
	return out
}

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
	for i := 1; i < len(a); i++ {
		for j := i; j > 0; j-- {
			x, y := a[j-1], a[j]
			if rank(x.Level) < rank(y.Level) || rank(x.Level) == rank(y.Level) && x.Line <= y.Line {
				break
			}
			a[j-1], a[j] = y, x
		}
	}
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
func (r Record) hasSubsections(sec Section) bool {
	for i, s := range r.Sections {
		if s.Line != sec.Line {
			continue
		}
		return i+1 < len(r.Sections) && r.Sections[i+1].Level > s.Level
	}
	return false
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
