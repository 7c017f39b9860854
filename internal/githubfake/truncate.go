package githubfake

// Setup knob for very large repositories. GitHub cuts a recursive tree
// listing (GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1) past
// 100,000 entries or 7 MB and says so with "truncated": true; features
// that read the tree must not take the partial list for the whole
// repository. TruncateTrees makes the emulator do the same at a small
// size, so tests need not build 100,000 files.

// TruncateTrees makes tree listings of the repository that hold more than
// limit entries (files and directories, in listing order) return only the
// first limit, flagged "truncated": true. limit ≤ 0 lists trees in full
// again.
func (s *Server) TruncateTrees(owner, name string, limit int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("TruncateTrees", owner, name)
	if rp == nil {
		return
	}
	rp.treeLimit = max(limit, 0)
}

// cutTree applies the repository's tree limit to a listing.
func (rp *repo) cutTree(entries []any) ([]any, bool) {
	if rp.treeLimit <= 0 || len(entries) <= rp.treeLimit {
		return entries, false
	}
	return entries[:rp.treeLimit], true
}
