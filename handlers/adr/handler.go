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
	"github.com/overlaphq/overlap/internal/authz"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/mdtext"
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
	Type  string `json:"type"` // "User", "Bot", "Organization"
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
		Number      int          `json:"number"`
		State       string       `json:"state"`
		User        *payloadUser `json:"user"`         // the PR's author
		PullRequest *struct{}    `json:"pull_request"` // present only on a PR's conversation
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
	// A button press is a skip request, authorized in handlePress (whether
	// the presser may skip depends on whose PR it is). A bot's or a
	// deleted account's press is ignored before anything is read.
	var pressed *Skip
	presser := authz.Actor{Login: ev.Sender, Type: ev.SenderType}
	if ev.Action == "requested_action" {
		var ok bool
		if e.RequestedAction == nil {
			return nil
		}
		if pressed, ok = SkipFromAction(e.RequestedAction.Identifier, ev.Sender); !ok {
			return nil
		}
		if presser.IsBot() || authz.IsGhost(presser.Login) {
			return nil
		}
	}
	s, err := settings(ctx, env)
	if err != nil {
		return err
	}
	az := authz.NewChecker(env.REST, env.Repo.Owner, env.Repo.Name)
	if pressed != nil {
		return f.handlePress(ctx, env, s, az, presser, pressed, run.HeadSHA)
	}
	// rerequested: reconcile the run's PRs.
	reconcileRun := func(pr PR) error {
		return f.reconcile(ctx, env, s, pr, reconcileOpts{mayRetire: true, az: az})
	}
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
			if err := reconcileRun(prFromGraphQL(env.Repo, o)); err != nil {
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
		if err := reconcileRun(prFromREST(env.Repo, p)); err != nil {
			return err
		}
	}
	return nil
}

// handlePress applies a press of the skip button. A check run belongs to a
// commit, not to a PR: every open PR whose head is that commit (a fork's
// copy of a branch, say) shows the same run. So the press is applied only
// when exactly one open decision PR has the run's head (read from GitHub,
// one GraphQL request, whatever check_run.pull_requests says), and it is
// bound to that head (Skip.Head): a later push asks again. With more than
// one (or with more open decision PRs than one request lists) each of them
// gets one reply asking for `/adr skip` on the PR meant, and nothing is
// skipped.
func (f Feature) handlePress(ctx context.Context, env *handlers.Env, s Settings, az *authz.Checker, presser authz.Actor, pressed *Skip, head string) error {
	if !s.Enabled || head == "" {
		return nil
	}
	snap, err := fetchSnapshot(ctx, env, s, snapshotQuery{})
	if err != nil {
		return err
	}
	var twins []PR
	for _, o := range snap.prs {
		if o.HeadRefOid == head {
			twins = append(twins, prFromGraphQL(env.Repo, o))
		}
	}
	if len(twins) == 1 && len(snap.prs) < maxOpenPRs {
		pr := twins[0]
		ok, err := f.authorizeButton(ctx, env, az, presser, pr)
		if err != nil || !ok {
			return err
		}
		sk := *pressed
		sk.Head = head
		return f.reconcile(ctx, env, s, pr, reconcileOpts{skip: &sk, mayRetire: true, az: az})
	}
	if len(twins) == 0 {
		return nil
	}
	zerolog.Ctx(ctx).Info().Str("sender", presser.Login).Str("head", head).Int("prs", len(twins)).Msg("adr: skip button press on a commit shared by several PRs refused")
	marker := gh.Marker("adr", "reply", "button", markerKey(presser.Login))
	text := fmt.Sprintf("Thanks %s! The **%s** check belongs to commit %s, which is the head of more than one open pull request, so the button cannot tell which one you meant and the check is unchanged. To skip this one, comment `/adr skip <reason>` here.",
		mdtext.Mention(presser.Login), CheckName, mdtext.Code(shortSHA(head)))
	for _, pr := range twins {
		if _, err := env.GH.UpsertComment(ctx, env.Repo, pr.Number, marker, text); err != nil {
			return err
		}
		if err := f.reconcile(ctx, env, s, pr, reconcileOpts{mayRetire: true, az: az}); err != nil {
			return err
		}
	}
	return nil
}

// shortSHA is a commit's first 12 hex digits.
func shortSHA(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}

// authorizeButton decides whether presser may skip pr's check with the
// button (internal/authz, action adr.skip: the same rule as `/adr skip`).
// GitHub shows the button only to people with write access, but a press
// is checked like a command: a writer pressing it on their own PR is
// refused, and anyone refused (bots and deleted accounts aside) gets one
// reply on the PR saying why, keyed by the presser so that pressing again
// does not repeat it.
func (f Feature) authorizeButton(ctx context.Context, env *handlers.Env, az *authz.Checker, presser authz.Actor, pr PR) (bool, error) {
	d, err := az.Authorize(ctx, authz.Request{Action: authz.ADRSkip, Actor: presser, Author: pr.Author})
	if err != nil {
		return false, err
	}
	if d.Allowed {
		return true, nil
	}
	zerolog.Ctx(ctx).Info().Str("sender", presser.Login).Str("reason", string(d.Reason)).Int("pr", pr.Number).Msg("adr: skip button press refused")
	if d.Silent() {
		return false, nil
	}
	marker := gh.Marker("adr", "reply", "button", markerKey(presser.Login))
	_, err = env.GH.UpsertComment(ctx, env.Repo, pr.Number, marker, refusal(d, presser.Login, "the **Skip: not a decision** button"))
	return false, err
}

