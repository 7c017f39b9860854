package reviews

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bmatcuk/doublestar/v4"
)

// CodeownersPaths are where GitHub looks for CODEOWNERS, in its order.
var CodeownersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// Codeowners is a parsed CODEOWNERS file.
type Codeowners struct {
	data  string // the file; rules point into it
	rules []ownerRule
	globs []string // globDir of the rules whose pattern has glob characters
}

// ownerRule is one "pattern owner..." line, as offsets into the file: a
// file of a quarter of a million one-word lines cost a slice of fields and
// a matcher of strings per line before. Owners stay the unsplit rest of
// the line until the rule matches. A rule holds no pointer, so the rules
// of a large file are one block the collector does not scan.
type ownerRule struct {
	pat, lit [2]int32 // orig and lit of the matcher
	owners   int32    // end of the owners: data[pat[1]:owners]
	glob     int32    // index into globs, -1 for a literal pattern
	flags    uint8
}

const (
	ruleNever uint8 = 1 << iota
	ruleDir
	ruleLiteral
	ruleAnchored
)

// matcher rebuilds the rule's compiled pattern (no allocation: every
// string is a slice of the file or of globs).
func (c *Codeowners) matcher(r *ownerRule) ownerMatcher {
	m := ownerMatcher{
		orig:     c.data[r.pat[0]:r.pat[1]],
		lit:      c.data[r.lit[0]:r.lit[1]],
		never:    r.flags&ruleNever != 0,
		dir:      r.flags&ruleDir != 0,
		literal:  r.flags&ruleLiteral != 0,
		anchored: r.flags&ruleAnchored != 0,
	}
	if r.glob >= 0 {
		m.globDir = c.globs[r.glob]
	}
	return m
}

// ownerMatcher is a CODEOWNERS pattern prepared once, so Owners (rules ×
// paths) builds no strings per match, and a pattern without glob
// characters — most of them, and every line of a hostile file of anything
// else — is compared as a string instead of through doublestar.
//
// A literal pattern builds no string at all (lit is a slice of orig), so a
// rule costs no allocation of its own.
type ownerMatcher struct {
	orig     string // the pattern as written
	lit      string // the pattern without slashes at its ends
	globDir  string // glob + "/**"; the glob is globDir without its last 3 bytes
	never    bool   // "" or "/": matches nothing
	dir      bool   // trailing "/": only a directory's contents
	literal  bool   // no glob characters
	anchored bool
}

// glob is the pattern, "**/"-prefixed when unanchored.
func (m *ownerMatcher) glob() string { return m.globDir[:len(m.globDir)-len("/**")] }

func compileOwnerPattern(pattern string) ownerMatcher {
	dir := strings.HasSuffix(pattern, "/")
	p := strings.TrimSuffix(pattern, "/")
	anchored := strings.HasPrefix(p, "/") || strings.Contains(p, "/")
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return ownerMatcher{never: true}
	}
	m := ownerMatcher{orig: pattern, dir: dir, anchored: anchored, lit: p, literal: !strings.ContainsAny(p, "*?[]{}\\") && !strings.Contains(p, "//")}
	if m.literal {
		return m // no strings to build: match compares lit
	}
	if !anchored {
		p = "**/" + p
	}
	m.globDir = p + "/**"
	return m
}

// match is matchOwnerPattern(pattern, path) for the compiled pattern.
func (m *ownerMatcher) match(path string) bool {
	if m.never {
		return false
	}
	path = strings.TrimPrefix(path, "/")
	if m.literal && (strings.HasSuffix(path, "/") || strings.Contains(path, "//")) {
		return matchOwnerPattern(m.orig, path) // odd paths: the slow, exact way
	}
	if m.literal {
		// The file itself (unless dir) or anything under it; unanchored
		// at any depth.
		if !m.anchored {
			for i := 0; ; {
				if literalAt(path[i:], m.lit, m.dir) {
					return true
				}
				k := strings.IndexByte(path[i:], '/')
				if k < 0 {
					return false
				}
				i += k + 1
			}
		}
		return literalAt(path, m.lit, m.dir)
	}
	if !m.dir {
		if ok, _ := doublestar.Match(m.glob(), path); ok {
			return true
		}
	}
	ok, _ := doublestar.Match(m.globDir, path)
	return ok
}

// literalAt: path is lit or lies under it (doublestar's "lit/**" matches
// lit itself, so a trailing "/" in the pattern changes nothing here).
func literalAt(path, lit string, _ bool) bool {
	if !strings.HasPrefix(path, lit) {
		return false
	}
	rest := path[len(lit):]
	return rest == "" || len(rest) > 1 && rest[0] == '/'
}

