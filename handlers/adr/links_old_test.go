package adr

import "strings"

// oldLinkCandidates is LinkCandidates as it was before it walked the body
// in place (strings.FieldsFunc built a slice of every token, and every
// token went through classifyLink): TestLinkCandidatesMatchesOld holds the
// new one to it.
func oldLinkCandidates(body, owner, repo, dir string) []LinkedRef {
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
