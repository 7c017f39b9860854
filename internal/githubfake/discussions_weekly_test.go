package githubfake

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake/webhook"
	"github.com/shurcooL/githubv4"
)

func webhookBuild(w *world, repo string) webhook.Build {
	return webhook.Build{InstallationID: w.inst, Repo: webhook.Repo{Owner: "acme", Name: repo, OwnerType: "Organization"},
		AppID: w.fake.AppID(), AppSlug: w.fake.AppSlug()}
}

// weeklyWorld is newWorld with a clock the test moves.
type weeklyWorld struct {
	*world
	now *time.Time
	v4  *githubv4.Client
}

func newWeeklyWorld(t *testing.T) *weeklyWorld {
	t.Helper()
	w := newWorld(t)
	now := t0
	w.fake.opts.Now = func() time.Time { return now }
	v4, err := w.cc.NewInstallationV4Client(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	w.fake.AddRepo(w.inst, "acme", "team-handbook", RepoOptions{HasDiscussions: true})
	return &weeklyWorld{world: w, now: &now, v4: v4}
}

type category struct {
	ID, Name, Slug string
	IsAnswerable   bool
}

func TestDiscussionCategoriesFilterByAssignable(t *testing.T) {
	w := newWeeklyWorld(t)
	ctx := context.Background()
	f := w.fake
	weekly := f.AddDiscussionCategory("acme", "team-handbook", DiscussionCategorySpec{Name: "Weekly updates"})
	f.SetDiscussionCategoryAssignable("acme", "team-handbook", "Announcements", false)
	f.AddDiscussionCategory("acme", "team-handbook", DiscussionCategorySpec{Name: "Releases", NotAssignable: true})

	var q struct {
		Repository struct {
			DiscussionCategories struct {
				TotalCount int
				Nodes      []category
				PageInfo   struct {
					HasNextPage bool
					EndCursor   string
				}
			} `graphql:"discussionCategories(first: $first, after: $after, filterByAssignable: $assignable)"`
		} `graphql:"repository(owner: \"acme\", name: \"team-handbook\")"`
	}
	names := func(assignable bool) []string {
		t.Helper()
		var out []string
		vars := map[string]any{"first": githubv4.Int(3), "after": (*githubv4.String)(nil), "assignable": githubv4.Boolean(assignable)}
		for {
			if err := w.v4.Query(ctx, &q, vars); err != nil {
				t.Fatal(err)
			}
			for _, c := range q.Repository.DiscussionCategories.Nodes {
				out = append(out, c.Name)
				if c.Name == "Weekly updates" && (c.ID != weekly || c.Slug != "weekly-updates") {
					t.Errorf("weekly category = %+v, want id %s", c, weekly)
				}
			}
			if !q.Repository.DiscussionCategories.PageInfo.HasNextPage {
				return out
			}
			vars["after"] = githubv4.NewString(githubv4.String(q.Repository.DiscussionCategories.PageInfo.EndCursor))
		}
	}
	for _, tc := range []struct {
		assignable bool
		want       string
	}{
		{false, "Announcements,General,Ideas,Polls,Q&A,Show and tell,Weekly updates,Releases"},
		{true, "General,Ideas,Polls,Q&A,Show and tell,Weekly updates"},
	} {
		if got := strings.Join(names(tc.assignable), ","); got != tc.want {
			t.Errorf("filterByAssignable %v: %s, want %s", tc.assignable, got, tc.want)
		}
	}

	// Posting in a category the app cannot use fails like GitHub.
	var repo struct {
		Repository struct {
			ID                 string
			DiscussionCategory struct{ ID string } `graphql:"discussionCategory(slug: \"announcements\")"`
		} `graphql:"repository(owner: \"acme\", name: \"team-handbook\")"`
	}
	if err := w.v4.Query(ctx, &repo, nil); err != nil {
		t.Fatal(err)
	}
	var create struct {
		CreateDiscussion struct{ Discussion struct{ ID string } } `graphql:"createDiscussion(input: $input)"`
	}
	err := w.v4.Mutate(ctx, &create, githubv4.CreateDiscussionInput{RepositoryID: repo.Repository.ID,
		CategoryID: githubv4.ID(repo.Repository.DiscussionCategory.ID), Title: "x", Body: "y"}, nil)
	if err == nil || !strings.Contains(err.Error(), "not accessible by integration") {
		t.Errorf("createDiscussion in Announcements: %v", err)
	}
	f.TakeViolations()
}

type discNode struct {
	ID, Title, Body string
	Number          int
	Closed          bool
	ClosedAt        *time.Time
	StateReason     *string
	LastEditedAt    *time.Time
	Author          struct{ Login string }
	Category        struct{ Name string }
	Comments        struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Nodes []struct {
			ID, Body string
			Author   struct{ Login string }
			Replies  struct {
				TotalCount int
				Nodes      []struct {
					Body    string
					ReplyTo struct{ ID string }
				}
			} `graphql:"replies(first: 10)"`
		}
	} `graphql:"comments(first: $cfirst, after: $cafter)"`
}

