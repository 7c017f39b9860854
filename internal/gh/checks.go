package gh

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/google/go-github/v60/github"
)

// Check run output limits (GitHub rejects more).
const (
	maxCheckText          = 65000
	maxAnnotationsPerCall = 50
)

// Annotation points at a line of a file in a check run.
type Annotation struct {
	Path    string
	Line    int    // 1-based; 0 means 1
	EndLine int    // 0 means Line
	Level   string // "notice", "warning" or "failure"
	Title   string
	Message string
}

// Action is a button on a check run. GitHub limits: label ≤ 20 characters,
// identifier ≤ 20, description ≤ 40.
type Action struct {
	Label, Description, Identifier string
}

// CheckRun is the desired state of one named check run on a head SHA.
type CheckRun struct {
	Name        string
	HeadSHA     string
	Conclusion  string // success, failure, neutral, action_required, skipped, cancelled, timed_out
	Title       string
	Summary     string
	Text        string
	DetailsURL  string
	Annotations []Annotation
	Actions     []Action
}

// digest fingerprints the desired state. It is stored in the check run's
// external_id so an unchanged state costs no write and needs no extra read
// of the annotations.
func (cr CheckRun) digest() string {
	b, _ := json.Marshal(cr)
	sum := sha256.Sum256(b)
	return "overlap:" + hex.EncodeToString(sum[:12])
}

// checkRunUpdate is the body of PATCH /repos/{owner}/{repo}/check-runs/{id}
// as go-github's UpdateCheckRunOptions, except that actions is always sent.
type checkRunUpdate struct {
	Name       string                   `json:"name"`
	DetailsURL *string                  `json:"details_url,omitempty"`
	ExternalID *string                  `json:"external_id,omitempty"`
	Status     *string                  `json:"status,omitempty"`
	Conclusion *string                  `json:"conclusion,omitempty"`
	Output     *github.CheckRunOutput   `json:"output,omitempty"`
	Actions    []*github.CheckRunAction `json:"actions"`
}

func (c *Client) updateCheckRun(ctx context.Context, repo Repo, id int64, body checkRunUpdate) error {
	req, err := c.rest.NewRequest("PATCH", fmt.Sprintf("repos/%v/%v/check-runs/%v", repo.Owner, repo.Name, id), body)
	if err != nil {
		return err
	}
	_, err = c.rest.Do(ctx, req, nil)
	return err
}

// AppID is the app whose check runs FindCheckRun looks for (0: any app).
func (c *Client) AppID() int64 { return c.opts.AppID }

// SeedCheckRuns remembers runs as every check run of the app on sha (the
// per-event snapshot read them with the pull request, in one GraphQL
// request): FindCheckRun on sha is then served without a call, and the
// app's writes to sha keep the list current. Each run needs ID, Name,
// Status, ExternalID and Output.AnnotationsCount, what applyCheckRun reads.
// A list already remembered is kept.
func (c *Client) SeedCheckRuns(repo Repo, sha string, runs []*github.CheckRun) {
	key := repo.FullName() + "@" + sha
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.checks[key]; ok {
		return
	}
	if c.checks == nil {
		c.checks = map[string][]*github.CheckRun{}
	}
	c.checks[key] = append([]*github.CheckRun(nil), runs...)
}

// seededRun is FindCheckRun from a seeded list: the latest run with name
// (nil when none), and whether sha has a seeded list at all.
func (c *Client) seededRun(repo Repo, sha, name string) (*github.CheckRun, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	runs, ok := c.checks[repo.FullName()+"@"+sha]
	if !ok {
		return nil, false
	}
	return latestNamed(runs, name), true
}

// noteCheckRun keeps a seeded list of sha true after the app wrote run.
func (c *Client) noteCheckRun(repo Repo, sha string, run *github.CheckRun) {
	key := repo.FullName() + "@" + sha
	c.mu.Lock()
	defer c.mu.Unlock()
	runs, ok := c.checks[key]
	if !ok {
		return
	}
	for i, r := range runs {
		if r.GetID() == run.GetID() {
			runs[i] = run
			return
		}
	}
	c.checks[key] = append(runs, run)
}

