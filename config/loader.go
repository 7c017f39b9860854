package config

import (
	"container/list"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
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
		src:        src,
		repoLoader: appconfig.NewLoader([]string{src.Path}, appconfig.WithOwnerDefault(src.OrgRepo, []string{src.OrgPath})),
		size:       src.CacheSize,
		order:      list.New(),
		items:      map[string]*list.Element{},
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
func (l *Loader) Load(ctx context.Context, client *github.Client, owner, repo, ref string) (Loaded, error) {
	cfg, err := l.repoLoader.LoadConfig(ctx, client, owner, repo, ref)
	if err != nil {
		if isUserError(err) {
			return Loaded{Policy: Defaults(), Source: sourceOf(cfg), Problems: Problems{{
				File: sourceOf(cfg), Line: 1, Message: err.Error(), Hint: "check remote:, path: and ref:",
			}}, Files: []string{sourceOf(cfg)}}, nil
		}
		return Loaded{}, fmt.Errorf("load policy for %s/%s@%s from %s: %w", owner, repo, ref, sourceOf(cfg), err)
	}
	if cfg.IsUndefined() {
		return Loaded{Policy: Defaults(), Source: "defaults"}, nil
	}

	source := sourceOf(cfg)
	name := source
	if !cfg.IsRemote && strings.EqualFold(strings.TrimSuffix(cfg.Source, "@"+ref), owner+"/"+repo) {
		name = cfg.Path // the repo's own file: people know it by its path
	}
	isOrgFile := strings.HasPrefix(strings.ToLower(cfg.Source), strings.ToLower(owner+"/"+l.src.OrgRepo+"@")) && cfg.Path == l.src.OrgPath
	top := File{Name: name, Data: cfg.Content}
	topSHA := blobSHA(cfg.Content)
	key := strings.ToLower(owner + "/" + repo + "@" + ref)

	prev, hit := l.get(key)
	ext := peekExtends(cfg.Content)
	if hit && prev.topSHA == topSHA {
		ext = prev.extends
	}

	var base *fetchedFile
	if ext.ref != nil && !(ext.ref.Org && isOrgFile) {
		base, err = l.fetchBase(ctx, client, owner, *ext.ref)
		if err != nil {
			return Loaded{}, fmt.Errorf("load policy for %s/%s@%s: extends %s: %w", owner, repo, ref, ext.value, err)
		}
	}
	baseSHA := ""
	if base != nil {
		baseSHA = base.sha
	}
	if hit && prev.topSHA == topSHA && prev.baseSHA == baseSHA {
		return prev.loaded, nil
	}

	l.parses.Add(1)
	loaded := Loaded{Source: source}
	var (
		pol   Policy
		probs Problems
	)
	switch {
	case ext.ref != nil && ext.ref.Org && isOrgFile:
		pol, probs = Parse(top.Name, top.Data)
		probs = append(probs, Problem{File: top.Name, Line: ext.line, Column: ext.column, Key: "extends",
			Message: "the org default cannot extend itself", Hint: "remove extends"})
		loaded.Files = []string{source}
	case base == nil:
		pol, probs = Parse(top.Name, top.Data)
		loaded.Files = []string{source}
	case !base.found:
		pol, probs = Parse(top.Name, top.Data)
		probs = append(probs, Problem{File: top.Name, Line: ext.line, Column: ext.column, Key: "extends",
			Message: fmt.Sprintf("extends %s, but %s does not exist", ext.value, base.name),
			Hint:    "create that file or remove extends"})
		loaded.Files = []string{source}
	default:
		pol, probs = ParseLayered(File{Name: base.name, Data: base.data}, top)
		if be := peekExtends(base.data); be.value != "" {
			probs = append(probs, Problem{File: base.name, Line: be.line, Column: be.column, Key: "extends",
				Message: "a file used through extends cannot extend another file (one level only)",
				Hint:    "remove extends from " + base.name})
		}
		loaded.Files = []string{base.name, source}
	}
	loaded.Problems = probs.sorted()
	loaded.Policy = pol
	if len(loaded.Problems) > 0 {
		loaded.Policy = Defaults()
	}
	l.put(&cacheEntry{key: key, topSHA: topSHA, extends: ext, baseSHA: baseSHA, loaded: loaded})
	return loaded, nil
}

type fetchedFile struct {
	name  string // owner/repo@ref:path
	data  []byte
	sha   string
	found bool
}

// fetchBase reads the target of `extends`, on its repository's default branch
// unless the reference names a ref.
func (l *Loader) fetchBase(ctx context.Context, client *github.Client, owner string, ext ExtendsRef) (*fetchedFile, error) {
	o, r, p, ref := owner, l.src.OrgRepo, l.src.OrgPath, ""
	if !ext.Org {
		o, r, p, ref = ext.Owner, ext.Repo, ext.Path, ext.Ref
	}
	ld := appconfig.NewLoader([]string{p}, appconfig.WithOwnerDefault("", nil))
	cfg, err := ld.LoadConfig(ctx, client, o, r, ref)
	name := fmt.Sprintf("%s/%s", o, r)
	if ref != "" {
		name += "@" + ref
	}
	name += ":" + p
	if err != nil {
		if isUserError(err) {
			return &fetchedFile{name: name}, nil
		}
		return nil, err
	}
	if cfg.IsUndefined() {
		return &fetchedFile{name: name, sha: "missing"}, nil
	}
	return &fetchedFile{name: sourceOf(cfg), data: cfg.Content, sha: blobSHA(cfg.Content), found: true}, nil
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

// isUserError tells appconfig's complaints about a file's `remote:`
// reference (the user's to fix) from failures to talk to GitHub.
func isUserError(err error) bool {
	var rl *github.RateLimitError
	var ab *github.AbuseRateLimitError
	var er *github.ErrorResponse
	if errors.As(err, &rl) || errors.As(err, &ab) || errors.As(err, &er) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "invalid remote reference") || strings.Contains(msg, "invalid remote value")
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