func TestDiscussionLifecycle(t *testing.T) {
	w := newWeeklyWorld(t)
	ctx := context.Background()
	f := w.fake
	cat := f.AddDiscussionCategory("acme", "team-handbook", DiscussionCategorySpec{Name: "Weekly updates"})
	repoID := ""
	{
		var q struct {
			Repository struct{ ID string } `graphql:"repository(owner: \"acme\", name: \"team-handbook\")"`
		}
		if err := w.v4.Query(ctx, &q, nil); err != nil {
			t.Fatal(err)
		}
		repoID = q.Repository.ID
	}
	var create struct {
		CreateDiscussion struct {
			Discussion struct {
				ID     string
				Number int
				URL    string
				Author struct{ Login string }
			}
		} `graphql:"createDiscussion(input: $input)"`
	}
	newThread := func(title string) (string, int) {
		t.Helper()
		err := w.v4.Mutate(ctx, &create, githubv4.CreateDiscussionInput{RepositoryID: repoID, CategoryID: githubv4.ID(cat), Title: githubv4.String(title), Body: "roster"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if create.CreateDiscussion.Discussion.Author.Login != "overlap" {
			t.Errorf("author %q, want overlap (no [bot] in GraphQL)", create.CreateDiscussion.Discussion.Author.Login)
		}
		return create.CreateDiscussion.Discussion.ID, create.CreateDiscussion.Discussion.Number
	}
	w48, n48 := newThread("Weekly update · 2026-W48")
	*w.now = w.now.Add(7 * 24 * time.Hour)
	w49, n49 := newThread("Weekly update · 2026-W49")

	// updateDiscussion (body only) and closeDiscussion.
	var upd struct {
		UpdateDiscussion struct{ Discussion struct{ Body, Title string } } `graphql:"updateDiscussion(input: $input)"`
	}
	body := githubv4.String("roster ✓")
	if err := w.v4.Mutate(ctx, &upd, githubv4.UpdateDiscussionInput{DiscussionID: githubv4.ID(w49), Body: &body}, nil); err != nil {
		t.Fatal(err)
	}
	if upd.UpdateDiscussion.Discussion.Body != "roster ✓" || upd.UpdateDiscussion.Discussion.Title != "Weekly update · 2026-W49" {
		t.Errorf("updateDiscussion = %+v", upd.UpdateDiscussion.Discussion)
	}
	var cl struct {
		CloseDiscussion struct {
			Discussion struct {
				Closed      bool
				ClosedAt    *time.Time
				StateReason *string
			}
		} `graphql:"closeDiscussion(input: $input)"`
	}
	reason := githubv4.DiscussionCloseReasonResolved
	if err := w.v4.Mutate(ctx, &cl, githubv4.CloseDiscussionInput{DiscussionID: githubv4.ID(w48), Reason: &reason}, nil); err != nil {
		t.Fatal(err)
	}
	if d := cl.CloseDiscussion.Discussion; !d.Closed || d.ClosedAt == nil || !d.ClosedAt.Equal(*w.now) || d.StateReason == nil || *d.StateReason != "RESOLVED" {
		t.Errorf("closeDiscussion = %+v", d)
	}

	// Comments, a threaded reply, edits and deletes.
	alice := f.AddDiscussionComment("acme", "team-handbook", n49, DiscussionCommentSpec{Author: "alice", Body: "Shipped: X"})
	f.AddDiscussionComment("acme", "team-handbook", n49, DiscussionCommentSpec{Author: "bob", Body: "Blockers: #12"})
	f.AddDiscussionComment("acme", "team-handbook", n49, DiscussionCommentSpec{Author: "carol", Body: "Next: Y"})
	var add struct {
		AddDiscussionComment struct{ Comment struct{ ID string } } `graphql:"addDiscussionComment(input: $input)"`
	}
	if err := w.v4.Mutate(ctx, &add, githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID(w49), Body: "reminder", ReplyToID: githubv4.NewID(githubv4.ID(alice))}, nil); err != nil {
		t.Fatal(err)
	}
	reply := add.AddDiscussionComment.Comment.ID
	if err := w.v4.Mutate(ctx, &add, githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID(w49), Body: "summary"}, nil); err != nil {
		t.Fatal(err)
	}
	summary := add.AddDiscussionComment.Comment.ID
	var updc struct {
		UpdateDiscussionComment struct{ Comment struct{ Body string } } `graphql:"updateDiscussionComment(input: $input)"`
	}
	if err := w.v4.Mutate(ctx, &updc, githubv4.UpdateDiscussionCommentInput{CommentID: githubv4.ID(summary), Body: "summary v2"}, nil); err != nil {
		t.Fatal(err)
	}
	var del struct {
		DeleteDiscussionComment struct{ Comment struct{ ID string } } `graphql:"deleteDiscussionComment(input: $input)"`
	}
	if err := w.v4.Mutate(ctx, &del, githubv4.DeleteDiscussionCommentInput{ID: githubv4.ID(reply)}, nil); err != nil {
		t.Fatal(err)
	}
	if err := w.v4.Mutate(ctx, &add, githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID(w49), Body: "again", ReplyToID: githubv4.NewID(githubv4.ID(alice))}, nil); err != nil {
		t.Fatal(err)
	}

	// discussion(number) pages its comments; replies hang under theirs.
	var one struct {
		Repository struct {
			Discussion discNode `graphql:"discussion(number: $n)"`
		} `graphql:"repository(owner: \"acme\", name: \"team-handbook\")"`
	}
	var bodies []string
	vars := map[string]any{"n": githubv4.Int(n49), "cfirst": githubv4.Int(2), "cafter": (*githubv4.String)(nil)}
	for page := 0; ; page++ {
		if err := w.v4.Query(ctx, &one, vars); err != nil {
			t.Fatal(err)
		}
		d := one.Repository.Discussion
		if d.Body != "roster ✓" || d.LastEditedAt == nil || d.Closed || d.Comments.TotalCount != 4 {
			t.Errorf("discussion #%d = %+v", n49, d)
		}
		for _, c := range d.Comments.Nodes {
			b := c.Author.Login + ":" + c.Body
			for _, r := range c.Replies.Nodes {
				b += "[" + r.Body + "]"
				if r.ReplyTo.ID != c.ID {
					t.Errorf("reply %q has replyTo %s, want %s", r.Body, r.ReplyTo.ID, c.ID)
				}
			}
			bodies = append(bodies, b)
		}
		if !d.Comments.PageInfo.HasNextPage {
			break
		}
		vars["cafter"] = githubv4.NewString(githubv4.String(d.Comments.PageInfo.EndCursor))
	}
	if got := strings.Join(bodies, " | "); got != "alice:Shipped: X[again] | bob:Blockers: #12 | carol:Next: Y | overlap:summary v2" {
		t.Errorf("comments = %s", got)
	}

	// discussions(categoryId, orderBy, states) finds the open thread.
	var list struct {
		Repository struct {
			Discussions struct {
				TotalCount int
				Nodes      []struct {
					Number      int
					Closed      bool
					StateReason *string
				}
			} `graphql:"discussions(first: 10, categoryId: $cat, orderBy: {field: CREATED_AT, direction: DESC}, states: $states)"`
		} `graphql:"repository(owner: \"acme\", name: \"team-handbook\")"`
	}
	for _, tc := range []struct {
		states []githubv4.DiscussionState
		want   []int
	}{
		{[]githubv4.DiscussionState{}, []int{n49, n48}},
		{[]githubv4.DiscussionState{githubv4.DiscussionStateOpen}, []int{n49}},
		{[]githubv4.DiscussionState{githubv4.DiscussionStateClosed}, []int{n48}},
	} {
		if err := w.v4.Query(ctx, &list, map[string]any{"cat": githubv4.ID(cat), "states": tc.states}); err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, d := range list.Repository.Discussions.Nodes {
			got = append(got, d.Number)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("discussions(states: %v) = %v, want %v", tc.states, got, tc.want)
		}
	}
	if v := f.TakeViolations(); len(v) != 0 {
		t.Errorf("violations: %q", v)
	}

	// The webhook builders describe that state the way GitHub's payloads do.
	info, _ := f.Discussion("acme", "team-handbook", n48)
	b := webhookBuild(w.world, "team-handbook")
	raw, err := b.Discussion("closed", info.Webhook())
	if err != nil {
		t.Fatal(err)
	}
	var ev struct {
		Action     string
		Discussion struct {
			Number      int
			State       string
			StateReason *string `json:"state_reason"`
			User        struct{ Login, Type string }
		}
	}
	if json.Unmarshal(raw, &ev); ev.Action != "closed" || ev.Discussion.State != "closed" || ev.Discussion.StateReason == nil ||
		*ev.Discussion.StateReason != "resolved" || ev.Discussion.Number != n48 || ev.Discussion.User.Login != "overlap[bot]" || ev.Discussion.User.Type != "Bot" {
		t.Errorf("discussion closed = %s", raw)
	}
	info, _ = f.Discussion("acme", "team-handbook", n49)
	again := info.Comments[len(info.Comments)-1]
	hc, ok := info.WebhookComment(again.NodeID)
	if !ok {
		t.Fatal("no webhook comment")
	}
	raw, err = b.DiscussionComment("deleted", info.Webhook(), hc)
	if err != nil {
		t.Fatal(err)
	}
	var cev struct {
		Action  string
		Comment struct {
			ID       int64
			ParentID int64 `json:"parent_id"`
			Body     string
		}
	}
	if json.Unmarshal(raw, &cev); cev.Action != "deleted" || cev.Comment.ParentID != info.Comments[0].DatabaseID || cev.Comment.Body != "again" {
		t.Errorf("discussion_comment deleted = %s", raw)
	}
}
