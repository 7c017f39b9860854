package githubfake

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// pull is the pull-request part of an issue.
type pull struct {
	head, base       string
	headSHA, baseSHA string // frozen when closed; live from the branches while open
	draft            bool
	merged           bool
	mergedAt         time.Time
	mergeSHA         string
	mergedBy         *user
	reviews          []*review
	requested        []*reviewRequest // pending requests
	requestLog       []*reviewRequest // every request ever made (timeline)
	readyLog         []readyEvent     // every draft → ready for review (timeline)
}

type review struct {
	id        int64
	user      *user
	state     string // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED
	body      string
	submitted time.Time
	commit    string
}

type reviewRequest struct {
	user *user
	team *team
	at   time.Time
	by   *user
}

// PRSpec describes a pull request made by OpenPR.
type PRSpec struct {
	Number      int // 0 = next free number
	Title, Body string
	Author      string // default "octocat"
	Head, Base  string // branches; Base defaults to the default branch
	Draft       bool
	Labels      []string
	CreatedAt   time.Time // default Options.Now()
}

// ReviewSpec describes a review submitted by SubmitReview.
type ReviewSpec struct {
	User        string
	State       string // APPROVED, CHANGES_REQUESTED, COMMENTED (or approve, request_changes, comment)
	Body        string
	SubmittedAt time.Time // default Options.Now()
}

// ReviewRequestSpec describes reviewers requested by RequestReviewers.
type ReviewRequestSpec struct {
	Users []string
	Teams []string // team slugs of the repo's organization
	By    string   // who requested; default the PR author
	At    time.Time
}

// OpenPR opens a pull request from Head into Base and returns its number.
// Its head SHA follows the head branch while it is open: push with Commit.
func (s *Server) OpenPR(owner, name string, spec PRSpec) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("OpenPR", owner, name)
	if rp == nil {
		return 0
	}
	if spec.Base == "" {
		spec.Base = rp.defaultBranch
	}
	if rp.branches[spec.Head] == "" || rp.branches[spec.Base] == "" {
		s.violate("setup: OpenPR(%s): head %q and base %q must both be branches with commits", rp.fullName(), spec.Head, spec.Base)
		return 0
	}
	if spec.Head == spec.Base {
		s.violate("setup: OpenPR(%s): head and base are both %q", rp.fullName(), spec.Head)
		return 0
	}
	if spec.Number != 0 && rp.issues[spec.Number] != nil {
		s.violate("setup: OpenPR(%s): number %d is taken", rp.fullName(), spec.Number)
		return 0
	}
	at := spec.CreatedAt
	if at.IsZero() {
		at = s.opts.Now()
	}
	is := s.newIssueLocked(rp, spec.Number, spec.Title, spec.Body, s.userByLogin(defaultStr(spec.Author, "octocat")), at)
	is.pr = &pull{head: spec.Head, base: spec.Base, draft: spec.Draft}
	for _, l := range spec.Labels {
		s.addLabelLocked(rp, is, l)
	}
	return is.number
}

// PushPR commits to an open PR's head branch and returns the new head SHA.
func (s *Server) PushPR(owner, name string, number int, c CommitSpec) string {
	s.mu.Lock()
	_, is := s.setupPR("PushPR", owner, name, number)
	s.mu.Unlock()
	if is == nil {
		return ""
	}
	return s.Commit(owner, name, is.pr.head, c)
}

// setupPR finds an open-or-closed PR for a setup call. Callers hold s.mu.
func (s *Server) setupPR(fn, owner, name string, number int) (*repo, *issue) {
	rp := s.setupRepo(fn, owner, name)
	if rp == nil {
		return nil, nil
	}
	is := rp.issues[number]
	if is == nil || is.pr == nil {
		s.violate("setup: %s: %s#%d is not a pull request", fn, rp.fullName(), number)
		return nil, nil
	}
	return rp, is
}

