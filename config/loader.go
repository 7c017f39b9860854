package config

import (
	"container/list"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/appconfig"
	"gopkg.in/yaml.v3"
)

// PolicySource says where policy files live; it is the `policy` block of the
// server config.
type PolicySource struct {
	// Path is the policy file inside a repository.
	Path string `yaml:"path"`
	// OrgRepo and OrgPath locate the organisation-wide default (and the
	// target of `extends: org`): OrgPath in the owner's OrgRepo repository,
	// on its default branch.
	OrgRepo string `yaml:"org_repo"`
	OrgPath string `yaml:"org_path"`
	// CacheSize bounds the parsed-policy cache (entries, one per repo and ref).
	CacheSize int `yaml:"cache_size"`
}

func defaultPolicySource() PolicySource {
	return PolicySource{Path: ".github/overlap.yml", OrgRepo: ".github", OrgPath: "overlap.yml", CacheSize: 1000}
}

// Loaded is the policy that applies to one repository at one ref. Loads
// served from the cache share maps and slices: treat a Loaded as read-only.
type Loaded struct {
	// Policy is the effective policy; Defaults() when no file exists or when
	// any file is broken.
	Policy Policy
	// Source is "owner/repo@ref:path" of the file that was read (the repo's
	// own, or the org default), or "defaults".
	Source string
	// Problems are what is wrong with the files; the "Overlap config" check
	// shows them. Non-empty means Policy is Defaults().
	Problems Problems
	// Files lists every file that made the policy, base (extends) first.
	Files []string
}

// Loader reads policy files through the GitHub API, following go-githubapp's
// appconfig conventions (repo file, then the org default, one level of
// `remote:` reference), adds `extends`, and caches parsed results by the
// files' blob SHAs so unchanged files are never parsed twice. Fetches still
// go out on every load: go-githubapp's HTTP cache turns them into cheap
// conditional requests (304s do not count against the rate limit).
//
// A Loader is safe for concurrent use.
type Loader struct {
	src        PolicySource
	repoLoader *appconfig.Loader

	mu    sync.Mutex
	size  int
	order *list.List // of *cacheEntry, most recent first
	items map[string]*list.Element

	parses atomic.Int64 // number of parse runs, for tests and metrics
}

type cacheEntry struct {
	key     string
	topSHA  string
	extends extendsPeek
	baseSHA string
	loaded  Loaded
}

// LoaderOption configures a Loader.
type LoaderOption func(*Loader)

// WithCacheSize overrides PolicySource.CacheSize.
func WithCacheSize(n int) LoaderOption { return func(l *Loader) { l.size = n } }

// NewLoader builds a loader for src; zero fields of src take their defaults.
func NewLoader(src PolicySource, opts ...LoaderOption) *Loader {
	def := defaultPolicySource()
	if src.Path == "" {
		src.Path = def.Path
	}
	if src.OrgRepo == "" {
		src.OrgRepo = def.OrgRepo
	}
	if src.OrgPath == "" {
		src.OrgPath = def.OrgPath
	}
	if src.CacheSize <= 0 {
		src.CacheSize = def.CacheSize
	}
	l := &Loader{
		src: src,
		// The org default is read by Load itself (orgDefault), straight from
		// the contents API: appconfig's fallback first reads the org
		// repository (GET /repos/{org}/{org_repo}) only to learn its default
		// branch, one rate-limited request per load that the contents API
		// makes unnecessary (no ref means the default branch).
		repoLoader: appconfig.NewLoader([]string{src.Path}, appconfig.WithOwnerDefault("", nil),
			// `remote:` is followed by Load itself, after deciding whether the
			// target may be read at all (appconfig would read any file).
			appconfig.WithRemoteRefParser(nil)),
		size:  src.CacheSize,
		order: list.New(),
		items: map[string]*list.Element{},
	}
	for _, o := range opts {
		o(l)
	}
	if l.size < 1 {
		l.size = 1
	}
	return l
}

// Parses returns how many times the loader has parsed files (cache misses).
func (l *Loader) Parses() int64 { return l.parses.Load() }

// Source says where the loader looks for policy files.
func (l *Loader) Source() PolicySource { return l.src }

