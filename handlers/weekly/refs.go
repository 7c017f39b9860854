package weekly

import "strings"

// Ref is something a blocker names: a PR or issue (Repo "" for "#12", the
// thread's own repository) or a person (Login).
type Ref struct {
	Repo   string
	Number int
	Login  string
}

// maxRefs bounds the references read from one blocker: each may cost the
// caller a lookup.
const maxRefs = 5

// BlockerRefs finds the PRs, issues and people a blocker names: "#12",
// "owner/repo#12", "https://github.com/owner/repo/pull/12" (or /issues/)
// and "@login". The caller resolves them to who can unblock (requested
// reviewers, assignees). One pass over the item, which ParseReply has
// already capped; at most maxRefs results.
func BlockerRefs(item string) []Ref {
	var out []Ref
	for i := 0; i < len(item) && len(out) < maxRefs; i++ {
		switch c := item[i]; {
		case c == '#':
			n, end := number(item, i+1)
			if n == 0 {
				continue
			}
			repo := repoBefore(item, i)
			out = append(out, Ref{Repo: repo, Number: n})
			i = end - 1
		case c == '@' && (i == 0 || !wordByte(item[i-1])):
			j := i + 1
			for j < len(item) && j-i <= 39 && (isAlnum(item[j]) || item[j] == '-') {
				j++
			}
			if j > i+1 && (j == len(item) || item[j] != '/') {
				out = append(out, Ref{Login: item[i+1 : j]})
			}
			i = j - 1
		case c == 'h' && strings.HasPrefix(item[i:], "https://github.com/"):
			j := i + len("https://github.com/")
			k := j
			for k < len(item) && k-j < 200 && item[k] != ' ' && item[k] != ')' && item[k] != '>' {
				k++
			}
			parts := strings.Split(item[j:k], "/")
			if len(parts) >= 4 && (parts[2] == "pull" || parts[2] == "issues") {
				if n, end := number(parts[3], 0); n > 0 && end == len(parts[3]) || n > 0 && end < len(parts[3]) && parts[3][end] == '#' {
					out = append(out, Ref{Repo: parts[0] + "/" + parts[1], Number: n})
				}
			}
			i = k - 1
		}
	}
	return out
}

// number reads up to 9 digits at s[i:].
func number(s string, i int) (int, int) {
	n, j := 0, i
	for j < len(s) && j-i < 9 && s[j] >= '0' && s[j] <= '9' {
		n = n*10 + int(s[j]-'0')
		j++
	}
	if j < len(s) && wordByte(s[j]) {
		return 0, j
	}
	return n, j
}

// repoBefore returns "owner/repo" ending at s[:i], or "" (a bare #12). It
// looks back at most 140 bytes.
func repoBefore(s string, i int) string {
	j := i
	for j > 0 && i-j < 140 && (isAlnum(s[j-1]) || strings.IndexByte("-_./", s[j-1]) >= 0) {
		j--
	}
	cand := s[j:i]
	owner, repo, ok := strings.Cut(cand, "/")
	if !ok || owner == "" || repo == "" || strings.Contains(repo, "/") {
		return ""
	}
	return cand
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func wordByte(c byte) bool { return isAlnum(c) || c == '_' }
