package adr

import (
	"net/url"
	"path"
	"strings"
)

// MaxLinkCandidates bounds how many linked records the handler confirms
// (one API call each) for one PR body.
const MaxLinkCandidates = 5

// LinkedRef is an ADR referenced from a PR body. Ref is set only for blob
// URLs; otherwise the handler looks the file up on the repository's default
// branch.
type LinkedRef struct {
	Owner, Repo string
	Path        string // repo-relative, e.g. "docs/adr/0003-use-postgres.md"
	Ref         string
}

func (l LinkedRef) key() string {
	return strings.ToLower(l.Owner+"/"+l.Repo) + ":" + l.Path + "@" + l.Ref
}

// LinkCandidates returns the ADR files a PR body points at, in order of
// appearance, without duplicates and at most MaxLinkCandidates of them:
//
//	docs/adr/0003-x.md                                 (this repository)
//	owner/repo:docs/adr/0003-x.md
//	owner/repo/docs/adr/0003-x.md
//	https://github.com/owner/repo/blob/<ref>/docs/adr/0003-x.md
//
// Only Markdown files under dir count. Whether a file exists is for the
// handler to confirm; pass the confirmed ones to Decide as Input.Linked.
func LinkCandidates(body, owner, repo, dir string) []LinkedRef {
	dir = cleanDir(dir)
	if dir == "" {
		return nil
	}
	var out []LinkedRef
	seen := map[string]bool{}
	for _, tok := range strings.FieldsFunc(body, isLinkSeparator) {
		ref, ok := classifyLink(tok, owner, repo, dir)
		if !ok || seen[ref.key()] {
			continue
		}
		seen[ref.key()] = true
		out = append(out, ref)
		if len(out) == MaxLinkCandidates {
			break
		}
	}
	return out
}

func isLinkSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '(', ')', '[', ']', '<', '>', '"', '\'', '`', '|', '*':
		return true
	}
	return false
}

func classifyLink(tok, owner, repo, dir string) (LinkedRef, bool) {
	tok = strings.TrimRight(tok, ".,;:!?")
	if i := strings.IndexAny(tok, "#?"); i >= 0 {
		tok = tok[:i]
	}
	if tok == "" {
		return LinkedRef{}, false
	}
	if u, err := url.Parse(tok); err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		// https://host/owner/repo/blob/<ref>/<dir>/<file>; the ref may contain
		// slashes, so the ADR directory decides where it ends.
		p, err := url.PathUnescape(u.EscapedPath())
		if err != nil {
			return LinkedRef{}, false
		}
		parts := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 4)
		if len(parts) < 4 || parts[2] != "blob" {
			return LinkedRef{}, false
		}
		rest := parts[3]
		i := strings.Index(rest, "/"+dir+"/")
		if i <= 0 {
			return LinkedRef{}, false
		}
		return checkedRef(parts[0], parts[1], rest[i+1:], rest[:i], dir)
	}
	if i := strings.IndexByte(tok, ':'); i > 0 {
		or := strings.Split(tok[:i], "/")
		if len(or) != 2 {
			return LinkedRef{}, false
		}
		return checkedRef(or[0], or[1], tok[i+1:], "", dir)
	}
	rel := strings.TrimPrefix(strings.TrimPrefix(tok, "./"), "/")
	if strings.HasPrefix(rel, dir+"/") {
		return checkedRef(owner, repo, rel, "", dir)
	}
	parts := strings.SplitN(tok, "/", 3)
	if len(parts) == 3 && strings.HasPrefix(parts[2], dir+"/") {
		return checkedRef(parts[0], parts[1], parts[2], "", dir)
	}
	return LinkedRef{}, false
}

func checkedRef(owner, repo, p, ref, dir string) (LinkedRef, bool) {
	if !validName(owner) || !validName(repo) {
		return LinkedRef{}, false
	}
	if unescaped, err := url.PathUnescape(p); err == nil {
		p = unescaped
	}
	clean := path.Clean(p)
	if clean != p || !strings.HasPrefix(clean, dir+"/") || !strings.HasSuffix(strings.ToLower(clean), ".md") {
		return LinkedRef{}, false
	}
	return LinkedRef{Owner: owner, Repo: repo, Path: clean, Ref: ref}, true
}

// validName accepts GitHub owner and repository names.
func validName(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
