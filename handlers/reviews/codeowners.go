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
		c.rules = append(c.rules, ownerRule{pattern: fields[0], owners: fields[1:]})
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
			if !matchOwnerPattern(c.rules[i].pattern, p) {
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
