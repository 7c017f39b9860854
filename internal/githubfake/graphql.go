package githubfake

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/overlaphq/overlap/internal/githubfake/gqlexec"
)

// notFoundPrefix starts GitHub's NOT_FOUND errors; they are answers, not
// violations (the app may ask for a repository that was deleted).
const notFoundPrefix = "Could not resolve to "

// GraphQLQueries returns every GraphQL document received, oldest first.
func (s *Server) GraphQLQueries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.gqlQueries...)
}

func isMutation(body []byte) bool {
	var req struct {
		Query string `json:"query"`
	}
	_ = json.Unmarshal(body, &req)
	return strings.HasPrefix(strings.TrimSpace(req.Query), "mutation")
}

// handleGraphQL serves POST /graphql: authenticate, rate-limit, validate the
// document against GitHub's schema and execute it over the fake's state.
func (s *Server) handleGraphQL(ctx context.Context, c *call) response {
	schema, err := gqlexec.LoadGitHubSchema()
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.violate("load GitHub GraphQL schema: %v", err)
		return errResp(http.StatusInternalServerError, err.Error())
	}
	if resp, ok := s.authenticate(c); !ok {
		if !c.revoked {
			s.violate("POST /graphql: %v", resp.body.(map[string]any)["message"])
		}
		return resp
	}
	if resp, ok := s.rateCheck(c, "graphql"); !ok {
		return resp
	}
	if resp, ok := s.contentLimitLocked(c); !ok {
		return resp
	}
	var req struct {
		Query         string         `json:"query"`
		Variables     map[string]any `json:"variables"`
		OperationName string         `json:"operationName"`
	}
	dec := json.NewDecoder(strings.NewReader(string(c.body)))
	dec.UseNumber()
	if err := dec.Decode(&req); err != nil {
		s.violate("POST /graphql: body is not JSON: %v", err)
		return errResp(http.StatusBadRequest, "Problems parsing JSON")
	}
	s.gqlQueries = append(s.gqlQueries, req.Query)
	if strings.TrimSpace(req.Query) == "" {
		s.violate("POST /graphql: no query")
		return jsonResp(http.StatusOK, map[string]any{"errors": []any{map[string]any{"message": "A query attribute must be specified and must be a string."}}})
	}
	data, errs := schema.ExecuteOperation(ctx, req.Query, req.OperationName, req.Variables, s.gqlRoot(c))
	out := map[string]any{}
	if data != nil {
		out["data"] = data
	}
	if len(errs) > 0 {
		var list []any
		var bad []string
		for _, e := range errs {
			we := wireError(e)
			list = append(list, we)
			if we["type"] != "NOT_FOUND" {
				bad = append(bad, e.Error())
			}
		}
		out["errors"] = list
		if len(bad) > 0 {
			s.violate("POST /graphql: GitHub would reject this query: %s\n--- query ---\n%s", strings.Join(bad, "; "), req.Query)
		}
	}
	return jsonResp(http.StatusOK, out)
}

// wireError shapes an error like GitHub's: message, locations, path, and
// type NOT_FOUND for unresolvable nodes.
func wireError(err error) map[string]any {
	out := map[string]any{"message": err.Error()}
	if ge, ok := err.(*gqlerror.Error); ok {
		out["message"] = ge.Message
		if len(ge.Locations) > 0 {
			out["locations"] = ge.Locations
		}
		if len(ge.Path) > 0 {
			out["path"] = ge.Path
		}
	}
	if strings.HasPrefix(out["message"].(string), notFoundPrefix) {
		out["type"] = "NOT_FOUND"
	}
	return out
}

