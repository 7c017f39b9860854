package adr

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"reflect"
	"strings"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/handlers"
)

// maxOpenPRs bounds the open decision PRs one query reads (numbers they
// reserve, and the sweep's work list). A repository with more open decision
// PRs than this has the newest ones considered.
const maxOpenPRs = 100

// gqlTree is a directory listing (Repository.object on "<ref>:<dir>").
type gqlTree struct {
	Tree struct {
		Entries []struct {
			Name string
			Type string
		}
	} `graphql:"... on Tree"`
}

// gqlBlob is one file's text (Repository.object on "<sha>:<path>").
type gqlBlob struct {
	Blob struct {
		Text        *string
		IsTruncated bool
	} `graphql:"... on Blob"`
}

// gqlPR is what every open PR the snapshot lists carries: enough to
// reconcile it in a sweep. githubv4 inlines embedded structs, in the query
// and when decoding.
type gqlPR struct {
	Number      int
	Title       string
	Body        string
	URL         string
	HeadRefOid  string
	BaseRefName string
	Author      *struct{ Login string }
	Labels      struct {
		Nodes []struct{ Name string }
	} `graphql:"labels(first: 50)"`
}

// gqlOpenPR is an open decision PR and the files that show which record
// numbers it reserves.
type gqlOpenPR struct {
	gqlPR
	Files struct {
		Nodes []struct {
			Path       string
			ChangeType string
		}
	} `graphql:"files(first: 100)"`
}

type gqlOpenPRs struct {
	Nodes []gqlOpenPR
}

// gqlCurrentPR is the PR an event is about, as GitHub has it now: label
// events can arrive out of order (or not at all), so the labels in a
// labeled/unlabeled payload are not trusted.
type gqlCurrentPR struct {
	State      string
	HeadRefOid string
	Labels     struct {
		Nodes []struct{ Name string }
	} `graphql:"labels(first: 100)"`
}

// gqlAnyOpenPR is an open PR of any label, for the sweep: its labels and
// the conclusions of the checks on its head, to find a "Decision record"
// check left on a PR that is no longer a decision PR.
type gqlAnyOpenPR struct {
	gqlPR
	StatusCheckRollup *struct {
		Contexts struct {
			Nodes []struct {
				CheckRun struct {
					Name       string
					Conclusion *string
				} `graphql:"... on CheckRun"`
			}
		} `graphql:"contexts(first: 100)"`
	}
}

type gqlAnyOpenPRs struct {
	Nodes []gqlAnyOpenPR
}

// snapshotQuery says what one snapshot reads besides the ADR directory and
// the open decision PRs.
type snapshotQuery struct {
	baseRef, headSHA string
	dir              string   // the ADR directory to list
	heads            []string // paths whose text to read at headSHA
	number           int      // > 0: also read this PR's current state
	probeADRDir      bool     // also read .adr-dir at baseRef
	allOpen          bool     // also list every open PR (the sweep)
}

// snapshot is what one GraphQL query learns about a repository for a
// decision: the base branch's records, the open decision PRs and the head
// text of the asked files.
type snapshot struct {
	baseNames []string          // file names in the ADR directory on the base ref
	prs       []gqlOpenPR       // open PRs carrying a decision label
	heads     map[string]string // path → text at the head SHA
	current   *gqlCurrentPR     // the PR asked for by number (nil if not asked)
	adrDir    *string           // .adr-dir's text at the base (nil: absent or not asked)
	open      []gqlAnyOpenPR    // every open PR (allOpen only)
}

func init() {
	handlers.RegisterSnapshotPart(handlers.SnapshotPart{Name: "adr", Fields: snapshotPart})
}

// partRef is the base branch the snapshot part reads the records at: the
// event's base (the policy's ref), else the default branch. A PR based
// elsewhere is read by fetchSnapshot.
func partRef(env *handlers.Env) string {
	if env.PolicyRef != "" {
		return env.PolicyRef
	}
	return env.Repo.DefaultBranch
}

