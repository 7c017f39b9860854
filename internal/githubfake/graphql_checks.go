package githubfake

import (
	"sort"
	"strconv"
	"strings"

	"github.com/overlaphq/overlap/internal/githubfake/gqlexec"
)

// gqlPullCommits serves PullRequest.commits: the PR's commits (those on its
// head not on its base), oldest first as GitHub lists them, each a
// PullRequestCommit whose commit is the full Commit object (so
// `commits(last: 1)` reaches the head's check suites). Callers hold s.mu.
func (s *Server) gqlPullCommits(rp *repo, is *issue) gqlexec.Lazy {
	return func(a map[string]any) (any, error) {
		inBase := rp.ancestors(s.baseSHA(rp, is))
		hist := rp.history(s.headSHA(rp, is))
		var items []any
		for i := len(hist) - 1; i >= 0; i-- {
			if inBase[hist[i].sha] {
				continue
			}
			cm := hist[i]
			items = append(items, map[string]any{
				"__typename": "PullRequestCommit", "id": nodeID("PRC", is.id) + cm.sha[:8],
				"url":    "https://github.com/" + rp.fullName() + "/pull/" + strconv.Itoa(is.number) + "/commits/" + cm.sha,
				"commit": s.gqlCommit(rp, cm),
			})
		}
		return gqlConnection(a, items, len(items))
	}
}

// gqlCheckSuites serves Commit.checkSuites: one suite per app with check
// runs on the commit (the emulator's apps create runs, and a suite with
// them, through the checks API), filtered by CheckSuiteFilter's appId and
// checkName as GitHub does (checkName keeps the suites with a run of that
// name).
func (s *Server) gqlCheckSuites(rp *repo, sha string) gqlexec.Lazy {
	return func(a map[string]any) (any, error) {
		var appID int64
		var checkName string
		if f, ok := a["filterBy"].(map[string]any); ok {
			if n, ok := intArg(f["appId"]); ok {
				appID = int64(n)
			}
			checkName = str(f["checkName"])
		}
		type key struct{ app, suite int64 }
		bySuite := map[key][]*checkRun{}
		var order []key
		for _, cr := range rp.checkRuns {
			if cr.headSHA != sha || (appID != 0 && cr.app != appID) {
				continue
			}
			k := key{cr.app, cr.suite}
			if _, ok := bySuite[k]; !ok {
				order = append(order, k)
			}
			bySuite[k] = append(bySuite[k], cr)
		}
		sort.Slice(order, func(i, j int) bool { return order[i].suite < order[j].suite })
		var items []any
		for _, k := range order {
			runs := bySuite[k]
			if checkName != "" && !hasRunNamed(runs, checkName) {
				continue
			}
			items = append(items, s.gqlCheckSuite(rp, sha, k.app, k.suite, runs))
		}
		return gqlConnection(a, items, len(items))
	}
}

func hasRunNamed(runs []*checkRun, name string) bool {
	for _, cr := range runs {
		if cr.name == name {
			return true
		}
	}
	return false
}

func (s *Server) gqlCheckSuite(rp *repo, sha string, app, suite int64, runs []*checkRun) map[string]any {
	status, conclusion := "COMPLETED", any(nil)
	for _, cr := range runs {
		if cr.status != "completed" {
			status = strings.ToUpper(cr.status)
		}
	}
	if status == "COMPLETED" && len(runs) > 0 {
		conclusion = "SUCCESS"
		for _, cr := range runs {
			if cr.conclusion != "success" && cr.conclusion != "skipped" && cr.conclusion != "neutral" {
				conclusion = strings.ToUpper(cr.conclusion)
			}
		}
	}
	return map[string]any{
		"__typename": "CheckSuite", "id": nodeID("CS", suite) + sha[:min(8, len(sha))], "databaseId": suite,
		"status": status, "conclusion": conclusion,
		"app": map[string]any{"__typename": "App", "databaseId": app, "slug": s.app.slug, "name": s.app.name, "id": nodeID("A", app)},
		"checkRuns": gqlexec.Lazy(func(a map[string]any) (any, error) {
			items := s.gqlCheckRuns(rp, runs, a)
			return gqlConnection(a, items, len(items))
		}),
	}
}

// gqlCheckRuns filters a suite's runs by CheckRunFilter (checkName,
// status/statuses, conclusions, appId, and checkType: LATEST keeps the
// newest run of each name, ALL every run), oldest first.
func (s *Server) gqlCheckRuns(rp *repo, runs []*checkRun, a map[string]any) []any {
	var name, checkType string
	var statuses, conclusions []string
	var appID int64
	if f, ok := a["filterBy"].(map[string]any); ok {
		name, checkType = str(f["checkName"]), str(f["checkType"])
		if st := str(f["status"]); st != "" {
			statuses = append(statuses, st)
		}
		statuses = append(statuses, enumList(f["statuses"])...)
		conclusions = enumList(f["conclusions"])
		if n, ok := intArg(f["appId"]); ok {
			appID = int64(n)
		}
	}
	sorted := append([]*checkRun(nil), runs...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].id < sorted[j].id })
	if checkType == "LATEST" {
		newest := map[string]int64{}
		for _, cr := range sorted {
			newest[cr.name] = cr.id
		}
		var keep []*checkRun
		for _, cr := range sorted {
			if newest[cr.name] == cr.id {
				keep = append(keep, cr)
			}
		}
		sorted = keep
	}
	var out []any
	for _, cr := range sorted {
		if (name != "" && cr.name != name) || (appID != 0 && cr.app != appID) ||
			(len(statuses) > 0 && !contains(statuses, strings.ToUpper(cr.status))) ||
			(len(conclusions) > 0 && !contains(conclusions, strings.ToUpper(cr.conclusion))) {
			continue
		}
		out = append(out, s.gqlCheckRun(rp, cr))
	}
	return out
}

// gqlCheckRun is a CheckRun as GraphQL has it: statuses and conclusions in
// upper case, the output's title/summary/text as fields, annotations as a
// connection.
func (s *Server) gqlCheckRun(rp *repo, cr *checkRun) map[string]any {
	var conclusion any
	if cr.conclusion != "" {
		conclusion = strings.ToUpper(cr.conclusion)
	}
	anns := make([]any, 0, len(cr.annotations))
	for _, an := range cr.annotations {
		level := strings.ToUpper(str(an["annotation_level"]))
		start, _ := intArg(an["start_line"])
		end, _ := intArg(an["end_line"])
		anns = append(anns, map[string]any{
			"__typename": "CheckAnnotation", "path": an["path"], "message": an["message"], "title": an["title"],
			"annotationLevel": level, "location": map[string]any{"start": map[string]any{"line": start}, "end": map[string]any{"line": end}},
		})
	}
	url := "https://github.com/" + rp.fullName() + "/runs/" + strconv.FormatInt(cr.id, 10)
	return map[string]any{
		"__typename": "CheckRun", "id": nodeID("CR", cr.id), "databaseId": cr.id,
		"name": cr.name, "status": strings.ToUpper(cr.status), "conclusion": conclusion,
		"externalId": nilIfEmpty(cr.externalID), "detailsUrl": nilIfEmpty(cr.detailsURL),
		"title": nilIfEmpty(cr.title), "summary": nilIfEmpty(cr.summary), "text": nilIfEmpty(cr.text),
		"startedAt": timeOrNil(cr.started), "completedAt": timeOrNil(cr.completed),
		"url": url, "permalink": url, "resourcePath": strings.TrimPrefix(url, "https://github.com"),
		"annotations": connOf(anns),
	}
}
