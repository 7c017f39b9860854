package adr

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The record reader as it was before it streamed its lines (it split the
// file and kept a line value per line, blank lines included): the
// randomized test in record_stream_test.go holds ParseRecord to it.

// oldLine is one line of the body with what the scanner learned about it.
type oldLine struct {
	n       int // 1-based line number in the file
	text    string
	code    bool // inside a fenced code block (or a fence line)
	comment bool // blank once HTML comments are removed
}

func oldParseRecord(filePath, content string) (Record, error) {
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

	lines := oldScanLines(all, start)
	r.oldReadBody(lines)
	return r, nil
}

func oldScanLines(all []string, start int) []oldLine {
	out := make([]oldLine, 0, max(len(all)-start, 0))
	fence := ""
	inComment := false
	for i := start; i < len(all); i++ {
		l := oldLine{n: i + 1, text: all[i]}
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

func (r *Record) oldReadBody(lines []oldLine) {
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
			if oldHasText(l) && !isATX(l.text) {
				sec.Empty = false
				break
			}
		}
		if strings.EqualFold(sec.Name, "status") && r.Status == "" {
			r.oldStatusFromSection(lines[h.idx+1:end], sec.Line)
		}
	}
	if r.Format == FormatNygard && r.isMADRShaped() {
		r.Format = FormatMADR
	}

	for _, l := range lines {
		if l.code || l.comment {
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
}

func (r *Record) oldStatusFromSection(body []oldLine, headingLine int) {
	first := ""
	firstLine := 0
	for _, l := range body {
		if !oldHasText(l) {
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

func oldHasText(l oldLine) bool {
	if l.code {
		return strings.TrimSpace(l.text) != ""
	}
	t := strings.TrimSpace(l.text)
	return t != "" && !isPlaceholder(t)
}
