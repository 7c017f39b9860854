package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	apiURL = "https://api.github.com"
	webURL = "https://github.com"
)

// Repo identifies the repository a delivery is about.
type Repo struct {
	Owner         string
	Name          string
	ID            int64  // 0: StableID(owner/name)
	DefaultBranch string // "": main
	Private       bool
	OwnerType     string // Organization or User ("": User)
}

// FullName is "owner/name".
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

func (r Repo) id() int64 {
	if r.ID != 0 {
		return r.ID
	}
	return StableID("repo", r.FullName())
}

func (r Repo) ownerType() string {
	if r.OwnerType == "" {
		return "User"
	}
	return r.OwnerType
}

func (r Repo) defaultBranch() string {
	if r.DefaultBranch == "" {
		return "main"
	}
	return r.DefaultBranch
}

func (r Repo) check() error {
	if r.Owner == "" || r.Name == "" {
		return fmt.Errorf("repository owner and name are required (got %q/%q)", r.Owner, r.Name)
	}
	if t := r.ownerType(); t != "User" && t != "Organization" {
		return fmt.Errorf("repository owner type %q: want User or Organization", t)
	}
	return nil
}

// PR is the state of a pull request as the emulator knows it.
type PR struct {
	Number             int
	Title, Body        string
	Author             string
	Draft              bool
	State              string // open or closed ("": open; closed when Merged)
	HeadRef, HeadSHA   string
	BaseRef, BaseSHA   string // BaseRef "": the repository's default branch
	Labels             []string
	Merged             bool
	RequestedReviewers []string
}

// Build makes deliveries for one installation and repository.
type Build struct {
	InstallationID int64 // 0: no "installation" member (GitHub omits it for non-App hooks)
	Repo           Repo
	Sender         string // "": the natural actor (PR author, commenter, reviewer)
	SenderType     string // User or Bot ("": Bot for logins ending in [bot], else User)
	AppID          int64  // optional: the App's id, written where payloads name the app
	AppSlug        string // optional: the App's slug (check_run.app.slug)
}

// start loads the example and rewrites the members every delivery shares:
// repository (and every URL naming it), organization, installation, sender.
func (b Build) start(event, action, fallback, actor string) (map[string]any, error) {
	if err := b.Repo.check(); err != nil {
		return nil, fmt.Errorf("build %s %s: %w", event, action, err)
	}
	p, err := exampleOr(event, action, fallback)
	if err != nil {
		return nil, fmt.Errorf("build %s %s: %w", event, action, err)
	}
	if action != "" {
		p["action"] = action
	}
	isoTimes(p)
	if repo, ok := p["repository"].(map[string]any); ok {
		old, _ := repo["full_name"].(string)
		replaceStrings(p, old, b.Repo.FullName())
		patchRepo(repo, b.Repo)
	}
	if b.Repo.ownerType() == "Organization" {
		patchOrg(getMap(p, "organization"), b.Repo.Owner)
	} else {
		delete(p, "organization")
	}
	if b.InstallationID != 0 {
		inst := getMap(p, "installation")
		inst["id"] = b.InstallationID
		if _, ok := inst["node_id"]; ok || len(inst) == 1 {
			inst["node_id"] = NodeID("IN", b.InstallationID)
		}
	} else {
		delete(p, "installation")
	}
	sender := b.Sender
	if sender == "" {
		sender = actor
	}
	if sender == "" {
		sender = b.Repo.Owner
	}
	patchUser(getMap(p, "sender"), sender, b.SenderType)
	return p, nil
}

// isoTimes rewrites "2018-04-25 20:42:10" (found in one community example,
// check_run rerequested) to the ISO 8601 form GitHub actually sends and
// go-github parses.
func isoTimes(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if s, ok := e.(string); ok && strings.HasSuffix(k, "_at") {
				if ts, err := time.Parse(time.DateTime, s); err == nil {
					t[k] = ts.UTC().Format(time.RFC3339)
				}
				continue
			}
			isoTimes(e)
		}
	case []any:
		for _, e := range t {
			isoTimes(e)
		}
	}
}