// Load returns the policy for owner/repo at ref. Pass the PR's base ref for
// pull-request events (a PR cannot loosen the rules that judge it) and ""
// (default branch) otherwise. A broken file is not an error: it comes back as
// Problems with Defaults(). The error is for infrastructure failures only
// (network, 5xx, rate limits), when the caller should retry later.
//
// What may be read from where: a policy file may pull in (through
// `remote:` or `extends:`) a file of its own repository, the org default,
// or a file of a repository on the org default's policy.extends_allowed
// list; the org default itself may pull in any file (its editors own the
// list). Anything else is refused before it is read. Problems found in a
// file of another repository are reported without its content (see
// exposure).
func (l *Loader) Load(ctx context.Context, client *github.Client, owner, repo, ref string) (Loaded, error) {
	cfg, err := l.repoLoader.LoadConfig(ctx, client, owner, repo, ref)
	if err == nil && cfg.IsUndefined() {
		cfg, err = l.orgDefault(ctx, client, owner)
	}
	if err != nil {
		return Loaded{}, fmt.Errorf("load policy for %s/%s@%s from %s: %w", owner, repo, ref, sourceOf(cfg), err)
	}
	if cfg.IsUndefined() {
		return Loaded{Policy: Defaults(), Source: "defaults"}, nil
	}

	holder := l.fileOf(owner, repo, ref, cfg)
	top := holder
	var holderProblem *Problem
	rr, rerr := appconfig.YAMLRemoteRefParser(cfg.Path, cfg.Content)
	if rerr != nil || rr != nil {
		top, holderProblem, err = l.followRemote(ctx, client, owner, repo, holder, rr, rerr)
		if err != nil {
			return Loaded{}, fmt.Errorf("load policy for %s/%s@%s: remote: %w", owner, repo, ref, err)
		}
		if holderProblem != nil {
			return Loaded{Policy: Defaults(), Source: holder.source, Problems: Problems{*holderProblem}, Files: []string{holder.source}}, nil
		}
	}

	topSHA := holder.sha + "/" + top.sha
	key := strings.ToLower(owner + "/" + repo + "@" + ref)
	prev, hit := l.get(key)
	ext := peekExtends(top.data)
	if hit && prev.topSHA == topSHA {
		ext = prev.extends
	}

	var base *policyFile
	refused := false
	if ext.ref != nil && !(ext.ref.Org && top.orgDefault) {
		o, r, p, bref := l.extendsTarget(owner, *ext.ref)
		ok, err := l.mayRead(ctx, client, owner, repo, top, o, r, p)
		if err != nil {
			return Loaded{}, fmt.Errorf("load policy for %s/%s@%s: extends: %w", owner, repo, ref, err)
		}
		if ok {
			base, err = l.fetchFile(ctx, client, owner, repo, o, r, p, bref)
			if err != nil {
				return Loaded{}, fmt.Errorf("load policy for %s/%s@%s: extends %s: %w", owner, repo, ref, ext.value, err)
			}
		} else {
			refused = true
		}
	}
	baseSHA := ""
	switch {
	case refused:
		baseSHA = "refused"
	case base != nil:
		baseSHA = base.sha
	}
	if hit && prev.topSHA == topSHA && prev.baseSHA == baseSHA {
		return prev.loaded, nil
	}

	l.parses.Add(1)
	loaded := assemble(l.src, top, ext, base, refused)
	l.put(&cacheEntry{key: key, topSHA: topSHA, extends: ext, baseSHA: baseSHA, loaded: loaded})
	return loaded, nil
}