// snapshotPart is what the decision reads besides the PR itself, asked in
// the event's one snapshot request (handlers.Env.PullRequest) instead of a
// query of its own: the ADR directory at the base, the open decision PRs
// and, when the policy leaves the directory unset, .adr-dir. Nothing when
// the feature is off.
func snapshotPart(ctx context.Context, env *handlers.Env) ([]handlers.SnapshotField, map[string]any, error) {
	s, err := settings(ctx, env)
	if err != nil || !s.Enabled || partRef(env) == "" {
		return nil, nil, err
	}
	ref := partRef(env)
	fields := []handlers.SnapshotField{
		{Alias: "adrTree", Field: "object(expression: $adrTree)", Type: reflect.TypeOf((*gqlTree)(nil))},
		{Alias: "adrOpen", Type: reflect.TypeOf(gqlOpenPRs{}),
			Field: fmt.Sprintf("pullRequests(states: OPEN, labels: $adrLabels, first: %d, orderBy: {field: CREATED_AT, direction: DESC})", maxOpenPRs)},
	}
	vars := map[string]any{
		"adrTree":   githubv4.String(ref + ":" + s.Directory),
		"adrLabels": toStrings(s.Labels),
	}
	if s.AutoDirectory {
		fields = append(fields, handlers.SnapshotField{Alias: "adrDirFile", Field: "object(expression: $adrDirFile)", Type: reflect.TypeOf((*gqlBlob)(nil))})
		vars["adrDirFile"] = githubv4.String(ref + ":.adr-dir")
	}
	return fields, vars, nil
}

// fromEventSnapshot serves sq from the PR's shared snapshot when it holds
// what sq asks (the same base ref, directory and .adr-dir probe, and no
// head text): no request of its own. ok is false when it cannot.
func fromEventSnapshot(ctx context.Context, env *handlers.Env, sq snapshotQuery, number int) (snapshot, bool, error) {
	if number <= 0 || env.GraphQL == nil || len(sq.heads) > 0 || sq.allOpen {
		return snapshot{}, false, nil
	}
	part, err := settings(ctx, env)
	if err != nil {
		return snapshot{}, false, err
	}
	baseRef := sq.baseRef
	if baseRef == "" {
		baseRef = env.Repo.DefaultBranch
	}
	if baseRef != partRef(env) || sq.dir != part.Directory || sq.probeADRDir != part.AutoDirectory {
		return snapshot{}, false, nil
	}
	p, err := env.PullRequest(ctx, number)
	if err != nil {
		return snapshot{}, false, err
	}
	tree, ok1 := p.Part("adrTree")
	open, ok2 := p.Part("adrOpen")
	dirFile, ok3 := p.Part("adrDirFile")
	if !ok1 || !ok2 || (sq.probeADRDir && !ok3) {
		return snapshot{}, false, nil
	}
	var snap snapshot
	if t := tree.(*gqlTree); t != nil {
		for _, e := range t.Tree.Entries {
			if e.Type == "blob" {
				snap.baseNames = append(snap.baseNames, e.Name)
			}
		}
	}
	snap.prs = open.(gqlOpenPRs).Nodes
	if sq.probeADRDir {
		if b := dirFile.(*gqlBlob); b != nil && b.Blob.Text != nil {
			snap.adrDir = b.Blob.Text
		}
	}
	if sq.number > 0 {
		cur := &gqlCurrentPR{State: p.State, HeadRefOid: p.HeadSHA}
		for _, l := range p.Labels {
			cur.Labels.Nodes = append(cur.Labels.Nodes, struct{ Name string }{l})
		}
		snap.current = cur
	}
	snap.heads = map[string]string{}
	return snap, true, nil
}