// AddLabels adds labels to an issue or PR (as a person would in the UI).
func (s *Server) AddLabels(owner, name string, number int, labels ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("AddLabels", owner, name)
	if rp == nil {
		return
	}
	is := rp.issues[number]
	if is == nil {
		s.violate("setup: AddLabels: %s#%d does not exist", rp.fullName(), number)
		return
	}
	for _, l := range labels {
		s.addLabelLocked(rp, is, l)
	}
}

// RemoveLabel removes a label from an issue or PR.
func (s *Server) RemoveLabel(owner, name string, number int, label string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("RemoveLabel", owner, name)
	if rp == nil || rp.issues[number] == nil {
		return
	}
	is := rp.issues[number]
	for i, l := range is.labels {
		if strings.EqualFold(l.name, label) {
			is.labels = append(is.labels[:i:i], is.labels[i+1:]...)
		}
	}
}

// SubmitReview records a review on the PR's current head and returns its
// ID. Like GitHub, it clears the reviewer's pending review request.
func (s *Server) SubmitReview(owner, name string, number int, spec ReviewSpec) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, is := s.setupPR("SubmitReview", owner, name, number)
	if is == nil {
		return 0
	}
	state := strings.ToUpper(spec.State)
	switch state {
	case "APPROVE":
		state = "APPROVED"
	case "REQUEST_CHANGES":
		state = "CHANGES_REQUESTED"
	case "COMMENT", "":
		state = "COMMENTED"
	}
	switch state {
	case "APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED":
	default:
		s.violate("setup: SubmitReview: state %q is not APPROVED|CHANGES_REQUESTED|COMMENTED", spec.State)
		return 0
	}
	at := spec.SubmittedAt
	if at.IsZero() {
		at = s.opts.Now()
	}
	u := s.userByLogin(spec.User)
	rv := &review{id: s.newID(), user: u, state: state, body: spec.Body, submitted: at, commit: s.headSHA(rp, is)}
	is.pr.reviews = append(is.pr.reviews, rv)
	// A review clears the reviewer's own request and the request of every
	// team they review for (GitHub: "reviewed on behalf of").
	var keep []*reviewRequest
	for _, rq := range is.pr.requested {
		if rq.user != u && (rq.team == nil || !s.isTeamMember(rq.team, u)) {
			keep = append(keep, rq)
		}
	}
	is.pr.requested = keep
	is.updated = at
	return rv.id
}

// RequestReviewers requests reviews from users and teams, recording when.
func (s *Server) RequestReviewers(owner, name string, number int, spec ReviewRequestSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, is := s.setupPR("RequestReviewers", owner, name, number)
	if is == nil {
		return
	}
	by := is.user
	if spec.By != "" {
		by = s.userByLogin(spec.By)
	}
	if resp, ok := s.requestLocked(rp, is, spec.Users, spec.Teams, by, spec.At); !ok {
		s.violate("setup: RequestReviewers: %v", resp.body)
	}
}

func (s *Server) requestLocked(rp *repo, is *issue, users, teams []string, by *user, at time.Time) (response, bool) {
	if at.IsZero() {
		at = s.opts.Now()
	}
	for _, login := range users {
		u := s.userByLogin(login)
		if u == is.user {
			return invalid("PullRequest", "reviewers", "custom", "Review cannot be requested from pull request author."), false
		}
		if !hasRequest(is.pr.requested, u, nil) {
			rq := &reviewRequest{user: u, at: at, by: by}
			is.pr.requested = append(is.pr.requested, rq)
			is.pr.requestLog = append(is.pr.requestLog, rq)
		}
	}
	for _, slug := range teams {
		t := s.teams[strings.ToLower(rp.owner.login+"/"+slug)]
		if t == nil {
			return invalid("PullRequest", "team_reviewers", "custom", "Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the "+rp.fullName()+" repository."), false
		}
		if !hasRequest(is.pr.requested, nil, t) {
			rq := &reviewRequest{team: t, at: at, by: by}
			is.pr.requested = append(is.pr.requested, rq)
			is.pr.requestLog = append(is.pr.requestLog, rq)
		}
	}
	is.updated = at
	return response{}, true
}

