package githubfake

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"maps"
	"net/http"
	"path"
	"slices"
	"sort"
	"strings"
	"time"
)

// commit is a whole-tree snapshot, like a git commit.
type commit struct {
	sha     string
	tree    string
	parents []string
	message string
	author  *user
	date    time.Time
	files   map[string]string // path → content
}

type treeEntry struct {
	name string
	typ  string // "blob" or "tree"
	mode string
	sha  string
	size int
}

// CommitSpec describes a commit made by Commit.
type CommitSpec struct {
	Message string
	Author  string    // login; default "octocat"
	Date    time.Time // default Options.Now()
	// Files maps paths to new contents; an empty value deletes the path.
	Files  map[string]string
	Delete []string
}

// gitHash hashes an object the way git does ("<kind> <len>\x00<data>").
func gitHash(kind, data string) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(data))
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil))
}

// writeTree stores the tree objects of a snapshot and returns the root
// tree's SHA.
func (rp *repo) writeTree(files map[string]string) string {
	children := map[string]map[string]bool{}
	for p := range files {
		parts := strings.Split(p, "/")
		for i := range parts {
			dir := strings.Join(parts[:i], "/")
			if children[dir] == nil {
				children[dir] = map[string]bool{}
			}
			children[dir][parts[i]] = true
		}
	}
	var hashDir func(dir string) string
	hashDir = func(dir string) string {
		names := make([]string, 0, len(children[dir]))
		for n := range children[dir] {
			names = append(names, n)
		}
		sort.Strings(names)
		var entries []treeEntry
		var ser strings.Builder
		for _, n := range names {
			full := n
			if dir != "" {
				full = dir + "/" + n
			}
			var e treeEntry
			if content, ok := files[full]; ok {
				sha := gitHash("blob", content)
				rp.blobs[sha] = content
				e = treeEntry{name: n, typ: "blob", mode: "100644", sha: sha, size: len(content)}
			} else {
				e = treeEntry{name: n, typ: "tree", mode: "040000", sha: hashDir(full)}
			}
			entries = append(entries, e)
			fmt.Fprintf(&ser, "%s %s\x00%s", e.mode, e.name, e.sha)
		}
		sha := gitHash("tree", ser.String())
		rp.trees[sha] = entries
		return sha
	}
	return hashDir("")
}

// Commit records a commit on branch (created from the default branch's tip
// when new) and returns its SHA. Files not named keep their contents.
func (s *Server) Commit(owner, name, branch string, c CommitSpec) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("Commit", owner, name)
	if rp == nil {
		return ""
	}
	if branch == "" {
		branch = rp.defaultBranch
	}
	parent := rp.branches[branch]
	if parent == "" {
		parent = rp.branches[rp.defaultBranch]
	}
	files := map[string]string{}
	if p := rp.commits[parent]; p != nil {
		for k, v := range p.files {
			files[k] = v
		}
	}
	for p, content := range c.Files {
		p = strings.Trim(p, "/")
		if content == "" {
			delete(files, p)
		} else {
			files[p] = content
		}
	}
	for _, p := range c.Delete {
		delete(files, strings.Trim(p, "/"))
	}
	var parents []string
	if parent != "" {
		parents = []string{parent}
	}
	return s.commitLocked(rp, branch, parents, files, c.Message, c.Author, c.Date).sha
}

func (s *Server) commitLocked(rp *repo, branch string, parents []string, files map[string]string, msg, author string, date time.Time) *commit {
	if msg == "" {
		msg = "Update files"
	}
	if author == "" {
		author = "octocat"
	}
	if date.IsZero() {
		date = s.opts.Now()
	}
	u := s.userLocked(author, "")
	tree := rp.writeTree(files)
	var ser strings.Builder
	fmt.Fprintf(&ser, "tree %s\n", tree)
	for _, p := range parents {
		fmt.Fprintf(&ser, "parent %s\n", p)
	}
	fmt.Fprintf(&ser, "author %s <%s> %d +0000\ncommitter %s <%s> %d +0000\n\n%s\n",
		u.login, email(u), date.Unix(), u.login, email(u), date.Unix(), msg)
	c := &commit{sha: gitHash("commit", ser.String()), tree: tree, parents: parents, message: msg, author: u, date: date, files: files}
	rp.commits[c.sha] = c
	rp.branches[branch] = c.sha
	rp.pushed = s.opts.Now()
	return c
}

