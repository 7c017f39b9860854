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
	titleNumber   = regexp.MustCompile(`^(\d+)\.\s*(.*)$`)
	sectionNumber = regexp.MustCompile(`^(?:\d+(?:\.\d+)*\.?|[ivx]+\.)\s+`)
	statusLine    = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$`)
	revisitLine   = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?revisit(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$`)
	supersedesRe  = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?supersedes(?:\*\*|__)?\s*:?\s*(.*)$`)
	supersededBy  = regexp.MustCompile(`(?i)^superseded\s+by\s*:?\s*(.+)$`)
	mdLink        = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)[^)]*\)`)
	leadingNumber = regexp.MustCompile(`(?i)^\s*(?:adr[-\s#]*)?#?0*(\d{1,6})\b`)
	bareNumber    = regexp.MustCompile(`(?i)(?:\badr[-\s#]*|#|\b)0*(\d{1,6})\b`)
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
//
// The file is read line by line in place (an ADR file is not capped as a
// comment is: a megabyte of newlines was a million strings from
// strings.Split and a million line values), and blank lines are not kept:
// no later pass can tell them from the absence of a line.
func ParseRecord(filePath, content string) (Record, error) {
	r := Record{Path: filePath, Format: FormatNygard}
	if n, ok := NumberOf(filePath); ok {
		r.Number = n
	}
	if !utf8.ValidString(content) {
		return r, fmt.Errorf("parse ADR %s: not UTF-8 text", filePath)
	}
	content = strings.TrimPrefix(content, "\ufeff")
	if strings.Contains(content, "\r\n") {
		content = strings.ReplaceAll(content, "\r\n", "\n")
	}

	start, n := 0, 1 // offset and number of the first body line
	if first, _, more := strings.Cut(content, "\n"); strings.TrimSpace(first) == "---" {
		closed := false
		for off, k := len(first)+1, 2; more; k++ {
			var l string
			l, _, more = strings.Cut(content[off:], "\n")
			if t := strings.TrimSpace(l); t == "---" || t == "..." {
				fm := "" // the lines between the two, joined by "\n"
				if off > len(first)+1 {
					fm = content[len(first)+1 : off-1]
				}
				if err := r.readFrontMatter(fm, 1); err != nil {
					return r, fmt.Errorf("parse ADR %s: %w", filePath, err)
				}
				closed, start, n = true, off+len(l)+1, k+1
				break
			}
			off += len(l) + 1
		}
		if !closed {
			return r, fmt.Errorf("parse ADR %s: front matter starting on line 1 is not closed with ---", filePath)
		}
		r.Format = FormatMADR
	}

	if err := r.readBody(scanLines(content, start, n)); err != nil {
		return r, fmt.Errorf("parse ADR %s: %w", filePath, err)
	}
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

// scanLines marks code and comment lines of content[start:] (whose first
// line is line n of the file) so later passes can ignore them. Blank lines
// (only white space, which never opens or closes a fence or a comment, is
// never a heading, a label or a section's text) are left out.
func scanLines(content string, start, n int) []line {
	var out []line
	fence := ""
	inComment := false
	for ; start <= len(content); n++ {
		raw, _, _ := strings.Cut(content[start:], "\n")
		start += len(raw) + 1
		if isBlankLine(raw) {
			continue
		}
		l := line{n: n, text: raw}
		switch {
		case fence != "":
			l.code = true
			if t := strings.TrimSpace(l.text); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
		case openingFence(l.text) != "":
			fence, l.code = openingFence(l.text), true
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
			text = removeComments(text)
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

// isBlankLine is strings.TrimSpace(s) == "", without a call for the empty
// and the ASCII lines.
func isBlankLine(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n':
		case c >= utf8.RuneSelf:
			return strings.TrimSpace(s[i:]) == ""
		default:
			return false
		}
	}
	return true
}

// errTooManySections stops readBody past MaxSections headings.
var errTooManySections = fmt.Errorf("more than %d headings; a decision record that long is not checked (split it, or keep its sections under %d)", MaxSections, MaxSections)

func (r *Record) readBody(lines []line) error {
	type heading struct {
		level, idx int
	}
	var heads []heading
	sawTitle := false
	for i, l := range lines {
		if l.code {
			continue
		}
		level, content, ok := parseATX(l.text)
		if !ok {
			continue
		}
		text := strings.TrimSpace(trimClosingHashes(content))
		if level == 1 {
			if !sawTitle { // the first H1 is the title (it wins over front matter: it has a line to annotate)
				r.setTitle(text, l.n)
				sawTitle = true
			}
			heads = append(heads, heading{level, i})
			continue
		}
		heads = append(heads, heading{level, i})
		if len(r.Sections) >= MaxSections {
			return errTooManySections
		}
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
			if hasText(l) && !isATX(l.text) {
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
		if l.code || l.comment || !mayBeLabelled(l.text) {
			continue
		}
		if r.Status == "" && labelled(l.text, "status") {
			if m := statusLine.FindStringSubmatch(l.text); m != nil && m[1] != "" {
				r.Status, r.StatusLine = m[1], l.n
			}
		}
		if r.Revisit == nil && labelled(l.text, "revisit") {
			if m := revisitLine.FindStringSubmatch(l.text); m != nil {
				r.setRevisit(m[1], l.n)
			}
		}
		if !labelled(l.text, "supersedes") {
			continue
		}
		if v, ok := supersedesValue(l.text); ok {
			r.Supersedes = appendUnique(r.Supersedes, numbersIn(v)...)
		}
	}
	return nil
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
		if labelled(t, "supersedes") && supersedesRe.MatchString(t) || strings.HasPrefix(strings.ToLower(t), "amends") || strings.HasPrefix(strings.ToLower(t), "date:") {
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
	return t != "" && !isPlaceholder(t)
}

// cleanHeading normalises a heading for matching: numbering ("2. Context"),
// emphasis and a trailing colon are dropped.
//
// A file may have a heading on every line, so the pattern runs only on a
// heading that starts as a number can ([0-9ivx]), and the words are split
// and joined again only when the blanks between them are not already
// single spaces.
func cleanHeading(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "*_"))
	if s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == 'i' || s[0] == 'v' || s[0] == 'x') {
		s = sectionNumber.ReplaceAllString(s, "")
	}
	s = strings.TrimSuffix(s, ":")
	if singleSpaced(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// singleSpaced reports whether strings.Join(strings.Fields(s), " ") is s:
// ASCII text whose only white space is single spaces between words.
func singleSpaced(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= utf8.RuneSelf || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i-1] == ' '):
			return false
		}
	}
	return true
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
//
// Only the first MaxSupersedesText bytes of s are read: room for
// MaxSupersedes links of 256 bytes each, while a megabyte "Supersedes:"
// line of one link repeated cost 50 ms in the link pattern.
func numbersIn(s string) []int {
	if len(s) > MaxSupersedesText {
		cut := MaxSupersedesText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
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

// MaxSections bounds the headings of one record: real records have a
// handful (MADR's longest template about twenty), and a file of hundreds of
// thousands of headings is an attack on the check's time, answered with
// "Unreadable record" rather than read.
const MaxSections = 2000

// MaxSupersedes is how many records one record may supersede: numbers
// after the first MaxSupersedes distinct ones are ignored, which keeps
// de-duplication linear in a megabyte "Supersedes:" line.
const MaxSupersedes = 256

// MaxSupersedesText is how much of a "Supersedes:" or "Superseded by"
// value (or front matter `supersedes:` entry) is read for record numbers:
// 64 KiB, MaxSupersedes links of 256 bytes.
const MaxSupersedesText = 64 << 10

func appendUnique(list []int, ns ...int) []int {
next:
	for _, n := range ns {
		if n <= 0 {
			continue
		}
		if len(list) >= MaxSupersedes {
			break
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

// The line tests below are the record's former per-line regular
// expressions written out: an ADR file is not capped as a comment is, and
// a regular expression per line made a megabyte of blank lines or a
// megabyte-long line of tabs cost hundreds of milliseconds (DESIGN.md
// principle 9). Each keeps its pattern's answer, quoted in its comment.

// isSpace is the regular-expression class \s: ASCII space, tab, newline,
// form feed and carriage return.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func skipBlanks(s string, i int) int { // [ \t]*
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return i
}

// openingFence returns the fence that opens a fenced code block on line,
// "" for none: "^ {0,3}(`{3,}|~{3,})", group 1.
func openingFence(line string) string {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) || line[i] != '`' && line[i] != '~' {
		return ""
	}
	j := i
	for j < len(line) && line[j] == line[i] {
		j++
	}
	if j-i < 3 {
		return ""
	}
	return line[i:j]
}

// removeComments drops every complete HTML comment from line, as
// regexp "<!--.*?-->" replaced with "" does (line has no '\n').
func removeComments(line string) string {
	i := strings.Index(line, "<!--")
	if i < 0 {
		return line
	}
	var b strings.Builder
	from := 0
	for i >= 0 {
		e := strings.Index(line[i+4:], "-->")
		if e < 0 {
			break
		}
		b.WriteString(line[from:i])
		from = i + 4 + e + 3
		k := strings.Index(line[from:], "<!--")
		if k < 0 {
			break
		}
		i = from + k
	}
	b.WriteString(line[from:])
	return b.String()
}

// parseATX reads an ATX heading: its level and its text, without the
// blanks around it (closing hashes are left for trimClosingHashes):
// "^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$", groups 1 and 2.
func parseATX(line string) (level int, text string, ok bool) {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	h := i
	for i < len(line) && line[i] == '#' {
		i++
	}
	if n := i - h; n < 1 || n > 6 {
		return 0, "", false
	}
	if i < len(line) && line[i] != ' ' && line[i] != '\t' {
		return 0, "", false
	}
	return i - h, strings.TrimRight(line[skipBlanks(line, i):], " \t"), true
}

func isATX(line string) bool {
	_, _, ok := parseATX(line)
	return ok
}

// trimClosingHashes drops a heading's closing sequence: "[ \t]+#+$"
// replaced with "".
func trimClosingHashes(s string) string {
	j := len(s)
	for j > 0 && s[j-1] == '#' {
		j--
	}
	if j == len(s) {
		return s
	}
	k := j
	for k > 0 && (s[k-1] == ' ' || s[k-1] == '\t') {
		k--
	}
	if k == j {
		return s
	}
	return s[:k]
}

// mayBeLabelled is the cheapest test in front of labelled: the first
// non-blank byte of a "status", "revisit" or "supersedes" label line is a
// bullet, "*" or "_" of emphasis, the label's first letter in either case,
// or the first byte of a non-ASCII rune that folds to it ("ſ").
func mayBeLabelled(line string) bool {
	i := skipSpace(line, 0)
	if i == len(line) {
		return false
	}
	switch c := line[i]; {
	case c == '-' || c == '*' || c == '+' || c == '_' || c >= utf8.RuneSelf:
		return true
	default:
		c |= 0x20
		return c == 's' || c == 'r'
	}
}

// labelled reports whether line may be a "label: value" line for label (a
// lower-case word): after blanks, an optional list bullet and an optional
// "**" or "__", the label in any case. It is the cheap test in front of
// statusLine, revisitLine and supersedesRe, which match only such lines,
// so the patterns never run over a long line that cannot match.
func labelled(line, label string) bool {
	i := skipSpace(line, 0)
	starts := [2]int{i, -1}
	if i < len(line) && (line[i] == '-' || line[i] == '*' || line[i] == '+') {
		if j := skipSpace(line, i+1); j > i+1 {
			starts[1] = j
		}
	}
	for _, st := range starts {
		if st < 0 {
			continue
		}
		if hasPrefixFold(line[st:], label) {
			return true
		}
		if rest := line[st:]; strings.HasPrefix(rest, "**") || strings.HasPrefix(rest, "__") {
			if hasPrefixFold(rest[2:], label) {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with prefix under Unicode case
// folding, as (?i) matches ("ſtatus" is "status"): the first runes of s,
// as many as prefix has, compared with strings.EqualFold.
func hasPrefixFold(s, prefix string) bool {
	if s == "" || prefix == "" {
		return prefix == ""
	}
	if c := s[0]; c < utf8.RuneSelf && c|0x20 != prefix[0]|0x20 && prefix[0] < utf8.RuneSelf {
		return false // an ASCII letter folds only to its other case (and 'k', 's' to non-ASCII runes, not back)
	}
	n := utf8.RuneCountInString(prefix)
	end := 0
	for k := 0; k < n; k++ {
		if end >= len(s) {
			return false
		}
		_, w := utf8.DecodeRuneInString(s[end:])
		end += w
	}
	return strings.EqualFold(s[:end], prefix)
}

// placeholderWords are the texts that do not count as a section's content.
var placeholderWords = []string{"todo", "tbd", "tbc", "...", "…", "xxx"}

// isPlaceholder reports whether t is a placeholder such as "TODO", "- tbd."
// or "…": "(?i)^\s*(?:[-*+]\s+)?(?:todo|tbd|tbc|\.\.\.|…|xxx)\s*[.:!]?\s*$".
func isPlaceholder(t string) bool {
	i := skipSpace(t, 0)
	starts := [2]int{i, -1}
	if i < len(t) && (t[i] == '-' || t[i] == '*' || t[i] == '+') {
		if j := skipSpace(t, i+1); j > i+1 {
			starts[1] = j
		}
	}
	for _, st := range starts {
		if st < 0 {
			continue
		}
		for _, w := range placeholderWords {
			if !hasPrefixFold(t[st:], w) {
				continue
			}
			rest := t[st:]
			_, n := cutFold(rest, w)
			j := skipSpace(rest, n)
			if j < len(rest) && (rest[j] == '.' || rest[j] == ':' || rest[j] == '!') {
				j++
			}
			if skipSpace(rest, j) == len(rest) {
				return true
			}
		}
	}
	return false
}

// cutFold returns the length in bytes of the prefix of s that
// hasPrefixFold(s, prefix) matched.
func cutFold(s, prefix string) (string, int) {
	end := 0
	for range utf8.RuneCountInString(prefix) {
		_, w := utf8.DecodeRuneInString(s[end:])
		end += w
	}
	return s[:end], end
}

// supersedesValue returns what follows the label on a "Supersedes:" line:
// group 1 of supersedesRe, read without running the pattern over the line.
func supersedesValue(line string) (string, bool) {
	i := skipSpace(line, 0)
	starts := [2]int{-1, i} // the bullet reading first, as the pattern tries it
	if i < len(line) && (line[i] == '-' || line[i] == '*' || line[i] == '+') {
		if j := skipSpace(line, i+1); j > i+1 {
			starts[0] = j
		}
	}
	for _, st := range starts {
		if st < 0 {
			continue
		}
		rest := line[st:]
		if strings.HasPrefix(rest, "**") || strings.HasPrefix(rest, "__") {
			rest = rest[2:]
		}
		if !hasPrefixFold(rest, "supersedes") {
			continue
		}
		_, n := cutFold(rest, "supersedes")
		rest = rest[n:]
		if strings.HasPrefix(rest, "**") || strings.HasPrefix(rest, "__") {
			rest = rest[2:]
		}
		j := skipSpace(rest, 0)
		if j < len(rest) && rest[j] == ':' {
			j++
		}
		return rest[skipSpace(rest, j):], true
	}
	return "", false
}
