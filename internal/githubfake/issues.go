package githubfake

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// issue is an issue or, when pr is set, a pull request: they share the
// number space and the issues API.
type issue struct {
	id          int64
	number      int
	title       string
	body        string
	user        *user
	state       string // open, closed
	stateReason string
	labels      []*label
	assignees   []*user
	created     time.Time
	updated     time.Time
	closed      time.Time
	closedBy    *user
	pr          *pull
}

type comment struct {
	id      int64
	issue   int
	body    string
	user    *user
	created time.Time
	updated time.Time
}

// IssueSpec describes an issue made by OpenIssue.
type IssueSpec struct {
	Title, Body, Author string
	Labels              []string
	Assignees           []string
	CreatedAt           time.Time // default Options.Now()
}

const maxCommentBody = 65536

// OpenIssue creates an issue and returns its number.
func (s *Server) OpenIssue(owner, name string, spec IssueSpec) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("OpenIssue", owner, name)
	if rp == nil {
		return 0
	}
	at := spec.CreatedAt
	if at.IsZero() {
		at = s.opts.Now()
	}
	is := s.newIssueLocked(rp, 0, spec.Title, spec.Body, s.userByLogin(defaultStr(spec.Author, "octocat")), at)
	for _, l := range spec.Labels {
		s.addLabelLocked(rp, is, l)
	}
	for _, a := range spec.Assignees {
		is.assignees = append(is.assignees, s.userByLogin(a))
	}
	return is.number
}

func defaultStr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (s *Server) newIssueLocked(rp *repo, number int, title, body string, u *user, at time.Time) *issue {
	if number == 0 {
		number = rp.nextNumber
	}
	if number >= rp.nextNumber {
		rp.nextNumber = number + 1
	}
	is := &issue{id: s.newID(), number: number, title: title, body: body, user: u, state: "open", created: at, updated: at}
	rp.issues[number] = is
	return is
}

// AddComment posts a comment on an issue or PR as author and returns its ID.
func (s *Server) AddComment(owner, name string, number int, author, body string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("AddComment", owner, name)
	if rp == nil {
		return 0
	}
	is := rp.issues[number]
	if is == nil {
		s.violate("setup: AddComment: %s#%d does not exist", rp.fullName(), number)
		return 0
	}
	return s.addCommentLocked(rp, is, s.userByLogin(author), body).id
}

func (s *Server) addCommentLocked(rp *repo, is *issue, u *user, body string) *comment {
	now := s.opts.Now()
	cm := &comment{id: s.newID(), issue: is.number, body: body, user: u, created: now, updated: now}
	rp.comments[cm.id] = cm
	is.updated = now
	return cm
}

// Comments returns the bodies of an issue's comments, oldest first, with
// their authors: handy for asserting what the app posted.
func (s *Server) Comments(owner, name string, number int) []CommentInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[repoKey(owner, name)]
	if rp == nil {
		return nil
	}
	var out []CommentInfo
	for _, cm := range rp.issueComments(number) {
		out = append(out, CommentInfo{ID: cm.id, Author: cm.user.login, Body: cm.body, CreatedAt: cm.created, UpdatedAt: cm.updated})
	}
	return out
}

// CommentInfo is a read-only view of a comment.
type CommentInfo struct {
	ID                   int64
	Author, Body         string
	CreatedAt, UpdatedAt time.Time
}

// CloseIssue closes an issue (or a PR without merging it).
func (s *Server) CloseIssue(owner, name string, number int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("CloseIssue", owner, name)
	if rp == nil {
		return
	}
	is := rp.issues[number]
	if is == nil {
		s.violate("setup: CloseIssue: %s#%d does not exist", rp.fullName(), number)
		return
	}
	s.closeLocked(rp, is, nil, "completed")
}

func (s *Server) closeLocked(rp *repo, is *issue, by *user, reason string) {
	if is.state == "closed" {
		return
	}
	now := s.opts.Now()
	if is.pr != nil {
		is.pr.headSHA = rp.branches[is.pr.head]
		is.pr.baseSHA = rp.branches[is.pr.base]
		reason = ""
	}
	is.state, is.stateReason, is.closed, is.updated, is.closedBy = "closed", reason, now, now, by
}