// assemble parses the files a load found into the Loaded it returns: the
// decision part of Load, without I/O.
func assemble(src PolicySource, top policyFile, ext extendsPeek, base *policyFile, refused bool) Loaded {
	loaded := Loaded{Source: top.source}
	topFile := File{Name: top.name, Data: top.data}
	var (
		pol   Policy
		probs Problems
		extra Problems // the loader's own findings: they never quote a file
	)
	extendsAt := func(msg, hint string) Problem {
		return Problem{File: top.name, Line: max(ext.line, 1), Column: ext.column, Key: "extends", Message: msg, Hint: hint}
	}
	switch {
	case ext.ref != nil && ext.ref.Org && top.orgDefault:
		pol, probs = Parse(top.name, top.data)
		extra = append(extra, extendsAt("the org default cannot extend itself", "remove extends"))
		loaded.Files = []string{top.source}
	case refused:
		pol, probs = Parse(top.name, top.data)
		extra = append(extra, extendsAt(
			"Overlap reads policy files only from this repository, the org default and the repositories the org allows",
			fmt.Sprintf("ask an org owner to add the repository to policy.extends_allowed in %s/%s:%s, or remove extends", top.viewer, src.OrgRepo, src.OrgPath)))
		loaded.Files = []string{top.source}
	case base == nil:
		pol, probs = Parse(top.name, top.data)
		loaded.Files = []string{top.source}
	case !base.found:
		pol, probs = Parse(top.name, top.data)
		msg := fmt.Sprintf("extends %s, but %s does not exist", ext.value, base.name)
		if top.exposure != exposeAll {
			msg = "the file it extends does not exist or cannot be read"
		}
		extra = append(extra, extendsAt(msg, "create that file or remove extends"))
		loaded.Files = []string{top.source}
	default:
		pol, probs = ParseLayered(File{Name: base.name, Data: base.data}, topFile)
		if be := peekExtends(base.data); be.value != "" {
			p := Problem{File: base.name, Line: be.line, Column: be.column, Key: "extends",
				Message: "a file used through extends cannot extend another file (one level only)",
				Hint:    "remove extends from " + base.name}
			if base.exposure == exposeLines {
				p.Key = ""
			}
			extra = append(extra, p)
		}
		loaded.Files = []string{base.source, top.source}
	}
	if top.exposure == exposeAll && !top.orgDefault {
		if line, col, ok := peekKey(top.data, "policy", "extends_allowed"); ok {
			extra = append(extra, Problem{File: top.name, Line: line, Column: col, Key: "policy.extends_allowed",
				Message: fmt.Sprintf("is read from the org default only (%s/%s:%s)", top.viewer, src.OrgRepo, src.OrgPath),
				Hint:    "move it there, or remove it"})
		}
	}
	exposures := map[string]exposure{top.name: top.exposure}
	if base != nil {
		exposures[base.name] = base.exposure
	}
	loaded.Problems = append(redact(probs, exposures), extra...).sorted()
	loaded.Policy = pol
	if len(loaded.Problems) > 0 {
		loaded.Policy = Defaults()
	}
	return loaded
}

// policyFile is one policy file a load read, and how much of it may be
// shown to the repository being judged.
type policyFile struct {
	name              string // in problems, as people know it: the path for the repository's own files, else source
	source            string // owner/repo[@ref]:path
	owner, repo, path string
	viewer            string // the owner of the repository being judged
	data              []byte
	sha               string
	found             bool
	orgDefault        bool // the org default file (OrgPath in the owner's OrgRepo)
	exposure          exposure
}

// fileOf describes the file appconfig found for owner/repo: the
// repository's own, or the org default it fell back to.
func (l *Loader) fileOf(owner, repo, ref string, cfg appconfig.Config) policyFile {
	srcRepo, _, _ := strings.Cut(cfg.Source, "@")
	o, r, _ := strings.Cut(srcRepo, "/")
	f := policyFile{name: sourceOf(cfg), source: sourceOf(cfg), owner: o, repo: r, path: cfg.Path, viewer: owner, data: cfg.Content,
		sha: blobSHA(cfg.Content), found: true}
	f.orgDefault = l.isOrgDefault(owner, o, r, cfg.Path)
	f.exposure = l.exposureOf(owner, repo, o, r, cfg.Path)
	if f.exposure == exposeAll && strings.EqualFold(strings.TrimSuffix(cfg.Source, "@"+ref), owner+"/"+repo) {
		f.name = cfg.Path // the repo's own file: people know it by its path
	}
	return f
}

func (l *Loader) isOrgDefault(viewer, owner, repo, path string) bool {
	return strings.EqualFold(owner, viewer) && strings.EqualFold(repo, l.src.OrgRepo) && path == l.src.OrgPath
}

// exposure says how much of a policy file the checks of one repository may
// show. A PR author can read their own repository; the org default is
// read by every repository of the org, but may be private while the
// repository being judged is public (its checks are visible to anyone);
// any other repository may be one the author cannot see at all.
type exposure int

const (
	// exposeAll: the repository's own file; problems quote it in full.
	exposeAll exposure = iota
	// exposeKeys: the org default; problems give the line and the key
	// path as the policy schema names it (map keys such as logins and
	// unknown key names are content, so they are left out), never a value.
	exposeKeys
	// exposeLines: any other repository; one problem says how many there
	// are and on which lines.
	exposeLines
)

