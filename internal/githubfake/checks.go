package githubfake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
	"unicode/utf8"
)

type checkRun struct {
	id          int64
	name        string
	headSHA     string
	status      string
	conclusion  string
	externalID  string
	detailsURL  string
	started     time.Time
	completed   time.Time
	title       string
	summary     string
	text        string
	annotations []map[string]any
	actions     []any
	app         int64
	suite       int64
}

// checkRunWrite is the body of POST and PATCH .../check-runs.
type checkRunWrite struct {
	Name        *string `json:"name"`
	HeadSHA     *string `json:"head_sha"`
	DetailsURL  *string `json:"details_url"`
	ExternalID  *string `json:"external_id"`
	Status      *string `json:"status"`
	Conclusion  *string `json:"conclusion"`
	StartedAt   *string `json:"started_at"`
	CompletedAt *string `json:"completed_at"`
	Output      *struct {
		Title       *string          `json:"title"`
		Summary     *string          `json:"summary"`
		Text        *string          `json:"text"`
		Annotations []map[string]any `json:"annotations"`
	} `json:"output"`
	Actions []any `json:"actions"`
}

const (
	maxAnnotationsPerRequest = 50
	maxCheckOutput           = 65535
)

// apply validates w against GitHub's rules beyond the schema and merges it
// into cr; annotations accumulate across updates.
func (s *Server) applyCheckRun(cr *checkRun, w *checkRunWrite) (response, bool) {
	parseTime := func(field string, v *string) (time.Time, response, bool) {
		if v == nil || *v == "" {
			return time.Time{}, response{}, true
		}
		t, err := time.Parse(time.RFC3339, *v)
		if err != nil {
			return t, invalid("CheckRun", field, "invalid", field+" must be an ISO 8601 timestamp"), false
		}
		return t, response{}, true
	}
	started, resp, ok := parseTime("started_at", w.StartedAt)
	if !ok {
		return resp, false
	}
	completed, resp, ok := parseTime("completed_at", w.CompletedAt)
	if !ok {
		return resp, false
	}
	if w.Output != nil {
		if w.Output.Summary != nil && utf8.RuneCountInString(*w.Output.Summary) > maxCheckOutput {
			return invalid("CheckRun", "output.summary", "custom", fmt.Sprintf("Only %d characters are allowed; %d were supplied.", maxCheckOutput, utf8.RuneCountInString(*w.Output.Summary))), false
		}
		if w.Output.Text != nil && utf8.RuneCountInString(*w.Output.Text) > maxCheckOutput {
			return invalid("CheckRun", "output.text", "custom", fmt.Sprintf("Only %d characters are allowed; %d were supplied.", maxCheckOutput, utf8.RuneCountInString(*w.Output.Text))), false
		}
		if n := len(w.Output.Annotations); n > maxAnnotationsPerRequest {
			return invalid("CheckRun", "output.annotations", "custom", fmt.Sprintf("at most %d annotations per request; %d were supplied (send the rest in further PATCH requests)", maxAnnotationsPerRequest, n)), false
		}
	}
	status := cr.status
	if w.Status != nil {
		status = *w.Status
	}
	conclusion := cr.conclusion
	if w.Conclusion != nil {
		conclusion = *w.Conclusion
		if conclusion != "" {
			status = "completed"
		}
	}
	if conclusion == "stale" && w.Conclusion != nil {
		return invalid("CheckRun", "conclusion", "invalid", "only GitHub can set a conclusion of stale"), false
	}
	if status == "completed" && conclusion == "" {
		return invalid("CheckRun", "conclusion", "missing_field", "conclusion is required when status is completed"), false
	}
	if w.CompletedAt != nil && conclusion == "" {
		return invalid("CheckRun", "conclusion", "missing_field", "conclusion is required when completed_at is given"), false
	}
	// All checks passed: apply.
	if w.Name != nil {
		cr.name = *w.Name
	}
	if w.DetailsURL != nil {
		cr.detailsURL = *w.DetailsURL
	}
	if w.ExternalID != nil {
		cr.externalID = *w.ExternalID
	}
	cr.status, cr.conclusion = status, conclusion
	if !started.IsZero() {
		cr.started = started
	}
	if status == "completed" {
		switch {
		case !completed.IsZero():
			cr.completed = completed
		case cr.completed.IsZero():
			cr.completed = s.opts.Now()
		}
	}
	if w.Output != nil {
		if w.Output.Title != nil {
			cr.title = *w.Output.Title
		}
		if w.Output.Summary != nil {
			cr.summary = *w.Output.Summary
		}
		if w.Output.Text != nil {
			cr.text = *w.Output.Text
		}
		cr.annotations = append(cr.annotations, w.Output.Annotations...)
	}
	if w.Actions != nil {
		cr.actions = w.Actions
	}
	return response{}, true
}

