package githubfake

// handler serves one REST operation. It runs with s.mu held, after
// authentication, rate limiting, repository visibility and body validation.
type handler func(s *Server, c *call) response

// handlers maps GitHub operation templates (as in openapi_operations.yaml)
// to their implementation. An operation GitHub has but this map lacks is
// answered 501 and recorded as a violation.
var handlers = map[string]handler{
	"GET /app":               hGetApp,
	"GET /app/installations": hListInstallations,
	"GET /app/installations/{installation_id}":                hGetInstallation,
	"POST /app/installations/{installation_id}/access_tokens": hCreateToken,
	"GET /installation/repositories":                          hInstallationRepos,
	"GET /repos/{owner}/{repo}/installation":                  hRepoInstallation,
	"GET /orgs/{org}/installation":                            hAccountInstallation,
	"GET /users/{username}/installation":                      hAccountInstallation,
	"GET /app/hook/deliveries":                                hListDeliveries,
	"GET /app/hook/deliveries/{delivery_id}":                  hGetDelivery,
	"POST /app/hook/deliveries/{delivery_id}/attempts":        hRedeliver,

	"GET /repos/{owner}/{repo}":                      hGetRepo,
	"GET /repos/{owner}/{repo}/contents/{path}":      hGetContents,
	"GET /repos/{owner}/{repo}/git/trees/{tree_sha}": hGetTree,
	"GET /repos/{owner}/{repo}/commits":              hListCommits,
	"GET /repos/{owner}/{repo}/commits/{ref}":        hGetCommit,
	"GET /repos/{owner}/{repo}/branches":             hListBranches,
	"GET /repos/{owner}/{repo}/branches/{branch}":    hGetBranch,
	"GET /repos/{owner}/{repo}/git/ref/{ref}":        hGetRef,
	"GET /repos/{owner}/{repo}/labels":               hListRepoLabels,

	"GET /repos/{owner}/{repo}/pulls":                                      hListPulls,
	"GET /repos/{owner}/{repo}/pulls/{pull_number}":                        hGetPull,
	"GET /repos/{owner}/{repo}/pulls/{pull_number}/files":                  hListPullFiles,
	"GET /repos/{owner}/{repo}/pulls/{pull_number}/commits":                hListPullCommits,
	"GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews":                hListReviews,
	"GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers":    hGetRequestedReviewers,
	"POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers":   hRequestReviewers,
	"DELETE /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": hRequestReviewers,

	"GET /repos/{owner}/{repo}/issues":                                 hListIssues,
	"POST /repos/{owner}/{repo}/issues":                                hCreateIssue,
	"GET /repos/{owner}/{repo}/issues/{issue_number}":                  hGetIssue,
	"PATCH /repos/{owner}/{repo}/issues/{issue_number}":                hUpdateIssue,
	"GET /repos/{owner}/{repo}/issues/{issue_number}/labels":           hListIssueLabels,
	"POST /repos/{owner}/{repo}/issues/{issue_number}/labels":          hAddIssueLabels,
	"PUT /repos/{owner}/{repo}/issues/{issue_number}/labels":           hSetIssueLabels,
	"DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels":        hRemoveAllIssueLabels,
	"DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}": hRemoveIssueLabel,
	"POST /repos/{owner}/{repo}/issues/{issue_number}/assignees":       hAssignees,
	"DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees":     hAssignees,
	"GET /repos/{owner}/{repo}/issues/{issue_number}/comments":         hListIssueComments,
	"POST /repos/{owner}/{repo}/issues/{issue_number}/comments":        hCreateComment,
	"GET /repos/{owner}/{repo}/issues/comments":                        hListRepoComments,
	"GET /repos/{owner}/{repo}/issues/comments/{comment_id}":           hGetComment,
	"PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}":         hUpdateComment,
	"DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}":        hDeleteComment,

	"POST /repos/{owner}/{repo}/check-runs":                           hCreateCheckRun,
	"GET /repos/{owner}/{repo}/check-runs/{check_run_id}":             hGetCheckRun,
	"PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}":           hUpdateCheckRun,
	"GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": hListAnnotations,
	"GET /repos/{owner}/{repo}/commits/{ref}/check-runs":              hListCheckRunsForRef,

	"GET /repos/{owner}/{repo}/collaborators/{username}/permission": hCollaboratorPermission,
	"GET /repos/{owner}/{repo}/assignees/{assignee}":                hCheckAssignee,
	"GET /orgs/{org}/teams/{team_slug}/members":                     hTeamMembers,
	"GET /users/{username}":                                         hGetUser,
}
