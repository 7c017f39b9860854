package config

import (
	"path"
	"strings"
)

// Sources is the `policy` block: which other repositories policy files may
// be read from. It is honoured only in the org default (overlap.yml in the
// org's .github repository): the list exists so that org owners, not the
// people who can edit one repository's policy, decide which files a
// repository's policy may pull in (and so show, in its effective settings,
// on that repository's checks). A repository file that sets it gets a
// problem, and a PR cannot add to it because the list is always read from
// the org repository's default branch.
type Sources struct {
	// ExtendsAllowed lists repositories ("owner/repo") whose files any
	// repository of the org may name in `extends:` or `remote:`. The org
	// default itself (`extends: org`) and a repository's own files never
	// need listing.
	ExtendsAllowed []string `yaml:"extends_allowed"`
}

// maxRepoList bounds the repository lists of a policy; each entry may cost
// a read on some events, and a long list is a sign of a mistake.
const maxRepoList = 20

func defaultSources() Sources { return Sources{} }

func (s Sources) validate(report func(key, msg, hint string)) {
	validateRepoList(report, "policy.extends_allowed", s.ExtendsAllowed, false)
}

// Allows reports whether owner/repo is on the allow-list, ignoring case
// (GitHub names are case-insensitive).
func (s Sources) Allows(owner, repo string) bool {
	for _, e := range s.ExtendsAllowed {
		r, err := ParseRepoRef(e)
		if err == nil && strings.EqualFold(r.Owner, owner) && strings.EqualFold(r.Repo, repo) {
			return true
		}
	}
	return false
}

// RepoRef is an entry of a repository list: "owner/repo", or with
// allowDir "owner/repo/dir" (a directory inside it).
type RepoRef struct {
	Owner, Repo string
	Dir         string // "" when not given
}

func (r RepoRef) String() string {
	s := r.Owner + "/" + r.Repo
	if r.Dir != "" {
		s += "/" + r.Dir
	}
	return s
}

const repoRefHint = "write repositories as owner/repo"

// ParseRepoRef parses "owner/repo" (no directory).
func ParseRepoRef(s string) (RepoRef, error) {
	r, err := parseRepoRef(s, false)
	return r, err
}

// ParseLinkedRepository parses an adr.linked_repositories entry:
// "owner/repo" (records in its docs/adr) or "owner/repo/dir".
func ParseLinkedRepository(s string) (RepoRef, error) {
	r, err := parseRepoRef(s, true)
	if err == nil && r.Dir == "" {
		r.Dir = DefaultADRDirectory
	}
	return r, err
}

func parseRepoRef(s string, allowDir bool) (RepoRef, error) {
	hint := repoRefHint
	if allowDir {
		hint = "write owner/repo, or owner/repo/dir for records outside docs/adr"
	}
	v := strings.TrimSpace(s)
	parts := strings.SplitN(v, "/", 3)
	if len(parts) < 2 || !ownerRe.MatchString(parts[0]) || !repoRe.MatchString(parts[1]) || parts[1] == "." || parts[1] == ".." {
		return RepoRef{}, badValue(hint, "bad repository %q", s)
	}
	r := RepoRef{Owner: parts[0], Repo: parts[1]}
	if len(parts) == 3 {
		if !allowDir {
			return RepoRef{}, badValue(hint, "bad repository %q: a repository, not a path", s)
		}
		dir := strings.Trim(parts[2], "/")
		clean := path.Clean(dir)
		if dir == "" || clean != dir || clean == "." || clean == ".." || strings.HasPrefix(clean, "../") {
			return RepoRef{}, badValue(hint, "bad repository %q: bad directory", s)
		}
		r.Dir = clean
	}
	return r, nil
}

func validateRepoList(report func(key, msg, hint string), key string, list []string, allowDir bool) {
	if len(list) > maxRepoList {
		report(key, "too many repositories (at most 20)", "list only the repositories that are needed")
	}
	seen := map[string]bool{}
	for i, e := range list {
		r, err := parseRepoRef(e, allowDir)
		if err != nil {
			ve := err.(*valueError)
			report(indexKey(key, i), ve.msg, ve.hint)
			continue
		}
		k := strings.ToLower(r.String())
		if seen[k] {
			report(indexKey(key, i), "listed twice", "")
		}
		seen[k] = true
	}
}
