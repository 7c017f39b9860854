package reviews

import (
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// CodeownersPaths are where GitHub looks for CODEOWNERS, in its order.
var CodeownersPaths = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"}

// Codeowners is a parsed CODEOWNERS file.
type Codeowners struct{ rules []ownerRule }

type ownerRule struct {
	pattern string
	owners  []string
	m       ownerMatcher // pattern, compiled once by ParseCodeowners
}

// ownerMatcher is a CODEOWNERS pattern prepared once, so Owners (rules ×
// paths) builds no strings per match, and a pattern without glob
// characters — most of them, and every line of a hostile file of anything
// else — is compared as a string instead of through doublestar.
type ownerMatcher struct {
	never    bool   // "" or "/": matches nothing
	glob     string // the pattern, "**/"-prefixed when unanchored
	globDir  string // glob + "/**"
	dir      bool   // trailing "/": only a directory's contents
	literal  bool   // no glob characters
	lit      string // the pattern without slashes at its ends
	anchored bool
	orig     string // the pattern as written
}

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
	m.glob, m.globDir = p, p+"/**"
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
		if ok, _ := doublestar.Match(m.glob, path); ok {
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
func ParseCodeowners(data string) Codeowners {
	var c Codeowners
	for _, line := range strings.Split(data, "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		c.rules = append(c.rules, ownerRule{pattern: fields[0], owners: fields[1:], m: compileOwnerPattern(fields[0])})
	}
	return c
}

// Owners returns the owners of the paths: for each path the last matching
// rule wins (as on GitHub); the union is returned in first-seen order,
// without e-mail owners, "@" included ("@alice", "@org/team").
func (c Codeowners) Owners(paths []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		for i := len(c.rules) - 1; i >= 0; i-- {
			if !c.rules[i].m.match(p) {
				continue
			}
			for _, o := range c.rules[i].owners {
				if strings.HasPrefix(o, "@") && !seen[strings.ToLower(o)] {
					seen[strings.ToLower(o)] = true
					out = append(out, o)
				}
			}
			break
		}
	}
	return out
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
