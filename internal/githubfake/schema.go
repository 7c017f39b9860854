package githubfake

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	overlap "github.com/overlaphq/overlap"
)

// bodySchemas validates request bodies against the request-body schemas of
// GitHub's OpenAPI description. The description is 13 MB, so it is decoded
// once per process, on the first write request, and each operation's schema
// is compiled on first use.
type bodySchemas struct {
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	ops      map[string]any // operation name → transformed schema (nil: no JSON body)
	compiled map[string]*jsonschema.Schema
	LoadTime time.Duration
}

var (
	schemasOnce sync.Once
	schemasIdx  *bodySchemas
	schemasErr  error
)

const schemaDocURL = "https://api.github.com/openapi.json"

// loadBodySchemas decodes the OpenAPI description once per process.
func loadBodySchemas() (*bodySchemas, error) {
	schemasOnce.Do(func() {
		start := time.Now()
		bs, err := decodeBodySchemas()
		if err != nil {
			schemasErr = err
			return
		}
		bs.LoadTime = time.Since(start)
		schemasIdx = bs
	})
	return schemasIdx, schemasErr
}

func decodeBodySchemas() (*bodySchemas, error) {
	f, err := overlap.GitHubData.Open("testdata/github/rest/api.github.com.json.gz")
	if err != nil {
		return nil, fmt.Errorf("open OpenAPI description: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("gunzip OpenAPI description: %w", err)
	}
	// Only paths and component schemas matter; the webhook schemas and
	// examples are skipped as raw bytes.
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct {
				Content map[string]struct {
					Schema json.RawMessage `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode OpenAPI description: %w", err)
	}
	bs := &bodySchemas{ops: map[string]any{}, compiled: map[string]*jsonschema.Schema{}}
	schemas := map[string]any{}
	for name, raw := range doc.Components.Schemas {
		if strings.HasPrefix(name, "webhook") {
			continue // webhook payloads are never request bodies
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("decode schema %s: %w", name, err)
		}
		schemas[name] = fromOpenAPI(v)
	}
	opsDoc := map[string]any{}
	for path, methods := range doc.Paths {
		for method, op := range methods {
			if op.RequestBody == nil {
				continue
			}
			media, ok := op.RequestBody.Content["application/json"]
			if !ok || len(media.Schema) == 0 {
				continue
			}
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(media.Schema))
			if err != nil {
				return nil, fmt.Errorf("decode body schema of %s %s: %w", method, path, err)
			}
			name := strings.ToUpper(method) + " " + path
			opsDoc[name] = fromOpenAPI(v)
			bs.ops[name] = true
		}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	root := map[string]any{"components": map[string]any{"schemas": schemas}, "ops": opsDoc}
	if err := c.AddResource(schemaDocURL, root); err != nil {
		return nil, fmt.Errorf("index OpenAPI schemas: %w", err)
	}
	bs.compiler = c
	return bs, nil
}

// validate checks body (raw JSON) against the request-body schema of op. It
// returns (false, nil) when GitHub documents no JSON body for op.
func (bs *bodySchemas) validate(op string, body []byte) (bool, error) {
	bs.mu.Lock()
	if _, ok := bs.ops[op]; !ok {
		bs.mu.Unlock()
		return false, nil
	}
	sch, ok := bs.compiled[op]
	if !ok {
		var err error
		sch, err = bs.compiler.Compile(schemaDocURL + "#/ops/" + jsonPointerEscape(op))
		if err != nil {
			bs.mu.Unlock()
			return true, fmt.Errorf("compile GitHub's schema for %s: %w", op, err)
		}
		bs.compiled[op] = sch
	}
	bs.mu.Unlock()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return true, fmt.Errorf("body is not JSON: %w", err)
	}
	if err := sch.Validate(v); err != nil {
		return true, err
	}
	return true, nil
}

func jsonPointerEscape(s string) string {
	s = strings.ReplaceAll(s, "~", "~0")
	s = strings.ReplaceAll(s, "/", "~1")
	// The pointer sits in a URL fragment: escape what a URL would mangle.
	r := strings.NewReplacer("%", "%25", " ", "%20", "{", "%7B", "}", "%7D")
	return r.Replace(s)
}

// fromOpenAPI turns an OpenAPI 3.0 schema into JSON Schema 2020-12:
// `nullable: true` becomes a "null" type (or an anyOf with null), and regex
// patterns Go cannot compile are dropped rather than failing the whole schema.
func fromOpenAPI(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = fromOpenAPI(x[i])
		}
		return x
	case map[string]any:
		for k, val := range x {
			if k == "example" || k == "examples" || k == "enum" || k == "default" || k == "const" {
				continue
			}
			if k == "properties" || k == "patternProperties" || k == "$defs" || k == "definitions" {
				if m, ok := val.(map[string]any); ok {
					for pk, pv := range m {
						m[pk] = fromOpenAPI(pv)
					}
				}
				continue
			}
			x[k] = fromOpenAPI(val)
		}
		if p, ok := x["pattern"].(string); ok {
			if _, err := regexp.Compile(p); err != nil {
				delete(x, "pattern")
			}
		}
		if n, _ := x["nullable"].(bool); n {
			delete(x, "nullable")
			switch t := x["type"].(type) {
			case string:
				x["type"] = []any{t, "null"}
				if e, ok := x["enum"].([]any); ok {
					x["enum"] = append(e, nil)
				}
			default:
				return map[string]any{"anyOf": []any{map[string]any{"type": "null"}, x}}
			}
		}
		return x
	}
	return v
}

// lenientBody applies the few documented cases where GitHub accepts more
// than its published schema: the labels endpoints take a bare array (or a
// single string) instead of {"labels": [...]}, which is what go-github
// sends, and "Set labels" takes an empty array to remove every label. It
// returns the body to validate, or skip=true when no check applies.
func lenientBody(op string, body []byte) (out []byte, skip bool) {
	switch op {
	case "POST /repos/{owner}/{repo}/issues/{issue_number}/labels",
		"PUT /repos/{owner}/{repo}/issues/{issue_number}/labels":
		if len(body) == 0 || (body[0] != '[' && body[0] != '"') {
			return body, false
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return body, false
		}
		if s, ok := v.(string); ok {
			v = []any{s}
		}
		if list, ok := v.([]any); ok && len(list) == 0 && strings.HasPrefix(op, "PUT ") {
			return nil, true
		}
		wrapped, err := json.Marshal(map[string]any{"labels": v})
		if err != nil {
			return body, false
		}
		return wrapped, false
	}
	return body, false
}
