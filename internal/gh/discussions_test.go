package gh_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type discWorld struct {
	fake   *githubfake.Server
	client *gh.Client
	repo   gh.Repo
	writes []gh.Write
}

// newDiscWorld is a repository with discussions and a gh.Client over both
// of the installation's clients.
func newDiscWorld(t *testing.T, dryRun bool) *discWorld {
	t.Helper()
	f := githubfake.NewTest(t, githubfake.Options{Now: func() time.Time { return t0 }})
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "acme", "api", githubfake.RepoOptions{HasDiscussions: true})
	cc := githubapp.NewClientCreator(f.URL()+"/", f.URL()+"/graphql", f.AppID(), f.AppPrivateKeyPEM())
	rest, err := cc.NewInstallationClient(inst)
	if err != nil {
		t.Fatal(err)
	}
	v4, err := cc.NewInstallationV4Client(inst)
	if err != nil {
		t.Fatal(err)
	}
	w := &discWorld{fake: f, repo: gh.Repo{Owner: "acme", Name: "api"}}
	w.client = gh.New(rest, gh.Options{DryRun: dryRun, BotLogin: f.AppSlug() + "[bot]", GraphQL: v4,
		OnWrite: func(wr gh.Write) { w.writes = append(w.writes, wr) }})
	return w
}

func (w *discWorld) own(t *testing.T, number int) []githubfake.DiscussionCommentInfo {
	t.Helper()
	d, ok := w.fake.Discussion("acme", "api", number)
	if !ok {
		t.Fatalf("no discussion #%d", number)
	}
	var out []githubfake.DiscussionCommentInfo
	for _, c := range d.Comments {
		if strings.HasSuffix(c.Author, "[bot]") {
			out = append(out, c)
		}
	}
	return out
}

func TestUpsertDiscussionComment(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, false)
	n, _ := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "Week 48", Body: "What shipped?", Author: "alice"})
	// A person quoting the marker does not make their comment the app's.
	w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "bob", Body: "<!-- overlap:test -->\nmine"})
	marker := gh.Marker("test")

	steps := []struct {
		body string
		want gh.Outcome
	}{
		{"first", gh.Created},
		{"first", gh.Unchanged},
		{"second", gh.Updated},
	}
	for _, s := range steps {
		got, err := w.client.UpsertDiscussionComment(ctx, w.repo, n, marker, s.body)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("upsert %q = %s, want %s", s.body, got, s.want)
		}
	}
	own := w.own(t, n)
	if len(own) != 1 || own[0].Body != marker+"\nsecond" {
		t.Fatalf("app comments = %+v, want one with the second body", own)
	}
	if d, _ := w.fake.Discussion("acme", "api", n); len(d.Comments) != 2 || d.Comments[0].Author != "bob" {
		t.Errorf("comments = %+v, want bob's left alone and the app's", d.Comments)
	}

	out, err := w.client.DeleteDiscussionCommentIn(ctx, w.repo, mustGet(t, w, n), marker)
	if err != nil || out != gh.Deleted {
		t.Fatalf("delete = %s, %v", out, err)
	}
	if own := w.own(t, n); len(own) != 0 {
		t.Errorf("after delete the app still has %d comments", len(own))
	}
	if out, _ := w.client.DeleteDiscussionCommentIn(ctx, w.repo, mustGet(t, w, n), marker); out != gh.Absent {
		t.Errorf("second delete = %s, want absent", out)
	}
}

func mustGet(t *testing.T, w *discWorld, n int) *gh.Discussion {
	t.Helper()
	d, err := w.client.GetDiscussion(context.Background(), w.repo, n)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestUpsertDiscussionCommentRemovesDuplicates(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, false)
	n, _ := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "t", Body: "b"})
	marker := gh.Marker("test")
	// Two racing deliveries each created one.
	for i := 0; i < 2; i++ {
		w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "overlap[bot]", Body: marker + "\nold"})
	}
	got, err := w.client.UpsertDiscussionComment(ctx, w.repo, n, marker, "new")
	if err != nil || got != gh.Updated {
		t.Fatalf("upsert = %s, %v", got, err)
	}
	own := w.own(t, n)
	if len(own) != 1 || own[0].Body != marker+"\nnew" {
		t.Errorf("app comments = %+v, want exactly one, updated", own)
	}
}

