package githubfake

import (
	"fmt"
	"net/url"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	overlap "github.com/overlaphq/overlap"
)

// operation is one REST operation of GitHub's API, as go-github's
// openapi_operations.yaml lists it ("GET /repos/{owner}/{repo}").
type operation struct {
	name   string   // "GET /repos/{owner}/{repo}/contents/{path}"
	method string   // "GET"
	segs   []string // "repos", "{owner}", ...
}

// opIndex is the immutable, process-wide list of GitHub's REST operations.
type opIndex struct {
	byMethod map[string][]*operation
	byName   map[string]*operation
}

var (
	opsOnce sync.Once
	opsIdx  *opIndex
	opsErr  error
)

// greedyParams are path parameters GitHub lets span slashes when they end
// the template: file paths and git refs ("heads/feature/x").
var greedyParams = map[string]bool{"{path}": true, "{ref}": true}

// loadOperations parses the operation list embedded in the root package once
// per process. Only operations served by api.github.com (github.com and GHEC)
// count: a GHES-only route is as unknown to github.com as a typo.
func loadOperations() (*opIndex, error) {
	opsOnce.Do(func() {
		raw, err := overlap.GitHubData.ReadFile("testdata/github/rest/openapi_operations.yaml")
		if err != nil {
			opsErr = fmt.Errorf("read operation list: %w", err)
			return
		}
		var doc struct {
			Operations []struct {
				Name  string   `yaml:"name"`
				Files []string `yaml:"openapi_files"`
			} `yaml:"operations"`
			Overrides []struct {
				Name string `yaml:"name"`
			} `yaml:"operation_overrides"`
			OpenAPI []struct {
				Name  string   `yaml:"name"`
				Files []string `yaml:"openapi_files"`
			} `yaml:"openapi_operations"`
		}
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			opsErr = fmt.Errorf("parse operation list: %w", err)
			return
		}
		idx := &opIndex{byMethod: map[string][]*operation{}, byName: map[string]*operation{}}
		add := func(name string) {
			if _, dup := idx.byName[name]; dup {
				return
			}
			method, path, ok := strings.Cut(name, " ")
			if !ok || !strings.HasPrefix(path, "/") {
				return
			}
			op := &operation{name: name, method: method, segs: splitPath(path)}
			idx.byName[name] = op
			idx.byMethod[method] = append(idx.byMethod[method], op)
		}
		for _, o := range doc.Operations {
			add(o.Name)
		}
		for _, o := range doc.Overrides {
			add(o.Name)
		}
		for _, o := range doc.OpenAPI {
			for _, f := range o.Files {
				if strings.Contains(f, "api.github.com") || strings.Contains(f, "ghec") {
					add(o.Name)
					break
				}
			}
		}
		if len(idx.byName) == 0 {
			opsErr = fmt.Errorf("operation list has no operations")
			return
		}
		opsIdx = idx
	})
	return opsIdx, opsErr
}

// splitPath splits "/a/b/" into ["a", "b", ""]: a trailing slash leaves an
// empty last segment (go-github asks for "contents/" for the root directory).
func splitPath(p string) []string {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match finds the operation for a request path (escaped form, so "%2F"
// inside a segment stays one segment). Literal segments win over parameters
// at the first position where candidates differ, and a template of the exact
// length wins over one whose last parameter swallows several segments.
func (idx *opIndex) match(method, escapedPath string) (*operation, map[string]string, bool) {
	raw := splitPath(escapedPath)
	segs := make([]string, len(raw))
	for i, s := range raw {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, nil, false
		}
		segs[i] = u
	}
	var best *operation
	bestScore := ""
	for _, op := range idx.byMethod[method] {
		score, ok := matchScore(op.segs, segs)
		if !ok {
			continue
		}
		if best == nil || score > bestScore {
			best, bestScore = op, score
		}
	}
	if best == nil {
		return nil, nil, false
	}
	params := map[string]string{}
	for i, t := range best.segs {
		if !isParam(t) {
			continue
		}
		name := t[1 : len(t)-1]
		if i == len(best.segs)-1 && len(segs) > len(best.segs) {
			params[name] = strings.Join(segs[i:], "/")
		} else if i < len(segs) {
			params[name] = segs[i]
		}
	}
	return best, params, true
}

func isParam(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}

// matchScore reports whether tmpl matches segs, with a score that orders
// candidates: exact length first ("1" prefix), then a literal-vs-parameter
// string compared left to right.
func matchScore(tmpl, segs []string) (string, bool) {
	exact := len(tmpl) == len(segs)
	if !exact {
		if len(tmpl) == 0 || len(segs) < len(tmpl) || !greedyParams[tmpl[len(tmpl)-1]] {
			return "", false
		}
	}
	var b strings.Builder
	if exact {
		b.WriteByte('1')
	} else {
		b.WriteByte('0')
	}
	for i, t := range tmpl {
		s := segs[i]
		if isParam(t) {
			if s == "" && !(i == len(tmpl)-1 && greedyParams[t]) {
				return "", false
			}
			b.WriteByte('0')
			continue
		}
		if t != s {
			return "", false
		}
		b.WriteByte('1')
	}
	return b.String(), true
}
