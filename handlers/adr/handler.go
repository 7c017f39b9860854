package adr

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

// Feature is the "Decision records" feature: handlers.Feature for
// pull_request, check_run and issue_comment events, handlers.Sweeper for
// the catch-up sweep and handlers.SectionSource for the docs tracking issue.
type Feature struct{}

var (
	_ handlers.Feature       = Feature{}
	_ handlers.Sweeper       = Feature{}
	_ handlers.SectionSource = Feature{}
)

// Name implements handlers.Feature.
func (Feature) Name() string { return "adr" }

// Events implements handlers.Feature.
func (Feature) Events() []string { return []string{"pull_request", "check_run", "issue_comment"} }

// prActions are the pull_request actions that can change what the feature
// decides: labels, title and body (links), head (files), state.
var prActions = map[string]bool{
	"opened": true, "reopened": true, "labeled": true, "unlabeled": true,
	"synchronize": true, "edited": true, "ready_for_review": true,
}

// Marker is the sticky comment's marker.
var Marker = gh.Marker("adr")

// replyMarker keys the answer to one `/adr` command comment, so a
// redelivered or edited command gets the same single reply.
func replyMarker(commentID int64) string {
	return gh.Marker("adr", "reply", strconv.FormatInt(commentID, 10))
}

// Handle implements handlers.Feature.
func (f Feature) Handle(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	switch ev.Type {
	case "pull_request":
		return f.handlePullRequest(ctx, env, ev)
	case "check_run":
		return f.handleCheckRun(ctx, env, ev)
	case "issue_comment":
		return f.handleComment(ctx, env, ev)
	}
	return nil
}

func (f Feature) handlePullRequest(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if !prActions[ev.Action] {
		return nil
	}
	var e github.PullRequestEvent
	if err := json.Unmarshal(ev.Payload, &e); err != nil {
		return fmt.Errorf("parse pull_request payload: %w", err)
	}
	p := e.GetPullRequest()
	if p == nil || p.GetState() != "open" {
		return nil
	}
	s, err := settings(ctx, env)
	if err != nil {
		return err
	}
	// Removing a decision label is the one way a PR that is not a decision
	// PR may have a prompt and a check to retire; any other event on such a
	// PR costs nothing.
	retire := ev.Action == "unlabeled" && IsDecisionPR([]string{e.GetLabel().GetName()}, s.Labels)
	return f.reconcile(ctx, env, s, prFromREST(env.Repo, p), reconcileOpts{mayRetire: retire})
}

func (f Feature) handleCheckRun(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if ev.Action != "rerequested" && ev.Action != "requested_action" {
		return nil
	}
	var e github.CheckRunEvent
	if err := json.Unmarshal(ev.Payload, &e); err != nil {
		return fmt.Errorf("parse check_run payload: %w", err)
	}
	run := e.GetCheckRun()
	if run.GetName() != CheckName {
		return nil
	}
	var skip *Skip
	if ev.Action == "requested_action" {
		var ok bool
		if e.GetRequestedAction() == nil {
			return nil
		}
		if skip, ok = SkipFromAction(e.GetRequestedAction().Identifier, ev.Sender); !ok {
			return nil
		}
		writer, err := hasWriteAccess(ctx, env, ev.Sender)
		if err != nil {
			return err
		}
		if !writer {
			// GitHub shows the button only to people who can write to the
			// repository; a click from anyone else is ignored, not obeyed.
			zerolog.Ctx(ctx).Info().Str("sender", ev.Sender).Msg("adr: skip button pressed without write access; ignored")
			return nil
		}
	}
	s, err := settings(ctx, env)
	if err != nil {
		return err
	}
	// check_run.pull_requests lists the PRs of this repository whose head is
	// the run's SHA (it is empty for PRs from forks; the sweep covers those).
	for _, ref := range run.PullRequests {
		p, err := getPR(ctx, env, ref.GetNumber())
		if err != nil {
			return err
		}
		if p == nil || p.GetState() != "open" {
			continue
		}
		if err := f.reconcile(ctx, env, s, prFromREST(env.Repo, p), reconcileOpts{skip: skip, mayRetire: true}); err != nil {
			return err
		}
	}
	return nil
}