func finish(p map[string]any, extra []func(map[string]any)) ([]byte, error) {
	for _, f := range extra {
		if f != nil {
			f(p)
		}
	}
	body, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encode payload: %w", err)
	}
	return body, nil
}

// userType is GitHub's account type for a login: apps act as "x[bot]".
func userType(login, typ string) string {
	if typ != "" {
		return typ
	}
	if strings.HasSuffix(login, "[bot]") {
		return "Bot"
	}
	return "User"
}

// patchUser rewrites a user object of the example (keeping its key set) to
// describe login.
func patchUser(u map[string]any, login, typ string) map[string]any {
	id := StableID("user", login)
	esc := url.PathEscape(login)
	api := apiURL + "/users/" + esc
	html := webURL + "/" + esc
	if slug, ok := strings.CutSuffix(login, "[bot]"); ok {
		html = webURL + "/apps/" + url.PathEscape(slug)
	}
	u["login"] = login
	u["id"] = id
	u["node_id"] = NodeID("U", id)
	u["avatar_url"] = "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(id, 10) + "?v=4"
	u["gravatar_id"] = ""
	u["url"] = api
	u["html_url"] = html
	u["followers_url"] = api + "/followers"
	u["following_url"] = api + "/following{/other_user}"
	u["gists_url"] = api + "/gists{/gist_id}"
	u["starred_url"] = api + "/starred{/owner}{/repo}"
	u["subscriptions_url"] = api + "/subscriptions"
	u["organizations_url"] = api + "/orgs"
	u["repos_url"] = api + "/repos"
	u["events_url"] = api + "/events{/privacy}"
	u["received_events_url"] = api + "/received_events"
	u["type"] = userType(login, typ)
	u["site_admin"] = false
	return u
}

func newUser(login string) map[string]any { return patchUser(map[string]any{}, login, "") }

func patchOrg(o map[string]any, login string) {
	id := StableID("org", login)
	api := apiURL + "/orgs/" + url.PathEscape(login)
	o["login"] = login
	o["id"] = id
	o["node_id"] = NodeID("O", id)
	o["url"] = api
	o["repos_url"] = api + "/repos"
	o["events_url"] = api + "/events"
	o["hooks_url"] = api + "/hooks"
	o["issues_url"] = api + "/issues"
	o["members_url"] = api + "/members{/member}"
	o["public_members_url"] = api + "/public_members{/member}"
	o["avatar_url"] = "https://avatars.githubusercontent.com/u/" + strconv.FormatInt(id, 10) + "?v=4"
	if _, ok := o["description"]; !ok {
		o["description"] = ""
	}
}

// patchRepo rewrites a repository object. URLs naming the old repository were
// already rewritten by the payload-wide replacement; this sets identity.
func patchRepo(m map[string]any, r Repo) {
	m["id"] = r.id()
	m["node_id"] = NodeID("R", r.id())
	m["name"] = r.Name
	m["full_name"] = r.FullName()
	m["private"] = r.Private
	setExisting(m, "visibility", map[bool]string{true: "private", false: "public"}[r.Private])
	m["html_url"] = webURL + "/" + r.FullName()
	m["url"] = apiURL + "/repos/" + r.FullName()
	m["default_branch"] = r.defaultBranch()
	setExisting(m, "master_branch", r.defaultBranch())
	if owner, ok := m["owner"].(map[string]any); ok {
		patchUser(owner, r.Owner, r.ownerType())
	}
}

func (b Build) label(name string) map[string]any {
	id := StableID("label", b.Repo.FullName(), name)
	return map[string]any{
		"id":          id,
		"node_id":     NodeID("LA", id),
		"url":         apiURL + "/repos/" + b.Repo.FullName() + "/labels/" + url.PathEscape(name),
		"name":        name,
		"color":       "ededed",
		"default":     false,
		"description": nil,
	}
}

