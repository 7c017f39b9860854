package githubfake

import (
	"strings"
	"testing"
)

// NewTest starts a Server for a test, closes it at Cleanup and fails the
// test if any strictness violation was recorded (a request real GitHub would
// have rejected, or a setup mistake). Tests that provoke violations on
// purpose acknowledge them with TakeViolations.
func NewTest(t testing.TB, opts Options) *Server {
	t.Helper()
	s := New(opts)
	s.Start()
	t.Cleanup(func() {
		s.Close()
		if v := s.Violations(); len(v) > 0 {
			t.Errorf("githubfake: %d request(s) real GitHub would reject:\n- %s", len(v), strings.Join(v, "\n- "))
		}
	})
	return s
}