func (l *Loader) exposureOf(viewer, viewerRepo, owner, repo, path string) exposure {
	switch {
	case strings.EqualFold(owner, viewer) && strings.EqualFold(repo, viewerRepo):
		return exposeAll
	case l.isOrgDefault(viewer, owner, repo, path):
		return exposeKeys
	}
	return exposeLines
}

// followRemote resolves a `remote:` reference found in holder. It returns
// the file it names, or a problem (about holder) when the reference is
// malformed, refused or names a file that cannot be read. A refused
// target is never read, so the answer says nothing about whether it
// exists.
func (l *Loader) followRemote(ctx context.Context, client *github.Client, viewer, viewerRepo string, holder policyFile, rr *appconfig.RemoteRef, rerr error) (policyFile, *Problem, error) {
	line, col, _ := peekKey(holder.data, "remote")
	at := func(msg, hint string) *Problem {
		return &Problem{File: holder.name, Line: max(line, 1), Column: col, Key: "remote", Message: msg, Hint: hint}
	}
	if rerr != nil {
		return policyFile{}, at("empty remote reference", "name a repository as owner/repo"), nil
	}
	o, r, err := rr.SplitRemote()
	if err != nil || !ownerRe.MatchString(o) || !repoRe.MatchString(r) {
		return policyFile{}, at("bad remote reference", "name a repository as owner/repo"), nil
	}
	p := rr.Path
	if p == "" {
		p = l.src.Path
	}
	ok, err := l.mayRead(ctx, client, viewer, viewerRepo, holder, o, r, p)
	if err != nil {
		return policyFile{}, nil, err
	}
	if !ok {
		return policyFile{}, at("Overlap reads policy files only from this repository, the org default and the repositories the org allows",
			fmt.Sprintf("ask an org owner to add the repository to policy.extends_allowed in %s/%s:%s, or remove remote", viewer, l.src.OrgRepo, l.src.OrgPath)), nil
	}
	f, err := l.fetchFile(ctx, client, viewer, viewerRepo, o, r, p, rr.Ref)
	if err != nil {
		return policyFile{}, nil, err
	}
	if !f.found {
		return policyFile{}, at("the file it names does not exist or cannot be read", "check remote:, path: and ref:"), nil
	}
	return *f, nil, nil
}

// mayRead decides whether holder, a policy file applying to
// viewer/viewerRepo, may pull in owner/repo's path: always for the
// repository's own files and the org default, and for anything named by
// the org default; otherwise only for a repository on the org default's
// policy.extends_allowed (read from the org repository's default branch,
// so neither the repository's policy nor a PR can extend the list). The
// list costs a read only when it is needed.
func (l *Loader) mayRead(ctx context.Context, client *github.Client, viewer, viewerRepo string, holder policyFile, owner, repo, path string) (bool, error) {
	if l.exposureOf(viewer, viewerRepo, owner, repo, path) != exposeLines || holder.orgDefault {
		return true, nil
	}
	org, err := l.fetchFile(ctx, client, viewer, viewerRepo, viewer, l.src.OrgRepo, l.src.OrgPath, "")
	if err != nil {
		return false, fmt.Errorf("read the org's policy.extends_allowed: %w", err)
	}
	return org.found && allowList(org.data).Allows(owner, repo), nil
}

// allowList reads policy.extends_allowed from the org default without a
// full parse: a problem elsewhere in the org file must not silently widen
// or drop the list, and entries that do not parse match nothing.
func allowList(data []byte) Sources {
	if len(data) > maxFileSize {
		return Sources{}
	}
	var doc struct {
		Policy struct {
			ExtendsAllowed []string `yaml:"extends_allowed"`
		} `yaml:"policy"`
	}
	if yaml.Unmarshal(data, &doc) != nil {
		return Sources{}
	}
	return Sources{ExtendsAllowed: doc.Policy.ExtendsAllowed}
}

// extendsTarget is where an `extends` reference points.
func (l *Loader) extendsTarget(owner string, ext ExtendsRef) (o, r, p, ref string) {
	if ext.Org {
		return owner, l.src.OrgRepo, l.src.OrgPath, ""
	}
	return ext.Owner, ext.Repo, ext.Path, ext.Ref
}