func email(u *user) string { return fmt.Sprintf("%d+%s@users.noreply.github.com", u.id, u.login) }

// Branch returns the SHA at a branch's tip ("" when it does not exist).
func (s *Server) Branch(owner, name, branch string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rp := s.repos[repoKey(owner, name)]; rp != nil {
		return rp.branches[branch]
	}
	return ""
}

// resolve turns a ref (branch, "refs/heads/x", "heads/x", full or ≥7-char
// abbreviated SHA; "" = default branch) into a commit.
func (rp *repo) resolve(ref string) *commit {
	if ref == "" {
		ref = rp.defaultBranch
	}
	ref = strings.TrimPrefix(strings.TrimPrefix(ref, "refs/"), "heads/")
	if sha, ok := rp.branches[ref]; ok {
		return rp.commits[sha]
	}
	if c := rp.commits[strings.ToLower(ref)]; c != nil {
		return c
	}
	if len(ref) >= 7 && isHex(ref) {
		var found *commit
		for sha, c := range rp.commits {
			if strings.HasPrefix(sha, strings.ToLower(ref)) {
				if found != nil {
					return nil // ambiguous
				}
				found = c
			}
		}
		return found
	}
	return nil
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s + strings.Repeat("0", len(s)%2))
	return err == nil
}

// ancestors lists c and every commit reachable from it.
func (rp *repo) ancestors(sha string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{sha}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		if c := rp.commits[x]; c != nil {
			stack = append(stack, c.parents...)
		}
	}
	return seen
}

// mergeBase is the newest common ancestor of a and b (b when none).
func (rp *repo) mergeBase(a, b string) string {
	inB := rp.ancestors(b)
	queue := []string{a}
	seen := map[string]bool{}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		if seen[x] {
			continue
		}
		seen[x] = true
		if inB[x] {
			return x
		}
		if c := rp.commits[x]; c != nil {
			queue = append(queue, c.parents...)
		}
	}
	return b
}

// fileChange is one entry of a diff between two snapshots.
type fileChange struct {
	path, status string // added, modified, removed
	old, new     string
}

