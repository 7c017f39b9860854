package adr

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

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

// Payloads are decoded into small structs naming only the fields the
// handler reads, so a payload whose other fields have an unexpected shape
// (GitHub's own check_run example carries "2018-04-25 20:42:10" timestamps,
// which go-github's event types refuse) is still understood, and a missing
// object ("issue": null) is a nil pointer rather than a panic.

type payloadUser struct {
	Login string `json:"login"`
}

type payloadLabel struct {
	Name string `json:"name"`
}

// payloadPR is a pull request as webhooks carry it.
type payloadPR struct {
	Number  int            `json:"number"`
	State   string         `json:"state"`
	Title   string         `json:"title"`
	Body    string         `json:"body"` // null → ""
	HTMLURL string         `json:"html_url"`
	User    *payloadUser   `json:"user"`
	Labels  []payloadLabel `json:"labels"`
	Head    struct {
		SHA string `json:"sha"`
	} `json:"head"`
	Base struct {
		Ref string `json:"ref"`
	} `json:"base"`
}

type pullRequestPayload struct {
	Label       *payloadLabel `json:"label"`
	PullRequest *payloadPR    `json:"pull_request"`
}

type checkRunPayload struct {
	CheckRun *struct {
		Name         string `json:"name"`
		HeadSHA      string `json:"head_sha"`
		PullRequests []struct {
			Number int `json:"number"`
		} `json:"pull_requests"`
	} `json:"check_run"`
	RequestedAction *struct {
		Identifier string `json:"identifier"`
	} `json:"requested_action"`
}

type issueCommentPayload struct {
	Issue *struct {
		Number      int       `json:"number"`
		State       string    `json:"state"`
		PullRequest *struct{} `json:"pull_request"` // present only on a PR's conversation
	} `json:"issue"`
	Comment *struct {
		ID   int64        `json:"id"`
		Body string       `json:"body"`
		User *payloadUser `json:"user"`
	} `json:"comment"`
	Changes *struct {
		Body *struct {
			From string `json:"from"`
		} `json:"body"`
	} `json:"changes"`
}

func decode(ev *handlers.Event, v any) error {
	if err := json.Unmarshal(ev.Payload, v); err != nil {
		return fmt.Errorf("parse %s payload: %w", ev.Type, err)
	}
	return nil
}

func (f Feature) handlePullRequest(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if !prActions[ev.Action] {
		return nil
	}
	var e pullRequestPayload
	if err := decode(ev, &e); err != nil {
		return err
	}
	p := e.PullRequest
	if p == nil || p.State != "open" {
		return nil
	}
	s, err := settings(ctx, env)
	if err != nil {
		return err
	}
	// Adding or removing a decision label changes whether this is a decision
	// PR. Such deliveries can arrive out of order, or one can be lost, so
	// the labels are read back from GitHub (in the GraphQL request the
	// decision makes anyway) and the PR may have a prompt and a check to
	// retire. Any other event on a PR without a decision label costs nothing
	// (beyond one check lookup with always_report).
	relabel := (ev.Action == "labeled" || ev.Action == "unlabeled") && e.Label != nil && IsDecisionPR([]string{e.Label.Name}, s.Labels)
	return f.reconcile(ctx, env, s, prFromPayload(env.Repo, p), reconcileOpts{mayRetire: relabel, freshLabels: relabel})
}