// ParseCodeowners reads a CODEOWNERS file: "pattern owner..." lines, #
// comments, blank lines. Owners are @login, @org/team or an e-mail address
// (kept, but Owners drops them: a review cannot be requested by e-mail). A
// pattern with no owners is kept: it clears ownership of its files.
//
// GitHub reads a CODEOWNERS file under 3 MB and ignores a larger one, so
// the file is not capped here; it is read line by line in place, and a
// line costs one rule value (no strings, no slices) unless its pattern has
// glob characters.
func ParseCodeowners(data string) Codeowners {
	c, _ := ParseCodeownersContext(context.Background(), data)
	return c
}

// checkEvery is how many lines ParseCodeownersContext reads, and how many
// rules OwnersContext tries, between two looks at the context.
const checkEvery = 4096

// ParseCodeownersContext is [ParseCodeowners] that gives up with ctx's
// error when ctx is done before the file is read.
//
// A pattern with glob characters is compiled once however often the file
// repeats it: its rules share one entry of globs, so [Codeowners.Owners]
// also matches it once per path.
func ParseCodeownersContext(ctx context.Context, data string) (Codeowners, error) {
	if len(data) >= MaxCodeowners {
		return Codeowners{}, nil // GitHub does not load it either
	}
	c := Codeowners{data: data}
	if n := countRules(data); n > 0 {
		c.rules = make([]ownerRule, 0, n)
	}
	var globOf map[string]int32 // pattern → index into globs
	for pos, n := 0, 0; pos < len(data); n++ {
		if n%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return Codeowners{}, fmt.Errorf("read CODEOWNERS: %w", err)
			}
		}
		off, line, size, ok := nextRule(data, pos)
		pos += size + 1
		if !ok {
			continue
		}
		end := indexSpace(line)
		if end < 0 {
			end = len(line)
		}
		pattern := line[:end]
		o := int32(off)
		r := ownerRule{pat: [2]int32{o, o + int32(end)}, lit: [2]int32{o, o}, owners: o + int32(len(line)), glob: -1}
		// compileOwnerPattern, written out so that a rule builds nothing
		// until its pattern turns out to have glob characters.
		p := pattern
		if strings.HasSuffix(p, "/") {
			r.flags |= ruleDir
			p = p[:len(p)-1]
		}
		if strings.IndexByte(p, '/') >= 0 {
			r.flags |= ruleAnchored
		}
		k := int32(0)
		if strings.HasPrefix(p, "/") {
			p, k = p[1:], 1
		}
		switch {
		case p == "":
			r.flags = ruleNever
		case !strings.ContainsAny(p, "*?[]{}\\") && !strings.Contains(p, "//"):
			r.flags |= ruleLiteral
			r.lit = [2]int32{o + k, o + k + int32(len(p))}
		default:
			r.lit = [2]int32{o + k, o + k + int32(len(p))}
			gi, seen := globOf[pattern]
			if !seen {
				if globOf == nil {
					globOf = map[string]int32{}
				}
				gi = int32(len(c.globs))
				globOf[pattern] = gi
				c.globs = append(c.globs, compileOwnerPattern(pattern).globDir)
			}
			r.glob = gi
		}
		c.rules = append(c.rules, r)
	}
	return c, nil
}

// MaxCodeowners is the size from which a CODEOWNERS file is ignored, as
// GitHub ignores it: "CODEOWNERS files must be under 3 MB in size. A
// CODEOWNERS file over this limit will not be loaded" (GitHub Docs, About
// code owners). It also keeps the rules' 32-bit offsets in range.
const MaxCodeowners = 3 << 20

func lineLen(s string) int {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return i
	}
	return len(s)
}

// nextRule reads the line at data[pos:], of size bytes: without a " #"
// comment and the blanks before its first field, it is the rule text, at
// offset off of data; ok is false for a blank or comment line.
func nextRule(data string, pos int) (off int, line string, size int, ok bool) {
	size = lineLen(data[pos:])
	line = data[pos : pos+size]
	if i := strings.Index(line, " #"); i >= 0 {
		line = line[:i]
	}
	t := trimLeftSpace(line)
	if t == "" || t[0] == '#' {
		return 0, "", size, false
	}
	return pos + len(line) - len(t), t, size, true
}

