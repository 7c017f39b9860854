package adr

import (
	"errors"
	"strconv"
	"strings"

	"github.com/overlaphq/overlap/internal/gh"
)

// State is what the feature remembers between events. It lives in the last
// line of the app's sticky comment, sealed (gh.SealState), so GitHub stays
// the only database and nobody but the app can write it: a PR author whose
// title is echoed in the comment, or someone editing the comment by hand,
// cannot produce a state line that verifies.
type State struct {
	Skip *Skip `json:"skip,omitempty"`
}

// stateFeature names the feature's state line: "<!-- overlap-state:adr …".
const stateFeature = "adr"

// stateScope binds a state line to its PR, so a line copied from another
// PR's comment does not verify.
func stateScope(pr PR) string {
	return strings.ToLower(pr.Owner+"/"+pr.Repo) + "#" + strconv.Itoa(pr.Number)
}

// ReadState reads the state from the body of the app's own sticky comment
// (the caller found it by marker and author): only the last line is
// looked at, and only a line sealed with key for pr counts. A body without
// state gives the zero State and no error; a state line that does not
// verify (hand-edited, forged, from before sealing, or sealed with a
// rotated secret) gives the zero State and an error worth a log line.
// Either way the feature then re-derives the skip from the PR's `/adr
// skip` commands (derivedSkip), so nothing a writer asked for is lost.
func ReadState(body string, key gh.StateKey, pr PR) (State, error) {
	var s State
	err := gh.OpenState(key, stateFeature, stateScope(pr), gh.LastLine(body), &s)
	if errors.Is(err, gh.ErrNoState) {
		return State{}, nil
	}
	if err != nil {
		return State{}, err
	}
	if s.Skip != nil && strings.TrimSpace(s.Skip.Reason) == "" {
		s.Skip = nil
	}
	return s, nil
}

// StateFromComment is ReadState without the error: the zero State when
// there is none that verifies.
func StateFromComment(body string, key gh.StateKey, pr PR) State {
	s, _ := ReadState(body, key, pr)
	return s
}

// render returns the sealed state line, or "" for the zero state (and
// without a key: then the skip is re-derived from its command).
func (s State) render(key gh.StateKey, pr PR) string {
	if s.Skip == nil {
		return ""
	}
	line, err := gh.SealState(key, stateFeature, stateScope(pr), s)
	if err != nil {
		return ""
	}
	return line
}

// withState appends the state line as the body's last line, the only
// place ReadState looks.
func withState(body string, st State, key gh.StateKey, pr PR) string {
	if line := st.render(key, pr); line != "" {
		return strings.TrimRight(body, "\n") + "\n\n" + line + "\n"
	}
	return body
}