func (f Feature) handleComment(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if ev.Action != "created" && ev.Action != "edited" {
		return nil
	}
	var e github.IssueCommentEvent
	if err := json.Unmarshal(ev.Payload, &e); err != nil {
		return fmt.Errorf("parse issue_comment payload: %w", err)
	}
	if !e.GetIssue().IsPullRequest() || e.GetIssue().GetState() == "closed" || ev.SenderType == "Bot" {
		return nil
	}
	cm := e.GetComment()
	cmd, ok := ParseCommand(cm.GetBody())
	if !ok {
		// An edit that removed a command retires the answer to it; checked
		// only when the old text had one, so ordinary edits cost nothing.
		if ev.Action == "edited" && e.GetChanges() != nil && e.GetChanges().GetBody() != nil {
			if _, had := ParseCommand(e.GetChanges().GetBody().GetFrom()); had {
				_, err := env.GH.DeleteComment(ctx, env.Repo, e.GetIssue().GetNumber(), replyMarker(cm.GetID()))
				return err
			}
		}
		return nil
	}
	s, err := settings(ctx, env)
	if err != nil {
		return err
	}
	if !s.Enabled {
		return nil
	}
	by := cm.GetUser().GetLogin()
	if by == "" {
		by = ev.Sender
	}
	writer := false
	if NeedsWriter(cmd) {
		if writer, err = hasWriteAccess(ctx, env, by); err != nil {
			return err
		}
	}
	res := DecideCommand(cmd, by, writer)
	number := e.GetIssue().GetNumber()
	switch {
	case res.Reply != "":
		if _, err := env.GH.UpsertComment(ctx, env.Repo, number, replyMarker(cm.GetID()), res.Reply); err != nil {
			return err
		}
	case ev.Action == "edited":
		// The command is fine now: an earlier refusal no longer applies.
		if _, err := env.GH.DeleteComment(ctx, env.Repo, number, replyMarker(cm.GetID())); err != nil {
			return err
		}
	}
	if res.Skip == nil {
		return nil
	}
	p, err := getPR(ctx, env, number)
	if err != nil || p == nil || p.GetState() != "open" {
		return err
	}
	return f.reconcile(ctx, env, s, prFromREST(env.Repo, p), reconcileOpts{skip: res.Skip, mayRetire: true})
}

// reconcileOpts carry what the triggering event adds to what is on GitHub.
type reconcileOpts struct {
	// skip is a fresh `/adr skip` or button press; it replaces the one kept
	// in the sticky comment.
	skip *Skip
	// mayRetire says a PR that is not a decision PR may still have a
	// comment or check to retire, worth two lookups.
	mayRetire bool
}

// reconcile fetches what Decide needs for one PR, decides and applies.
func (f Feature) reconcile(ctx context.Context, env *handlers.Env, s Settings, pr PR, o reconcileOpts) error {
	s = s.normalized()
	decision := s.Enabled && IsDecisionPR(pr.Labels, s.Labels)
	if !decision && !o.mayRetire {
		return nil
	}
	comments, err := env.GH.FindComments(ctx, env.Repo, pr.Number, Marker)
	if err != nil {
		return err
	}
	run, err := env.GH.FindCheckRun(ctx, env.Repo, pr.HeadSHA, CheckName)
	if err != nil {
		return err
	}
	in := Input{Settings: s, PR: pr, Now: env.Now, CheckExists: run != nil, CommentExists: len(comments) > 0}
	if len(comments) > 0 {
		in.Skip = StateFromComment(comments[0].GetBody()).Skip
	}
	if o.skip != nil {
		in.Skip = o.skip
	}
	if decision {
		if err := gather(ctx, env, s, &in); err != nil {
			return err
		}
	}
	want := Decide(in)
	if want.Comment != nil {
		if _, err := env.GH.UpsertFoundComment(ctx, env.Repo, pr.Number, Marker, *want.Comment, comments); err != nil {
			return err
		}
	}
	if want.Check != nil {
		if _, err := env.GH.ApplyFoundCheckRun(ctx, env.Repo, toGH(*want.Check), run); err != nil {
			return err
		}
	}
	return nil
}

// gather fills in the PR's files (with the head text of its ADR files), the
// base branch's records, other open decision PRs' new records and the
// confirmed linked records.
func gather(ctx context.Context, env *handlers.Env, s Settings, in *Input) error {
	pr := in.PR
	list, err := env.PullRequestFiles(ctx, pr.Number)
	if err != nil {
		return err
	}
	for _, cf := range list {
		in.Files = append(in.Files, File{Path: cf.GetFilename(), Status: cf.GetStatus(), PreviousPath: cf.GetPreviousFilename()})
	}
	var heads []string
	for _, f := range adrFiles(in.Files, s.Directory) {
		heads = append(heads, f.Path)
	}
	snap, err := fetchSnapshot(ctx, env, s, pr.BaseRef, pr.HeadSHA, heads)
	if err != nil {
		return err
	}
	in.BaseADRs = snap.baseNames
	for i := range in.Files {
		if text, ok := snap.heads[in.Files[i].Path]; ok {
			in.Files[i].Content = text
		}
	}
	for _, o := range snap.prs {
		if o.Number == pr.Number {
			continue
		}
		for _, f := range o.Files.Nodes {
			if (f.ChangeType == "ADDED" || f.ChangeType == "RENAMED") && inDir(f.Path, s.Directory) {
				in.OtherPRADRs = append(in.OtherPRADRs, baseName(f.Path))
			}
		}
	}
	if len(heads) == 0 {
		in.Linked, err = confirmLinks(ctx, env, s, pr, snap.baseNames)
		if err != nil {
			return err
		}
	}
	return nil
}