func (s *Server) checkRunJSON(rp *repo, cr *checkRun) map[string]any {
	url := s.URL() + "/repos/" + rp.fullName() + "/check-runs/" + strconv.FormatInt(cr.id, 10)
	return map[string]any{
		"id": cr.id, "node_id": nodeID("CR", cr.id), "name": cr.name, "head_sha": cr.headSHA,
		"status": cr.status, "conclusion": nilIfEmpty(cr.conclusion),
		"external_id": cr.externalID, "details_url": nilIfEmpty(cr.detailsURL),
		"started_at": tsOrNil(cr.started), "completed_at": tsOrNil(cr.completed),
		"url": url, "html_url": "https://github.com/" + rp.fullName() + "/runs/" + strconv.FormatInt(cr.id, 10),
		"output": map[string]any{
			"title": nilIfEmpty(cr.title), "summary": nilIfEmpty(cr.summary), "text": nilIfEmpty(cr.text),
			"annotations_count": len(cr.annotations), "annotations_url": url + "/annotations",
		},
		"check_suite":   map[string]any{"id": cr.suite},
		"app":           map[string]any{"id": cr.app, "slug": s.app.slug, "name": s.app.name, "node_id": nodeID("A", cr.app), "owner": s.userJSON(s.userLocked(s.app.slug+"-owner", "Organization"))},
		"pull_requests": s.checkRunPulls(rp, cr.headSHA),
	}
}

func (s *Server) checkRunPulls(rp *repo, sha string) []any {
	out := []any{}
	for _, n := range sortedIssueNumbers(rp) {
		is := rp.issues[n]
		if is.pr == nil || is.state != "open" || s.headSHA(rp, is) != sha {
			continue
		}
		out = append(out, map[string]any{
			"id": is.id + 1_000_000, "number": is.number,
			"url":  s.URL() + "/repos/" + rp.fullName() + "/pulls/" + strconv.Itoa(is.number),
			"head": map[string]any{"ref": is.pr.head, "sha": sha, "repo": map[string]any{"id": rp.id, "name": rp.name, "url": s.URL() + "/repos/" + rp.fullName()}},
			"base": map[string]any{"ref": is.pr.base, "sha": s.baseSHA(rp, is), "repo": map[string]any{"id": rp.id, "name": rp.name, "url": s.URL() + "/repos/" + rp.fullName()}},
		})
	}
	return out
}

func sortedIssueNumbers(rp *repo) []int {
	ns := make([]int, 0, len(rp.issues))
	for n := range rp.issues {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	return ns
}

func hCreateCheckRun(s *Server, c *call) response {
	var w checkRunWrite
	if err := json.Unmarshal(c.body, &w); err != nil {
		return badJSON(err)
	}
	if w.Name == nil || *w.Name == "" {
		return invalid("CheckRun", "name", "missing_field", "")
	}
	if w.HeadSHA == nil || c.repo.commits[*w.HeadSHA] == nil {
		sha := ""
		if w.HeadSHA != nil {
			sha = *w.HeadSHA
		}
		return invalid("CheckRun", "head_sha", "invalid", "No commit found for SHA: "+sha)
	}
	cr := &checkRun{id: s.newID(), headSHA: *w.HeadSHA, status: "queued", app: s.app.id, suite: 7000 + c.repo.id}
	if resp, ok := s.applyCheckRun(cr, &w); !ok {
		return resp
	}
	if cr.started.IsZero() {
		cr.started = s.opts.Now()
	}
	c.repo.checkRuns[cr.id] = cr
	return jsonResp(http.StatusCreated, s.checkRunJSON(c.repo, cr))
}

func (c *call) checkRun() *checkRun {
	id, err := strconv.ParseInt(c.params["check_run_id"], 10, 64)
	if err != nil {
		return nil
	}
	return c.repo.checkRuns[id]
}

func hUpdateCheckRun(s *Server, c *call) response {
	cr := c.checkRun()
	if cr == nil {
		return notFound()
	}
	var w checkRunWrite
	if err := json.Unmarshal(c.body, &w); err != nil {
		return badJSON(err)
	}
	if w.HeadSHA != nil {
		w.HeadSHA = nil // not updatable; GitHub ignores it
	}
	// Validate on a copy so a rejected PATCH changes nothing.
	next := *cr
	next.annotations = append([]map[string]any(nil), cr.annotations...)
	if resp, ok := s.applyCheckRun(&next, &w); !ok {
		return resp
	}
	*cr = next
	return jsonResp(http.StatusOK, s.checkRunJSON(c.repo, cr))
}

func hGetCheckRun(s *Server, c *call) response {
	cr := c.checkRun()
	if cr == nil {
		return notFound()
	}
	return jsonResp(http.StatusOK, s.checkRunJSON(c.repo, cr))
}

func hListCheckRunsForRef(s *Server, c *call) response {
	rp := c.repo
	cm := rp.resolve(c.params["ref"])
	if cm == nil {
		return invalid("CheckRun", "ref", "invalid", "No commit found for SHA: "+c.params["ref"])
	}
	filter := defaultStr(c.query("filter"), "latest")
	if filter != "latest" && filter != "all" {
		return invalid("CheckRun", "filter", "invalid", "filter must be latest or all")
	}
	name, status := c.query("check_name"), c.query("status")
	appID := int64(atoiDefault(c.query("app_id"), 0))
	var runs []*checkRun
	for _, cr := range rp.checkRuns {
		if cr.headSHA != cm.sha || (name != "" && cr.name != name) || (status != "" && cr.status != status) || (appID != 0 && cr.app != appID) {
			continue
		}
		runs = append(runs, cr)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].id > runs[j].id })
	if filter == "latest" {
		seen := map[string]bool{}
		var latest []*checkRun
		for _, cr := range runs {
			if !seen[cr.name] {
				seen[cr.name] = true
				latest = append(latest, cr)
			}
		}
		runs = latest
	}
	out := []any{}
	for _, cr := range runs {
		out = append(out, s.checkRunJSON(rp, cr))
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, header: h, body: map[string]any{"total_count": len(out), "check_runs": page}}
}