// gqlRoot builds the Query root over the fake's state. Objects are plain
// maps; anything that takes arguments is a gqlexec.Lazy. To serve a new
// field, add it to the object builder below (gqlRepo, gqlPull, ...).
// Callers hold s.mu for the whole execution.
func (s *Server) gqlRoot(c *call) map[string]any {
	return map[string]any{
		"repository": gqlexec.Lazy(func(a map[string]any) (any, error) {
			owner, name := str(a["owner"]), str(a["name"])
			rp := s.repos[repoKey(owner, name)]
			if rp == nil || rp.inst != c.inst.id {
				return nil, fmt.Errorf("%sa Repository with the name '%s/%s'.", notFoundPrefix, owner, name)
			}
			return s.withDiscussions(rp, s.gqlRepo(rp)), nil
		}),
		"user": gqlexec.Lazy(func(a map[string]any) (any, error) {
			u := s.users[strings.ToLower(str(a["login"]))]
			if u == nil || u.typ != "User" {
				return nil, fmt.Errorf("%sa User with the login of '%s'.", notFoundPrefix, str(a["login"]))
			}
			return s.gqlUser(u), nil
		}),
		"rateLimit": gqlexec.Lazy(func(map[string]any) (any, error) {
			win := s.window(c, "graphql")
			return map[string]any{
				"cost": 1, "limit": s.opts.RateLimit, "remaining": s.opts.RateLimit - win.used - 1,
				"used": win.used + 1, "resetAt": win.reset, "nodeCount": 1,
			}, nil
		}),
		"viewer":            s.gqlActor(s.userLocked(s.botLogin(), "Bot")),
		"search":            gqlexec.Lazy(func(a map[string]any) (any, error) { return s.gqlSearch(c, a) }), // search.go
		gqlexec.MutationKey: s.gqlMutations(c),
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func intArg(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}

// gqlConnection pages items like GitHub: first or last (1..100) is
// required; cursors are opaque offsets.
func gqlConnection(a map[string]any, items []any, total int) (map[string]any, error) {
	first, hasFirst := intArg(a["first"])
	last, hasLast := intArg(a["last"])
	if !hasFirst && !hasLast {
		return nil, fmt.Errorf("You must provide a `first` or `last` value to properly paginate the connection.")
	}
	if (hasFirst && (first < 0 || first > 100)) || (hasLast && (last < 0 || last > 100)) {
		return nil, fmt.Errorf("Requesting %d records on the connection exceeds the `first`/`last` limit of 100 records.", max(first, last))
	}
	start, end := 0, len(items)
	if after := str(a["after"]); after != "" {
		n, err := decodeCursor(after)
		if err != nil {
			return nil, err
		}
		start = min(n+1, len(items))
	}
	if before := str(a["before"]); before != "" {
		n, err := decodeCursor(before)
		if err != nil {
			return nil, err
		}
		end = max(min(n, len(items)), start)
	}
	if hasFirst && end-start > first {
		end = start + first
	}
	if hasLast && end-start > last {
		start = end - last
	}
	nodes := items[start:end]
	edges := make([]any, len(nodes))
	for i, n := range nodes {
		edges[i] = map[string]any{"node": n, "cursor": cursor(start + i)}
	}
	var startC, endC any
	if len(nodes) > 0 {
		startC, endC = cursor(start), cursor(end-1)
	}
	return map[string]any{
		"nodes": append([]any{}, nodes...), "edges": edges, "totalCount": total,
		"pageInfo": map[string]any{
			"hasNextPage": end < len(items), "hasPreviousPage": start > 0,
			"startCursor": startC, "endCursor": endC,
		},
	}, nil
}

func cursor(i int) string {
	return base64.StdEncoding.EncodeToString([]byte("cursor:v2:" + strconv.Itoa(i)))
}

func decodeCursor(c string) (int, error) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err == nil {
		if n, ok := strings.CutPrefix(string(b), "cursor:v2:"); ok {
			if i, err := strconv.Atoi(n); err == nil {
				return i, nil
			}
		}
	}
	return 0, fmt.Errorf("`%s` does not appear to be a valid cursor.", c)
}

func connOf(items []any) gqlexec.Lazy {
	return func(a map[string]any) (any, error) { return gqlConnection(a, items, len(items)) }
}

// gqlActor renders a user as the Actor interface (User or Bot; bots drop
// their "[bot]" suffix in GraphQL, as on GitHub).
func (s *Server) gqlActor(u *user) map[string]any {
	if u == nil {
		return nil
	}
	if u.typ == "Bot" {
		return map[string]any{"__typename": "Bot", "login": strings.TrimSuffix(u.login, "[bot]"),
			"id": nodeID("BOT", u.id), "databaseId": u.id, "url": "https://github.com/apps/" + strings.TrimSuffix(u.login, "[bot]")}
	}
	if u.typ == "Organization" {
		return map[string]any{"__typename": "Organization", "login": u.login, "id": nodeID("O", u.id), "databaseId": u.id, "name": nilIfEmpty(u.name)}
	}
	return s.gqlUser(u)
}

func (s *Server) gqlUser(u *user) map[string]any {
	var status any
	if u.status != nil {
		status = map[string]any{"message": u.status.message, "indicatesLimitedAvailability": u.status.limited, "emoji": nil}
	}
	return map[string]any{
		"__typename": "User", "login": u.login, "id": nodeID("U", u.id), "databaseId": u.id,
		"name": nilIfEmpty(u.name), "url": "https://github.com/" + u.login, "status": status,
	}
}

func (s *Server) gqlTeam(t *team) map[string]any {
	return map[string]any{"__typename": "Team", "slug": t.slug, "name": t.slug, "id": nodeID("T", t.id), "databaseId": t.id,
		"combinedSlug": t.org + "/" + t.slug}
}

func (s *Server) gqlRepo(rp *repo) map[string]any {
	var defaultRef any
	if rp.branches[rp.defaultBranch] != "" {
		defaultRef = s.gqlRef(rp, rp.defaultBranch)
	}
	return map[string]any{
		"__typename": "Repository", "id": nodeID("R", rp.id), "databaseId": rp.id,
		"name": rp.name, "nameWithOwner": rp.fullName(), "owner": s.gqlActor(rp.owner),
		"isPrivate": rp.private, "hasDiscussionsEnabled": rp.hasDiscussions, "hasIssuesEnabled": true,
		"url": "https://github.com/" + rp.fullName(), "defaultBranchRef": defaultRef,
		"ref": gqlexec.Lazy(func(a map[string]any) (any, error) {
			name := strings.TrimPrefix(str(a["qualifiedName"]), "refs/heads/")
			if rp.branches[name] == "" {
				return nil, nil
			}
			return s.gqlRef(rp, name), nil
		}),
		"object": gqlexec.Lazy(func(a map[string]any) (any, error) {
			return s.gqlObject(rp, str(a["expression"]), str(a["oid"])), nil
		}),
		"pullRequests": gqlexec.Lazy(func(a map[string]any) (any, error) { return s.gqlPullRequests(rp, a) }),
		"pullRequest": gqlexec.Lazy(func(a map[string]any) (any, error) {
			n, _ := intArg(a["number"])
			is := rp.issues[n]
			if is == nil || is.pr == nil {
				return nil, fmt.Errorf("%sa PullRequest with the number of %d.", notFoundPrefix, n)
			}
			return s.gqlPull(rp, is), nil
		}),
	}
}

func (s *Server) gqlRef(rp *repo, branch string) map[string]any {
	return map[string]any{
		"__typename": "Ref", "id": nodeID("REF", rp.id) + branch, "name": branch, "prefix": "refs/heads/",
		"target": s.gqlCommit(rp, rp.commits[rp.branches[branch]]),
	}
}

// gqlObject resolves Repository.object: "rev:path" (tree or blob), "rev"
// (commit) or an oid.
func (s *Server) gqlObject(rp *repo, expr, oid string) any {
	if oid != "" {
		if cm := rp.commits[oid]; cm != nil {
			return s.gqlCommit(rp, cm)
		}
		if content, ok := rp.blobs[oid]; ok {
			return gqlBlob(oid, content)
		}
		if _, ok := rp.trees[oid]; ok {
			return s.gqlTree(rp, oid, "")
		}
		return nil
	}
	rev, p, hasPath := strings.Cut(expr, ":")
	cm := rp.resolve(rev)
	if cm == nil {
		return nil
	}
	if !hasPath {
		return s.gqlCommit(rp, cm)
	}
	p = strings.Trim(p, "/")
	if content, ok := cm.files[p]; ok {
		return gqlBlob(gitHash("blob", content), content)
	}
	if p == "" {
		return s.gqlTree(rp, cm.tree, "")
	}
	dir := p
	parent, base := "", dir
	if i := strings.LastIndex(dir, "/"); i >= 0 {
		parent, base = dir[:i], dir[i+1:]
	}
	for _, e := range rp.subtree(cm.tree, parent) {
		if e.name == base && e.typ == "tree" {
			return s.gqlTree(rp, e.sha, dir)
		}
	}
	return nil
}

func gqlBlob(oid, content string) map[string]any {
	return map[string]any{"__typename": "Blob", "oid": oid, "text": content, "byteSize": len(content),
		"isBinary": false, "isTruncated": false, "abbreviatedOid": oid[:7]}
}

func (s *Server) gqlTree(rp *repo, sha, dir string) map[string]any {
	var entries []any
	for _, e := range rp.trees[sha] {
		e := e
		p := e.name
		if dir != "" {
			p = dir + "/" + e.name
		}
		entry := map[string]any{"name": e.name, "path": p, "type": e.typ, "mode": modeInt(e.mode), "oid": e.sha,
			"extension": extension(e.name), "isGenerated": false}
		entry["object"] = gqlexec.Lazy(func(map[string]any) (any, error) {
			if e.typ == "blob" {
				return gqlBlob(e.sha, rp.blobs[e.sha]), nil
			}
			return s.gqlTree(rp, e.sha, p), nil
		})
		entries = append(entries, entry)
	}
	if entries == nil {
		entries = []any{}
	}
	return map[string]any{"__typename": "Tree", "oid": sha, "abbreviatedOid": sha[:7], "entries": entries}
}

func modeInt(m string) int {
	n, _ := strconv.ParseInt(m, 8, 64)
	return int(n)
}

func extension(name string) any {
	if i := strings.LastIndex(name, "."); i > 0 {
		return name[i:]
	}
	return nil
}

func (s *Server) gqlCommit(rp *repo, cm *commit) map[string]any {
	if cm == nil {
		return nil
	}
	person := map[string]any{"name": cm.author.login, "email": email(cm.author), "date": cm.date, "user": s.gqlActorUser(cm.author)}
	headline, _, _ := strings.Cut(cm.message, "\n")
	return map[string]any{
		"__typename": "Commit", "oid": cm.sha, "abbreviatedOid": cm.sha[:7], "id": nodeID("C", rp.id) + cm.sha[:8],
		"committedDate": cm.date, "authoredDate": cm.date, "pushedDate": cm.date,
		"message": cm.message, "messageHeadline": headline,
		"url":    "https://github.com/" + rp.fullName() + "/commit/" + cm.sha,
		"author": person, "committer": person,
		"tree":        gqlexec.Lazy(func(map[string]any) (any, error) { return s.gqlTree(rp, cm.tree, ""), nil }),
		"checkSuites": s.gqlCheckSuites(rp, cm.sha), // graphql_checks.go
		"history": gqlexec.Lazy(func(a map[string]any) (any, error) {
			var list []any
			p := strings.Trim(str(a["path"]), "/")
			var since, until time.Time
			if v := str(a["since"]); v != "" {
				since, _ = time.Parse(time.RFC3339, v)
			}
			if v := str(a["until"]); v != "" {
				until, _ = time.Parse(time.RFC3339, v)
			}
			for _, h := range rp.history(cm.sha) {
				if p != "" && !rp.touches(h, p) {
					continue
				}
				if (!since.IsZero() && h.date.Before(since)) || (!until.IsZero() && h.date.After(until)) {
					continue
				}
				list = append(list, s.gqlCommit(rp, h))
			}
			return gqlConnection(a, list, len(list))
		}),
	}
}

// gqlActorUser is GitActor.user: only real users resolve.
func (s *Server) gqlActorUser(u *user) any {
	if u == nil || u.typ != "User" {
		return nil
	}
	return s.gqlUser(u)
}

func enumList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		out = append(out, str(x))
	}
	return out
}

