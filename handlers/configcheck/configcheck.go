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
	"github.com/overlaphq/overlap/internal/mdtext"
	"github.com/overlaphq/overlap/internal/roster"
)

// CheckName is the check run's name (part of the external contract).
const CheckName = "Overlap config"

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
	return reconcile(ctx, env, pr)
}

// reconcile decides and applies the check of one open PR; the event and
// the sweep (sweep.go) share it, so a sweep converges on what the event
// would have written. It reads the PR's number, head SHA and URL.
func reconcile(ctx context.Context, env *handlers.Env, pr *github.PullRequest) error {
	base, err := env.Policy(ctx)
	if err != nil {
		return err
	}
	files, err := env.PullRequestFiles(ctx, pr.GetNumber())
	if err != nil {
		return err
	}
	src := config.DefaultServer().Policy
	if env.Policies != nil {
		src = env.Policies.Source()
	}
	in := Input{Base: base, HeadSHA: pr.GetHead().GetSHA(), Now: env.Now}
	// The repository's policy file, and in the organization's .github
	// repository also the org-wide default every other repository falls
	// back to (the file with the widest effect).
	watched := []string{src.Path}
	if strings.EqualFold(env.Repo.Name, src.OrgRepo) {
		watched = append(watched, src.OrgPath)
	}
	for _, f := range files {
		for _, path := range watched {
			if f.GetFilename() == path || f.GetPreviousFilename() == path {
				in.Path, in.Changed = path, true
				in.Removed = f.GetStatus() == "removed" || f.GetFilename() != path
			}
		}
	}
	if in.Changed && !in.Removed {
		head, err := loadHead(ctx, env, in.Path, src, pr.GetHead().GetSHA())
		if err != nil {
			return err
		}
		in.Head = head
	}
	in.Foreign = foreignFiles(env.Repo.FullName(), in.Base.Files, in.Head.Files)
	if len(in.Foreign) > 0 && in.Changed && !in.Removed && len(in.Head.Problems) == 0 {
		// What the PR changes, from this repository's file alone at both
		// ends: two reads, only on PRs that edit a policy that extends.
		ownHead, err := parseOwn(ctx, env, in.Path, pr.GetHead().GetSHA())
		if err != nil {
			return err
		}
		ownBase, err := parseOwn(ctx, env, in.Path, pr.GetBase().GetRef())
		if err != nil {
			return err
		}
		in.OwnChanges = config.Diff(ownBase.Policy, ownHead.Policy)
	}
	want := Decide(in)
	if want == nil {
		return nil
	}
	want.DetailsURL = pr.GetHTMLURL()
	_, err = env.GH.UpsertCheckRun(ctx, env.Repo, *want)
	return err
}

// loadHead is the policy the PR would put in force. The repository's file
// goes through the same loader as every event (so `extends` is resolved
// and the preview compares like with like); the org-wide default is
// parsed on its own.
func loadHead(ctx context.Context, env *handlers.Env, path string, src config.PolicySource, sha string) (config.Loaded, error) {
	if path == src.Path && env.Policies != nil {
		l, err := env.Policies.Load(ctx, env.REST, env.Repo.Owner, env.Repo.Name, sha)
		if err != nil {
			return config.Loaded{}, fmt.Errorf("load %s at %s: %w", path, sha, err)
		}
		return l, nil
	}
	return parseOwn(ctx, env, path, sha)
}

// parseOwn reads and parses the repository's own file at ref alone: no
// `extends` followed, so nothing of another repository is in it.
func parseOwn(ctx context.Context, env *handlers.Env, path, sha string) (config.Loaded, error) {
	fc, _, resp, err := env.REST.Repositories.GetContents(ctx, env.Repo.Owner, env.Repo.Name, path, &github.RepositoryContentGetOptions{Ref: sha})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return config.Loaded{Policy: config.Defaults(), Source: "defaults"}, nil
		}
		return config.Loaded{}, fmt.Errorf("read %s at %s: %w", path, sha, err)
	}
	text, err := fc.GetContent()
	if err != nil {
		return config.Loaded{}, fmt.Errorf("decode %s at %s: %w", path, sha, err)
	}
	p, problems := config.Parse(path, []byte(text))
	return config.Loaded{Policy: p, Problems: problems, Source: env.Repo.FullName() + "@" + sha + ":" + path}, nil
}

// Input is what the decision needs.
type Input struct {
	Base    config.Loaded // the policy in force (base ref)
	HeadSHA string
	Path    string        // the policy file the PR changes
	Changed bool          // the PR changes it
	Removed bool          // ... by deleting or renaming it
	Head    config.Loaded // the policy it would put in force, when changed and present
	Now     time.Time     // the week whose overlap window the preview shows
	// Foreign lists the files of other repositories (an extended parent,
	// the org default) that made the base or the head policy. Their values
	// are not shown: the people who can read this pull request (fork
	// authors included) may not be able to read those repositories.
	Foreign []string
	// OwnChanges is what the PR changes in the repository's own file,
	// read alone at the base and the head (set when Foreign is).
	OwnChanges []string
}