// fetchSnapshot costs one GraphQL request whatever the number of records on
// the base branch (200 or 2,000), of open decision PRs (≤ maxOpenPRs) and of
// ADR files in the PR: the query is built with one aliased
// `object(expression: "<sha>:<path>")` per head file.
func fetchSnapshot(ctx context.Context, env *handlers.Env, s Settings, sq snapshotQuery) (snapshot, error) {
	baseRef := sq.baseRef
	if baseRef == "" {
		baseRef = env.Repo.DefaultBranch
	}
	dir := sq.dir
	if dir == "" {
		dir = s.Directory
	}
	fields := []reflect.StructField{
		{Name: "Object", Type: reflect.TypeOf((*gqlTree)(nil)), Tag: `graphql:"object(expression: $dir)"`},
		{Name: "PullRequests", Type: reflect.TypeOf(gqlOpenPRs{}), Tag: reflect.StructTag(fmt.Sprintf(`graphql:"pullRequests(states: OPEN, labels: $labels, first: %d, orderBy: {field: CREATED_AT, direction: DESC})"`, maxOpenPRs))},
	}
	vars := map[string]any{
		"owner":  githubv4.String(env.Repo.Owner),
		"name":   githubv4.String(env.Repo.Name),
		"dir":    githubv4.String(baseRef + ":" + dir),
		"labels": toStrings(s.Labels),
	}
	if sq.number > 0 {
		fields = append(fields, reflect.StructField{Name: "Current", Type: reflect.TypeOf((*gqlCurrentPR)(nil)), Tag: `graphql:"current: pullRequest(number: $number)"`})
		vars["number"] = githubv4.Int(sq.number)
	}
	if sq.probeADRDir {
		fields = append(fields, reflect.StructField{Name: "ADRDir", Type: reflect.TypeOf((*gqlBlob)(nil)), Tag: `graphql:"adrDir: object(expression: $adrDir)"`})
		vars["adrDir"] = githubv4.String(baseRef + ":.adr-dir")
	}
	if sq.allOpen {
		fields = append(fields, reflect.StructField{Name: "Open", Type: reflect.TypeOf(gqlAnyOpenPRs{}),
			Tag: reflect.StructTag(fmt.Sprintf(`graphql:"open: pullRequests(states: OPEN, first: %d, orderBy: {field: UPDATED_AT, direction: DESC})"`, maxOpenPRs))})
	}
	for i, p := range sq.heads {
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("F%d", i), Type: reflect.TypeOf((*gqlBlob)(nil)),
			Tag: reflect.StructTag(fmt.Sprintf(`graphql:"f%d: object(expression: $f%d)"`, i, i)),
		})
		vars[fmt.Sprintf("f%d", i)] = githubv4.String(sq.headSHA + ":" + p)
	}
	repoType := reflect.StructOf(fields)
	queryType := reflect.StructOf([]reflect.StructField{
		{Name: "Repository", Type: repoType, Tag: `graphql:"repository(owner: $owner, name: $name)"`},
	})
	q := reflect.New(queryType)
	if err := env.GraphQL.Query(ctx, q.Interface(), vars); err != nil {
		return snapshot{}, fmt.Errorf("read decision records of %s: %w", env.Repo.FullName(), err)
	}
	repo := q.Elem().Field(0)
	var snap snapshot
	if t := repo.FieldByName("Object").Interface().(*gqlTree); t != nil {
		for _, e := range t.Tree.Entries {
			if e.Type == "blob" {
				snap.baseNames = append(snap.baseNames, e.Name)
			}
		}
	}
	snap.prs = repo.FieldByName("PullRequests").Interface().(gqlOpenPRs).Nodes
	if sq.number > 0 {
		snap.current = repo.FieldByName("Current").Interface().(*gqlCurrentPR)
	}
	if sq.probeADRDir {
		if b := repo.FieldByName("ADRDir").Interface().(*gqlBlob); b != nil && b.Blob.Text != nil {
			snap.adrDir = b.Blob.Text
		}
	}
	if sq.allOpen {
		snap.open = repo.FieldByName("Open").Interface().(gqlAnyOpenPRs).Nodes
	}
	snap.heads = map[string]string{}
	for i, p := range sq.heads {
		if b := repo.FieldByName(fmt.Sprintf("F%d", i)).Interface().(*gqlBlob); b != nil && b.Blob.Text != nil {
			snap.heads[p] = *b.Blob.Text
		}
	}
	return snap, nil
}

