package docs_test

import (
	"strings"
	"testing"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// When GitHub truncates the recursive tree of a very large repository, the
// partial listing is not taken for the whole: links to files past the cut
// are not reported broken, a guide past the cut is not reported missing,
// and the tracking issue says that the listing is partial.
func TestTruncatedTreeIsNotTakenForTheWholeRepository(t *testing.T) {
	h := apptest.New(t, apptest.Options{Features: []handlers.Feature{&docs.Feature{}}, Now: monday})
	h.Fake.AddRepo(h.Installation, org, "mono", githubfake.RepoOptions{})
	link := "# A\n\nSee [the service](../../services/pay/README.md).\n"
	h.Fake.Commit(org, "mono", "main", githubfake.CommitSpec{Author: "alice", Date: daysAgo(120), Files: map[string]string{
		".github/overlap.yml": `team:
  timezone: Europe/Berlin
docs:
  sets:
    runbooks: {paths: ["docs/runbooks/*.md"], max_age: 90d}
    onboarding: {paths: ["onboarding/*.md"], max_age: 365d}
`,
		"docs/runbooks/a.md":      link,
		"docs/runbooks/b.md":      "# B\n",
		"onboarding/welcome.md":   "# Welcome\n",
		"services/pay/README.md":  "# Pay\n",
		"services/pay/charge.go":  "package pay\n",
		"services/auth/README.md": "# Auth\n",
	}})
	// Listed in order: .github, .github/overlap.yml, docs, docs/runbooks,
	// docs/runbooks/a.md | cut | docs/runbooks/b.md, onboarding, services…
	h.Fake.TruncateTrees(org, "mono", 5)

	h.Sweep(monday)
	list := h.Fake.Issues(org, "mono")
	if len(list) != 1 {
		t.Fatalf("issues: %+v", list)
	}
	body := list[0].Body
	if !strings.Contains(body, "too large for GitHub to list in full") {
		t.Errorf("the issue does not say the listing is partial:\n%s", body)
	}
	if strings.Contains(body, "Broken links") || strings.Contains(body, "services/pay/README.md") {
		t.Errorf("a link to a file past the cut is reported broken:\n%s", body)
	}
	if strings.Contains(body, "No onboarding guide") {
		t.Errorf("a guide past the cut is reported missing:\n%s", body)
	}
	if list[0].Title != "Docs freshness: 1 stale doc" || !strings.Contains(body, "`docs/runbooks/a.md` | 120 days") {
		t.Errorf("the doc before the cut is not tracked (title %q):\n%s", list[0].Title, body)
	}

	// A pull request editing the doc: its head tree is truncated too, so
	// the link is not annotated as broken.
	h.Fake.Commit(org, "mono", "edit-a", githubfake.CommitSpec{Author: "bob", Files: map[string]string{
		"docs/runbooks/a.md": link + "\nMore.\n",
	}})
	n := h.Fake.OpenPR(org, "mono", githubfake.PRSpec{Title: "Edit A", Author: "bob", Head: "edit-a"})
	h.Send("pull_request", h.PREvent("opened", "mono", n))
	var cr *githubfake.CheckRunInfo
	for _, r := range h.Fake.CheckRuns(org, "mono") {
		if r.Name == docs.CheckName && r.HeadSHA == h.PR("mono", n).HeadSHA {
			cr = &r
		}
	}
	if cr == nil || cr.Conclusion != "success" || len(cr.Annotations) != 0 {
		t.Errorf("PR check on a truncated tree, want success without annotations: %+v", cr)
	}

	// Once GitHub lists the tree in full, the whole repository is tracked
	// and the notice goes away.
	h.Fake.TruncateTrees(org, "mono", 0)
	h.Sweep(monday.AddDate(0, 0, 7))
	cur := h.Fake.Issues(org, "mono")[0]
	if cur.Title != "Docs freshness: 2 stale docs" || strings.Contains(cur.Body, "too large") || strings.Contains(cur.Body, "Broken links") {
		t.Errorf("full listing (title %q):\n%s", cur.Title, cur.Body)
	}
}