func diffFiles(from, to map[string]string) []fileChange {
	var out []fileChange
	for p, nv := range to {
		ov, ok := from[p]
		switch {
		case !ok:
			out = append(out, fileChange{path: p, status: "added", new: nv})
		case ov != nv:
			out = append(out, fileChange{path: p, status: "modified", old: ov, new: nv})
		}
	}
	for p, ov := range from {
		if _, ok := to[p]; !ok {
			out = append(out, fileChange{path: p, status: "removed", old: ov})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// patch renders a whole-file unified-diff hunk (GitHub's patches are finer,
// but a whole-file hunk parses the same way).
func (fc fileChange) patch() (string, int, int) {
	ol, nl := lines(fc.old), lines(fc.new)
	if fc.status == "modified" {
		// Trim the common prefix and suffix so additions/deletions are honest.
		pre := 0
		for pre < len(ol) && pre < len(nl) && ol[pre] == nl[pre] {
			pre++
		}
		suf := 0
		for suf < len(ol)-pre && suf < len(nl)-pre && ol[len(ol)-1-suf] == nl[len(nl)-1-suf] {
			suf++
		}
		var b strings.Builder
		fmt.Fprintf(&b, "@@ -%d,%d +%d,%d @@", pre+1, len(ol)-pre-suf, pre+1, len(nl)-pre-suf)
		for _, l := range ol[pre : len(ol)-suf] {
			b.WriteString("\n-" + l)
		}
		for _, l := range nl[pre : len(nl)-suf] {
			b.WriteString("\n+" + l)
		}
		return b.String(), len(nl) - pre - suf, len(ol) - pre - suf
	}
	var b strings.Builder
	if fc.status == "added" {
		fmt.Fprintf(&b, "@@ -0,0 +1,%d @@", len(nl))
		for _, l := range nl {
			b.WriteString("\n+" + l)
		}
		return b.String(), len(nl), 0
	}
	fmt.Fprintf(&b, "@@ -1,%d +0,0 @@", len(ol))
	for _, l := range ol {
		b.WriteString("\n-" + l)
	}
	return b.String(), 0, len(ol)
}

func (s *Server) fileChangeJSON(rp *repo, ref string, fc fileChange) map[string]any {
	p, add, del := fc.patch()
	sha := gitHash("blob", fc.new)
	if fc.status == "removed" {
		sha = gitHash("blob", fc.old)
	}
	return map[string]any{
		"sha": sha, "filename": fc.path, "status": fc.status,
		"additions": add, "deletions": del, "changes": add + del, "patch": p,
		"blob_url":     "https://github.com/" + rp.fullName() + "/blob/" + ref + "/" + fc.path,
		"raw_url":      s.URL() + "/_raw/" + rp.fullName() + "/" + ref + "/" + fc.path,
		"contents_url": s.URL() + "/repos/" + rp.fullName() + "/contents/" + fc.path + "?ref=" + ref,
	}
}

func (s *Server) commitJSON(rp *repo, c *commit, withFiles bool) map[string]any {
	person := map[string]any{"name": c.author.login, "email": email(c.author), "date": ts(c.date)}
	parents := []any{}
	for _, p := range c.parents {
		parents = append(parents, map[string]any{"sha": p, "url": s.URL() + "/repos/" + rp.fullName() + "/commits/" + p})
	}
	out := map[string]any{
		"sha": c.sha, "node_id": nodeID("C", int64(len(c.sha))) + c.sha[:8],
		"url":      s.URL() + "/repos/" + rp.fullName() + "/commits/" + c.sha,
		"html_url": "https://github.com/" + rp.fullName() + "/commit/" + c.sha,
		"commit": map[string]any{
			"author": person, "committer": person, "message": c.message, "comment_count": 0,
			"tree": map[string]any{"sha": c.tree, "url": s.URL() + "/repos/" + rp.fullName() + "/git/trees/" + c.tree},
			"url":  s.URL() + "/repos/" + rp.fullName() + "/git/commits/" + c.sha,
		},
		"author": s.userJSON(c.author), "committer": s.userJSON(c.author), "parents": parents,
	}
	if withFiles {
		var from map[string]string
		if len(c.parents) > 0 {
			if p := rp.commits[c.parents[0]]; p != nil {
				from = p.files
			}
		}
		files := []any{}
		adds, dels := 0, 0
		for _, fc := range diffFiles(from, c.files) {
			j := s.fileChangeJSON(rp, c.sha, fc)
			adds += j["additions"].(int)
			dels += j["deletions"].(int)
			files = append(files, j)
		}
		out["files"] = files
		out["stats"] = map[string]any{"additions": adds, "deletions": dels, "total": adds + dels}
	}
	return out
}

func hGetRepo(s *Server, c *call) response { return jsonResp(http.StatusOK, s.repoJSON(c.repo)) }

func contentEntry(s *Server, rp *repo, ref, p, typ, sha string, size int) map[string]any {
	api := s.URL() + "/repos/" + rp.fullName() + "/contents/" + p + "?ref=" + ref
	html := "https://github.com/" + rp.fullName() + "/blob/" + ref + "/" + p
	gitURL := s.URL() + "/repos/" + rp.fullName() + "/git/blobs/" + sha
	var download any = s.URL() + "/_raw/" + rp.fullName() + "/" + ref + "/" + p
	if typ == "dir" {
		html = "https://github.com/" + rp.fullName() + "/tree/" + ref + "/" + p
		gitURL = s.URL() + "/repos/" + rp.fullName() + "/git/trees/" + sha
		download = nil
	}
	return map[string]any{
		"type": typ, "name": path.Base(p), "path": p, "sha": sha, "size": size,
		"url": api, "html_url": html, "git_url": gitURL, "download_url": download,
		"_links": map[string]any{"self": api, "git": gitURL, "html": html},
	}
}

func hGetContents(s *Server, c *call) response {
	rp := c.repo
	cm := rp.resolve(c.query("ref"))
	if cm == nil {
		if len(rp.commits) == 0 {
			return errResp(http.StatusNotFound, "This repository is empty.")
		}
		return errResp(http.StatusNotFound, "No commit found for the ref "+c.query("ref"))
	}
	ref := c.query("ref")
	if ref == "" {
		ref = rp.defaultBranch
	}
	p := strings.Trim(c.params["path"], "/")
	if content, ok := cm.files[p]; ok {
		out := contentEntry(s, rp, ref, p, "file", gitHash("blob", content), len(content))
		out["encoding"] = "base64"
		out["content"] = wrap60(base64.StdEncoding.EncodeToString([]byte(content)))
		return jsonResp(http.StatusOK, out)
	}
	// A directory: list its immediate children.
	prefix := p + "/"
	if p == "" {
		prefix = ""
	}
	children := map[string]bool{}
	for f := range cm.files {
		if rest, ok := strings.CutPrefix(f, prefix); ok {
			first, _, _ := strings.Cut(rest, "/")
			children[first] = true
		}
	}
	if len(children) == 0 {
		return notFound()
	}
	tree := rp.subtree(cm.tree, p)
	list := []any{}
	for _, e := range tree {
		full := e.name
		if p != "" {
			full = p + "/" + e.name
		}
		typ := "file"
		if e.typ == "tree" {
			typ = "dir"
		}
		list = append(list, contentEntry(s, rp, ref, full, typ, e.sha, e.size))
	}
	return jsonResp(http.StatusOK, list)
}

// subtree walks from a root tree down a directory path.
func (rp *repo) subtree(root, dir string) []treeEntry {
	entries := rp.trees[root]
	if dir == "" {
		return entries
	}
	for _, part := range strings.Split(dir, "/") {
		var next []treeEntry
		found := false
		for _, e := range entries {
			if e.name == part && e.typ == "tree" {
				next, found = rp.trees[e.sha], true
				break
			}
		}
		if !found {
			return nil
		}
		entries = next
	}
	return entries
}

// wrap60 breaks base64 into 60-character lines with a trailing newline, as
// GitHub's contents API does.
func wrap60(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60] + "\n")
		s = s[60:]
	}
	b.WriteString(s + "\n")
	return b.String()
}

