package githubfake

import (
	"context"
	"strings"
	"testing"

	"github.com/shurcooL/githubv4"
)

func TestDiscussionsStrictness(t *testing.T) {
	w := newWorld(t)
	f := w.fake
	ctx := context.Background()
	f.AddRepo(w.inst, "acme", "talk", RepoOptions{HasDiscussions: true})
	issue := f.OpenIssue("acme", "talk", IssueSpec{Title: "first", Author: "alice"})
	n, id := f.CreateDiscussion("acme", "talk", DiscussionSpec{Title: "Week 48", Body: "What shipped?", Author: "alice"})
	if n != issue+1 {
		t.Errorf("discussion number %d, want %d: discussions share the issue number space", n, issue+1)
	}
	bobs := f.AddDiscussionComment("acme", "talk", n, DiscussionCommentSpec{Author: "bob", Body: "shipped X"})

	v4, err := w.cc.NewInstallationV4Client(w.inst)
	if err != nil {
		t.Fatal(err)
	}
	var add struct {
		AddDiscussionComment struct {
			Comment struct {
				ID      string
				Body    string
				Author  struct{ Login string }
				ReplyTo *struct{ ID string }
			}
		} `graphql:"addDiscussionComment(input: $input)"`
	}
	err = v4.Mutate(ctx, &add, githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID(id), Body: "thanks", ReplyToID: githubv4.NewID(githubv4.ID(bobs))}, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := add.AddDiscussionComment.Comment
	if c.Author.Login != "overlap" || c.ReplyTo == nil || c.ReplyTo.ID != bobs {
		t.Errorf("reply = %+v, want by overlap (GraphQL drops [bot]) replying to %s", c, bobs)
	}

	// Editing someone else's comment, replying to a reply and a blank body
	// are refused, and recorded as violations.
	var upd struct {
		UpdateDiscussionComment struct{ Comment struct{ ID string } } `graphql:"updateDiscussionComment(input: $input)"`
	}
	if err := v4.Mutate(ctx, &upd, githubv4.UpdateDiscussionCommentInput{CommentID: githubv4.ID(bobs), Body: "x"}, nil); err == nil {
		t.Error("the app edited bob's comment")
	}
	if err := v4.Mutate(ctx, &add, githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID(id), Body: "x", ReplyToID: githubv4.NewID(githubv4.ID(c.ID))}, nil); err == nil {
		t.Error("a reply to a reply was accepted")
	}
	if err := v4.Mutate(ctx, &add, githubv4.AddDiscussionCommentInput{DiscussionID: githubv4.ID(id), Body: "  "}, nil); err == nil {
		t.Error("a blank comment was accepted")
	}
	if v := f.TakeViolations(); len(v) != 3 || !strings.Contains(v[0], "only edit its own") {
		t.Errorf("violations = %q", v)
	}

	// A repository without discussions has none to read.
	var q struct {
		Repository struct {
			Discussion *struct{ ID string } `graphql:"discussion(number: $n)"`
		} `graphql:"repository(owner: \"acme\", name: \"api\")"`
	}
	err = v4.Query(ctx, &q, map[string]any{"n": githubv4.Int(n)})
	if err == nil || !strings.Contains(err.Error(), "Could not resolve to a Discussion") {
		t.Errorf("discussion in a repo without discussions: %v", err)
	}
}
