package githubfake

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/shurcooL/githubv4"
)

type searchPR struct {
	Title, URL string
	Number     int
	MergedAt   *time.Time
	Author     struct{ Login string }
	Repository struct {
		NameWithOwner string
		Owner         struct{ Login string }
	}
}

func TestSearchMergedPRs(t *testing.T) {
	w := newWeeklyWorld(t)
	ctx := context.Background()
	f := w.fake
	f.AddRepo(w.inst, "acme", "web", RepoOptions{})
	f.Commit("acme", "web", "main", CommitSpec{Message: "init", Author: "alice", Files: map[string]string{"README.md": "web\n"}})
	pr := func(repo, author, title string, at time.Time, merge bool) {
		t.Helper()
		*w.now = at
		branch := strings.ReplaceAll(title, " ", "-")
		f.Commit("acme", repo, branch, CommitSpec{Message: title, Author: author, Files: map[string]string{branch + ".txt": title}})
		n := f.OpenPR("acme", repo, PRSpec{Title: title, Author: author, Head: branch})
		if merge {
			f.MergePR("acme", repo, n, author)
		}
	}
	day := func(d int, h int) time.Time { return time.Date(2026, 11, 29+d, h, 0, 0, 0, time.UTC) }
	pr("api", "alice", "before the week", day(0, 23), true) // Sun 29 Nov
	pr("api", "alice", "api one", day(1, 9), true)          // Mon 30 Nov
	pr("web", "bob", "web one", day(3, 12), true)
	pr("web", "bob", "still open", day(3, 13), false)
	pr("api", "bob", "api two", day(7, 23), true) // Sun 6 Dec, last day
	pr("api", "alice", "after", day(8, 1), true)  // Mon 7 Dec

	var q struct {
		Search struct {
			IssueCount int
			PageInfo   struct {
				HasNextPage bool
				EndCursor   string
			}
			Nodes []struct {
				PullRequest searchPR `graphql:"... on PullRequest"`
			}
		} `graphql:"search(query: $q, type: ISSUE, first: $first, after: $after)"`
	}
	run := func(query string, first int) ([]string, error) {
		var out []string
		vars := map[string]any{"q": githubv4.String(query), "first": githubv4.Int(first), "after": (*githubv4.String)(nil)}
		for {
			if err := w.v4.Query(ctx, &q, vars); err != nil {
				return out, err
			}
			for _, n := range q.Search.Nodes {
				p := n.PullRequest
				if p.MergedAt == nil || p.URL == "" || p.Repository.Owner.Login != "acme" || p.Number == 0 {
					t.Errorf("node = %+v", p)
				}
				out = append(out, p.Repository.NameWithOwner+"#"+p.Title+"@"+p.Author.Login)
			}
			if !q.Search.PageInfo.HasNextPage {
				return out, nil
			}
			vars["after"] = githubv4.NewString(githubv4.String(q.Search.PageInfo.EndCursor))
		}
	}
	for _, tc := range []struct {
		query, want, err string
	}{
		{query: "is:pr is:merged org:acme merged:2026-11-30..2026-12-06",
			want: "acme/api#api two@bob,acme/web#web one@bob,acme/api#api one@alice"},
		{query: "is:pr is:merged repo:acme/web merged:2026-11-30..2026-12-06", want: "acme/web#web one@bob"},
		{query: "is:pr is:merged org:acme author:alice merged:>=2026-11-30", want: "acme/api#after@alice,acme/api#api one@alice"},
		{query: "is:pr is:merged org:other merged:2026-11-30..2026-12-06", want: ""},
		{query: "is:pr is:merged org:acme sort:updated", err: "not supported"},
		{query: "is:pr is:merged org:acme shipped", err: "not supported"},
		{query: "is:pr is:merged org:acme merged:30-11-2026", err: "cannot parse the date"},
	} {
		got, err := run(tc.query, 2)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err %v, want %q", tc.query, err, tc.err)
			}
			f.TakeViolations()
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.query, err)
			continue
		}
		if s := strings.Join(got, ","); s != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.query, s, tc.want)
		}
	}
	if v := f.TakeViolations(); len(v) != 0 {
		t.Errorf("violations: %q", v)
	}
}