func latestNamed(runs []*github.CheckRun, name string) *github.CheckRun {
	var latest *github.CheckRun
	for _, r := range runs {
		if r.GetName() != name {
			continue
		}
		if latest == nil || r.GetID() > latest.GetID() {
			latest = r
		}
	}
	return latest
}

// FindCheckRun returns the app's latest check run with name on sha, or nil:
// from the runs seeded for sha when there are (no call), else one listing.
func (c *Client) FindCheckRun(ctx context.Context, repo Repo, sha, name string) (*github.CheckRun, error) {
	if run, ok := c.seededRun(repo, sha, name); ok {
		return run, nil
	}
	opt := &github.ListCheckRunsOptions{CheckName: github.String(name), Filter: github.String("latest"), ListOptions: github.ListOptions{PerPage: 100}}
	if c.opts.AppID != 0 {
		opt.AppID = github.Int64(c.opts.AppID)
	}
	res, _, err := c.rest.Checks.ListCheckRunsForRef(ctx, repo.Owner, repo.Name, sha, opt)
	if err != nil {
		return nil, fmt.Errorf("list check runs %q on %s@%s: %w", name, repo.FullName(), short(sha), err)
	}
	return latestNamed(res.CheckRuns, name), nil
}

// UpsertCheckRun makes the app's check run called cr.Name on cr.HeadSHA
// match cr. An identical state is left alone. A changed state is PATCHed in
// place, except when the existing run carries annotations: GitHub appends
// annotations on update, so stale ones would linger, and a fresh run with
// the same name (which GitHub shows as the current one) is created instead.
func (c *Client) UpsertCheckRun(ctx context.Context, repo Repo, cr CheckRun) (Outcome, error) {
	existing, err := c.FindCheckRun(ctx, repo, cr.HeadSHA, cr.Name)
	if err != nil {
		return "", err
	}
	return c.applyCheckRun(ctx, repo, cr, existing)
}

// CompleteIfExists updates the app's check run called name on sha to cr
// only if one exists; it never creates one. Features use it when their
// check no longer applies (e.g. a label was removed).
func (c *Client) CompleteIfExists(ctx context.Context, repo Repo, cr CheckRun) (Outcome, error) {
	existing, err := c.FindCheckRun(ctx, repo, cr.HeadSHA, cr.Name)
	if err != nil {
		return "", err
	}
	if existing == nil {
		return Absent, nil
	}
	return c.applyCheckRun(ctx, repo, cr, existing)
}

// ApplyFoundCheckRun is UpsertCheckRun with the result of FindCheckRun for
// cr.Name on cr.HeadSHA already in hand (nil when there is none).
func (c *Client) ApplyFoundCheckRun(ctx context.Context, repo Repo, cr CheckRun, existing *github.CheckRun) (Outcome, error) {
	return c.applyCheckRun(ctx, repo, cr, existing)
}

