package githubfake

import (
	"sort"
	"strconv"
	"strings"
)

// gqlStatusCheckRollup serves PullRequest.statusCheckRollup for a head
// commit: the latest check run per name and app, as GitHub's rollup lists
// them (conclusions and statuses in GraphQL's upper case), and the combined
// state. A commit without check runs has no rollup (null), as on GitHub.
// Callers hold s.mu.
func (s *Server) gqlStatusCheckRollup(rp *repo, sha string) any {
	type key struct {
		name string
		app  int64
	}
	latest := map[key]*checkRun{}
	for _, cr := range rp.checkRuns {
		if cr.headSHA != sha {
			continue
		}
		k := key{cr.name, cr.app}
		if old := latest[k]; old == nil || cr.id > old.id {
			latest[k] = cr
		}
	}
	if len(latest) == 0 {
		return nil
	}
	runs := make([]*checkRun, 0, len(latest))
	for _, cr := range latest {
		runs = append(runs, cr)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].id < runs[j].id })
	state := "SUCCESS"
	items := make([]any, 0, len(runs))
	for _, cr := range runs {
		var conclusion any
		if cr.conclusion != "" {
			conclusion = strings.ToUpper(cr.conclusion)
		}
		switch {
		case cr.status != "completed":
			if state == "SUCCESS" {
				state = "PENDING"
			}
		case cr.conclusion == "failure" || cr.conclusion == "action_required" || cr.conclusion == "timed_out" || cr.conclusion == "cancelled":
			state = "FAILURE"
		}
		items = append(items, map[string]any{
			"__typename": "CheckRun", "id": nodeID("CR", cr.id), "databaseId": cr.id,
			"name": cr.name, "status": strings.ToUpper(cr.status), "conclusion": conclusion,
			"title": nilIfEmpty(cr.title), "summary": nilIfEmpty(cr.summary), "detailsUrl": nilIfEmpty(cr.detailsURL),
			"url": "https://github.com/" + rp.fullName() + "/runs/" + strconv.FormatInt(cr.id, 10),
		})
	}
	return map[string]any{
		"__typename": "StatusCheckRollup", "id": nodeID("SCR", int64(len(sha))) + sha[:min(8, len(sha))],
		"state": state, "contexts": connOf(items),
	}
}