func hasRequest(list []*reviewRequest, u *user, t *team) bool {
	for _, rq := range list {
		if (u != nil && rq.user == u) || (t != nil && rq.team == t) {
			return true
		}
	}
	return false
}

// ClosePR closes a PR without merging.
func (s *Server) ClosePR(owner, name string, number int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, is := s.setupPR("ClosePR", owner, name, number)
	if is == nil {
		return
	}
	s.closeLocked(rp, is, nil, "")
}

// MergePR merges a PR into its base with a merge commit (the base tree plus
// the PR's changes) by the given user and returns the merge commit's SHA.
func (s *Server) MergePR(owner, name string, number int, by string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp, is := s.setupPR("MergePR", owner, name, number)
	if is == nil {
		return ""
	}
	if is.state != "open" {
		s.violate("setup: MergePR: %s#%d is not open", rp.fullName(), number)
		return ""
	}
	pr := is.pr
	head, base := rp.commits[rp.branches[pr.head]], rp.commits[rp.branches[pr.base]]
	mb := rp.commits[rp.mergeBase(head.sha, base.sha)]
	files := map[string]string{}
	for k, v := range base.files {
		files[k] = v
	}
	for _, fc := range diffFiles(mb.files, head.files) {
		if fc.status == "removed" {
			delete(files, fc.path)
		} else {
			files[fc.path] = fc.new
		}
	}
	u := s.userByLogin(defaultStr(by, "octocat"))
	pr.headSHA, pr.baseSHA = head.sha, base.sha
	msg := "Merge pull request #" + strconv.Itoa(number) + " from " + pr.head + "\n\n" + is.title
	mc := s.commitLocked(rp, pr.base, []string{base.sha, head.sha}, files, msg, u.login, time.Time{})
	now := s.opts.Now()
	pr.merged, pr.mergedAt, pr.mergeSHA, pr.mergedBy = true, now, mc.sha, u
	is.state, is.closed, is.updated, is.closedBy = "closed", now, now, u
	return mc.sha
}

func (s *Server) headSHA(rp *repo, is *issue) string {
	if is.state == "open" || is.pr.headSHA == "" {
		return rp.branches[is.pr.head]
	}
	return is.pr.headSHA
}

func (s *Server) baseSHA(rp *repo, is *issue) string {
	if is.state == "open" || is.pr.baseSHA == "" {
		return rp.branches[is.pr.base]
	}
	return is.pr.baseSHA
}

// prChanges is the PR's diff: head against the merge base with its base.
func (rp *repo) prChanges(head, base string) []fileChange {
	hc := rp.commits[head]
	if hc == nil {
		return nil
	}
	var from map[string]string
	if bc := rp.commits[rp.mergeBase(head, base)]; bc != nil {
		from = bc.files
	}
	return diffFiles(from, hc.files)
}

func (s *Server) teamJSON(t *team) map[string]any {
	return map[string]any{
		"id": t.id, "node_id": nodeID("T", t.id), "slug": t.slug, "name": t.slug,
		"url":        s.URL() + "/orgs/" + t.org + "/teams/" + t.slug,
		"html_url":   "https://github.com/orgs/" + t.org + "/teams/" + t.slug,
		"permission": "pull", "privacy": "closed", "description": nil, "parent": nil,
		"members_url": s.URL() + "/orgs/" + t.org + "/teams/" + t.slug + "/members{/member}",
	}
}

func (s *Server) requestedJSON(is *issue) ([]any, []any) {
	users, teams := []any{}, []any{}
	for _, rq := range is.pr.requested {
		if rq.user != nil {
			users = append(users, s.userJSON(rq.user))
		} else {
			teams = append(teams, s.teamJSON(rq.team))
		}
	}
	return users, teams
}

