package docs

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/overlaphq/overlap/internal/markdown"
)

// Link is a broken relative link in a doc.
type Link struct {
	Doc    string // the doc containing the link
	Line   int    // 1-based line in the doc
	Target string // the link as written
	Reason string
}

var (
	refDefRE  = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:\s*(\S+)`)
	htmlRefRE = regexp.MustCompile(`(?i)^<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']*)["']`)
	htmlIDRE  = regexp.MustCompile(`(?i)^<[a-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']`)
	schemeRE  = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// BrokenLinks lists the relative links and images of a markdown doc that
// point at files missing from the default-branch tree, or at `#anchors`
// that match no heading. Targets resolve against the doc's directory, or
// the repository root when they start with "/". Absolute URLs (any scheme,
// http(s), mailto…) and links inside code or HTML comments are ignored.
// Anchors into other files are checked only when contents holds that
// file's text; tree holds file paths (directories are inferred from them).
func BrokenLinks(docPath, content string, tree map[string]bool, contents map[string]string) []Link {
	var out []Link
	anchorCache := map[string]map[string]bool{}
	anchorsOf := func(p string) (map[string]bool, bool) {
		if a, ok := anchorCache[p]; ok {
			return a, true
		}
		text, ok := contents[p]
		if p == docPath {
			text, ok = content, true
		}
		if !ok {
			return nil, false
		}
		a := Anchors(text)
		anchorCache[p] = a
		return a, true
	}
	dirs := lazyDirs{tree: tree}
	for _, l := range markdownLines(content) {
		for _, target := range linkTargets(l.Text) {
			if reason := checkTarget(docPath, target, tree, dirs.has, anchorsOf); reason != "" {
				out = append(out, Link{Doc: docPath, Line: l.N, Target: target, Reason: reason})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Line < out[j].Line })
	return out
}

func checkTarget(docPath, target string, tree map[string]bool, isDir func(string) bool, anchorsOf func(string) (map[string]bool, bool)) string {
	target = strings.TrimSpace(target)
	if target == "" || schemeRE.MatchString(target) || strings.HasPrefix(target, "//") {
		return ""
	}
	p, anchor, _ := strings.Cut(target, "#")
	p, _, _ = strings.Cut(p, "?")
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if a, err := url.PathUnescape(anchor); err == nil {
		anchor = a
	}
	resolved := docPath
	if p != "" {
		if strings.HasPrefix(p, "/") {
			resolved = path.Clean(strings.TrimLeft(p, "/"))
		} else {
			resolved = path.Join(path.Dir(docPath), p)
		}
		if resolved == ".." || strings.HasPrefix(resolved, "../") {
			return "points outside the repository"
		}
		if resolved != "." && !tree[resolved] && !isDir(resolved) {
			return fmt.Sprintf("no such file: %s", resolved)
		}
	}
	if anchor == "" || !isMarkdown(resolved) {
		return ""
	}
	anchors, ok := anchorsOf(resolved)
	if !ok {
		return ""
	}
	if !anchors[strings.ToLower(anchor)] {
		return fmt.Sprintf("no heading #%s in %s", anchor, resolved)
	}
	return ""
}

// lazyDirs answers "is p a directory of the tree?" from the set of every
// directory the tree's paths imply, built on the first question. Walking
// the tree for every link made a doc of links to missing files cost links ×
// files.
type lazyDirs struct {
	tree map[string]bool
	set  map[string]bool
}

func (d *lazyDirs) has(p string) bool {
	if d.set == nil {
		d.set = map[string]bool{}
		for f := range d.tree {
			for i := strings.LastIndexByte(f, '/'); i > 0; i = strings.LastIndexByte(f[:i], '/') {
				if d.set[f[:i]] {
					break // its parents are in already
				}
				d.set[f[:i]] = true
			}
		}
	}
	return d.set[strings.TrimSuffix(p, "/")]
}

func isMarkdown(p string) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".md", ".markdown", ".mdx":
		return true
	}
	return false
}

// linkTargets extracts link and image destinations from one line whose
// code spans are already blanked.
func linkTargets(line string) []string {
	var out []string
	if m := refDefRE.FindStringSubmatch(line); m != nil {
		out = append(out, strings.Trim(m[1], "<>"))
	}
	for i := 0; ; {
		k := strings.Index(line[i:], "](")
		if k < 0 {
			break
		}
		start := i + k + 2
		dest, end := parseDestination(line[start:])
		if dest != "" {
			out = append(out, dest)
		}
		i = start + end
	}
	for _, v := range htmlAttrs(line, htmlRefRE) {
		out = append(out, v)
	}
	return out
}