func prState(is *issue) string {
	switch {
	case is.pr.merged:
		return "MERGED"
	case is.state == "closed":
		return "CLOSED"
	}
	return "OPEN"
}

func (s *Server) gqlPullRequests(rp *repo, a map[string]any) (any, error) {
	states := enumList(a["states"])
	labels := enumList(a["labels"])
	base, head := str(a["baseRefName"]), str(a["headRefName"])
	var list []*issue
	for _, n := range sortedIssueNumbers(rp) {
		is := rp.issues[n]
		if is.pr == nil {
			continue
		}
		if len(states) > 0 && !contains(states, prState(is)) {
			continue
		}
		if (base != "" && is.pr.base != base) || (head != "" && is.pr.head != head) {
			continue
		}
		if len(labels) > 0 && !hasAnyLabel(is, labels) {
			continue
		}
		list = append(list, is)
	}
	if ob, ok := a["orderBy"].(map[string]any); ok {
		field, dir := str(ob["field"]), str(ob["direction"])
		key := func(is *issue) time.Time { return is.created }
		if field == "UPDATED_AT" {
			key = func(is *issue) time.Time { return is.updated }
		}
		sort.SliceStable(list, func(i, j int) bool {
			if dir == "DESC" {
				return key(list[i]).After(key(list[j]))
			}
			return key(list[i]).Before(key(list[j]))
		})
	}
	items := make([]any, len(list))
	for i, is := range list {
		items[i] = s.gqlPull(rp, is)
	}
	return gqlConnection(a, items, len(items))
}

