package adr

import (
	"context"
	"errors"
	"fmt"

	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

// Sweep implements handlers.Sweeper, the feature's repair path, over the
// shared listing of every open PR (env.OpenPullRequests: all pages, so a
// repository with more than 100 open PRs is swept whole), each judged by
// the policy of its base branch as its events are:
//
//   - decision PRs are reconciled as if an event had just arrived when one
//     of them is in env.Scope (updated since the watermark, or dirty; every
//     one on a full sweep). They share a number sequence, so when one is
//     in scope all are: a record another PR added may have moved the
//     number a prompt proposes. When none is, none is read.
//   - a PR without a decision label whose "Decision record" check (from
//     the listing's status rollup, whatever its age) still says something
//     other than neutral or skipped — an unlabel delivery was lost or came
//     before the label's — is retired; with always_report one without the
//     check gets its "skipped" run.
//
// Unchanged PRs cost reads only (the write path compares before writing).
// Cost per repository with N open PRs: the shared listing (⌈N/100⌉ GraphQL
// requests, shared with the other sweeps); when a decision PR is in scope,
// per open decision PR its files, one GraphQL request, the comment and the
// check-run lookups; per PR to retire the two lookups and the writes.
func (f Feature) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	prs, err := env.OpenPullRequests(ctx)
	if err != nil {
		return fmt.Errorf("adr sweep: %w", err)
	}
	type item struct {
		env  *handlers.Env
		s    Settings
		pr   PR
		opts reconcileOpts
	}
	var errs []error
	var decisions, retire []item
	touched := false
	for _, o := range prs {
		e := env.ForBase(o.BaseRef)
		s, err := settings(ctx, e)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !s.Enabled {
			continue
		}
		pr := prFromOpen(repo, o)
		switch {
		case IsDecisionPR(pr.Labels, s.Labels):
			decisions = append(decisions, item{e, s, pr, reconcileOpts{}})
			touched = touched || env.Scope.Includes(o.Number, o.UpdatedAt)
		case staleCheck(s, o.Checks[CheckName]):
			retire = append(retire, item{e, s, pr, reconcileOpts{mayRetire: true}})
		}
	}
	if !touched {
		decisions = nil
	}
	for _, it := range append(decisions, retire...) {
		if ctx.Err() != nil {
			break
		}
		if err := f.reconcile(ctx, it.env, it.s, it.pr, it.opts); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s#%d: %w", repo.FullName(), it.pr.Number, err))
		}
	}
	return errors.Join(errs...)
}

// staleCheck reports whether a PR that is not a decision PR, whose
// "Decision record" check concluded conclusion ("" for none), needs a
// write: a check that could still block or mislead is retired, and with
// always_report a missing one is created.
func staleCheck(s Settings, conclusion string) bool {
	switch conclusion {
	case ConclusionNeutral, ConclusionSkipped:
		return false
	case "":
		return s.AlwaysReport
	}
	return true
}

// prFromOpen is a PR of the shared sweep listing as the decision sees it.
func prFromOpen(repo gh.Repo, o handlers.OpenPR) PR {
	return PR{Owner: repo.Owner, Repo: repo.Name, Number: o.Number, Title: o.Title, Body: o.Body,
		HTMLURL: o.URL, HeadSHA: o.HeadSHA, BaseRef: o.BaseRef, Author: o.Author, Labels: o.Labels}
}

func prFromGraphQL(repo gh.Repo, o gqlOpenPR) PR {
	pr := PR{Owner: repo.Owner, Repo: repo.Name, Number: o.Number, Title: o.Title, Body: o.Body,
		HTMLURL: o.URL, HeadSHA: o.HeadRefOid, BaseRef: o.BaseRefName}
	if o.Author != nil {
		pr.Author = o.Author.Login
	}
	for _, l := range o.Labels.Nodes {
		pr.Labels = append(pr.Labels, l.Name)
	}
	return pr
}

// RevisitTitle is the title of the tracking-issue section listing records
// past their revisit date.
const RevisitTitle = "Decision records to revisit"

// TrackingSections implements handlers.SectionSource: the decision records
// on the default branch whose revisit date (a "Revisit: YYYY-MM-DD" line or
// front matter `revisit:`) is today or past, oldest first, for the docs
// tracking issue. Cost: one GraphQL request (the directory with every
// file's text, and .adr-dir); two when .adr-dir names another directory. None due, or the feature off: no section.
func (f Feature) TrackingSections(ctx context.Context, env *handlers.Env, repo gh.Repo) ([]handlers.Section, error) {
	s, err := settings(ctx, env)
	if err != nil {
		return nil, err
	}
	if !s.Enabled {
		return nil, nil
	}
	branch := repo.DefaultBranch
	if branch == "" {
		r, _, err := env.REST.Repositories.Get(ctx, repo.Owner, repo.Name)
		if err != nil {
			return nil, fmt.Errorf("read default branch of %s: %w", repo.FullName(), err)
		}
		branch = r.GetDefaultBranch()
	}
	var q gqlRecords
	vars := map[string]any{
		"owner":  githubv4.String(repo.Owner),
		"name":   githubv4.String(repo.Name),
		"dir":    githubv4.String(branch + ":" + s.Directory),
		"adrDir": githubv4.String(branch + ":.adr-dir"),
	}
	if err := env.GraphQL.Query(ctx, &q, vars); err != nil {
		return nil, fmt.Errorf("read decision records of %s: %w", repo.FullName(), err)
	}
	if b := q.Repository.ADRDir; s.AutoDirectory && b != nil && b.Blob.Text != nil {
		// The policy leaves the directory to .adr-dir, which names another.
		if dir, ok := DirFromADRDir(*b.Blob.Text); ok && dir != s.Directory {
			s.Directory = dir
			vars["dir"] = githubv4.String(branch + ":" + dir)
			q = gqlRecords{}
			if err := env.GraphQL.Query(ctx, &q, vars); err != nil {
				return nil, fmt.Errorf("read decision records of %s: %w", repo.FullName(), err)
			}
		}
	}
	if q.Repository.Object == nil {
		return nil, nil
	}
	var files []File
	for _, e := range q.Repository.Object.Tree.Entries {
		if e.Type != "blob" || e.Object == nil || e.Object.Blob.Text == nil {
			continue
		}
		files = append(files, File{Path: s.Directory + "/" + e.Name, Status: "modified", Content: *e.Object.Blob.Text})
	}
	var records []Record
	for _, fl := range adrFiles(files, s.Directory) {
		r, err := ParseRecord(fl.Path, fl.Content)
		if err != nil {
			continue // unreadable records are the check's business, not the tracking issue's
		}
		records = append(records, r)
	}
	return RevisitSections(DueForRevisit(records, env.Now), PR{Owner: repo.Owner, Repo: repo.Name}, branch), nil
}

// RevisitSections renders due records as one tracking-issue section (none
// when nothing is due); links point at the records on branch.
func RevisitSections(due []Record, repo PR, branch string) []handlers.Section {
	if len(due) == 0 {
		return nil
	}
	sec := handlers.Section{Title: RevisitTitle}
	for _, r := range due {
		title := oneLine(r.Title)
		if title == "" {
			title = baseName(r.Path)
		}
		line := fmt.Sprintf("[%s](%s) — revisit date %s", title, blobURL(repo, "", "", branch, r.Path), r.Revisit.Format("2006-01-02"))
		if st := oneLine(r.Status); st != "" {
			line += " (status: " + st + ")"
		}
		sec.Lines = append(sec.Lines, line)
	}
	return []handlers.Section{sec}
}