func (s *Server) pullJSON(rp *repo, is *issue) map[string]any {
	out := s.issueJSON(rp, is)
	delete(out, "pull_request")
	delete(out, "closed_by")
	delete(out, "repository_url")
	delete(out, "labels_url")
	delete(out, "state_reason")
	delete(out, "comments")
	pr := is.pr
	head, base := s.headSHA(rp, is), s.baseSHA(rp, is)
	users, teams := s.requestedJSON(is)
	adds, dels := 0, 0
	changes := rp.prChanges(head, base)
	for _, fc := range changes {
		_, a, d := fc.patch()
		adds, dels = adds+a, dels+d
	}
	commits := 0
	inBase := rp.ancestors(base)
	for sha := range rp.ancestors(head) {
		if !inBase[sha] {
			commits++
		}
	}
	url := s.URL() + "/repos/" + rp.fullName() + "/pulls/" + strconv.Itoa(is.number)
	ref := func(branch, sha string) map[string]any {
		return map[string]any{
			"label": rp.owner.login + ":" + branch, "ref": branch, "sha": sha,
			"user": s.userJSON(rp.owner), "repo": s.repoJSON(rp),
		}
	}
	var mergeable any = true
	if is.state != "open" {
		mergeable = nil
	}
	out["id"] = is.id + 1_000_000
	out["node_id"] = nodeID("PR", is.id)
	out["url"] = url
	out["diff_url"] = out["html_url"].(string) + ".diff"
	out["patch_url"] = out["html_url"].(string) + ".patch"
	out["issue_url"] = s.URL() + "/repos/" + rp.fullName() + "/issues/" + strconv.Itoa(is.number)
	out["commits_url"] = url + "/commits"
	out["review_comments_url"] = url + "/comments"
	out["statuses_url"] = s.URL() + "/repos/" + rp.fullName() + "/statuses/" + head
	out["head"] = ref(pr.head, head)
	out["base"] = ref(pr.base, base)
	out["draft"] = pr.draft
	out["merged"] = pr.merged
	out["merged_at"] = tsOrNil(pr.mergedAt)
	out["merged_by"] = s.userJSON(pr.mergedBy)
	out["merge_commit_sha"] = nilIfEmpty(pr.mergeSHA)
	out["mergeable"] = mergeable
	out["mergeable_state"] = "clean"
	out["requested_reviewers"] = users
	out["requested_teams"] = teams
	out["commits"] = commits
	out["additions"] = adds
	out["deletions"] = dels
	out["changed_files"] = len(changes)
	out["review_comments"] = 0
	out["comments"] = len(rp.issueComments(is.number))
	out["maintainer_can_modify"] = false
	out["auto_merge"] = nil
	return out
}

func (c *call) pull() *issue {
	is := c.issue()
	if is == nil || is.pr == nil {
		return nil
	}
	return is
}

func hGetPull(s *Server, c *call) response {
	is := c.pull()
	if is == nil {
		return notFound()
	}
	return jsonResp(http.StatusOK, s.pullJSON(c.repo, is))
}

