// Package gqlexec validates GraphQL documents against GitHub's public schema
// and executes them over plain Go data, so the in-memory GitHub can answer the
// exact documents Overlap sends (through githubv4) and the tests can prove
// that each of them is valid against the real schema.
//
// Data model: an object is a map[string]any keyed by field name; a value is a
// scalar (string, bool, any int, float64, time.Time), a slice, a nested map, or
// a Lazy that is called with the field's arguments. Objects returned where the
// schema expects an interface or union name their concrete type in the
// "__typename" key.
package gqlexec

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	overlap "github.com/overlaphq/overlap"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// GitHubSchemaPath is where the GitHub schema lives inside overlap.GitHubData.
const GitHubSchemaPath = "testdata/github/graphql/schema.graphql.gz"

// Schema is a loaded GraphQL schema. It is immutable and safe for concurrent use.
type Schema struct {
	schema   *ast.Schema
	loadTime time.Duration
}

// AST returns the parsed schema, for callers that want to look types up.
func (s *Schema) AST() *ast.Schema { return s.schema }

// LoadDuration reports how long parsing and validating the SDL took; the
// GitHub schema is over a megabyte, so tests and the sandbox log it.
func (s *Schema) LoadDuration() time.Duration { return s.loadTime }

// githubSchema caches the GitHub schema: parsing 1.2 MB of SDL once per
// process instead of once per test keeps the suite fast.
var githubSchema struct {
	once   sync.Once
	schema *Schema
	err    error
}

// LoadGitHubSchema returns GitHub's public GraphQL schema, parsed on the first
// call and cached for the life of the process.
func LoadGitHubSchema() (*Schema, error) {
	githubSchema.once.Do(func() {
		githubSchema.schema, githubSchema.err = loadGitHubSchema()
	})
	return githubSchema.schema, githubSchema.err
}

func loadGitHubSchema() (*Schema, error) {
	gz, err := overlap.GitHubData.ReadFile(GitHubSchemaPath)
	if err != nil {
		return nil, fmt.Errorf("read github schema: %w", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("gunzip github schema: %w", err)
	}
	sdl, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gunzip github schema: %w", err)
	}
	s, err := ParseSchema("github.graphql", string(sdl))
	if err != nil {
		return nil, fmt.Errorf("load github schema: %w", err)
	}
	return s, nil
}

// ParseSchema parses and validates SDL together with gqlparser's prelude
// (built-in scalars, directives and introspection types).
//
// GitHub's published SDL defines two fields of EnterpriseOwnerInfo twice,
// identically; gqlparser rightly rejects that, so a field repeated with the
// same type and arguments is dropped. A repeat that differs is still an error.
func ParseSchema(name, sdl string) (*Schema, error) {
	start := time.Now()
	doc, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: name, Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("parse schema %s: %w", name, err)
	}
	for _, defs := range [][]*ast.Definition{doc.Definitions, doc.Extensions} {
		for _, def := range defs {
			fields, err := dedupeFields(def)
			if err != nil {
				return nil, fmt.Errorf("parse schema %s: %w", name, err)
			}
			def.Fields = fields
		}
	}
	schema, err := validator.ValidateSchemaDocument(doc)
	if err != nil {
		return nil, fmt.Errorf("validate schema %s: %w", name, err)
	}
	return &Schema{schema: schema, loadTime: time.Since(start)}, nil
}

func dedupeFields(def *ast.Definition) (ast.FieldList, error) {
	seen := make(map[string]*ast.FieldDefinition, len(def.Fields))
	out := make(ast.FieldList, 0, len(def.Fields))
	for _, f := range def.Fields {
		prev, dup := seen[f.Name]
		if !dup {
			seen[f.Name] = f
			out = append(out, f)
			continue
		}
		if signature(prev) != signature(f) {
			return nil, fmt.Errorf("%s.%s is defined twice with different signatures (%s, %s)",
				def.Name, f.Name, signature(prev), signature(f))
		}
	}
	return out, nil
}

func signature(f *ast.FieldDefinition) string {
	var b bytes.Buffer
	b.WriteString("(")
	for i, a := range f.Arguments {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", a.Name, a.Type.String())
		if a.DefaultValue != nil {
			fmt.Fprintf(&b, " = %s", a.DefaultValue.String())
		}
	}
	b.WriteString("): ")
	b.WriteString(f.Type.String())
	return b.String()
}

// Validate parses query and checks it against the schema with gqlparser's
// full default rule set (the rules of the GraphQL specification). The
// document is returned whenever it parsed, even if it is invalid; callers
// must check the errors. Each error is a *gqlerror.Error with a location.
func (s *Schema) Validate(query string) (*ast.QueryDocument, []error) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	if err != nil {
		var gqlErr *gqlerror.Error
		if errors.As(err, &gqlErr) {
			return nil, []error{gqlErr}
		}
		return nil, []error{gqlerror.Wrap(err)}
	}
	list := validator.ValidateWithRules(s.schema, doc, rules.NewDefaultRules())
	if len(list) == 0 {
		return doc, nil
	}
	errs := make([]error, len(list))
	for i, e := range list {
		errs[i] = e
	}
	return doc, errs
}