// orgDefault reads the owner's org default (OrgPath in OrgRepo) on that
// repository's default branch: one contents request, with no ref (the
// contents API then reads the default branch, and names it in the
// response's url). A 404 — no such repository, no such file, or one the
// installation cannot see — means "no org policy"; a directory at the path
// is no policy either. The result is undefined then, like appconfig's.
func (l *Loader) orgDefault(ctx context.Context, client *github.Client, owner string) (appconfig.Config, error) {
	c := appconfig.Config{Source: owner + "/" + l.src.OrgRepo, Path: l.src.OrgPath}
	fc, _, resp, err := client.Repositories.GetContents(ctx, owner, l.src.OrgRepo, l.src.OrgPath, nil)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return appconfig.Config{}, nil
		}
		return c, fmt.Errorf("read org default: %w", err)
	}
	if fc == nil || fc.GetType() != "file" {
		return appconfig.Config{}, nil
	}
	content, err := fc.GetContent()
	if err != nil {
		return c, fmt.Errorf("read org default: %w", err)
	}
	if u, perr := url.Parse(fc.GetURL()); perr == nil {
		if branch := u.Query().Get("ref"); branch != "" {
			c.Source += "@" + branch
		}
	}
	c.Content = []byte(content)
	return c, nil
}

// fetchFile reads owner/repo's path, on its default branch unless ref is
// given. Only files mayRead allowed reach here.
func (l *Loader) fetchFile(ctx context.Context, client *github.Client, viewer, viewerRepo, o, r, p, ref string) (*policyFile, error) {
	ld := appconfig.NewLoader([]string{p}, appconfig.WithOwnerDefault("", nil), appconfig.WithRemoteRefParser(nil))
	cfg, err := ld.LoadConfig(ctx, client, o, r, ref)
	name := fmt.Sprintf("%s/%s", o, r)
	if ref != "" {
		name += "@" + ref
	}
	name += ":" + p
	f := &policyFile{name: name, source: name, owner: o, repo: r, path: p, viewer: viewer,
		orgDefault: l.isOrgDefault(viewer, o, r, p), exposure: l.exposureOf(viewer, viewerRepo, o, r, p)}
	if err != nil {
		return nil, err
	}
	if cfg.IsUndefined() {
		f.sha = "missing"
		return f, nil
	}
	f.name, f.source, f.data, f.sha, f.found = sourceOf(cfg), sourceOf(cfg), cfg.Content, blobSHA(cfg.Content), true
	return f, nil
}

// extendsPeek is the `extends` value of a file, read without a full parse.
type extendsPeek struct {
	value        string
	ref          *ExtendsRef // nil when absent or invalid (Parse reports invalid ones)
	line, column int
}

func peekExtends(data []byte) extendsPeek {
	if len(data) > maxFileSize {
		return extendsPeek{}
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return extendsPeek{}
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "extends" || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			continue
		}
		p := extendsPeek{value: v.Value, line: v.Line, column: v.Column}
		if r, err := ParseExtends(v.Value); err == nil {
			p.ref = &r
		}
		return p
	}
	return extendsPeek{}
}

// sourceOf renders appconfig's "owner/repo@ref" plus path as owner/repo@ref:path
// (owner/repo:path for the default branch).
func sourceOf(c appconfig.Config) string {
	s := strings.TrimSuffix(c.Source, "@")
	if c.Path != "" {
		s += ":" + c.Path
	}
	return s
}

// blobSHA is git's object id for the content, the same SHA the contents API
// reports, so the cache key is stable across fetch paths.
func blobSHA(b []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "blob %d\x00", len(b))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

func (l *Loader) get(key string) (cacheEntry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	el, ok := l.items[key]
	if !ok {
		return cacheEntry{}, false
	}
	l.order.MoveToFront(el)
	return *el.Value.(*cacheEntry), true
}

func (l *Loader) put(e *cacheEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if el, ok := l.items[e.key]; ok {
		el.Value = e
		l.order.MoveToFront(el)
		return
	}
	l.items[e.key] = l.order.PushFront(e)
	for l.order.Len() > l.size {
		last := l.order.Back()
		l.order.Remove(last)
		delete(l.items, last.Value.(*cacheEntry).key)
	}
}