func TestGetDiscussionPagesAndReplies(t *testing.T) {
	w := newDiscWorld(t, false)
	n, id := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "Long", Body: "body", Author: "alice", Category: "Ideas"})
	var first string
	for i := 0; i < gh.MaxDiscussionComments+5; i++ {
		c := w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "bob", Body: fmt.Sprint("comment ", i)})
		if i == 0 {
			first = c
		}
	}
	w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "carol", Body: "a reply", ReplyTo: first})
	w.fake.ResetCalls()
	d := mustGet(t, w, n)
	if d.ID != id || d.Body != "body" || d.Author.Login != "alice" || d.Author.Bot || d.Category != "Ideas" || !d.CreatedAt.Equal(t0) {
		t.Errorf("discussion = %+v", d)
	}
	if len(d.Comments) != gh.MaxDiscussionComments+6 {
		t.Fatalf("got %d comments, want %d", len(d.Comments), gh.MaxDiscussionComments+6)
	}
	if d.Comments[1].Body != "a reply" || d.Comments[1].ReplyTo != first || d.Comments[2].Body != "comment 1" {
		t.Errorf("a reply should follow its parent: %+v", d.Comments[:3])
	}
	if calls := w.fake.Calls()["POST /graphql"]; calls != 2 {
		t.Errorf("read took %d queries, want 2 (two pages)", calls)
	}
}

func TestDiscussionDryRunAndNoGraphQL(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, true)
	n, _ := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "t", Body: "b"})
	got, err := w.client.UpsertDiscussionComment(ctx, w.repo, n, gh.Marker("test"), "hello")
	if err != nil || got != gh.Created {
		t.Fatalf("dry-run upsert = %s, %v", got, err)
	}
	if len(w.own(t, n)) != 0 {
		t.Error("dry-run wrote a comment")
	}
	if len(w.writes) != 1 || !w.writes[0].DryRun || w.writes[0].Action != "discussion_comment.create" || w.writes[0].Target != fmt.Sprintf("discussion #%d", n) {
		t.Errorf("writes = %+v", w.writes)
	}
	for _, wr := range w.fake.Writes() {
		if wr.Route == "POST /graphql" {
			t.Errorf("dry-run sent a mutation: %s", wr.Body)
		}
	}

	bare := gh.New(nil, gh.Options{})
	if _, err := bare.GetDiscussion(ctx, w.repo, n); !errors.Is(err, gh.ErrNoGraphQL) {
		t.Errorf("without GraphQL: %v, want ErrNoGraphQL", err)
	}
}

func TestGetDiscussionNotFound(t *testing.T) {
	w := newDiscWorld(t, false)
	if _, err := w.client.GetDiscussion(context.Background(), w.repo, 42); err == nil {
		t.Error("reading a missing discussion should fail")
	}
}

func TestDiscussionCategories(t *testing.T) {
	w := newDiscWorld(t, false)
	cats, err := w.client.DiscussionCategories(context.Background(), w.repo)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cats {
		if c.ID == "" || c.Slug == "" {
			t.Errorf("category %+v lacks id or slug", c)
		}
		names = append(names, c.Name)
	}
	if !strings.Contains(strings.Join(names, ","), "General") || !strings.Contains(strings.Join(names, ","), "Q&A") {
		t.Errorf("categories = %v, want GitHub's defaults", names)
	}
}

func TestCreateDiscussion(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, false)
	d, err := w.client.CreateDiscussion(ctx, w.repo, "general", "Week 48 update", gh.Marker("weekly", "2026-W48")+"\nShipped / Next / Blockers")
	if err != nil {
		t.Fatal(err)
	}
	info, ok := w.fake.Discussion("acme", "api", d.Number)
	if !ok || info.NodeID != d.ID || info.Category != "General" || info.Author != "overlap[bot]" || !strings.HasPrefix(info.Body, "<!-- overlap:weekly:2026-W48 -->") {
		t.Errorf("created %+v, fake has %+v", d, info)
	}
	if !d.Author.Bot || d.Author.Login != "overlap" {
		t.Errorf("author = %+v, want the app (GraphQL login without [bot])", d.Author)
	}
	if _, err := w.client.CreateDiscussion(ctx, w.repo, "Standups", "x", "y"); err == nil || !strings.Contains(err.Error(), "General") {
		t.Errorf("unknown category: %v, want an error listing the categories", err)
	}
}