// maxTag is how much of an HTML tag is read for an attribute.
const maxTag = 1 << 10

// htmlAttrs returns the first group of re (anchored at a tag's "<") for
// every tag in line. A tag is read from its "<" to the next ">" or "<",
// and at most maxTag bytes: matching re over the whole line let a line of
// unclosed "<a href='" make every match scan the rest of the line.
func htmlAttrs(line string, re *regexp.Regexp) []string {
	var out []string
	for i := 0; ; {
		k := strings.IndexByte(line[i:], '<')
		if k < 0 {
			return out
		}
		i += k
		end := len(line)
		if j := strings.IndexAny(line[i+1:], "<>"); j >= 0 {
			end = i + 1 + j + 1 // include a closing '>'
			if line[end-1] == '<' {
				end--
			}
		}
		end = min(end, i+maxTag)
		if m := re.FindStringSubmatch(line[i:end]); m != nil {
			out = append(out, m[1])
		}
		i = max(end, i+1)
	}
}

// parseDestination reads a link destination at the start of s (after the
// opening parenthesis) and returns it and how many bytes it used.
func parseDestination(s string) (string, int) {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < len(s) && s[i] == '<' {
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return "", i
		}
		return s[i+1 : i+j], i + j + 1
	}
	depth, j := 0, i
	for ; j < len(s); j++ {
		c := s[j]
		if c == ' ' || c == '\t' {
			break
		}
		if c == '(' {
			depth++
		}
		if c == ')' {
			if depth == 0 {
				break
			}
			depth--
		}
	}
	return s[i:j], j
}

// markdownLines returns the lines of a markdown doc outside code blocks,
// with their line numbers and inline code blanked; front matter is
// skipped (the scan starts after it, so YAML never reads as Markdown).
func markdownLines(content string) []markdown.Line {
	fm, _ := ParseFrontMatter(content) // problems are reported elsewhere
	if fm.EndLine == 0 {
		return markdown.Lines(content)
	}
	off := 0
	for i := 0; i < fm.EndLine; i++ {
		k := strings.IndexByte(content[off:], '\n')
		if k < 0 {
			return nil
		}
		off += k + 1
	}
	lines := markdown.Lines(content[off:])
	for i := range lines {
		lines[i].N += fm.EndLine
	}
	return lines
}

var listItemRE = regexp.MustCompile(`^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)`)

var (
	atxRE        = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	setextRE     = regexp.MustCompile(`^ {0,3}(=+|-+)[ \t]*$`)
	inlineLinkRE = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	htmlTagRE    = regexp.MustCompile(`<[^>]+>`)
)

// Anchors returns the anchors a markdown doc defines, the way GitHub renders
// them: heading slugs (with -1, -2… for repeats) and explicit HTML id/name
// attributes, all lower-case.
func Anchors(content string) map[string]bool {
	out := map[string]bool{}
	s := slugger{seen: map[string]int{}}
	prev := ""
	for _, l := range markdownLines(content) {
		line := l.Text
		if m := atxRE.FindStringSubmatch(line); m != nil {
			out[s.slug(m[2])] = true
			prev = ""
			continue
		}
		if setextRE.MatchString(line) && strings.TrimSpace(prev) != "" {
			out[s.slug(strings.TrimSpace(prev))] = true
			prev = ""
			continue
		}
		for _, id := range htmlAttrs(line, htmlIDRE) {
			out[strings.ToLower(id)] = true
		}
		if strings.TrimSpace(line) == "" || listItemRE.MatchString(line) || l.Quote {
			prev = ""
		} else {
			prev = line
		}
	}
	return out
}

// Slug is GitHub's anchor for a heading text: link and tag markup dropped,
// lower-cased, punctuation other than '-' and '_' removed, spaces → '-'.
func Slug(heading string) string {
	h := inlineLinkRE.ReplaceAllString(heading, "$1")
	h = htmlTagRE.ReplaceAllString(h, "")
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(h)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// slugger numbers repeated slugs as GitHub (github-slugger) does.
type slugger struct{ seen map[string]int }

func (s *slugger) slug(heading string) string {
	base := Slug(heading)
	res := base
	for {
		if _, dup := s.seen[res]; !dup {
			break
		}
		s.seen[base]++
		res = fmt.Sprintf("%s-%d", base, s.seen[base])
	}
	s.seen[res] = 0
	return res
}