// markerKey is a login as a marker key: lower-case, and anything but the
// letters, digits and hyphens of a GitHub login replaced, so no payload can
// end the marker's HTML comment.
func markerKey(login string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			return r
		case r >= 'A' && r <= 'Z':
			return r + ('a' - 'A')
		}
		return '_'
	}, login)
}

// commandActions maps the `/adr` subcommands that change the check to the
// action internal/authz decides them as; the others (a bare or unknown
// command) only get the usage reply and need no permission.
var commandActions = map[string]authz.Action{
	"skip": authz.ADRSkip,
}

// refusal is the reply to someone who may not do what they asked. what is
// Overlap's own text naming the command or button (never user text); by is
// a GitHub login, mentioned through mdtext like every echo.
func refusal(d authz.Decision, by, what string) string {
	if d.Reason == authz.DeniedOwnPR {
		return fmt.Sprintf("Thanks %s! This is your own pull request, and waiving its own **%s** check needs %s to this repository, so the check is unchanged. Someone else with write access can use %s for you, or you can add the decision record this PR asks for.",
			mdtext.Mention(by), CheckName, access(d.Need), what)
	}
	return fmt.Sprintf("Thanks %s! Only people with %s to this repository can use %s, so the **%s** check is unchanged. A maintainer can run it for you, or you can add the decision record this PR asks for.",
		mdtext.Mention(by), access(d.Need), what, CheckName)
}

// access names the least role a refusal asks for, in GitHub's words.
func access(r authz.Role) string {
	switch r {
	case authz.RoleAdmin:
		return "admin access"
	case authz.RoleMaintain:
		return "maintain or admin access"
	case authz.RoleTriage:
		return "triage access or more"
	}
	return "write access"
}

