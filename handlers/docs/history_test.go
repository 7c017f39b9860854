package docs

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shurcooL/githubv4"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	overlap "github.com/overlaphq/overlap"
)

// fakeGraphQL records each request and answers history aliases from dates.
type fakeGraphQL struct {
	mu       sync.Mutex
	requests []graphqlRequest
	dates    map[string]time.Time // path → last commit; absent → no history
	noBranch bool
}

type graphqlRequest struct {
	Query     string         `json:"query"`
	Variables map[string]any `json:"variables"`
}

func (f *fakeGraphQL) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req graphqlRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.requests = append(f.requests, req)
	f.mu.Unlock()
	if f.noBranch {
		io.WriteString(w, `{"data":{"repository":{"defaultBranchRef":null}}}`)
		return
	}
	commit := map[string]any{}
	for name, v := range req.Variables {
		if !strings.HasPrefix(name, "p") {
			continue
		}
		alias := "d" + strings.TrimPrefix(name, "p")
		nodes := []any{}
		if t, ok := f.dates[v.(string)]; ok {
			nodes = append(nodes, map[string]any{"committedDate": t.Format(time.RFC3339)})
		}
		commit[alias] = map[string]any{"nodes": nodes}
	}
	json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{
		"repository": map[string]any{"defaultBranchRef": map[string]any{"target": commit}},
	}})
}

func githubSchema(t *testing.T) *ast.Schema {
	t.Helper()
	f, err := overlap.GitHubData.Open("testdata/github/graphql/schema.graphql.gz")
	if err != nil {
		t.Fatalf("open schema: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("gunzip schema: %v", err)
	}
	sdl, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("read schema: %v", err)
	}
	doc, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: "github.graphql", Input: string(sdl)})
	if err != nil {
		t.Fatalf("parse schema: %v", err)
	}
	// The published SDL defines EnterpriseOwnerInfo.repositoryDeployKeySetting
	// twice, which gqlparser rejects: keep the first definition of a field.
	for _, def := range doc.Definitions {
		seen := map[string]bool{}
		var fields ast.FieldList
		for _, f := range def.Fields {
			if !seen[f.Name] {
				seen[f.Name] = true
				fields = append(fields, f)
			}
		}
		def.Fields = fields
	}
	s, err := validator.ValidateSchemaDocument(doc)
	if err != nil {
		t.Fatalf("load schema: %v", err)
	}
	return s
}

func TestHistoryQueryAgainstServer(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	paths := []string{
		"docs/runbooks/payments.md",
		`docs/runbooks/we"ird $name) {x}.md`, // quotes and GraphQL syntax stay data
		"docs/runbooks/never-committed.md",
		"docs/onboarding/README.md",
		"docs/runbooks/db.md",
	}
	fake := &fakeGraphQL{dates: map[string]time.Time{
		paths[0]: day(1), paths[1]: day(2), paths[3]: day(3), paths[4]: day(4),
	}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	client := githubv4.NewEnterpriseClient(srv.URL, srv.Client())

	pages := HistoryQuery("octo", "ops", paths, 2)
	if len(pages) != 3 {
		t.Fatalf("5 paths at 2 aliases per request: got %d pages, want 3", len(pages))
	}
	got := map[string]time.Time{}
	for _, p := range pages {
		if err := client.Query(context.Background(), p.Query, p.Vars); err != nil {
			t.Fatalf("query: %v", err)
		}
		for k, v := range p.Decode() {
			got[k] = v
		}
	}
	if len(fake.requests) != 3 {
		t.Errorf("requests = %d, want 3 (one per page)", len(fake.requests))
	}
	for p, want := range fake.dates {
		if !got[p].Equal(want) {
			t.Errorf("%s: last commit %v, want %v", p, got[p], want)
		}
	}
	if _, ok := got["docs/runbooks/never-committed.md"]; ok {
		t.Errorf("path without history must be absent from the result")
	}

	q := fake.requests[0].Query
	for _, want := range []string{
		"repository(owner: $owner, name: $name)",
		"defaultBranchRef{target{... on Commit{",
		"d0: history(first: 1, path: $p0){nodes{committedDate}}",
		"d1: history(first: 1, path: $p1)",
		"$p0:String!", "$owner:String!",
	} {
		if !strings.Contains(q, want) {
			t.Errorf("query %q lacks %q", q, want)
		}
	}
	if strings.Contains(q, "we") || strings.Contains(q, "payments") {
		t.Errorf("paths must travel as variables, not in the query text: %q", q)
	}

	schema := githubSchema(t)
	broken := strings.Replace(q, "path: $p0", "file: $p0", 1)
	if _, errs := gqlparser.LoadQuery(schema, broken); len(errs) == 0 {
		t.Fatalf("schema validation accepts an unknown argument; the check below would prove nothing")
	}
	for _, r := range fake.requests {
		if _, errs := gqlparser.LoadQuery(schema, r.Query); len(errs) > 0 {
			t.Errorf("query does not validate against GitHub's schema: %v\n%s", errs, r.Query)
		}
	}
}

func TestHistoryQueryDefaultsAndEmptyRepo(t *testing.T) {
	paths := make([]string, 2*MaxAliases+7)
	for i := range paths {
		paths[i] = fmt.Sprintf("docs/%03d.md", i)
	}
	pages := HistoryQuery("o", "r", paths, 0)
	if len(pages) != 3 || len(pages[0].Paths) != MaxAliases || len(pages[2].Paths) != 7 {
		t.Fatalf("default batching: %d pages", len(pages))
	}
	if HistoryQuery("o", "r", nil, 0) != nil {
		t.Errorf("no paths must need no request")
	}

	fake := &fakeGraphQL{noBranch: true}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	page := HistoryQuery("o", "empty", []string{"README.md"}, 10)[0]
	if err := githubv4.NewEnterpriseClient(srv.URL, srv.Client()).Query(context.Background(), page.Query, page.Vars); err != nil {
		t.Fatalf("query: %v", err)
	}
	if got := page.Decode(); len(got) != 0 {
		t.Errorf("repository without a default branch: got %v, want nothing", got)
	}
}
