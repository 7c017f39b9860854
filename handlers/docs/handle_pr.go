package docs

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

var prActions = map[string]bool{"opened": true, "synchronize": true, "reopened": true, "ready_for_review": true}

// handlePR reconciles the reminder comment and the `Docs freshness` check
// of an open, non-draft pull request (a draft is reminded when it becomes
// ready for review). Docs are read at the PR's base commit — a PR cannot
// change the rules that judge it — with their last commit on the default
// branch and the reviews recorded in the tracking issue.
func (f *Feature) handlePR(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if !prActions[ev.Action] {
		return nil
	}
	var e github.PullRequestEvent
	if err := json.Unmarshal(ev.Payload, &e); err != nil {
		return fmt.Errorf("parse pull_request payload: %w", err)
	}
	return f.reconcilePR(ctx, env, e.GetPullRequest(), nil)
}

// reconcilePR is handlePR's decision and write for one PR, shared with the
// sweep (sweep_prs.go), which passes a memo so that the PRs of one sweep
// read the tracking issue and the docs at one base commit once; an event
// passes nil and reads them itself.
func (f *Feature) reconcilePR(ctx context.Context, env *handlers.Env, pr *github.PullRequest, memo *prMemo) error {
	if pr.GetState() != "open" || pr.GetDraft() {
		return nil
	}
	pol, on, err := policy(ctx, env)
	if err != nil || !on {
		return err
	}
	s := SettingsFrom(pol.Docs)
	files, err := env.PullRequestFiles(ctx, pr.GetNumber())
	if err != nil {
		return err
	}
	var changed []string
	for _, fl := range files {
		changed = append(changed, fl.GetFilename())
		if prev := fl.GetPreviousFilename(); prev != "" {
			changed = append(changed, prev)
		}
	}
	snap, err := memo.docs(ctx, f, env, s, pr.GetBase().GetSHA())
	if err != nil {
		return err
	}
	edited := editedDocs(s, files)
	if len(snap.Docs) == 0 && len(edited) == 0 && s.Check != Required {
		return nil // a repository without docs: nothing to say, no check to keep
	}
	found, err := memo.tracking(ctx, env)
	if err != nil {
		return err
	}
	_, data, err := trackingState(env, found)
	if err != nil {
		data = Data{} // a damaged data block only loses the recorded reviews here
	}
	in := PRInput{
		Repo:     RepoRef{Owner: env.Repo.Owner, Name: env.Repo.Name, Branch: pr.GetBase().GetRef()},
		Settings: s, Docs: AttachReviews(snap.Docs, data), Changed: changed,
		TrackingIssue: found.GetNumber(), Now: env.Now,
	}
	want := DecidePR(in)
	if want.Check.Skip {
		return nil
	}
	links, err := f.prLinks(ctx, env, s, pr.GetHead().GetSHA(), edited)
	if err != nil {
		return err
	}
	want = WithLinks(want, links, s.Check)

	var commentGone bool
	if want.Clear {
		out, err := env.GH.DeleteComment(ctx, env.Repo, pr.GetNumber(), MarkerPR)
		if err != nil {
			return err
		}
		commentGone = out == gh.Deleted
	} else if _, err := env.GH.UpsertComment(ctx, env.Repo, pr.GetNumber(), MarkerPR, want.Comment); err != nil {
		return err
	}

	cr := gh.CheckRun{
		Name: want.Check.Name, HeadSHA: pr.GetHead().GetSHA(), Conclusion: want.Check.Conclusion,
		Title: want.Check.Title, Summary: want.Check.Summary, DetailsURL: pr.GetHTMLURL(),
	}
	for _, a := range want.Check.Annotations {
		cr.Annotations = append(cr.Annotations, gh.Annotation{Path: a.Path, Line: a.StartLine, EndLine: a.EndLine, Level: a.Level, Title: a.Title, Message: a.Message})
	}
	// A green check is posted only where it says something: the reminder
	// was just cleared, the PR updates a tracked doc, or the check is
	// required by policy (branch protection waits for it). Elsewhere PRs
	// stay free of a check that would say nothing.
	if want.Check.Conclusion != "success" || commentGone || len(edited) > 0 || s.Check == Required {
		_, err = env.GH.UpsertCheckRun(ctx, env.Repo, cr)
	} else {
		_, err = env.GH.CompleteIfExists(ctx, env.Repo, cr)
	}
	return err
}

// editedDocs lists the files a PR adds or modifies that belong to a doc
// set (judged by the base policy).
func editedDocs(s Settings, files []*github.CommitFile) []string {
	var names []string
	for _, fl := range files {
		if fl.GetStatus() != "removed" {
			names = append(names, fl.GetFilename())
		}
	}
	sets, _ := MatchSets(names, s)
	seen := map[string]bool{}
	var out []string
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		for _, p := range sets[name] {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// prLinks checks the relative links of the docs a PR edits, at its head:
// the head tree (one call) and the docs' texts (one GraphQL request per
// MaxAliases docs). No external URL is ever requested. When GitHub
// truncates the head tree (a very large repository) links are not checked.
func (f *Feature) prLinks(ctx context.Context, env *handlers.Env, s Settings, head string, edited []string) ([]Link, error) {
	var md []string
	for _, p := range edited {
		if isMarkdown(p) {
			md = append(md, p)
		}
	}
	if len(md) == 0 || head == "" {
		return nil, nil
	}
	tree, truncated, err := treeAt(ctx, env, head)
	if err != nil || truncated {
		return nil, err // a truncated tree cannot tell a broken link from one past the cut
	}
	_, texts, err := f.docsData(ctx, env, head, md)
	if err != nil {
		return nil, err
	}
	treeSet := make(map[string]bool, len(tree))
	for _, p := range tree {
		treeSet[p] = true
	}
	var out []Link
	for _, p := range md {
		if text, ok := texts[p]; ok {
			out = append(out, BrokenLinks(p, text, treeSet, texts)...)
		}
	}
	return out, nil
}