// countRules is how many rules ParseCodeowners will keep, or a little
// more (a line that starts with a non-ASCII blank counts), so their slice
// is allocated once. A line counts unless its first byte that is not an
// ASCII blank is '#' or the end of the line: nextRule drops no other.
func countRules(data string) int {
	n := 0
	for pos := 0; pos < len(data); {
		i := pos
		for i < len(data) && asciiSpace[data[i]] && data[i] != '\n' {
			i++
		}
		if i < len(data) && data[i] != '\n' && data[i] != '#' {
			n++
		}
		k := strings.IndexByte(data[i:], '\n')
		if k < 0 {
			break
		}
		pos = i + k + 1
	}
	return n
}

// asciiSpace: the ASCII bytes unicode.IsSpace accepts.
var asciiSpace = [256]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// indexSpace is strings.IndexFunc(s, unicode.IsSpace), ASCII byte by byte.
func indexSpace(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if asciiSpace[c] {
				return i
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return i
		}
		i += n
	}
	return -1
}

// trimLeftSpace is strings.TrimLeftFunc(s, unicode.IsSpace), ASCII byte
// by byte.
func trimLeftSpace(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !asciiSpace[c] {
				return s[i:]
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) {
			return s[i:]
		}
		i += n
	}
	return ""
}

// Owners returns the owners of the paths: for each path the last matching
// rule wins (as on GitHub); the union is returned in first-seen order,
// without e-mail owners, "@" included ("@alice", "@org/team").
func (c Codeowners) Owners(paths []string) []string {
	out, _ := c.OwnersContext(context.Background(), paths)
	return out
}

// OwnersContext is [Codeowners.Owners] that gives up with ctx's error when
// ctx is done before every path is matched.
//
// A literal rule is compared in place (no matcher is built), and a glob
// is matched at most once per path however many rules share it.
func (c Codeowners) OwnersContext(ctx context.Context, paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	tried := 0
	var globHit []uint8 // per glob for this path: 0 not tried, 1 no, 2 yes
	var segs []string
	if len(c.globs) > 0 {
		globHit = make([]uint8, len(c.globs))
	}
	for _, p := range paths {
		clear(globHit)
		q := strings.TrimPrefix(p, "/")
		odd := strings.HasSuffix(q, "/") || strings.Contains(q, "//") // literal rules take the slow, exact way
		segs = append(segs[:0], strings.Split(q, "/")...)
		for i := len(c.rules) - 1; i >= 0; i-- {
			if tried++; tried%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return nil, fmt.Errorf("match CODEOWNERS: %w", err)
				}
			}
			r := &c.rules[i]
			var hit bool
			switch {
			case r.flags&ruleNever != 0:
			case r.flags&ruleLiteral != 0 && !odd:
				hit = literalMatch(q, c.data[r.lit[0]:r.lit[1]], r.flags&ruleAnchored != 0, segs)
			case r.glob >= 0:
				if globHit[r.glob] == 0 {
					m := c.matcher(r)
					globHit[r.glob] = 1
					if m.match(p) {
						globHit[r.glob] = 2
					}
				}
				hit = globHit[r.glob] == 2
			default:
				m := c.matcher(r)
				hit = m.match(p)
			}
			if !hit {
				continue
			}
			for _, o := range strings.Fields(c.data[r.pat[1]:r.owners]) {
				if strings.HasPrefix(o, "@") && !seen[strings.ToLower(o)] {
					seen[strings.ToLower(o)] = true
					out = append(out, o)
				}
			}
			break
		}
	}
	return out, nil
}

// literalMatch is ownerMatcher.match for a literal pattern lit on a path
// already without its leading "/" and with no "//" or trailing "/"; segs
// are the path's "/"-separated segments. An anchored lit must be the path
// or lie above it; an unanchored one has no "/" (any "/" anchors a
// pattern), so lying at the start of a segment and ending at its end, it
// must be one of the segments.
func literalMatch(path, lit string, anchored bool, segs []string) bool {
	if anchored {
		return literalAt(path, lit, false)
	}
	for _, s := range segs {
		if s == lit {
			return true
		}
	}
	return false
}

// matchOwnerPattern follows gitignore rules as GitHub applies them: a
// leading or inner "/" anchors the pattern at the root, otherwise it
// matches at any depth; a trailing "/" matches a directory's contents; a
// pattern also matches everything under a directory it names.
func matchOwnerPattern(pattern, path string) bool {
	path = strings.TrimPrefix(path, "/")
	dir := strings.HasSuffix(pattern, "/")
	p := strings.TrimSuffix(pattern, "/")
	anchored := strings.HasPrefix(p, "/") || strings.Contains(p, "/")
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return false
	}
	if !anchored {
		p = "**/" + p
	}
	if !dir {
		if ok, _ := doublestar.Match(p, path); ok {
			return true
		}
	}
	ok, _ := doublestar.Match(p+"/**", path)
	return ok
}