func hListPulls(s *Server, c *call) response {
	rp := c.repo
	state := defaultStr(c.query("state"), "open")
	if state != "open" && state != "closed" && state != "all" {
		return invalid("PullRequest", "state", "invalid", "state must be open, closed or all")
	}
	head, base := c.query("head"), c.query("base")
	var list []*issue
	for _, is := range rp.issues {
		if is.pr == nil || (state != "all" && is.state != state) {
			continue
		}
		if base != "" && is.pr.base != base {
			continue
		}
		if head != "" {
			owner, branch, ok := strings.Cut(head, ":")
			if !ok || !strings.EqualFold(owner, rp.owner.login) || branch != is.pr.head {
				continue
			}
		}
		list = append(list, is)
	}
	by := c.query("sort")
	if by == "popularity" || by == "long-running" {
		by = "created"
	}
	sortIssues(list, by, c.query("direction"), func(*issue) int { return 0 })
	out := make([]any, 0, len(list))
	for _, is := range list {
		out = append(out, s.pullJSON(rp, is))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func hListPullFiles(s *Server, c *call) response {
	is := c.pull()
	if is == nil {
		return notFound()
	}
	head := s.headSHA(c.repo, is)
	out := []any{}
	for _, fc := range c.repo.prChanges(head, s.baseSHA(c.repo, is)) {
		out = append(out, s.fileChangeJSON(c.repo, head, fc))
	}
	if len(out) > 3000 {
		out = out[:3000] // GitHub lists at most 3000 files
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func hListPullCommits(s *Server, c *call) response {
	is := c.pull()
	if is == nil {
		return notFound()
	}
	inBase := c.repo.ancestors(s.baseSHA(c.repo, is))
	hist := c.repo.history(s.headSHA(c.repo, is))
	out := []any{}
	for i := len(hist) - 1; i >= 0; i-- { // oldest first, as GitHub lists them
		if !inBase[hist[i].sha] {
			out = append(out, s.commitJSON(c.repo, hist[i], false))
		}
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func (s *Server) reviewJSON(rp *repo, is *issue, rv *review) map[string]any {
	html := "https://github.com/" + rp.fullName() + "/pull/" + strconv.Itoa(is.number) + "#pullrequestreview-" + strconv.FormatInt(rv.id, 10)
	return map[string]any{
		"id": rv.id, "node_id": nodeID("PRR", rv.id), "user": s.userJSON(rv.user), "body": rv.body,
		"state": rv.state, "submitted_at": ts(rv.submitted), "commit_id": rv.commit,
		"html_url": html, "author_association": s.association(rp, rv.user),
		"pull_request_url": s.URL() + "/repos/" + rp.fullName() + "/pulls/" + strconv.Itoa(is.number),
	}
}

func hListReviews(s *Server, c *call) response {
	is := c.pull()
	if is == nil {
		return notFound()
	}
	out := []any{}
	for _, rv := range is.pr.reviews {
		out = append(out, s.reviewJSON(c.repo, is, rv))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func hGetRequestedReviewers(s *Server, c *call) response {
	is := c.pull()
	if is == nil {
		return notFound()
	}
	users, teams := s.requestedJSON(is)
	return jsonResp(http.StatusOK, map[string]any{"users": users, "teams": teams})
}

func hRequestReviewers(s *Server, c *call) response {
	is := c.pull()
	if is == nil {
		return notFound()
	}
	var in struct {
		Reviewers     []string `json:"reviewers"`
		TeamReviewers []string `json:"team_reviewers"`
	}
	if err := c.decode(&in); err != nil {
		return badJSON(err)
	}
	if c.r.Method == http.MethodPost {
		if len(in.Reviewers) == 0 && len(in.TeamReviewers) == 0 {
			return invalid("PullRequest", "reviewers", "missing_field", "reviewers or team_reviewers is required")
		}
		if resp, ok := s.checkReviewers(c.repo, is, in.Reviewers, in.TeamReviewers); !ok {
			return resp
		}
		if resp, ok := s.requestLocked(c.repo, is, in.Reviewers, in.TeamReviewers, s.actor(c), time.Time{}); !ok {
			return resp
		}
		return jsonResp(http.StatusCreated, s.pullJSON(c.repo, is))
	}
	var keep []*reviewRequest
	for _, rq := range is.pr.requested {
		drop := false
		for _, u := range in.Reviewers {
			drop = drop || (rq.user != nil && strings.EqualFold(rq.user.login, u))
		}
		for _, t := range in.TeamReviewers {
			drop = drop || (rq.team != nil && strings.EqualFold(rq.team.slug, t))
		}
		if !drop {
			keep = append(keep, rq)
		}
	}
	is.pr.requested = keep
	return jsonResp(http.StatusOK, s.pullJSON(c.repo, is))
}