// confirmLinks keeps the linked records that exist: records of this
// repository are looked up in the base listing already fetched (no call);
// others cost one contents read each (at most MaxLinkCandidates).
func confirmLinks(ctx context.Context, env *handlers.Env, s Settings, pr PR, baseNames []string) ([]LinkedRef, error) {
	have := map[string]bool{}
	for _, n := range baseNames {
		have[n] = true
	}
	var out []LinkedRef
	for _, c := range LinkCandidates(pr.Body, pr.Owner, pr.Repo, s.Directory) {
		local := equalFold(c.Owner, pr.Owner) && equalFold(c.Repo, pr.Repo)
		if local && c.Ref == "" {
			if inDir(c.Path, s.Directory) && have[baseName(c.Path)] {
				out = append(out, c)
			}
			continue
		}
		ok, err := fileExists(ctx, env, c)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// fileExists reads a linked record. Not found, or a repository the
// installation cannot read (GitHub answers 404 or 403), means "not
// confirmed", not an error.
func fileExists(ctx context.Context, env *handlers.Env, l LinkedRef) (bool, error) {
	var opt *github.RepositoryContentGetOptions
	if l.Ref != "" {
		opt = &github.RepositoryContentGetOptions{Ref: l.Ref}
	}
	fc, _, resp, err := env.REST.Repositories.GetContents(ctx, l.Owner, l.Repo, l.Path, opt)
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden) {
			return false, nil
		}
		return false, fmt.Errorf("read linked record %s/%s:%s: %w", l.Owner, l.Repo, l.Path, err)
	}
	return fc != nil && fc.GetType() == "file", nil
}

// hasWriteAccess asks GitHub for user's permission on the repository:
// write, maintain and admin count (the API reports maintain as write).
func hasWriteAccess(ctx context.Context, env *handlers.Env, user string) (bool, error) {
	if user == "" {
		return false, nil
	}
	lvl, resp, err := env.REST.Repositories.GetPermissionLevel(ctx, env.Repo.Owner, env.Repo.Name, user)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return false, nil
		}
		return false, fmt.Errorf("read %s's permission on %s: %w", user, env.Repo.FullName(), err)
	}
	switch lvl.GetPermission() {
	case "admin", "maintain", "write":
		return true, nil
	}
	return false, nil
}

// getPR reads a pull request (nil when it no longer exists).
func getPR(ctx context.Context, env *handlers.Env, number int) (*github.PullRequest, error) {
	p, resp, err := env.REST.PullRequests.Get(ctx, env.Repo.Owner, env.Repo.Name, number)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("get %s#%d: %w", env.Repo.FullName(), number, err)
	}
	return p, nil
}

// settings reads the adr block of the policy in force.
func settings(ctx context.Context, env *handlers.Env) (Settings, error) {
	pol, err := env.Policy(ctx)
	if err != nil {
		return Settings{}, fmt.Errorf("adr: load policy of %s: %w", env.Repo.FullName(), err)
	}
	return SettingsFrom(pol.Policy.ADR).normalized(), nil
}

func prFromREST(repo gh.Repo, p *github.PullRequest) PR {
	pr := PR{
		Owner: repo.Owner, Repo: repo.Name, Number: p.GetNumber(), Title: p.GetTitle(), Body: p.GetBody(),
		Author: p.GetUser().GetLogin(), HTMLURL: p.GetHTMLURL(), HeadSHA: p.GetHead().GetSHA(), BaseRef: p.GetBase().GetRef(),
	}
	for _, l := range p.Labels {
		pr.Labels = append(pr.Labels, l.GetName())
	}
	return pr
}

// toGH converts the decided check run for the write path.
func toGH(c CheckRun) gh.CheckRun {
	out := gh.CheckRun{Name: c.Name, HeadSHA: c.HeadSHA, Conclusion: c.Conclusion, Title: c.Title,
		Summary: c.Summary, Text: c.Text, DetailsURL: c.DetailsURL}
	for _, a := range c.Annotations {
		out.Annotations = append(out.Annotations, gh.Annotation{Path: a.Path, Line: a.Line, Level: a.Level, Title: a.Title, Message: a.Message})
	}
	for _, a := range c.Actions {
		out.Actions = append(out.Actions, gh.Action{Label: a.Label, Description: a.Description, Identifier: a.Identifier})
	}
	return out
}
