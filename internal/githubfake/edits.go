package githubfake

// Setup calls for people editing what they wrote: the body of an issue or
// pull request, and an issue comment. Features that read text (timezones)
// are tested on edits as well as on new text.

// EditBody changes the body of issue or pull request number, as its author
// would in the UI.
func (s *Server) EditBody(owner, name string, number int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("EditBody", owner, name)
	if rp == nil {
		return
	}
	is := rp.issues[number]
	if is == nil {
		s.violate("setup: EditBody: %s#%d does not exist", rp.fullName(), number)
		return
	}
	is.body = body
	is.updated = s.opts.Now()
}

// EditComment changes the body of issue comment id, as its author would.
func (s *Server) EditComment(owner, name string, id int64, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("EditComment", owner, name)
	if rp == nil {
		return
	}
	cm := rp.comments[id]
	if cm == nil {
		s.violate("setup: EditComment: %s has no comment %d", rp.fullName(), id)
		return
	}
	cm.body = body
	cm.updated = s.opts.Now()
}

// RemoveComment deletes issue comment id, as its author would.
func (s *Server) RemoveComment(owner, name string, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("RemoveComment", owner, name)
	if rp == nil {
		return
	}
	if rp.comments[id] == nil {
		s.violate("setup: RemoveComment: %s has no comment %d", rp.fullName(), id)
		return
	}
	delete(rp.comments, id)
}
