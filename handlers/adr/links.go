package adr

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/overlaphq/overlap/config"
)

// MaxLinkCandidates bounds how many links of one PR body are judged: each
// costs at most one contents read, and only while none has counted yet.
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
	// The tokens strings.FieldsFunc(body, isLinkSeparator) would return,
	// walked in place (every separator is ASCII, so bytes do), and only
	// those with a "/" classified: every form above has one, and a
	// megabyte of "- " or "<!--" was half a million tokens through
	// url.Parse.
	for i := 0; i < len(body); {
		for i < len(body) && isLinkSeparator(rune(body[i])) {
			i++
		}
		j, slash := i, false
		for j < len(body) && !isLinkSeparator(rune(body[j])) {
			slash = slash || body[j] == '/'
			j++
		}
		tok := body[i:j]
		i = j
		if !slash {
			continue
		}
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

// Where a linked record lives, as the policy sees it.
const (
	linkOutside = iota // neither this repository's ADR directory nor an allowed one
	linkOwn            // this repository's ADR directory
	linkAllowed        // the directory of a repository in adr.linked_repositories
)

// LinkCheck is a link from the PR body and where it points.
type LinkCheck struct {
	Ref   LinkedRef
	Scope int // linkOutside, linkOwn or linkAllowed
}

// LinkNote says why a linked record does not count. It is written into
// this repository's check and comment, so it never says anything about a
// repository the PR's author may not be able to see.
type LinkNote struct {
	Ref LinkedRef
	Why string
}

// PlanLinks returns the links of the PR body to judge, at most
// MaxLinkCandidates (each may cost one read): links into this repository's
// ADR directory and into the directory of each repository the policy's
// adr.linked_repositories lists, and, so they can be answered, links to
// ADR-looking files anywhere else.
func PlanLinks(body string, pr PR, s Settings) []LinkCheck {
	s = s.normalized()
	allowed := s.linkedRepositories()
	dirs := []string{s.Directory}
	for _, a := range allowed {
		if !containsString(dirs, a.Dir) {
			dirs = append(dirs, a.Dir)
		}
	}
	var out []LinkCheck
	seen := map[string]bool{}
	for _, dir := range dirs {
		for _, c := range LinkCandidates(body, pr.Owner, pr.Repo, dir) {
			k := c.key()
			if seen[k] {
				continue
			}
			seen[k] = true
			lc := LinkCheck{Ref: c, Scope: linkOutside}
			switch {
			case equalFold(c.Owner, pr.Owner) && equalFold(c.Repo, pr.Repo):
				if inDir(c.Path, s.Directory) {
					lc.Scope = linkOwn
				}
			default:
				for _, a := range allowed {
					if equalFold(c.Owner, a.Owner) && equalFold(c.Repo, a.Repo) && inDir(c.Path, a.Dir) {
						lc.Scope = linkAllowed
					}
				}
			}
			out = append(out, lc)
			if len(out) == MaxLinkCandidates {
				return out
			}
		}
	}
	return out
}

// JudgeLink decides whether a linked record counts: it must be a complete
// record by the same rules as one the PR adds (title, required sections
// with text, a valid status), read at this repository's base branch (own
// records) or the allowed repository's default branch. listed says the
// file is in the base branch's listing of the ADR directory (own records
// only); text is the file's content, nil when it could not be read.
//
// What the answer may say depends on who can read the file: for this
// repository's records the author can, so the note names what is wrong;
// for another repository it is the same sentence whether the file is
// missing, unreadable or incomplete; and for links elsewhere the file is
// never read, so the note cannot reveal whether it exists.
func JudgeLink(c LinkCheck, listed bool, text *string, s Settings) (bool, string) {
	s = s.normalized()
	switch c.Scope {
	case linkOutside:
		return false, fmt.Sprintf("links outside this repository's `%s/` directory%s do not count", s.Directory, allowedPhrase(s))
	case linkAllowed:
		if text == nil || !completeRecord(c.Ref.Path, *text, s) {
			return false, "not counted: Overlap did not find a complete decision record there on that repository's default branch"
		}
		return true, ""
	}
	if !listed || text == nil {
		return false, fmt.Sprintf("there is no such record in `%s/` on the base branch", s.Directory)
	}
	if probs := recordProblems(c.Ref.Path, *text, s); len(probs) > 0 {
		return false, "the record is incomplete: " + strings.Join(probs, "; ")
	}
	return true, ""
}

func allowedPhrase(s Settings) string {
	if len(s.LinkedRepositories) == 0 {
		return ""
	}
	return " (and those of the repositories in the policy's adr.linked_repositories)"
}

// maxLinkProblems bounds the problems a note lists for an own record.
const maxLinkProblems = 3

// recordProblems are the failures Check finds in a linked record, except
// those about its relation to other records (number collisions and
// supersede targets), which judge a new record's place, not whether an
// existing one is complete. Naming rules are off: the record is already
// accepted on the base branch.
func recordProblems(p, text string, s Settings) []string {
	rec, err := ParseRecord(p, text)
	if err != nil {
		return []string{"it cannot be read"}
	}
	var out []string
	for _, a := range check(rec, s, nil, checkOpts{existing: true}) {
		if a.Level != LevelFailure || a.Title == "Unknown record" || a.Title == "Number already used" {
			continue
		}
		if len(out) == maxLinkProblems {
			out = append(out, "…")
			break
		}
		out = append(out, fmt.Sprintf("line %d: %s", a.Line, strings.TrimSuffix(a.Message, ".")))
	}
	return out
}

func completeRecord(p, text string, s Settings) bool {
	return len(recordProblems(p, text, s)) == 0
}

// linkedRepositories parses adr.linked_repositories (config validated it;
// entries that do not parse are dropped).
func (s Settings) linkedRepositories() []config.RepoRef {
	var out []config.RepoRef
	for _, e := range s.LinkedRepositories {
		if r, err := config.ParseLinkedRepository(e); err == nil {
			out = append(out, r)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
