package adr

import (
	"context"
	"errors"
	"fmt"

	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

// Sweep implements handlers.Sweeper: every open PR carrying a decision
// label is reconciled as if an event had just arrived, so a missed or
// failed delivery is caught up. Unchanged PRs cost reads only (the write
// path compares before writing). The same GraphQL request lists the 100
// most recently updated open PRs with their labels and check rollup: one
// without a decision label whose "Decision record" check still says
// something other than neutral or skipped (an unlabel delivery was lost or
// arrived before the label's) is retired, and with always_report one
// without the check gets its "skipped" run. Cost: that one request, then
// per decision PR its files, one GraphQL request, the comment and the
// check-run lookups; per PR to retire the two lookups and the writes. The
// policy is the default branch's.
func (f Feature) Sweep(ctx context.Context, env *handlers.Env, repo gh.Repo) error {
	s, err := settings(ctx, env)
	if err != nil {
		return err
	}
	if !s.Enabled {
		return nil
	}
	snap, err := fetchSnapshot(ctx, env, s, snapshotQuery{baseRef: repo.DefaultBranch, allOpen: true})
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range snap.prs {
		pr := prFromGraphQL(repo, o)
		if err := f.reconcile(ctx, env, s, pr, reconcileOpts{}); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s#%d: %w", repo.FullName(), pr.Number, err))
		}
	}
	for _, o := range snap.open {
		pr := prFromAnyOpen(repo, o)
		if IsDecisionPR(pr.Labels, s.Labels) || !staleCheck(s, decisionCheckConclusion(o)) {
			continue
		}
		if err := f.reconcile(ctx, env, s, pr, reconcileOpts{mayRetire: true}); err != nil {
			errs = append(errs, fmt.Errorf("sweep %s#%d: %w", repo.FullName(), pr.Number, err))
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

func prFromAnyOpen(repo gh.Repo, o gqlAnyOpenPR) PR {
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