func (c *Client) applyCheckRun(ctx context.Context, repo Repo, cr CheckRun, existing *github.CheckRun) (Outcome, error) {
	digest := cr.digest()
	if existing != nil && existing.GetExternalID() == digest && existing.GetStatus() == "completed" {
		return Unchanged, nil
	}
	output := &github.CheckRunOutput{
		Title:   github.String(cr.Title),
		Summary: github.String(Truncate(cr.Summary, maxCheckText)),
	}
	if cr.Text != "" {
		output.Text = github.String(Truncate(cr.Text, maxCheckText))
	}
	annotations := toAnnotations(cr.Annotations)
	first := annotations
	if len(first) > maxAnnotationsPerCall {
		first = first[:maxAnnotationsPerCall]
	}
	output.Annotations = first
	// With more annotations than one request takes, the run carries a
	// provisional fingerprint until the last of them is in: a follow-up
	// that fails leaves a run that does not look current, so the retry or
	// the sweep writes it again instead of keeping it half-annotated.
	ext := digest
	if len(annotations) > maxAnnotationsPerCall {
		ext = digest + ":partial"
	}
	var actions []*github.CheckRunAction
	for _, a := range cr.Actions {
		actions = append(actions, &github.CheckRunAction{Label: a.Label, Description: a.Description, Identifier: a.Identifier})
	}
	summary := cr.Conclusion + ": " + cr.Title
	var id int64
	outcome := Updated
	if existing == nil || existing.GetOutput().GetAnnotationsCount() > 0 {
		outcome = Created
		if !c.record(ctx, Write{Action: "check.create", Repo: repo.FullName(), Target: cr.Name + "@" + short(cr.HeadSHA), Summary: summary}) {
			return outcome, nil
		}
		opts := github.CreateCheckRunOptions{
			Name:       cr.Name,
			HeadSHA:    cr.HeadSHA,
			ExternalID: github.String(ext),
			Status:     github.String("completed"),
			Conclusion: github.String(cr.Conclusion),
			Output:     output,
			Actions:    actions,
		}
		if cr.DetailsURL != "" {
			opts.DetailsURL = github.String(cr.DetailsURL)
		}
		run, _, err := c.rest.Checks.CreateCheckRun(ctx, repo.Owner, repo.Name, opts)
		if err != nil {
			return "", fmt.Errorf("create check run %q on %s@%s: %w", cr.Name, repo.FullName(), short(cr.HeadSHA), err)
		}
		id = run.GetID()
		c.noteCheckRun(repo, cr.HeadSHA, run)
	} else {
		id = existing.GetID()
		if !c.record(ctx, Write{Action: "check.update", Repo: repo.FullName(), Target: cr.Name + "@" + short(cr.HeadSHA), Summary: summary}) {
			return outcome, nil
		}
		opts := checkRunUpdate{
			Name:       cr.Name,
			ExternalID: github.String(ext),
			Status:     github.String("completed"),
			Conclusion: github.String(cr.Conclusion),
			Output:     output,
			Actions:    actions,
		}
		if opts.Actions == nil {
			// GitHub keeps a run's buttons unless the update replaces
			// them; an explicit empty list removes a button that no
			// longer applies (go-github's options would omit it).
			opts.Actions = []*github.CheckRunAction{}
		}
		if cr.DetailsURL != "" {
			opts.DetailsURL = github.String(cr.DetailsURL)
		}
		if err := c.updateCheckRun(ctx, repo, id, opts); err != nil {
			return "", fmt.Errorf("update check run %q (%d) on %s: %w", cr.Name, id, repo.FullName(), err)
		}
		c.noteCheckRun(repo, cr.HeadSHA, &github.CheckRun{
			ID: github.Int64(id), Name: github.String(cr.Name), HeadSHA: github.String(cr.HeadSHA),
			Status: github.String("completed"), Conclusion: github.String(cr.Conclusion), ExternalID: github.String(ext),
			Output: &github.CheckRunOutput{Title: output.Title, Summary: output.Summary, AnnotationsCount: github.Int(len(first))},
		})
	}
	// GitHub takes at most 50 annotations a request; the rest are appended
	// by further updates of the same run.
	for rest := annotations[len(first):]; len(rest) > 0; {
		n := min(len(rest), maxAnnotationsPerCall)
		opts := github.UpdateCheckRunOptions{Name: cr.Name, Output: &github.CheckRunOutput{Title: output.Title, Summary: output.Summary, Text: output.Text, Annotations: rest[:n]}}
		if n == len(rest) {
			opts.ExternalID = github.String(digest) // the last part: the run is current
		}
		run, _, err := c.rest.Checks.UpdateCheckRun(ctx, repo.Owner, repo.Name, id, opts)
		if err != nil {
			return "", fmt.Errorf("add annotations to check run %q (%d) on %s: %w", cr.Name, id, repo.FullName(), err)
		}
		rest = rest[n:]
		if len(rest) == 0 && run != nil {
			c.noteCheckRun(repo, cr.HeadSHA, run)
		}
	}
	return outcome, nil
}

func toAnnotations(in []Annotation) []*github.CheckRunAnnotation {
	var out []*github.CheckRunAnnotation
	for _, a := range in {
		line := max(a.Line, 1)
		end := max(a.EndLine, line)
		level := a.Level
		if level == "" {
			level = "warning"
		}
		ann := &github.CheckRunAnnotation{
			Path:            github.String(a.Path),
			StartLine:       github.Int(line),
			EndLine:         github.Int(end),
			AnnotationLevel: github.String(level),
			Message:         github.String(a.Message),
		}
		if a.Title != "" {
			ann.Title = github.String(a.Title)
		}
		out = append(out, ann)
	}
	return out
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