func hGetTree(s *Server, c *call) response {
	rp := c.repo
	ref := c.params["tree_sha"]
	root := ""
	if _, ok := rp.trees[ref]; ok {
		root = ref
	} else if cm := rp.resolve(ref); cm != nil {
		root = cm.tree
	} else {
		return notFound()
	}
	recursive := c.query("recursive") != "" && c.query("recursive") != "0" && c.query("recursive") != "false"
	var out []any
	var walk func(sha, prefix string)
	walk = func(sha, prefix string) {
		for _, e := range rp.trees[sha] {
			p := prefix + e.name
			entry := map[string]any{"path": p, "mode": e.mode, "type": e.typ, "sha": e.sha}
			if e.typ == "blob" {
				entry["size"] = e.size
				entry["url"] = s.URL() + "/repos/" + rp.fullName() + "/git/blobs/" + e.sha
			} else {
				entry["url"] = s.URL() + "/repos/" + rp.fullName() + "/git/trees/" + e.sha
			}
			out = append(out, entry)
			if recursive && e.typ == "tree" {
				walk(e.sha, p+"/")
			}
		}
	}
	walk(root, "")
	if out == nil {
		out = []any{}
	}
	out, truncated := rp.cutTree(out)
	return jsonResp(http.StatusOK, map[string]any{
		"sha": root, "url": s.URL() + "/repos/" + rp.fullName() + "/git/trees/" + root, "tree": out, "truncated": truncated,
	})
}

// touches reports whether c changed path (a file, or anything under a dir).
func (rp *repo) touches(c *commit, p string) bool {
	var parent map[string]string
	if len(c.parents) > 0 {
		if pc := rp.commits[c.parents[0]]; pc != nil {
			parent = pc.files
		}
	}
	for _, fc := range diffFiles(parent, c.files) {
		if fc.path == p || strings.HasPrefix(fc.path, strings.TrimSuffix(p, "/")+"/") {
			return true
		}
	}
	return false
}

// history is every commit reachable from tip, newest first.
func (rp *repo) history(tip string) []*commit {
	var list []*commit
	for sha := range rp.ancestors(tip) {
		if c := rp.commits[sha]; c != nil {
			list = append(list, c)
		}
	}
	// Newest first; among equal dates, descendants before ancestors.
	depth := map[string]int{}
	var d func(string) int
	d = func(sha string) int {
		if v, ok := depth[sha]; ok {
			return v
		}
		depth[sha] = 0
		best := 0
		if c := rp.commits[sha]; c != nil {
			for _, p := range c.parents {
				best = max(best, d(p)+1)
			}
		}
		depth[sha] = best
		return best
	}
	sort.SliceStable(list, func(i, j int) bool {
		if !list[i].date.Equal(list[j].date) {
			return list[i].date.After(list[j].date)
		}
		return d(list[i].sha) > d(list[j].sha)
	})
	return list
}

