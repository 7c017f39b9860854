package docs

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
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

// BrokenLinks lists the relative links and images of a markdown doc that
// point at files missing from the default-branch tree, or at `#anchors`
// that match no heading. Targets resolve against the doc's directory, or
// the repository root when they start with "/". Absolute URLs (any scheme,
// http(s), mailto…) and links inside code or HTML comments are ignored.
// Anchors into other files are checked only when contents holds that
// file's text; tree holds file paths (directories are inferred from them).
//
// BrokenLinks cannot be cancelled; see [BrokenLinksContext].
func BrokenLinks(docPath, content string, tree map[string]bool, contents map[string]string) []Link {
	out, _ := BrokenLinksContext(context.Background(), docPath, content, tree, contents)
	return out
}

// BrokenLinksContext is [BrokenLinks] that gives up with ctx's error
// (wrapped) when ctx is done before the doc is read. Docs are files, not
// capped as comments are (DESIGN.md principle 9): the doc's lines are
// visited once, each distinct target is resolved once, and the anchors of
// a file are read once.
func BrokenLinksContext(ctx context.Context, docPath, content string, tree map[string]bool, contents map[string]string) ([]Link, error) {
	var out []Link
	anchorCache := map[string]map[string]bool{}
	anchorsOf := func(p string) (map[string]bool, bool) {
		if a, ok := anchorCache[p]; ok {
			return a, a != nil
		}
		text, ok := contents[p]
		if p == docPath {
			text, ok = content, true
		}
		if !ok {
			return nil, false
		}
		a, complete, _ := anchors(ctx, text) // a cancelled read stops at the doc's own next line
		if !complete {
			a = nil // too many headings to know them all: its anchors are not checked
		}
		anchorCache[p] = a
		return a, complete
	}
	dirs := lazyDirs{tree: tree}
	// A doc that repeats a link repeats its answer: each of the first
	// maxReasons distinct targets is resolved once. Past them a target is
	// resolved where it stands (a lookup or two in maps already built): a
	// cache of every target made a doc of 100,000 distinct links spend
	// half its time growing the cache.
	reasons := map[string]string{}
	lastTarget, lastReason := "", "" // "" answers ""
	err := eachMarkdownLine(ctx, content, func(l markdown.Line) {
		if l.Text == "" {
			return // no link (a megabyte of newlines is a million of these)
		}
		eachLinkTarget(l.Text, func(target string) {
			reason, ok := lastReason, target == lastTarget
			if !ok {
				reason, ok = reasons[target]
			}
			if !ok {
				reason = checkTarget(docPath, target, tree, dirs.has, anchorsOf)
				if len(reasons) < maxReasons {
					reasons[target] = reason
				}
			}
			lastTarget, lastReason = target, reason
			if reason == "" {
				return
			}
			if len(out) == cap(out) && len(out) >= 1024 {
				// Double: append grows a large slice by a quarter, and
				// a doc of 100,000 broken links spent a third of its
				// time copying and clearing Links.
				out = append(make([]Link, 0, 2*len(out)), out...)
			}
			out = append(out, Link{Doc: docPath, Line: l.N, Target: target, Reason: reason})
		})
	})
	if err != nil {
		return nil, fmt.Errorf("broken links in %s: %w", docPath, err)
	}
	// Lines are visited in order, so out is in line order already.
	return out, nil
}

// maxReasons is how many distinct targets of a doc BrokenLinks remembers
// the answer for.
const maxReasons = 1 << 12