// Decide returns the check run to post, or nil when there is nothing to
// say (the PR does not touch the policy and the policy in force is valid).
func Decide(in Input) *gh.CheckRun {
	cr := &gh.CheckRun{Name: CheckName, HeadSHA: in.HeadSHA}
	switch {
	case in.Changed && in.Removed:
		cr.Conclusion = "success"
		cr.Title = "Policy file removed"
		cr.Summary = "This pull request removes " + mdtext.Code(in.Path) + ". Once merged, the organization's `overlap.yml` applies, or Overlap's defaults where there is none.\n\n" +
			bullets(config.Diff(in.Base.Policy, config.Defaults()), "What changes (compared with defaults)")
	case in.Changed:
		p, problems := in.Head.Policy, in.Head.Problems
		if len(problems) > 0 {
			cr.Conclusion = "failure"
			cr.Title = plural(len(problems), "problem") + " in " + mdtext.Plain(in.Path)
			cr.Summary = "The policy file this pull request proposes is not valid. Until it is fixed, Overlap would run this repository on its defaults.\n\n" + problemList(problems)
			cr.Annotations = annotations(in.Path, problems)
			break
		}
		cr.Conclusion = "success"
		cr.Title = "Policy file is valid"
		var b strings.Builder
		b.WriteString(mdtext.Code(in.Path) + " is valid.")
		if p.Extends != "" {
			b.WriteString(" It extends " + mdtext.Code(p.Extends) + ": keys it does not set come from there.")
		}
		b.WriteString("\n\n")
		if len(in.Foreign) > 0 {
			// A preview would print values read from the other files.
			b.WriteString(bullets(in.OwnChanges, "What this pull request changes in "+mdtext.Code(in.Path)))
			b.WriteString("The policy once merged is not previewed here: it takes values from " +
				joinCode(in.Foreign) + ", in another repository, and this check shows nothing read from another repository. " +
				"Run `overlap config check` locally, or see the check on a pull request in that repository.\n")
			cr.Summary = b.String()
			break
		}
		b.WriteString(bullets(config.Diff(in.Base.Policy, p), "What this pull request changes"))
		b.WriteString(bullets(config.Describe(p), "The policy once merged"))
		if len(p.Team.People) > 0 {
			// The team's line is already in the description above.
			// Policy values (names, zones) inside a fence longer than any
			// backtick run in them: shown literally, mentioning nobody.
			b.WriteString("### The team's calendar and overlap window\n\n" + mdtext.Fence(strings.Join(roster.Describe(p, in.Now)[1:], "\n"), ""))
		}
		cr.Summary = b.String()
	case len(in.Base.Problems) > 0:
		cr.Conclusion = "neutral"
		cr.Title = "Policy file has " + plural(len(in.Base.Problems), "problem") + "; defaults apply"
		cr.Summary = "The policy that applies to this pull request (" + mdtext.Text(in.Base.Source) + ") could not be used, so Overlap is running on its defaults. Fix it on the base branch:\n\n" + problemList(in.Base.Problems)
	default:
		return nil
	}
	return cr
}

// foreignFiles are the files ("owner/repo[@ref]:path") among lists that
// are not in repository full.
func foreignFiles(full string, lists ...[]string) []string {
	var out []string
	seen := map[string]bool{}
	own := strings.ToLower(full)
	for _, files := range lists {
		for _, f := range files {
			repo := strings.ToLower(f)
			if i := strings.IndexAny(repo, "@:"); i >= 0 {
				repo = repo[:i]
			}
			if repo != own && !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

func joinCode(xs []string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = mdtext.Code(x)
	}
	return strings.Join(parts, ", ")
}

func problemList(ps config.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("- " + mdtext.Code(p.Error()) + "\n")
	}
	return b.String()
}

// annotations point at the offending lines of the proposed file (problems
// in a file it extends are listed in the summary only: annotations must
// name a file of this repository).
func annotations(path string, ps config.Problems) []gh.Annotation {
	var out []gh.Annotation
	for _, p := range ps {
		if p.File != path && p.File != "" {
			continue
		}
		msg := p.Message
		if p.Hint != "" {
			msg += " (" + p.Hint + ")"
		}
		title := "Overlap config"
		if p.Key != "" {
			title += ": " + p.Key
		}
		out = append(out, gh.Annotation{Path: path, Line: max(p.Line, 1), Level: "failure", Title: mdtext.Plain(title), Message: mdtext.Plain(msg)})
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
		b.WriteString("- " + mdtext.Text(l) + "\n")
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
