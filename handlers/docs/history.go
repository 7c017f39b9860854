package docs

import (
	"fmt"
	"reflect"
	"time"

	"github.com/shurcooL/githubv4"
)

// Page is one batched GraphQL request for the last commit of many paths.
// Run it with githubv4's Client.Query(ctx, page.Query, page.Vars), then call
// Decode.
type Page struct {
	Paths []string
	// Query is a pointer to a struct type built for these paths; githubv4
	// turns its tags into
	//   query($name:String!$owner:String!$p0:String!…){repository(owner:$owner,name:$name){
	//     defaultBranchRef{target{... on Commit{d0: history(first: 1, path: $p0){nodes{committedDate}} …}}}}}
	Query any
	Vars  map[string]any
	// Decode maps each path to its last commit date; paths without history
	// (or an empty repository) are absent.
	Decode func() map[string]time.Time
	// Texts maps each path to its text at the page's ref (DocsQuery only;
	// nil for HistoryQuery). Missing and binary files are absent.
	Texts func() map[string]string
}

type historyNodes struct {
	Nodes []struct {
		CommittedDate githubv4.DateTime
	}
}

// HistoryQuery plans the requests that learn the last commit date of every
// path on the default branch of owner/name: one aliased `history(first:1)`
// per path, at most maxAliases (≤0 means MaxAliases) per request. Paths
// travel as query variables, so any character in a path is safe.
func HistoryQuery(owner, name string, paths []string, maxAliases int) []Page {
	return DocsQuery(owner, name, "", paths, maxAliases)
}

// DocsQuery is HistoryQuery that also reads each path's text at ref (a
// branch name or commit SHA) in the same request, through an aliased
// `object(expression: "<ref>:<path>")` on the repository: the front matter
// and links of every doc come with its date, at no extra request and no
// extra rate-limit point (object is not a connection). An empty ref reads
// no text.
func DocsQuery(owner, name, ref string, paths []string, maxAliases int) []Page {
	if maxAliases <= 0 {
		maxAliases = MaxAliases
	}
	var pages []Page
	for start := 0; start < len(paths); start += maxAliases {
		end := min(start+maxAliases, len(paths))
		pages = append(pages, historyPage(owner, name, ref, paths[start:end]))
	}
	return pages
}

type blobText struct {
	Blob struct {
		Text *string
	} `graphql:"... on Blob"`
}

func historyPage(owner, name, ref string, paths []string) Page {
	vars := map[string]any{
		"owner": githubv4.String(owner),
		"name":  githubv4.String(name),
	}
	nodesT := reflect.TypeOf(historyNodes{})
	fields := make([]reflect.StructField, len(paths))
	for i, p := range paths {
		v := fmt.Sprintf("p%d", i)
		vars[v] = githubv4.String(p)
		fields[i] = reflect.StructField{
			Name: fmt.Sprintf("D%d", i),
			Type: nodesT,
			Tag:  reflect.StructTag(fmt.Sprintf(`graphql:"d%d: history(first: 1, path: $%s)"`, i, v)),
		}
	}
	commitT := reflect.StructOf(fields)
	targetT := reflect.StructOf([]reflect.StructField{{Name: "Commit", Type: commitT, Tag: `graphql:"... on Commit"`}})
	refT := reflect.StructOf([]reflect.StructField{{Name: "Target", Type: reflect.PointerTo(targetT)}})
	repoFields := []reflect.StructField{{Name: "DefaultBranchRef", Type: reflect.PointerTo(refT)}}
	if ref != "" {
		blobT := reflect.PointerTo(reflect.TypeOf(blobText{}))
		for i, p := range paths {
			v := fmt.Sprintf("e%d", i)
			vars[v] = githubv4.String(ref + ":" + p)
			repoFields = append(repoFields, reflect.StructField{
				Name: fmt.Sprintf("B%d", i),
				Type: blobT,
				Tag:  reflect.StructTag(fmt.Sprintf(`graphql:"b%d: object(expression: $%s)"`, i, v)),
			})
		}
	}
	repoT := reflect.StructOf(repoFields)
	queryT := reflect.StructOf([]reflect.StructField{{
		Name: "Repository", Type: repoT,
		Tag: `graphql:"repository(owner: $owner, name: $name)"`,
	}})
	q := reflect.New(queryT)
	own := append([]string(nil), paths...)
	var texts func() map[string]string
	if ref != "" {
		texts = func() map[string]string {
			out := map[string]string{}
			repo := q.Elem().Field(0)
			for i, p := range own {
				b := repo.Field(1 + i)
				if b.IsNil() {
					continue
				}
				if t := b.Interface().(*blobText).Blob.Text; t != nil {
					out[p] = *t
				}
			}
			return out
		}
	}
	return Page{
		Texts: texts,
		Paths: own,
		Query: q.Interface(),
		Vars:  vars,
		Decode: func() map[string]time.Time {
			out := map[string]time.Time{}
			ref := q.Elem().Field(0).Field(0) // Repository.DefaultBranchRef
			if ref.IsNil() {
				return out
			}
			target := ref.Elem().Field(0)
			if target.IsNil() {
				return out
			}
			commit := target.Elem().Field(0)
			for i, p := range own {
				h := commit.Field(i).Interface().(historyNodes)
				if len(h.Nodes) > 0 && !h.Nodes[0].CommittedDate.IsZero() {
					out[p] = h.Nodes[0].CommittedDate.Time
				}
			}
			return out
		},
	}
}