func (f Feature) handleComment(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if ev.Action != "created" && ev.Action != "edited" && ev.Action != "deleted" {
		return nil
	}
	var e issueCommentPayload
	if err := decode(ev, &e); err != nil {
		return err
	}
	if e.Issue == nil || e.Comment == nil || e.Issue.PullRequest == nil {
		return nil
	}
	// On a closed PR only a deleted command matters (its reply goes); the
	// kept skip is checked against the comments again on reopening.
	closed := e.Issue.State == "closed"
	if closed && ev.Action != "deleted" {
		return nil
	}
	// A bot's comment never triggers anything (Overlap's own replies quote
	// commands): neither its sender nor its author may be a bot.
	if (authz.Actor{Login: ev.Sender, Type: ev.SenderType}).IsBot() ||
		(e.Comment.User != nil && (authz.Actor{Login: e.Comment.User.Login, Type: e.Comment.User.Type}).IsBot()) {
		return nil
	}
	cm, number := e.Comment, e.Issue.Number
	hadCommand := false
	if e.Changes != nil && e.Changes.Body != nil {
		var err error
		if _, hadCommand, err = ParseCommand(ctx, e.Changes.Body.From); err != nil {
			return err
		}
	}
	_, ok, err := ParseCommand(ctx, cm.Body)
	if err != nil {
		return err
	}
	if ev.Action == "deleted" {
		// A deleted command takes back the skip it gave and its reply.
		if !ok {
			return nil
		}
		if closed {
			_, err := env.GH.DeleteComment(ctx, env.Repo, number, replyMarker(cm.ID))
			return err
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
	p, err := getPR(ctx, env, number)
	if err != nil || p == nil || p.GetState() != "open" {
		return err
	}
	pr := prFromREST(env.Repo, p)
	az := authz.NewChecker(env.REST, env.Repo.Owner, env.Repo.Name)
	// The command is read from the comment as GitHub has it now (the
	// listing the sticky comment's lookup makes anyway), not from the
	// payload: a delivery may come late (redelivered, replayed) or out of
	// order. A comment deleted since gives nothing, and takes back any
	// skip it gave; one edited since is left to its edit's own delivery,
	// whose sender is the editor.
	list, err := env.GH.ListComments(ctx, env.Repo, number)
	if err != nil {
		return err
	}
	now := findComment(list, cm.ID)
	if now == nil {
		if _, err := env.GH.DeleteComment(ctx, env.Repo, number, replyMarker(cm.ID)); err != nil {
			return err
		}
		return f.reconcile(ctx, env, s, pr, reconcileOpts{mayRetire: true, dropSkipFrom: cm.ID, az: az})
	}
	if now.GetBody() != cm.Body {
		zerolog.Ctx(ctx).Info().Int64("comment", cm.ID).Int("pr", number).Msg("adr: command delivery is stale (the comment changed since); left to its later delivery")
		return nil
	}
	cmd, ok, err := ParseCommand(ctx, now.GetBody())
	if err != nil || !ok {
		return err
	}
	// The command is the comment author's, and its last editor's when that
	// is someone else: GitHub lets any writer edit anyone's comment, so an
	// edit counts only when the editor (the sender of the edit) may do
	// what the command asks, too. With no author (a deleted account)
	// nobody answers for it.
	u := now.GetUser()
	by := authz.Actor{Login: u.GetLogin(), Type: u.GetType()}
	if by.IsBot() {
		return nil
	}
	var editor *authz.Actor
	if ev.Sender != "" && !strings.EqualFold(ev.Sender, by.Login) {
		editor = &authz.Actor{Login: ev.Sender, Type: ev.SenderType}
	}
	var res CommandResult
	if action, gated := commandActions[cmd.Name]; gated {
		d, err := az.Authorize(ctx, authz.Request{Action: action, Actor: by, Author: pr.Author})
		if err != nil {
			return err
		}
		answer := by.Login
		if d.Allowed && editor != nil {
			// The author may; the edit is the editor's, who must too.
			if d, err = az.Authorize(ctx, authz.Request{Action: action, Actor: *editor, Author: pr.Author}); err != nil {
				return err
			}
			answer = editor.Login
		}
		switch {
		case d.Allowed:
			res = DecideCommand(cmd, by.Login, true)
		case d.Silent():
			return nil
		default:
			res = CommandResult{Reply: refusal(d, answer, "`/adr "+cmd.Name+"`")}
		}
	} else {
		if authz.IsGhost(by.Login) {
			return nil
		}
		res = DecideCommand(cmd, by.Login, false)
	}
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
		if ev.Action == "edited" {
			// Edited into something that skips nothing, or by someone who
			// may not: a skip this comment gave no longer applies.
			return f.reconcile(ctx, env, s, pr, reconcileOpts{mayRetire: true, dropSkipFrom: cm.ID, az: az})
		}
		return nil
	}
	res.Skip.CommentID = cm.ID
	res.Skip.Digest = commentDigest(now.GetBody())
	if editor != nil {
		res.Skip.Editor = editor.Login
	}
	return f.reconcile(ctx, env, s, pr, reconcileOpts{skip: res.Skip, mayRetire: true, az: az})
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
	// az is the event's permission checker, shared so that a person's
	// permission is read once per event; nil makes a fresh one.
	az *authz.Checker
}

// reconcile fetches what Decide needs for one PR, decides and applies.
func (f Feature) reconcile(ctx context.Context, env *handlers.Env, s Settings, pr PR, o reconcileOpts) error {
	s = s.normalized()
	in := Input{Settings: s, PR: pr, Now: env.Now, StateKey: env.GH.StateKey()}
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
		st, err := ReadState(comments[0].GetBody(), in.StateKey, pr)
		if err != nil {
			// Treated as absent: a writer's skip is re-derived below.
			zerolog.Ctx(ctx).Warn().Err(err).Int("pr", pr.Number).Msg("adr: sticky comment state ignored")
		}
		in.Skip = st.Skip
	}
	if in.Skip != nil && o.dropSkipFrom != 0 && in.Skip.CommentID == o.dropSkipFrom {
		in.Skip = nil
	}
	if o.skip != nil {
		in.Skip = o.skip
	} else if decision {
		// The kept skip is a cache, checked against GitHub's comments now;
		// without one that holds (another process may have rewritten the
		// sticky comment from a state read before the skip was stored) it
		// is re-derived from the commands (skips.go).
		j, err := newSkipJudge(ctx, env, o.az, pr)
		if err != nil {
			return err
		}
		if in.Skip, err = j.kept(ctx, in.Skip); err != nil {
			return err
		}
		if in.Skip == nil {
			if in.Skip, err = j.derived(ctx, o.dropSkipFrom); err != nil {
				return err
			}
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
			if in.Linked, in.LinkNotes, err = confirmLinks(ctx, env, in.Settings, in.PR, snap.baseNames); err != nil {
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
		got, ok, err := fromEventSnapshot(ctx, env, q, pr.Number)
		if err != nil {
			return snapshot{}, err
		}
		if !ok {
			if got, err = fetchSnapshot(ctx, env, *s, q); err != nil {
				return snapshot{}, err
			}
		}
		snap = got
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

// getPR reads a pull request (nil when it no longer exists): from the
// event's shared snapshot (handlers.Env.PullRequest), which the decision's
// other reads then share; over REST only when the snapshot cannot be read.
func getPR(ctx context.Context, env *handlers.Env, number int) (*github.PullRequest, error) {
	if env.GraphQL != nil {
		if snap, err := env.PullRequest(ctx, number); err == nil {
			return snap.REST(), nil
		}
	}
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
		// Annotations are plain text: cleaned and capped, not Markdown-escaped.
		out.Annotations = append(out.Annotations, gh.Annotation{Path: a.Path, Line: a.Line, Level: a.Level, Title: mdtext.Plain(a.Title), Message: mdtext.Plain(a.Message)})
	}
	for _, a := range c.Actions {
		out.Actions = append(out.Actions, gh.Action{Label: a.Label, Description: a.Description, Identifier: a.Identifier})
	}
	return out
}