func contains(list []string, x string) bool {
	for _, v := range list {
		if v == x {
			return true
		}
	}
	return false
}

// hasAnyLabel: GitHub's labels argument on pullRequests/issues matches any.
func hasAnyLabel(is *issue, names []string) bool {
	for _, l := range is.labels {
		for _, n := range names {
			if strings.EqualFold(l.name, n) {
				return true
			}
		}
	}
	return false
}

func (s *Server) gqlPull(rp *repo, is *issue) map[string]any {
	pr := is.pr
	head, base := s.headSHA(rp, is), s.baseSHA(rp, is)
	labels := make([]any, 0, len(is.labels))
	for _, l := range is.labels {
		labels = append(labels, map[string]any{"name": l.name, "color": l.color, "id": nodeID("L", l.id)})
	}
	requests := []any{}
	for _, rq := range pr.requested {
		requests = append(requests, map[string]any{"requestedReviewer": s.gqlReviewer(rq), "asCodeOwner": false})
	}
	reviews := []any{}
	for _, rv := range pr.reviews {
		reviews = append(reviews, map[string]any{
			"__typename": "PullRequestReview", "id": nodeID("PRR", rv.id), "databaseId": rv.id,
			"author": s.gqlActor(rv.user), "state": rv.state, "body": rv.body,
			"submittedAt": rv.submitted, "createdAt": rv.submitted, "commit": map[string]any{"oid": rv.commit},
		})
	}
	var files []any
	adds, dels := 0, 0
	for _, fc := range rp.prChanges(head, base) {
		_, a, d := fc.patch()
		adds, dels = adds+a, dels+d
		files = append(files, map[string]any{"path": fc.path, "additions": a, "deletions": d,
			"changeType": map[string]string{"added": "ADDED", "modified": "MODIFIED", "removed": "DELETED"}[fc.status]})
	}
	var comments []any
	for _, cm := range rp.issueComments(is.number) {
		comments = append(comments, map[string]any{
			"__typename": "IssueComment", "id": nodeID("IC", cm.id), "databaseId": cm.id, "body": cm.body,
			"author": s.gqlActor(cm.user), "createdAt": cm.created, "updatedAt": cm.updated,
			"url": "https://github.com/" + rp.fullName() + "/pull/" + strconv.Itoa(is.number) + "#issuecomment-" + strconv.FormatInt(cm.id, 10),
		})
	}
	var mergedAt, closedAt any
	if !pr.mergedAt.IsZero() {
		mergedAt = pr.mergedAt
	}
	if !is.closed.IsZero() {
		closedAt = is.closed
	}
	return map[string]any{
		"__typename": "PullRequest", "id": nodeID("PR", is.id), "databaseId": is.id + 1_000_000,
		"number": is.number, "title": is.title, "body": is.body, "isDraft": pr.draft,
		"state": prState(is), "merged": pr.merged, "mergedAt": mergedAt, "closed": is.state == "closed", "closedAt": closedAt,
		"createdAt": is.created, "updatedAt": is.updated,
		"url":    "https://github.com/" + rp.fullName() + "/pull/" + strconv.Itoa(is.number),
		"author": s.gqlActor(is.user), "headRefName": pr.head, "headRefOid": head,
		"baseRefName": pr.base, "baseRefOid": base, "additions": adds, "deletions": dels, "changedFiles": len(files),
		"mergedBy":       s.gqlActor(pr.mergedBy),
		"labels":         connOf(labels),
		"reviewRequests": connOf(requests),
		"reviews": gqlexec.Lazy(func(a map[string]any) (any, error) {
			states := enumList(a["states"])
			var out []any
			for _, r := range reviews {
				if len(states) == 0 || contains(states, r.(map[string]any)["state"].(string)) {
					out = append(out, r)
				}
			}
			return gqlConnection(a, out, len(out))
		}),
		"files":             connOf(files),
		"commits":           s.gqlPullCommits(rp, is),                                                                         // graphql_checks.go
		"statusCheckRollup": gqlexec.Lazy(func(map[string]any) (any, error) { return s.gqlStatusCheckRollup(rp, head), nil }), // adr.go
		"comments":          connOf(comments),
		"timelineItems": gqlexec.Lazy(func(a map[string]any) (any, error) {
			items := s.gqlTimeline(rp, is, enumList(a["itemTypes"]), reviews, comments)
			return gqlConnection(a, items, len(items))
		}),
		"repository": map[string]any{"nameWithOwner": rp.fullName(), "name": rp.name, "id": nodeID("R", rp.id)},
	}
}

