// Package configcheck is the "Overlap config" check: it validates the
// policy file a pull request changes (at the PR's head) with annotations on
// the offending lines, previews in the summary what the new policy would
// change, and tells a PR when the policy that judges it (at the base) is
// broken and defaults are in force instead.
//
// API calls for one pull_request event: the PR's files (1, shared with the
// other features through Env), the base policy (1 conditional GET, shared),
// the head file when the PR changes it (1), the check-run lookup (1) and at
// most one write.
package configcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
)

// CheckName is the check run's name (part of the external contract).
const CheckName = "Overlap config"

// PolicyPath is where a repository keeps its policy.
const PolicyPath = ".github/overlap.yml"

// Feature implements handlers.Feature.
type Feature struct{}

// Name implements handlers.Feature.
func (Feature) Name() string { return "configcheck" }

// Events implements handlers.Feature.
func (Feature) Events() []string { return []string{"pull_request"} }

var actions = map[string]bool{"opened": true, "reopened": true, "synchronize": true, "ready_for_review": true}

// Handle implements handlers.Feature.
func (Feature) Handle(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if !actions[ev.Action] {
		return nil
	}
	var e github.PullRequestEvent
	if err := json.Unmarshal(ev.Payload, &e); err != nil {
		return fmt.Errorf("parse pull_request payload: %w", err)
	}
	pr := e.GetPullRequest()
	if pr.GetState() != "open" {
		return nil
	}
	base, err := env.Policy(ctx)
	if err != nil {
		return err
	}
	files, err := env.PullRequestFiles(ctx, pr.GetNumber())
	if err != nil {
		return err
	}
	in := Input{Base: base, HeadSHA: pr.GetHead().GetSHA(), Now: env.Now}
	for _, f := range files {
		if f.GetFilename() == PolicyPath || f.GetPreviousFilename() == PolicyPath {
			in.Changed = true
			in.Removed = f.GetStatus() == "removed" || f.GetFilename() != PolicyPath
		}
	}
	if in.Changed && !in.Removed {
		content, err := fetch(ctx, env, pr.GetHead().GetSHA())
		if err != nil {
			return err
		}
		in.Head = content
	}
	want := Decide(in)
	if want == nil {
		return nil
	}
	want.DetailsURL = pr.GetHTMLURL()
	_, err = env.GH.UpsertCheckRun(ctx, env.Repo, *want)
	return err
}

// fetch reads the policy file at the PR's head commit.
func fetch(ctx context.Context, env *handlers.Env, sha string) ([]byte, error) {
	fc, _, resp, err := env.REST.Repositories.GetContents(ctx, env.Repo.Owner, env.Repo.Name, PolicyPath, &github.RepositoryContentGetOptions{Ref: sha})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return nil, nil
		}
		return nil, fmt.Errorf("read %s at %s: %w", PolicyPath, sha, err)
	}
	s, err := fc.GetContent()
	if err != nil {
		return nil, fmt.Errorf("decode %s at %s: %w", PolicyPath, sha, err)
	}
	return []byte(s), nil
}

// Input is what the decision needs.
type Input struct {
	Base    config.Loaded // the policy in force (base ref)
	HeadSHA string
	Changed bool      // the PR changes the policy file
	Removed bool      // ... by deleting or renaming it
	Head    []byte    // its content at the head, when changed and present
	Now     time.Time // the week whose overlap window the preview shows
}

// Decide returns the check run to post, or nil when there is nothing to
// say (the PR does not touch the policy and the policy in force is valid).
func Decide(in Input) *gh.CheckRun {
	cr := &gh.CheckRun{Name: CheckName, HeadSHA: in.HeadSHA}
	switch {
	case in.Changed && in.Removed:
		cr.Conclusion = "success"
		cr.Title = "Policy file removed"
		cr.Summary = "This pull request removes `" + PolicyPath + "`. Once merged, the organization's `overlap.yml` applies, or Overlap's defaults where there is none.\n\n" +
			bullets(config.Diff(in.Base.Policy, config.Defaults()), "What changes (compared with defaults)")
	case in.Changed:
		p, problems := config.Parse(PolicyPath, in.Head)
		if len(problems) > 0 {
			cr.Conclusion = "failure"
			cr.Title = plural(len(problems), "problem") + " in " + PolicyPath
			cr.Summary = "The policy file this pull request proposes is not valid. Until it is fixed, Overlap would run this repository on its defaults.\n\n" + problemList(problems)
			cr.Annotations = annotations(problems)
			break
		}
		cr.Conclusion = "success"
		cr.Title = "Policy file is valid"
		var b strings.Builder
		b.WriteString("`" + PolicyPath + "` is valid.")
		if p.Extends != "" {
			b.WriteString(" It extends `" + p.Extends + "`: keys it does not set come from there.")
		}
		b.WriteString("\n\n")
		b.WriteString(bullets(config.Diff(in.Base.Policy, p), "What this pull request changes"))
		b.WriteString(bullets(config.Describe(p), "The policy once merged"))
		if len(p.Team.People) > 0 {
			b.WriteString("### The team's calendar and overlap window\n\n```\n" + strings.Join(roster.Describe(p, in.Now), "\n") + "\n```\n")
		}
		cr.Summary = b.String()
	case len(in.Base.Problems) > 0:
		cr.Conclusion = "neutral"
		cr.Title = "Policy file has " + plural(len(in.Base.Problems), "problem") + "; defaults apply"
		cr.Summary = "The policy that applies to this pull request (" + in.Base.Source + ") could not be used, so Overlap is running on its defaults. Fix it on the base branch:\n\n" + problemList(in.Base.Problems)
	default:
		return nil
	}
	return cr
}

func problemList(ps config.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("- `" + p.Error() + "`\n")
	}
	return b.String()
}

// annotations point at the offending lines of the proposed file.
func annotations(ps config.Problems) []gh.Annotation {
	var out []gh.Annotation
	for _, p := range ps {
		msg := p.Message
		if p.Hint != "" {
			msg += " (" + p.Hint + ")"
		}
		title := "Overlap config"
		if p.Key != "" {
			title += ": " + p.Key
		}
		out = append(out, gh.Annotation{Path: PolicyPath, Line: max(p.Line, 1), Level: "failure", Title: title, Message: msg})
	}
	return out
}

func bullets(lines []string, heading string) string {
	if len(lines) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("### " + heading + "\n\n")
	for _, l := range lines {
		b.WriteString("- " + l + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
