// Package webhook builds webhook deliveries the way GitHub sends them: each
// payload starts from one of GitHub's real payload examples (embedded in
// overlap.GitHubData) and only the values that identify things (ids, names,
// numbers, SHAs, logins, URLs) are rewritten to match the emulator's state,
// so handlers are tested against GitHub's JSON shape rather than a
// hand-written approximation. Sender delivers them signed.
package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	overlap "github.com/overlaphq/overlap"
)

// examplesDir is the folder of webhook examples inside overlap.GitHubData.
const examplesDir = "testdata/github/webhooks"

// Example returns a freshly decoded copy of GitHub's example payload for an
// event and action (action "" for events without one, such as push and ping).
// Numbers decode as json.Number so ids survive a round trip exactly.
func Example(event, action string) (map[string]any, error) {
	if !validName(event) || (action != "" && !validName(action)) {
		return nil, fmt.Errorf("webhook example %q/%q: invalid event or action name", event, action)
	}
	file := action
	if file == "" {
		file = "payload"
	}
	p := path.Join(examplesDir, event, file+".json")
	raw, err := overlap.GitHubData.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("webhook example %s/%s: %w (available: %s)", event, file, fs.ErrNotExist, strings.Join(available(event), ", "))
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("decode webhook example %s: %w", p, err)
	}
	return m, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// available lists the plain example names of an event, for error messages.
func available(event string) []string {
	entries, err := fs.ReadDir(overlap.GitHubData, path.Join(examplesDir, event))
	if err != nil {
		return []string{"no such event"}
	}
	var out []string
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".json")
		if !strings.Contains(name, ".") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// exampleOr returns the example for action, or, when GitHub's examples have
// none for it (pull_request edited, check_run completed, ...), the fallback
// action's example with "action" set: the object shapes are the same.
func exampleOr(event, action, fallback string) (map[string]any, error) {
	m, err := Example(event, action)
	if err == nil {
		return m, nil
	}
	if !validName(action) {
		return nil, err
	}
	m, ferr := Example(event, fallback)
	if ferr != nil {
		return nil, ferr
	}
	m["action"] = action
	return m, nil
}

// StableID derives a positive id (below 2^53, safe in JavaScript and
// float64) from names, so the same user, label or review gets the same id in
// every payload. The emulator can use it to agree with the payloads.
func StableID(parts ...string) int64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return int64(h.Sum64()%(1<<53-1)) + 1
}

// NodeID is the GraphQL node id used for an object of a kind (GitHub's
// prefixes: "U", "O", "R", "PR", "I", "IC", "PRR", "CR", "LA") and id.
func NodeID(prefix string, id int64) string {
	return prefix + "_kgDO" + strconv.FormatInt(id, 36)
}

// getMap returns m[key] as a map, creating it when missing or not a map.
func getMap(m map[string]any, key string) map[string]any {
	if v, ok := m[key].(map[string]any); ok {
		return v
	}
	v := map[string]any{}
	m[key] = v
	return v
}

// setExisting sets key only if the example's object already has it, so an
// object keeps exactly the shape GitHub gives it in that event.
func setExisting(m map[string]any, key string, v any) {
	if _, ok := m[key]; ok {
		m[key] = v
	}
}

// replaceStrings rewrites old to new in every string of a decoded JSON tree.
func replaceStrings(v any, old, new string) any {
	if old == "" || old == new {
		return v
	}
	switch t := v.(type) {
	case string:
		return strings.ReplaceAll(t, old, new)
	case map[string]any:
		for k, e := range t {
			t[k] = replaceStrings(e, old, new)
		}
	case []any:
		for i, e := range t {
			t[i] = replaceStrings(e, old, new)
		}
	}
	return v
}

// Set returns an option that sets a value at a dotted path ("review.id",
// "pull_request.head.ref"), creating objects on the way. Builders accept it
// for fields they have no parameter for.
func Set(dotted string, value any) func(map[string]any) {
	return func(m map[string]any) {
		keys := strings.Split(dotted, ".")
		for _, k := range keys[:len(keys)-1] {
			m = getMap(m, k)
		}
		m[keys[len(keys)-1]] = value
	}
}