func (s *Server) gqlReviewer(rq *reviewRequest) map[string]any {
	if rq.team != nil {
		return s.gqlTeam(rq.team)
	}
	return s.gqlActor(rq.user)
}

// gqlTimeline lists the PR's timeline items of the requested types, oldest
// first: review requests, reviews and comments.
func (s *Server) gqlTimeline(rp *repo, is *issue, types []string, reviews, comments []any) []any {
	type item struct {
		at time.Time
		v  any
	}
	var items []item
	want := func(t string) bool { return len(types) == 0 || contains(types, t) }
	if want("REVIEW_REQUESTED_EVENT") {
		for _, rq := range is.pr.requestLog {
			items = append(items, item{rq.at, map[string]any{
				"__typename": "ReviewRequestedEvent", "id": nodeID("RRE", rq.at.UnixNano()),
				"createdAt": rq.at, "actor": s.gqlActor(rq.by), "requestedReviewer": s.gqlReviewer(rq),
			}})
		}
	}
	if want("READY_FOR_REVIEW_EVENT") {
		for _, ev := range is.pr.readyLog {
			items = append(items, item{ev.at, map[string]any{
				"__typename": "ReadyForReviewEvent", "id": nodeID("RFR", ev.at.UnixNano()),
				"createdAt": ev.at, "actor": s.gqlActor(ev.by),
			}})
		}
	}
	if want("PULL_REQUEST_REVIEW") {
		for _, r := range reviews {
			items = append(items, item{r.(map[string]any)["submittedAt"].(time.Time), r})
		}
	}
	if want("ISSUE_COMMENT") {
		for _, c := range comments {
			items = append(items, item{c.(map[string]any)["createdAt"].(time.Time), c})
		}
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].at.Before(items[j].at) })
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it.v
	}
	return out
}
