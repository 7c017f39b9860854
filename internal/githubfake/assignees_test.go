package githubfake

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-github/v60/github"
)

func TestAssigneesMustHaveAccess(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.fake.SetPermission("acme", "api", "alice", "read")
	w.fake.AddTeam("acme", "platform", []string{"dave", "erin"})
	w.fake.SetPermission("acme", "api", "erin", "none")
	w.fake.AddUser("mallory", "Mallory") // a GitHub user with no access

	for _, tc := range []struct {
		login string
		want  int
	}{
		{"alice", http.StatusNoContent},  // read permission
		{"acme", http.StatusNoContent},   // the owner
		{"dave", http.StatusNoContent},   // org member, public repository
		{"erin", http.StatusNotFound},    // explicitly no access
		{"mallory", http.StatusNotFound}, // exists, no access
		{"nobody-at-all", http.StatusNotFound},
	} {
		ok, resp, err := w.gh.Issues.IsAssignee(ctx, "acme", "api", tc.login)
		if resp == nil || resp.StatusCode != tc.want || ok != (tc.want == http.StatusNoContent) {
			t.Errorf("IsAssignee(%s) = %v, %v (%v), want status %d", tc.login, ok, resp, err, tc.want)
		}
	}

	// Creating or editing an issue with someone who cannot be assigned is
	// GitHub's 422, recorded as a violation; nothing changes.
	_, _, err := w.gh.Issues.Create(ctx, "acme", "api", &github.IssueRequest{Title: github.String("x"), Assignees: &[]string{"alice", "mallory"}})
	if statusOf(err) != http.StatusUnprocessableEntity || !strings.Contains(err.Error(), "assignees") {
		t.Fatalf("create with mallory: %v", err)
	}
	if v := w.fake.TakeViolations(); len(v) != 1 || !strings.Contains(v[0], `"value":"mallory"`) {
		t.Fatalf("violations: %v", v)
	}
	if got := w.fake.Issues("acme", "api"); len(got) != 0 {
		t.Fatalf("a refused create made issues: %+v", got)
	}

	is, _, err := w.gh.Issues.Create(ctx, "acme", "api", &github.IssueRequest{Title: github.String("x"), Assignees: &[]string{"alice", "dave"}})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = w.gh.Issues.Edit(ctx, "acme", "api", is.GetNumber(), &github.IssueRequest{Title: github.String("y"), Assignees: &[]string{"erin"}})
	if statusOf(err) != http.StatusUnprocessableEntity {
		t.Fatalf("edit with erin: %v", err)
	}
	w.fake.TakeViolations()
	got, _, err := w.gh.Issues.Get(ctx, "acme", "api", is.GetNumber())
	if err != nil || got.GetTitle() != "x" || len(got.Assignees) != 2 {
		t.Fatalf("a refused edit changed the issue: %+v, %v", got, err)
	}
}