func (f Feature) handleCheckRun(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if ev.Action != "rerequested" && ev.Action != "requested_action" {
		return nil
	}
	var e checkRunPayload
	if err := decode(ev, &e); err != nil {
		return err
	}
	run := e.CheckRun
	if run == nil || run.Name != CheckName {
		return nil
	}
	var skip *Skip
	if ev.Action == "requested_action" {
		var ok bool
		if e.RequestedAction == nil {
			return nil
		}
		if skip, ok = SkipFromAction(e.RequestedAction.Identifier, ev.Sender); !ok {
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
	opts := reconcileOpts{skip: skip, mayRetire: true}
	// check_run.pull_requests lists the PRs of this repository whose head is
	// the run's SHA. It is empty for PRs from forks: then the open decision
	// PRs (one GraphQL request) are matched on their head SHA.
	if len(run.PullRequests) == 0 {
		if !s.Enabled || run.HeadSHA == "" {
			return nil
		}
		snap, err := fetchSnapshot(ctx, env, s, snapshotQuery{})
		if err != nil {
			return err
		}
		for _, o := range snap.prs {
			if o.HeadRefOid != run.HeadSHA {
				continue
			}
			if err := f.reconcile(ctx, env, s, prFromGraphQL(env.Repo, o), opts); err != nil {
				return err
			}
		}
		return nil
	}
	for _, ref := range run.PullRequests {
		p, err := getPR(ctx, env, ref.Number)
		if err != nil {
			return err
		}
		if p == nil || p.GetState() != "open" {
			continue
		}
		if err := f.reconcile(ctx, env, s, prFromREST(env.Repo, p), opts); err != nil {
			return err
		}
	}
	return nil
}

func (f Feature) handleComment(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if ev.Action != "created" && ev.Action != "edited" && ev.Action != "deleted" {
		return nil
	}
	var e issueCommentPayload
	if err := decode(ev, &e); err != nil {
		return err
	}
	if e.Issue == nil || e.Comment == nil || e.Issue.PullRequest == nil || e.Issue.State == "closed" || ev.SenderType == "Bot" {
		return nil
	}
	cm, number := e.Comment, e.Issue.Number
	hadCommand := false
	if e.Changes != nil && e.Changes.Body != nil {
		_, hadCommand = ParseCommand(e.Changes.Body.From)
	}
	cmd, ok := ParseCommand(cm.Body)
	if ev.Action == "deleted" {
		// A deleted command takes back the skip it gave and its reply.
		if !ok {
			return nil
		}
		hadCommand, ok = true, false
	}
	if !ok {
		if !hadCommand {
			return nil
		}
		// The command was edited away (or deleted): its reply and the skip
		// it gave no longer apply.
		if _, err := env.GH.DeleteComment(ctx, env.Repo, number, replyMarker(cm.ID)); err != nil {
			return err
		}
		return f.takeBackSkip(ctx, env, number, cm.ID)
	}
	s, err := settings(ctx, env)
	if err != nil {
		return err
	}
	if !s.Enabled {
		return nil
	}
	by := ""
	if cm.User != nil {
		by = cm.User.Login
	}
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
	switch {
	case res.Reply != "":
		if _, err := env.GH.UpsertComment(ctx, env.Repo, number, replyMarker(cm.ID), res.Reply); err != nil {
			return err
		}
	case ev.Action == "edited":
		// The command is fine now: an earlier refusal no longer applies.
		if _, err := env.GH.DeleteComment(ctx, env.Repo, number, replyMarker(cm.ID)); err != nil {
			return err
		}
	}
	if res.Skip == nil {
		if ev.Action == "edited" && hadCommand {
			// "/adr skip reason" edited into something that skips nothing.
			return f.takeBackSkip(ctx, env, number, cm.ID)
		}
		return nil
	}
	res.Skip.CommentID = cm.ID
	p, err := getPR(ctx, env, number)
	if err != nil || p == nil || p.GetState() != "open" {
		return err
	}
	return f.reconcile(ctx, env, s, prFromREST(env.Repo, p), reconcileOpts{skip: res.Skip, mayRetire: true})
}

// takeBackSkip clears the skip that comment commentID gave, if the PR's
// sticky comment holds one from it.
func (f Feature) takeBackSkip(ctx context.Context, env *handlers.Env, number int, commentID int64) error {
	s, err := settings(ctx, env)
	if err != nil || !s.Enabled {
		return err
	}
	p, err := getPR(ctx, env, number)
	if err != nil || p == nil || p.GetState() != "open" {
		return err
	}
	return f.reconcile(ctx, env, s, prFromREST(env.Repo, p), reconcileOpts{mayRetire: true, dropSkipFrom: commentID})
}

// reconcileOpts carry what the triggering event adds to what is on GitHub.
type reconcileOpts struct {
	// skip is a fresh `/adr skip` or button press; it replaces the one kept
	// in the sticky comment.
	skip *Skip
	// dropSkipFrom clears the kept skip if it came from this comment (its
	// command was edited away or the comment deleted).
	dropSkipFrom int64
	// mayRetire says a PR that is not a decision PR may still have a
	// comment or check to retire, worth two lookups.
	mayRetire bool
	// freshLabels says the event's labels may be stale: decide from the
	// labels GitHub has now.
	freshLabels bool
}

// reconcile fetches what Decide needs for one PR, decides and applies.
func (f Feature) reconcile(ctx context.Context, env *handlers.Env, s Settings, pr PR, o reconcileOpts) error {
	s = s.normalized()
	in := Input{Settings: s, PR: pr, Now: env.Now}
	var snap *snapshot
	if o.freshLabels && s.Enabled {
		got, err := gather(ctx, env, &in, true)
		if err != nil {
			return err
		}
		snap = &got
		if c := got.current; c != nil {
			if c.State != "OPEN" {
				return nil
			}
			in.PR.Labels = nil
			for _, l := range c.Labels.Nodes {
				in.PR.Labels = append(in.PR.Labels, l.Name)
			}
		}
		pr = in.PR
	}
	decision := s.Enabled && IsDecisionPR(pr.Labels, s.Labels)
	checkOnly := false
	switch {
	case decision, o.mayRetire:
	case s.Enabled && s.AlwaysReport:
		// Not a decision PR: only the "skipped" check to keep in place.
		checkOnly = true
	default:
		return nil
	}
	var comments []*github.IssueComment
	if !checkOnly {
		var err error
		if comments, err = env.GH.FindComments(ctx, env.Repo, pr.Number, Marker); err != nil {
			return err
		}
	}
	run, err := env.GH.FindCheckRun(ctx, env.Repo, pr.HeadSHA, CheckName)
	if err != nil {
		return err
	}
	in.CheckExists, in.CommentExists = run != nil, len(comments) > 0
	if len(comments) > 0 {
		in.Skip = StateFromComment(comments[0].GetBody()).Skip
	}
	if in.Skip != nil && o.dropSkipFrom != 0 && in.Skip.CommentID == o.dropSkipFrom {
		in.Skip = nil
	}
	if o.skip != nil {
		in.Skip = o.skip
	}
	if decision && in.Skip == nil {
		// Another process may have rewritten the sticky comment from a state
		// read before the skip was stored: re-derive it from the commands.
		var err error
		if in.Skip, err = derivedSkip(ctx, env, pr.Number, o.dropSkipFrom); err != nil {
			return err
		}
	}
	if decision {
		if snap == nil {
			got, err := gather(ctx, env, &in, false)
			if err != nil {
				return err
			}
			snap = &got
		}
		if len(NewRecords(adrFiles(in.Files, in.Settings.Directory), in.Settings.Directory)) == 0 {
			if in.Linked, err = confirmLinks(ctx, env, in.Settings, in.PR, snap.baseNames); err != nil {
				return err
			}
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

// derivedSkip finds the skip that the PR's `/adr skip <reason>` commands
// give: the latest one by someone with write access. The listing is the one
// FindComments made for this event (no extra call); the permission lookup
// is spent only when such a command exists, once per distinct author,
// latest first. except is a command just edited away or deleted, left out
// even if a listing still shows it.
func derivedSkip(ctx context.Context, env *handlers.Env, number int, except int64) (*Skip, error) {
	all, err := env.GH.ListComments(ctx, env.Repo, number)
	if err != nil {
		return nil, err
	}
	var cms []CommandComment
	for _, cm := range all {
		if cm.GetID() == except {
			continue
		}
		u := cm.GetUser()
		cms = append(cms, CommandComment{ID: cm.GetID(), Author: u.GetLogin(), Body: cm.GetBody(),
			Bot: u.GetType() == "Bot" || strings.HasSuffix(u.GetLogin(), "[bot]")})
	}
	asked := map[string]bool{}
	for _, sk := range SkipCandidates(cms) {
		if asked[sk.By] {
			continue
		}
		asked[sk.By] = true
		writer, err := hasWriteAccess(ctx, env, sk.By)
		if err != nil {
			return nil, err
		}
		if writer {
			return &sk, nil
		}
	}
	return nil, nil
}

// gather fills in the PR's files (with the head text of its ADR files), the
// base branch's records and other open decision PRs' new records, and
// returns the snapshot; with current, it also reads the PR's labels as
// GitHub has them now. When the policy leaves the directory unset, .adr-dir
// is read in the same request; if it names another directory, a second
// request reads that one (repositories without .adr-dir pay nothing).
func gather(ctx context.Context, env *handlers.Env, in *Input, current bool) (snapshot, error) {
	pr := in.PR
	list, err := env.PullRequestFiles(ctx, pr.Number)
	if err != nil {
		return snapshot{}, err
	}
	in.Files = nil
	in.FilesIncomplete = len(list) >= handlers.MaxPullRequestFiles
	for _, cf := range list {
		in.Files = append(in.Files, File{Path: cf.GetFilename(), Status: cf.GetStatus(), PreviousPath: cf.GetPreviousFilename()})
	}
	s := &in.Settings
	q := snapshotQuery{baseRef: pr.BaseRef, headSHA: pr.HeadSHA, probeADRDir: s.AutoDirectory}
	if current {
		q.number = pr.Number
	}
	var snap snapshot
	for {
		q.dir = s.Directory
		q.heads = nil
		for _, f := range adrFiles(in.Files, s.Directory) {
			q.heads = append(q.heads, f.Path)
		}
		if snap, err = fetchSnapshot(ctx, env, *s, q); err != nil {
			return snapshot{}, err
		}
		if !q.probeADRDir || snap.adrDir == nil {
			break
		}
		dir, ok := DirFromADRDir(*snap.adrDir)
		q.probeADRDir = false
		s.AutoDirectory = false
		if !ok || dir == s.Directory {
			break
		}
		s.Directory = dir
	}
	in.BaseADRs = snap.baseNames
	for i := range in.Files {
		if text, ok := snap.heads[in.Files[i].Path]; ok {
			in.Files[i].Content = text
		}
	}
	in.OtherPRADRs = nil
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
	return snap, nil
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

func prFromPayload(repo gh.Repo, p *payloadPR) PR {
	pr := PR{
		Owner: repo.Owner, Repo: repo.Name, Number: p.Number, Title: p.Title, Body: p.Body,
		HTMLURL: p.HTMLURL, HeadSHA: p.Head.SHA, BaseRef: p.Base.Ref,
	}
	if p.User != nil {
		pr.Author = p.User.Login
	}
	for _, l := range p.Labels {
		pr.Labels = append(pr.Labels, l.Name)
	}
	return pr
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
