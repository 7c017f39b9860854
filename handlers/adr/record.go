package adr

import (
	"errors"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Record is what ParseRecord reads from an ADR file. Line numbers are 1-based
// lines of the whole file (front matter included), ready for annotations;
// 0 means "not present".
type Record struct {
	Path          string
	Format        string // FormatMADR when the file has front matter or MADR headings, else FormatNygard
	Number        int    // from the file name; 0 when the name has none
	HeadingNumber int    // from a nygard title "# 12. Title"; 0 when absent
	Title         string
	TitleLine     int
	Status        string // as written, e.g. "Superseded by [0003](0003-x.md)"
	StatusLine    int
	Sections      []Section
	Supersedes    []int      // records this one replaces
	Revisit       *time.Time // civil date (midnight UTC) from "Revisit: YYYY-MM-DD" or front matter `revisit:`
	RevisitLine   int

	notes []Annotation // problems found while parsing (e.g. an unreadable revisit date)
}

// Section is one heading (level 2 or deeper) of a record.
type Section struct {
	Name  string
	Level int
	Line  int
	Empty bool // no text in the section or its subsections (HTML comments and TODO/TBD do not count)
}

// Statuses a record may have; "superseded by NNNN" carries a number.
// "draft" is log4brains' status for a record still being written.
var validStatuses = []string{"draft", "proposed", "accepted", "rejected", "deprecated", "superseded by NNNN"}

var (
	atxHeading    = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$`)
	closingHashes = regexp.MustCompile(`[ \t]+#+$`)
	fenceOpen     = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	titleNumber   = regexp.MustCompile(`^(\d+)\.\s*(.*)$`)
	sectionNumber = regexp.MustCompile(`^(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+`)
	statusLine    = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$`)
	revisitLine   = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?revisit(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$`)
	supersedesRe  = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?supersedes(?:\*\*|__)?\s*:?\s*(.*)$`)
	supersededBy  = regexp.MustCompile(`(?i)^superseded\s+by\s*:?\s*(.+)$`)
	mdLink        = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)[^)]*\)`)
	leadingNumber = regexp.MustCompile(`(?i)^\s*(?:adr[-\s#]*)?#?0*(\d{1,6})\b`)
	bareNumber    = regexp.MustCompile(`(?i)(?:\badr[-\s#]*|#|\b)0*(\d{1,6})\b`)
	htmlComment   = regexp.MustCompile(`<!--.*?-->`)
	placeholder   = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:todo|tbd|tbc|\.\.\.|…|xxx)\s*[.:!]?\s*$`)
)

// line is one line of the body with what the scanner learned about it.
type line struct {
	n       int // 1-based line number in the file
	text    string
	code    bool // inside a fenced code block (or a fence line)
	comment bool // blank once HTML comments are removed
}

// ParseRecord reads an ADR. It fails only when the text cannot be read at
// all (not UTF-8, broken front matter); everything else — missing title,
// sections or status — is left for Check to report with line numbers.
func ParseRecord(filePath, content string) (Record, error) {
	r := Record{Path: filePath, Format: FormatNygard}
	if n, ok := NumberOf(filePath); ok {
		r.Number = n
	}
	if !utf8.ValidString(content) {
		return r, fmt.Errorf("parse ADR %s: not UTF-8 text", filePath)
	}
	content = strings.TrimPrefix(content, "\ufeff")
	content = strings.ReplaceAll(content, "\r\n", "\n")
	all := strings.Split(content, "\n")

	start := 0
	if len(all) > 0 && strings.TrimSpace(all[0]) == "---" {
		end := -1
		for i := 1; i < len(all); i++ {
			if t := strings.TrimSpace(all[i]); t == "---" || t == "..." {
				end = i
				break
			}
		}
		if end < 0 {
			return r, fmt.Errorf("parse ADR %s: front matter starting on line 1 is not closed with ---", filePath)
		}
		if err := r.readFrontMatter(strings.Join(all[1:end], "\n"), 1); err != nil {
			return r, fmt.Errorf("parse ADR %s: %w", filePath, err)
		}
		r.Format = FormatMADR
		start = end + 1
	}

	lines := scanLines(all, start)
	r.readBody(lines)
	return r, nil
}

// readFrontMatter reads status, revisit and supersedes from YAML front
// matter; offset is the file line of the first YAML line minus one.
func (r *Record) readFrontMatter(src string, offset int) error {
	if strings.TrimSpace(src) == "" {
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return fmt.Errorf("front matter: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return errors.New("front matter: expected key: value pairs")
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		ln := v.Line + offset
		switch strings.ToLower(k.Value) {
		case "status":
			r.Status, r.StatusLine = strings.TrimSpace(v.Value), ln
		case "revisit":
			r.setRevisit(v.Value, ln)
		case "supersedes":
			vals := []string{v.Value}
			if v.Kind == yaml.SequenceNode {
				vals = nil
				for _, c := range v.Content {
					vals = append(vals, c.Value)
				}
			}
			for _, s := range vals {
				r.Supersedes = appendUnique(r.Supersedes, numbersIn(s)...)
			}
		case "title":
			if r.Title == "" {
				r.Title, r.TitleLine = strings.TrimSpace(v.Value), ln
			}
		}
	}
	return nil
}

func (r *Record) setRevisit(v string, ln int) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	// Front matter may carry a full timestamp; the date part decides.
	if len(v) > 10 && (v[10] == 'T' || v[10] == ' ') {
		v = v[:10]
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		r.notes = append(r.notes, Annotation{Path: r.Path, Line: ln, Level: LevelWarning,
			Title: "Unreadable revisit date", Message: fmt.Sprintf("Revisit date %q is not a date: write it as YYYY-MM-DD.", v)})
		return
	}
	r.Revisit, r.RevisitLine = &d, ln
}

// scanLines marks code and comment lines so later passes can ignore them.
func scanLines(all []string, start int) []line {
	var out []line
	fence := ""
	inComment := false
	for i := start; i < len(all); i++ {
		l := line{n: i + 1, text: all[i]}
		switch {
		case fence != "":
			l.code = true
			if t := strings.TrimSpace(l.text); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
		case fenceOpen.MatchString(l.text):
			m := fenceOpen.FindStringSubmatch(l.text)
			fence, l.code = m[1], true
		default:
			text := l.text
			if inComment {
				if j := strings.Index(text, "-->"); j >= 0 {
					text = text[j+3:]
					inComment = false
				} else {
					text = ""
				}
			}
			text = htmlComment.ReplaceAllString(text, "")
			if j := strings.Index(text, "<!--"); j >= 0 {
				text = text[:j]
				inComment = true
			}
			l.comment = strings.TrimSpace(text) == "" && strings.TrimSpace(l.text) != ""
			l.text = text
		}
		out = append(out, l)
	}
	return out
}

func (r *Record) readBody(lines []line) {
	type heading struct {
		level, idx int
	}
	var heads []heading
	sawTitle := false
	for i, l := range lines {
		if l.code {
			continue
		}
		m := atxHeading.FindStringSubmatch(l.text)
		if m == nil {
			continue
		}
		level := len(m[1])
		text := strings.TrimSpace(closingHashes.ReplaceAllString(m[2], ""))
		if level == 1 {
			if !sawTitle { // the first H1 is the title (it wins over front matter: it has a line to annotate)
				r.setTitle(text, l.n)
				sawTitle = true
			}
			heads = append(heads, heading{level, i})
			continue
		}
		heads = append(heads, heading{level, i})
		r.Sections = append(r.Sections, Section{Name: cleanHeading(text), Level: level, Line: l.n})
	}

	// Section bodies: up to the next heading of the same or a higher level.
	si := 0
	for hi, h := range heads {
		if h.level == 1 {
			continue
		}
		end := len(lines)
		for _, next := range heads[hi+1:] {
			if next.level <= h.level {
				end = next.idx
				break
			}
		}
		sec := &r.Sections[si]
		si++
		sec.Empty = true
		for _, l := range lines[h.idx+1 : end] {
			if hasText(l) && !atxHeading.MatchString(l.text) {
				sec.Empty = false
				break
			}
		}
		if strings.EqualFold(sec.Name, "status") && r.Status == "" {
			r.statusFromSection(lines[h.idx+1:end], sec.Line)
		}
	}
	if r.Format == FormatNygard && r.isMADRShaped() {
		r.Format = FormatMADR
	}

	for _, l := range lines {
		if l.code || l.comment {
			continue
		}
		if r.Status == "" {
			if m := statusLine.FindStringSubmatch(l.text); m != nil && m[1] != "" {
				r.Status, r.StatusLine = m[1], l.n
			}
		}
		if r.Revisit == nil {
			if m := revisitLine.FindStringSubmatch(l.text); m != nil {
				r.setRevisit(m[1], l.n)
			}
		}
		if m := supersedesRe.FindStringSubmatch(l.text); m != nil {
			r.Supersedes = appendUnique(r.Supersedes, numbersIn(m[1])...)
		}
	}
}

func (r *Record) setTitle(text string, n int) {
	if m := titleNumber.FindStringSubmatch(text); m != nil {
		r.HeadingNumber, _ = strconv.Atoi(m[1])
		text = m[2]
	}
	r.Title, r.TitleLine = strings.TrimSpace(text), n
}

// statusFromSection takes the first line of a Status section that reads as
// a status; failing that, the first line of text (so Check can quote it).
func (r *Record) statusFromSection(body []line, headingLine int) {
	first := ""
	firstLine := 0
	for _, l := range body {
		if !hasText(l) {
			continue
		}
		t := strings.TrimSpace(strings.Trim(strings.TrimSpace(l.text), "*_"))
		if supersedesRe.MatchString(t) || strings.HasPrefix(strings.ToLower(t), "amends") || strings.HasPrefix(strings.ToLower(t), "date:") {
			continue
		}
		if first == "" {
			first, firstLine = t, l.n
		}
		if ok, _ := parseStatus(t); ok {
			r.Status, r.StatusLine = t, l.n
			return
		}
	}
	if first != "" {
		r.Status, r.StatusLine = first, firstLine
	}
}

func (r *Record) isMADRShaped() bool {
	for _, s := range r.Sections {
		switch strings.ToLower(s.Name) {
		case "context and problem statement", "decision outcome", "considered options":
			return true
		}
	}
	return false
}

func hasText(l line) bool {
	if l.code {
		return strings.TrimSpace(l.text) != ""
	}
	t := strings.TrimSpace(l.text)
	return t != "" && !placeholder.MatchString(t)
}

// cleanHeading normalises a heading for matching: numbering ("2. Context"),
// emphasis and a trailing colon are dropped.
func cleanHeading(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "*_"))
	s = sectionNumber.ReplaceAllString(s, "")
	s = strings.TrimSuffix(s, ":")
	return strings.Join(strings.Fields(s), " ")
}

// parseStatus validates a status and returns the record number of a
// "superseded by NNNN" status (0 otherwise).
func parseStatus(s string) (ok bool, supersededByN int) {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "*_`"))
	s = strings.TrimRight(s, ". ")
	switch strings.ToLower(s) {
	case "draft", "proposed", "accepted", "rejected", "deprecated":
		return true, 0
	}
	if m := supersededBy.FindStringSubmatch(s); m != nil {
		if ns := numbersIn(m[1]); len(ns) > 0 {
			return true, ns[0]
		}
	}
	return false, 0
}

// numbersIn returns record numbers mentioned in a "supersedes" or
// "superseded by" text: from markdown links (the target file name, else the
// link text), else from bare numbers such as "0003", "ADR-3" or "#3".
func numbersIn(s string) []int {
	var out []int
	if links := mdLink.FindAllStringSubmatch(s, -1); len(links) > 0 {
		for _, l := range links {
			if n, ok := NumberOf(strings.SplitN(l[2], "#", 2)[0]); ok {
				out = appendUnique(out, n)
			} else if m := leadingNumber.FindStringSubmatch(l[1]); m != nil {
				n, _ := strconv.Atoi(m[1])
				out = appendUnique(out, n)
			}
		}
		return out
	}
	for _, m := range bareNumber.FindAllStringSubmatch(s, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			out = appendUnique(out, n)
		}
	}
	return out
}

func appendUnique(list []int, ns ...int) []int {
next:
	for _, n := range ns {
		if n <= 0 {
			continue
		}
		for _, have := range list {
			if have == n {
				continue next
			}
		}
		list = append(list, n)
	}
	return list
}

// baseName is the file name of an ADR path.
func baseName(p string) string { return path.Base(p) }