// decisionCheckConclusion is the conclusion of the "Decision record" check
// on an open PR's head, from the status rollup: "" when there is none or it
// has not completed. GraphQL spells conclusions in upper case.
func decisionCheckConclusion(o gqlAnyOpenPR) string {
	if o.StatusCheckRollup == nil {
		return ""
	}
	for _, n := range o.StatusCheckRollup.Contexts.Nodes {
		if n.CheckRun.Name == CheckName && n.CheckRun.Conclusion != nil {
			return strings.ToLower(*n.CheckRun.Conclusion)
		}
	}
	return ""
}

// gqlRecords is the base branch's ADR directory with every file's text,
// for the revisit list (one request).
type gqlRecords struct {
	Repository struct {
		Object *struct {
			Tree struct {
				Entries []struct {
					Name   string
					Type   string
					Object *gqlBlob
				}
			} `graphql:"... on Tree"`
		} `graphql:"object(expression: $dir)"`
		ADRDir *gqlBlob `graphql:"adrDir: object(expression: $adrDir)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

func toStrings(ss []string) []githubv4.String {
	out := make([]githubv4.String, len(ss))
	for i, s := range ss {
		out[i] = githubv4.String(s)
	}
	return out
}

// inDir reports whether p is a file directly in dir.
func inDir(p, dir string) bool {
	return path.Dir(strings.TrimPrefix(p, "/")) == dir
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// confirmLinks judges the PR body's links (see PlanLinks and JudgeLink) and
// returns the first that counts, or why none does. Own records are first
// looked up in the base listing already fetched (no call); each link
// still standing costs one contents read: at the PR's base branch for this
// repository (a link's own ref is ignored: a record on a branch is not a
// decision made), at the default branch for an allowed repository. Links
// outside both are never read. At most MaxLinkCandidates reads per event.
func confirmLinks(ctx context.Context, env *handlers.Env, s Settings, pr PR, baseNames []string) ([]LinkedRef, []LinkNote, error) {
	have := map[string]bool{}
	for _, n := range baseNames {
		have[n] = true
	}
	var notes []LinkNote
	for _, c := range PlanLinks(pr.Body, pr, s) {
		listed := c.Scope == linkOwn && have[baseName(c.Ref.Path)]
		var text *string
		if listed || c.Scope == linkAllowed {
			owner, repo, ref := c.Ref.Owner, c.Ref.Repo, ""
			if c.Scope == linkOwn {
				owner, repo, ref = pr.Owner, pr.Repo, pr.BaseRef
			}
			var err error
			if text, err = readRecord(ctx, env, owner, repo, c.Ref.Path, ref); err != nil {
				return nil, nil, err
			}
		}
		ok, why := JudgeLink(c, listed, text, s)
		if ok {
			found := c.Ref
			if c.Scope == linkOwn {
				found.Owner, found.Repo, found.Ref = pr.Owner, pr.Repo, pr.BaseRef
			} else {
				found.Ref = ""
			}
			return []LinkedRef{found}, nil, nil
		}
		notes = append(notes, LinkNote{Ref: c.Ref, Why: why})
	}
	return nil, notes, nil
}

// readRecord reads a linked record's text; nil when GitHub answers that it
// is not there or not readable (404, 403), or is no file with text (a
// directory, a file over the contents API's 1 MB).
func readRecord(ctx context.Context, env *handlers.Env, owner, repo, p, ref string) (*string, error) {
	var opt *github.RepositoryContentGetOptions
	if ref != "" {
		opt = &github.RepositoryContentGetOptions{Ref: ref}
	}
	fc, _, resp, err := env.REST.Repositories.GetContents(ctx, owner, repo, p, opt)
	if err != nil {
		if resp != nil && (resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden) {
			return nil, nil
		}
		return nil, fmt.Errorf("read linked record %s/%s:%s: %w", owner, repo, p, err)
	}
	if fc == nil || fc.GetType() != "file" {
		return nil, nil
	}
	text, err := fc.GetContent()
	if err != nil {
		return nil, nil
	}
	return &text, nil
}