func hListCommits(s *Server, c *call) response {
	rp := c.repo
	tip := rp.resolve(c.query("sha"))
	if tip == nil {
		if len(rp.commits) == 0 {
			return errResp(http.StatusConflict, "Git Repository is empty.")
		}
		return notFound()
	}
	p := strings.Trim(c.query("path"), "/")
	var since, until time.Time
	var err error
	if v := c.query("since"); v != "" {
		if since, err = time.Parse(time.RFC3339, v); err != nil {
			return invalid("Commit", "since", "invalid", "since must be ISO 8601")
		}
	}
	if v := c.query("until"); v != "" {
		if until, err = time.Parse(time.RFC3339, v); err != nil {
			return invalid("Commit", "until", "invalid", "until must be ISO 8601")
		}
	}
	author := c.query("author")
	var list []any
	for _, cm := range rp.history(tip.sha) {
		if p != "" && !rp.touches(cm, p) {
			continue
		}
		if (!since.IsZero() && cm.date.Before(since)) || (!until.IsZero() && cm.date.After(until)) {
			continue
		}
		if author != "" && !strings.EqualFold(author, cm.author.login) {
			continue
		}
		list = append(list, s.commitJSON(rp, cm, false))
	}
	page, h := paginate(c, list)
	return response{status: http.StatusOK, body: page, header: h}
}

func hGetCommit(s *Server, c *call) response {
	cm := c.repo.resolve(c.params["ref"])
	if cm == nil {
		return invalid("Commit", "sha", "invalid", "No commit found for SHA: "+c.params["ref"])
	}
	return jsonResp(http.StatusOK, s.commitJSON(c.repo, cm, true))
}

func (s *Server) branchJSON(rp *repo, name string) map[string]any {
	cm := rp.commits[rp.branches[name]]
	return map[string]any{
		"name": name, "commit": s.commitJSON(rp, cm, false), "protected": false,
		"_links": map[string]any{
			"self": s.URL() + "/repos/" + rp.fullName() + "/branches/" + name,
			"html": "https://github.com/" + rp.fullName() + "/tree/" + name,
		},
	}
}

func hGetBranch(s *Server, c *call) response {
	name := c.params["branch"]
	if _, ok := c.repo.branches[name]; !ok {
		return errResp(http.StatusNotFound, "Branch not found")
	}
	return jsonResp(http.StatusOK, s.branchJSON(c.repo, name))
}

func hListBranches(s *Server, c *call) response {
	var list []any
	for _, name := range slices.Sorted(maps.Keys(c.repo.branches)) {
		b := s.branchJSON(c.repo, name)
		cm := b["commit"].(map[string]any)
		b["commit"] = map[string]any{"sha": cm["sha"], "url": cm["url"]}
		list = append(list, b)
	}
	page, h := paginate(c, list)
	return response{status: http.StatusOK, body: page, header: h}
}

func hGetRef(s *Server, c *call) response {
	ref := strings.TrimPrefix(c.params["ref"], "refs/")
	name, ok := strings.CutPrefix(ref, "heads/")
	if !ok {
		return notFound()
	}
	sha, ok := c.repo.branches[name]
	if !ok {
		return notFound()
	}
	return jsonResp(http.StatusOK, map[string]any{
		"ref": "refs/" + ref, "node_id": nodeID("REF", c.repo.id) + name,
		"url": s.URL() + "/repos/" + c.repo.fullName() + "/git/refs/" + ref,
		"object": map[string]any{"type": "commit", "sha": sha,
			"url": s.URL() + "/repos/" + c.repo.fullName() + "/git/commits/" + sha},
	})
}

// serveRaw emulates raw.githubusercontent.com for contents' download_url:
// /_raw/{owner}/{repo}/{ref}/{path}.
func (s *Server) serveRaw(w http.ResponseWriter, r *http.Request) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/_raw/"), "/", 4)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(parts) == 4 {
		if rp := s.repos[repoKey(parts[0], parts[1])]; rp != nil {
			if cm := rp.resolve(parts[2]); cm != nil {
				if content, ok := cm.files[parts[3]]; ok {
					w.Header().Set("Content-Type", "text/plain; charset=utf-8")
					_, _ = w.Write([]byte(content))
					return
				}
			}
		}
	}
	http.Error(w, "404: Not Found", http.StatusNotFound)
}