func checkTarget(docPath, target string, tree map[string]bool, isDir func(string) bool, anchorsOf func(string) (map[string]bool, bool)) string {
	target = strings.TrimSpace(target)
	if target == "" || hasScheme(target) || strings.HasPrefix(target, "//") {
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
			return "no such file: " + resolved
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
		return "no heading #" + anchor + " in " + resolved
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
	eachLinkTarget(line, func(t string) { out = append(out, t) })
	return out
}

// eachLinkTarget calls fn with what linkTargets returns, in order, without
// a slice (a line of 150,000 links grew one of 150,000 strings).
func eachLinkTarget(line string, fn func(string)) {
	if dest, ok := refDefinition(line); ok {
		fn(strings.Trim(dest, "<>"))
	}
	for i := 0; ; {
		k := strings.Index(line[i:], "](")
		if k < 0 {
			break
		}
		start := i + k + 2
		dest, end := parseDestination(line[start:])
		if dest != "" {
			fn(dest)
		}
		i = start + end
	}
	for _, v := range htmlAttrs(line, htmlRef) {
		fn(v)
	}
}

// maxTag is how much of an HTML tag is read for an attribute.
const maxTag = 1 << 10

// htmlAttrs returns what attr reads from every tag in line. A tag is read
// from its "<" to the next ">" or "<", and at most maxTag bytes: matching
// a pattern over the whole line let a line of unclosed "<a href='" make
// every match scan the rest of the line.
func htmlAttrs(line string, attr func(tag string) (string, bool)) []string {
	var out []string
	for i := 0; ; {
		k := strings.IndexByte(line[i:], '<')
		if k < 0 {
			return out
		}
		i += k
		end := len(line)
		if j := indexTagEnd(line[i+1:]); j >= 0 {
			end = i + 1 + j + 1 // include a closing '>'
			if line[end-1] == '<' {
				end--
			}
		}
		end = min(end, i+maxTag)
		if v, ok := attr(line[i:end]); ok {
			out = append(out, v)
		}
		i = max(end, i+1)
	}
}

// indexTagEnd is strings.IndexAny(s, "<>"), byte by byte for the first
// bytes: a tag is short, and setting up IndexAny cost more than reading it.
func indexTagEnd(s string) int {
	for i := 0; i < len(s) && i < 64; i++ {
		if s[i] == '<' || s[i] == '>' {
			return i
		}
	}
	if len(s) <= 64 {
		return -1
	}
	if j := strings.IndexAny(s[64:], "<>"); j >= 0 {
		return 64 + j
	}
	return -1
}

// htmlRef reads an <a> or <img> tag's link, as
// `(?i)^<(?:a|img)\b[^>]*?\s(?:href|src)\s*=\s*["']([^"']*)["']` does
// (group 1) on the tag. A pattern per tag made a line of a hundred
// thousand tags cost 40 ms; this reads each byte of the tag about once.
func htmlRef(tag string) (string, bool) {
	var i int
	switch {
	case len(tag) >= 2 && tag[1]|0x20 == 'a':
		i = 2
	case len(tag) >= 4 && tag[1]|0x20 == 'i' && tag[2]|0x20 == 'm' && tag[3]|0x20 == 'g':
		i = 4
	default:
		return "", false
	}
	if i < len(tag) && isASCIIWord(tag[i]) { // \b
		return "", false
	}
	return htmlAttrValue(tag, i, refAttrName, false)
}

// htmlID reads a tag's id or name, as
// `(?i)^<[a-z][^>]*?\s(?:id|name)\s*=\s*["']([^"']+)["']` does (group 1).
func htmlID(tag string) (string, bool) {
	if len(tag) < 2 {
		return "", false
	}
	var i int
	switch {
	case isASCIILetter(tag[1]):
		i = 2
	case strings.HasPrefix(tag[1:], "\u017f"): // ſ folds to s
		i = 1 + len("\u017f")
	case strings.HasPrefix(tag[1:], "\u212a"): // the Kelvin sign folds to k
		i = 1 + len("\u212a")
	default:
		return "", false
	}
	return htmlAttrValue(tag, i, idAttrName, true)
}

// htmlAttrValue is `[^>]*?\s(?:NAME)\s*=\s*["']([^"']*)["']` on tag[i:]
// (`+` for `*` when nonEmpty), where name(tag, k) is the length of the
// NAME alternative at tag[k:] (0: none). The lazy `[^>]*?` tries each blank
// before the first '>' in turn; the rest of the pattern has one way to
// match (its repeats are followed by what they cannot match), so each try
// either matches or fails at once.
func htmlAttrValue(tag string, i int, name func(string, int) int, nonEmpty bool) (string, bool) {
	for j := i; j < len(tag) && tag[j] != '>'; j++ {
		if !isRegexpSpace(tag[j]) {
			continue
		}
		k := j + 1
		n := name(tag, k)
		if n == 0 {
			continue
		}
		k = skipRegexpSpace(tag, k+n)
		if k == len(tag) || tag[k] != '=' {
			continue
		}
		k = skipRegexpSpace(tag, k+1)
		if k == len(tag) || tag[k] != '"' && tag[k] != '\'' {
			continue
		}
		v := tag[k+1:]
		e := strings.IndexAny(v, `"'`)
		if e < 0 {
			return "", false // no quote after this one: no later try has two
		}
		if nonEmpty && e == 0 {
			continue
		}
		return v[:e], true
	}
	return "", false
}

// refAttrName: `(?i)href|src` at s[k:] (ſ folds to s).
func refAttrName(s string, k int) int {
	if hasFoldPrefix(s[k:], "href") {
		return 4
	}
	if strings.HasPrefix(s[k:], "\u017f") && hasFoldPrefix(s[k+2:], "rc") {
		return 4
	}
	if hasFoldPrefix(s[k:], "src") {
		return 3
	}
	return 0
}

// idAttrName: `(?i)id|name` at s[k:].
func idAttrName(s string, k int) int {
	if hasFoldPrefix(s[k:], "id") {
		return 2
	}
	if hasFoldPrefix(s[k:], "name") {
		return 4
	}
	return 0
}

// hasFoldPrefix: s starts with lower, an ASCII lower-case word, in either
// case (for letters whose only fold is their ASCII other case).
func hasFoldPrefix(s, lower string) bool {
	if len(s) < len(lower) {
		return false
	}
	for i := 0; i < len(lower); i++ {
		if s[i]|0x20 != lower[i] {
			return false
		}
	}
	return true
}

func isASCIIWord(c byte) bool {
	return isASCIILetter(c) || c >= '0' && c <= '9' || c == '_'
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

// eachMarkdownLine calls fn with the lines of a markdown doc outside code
// blocks, with their line numbers and inline code blanked; front matter is
// skipped (the scan starts after it, so YAML never reads as Markdown).
func eachMarkdownLine(ctx context.Context, content string, fn func(markdown.Line)) error {
	fm, _ := ParseFrontMatter(content) // problems are reported elsewhere
	off := 0
	for i := 0; i < fm.EndLine; i++ {
		k := strings.IndexByte(content[off:], '\n')
		if k < 0 {
			return ctx.Err()
		}
		off += k + 1
	}
	return markdown.Each(ctx, content[off:], func(l markdown.Line) bool {
		l.N += fm.EndLine
		fn(l)
		return true
	})
}

// refDefinition reads a link reference definition's destination, as
// `^ {0,3}\[[^\]]+\]:\s*(\S+)` does (group 1), without a pattern over
// the line: a megabyte line of "[" made that cost 60 ms.
func refDefinition(line string) (string, bool) {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) || line[i] != '[' {
		return "", false
	}
	j := strings.IndexByte(line[i+1:], ']')
	if j < 1 { // no "]", or "[]"
		return "", false
	}
	k := i + 1 + j + 1
	if k == len(line) || line[k] != ':' {
		return "", false
	}
	k = skipRegexpSpace(line, k+1)
	e := k
	for e < len(line) && !isRegexpSpace(line[e]) {
		e++
	}
	if e == k {
		return "", false
	}
	return line[k:e], true
}

func skipRegexpSpace(s string, i int) int {
	for i < len(s) && isRegexpSpace(s[i]) {
		i++
	}
	return i
}

// hasScheme reports whether target starts with a URL scheme and a colon:
// `^[a-zA-Z][a-zA-Z0-9+.-]*:`.
func hasScheme(target string) bool {
	if target == "" || !isASCIILetter(target[0]) {
		return false
	}
	for i := 1; i < len(target); i++ {
		switch c := target[i]; {
		case c == ':':
			return true
		case isASCIILetter(c) || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-':
		default:
			return false
		}
	}
	return false
}

func isASCIILetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

var (
	inlineLinkRE = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
	htmlTagRE    = regexp.MustCompile(`<[^>]+>`)
)

// Anchors returns the anchors a markdown doc defines, the way GitHub renders
// them: heading slugs (with -1, -2… for repeats) and explicit HTML id/name
// attributes, all lower-case.
//
// Anchors cannot be cancelled; see [AnchorsContext].
func Anchors(content string) map[string]bool {
	out, _ := AnchorsContext(context.Background(), content)
	return out
}

// AnchorsContext is [Anchors] that stops with ctx's error (wrapped), and
// the anchors read so far, when ctx is done before the doc is read. The
// doc is read in one pass, and every line test is written out (a regular
// expression per line made a doc of 262,144 headings cost half a second).
func AnchorsContext(ctx context.Context, content string) (map[string]bool, error) {
	out, _, err := anchors(ctx, content)
	return out, err
}

// MaxHeadings is how many headings of a doc are read for anchors. A doc
// with more has anchors nobody can know from a bounded read (GitHub
// numbers repeats from the top, so every heading counts): [Anchors]
// returns those of its first MaxHeadings headings and HTML ids before the
// next one, and [BrokenLinks] does not check "#anchor" links into it.
const MaxHeadings = 10000

// errTooManyHeadings stops the scan of a doc with more than MaxHeadings.
var errTooManyHeadings = errors.New("more than MaxHeadings headings")

// anchors is AnchorsContext that also says whether the doc's headings were
// all read (false past MaxHeadings).
func anchors(ctx context.Context, content string) (map[string]bool, bool, error) {
	n := min(strings.Count(content, "#")+strings.Count(content, "\n=")+strings.Count(content, "\n-"), MaxHeadings)
	out := make(map[string]bool, n)
	s := slugger{seen: make(map[string]int, n)}
	headings := 0
	prev := ""
	stop, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	heading := func(text string) {
		if headings++; headings > MaxHeadings {
			cancel(errTooManyHeadings)
			return
		}
		out[s.slug(text)] = true
	}
	err := eachMarkdownLine(stop, content, func(l markdown.Line) {
		if headings > MaxHeadings {
			return
		}
		line := l.Text
		if text, ok := atxHeadingText(line); ok {
			heading(text)
			prev = ""
			return
		}
		if isSetextUnderline(line) && strings.TrimSpace(prev) != "" {
			heading(strings.TrimSpace(prev))
			prev = ""
			return
		}
		for _, id := range htmlAttrs(line, htmlID) {
			out[strings.ToLower(id)] = true
		}
		if strings.TrimSpace(line) == "" || isListItemLine(line) || l.Quote {
			prev = ""
		} else {
			prev = line
		}
	})
	if headings > MaxHeadings {
		return out, false, nil
	}
	if err != nil {
		return out, false, fmt.Errorf("anchors: %w", err)
	}
	return out, true, nil
}

// atxHeadingText reads an ATX heading's text as
// `^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$` does (group 2):
// up to three spaces, one to six "#", then the end of the line or blanks
// and the text, without trailing blanks and without a closing run of "#"
// that follows a blank.
func atxHeadingText(line string) (string, bool) {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	h := i
	for i < len(line) && line[i] == '#' {
		i++
	}
	if n := i - h; n < 1 || n > 6 {
		return "", false
	}
	if i == len(line) {
		return "", true
	}
	if line[i] != ' ' && line[i] != '\t' {
		return "", false
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	text := strings.TrimRight(line[i:], " \t")
	j := len(text)
	for j > 0 && text[j-1] == '#' {
		j--
	}
	if j < len(text) && j > 0 && (text[j-1] == ' ' || text[j-1] == '\t') {
		text = strings.TrimRight(text[:j], " \t")
	}
	return text, true
}

// isSetextUnderline: `^ {0,3}(=+|-+)[ \t]*$`.
func isSetextUnderline(line string) bool {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) || line[i] != '=' && line[i] != '-' {
		return false
	}
	c := line[i]
	for i < len(line) && line[i] == c {
		i++
	}
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	return i == len(line)
}

// isListItemLine: `^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)`.
func isListItemLine(line string) bool {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	if i == len(line) {
		return false
	}
	switch c := line[i]; {
	case c == '-' || c == '*' || c == '+':
		i++
	case c >= '0' && c <= '9':
		d := i
		for i < len(line) && i-d < 10 && line[i] >= '0' && line[i] <= '9' {
			i++
		}
		if i-d > 9 || i == len(line) || line[i] != '.' && line[i] != ')' {
			return false
		}
		i++
	default:
		return false
	}
	return i == len(line) || isRegexpSpace(line[i])
}

// Slug is GitHub's anchor for a heading text: link and tag markup dropped,
// lower-cased, punctuation other than '-' and '_' removed, spaces → '-'.
func Slug(heading string) string {
	h := heading
	if strings.IndexByte(h, '[') >= 0 {
		h = inlineLinkRE.ReplaceAllString(h, "$1")
	}
	if strings.IndexByte(h, '<') >= 0 {
		h = htmlTagRE.ReplaceAllString(h, "")
	}
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
		res = base + "-" + strconv.Itoa(s.seen[base])
	}
	s.seen[res] = 0
	return res
}
