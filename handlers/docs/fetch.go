package docs

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/handlers"
)

// snapshot is what a handler fetched about a repository's docs at one
// commit.
type snapshot struct {
	SHA      string   // the commit read
	Tree     []string // file paths
	Docs     []Doc    // built, without reviews from the data block
	Contents map[string]string
	// Truncated is set when GitHub cut the recursive tree listing (a very
	// large repository): Tree and Docs are then partial.
	Truncated bool
}

// headOf returns the commit SHA a branch points at (one call).
func headOf(ctx context.Context, env *handlers.Env, branch string) (string, error) {
	ref, resp, err := env.REST.Git.GetRef(ctx, env.Repo.Owner, env.Repo.Name, "heads/"+branch)
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusConflict) {
			return "", nil // empty repository or no such branch
		}
		return "", fmt.Errorf("read head of %s@%s: %w", env.Repo.FullName(), branch, err)
	}
	return ref.GetObject().GetSHA(), nil
}

// treeAt lists the files of the tree at sha (one call, recursive), and
// whether GitHub truncated the listing (past 100,000 entries or 7 MB): a
// truncated list misses files, so no check may conclude that a file is
// absent from it.
func treeAt(ctx context.Context, env *handlers.Env, sha string) ([]string, bool, error) {
	t, _, err := env.REST.Git.GetTree(ctx, env.Repo.Owner, env.Repo.Name, sha, true)
	if err != nil {
		return nil, false, fmt.Errorf("read tree of %s@%s: %w", env.Repo.FullName(), short(sha), err)
	}
	if t.GetTruncated() {
		zerolog.Ctx(ctx).Warn().Str("sha", sha).Msg("docs: repository tree truncated by GitHub; docs past the cut are not tracked and links are not checked")
	}
	var out []string
	for _, e := range t.Entries {
		if e.GetType() == "blob" {
			out = append(out, e.GetPath())
		}
	}
	sort.Strings(out)
	return out, t.GetTruncated(), nil
}

// fetchDocs reads the docs of settings at sha: the tree (one REST call),
// then each doc's text at sha and its last commit on the default branch,
// ⌈docs/maxAliases⌉ GraphQL requests in all.
func (f *Feature) fetchDocs(ctx context.Context, env *handlers.Env, s Settings, sha string) (snapshot, error) {
	snap := snapshot{SHA: sha, Contents: map[string]string{}}
	if sha == "" {
		return snap, nil
	}
	tree, truncated, err := treeAt(ctx, env, sha)
	if err != nil {
		return snap, err
	}
	snap.Tree, snap.Truncated = tree, truncated
	sets, _ := MatchSets(tree, s) // the policy loader already rejects bad globs
	var paths []string
	seen := map[string]bool{}
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		for _, p := range sets[name] {
			if !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
		}
	}
	sort.Strings(paths)
	dates, texts, err := f.docsData(ctx, env, sha, paths)
	if err != nil {
		return snap, err
	}
	snap.Contents = texts
	snap.Docs, _ = BuildDocs(s, Source{Tree: tree, Contents: texts, LastCommit: dates})
	return snap, nil
}

// docsData runs the batched GraphQL requests for paths at ref.
func (f *Feature) docsData(ctx context.Context, env *handlers.Env, ref string, paths []string) (map[string]time.Time, map[string]string, error) {
	dates := map[string]time.Time{}
	texts := map[string]string{}
	for _, page := range DocsQuery(env.Repo.Owner, env.Repo.Name, ref, paths, f.MaxAliases) {
		if err := env.GraphQL.Query(ctx, page.Query, page.Vars); err != nil {
			return nil, nil, fmt.Errorf("read docs of %s (%d paths): %w", env.Repo.FullName(), len(page.Paths), err)
		}
		for p, t := range page.Decode() {
			dates[p] = t
		}
		if page.Texts != nil {
			for p, t := range page.Texts() {
				texts[p] = t
			}
		}
	}
	return dates, texts, nil
}

// brokenLinks checks every doc's relative links against the tree. A
// truncated tree is not checked: valid links to files past the cut would
// be reported broken.
func brokenLinks(snap snapshot, only map[string]bool) []Link {
	if snap.Truncated {
		return nil
	}
	tree := make(map[string]bool, len(snap.Tree))
	for _, p := range snap.Tree {
		tree[p] = true
	}
	var out []Link
	for _, d := range snap.Docs {
		if only != nil && !only[d.Path] {
			continue
		}
		if text, ok := snap.Contents[d.Path]; ok && isMarkdown(d.Path) {
			out = append(out, BrokenLinks(d.Path, text, tree, snap.Contents)...)
		}
	}
	return out
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}
