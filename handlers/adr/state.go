package adr

import (
	"encoding/json"
	"regexp"
	"strings"
)

// State is what the feature remembers between events. It lives in a hidden
// line of the sticky comment, so GitHub stays the only database.
type State struct {
	Skip *Skip `json:"skip,omitempty"`
}

const stateOpen = "<!-- overlap-state:adr "

var stateLine = regexp.MustCompile(`<!-- overlap-state:adr (\{.*?\}) -->`)

// StateFromComment reads the state from the sticky comment's body. A body
// without state, or with state that does not parse (someone edited it),
// gives the zero State: the feature then simply asks again.
func StateFromComment(body string) State {
	m := stateLine.FindStringSubmatch(body)
	if m == nil {
		return State{}
	}
	var s State
	if err := json.Unmarshal([]byte(m[1]), &s); err != nil {
		return State{}
	}
	if s.Skip != nil && strings.TrimSpace(s.Skip.Reason) == "" {
		s.Skip = nil
	}
	return s
}

// render returns the hidden line, or "" for the zero state. encoding/json
// escapes <, > and &, so a reason cannot close the HTML comment early.
func (s State) render() string {
	if s.Skip == nil {
		return ""
	}
	b, err := json.Marshal(s)
	if err != nil { // cannot happen for these plain strings; drop the state rather than the comment
		return ""
	}
	return stateOpen + string(b) + " -->"
}