func (rp *repo) issueComments(number int) []*comment {
	var list []*comment
	for _, cm := range rp.comments {
		if cm.issue == number {
			list = append(list, cm)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
	return list
}

func (s *Server) addLabelLocked(rp *repo, is *issue, name string) {
	l := s.labelLocked(rp, name)
	for _, x := range is.labels {
		if x == l {
			return
		}
	}
	is.labels = append(is.labels, l)
	is.updated = s.opts.Now()
}

func (s *Server) issueJSON(rp *repo, is *issue) map[string]any {
	labels := []any{}
	for _, l := range is.labels {
		labels = append(labels, s.labelJSON(rp, l))
	}
	assignees := []any{}
	for _, a := range is.assignees {
		assignees = append(assignees, s.userJSON(a))
	}
	var assignee any
	if len(is.assignees) > 0 {
		assignee = s.userJSON(is.assignees[0])
	}
	base := s.URL() + "/repos/" + rp.fullName()
	out := map[string]any{
		"id": is.id, "node_id": nodeID("I", is.id), "number": is.number, "title": is.title, "body": is.body,
		"user": s.userJSON(is.user), "state": is.state, "state_reason": nilIfEmpty(is.stateReason),
		"labels": labels, "assignee": assignee, "assignees": assignees, "locked": false,
		"comments": len(rp.issueComments(is.number)), "milestone": nil,
		"created_at": ts(is.created), "updated_at": ts(is.updated), "closed_at": tsOrNil(is.closed),
		"closed_by": s.userJSON(is.closedBy), "author_association": s.association(rp, is.user),
		"url":            base + "/issues/" + strconv.Itoa(is.number),
		"repository_url": base,
		"labels_url":     base + "/issues/" + strconv.Itoa(is.number) + "/labels{/name}",
		"comments_url":   base + "/issues/" + strconv.Itoa(is.number) + "/comments",
		"html_url":       "https://github.com/" + rp.fullName() + "/issues/" + strconv.Itoa(is.number),
	}
	if is.pr != nil {
		out["html_url"] = "https://github.com/" + rp.fullName() + "/pull/" + strconv.Itoa(is.number)
		out["pull_request"] = map[string]any{
			"url":       base + "/pulls/" + strconv.Itoa(is.number),
			"html_url":  out["html_url"],
			"diff_url":  out["html_url"].(string) + ".diff",
			"patch_url": out["html_url"].(string) + ".patch",
			"merged_at": tsOrNil(is.pr.mergedAt),
		}
		out["draft"] = is.pr.draft
	}
	return out
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// association is author_association: OWNER, MEMBER/COLLABORATOR by role, NONE.
func (s *Server) association(rp *repo, u *user) string {
	if u == nil {
		return "NONE"
	}
	if strings.EqualFold(u.login, rp.owner.login) {
		return "OWNER"
	}
	switch rp.perms[strings.ToLower(u.login)] {
	case "admin", "write":
		if rp.owner.typ == "Organization" {
			return "MEMBER"
		}
		return "COLLABORATOR"
	case "read":
		return "COLLABORATOR"
	}
	return "NONE"
}

func (s *Server) commentJSON(rp *repo, cm *comment) map[string]any {
	base := s.URL() + "/repos/" + rp.fullName()
	html := "https://github.com/" + rp.fullName() + "/issues/" + strconv.Itoa(cm.issue)
	if is := rp.issues[cm.issue]; is != nil && is.pr != nil {
		html = "https://github.com/" + rp.fullName() + "/pull/" + strconv.Itoa(cm.issue)
	}
	return map[string]any{
		"id": cm.id, "node_id": nodeID("IC", cm.id), "body": cm.body, "user": s.userJSON(cm.user),
		"created_at": ts(cm.created), "updated_at": ts(cm.updated),
		"author_association": s.association(rp, cm.user),
		"url":                base + "/issues/comments/" + strconv.FormatInt(cm.id, 10),
		"issue_url":          base + "/issues/" + strconv.Itoa(cm.issue),
		"html_url":           html + "#issuecomment-" + strconv.FormatInt(cm.id, 10),
	}
}

// actor is who a REST write is attributed to: the App's bot user.
func (s *Server) actor(c *call) *user { return s.userLocked(s.botLogin(), "Bot") }

func (c *call) issue() *issue {
	n, err := strconv.Atoi(c.params["issue_number"])
	if err != nil {
		n, err = strconv.Atoi(c.params["pull_number"])
		if err != nil {
			return nil
		}
	}
	return c.repo.issues[n]
}

// decode unmarshals the request body into v.
func (c *call) decode(v any) error {
	if len(c.body) == 0 {
		return nil
	}
	return json.Unmarshal(c.body, v)
}

func badJSON(err error) response {
	return errResp(http.StatusBadRequest, "Problems parsing JSON: "+err.Error())
}

func hListIssues(s *Server, c *call) response {
	rp := c.repo
	state := defaultStr(c.query("state"), "open")
	var wantLabels []string
	if l := c.query("labels"); l != "" {
		wantLabels = strings.Split(l, ",")
	}
	creator, assignee := c.query("creator"), c.query("assignee")
	var since time.Time
	if v := c.query("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return invalid("Issue", "since", "invalid", "since must be ISO 8601")
		}
		since = t
	}
	var list []*issue
	for _, is := range rp.issues {
		if state != "all" && is.state != state {
			continue
		}
		if creator != "" && !strings.EqualFold(creator, is.user.login) {
			continue
		}
		if !since.IsZero() && is.updated.Before(since) {
			continue
		}
		if !hasAllLabels(is, wantLabels) || !assigneeMatch(is, assignee) {
			continue
		}
		list = append(list, is)
	}
	sortIssues(list, c.query("sort"), c.query("direction"), func(is *issue) int { return len(rp.issueComments(is.number)) })
	out := make([]any, 0, len(list))
	for _, is := range list {
		out = append(out, s.issueJSON(rp, is))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func hasAllLabels(is *issue, want []string) bool {
	for _, w := range want {
		w = strings.TrimSpace(w)
		found := false
		for _, l := range is.labels {
			if strings.EqualFold(l.name, w) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func assigneeMatch(is *issue, a string) bool {
	switch a {
	case "":
		return true
	case "none":
		return len(is.assignees) == 0
	case "*":
		return len(is.assignees) > 0
	}
	for _, u := range is.assignees {
		if strings.EqualFold(u.login, a) {
			return true
		}
	}
	return false
}

func sortIssues(list []*issue, by, dir string, comments func(*issue) int) {
	key := func(is *issue) int64 { return is.created.UnixNano() }
	switch by {
	case "updated":
		key = func(is *issue) int64 { return is.updated.UnixNano() }
	case "comments":
		key = func(is *issue) int64 { return int64(comments(is)) }
	}
	asc := dir == "asc"
	sort.SliceStable(list, func(i, j int) bool {
		ki, kj := key(list[i]), key(list[j])
		if ki == kj {
			if asc {
				return list[i].number < list[j].number
			}
			return list[i].number > list[j].number
		}
		if asc {
			return ki < kj
		}
		return ki > kj
	})
}

func hGetIssue(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	return jsonResp(http.StatusOK, s.issueJSON(c.repo, is))
}

type issueWrite struct {
	Title       *json.RawMessage `json:"title"`
	Body        *string          `json:"body"`
	State       *string          `json:"state"`
	StateReason *string          `json:"state_reason"`
	Assignees   *[]string        `json:"assignees"`
	Assignee    *string          `json:"assignee"`
}

// labelNames accepts GitHub's two label forms: "name" or {"name": "..."}.
func labelNames(raw []json.RawMessage) []string {
	var out []string
	for _, r := range raw {
		var name string
		if json.Unmarshal(r, &name) == nil {
			out = append(out, name)
			continue
		}
		var obj struct {
			Name string `json:"name"`
		}
		if json.Unmarshal(r, &obj) == nil && obj.Name != "" {
			out = append(out, obj.Name)
		}
	}
	return out
}

func titleText(raw *json.RawMessage) (string, bool) {
	if raw == nil {
		return "", false
	}
	var s string
	if json.Unmarshal(*raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(*raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

func checkIssueText(title string, body *string) (response, bool) {
	if utf8.RuneCountInString(title) > 256 {
		return invalid("Issue", "title", "custom", "title is too long (maximum is 256 characters)"), false
	}
	if body != nil && utf8.RuneCountInString(*body) > maxCommentBody {
		return invalid("Issue", "body", "custom", fmt.Sprintf("body is too long (maximum is %d characters)", maxCommentBody)), false
	}
	return response{}, true
}

func hCreateIssue(s *Server, c *call) response {
	var in struct {
		issueWrite
		Labels []json.RawMessage `json:"labels"`
	}
	if err := c.decode(&in); err != nil {
		return badJSON(err)
	}
	title, ok := titleText(in.Title)
	if !ok || strings.TrimSpace(title) == "" {
		return invalid("Issue", "title", "missing_field", "")
	}
	if resp, ok := checkIssueText(title, in.Body); !ok {
		return resp
	}
	if resp, ok := s.checkAssignees(c.repo, in.Assignees, in.Assignee); !ok {
		return resp
	}
	body := ""
	if in.Body != nil {
		body = *in.Body
	}
	is := s.newIssueLocked(c.repo, 0, title, body, s.actor(c), s.opts.Now())
	for _, l := range labelNames(in.Labels) {
		s.addLabelLocked(c.repo, is, l)
	}
	s.setAssignees(is, in.Assignees, in.Assignee)
	return jsonResp(http.StatusCreated, s.issueJSON(c.repo, is))
}

func (s *Server) setAssignees(is *issue, list *[]string, one *string) {
	if list == nil && one == nil {
		return
	}
	is.assignees = nil
	var logins []string
	if list != nil {
		logins = *list
	}
	if one != nil && *one != "" {
		logins = append(logins, *one)
	}
	for _, a := range logins {
		is.assignees = appendUser(is.assignees, s.userByLogin(a))
	}
}

func appendUser(list []*user, u *user) []*user {
	for _, x := range list {
		if x == u {
			return list
		}
	}
	return append(list, u)
}

func hUpdateIssue(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	var in struct {
		issueWrite
		Labels *[]json.RawMessage `json:"labels"`
	}
	if err := c.decode(&in); err != nil {
		return badJSON(err)
	}
	if resp, ok := s.checkAssignees(c.repo, in.Assignees, in.Assignee); !ok {
		return resp
	}
	if in.Title != nil {
		title, ok := titleText(in.Title)
		if !ok || strings.TrimSpace(title) == "" {
			return invalid("Issue", "title", "missing_field", "")
		}
		if resp, ok := checkIssueText(title, nil); !ok {
			return resp
		}
		is.title = title
	}
	if resp, ok := checkIssueText("", in.Body); !ok {
		return resp
	}
	if in.Body != nil {
		is.body = *in.Body
	}
	if in.Labels != nil {
		is.labels = nil
		for _, l := range labelNames(*in.Labels) {
			s.addLabelLocked(c.repo, is, l)
		}
	}
	s.setAssignees(is, in.Assignees, in.Assignee)
	if in.State != nil {
		switch *in.State {
		case "closed":
			reason := "completed"
			if in.StateReason != nil && *in.StateReason != "" {
				reason = *in.StateReason
			}
			s.closeLocked(c.repo, is, s.actor(c), reason)
		case "open":
			if is.pr != nil && is.pr.merged {
				return invalid("PullRequest", "state", "invalid", "cannot reopen a merged pull request")
			}
			if is.state == "closed" {
				is.state, is.closed, is.closedBy = "open", time.Time{}, nil
				is.stateReason = ""
				if is.pr == nil {
					is.stateReason = "reopened"
				}
			}
		}
	}
	is.updated = s.opts.Now()
	return jsonResp(http.StatusOK, s.issueJSON(c.repo, is))
}

func (s *Server) labelsJSON(rp *repo, is *issue) []any {
	out := []any{}
	for _, l := range is.labels {
		out = append(out, s.labelJSON(rp, l))
	}
	return out
}

func hListIssueLabels(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	page, h := paginate(c, s.labelsJSON(c.repo, is))
	return response{status: http.StatusOK, body: page, header: h}
}

// decodeLabels reads {"labels": [...]} or a bare array of names.
func (c *call) decodeLabels() ([]string, error) {
	var obj struct {
		Labels []json.RawMessage `json:"labels"`
	}
	if err := json.Unmarshal(c.body, &obj); err == nil {
		return labelNames(obj.Labels), nil
	}
	var arr []json.RawMessage
	if err := json.Unmarshal(c.body, &arr); err != nil {
		return nil, err
	}
	return labelNames(arr), nil
}

func hAddIssueLabels(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	names, err := c.decodeLabels()
	if err != nil {
		return badJSON(err)
	}
	for _, n := range names {
		s.addLabelLocked(c.repo, is, n)
	}
	return jsonResp(http.StatusOK, s.labelsJSON(c.repo, is))
}

func hSetIssueLabels(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	names, err := c.decodeLabels()
	if err != nil {
		return badJSON(err)
	}
	is.labels = nil
	for _, n := range names {
		s.addLabelLocked(c.repo, is, n)
	}
	return jsonResp(http.StatusOK, s.labelsJSON(c.repo, is))
}

func hRemoveIssueLabel(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	name := c.params["name"]
	for i, l := range is.labels {
		if strings.EqualFold(l.name, name) {
			is.labels = append(is.labels[:i:i], is.labels[i+1:]...)
			is.updated = s.opts.Now()
			return jsonResp(http.StatusOK, s.labelsJSON(c.repo, is))
		}
	}
	return errResp(http.StatusNotFound, "Label does not exist")
}

func hRemoveAllIssueLabels(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	is.labels = nil
	is.updated = s.opts.Now()
	return response{status: http.StatusNoContent}
}

func hAssignees(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	var in struct {
		Assignees []string `json:"assignees"`
	}
	if err := c.decode(&in); err != nil {
		return badJSON(err)
	}
	for _, a := range in.Assignees {
		u := s.userByLogin(a)
		if c.r.Method == http.MethodPost {
			is.assignees = appendUser(is.assignees, u)
			continue
		}
		for i, x := range is.assignees {
			if x == u {
				is.assignees = append(is.assignees[:i:i], is.assignees[i+1:]...)
				break
			}
		}
	}
	is.updated = s.opts.Now()
	status := http.StatusOK
	if c.r.Method == http.MethodPost {
		status = http.StatusCreated
	}
	return jsonResp(status, s.issueJSON(c.repo, is))
}

func hListIssueComments(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	return s.listComments(c, c.repo.issueComments(is.number))
}

func hListRepoComments(s *Server, c *call) response {
	var all []*comment
	for _, cm := range c.repo.comments {
		all = append(all, cm)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].id < all[j].id })
	if c.query("direction") == "desc" {
		for i, j := 0, len(all)-1; i < j; i, j = i+1, j-1 {
			all[i], all[j] = all[j], all[i]
		}
	}
	return s.listComments(c, all)
}

func (s *Server) listComments(c *call, list []*comment) response {
	var since time.Time
	if v := c.query("since"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return invalid("IssueComment", "since", "invalid", "since must be ISO 8601")
		}
		since = t
	}
	out := []any{}
	for _, cm := range list {
		if !since.IsZero() && cm.updated.Before(since) {
			continue
		}
		out = append(out, s.commentJSON(c.repo, cm))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

func checkCommentBody(body string) (response, bool) {
	if strings.TrimSpace(body) == "" {
		return invalid("IssueComment", "body", "missing_field", "body cannot be blank"), false
	}
	if utf8.RuneCountInString(body) > maxCommentBody {
		return invalid("IssueComment", "body", "custom", fmt.Sprintf("Body is too long (maximum is %d characters)", maxCommentBody)), false
	}
	return response{}, true
}

// commentBody decodes and checks the body of a comment write.
func commentBody(c *call) (string, response, bool) {
	var in struct {
		Body string `json:"body"`
	}
	if err := c.decode(&in); err != nil {
		return "", badJSON(err), false
	}
	if resp, ok := checkCommentBody(in.Body); !ok {
		return "", resp, false
	}
	return in.Body, response{}, true
}

func hCreateComment(s *Server, c *call) response {
	is := c.issue()
	if is == nil {
		return notFound()
	}
	body, resp, ok := commentBody(c)
	if !ok {
		return resp
	}
	cm := s.addCommentLocked(c.repo, is, s.actor(c), body)
	return jsonResp(http.StatusCreated, s.commentJSON(c.repo, cm))
}

func (c *call) comment() *comment {
	id, err := strconv.ParseInt(c.params["comment_id"], 10, 64)
	if err != nil {
		return nil
	}
	return c.repo.comments[id]
}

func hGetComment(s *Server, c *call) response {
	cm := c.comment()
	if cm == nil {
		return notFound()
	}
	return jsonResp(http.StatusOK, s.commentJSON(c.repo, cm))
}

func hUpdateComment(s *Server, c *call) response {
	cm := c.comment()
	if cm == nil {
		return notFound()
	}
	body, resp, ok := commentBody(c)
	if !ok {
		return resp
	}
	cm.body = body
	cm.updated = s.opts.Now()
	return jsonResp(http.StatusOK, s.commentJSON(c.repo, cm))
}

func hDeleteComment(s *Server, c *call) response {
	cm := c.comment()
	if cm == nil {
		return notFound()
	}
	delete(c.repo.comments, cm.id)
	return response{status: http.StatusNoContent}
}

func hListRepoLabels(s *Server, c *call) response {
	out := []any{}
	for _, k := range slices.Sorted(maps.Keys(c.repo.labels)) {
		out = append(out, s.labelJSON(c.repo, c.repo.labels[k]))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}