func hListAnnotations(s *Server, c *call) response {
	cr := c.checkRun()
	if cr == nil {
		return notFound()
	}
	out := []any{}
	for _, a := range cr.annotations {
		j := map[string]any{"blob_href": "https://github.com/" + c.repo.fullName() + "/blob/" + cr.headSHA + "/" + fmt.Sprint(a["path"])}
		for _, k := range []string{"path", "start_line", "end_line", "start_column", "end_column", "annotation_level", "title", "message", "raw_details"} {
			j[k] = a[k]
		}
		out = append(out, j)
	}
	page, h := paginate(c, out)
	return response{status: http.StatusOK, body: page, header: h}
}

// CheckRunInfo is a read-only view of a check run.
type CheckRunInfo struct {
	ID                     int64
	Name, HeadSHA          string
	Status, Conclusion     string
	ExternalID             string
	Title, Summary, Text   string
	Annotations            []AnnotationInfo
	Actions                []string // identifiers of the requested-action buttons
	DetailsURL             string
	StartedAt, CompletedAt time.Time
}

// AnnotationInfo is a read-only view of one check-run annotation.
type AnnotationInfo struct {
	Path               string
	StartLine, EndLine int
	Level              string
	Title, Message     string
}

func annotationInfo(a map[string]any) AnnotationInfo {
	str := func(k string) string { s, _ := a[k].(string); return s }
	num := func(k string) int {
		switch v := a[k].(type) {
		case float64:
			return int(v)
		case int:
			return v
		}
		return 0
	}
	return AnnotationInfo{Path: str("path"), StartLine: num("start_line"), EndLine: num("end_line"),
		Level: str("annotation_level"), Title: str("title"), Message: str("message")}
}

// CheckRuns lists a repository's check runs (all SHAs), oldest first.
func (s *Server) CheckRuns(owner, name string) []CheckRunInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[repoKey(owner, name)]
	if rp == nil {
		return nil
	}
	var out []CheckRunInfo
	for _, cr := range rp.checkRuns {
		info := CheckRunInfo{ID: cr.id, Name: cr.name, HeadSHA: cr.headSHA, Status: cr.status,
			Conclusion: cr.conclusion, ExternalID: cr.externalID, Title: cr.title, Summary: cr.summary,
			Text: cr.text, DetailsURL: cr.detailsURL, StartedAt: cr.started, CompletedAt: cr.completed}
		for _, a := range cr.annotations {
			info.Annotations = append(info.Annotations, annotationInfo(a))
		}
		for _, a := range cr.actions {
			if m, ok := a.(map[string]any); ok {
				if id, ok := m["identifier"].(string); ok {
					info.Actions = append(info.Actions, id)
				}
			}
		}
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
