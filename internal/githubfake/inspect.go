package githubfake

import "time"

// RepoInfo is a read-only view of a repository, for building webhook
// payloads that agree with what the REST API answers.
type RepoInfo struct {
	ID             int64
	Owner, Name    string
	OwnerID        int64
	OwnerType      string
	Installation   int64
	DefaultBranch  string
	Private        bool
	HasDiscussions bool
}

// Repo returns a repository's view; ok is false when it does not exist.
func (s *Server) Repo(owner, name string) (RepoInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[repoKey(owner, name)]
	if rp == nil {
		return RepoInfo{}, false
	}
	return RepoInfo{ID: rp.id, Owner: rp.owner.login, Name: rp.name, OwnerID: rp.owner.id, OwnerType: rp.owner.typ,
		Installation: rp.inst, DefaultBranch: rp.defaultBranch, Private: rp.private, HasDiscussions: rp.hasDiscussions}, true
}

// PRInfo is a read-only view of a pull request.
type PRInfo struct {
	ID, IssueID      int64 // the pull request's and its issue's IDs
	Number           int
	Title, Body      string
	Author           string
	Head, Base       string
	HeadSHA, BaseSHA string
	State            string // open, closed
	Draft, Merged    bool
	MergeCommitSHA   string
	Labels           []string
	Requested        []string // pending reviewers: logins, and "org/team-slug" for teams
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// PR returns a pull request's view; ok is false when it does not exist.
func (s *Server) PR(owner, name string, number int) (PRInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[repoKey(owner, name)]
	if rp == nil || rp.issues[number] == nil || rp.issues[number].pr == nil {
		return PRInfo{}, false
	}
	is := rp.issues[number]
	pr := is.pr
	out := PRInfo{ID: is.id + 1_000_000, IssueID: is.id, Number: is.number, Title: is.title, Body: is.body,
		Author: is.user.login, Head: pr.head, Base: pr.base, HeadSHA: s.headSHA(rp, is), BaseSHA: s.baseSHA(rp, is),
		State: is.state, Draft: pr.draft, Merged: pr.merged, MergeCommitSHA: pr.mergeSHA,
		CreatedAt: is.created, UpdatedAt: is.updated}
	for _, l := range is.labels {
		out.Labels = append(out.Labels, l.name)
	}
	for _, rq := range pr.requested {
		if rq.user != nil {
			out.Requested = append(out.Requested, rq.user.login)
		} else {
			out.Requested = append(out.Requested, rq.team.org+"/"+rq.team.slug)
		}
	}
	return out, true
}