func (b Build) labels(names []string) []any {
	out := make([]any, 0, len(names))
	for _, n := range names {
		out = append(out, b.label(n))
	}
	return out
}

func users(logins []string) []any {
	out := make([]any, 0, len(logins))
	for _, l := range logins {
		out = append(out, newUser(l))
	}
	return out
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (pr PR) check() error {
	if pr.Number <= 0 {
		return fmt.Errorf("pull request number %d: must be positive", pr.Number)
	}
	if pr.Author == "" {
		return errors.New("pull request author is required")
	}
	switch pr.State {
	case "", "open", "closed":
	default:
		return fmt.Errorf("pull request state %q: want open or closed", pr.State)
	}
	return nil
}

func (pr PR) state() string {
	if pr.State != "" {
		return pr.State
	}
	if pr.Merged {
		return "closed"
	}
	return "open"
}

// patchPR rewrites a pull_request object: identity, content, branches and
// every URL, keeping the key set of the example (review events carry a
// slimmer object than pull_request events).
func (b Build) patchPR(m map[string]any, pr PR) {
	full := b.Repo.FullName()
	n := strconv.Itoa(pr.Number)
	id := StableID("pr", full, n)
	api := apiURL + "/repos/" + full
	html := webURL + "/" + full + "/pull/" + n
	base := pr.BaseRef
	if base == "" {
		base = b.Repo.defaultBranch()
	}
	m["id"] = id
	m["node_id"] = NodeID("PR", id)
	m["number"] = pr.Number
	m["title"] = pr.Title
	m["body"] = nullable(pr.Body)
	m["state"] = pr.state()
	m["draft"] = pr.Draft
	m["user"] = patchUser(getMap(m, "user"), pr.Author, "")
	m["labels"] = b.labels(pr.Labels)
	m["requested_reviewers"] = users(pr.RequestedReviewers)
	setExisting(m, "assignee", nil)
	setExisting(m, "assignees", []any{})
	setExisting(m, "milestone", nil)
	m["url"] = api + "/pulls/" + n
	m["html_url"] = html
	setExisting(m, "diff_url", html+".diff")
	setExisting(m, "patch_url", html+".patch")
	setExisting(m, "issue_url", api+"/issues/"+n)
	setExisting(m, "commits_url", api+"/pulls/"+n+"/commits")
	setExisting(m, "review_comments_url", api+"/pulls/"+n+"/comments")
	setExisting(m, "review_comment_url", api+"/pulls/comments{/number}")
	setExisting(m, "comments_url", api+"/issues/"+n+"/comments")
	setExisting(m, "statuses_url", api+"/statuses/"+pr.HeadSHA)
	if links, ok := m["_links"].(map[string]any); ok {
		for k, href := range map[string]string{
			"self": api + "/pulls/" + n, "html": html, "issue": api + "/issues/" + n,
			"comments": api + "/issues/" + n + "/comments", "review_comments": api + "/pulls/" + n + "/comments",
			"review_comment": api + "/pulls/comments{/number}", "commits": api + "/pulls/" + n + "/commits",
			"statuses": api + "/statuses/" + pr.HeadSHA,
		} {
			links[k] = map[string]any{"href": href}
		}
	}
	setExisting(m, "merged", pr.Merged)
	if !pr.Merged {
		setExisting(m, "merged_at", nil)
		setExisting(m, "merged_by", nil)
		setExisting(m, "merge_commit_sha", nil)
	} else if m["merged_at"] == nil {
		m["merged_at"] = m["updated_at"]
	}
	if pr.state() == "open" {
		setExisting(m, "closed_at", nil)
	} else if m["closed_at"] == nil {
		m["closed_at"] = m["updated_at"]
	}
	for _, side := range []struct{ key, ref, sha string }{{"head", pr.HeadRef, pr.HeadSHA}, {"base", base, pr.BaseSHA}} {
		s := getMap(m, side.key)
		s["ref"] = side.ref
		s["sha"] = side.sha
		s["label"] = b.Repo.Owner + ":" + side.ref
		patchUser(getMap(s, "user"), b.Repo.Owner, b.Repo.ownerType())
		if repo, ok := s["repo"].(map[string]any); ok {
			patchRepo(repo, b.Repo)
		}
	}
}

// PullRequest builds a pull_request delivery. Actions without an example of
// their own (edited, closed has one; assigned, converted_to_draft, ...) use
// the opened example's shape. For review_requested and
// review_request_removed, "requested_reviewer" is the last entry of
// pr.RequestedReviewers (override with Set). extra runs last.
func (b Build) PullRequest(action string, pr PR, extra ...func(map[string]any)) ([]byte, error) {
	p, err := b.pullRequest(action, pr)
	if err != nil {
		return nil, err
	}
	return finish(p, extra)
}

func (b Build) pullRequest(action string, pr PR) (map[string]any, error) {
	if err := pr.check(); err != nil {
		return nil, fmt.Errorf("build pull_request %s: %w", action, err)
	}
	p, err := b.start("pull_request", action, "opened", pr.Author)
	if err != nil {
		return nil, err
	}
	p["number"] = pr.Number
	b.patchPR(getMap(p, "pull_request"), pr)
	switch action {
	case "review_requested", "review_request_removed":
		if n := len(pr.RequestedReviewers); n > 0 {
			p["requested_reviewer"] = patchUser(getMap(p, "requested_reviewer"), pr.RequestedReviewers[n-1], "")
		} else {
			delete(p, "requested_reviewer")
		}
	case "edited":
		if _, ok := p["changes"]; !ok {
			p["changes"] = map[string]any{}
		}
	}
	if action != "labeled" && action != "unlabeled" {
		delete(p, "label")
	}
	return p, nil
}

// PullRequestLabeled builds a pull_request labeled or unlabeled delivery.
// The PR's labels are made consistent with the action: a labeled PR carries
// the label, an unlabeled one no longer does.
func (b Build) PullRequestLabeled(action string, pr PR, label string, extra ...func(map[string]any)) ([]byte, error) {
	if action != "labeled" && action != "unlabeled" {
		return nil, fmt.Errorf("build pull_request %s: PullRequestLabeled wants labeled or unlabeled", action)
	}
	if label == "" {
		return nil, fmt.Errorf("build pull_request %s: label name is required", action)
	}
	labels := slices.DeleteFunc(slices.Clone(pr.Labels), func(l string) bool { return l == label })
	if action == "labeled" {
		labels = append(labels, label)
	}
	pr.Labels = labels
	p, err := b.pullRequest(action, pr)
	if err != nil {
		return nil, err
	}
	p["label"] = b.label(label)
	return finish(p, extra)
}

// IssueComment builds an issue_comment delivery for an issue or, with isPR,
// a pull request's conversation. The builder does not know the issue's
// author, so the example's issue author is replaced by the repository owner.
func (b Build) IssueComment(action string, issueNumber int, isPR bool, title, body, commentBody, commenter string, commentID int64, extra ...func(map[string]any)) ([]byte, error) {
	if issueNumber <= 0 || commenter == "" || commentID <= 0 {
		return nil, fmt.Errorf("build issue_comment %s: need a positive issue number (%d), a commenter (%q) and a positive comment id (%d)",
			action, issueNumber, commenter, commentID)
	}
	p, err := b.start("issue_comment", action, "created", commenter)
	if err != nil {
		return nil, err
	}
	issue := getMap(p, "issue")
	b.patchIssue(issue, issueNumber, isPR, title, body, b.Repo.Owner)
	c := getMap(p, "comment")
	full, n, id := b.Repo.FullName(), strconv.Itoa(issueNumber), strconv.FormatInt(commentID, 10)
	c["id"] = commentID
	c["node_id"] = NodeID("IC", commentID)
	c["body"] = commentBody
	c["user"] = patchUser(getMap(c, "user"), commenter, "")
	c["url"] = apiURL + "/repos/" + full + "/issues/comments/" + id
	c["html_url"] = issue["html_url"].(string) + "#issuecomment-" + id
	c["issue_url"] = apiURL + "/repos/" + full + "/issues/" + n
	return finish(p, extra)
}

// patchIssue rewrites an issue object; isPR adds the pull_request links that
// mark an issue as a pull request's conversation.
func (b Build) patchIssue(m map[string]any, number int, isPR bool, title, body, author string) {
	full, n := b.Repo.FullName(), strconv.Itoa(number)
	api := apiURL + "/repos/" + full + "/issues/" + n
	id := StableID("issue", full, n)
	m["id"] = id
	m["node_id"] = NodeID("I", id)
	m["number"] = number
	m["title"] = title
	m["body"] = nullable(body)
	m["user"] = patchUser(getMap(m, "user"), author, "")
	m["url"] = api
	m["repository_url"] = apiURL + "/repos/" + full
	m["labels_url"] = api + "/labels{/name}"
	m["comments_url"] = api + "/comments"
	m["events_url"] = api + "/events"
	m["html_url"] = webURL + "/" + full + "/issues/" + n
	setExisting(m, "assignee", nil)
	setExisting(m, "assignees", []any{})
	setExisting(m, "milestone", nil)
	if isPR {
		html := webURL + "/" + full + "/pull/" + n
		m["html_url"] = html
		m["pull_request"] = map[string]any{
			"url":       apiURL + "/repos/" + full + "/pulls/" + n,
			"html_url":  html,
			"diff_url":  html + ".diff",
			"patch_url": html + ".patch",
			"merged_at": nil,
		}
	} else {
		delete(m, "pull_request")
	}
}

// Issues builds an issues delivery (opened and labeled have examples; other
// actions use the opened shape).
func (b Build) Issues(action string, number int, title, body, author string, extra ...func(map[string]any)) ([]byte, error) {
	if number <= 0 || author == "" {
		return nil, fmt.Errorf("build issues %s: need a positive number (%d) and an author (%q)", action, number, author)
	}
	p, err := b.start("issues", action, "opened", author)
	if err != nil {
		return nil, err
	}
	issue := getMap(p, "issue")
	b.patchIssue(issue, number, false, title, body, author)
	if action != "labeled" && action != "unlabeled" {
		delete(p, "label")
		issue["labels"] = []any{}
	}
	return finish(p, extra)
}

// CheckRun builds a check_run delivery for a run of this App. For
// requested_action, requestedActionID is the button's identifier. Actions
// without an example (created, completed) use the rerequested shape.
func (b Build) CheckRun(action string, checkRunID int64, name, headSHA string, prNumbers []int, requestedActionID string, extra ...func(map[string]any)) ([]byte, error) {
	if checkRunID <= 0 || name == "" || headSHA == "" {
		return nil, fmt.Errorf("build check_run %s: need a positive id (%d), a name (%q) and a head SHA (%q)", action, checkRunID, name, headSHA)
	}
	if action == "requested_action" && requestedActionID == "" {
		return nil, errors.New("build check_run requested_action: requested action identifier is required")
	}
	p, err := b.start("check_run", action, "rerequested", "")
	if err != nil {
		return nil, err
	}
	full, id := b.Repo.FullName(), strconv.FormatInt(checkRunID, 10)
	cr := getMap(p, "check_run")
	cr["id"] = checkRunID
	cr["node_id"] = NodeID("CR", checkRunID)
	cr["name"] = name
	cr["head_sha"] = headSHA
	cr["url"] = apiURL + "/repos/" + full + "/check-runs/" + id
	cr["html_url"] = webURL + "/" + full + "/runs/" + id
	prs := b.checkPRs(cr["pull_requests"], prNumbers, headSHA)
	cr["pull_requests"] = prs
	suite := getMap(cr, "check_suite")
	suite["head_sha"] = headSHA
	setExisting(suite, "after", headSHA)
	setExisting(suite, "pull_requests", prs)
	for _, app := range []map[string]any{getMap(cr, "app"), getMap(suite, "app")} {
		b.patchApp(app)
	}
	if action == "requested_action" {
		p["requested_action"] = map[string]any{"identifier": requestedActionID}
	} else {
		delete(p, "requested_action")
	}
	return finish(p, extra)
}

func (b Build) patchApp(app map[string]any) {
	if b.AppID != 0 {
		app["id"] = b.AppID
		setExisting(app, "node_id", NodeID("A", b.AppID))
	}
	if b.AppSlug != "" {
		app["slug"] = b.AppSlug
		app["name"] = b.AppSlug
		setExisting(app, "html_url", webURL+"/apps/"+b.AppSlug)
	}
	if owner, ok := app["owner"].(map[string]any); ok {
		patchUser(owner, b.Repo.Owner, b.Repo.ownerType())
	}
}

// checkPRs builds check_run.pull_requests in the example's minimal shape.
func (b Build) checkPRs(example any, numbers []int, headSHA string) []any {
	out := make([]any, 0, len(numbers))
	repo := map[string]any{"id": b.Repo.id(), "url": apiURL + "/repos/" + b.Repo.FullName(), "name": b.Repo.Name}
	headRef := ""
	if list, ok := example.([]any); ok && len(list) > 0 {
		if first, ok := list[0].(map[string]any); ok {
			if head, ok := first["head"].(map[string]any); ok {
				headRef, _ = head["ref"].(string)
			}
		}
	}
	for _, n := range numbers {
		num := strconv.Itoa(n)
		out = append(out, map[string]any{
			"url":    apiURL + "/repos/" + b.Repo.FullName() + "/pulls/" + num,
			"id":     StableID("pr", b.Repo.FullName(), num),
			"number": n,
			"head":   map[string]any{"ref": headRef, "sha": headSHA, "repo": repo},
			"base":   map[string]any{"ref": b.Repo.defaultBranch(), "sha": "", "repo": repo},
		})
	}
	return out
}

// Installation builds an installation delivery (created, deleted, ...) for
// the account that owns b.Repo, listing repos.
func (b Build) Installation(action string, repos []Repo, extra ...func(map[string]any)) ([]byte, error) {
	if b.InstallationID == 0 {
		return nil, fmt.Errorf("build installation %s: InstallationID is required", action)
	}
	p, err := b.start("installation", action, "created", "")
	if err != nil {
		return nil, err
	}
	inst := getMap(p, "installation")
	id := strconv.FormatInt(b.InstallationID, 10)
	acct := patchUser(getMap(inst, "account"), b.Repo.Owner, b.Repo.ownerType())
	inst["target_id"] = acct["id"]
	inst["target_type"] = b.Repo.ownerType()
	inst["access_tokens_url"] = apiURL + "/app/installations/" + id + "/access_tokens"
	inst["repositories_url"] = apiURL + "/installation/repositories"
	if b.Repo.ownerType() == "Organization" {
		inst["html_url"] = webURL + "/organizations/" + b.Repo.Owner + "/settings/installations/" + id
	} else {
		inst["html_url"] = webURL + "/settings/installations/" + id
	}
	if b.AppID != 0 {
		inst["app_id"] = b.AppID
	}
	if b.AppSlug != "" {
		setExisting(inst, "app_slug", b.AppSlug)
	}
	list := make([]any, 0, len(repos))
	for _, r := range repos {
		if err := r.check(); err != nil {
			return nil, fmt.Errorf("build installation %s: %w", action, err)
		}
		list = append(list, map[string]any{
			"id": r.id(), "node_id": NodeID("R", r.id()), "name": r.Name, "full_name": r.FullName(), "private": r.Private,
		})
	}
	p["repositories"] = list
	return finish(p, extra)
}

// Ping builds the ping GitHub sends when a hook is created.
func (b Build) Ping(hookID int64, extra ...func(map[string]any)) ([]byte, error) {
	p, err := b.start("ping", "", "", "")
	if err != nil {
		return nil, err
	}
	p["hook_id"] = hookID
	hook := getMap(p, "hook")
	hook["id"] = hookID
	base := apiURL + "/repos/" + b.Repo.FullName() + "/hooks/" + strconv.FormatInt(hookID, 10)
	setExisting(hook, "url", base)
	setExisting(hook, "test_url", base+"/test")
	setExisting(hook, "ping_url", base+"/pings")
	setExisting(hook, "deliveries_url", base+"/deliveries")
	if b.AppID != 0 {
		hook["type"] = "App"
		hook["app_id"] = b.AppID
	}
	return finish(p, extra)
}

// PullRequestReview builds a pull_request_review delivery. state is the
// review state in either spelling (APPROVED or approved); webhooks carry it
// lower-case. The review id is StableID(repo, number, reviewer, state, body)
// unless overridden with Set("review.id", ...).
func (b Build) PullRequestReview(action string, pr PR, reviewer, state, body string, extra ...func(map[string]any)) ([]byte, error) {
	if err := pr.check(); err != nil {
		return nil, fmt.Errorf("build pull_request_review %s: %w", action, err)
	}
	state = strings.ToLower(state)
	switch state {
	case "approved", "changes_requested", "commented", "dismissed", "pending":
	default:
		return nil, fmt.Errorf("build pull_request_review %s: review state %q: want approved, changes_requested, commented, dismissed or pending", action, state)
	}
	if reviewer == "" {
		return nil, fmt.Errorf("build pull_request_review %s: reviewer is required", action)
	}
	p, err := b.start("pull_request_review", action, "submitted", reviewer)
	if err != nil {
		return nil, err
	}
	b.patchPR(getMap(p, "pull_request"), pr)
	full, n := b.Repo.FullName(), strconv.Itoa(pr.Number)
	id := StableID("review", full, n, reviewer, state, body)
	r := getMap(p, "review")
	r["id"] = id
	r["node_id"] = NodeID("PRR", id)
	r["user"] = patchUser(getMap(r, "user"), reviewer, "")
	r["body"] = nullable(body)
	r["state"] = state
	r["commit_id"] = pr.HeadSHA
	html := webURL + "/" + full + "/pull/" + n + "#pullrequestreview-" + strconv.FormatInt(id, 10)
	r["html_url"] = html
	r["pull_request_url"] = apiURL + "/repos/" + full + "/pulls/" + n
	r["_links"] = map[string]any{
		"html":         map[string]any{"href": html},
		"pull_request": map[string]any{"href": apiURL + "/repos/" + full + "/pulls/" + n},
	}
	return finish(p, extra)
}

// Push builds a push delivery to branch whose one commit (after) added or
// modified paths, from GitHub's push example.
func (b Build) Push(branch, before, after string, paths []string, extra ...func(map[string]any)) ([]byte, error) {
	if branch == "" || after == "" {
		return nil, fmt.Errorf("build push: need a branch (%q) and a head commit (%q)", branch, after)
	}
	p, err := b.start("push", "", "", b.Repo.Owner)
	if err != nil {
		return nil, err
	}
	delete(p, "action")
	p["ref"] = "refs/heads/" + branch
	p["before"], p["after"] = before, after
	p["created"], p["deleted"], p["forced"] = false, false, false
	p["base_ref"] = nil
	modified := append([]any{}, anySlice(paths)...)
	commit := map[string]any{
		"id": after, "tree_id": after, "distinct": true, "message": "update",
		"timestamp": "2026-11-24T10:00:00Z", "url": "https://github.com/" + b.Repo.FullName() + "/commit/" + after,
		"author":    map[string]any{"name": b.Repo.Owner, "email": b.Repo.Owner + "@example.com", "username": b.Repo.Owner},
		"committer": map[string]any{"name": b.Repo.Owner, "email": b.Repo.Owner + "@example.com", "username": b.Repo.Owner},
		"added":     []any{}, "removed": []any{}, "modified": modified,
	}
	p["commits"] = []any{commit}
	p["head_commit"] = commit
	return finish(p, extra)
}

func anySlice(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
