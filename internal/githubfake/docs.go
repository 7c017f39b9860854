package githubfake

import "sort"

// IssueInfo is a read-only view of an issue (not a pull request).
type IssueInfo struct {
	Number      int
	Title, Body string
	Author      string
	State       string // open, closed
	StateReason string
	Labels      []string
	Assignees   []string
}

// Issues returns the repository's issues (pull requests excluded), by
// number. Tests of the docs tracking issue assert on it.
func (s *Server) Issues(owner, name string) []IssueInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[repoKey(owner, name)]
	if rp == nil {
		return nil
	}
	var out []IssueInfo
	for _, is := range rp.issues {
		if is.pr != nil {
			continue
		}
		info := IssueInfo{Number: is.number, Title: is.title, Body: is.body, Author: is.user.login, State: is.state, StateReason: is.stateReason}
		for _, l := range is.labels {
			info.Labels = append(info.Labels, l.name)
		}
		for _, a := range is.assignees {
			info.Assignees = append(info.Assignees, a.login)
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}
