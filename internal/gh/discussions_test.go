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
	cats, err := w.client.DiscussionCategories(context.Background(), w.repo, false)
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

// mutations counts the GraphQL mutations the emulator received.
func (w *discWorld) mutations() int {
	n := 0
	for _, wr := range w.fake.Writes() {
		if wr.Route == "POST /graphql" {
			n++
		}
	}
	return n
}

func TestCloseDiscussion(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, false)
	n, id := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "Week 47", Body: "b"})
	if err := w.client.CloseDiscussion(ctx, w.repo, id, gh.CloseOutdated); err != nil {
		t.Fatal(err)
	}
	info, _ := w.fake.Discussion("acme", "api", n)
	if !info.Closed || info.StateReason != "OUTDATED" || !info.ClosedAt.Equal(t0) {
		t.Errorf("after close: closed %v, reason %q, at %v", info.Closed, info.StateReason, info.ClosedAt)
	}
	n2, id2 := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "Week 48", Body: "b"})
	if err := w.client.CloseDiscussion(ctx, w.repo, id2, ""); err != nil {
		t.Fatal(err)
	}
	if info, _ := w.fake.Discussion("acme", "api", n2); !info.Closed || info.StateReason != "RESOLVED" {
		t.Errorf("default reason: closed %v, reason %q, want RESOLVED", info.Closed, info.StateReason)
	}
	if len(w.writes) != 2 || w.writes[0].Action != "discussion.close" || w.writes[0].Target != "discussion "+id || w.writes[0].Summary != "outdated" {
		t.Errorf("writes = %+v", w.writes)
	}

	w.fake.ResetCalls()
	if err := w.client.CloseDiscussion(ctx, w.repo, id, "WONTFIX"); err == nil || !strings.Contains(err.Error(), "WONTFIX") {
		t.Errorf("bad reason: %v", err)
	}
	if err := w.client.CloseDiscussion(ctx, w.repo, "D_nope", gh.CloseResolved); err == nil || !strings.Contains(err.Error(), "D_nope") || !strings.Contains(err.Error(), "acme/api") {
		t.Errorf("missing discussion: %v, want an error naming it", err)
	}
	if got := w.fake.Calls()["POST /graphql"]; got != 1 {
		t.Errorf("a bad reason should be refused before sending: %d requests, want 1", got)
	}
}

func TestUpdateDiscussionOnlyWhenChanged(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, false)
	marker := gh.Marker("weekly", "2026-W48")
	created, err := w.client.CreateDiscussion(ctx, w.repo, "General", "Week 48", marker+"\nroster —")
	if err != nil {
		t.Fatal(err)
	}
	n := created.Number

	w.fake.ResetCalls()
	d := mustGet(t, w, n)
	if got, err := w.client.UpdateDiscussion(ctx, w.repo, d, "Week 48", marker+"\nroster —"); err != nil || got != gh.Unchanged {
		t.Fatalf("same title and body = %s, %v, want unchanged", got, err)
	}
	if got, err := w.client.UpdateDiscussion(ctx, w.repo, d, "", marker+"\nroster —"); err != nil || got != gh.Unchanged {
		t.Fatalf("empty title, same body = %s, %v, want unchanged", got, err)
	}
	if m := w.mutations(); m != 0 {
		t.Fatalf("unchanged made %d writes, want 0", m)
	}

	// Body only: the title is not sent.
	if got, err := w.client.UpdateDiscussion(ctx, w.repo, d, "", marker+"\nroster ✓"); err != nil || got != gh.Updated {
		t.Fatalf("new body = %s, %v", got, err)
	}
	info, _ := w.fake.Discussion("acme", "api", n)
	if info.Body != marker+"\nroster ✓" || info.Title != "Week 48" || d.Body != info.Body {
		t.Errorf("after body edit: fake %q / %q, d.Body %q", info.Title, info.Body, d.Body)
	}
	if wr := w.fake.Writes(); len(wr) != 1 || strings.Contains(string(wr[0].Body), `"title"`) {
		t.Errorf("body-only edit sent %+v", wr)
	}
	// The in-place update makes the next identical call a no-op.
	if got, _ := w.client.UpdateDiscussion(ctx, w.repo, d, "", marker+"\nroster ✓"); got != gh.Unchanged {
		t.Errorf("repeat = %s, want unchanged", got)
	}
	// Title only.
	if got, err := w.client.UpdateDiscussion(ctx, w.repo, mustGet(t, w, n), "Week 48 (closed)", marker+"\nroster ✓"); err != nil || got != gh.Updated {
		t.Fatalf("new title = %s, %v", got, err)
	}
	if info, _ := w.fake.Discussion("acme", "api", n); info.Title != "Week 48 (closed)" || info.Body != marker+"\nroster ✓" {
		t.Errorf("after title edit: %q / %q", info.Title, info.Body)
	}
	if m := w.mutations(); m != 2 {
		t.Errorf("%d writes, want 2", m)
	}
	last := w.writes[len(w.writes)-1]
	if last.Action != "discussion.update" || last.Target != fmt.Sprintf("discussion #%d", n) || last.Summary != "title: Week 48 (closed)" {
		t.Errorf("write = %+v", last)
	}

	// Someone else's discussion: GitHub refuses, the error says which.
	pn, _ := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "Alice's", Body: "b", Author: "alice"})
	if _, err := w.client.UpdateDiscussion(ctx, w.repo, mustGet(t, w, pn), "", "mine now"); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("discussion #%d", pn)) {
		t.Errorf("editing alice's discussion: %v", err)
	}
	w.fake.TakeViolations()
}

func TestDiscussionCategoriesAssignable(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, false)
	weekly := w.fake.AddDiscussionCategory("acme", "api", githubfake.DiscussionCategorySpec{Name: "Weekly updates"})
	w.fake.SetDiscussionCategoryAssignable("acme", "api", "Announcements", false)
	w.fake.AddDiscussionCategory("acme", "api", githubfake.DiscussionCategorySpec{Name: "Releases", NotAssignable: true})
	names := func(assignable bool) string {
		t.Helper()
		cats, err := w.client.DiscussionCategories(ctx, w.repo, assignable)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cats {
			out = append(out, c.Name)
			if c.Name == "Weekly updates" && (c.ID != weekly || c.Slug != "weekly-updates") {
				t.Errorf("weekly category = %+v, want id %s", c, weekly)
			}
		}
		return strings.Join(out, ",")
	}
	all, assignable := names(false), names(true)
	if !strings.Contains(all, "Announcements") || !strings.Contains(all, "Releases") || !strings.Contains(all, "Weekly updates") {
		t.Errorf("all categories = %s", all)
	}
	if strings.Contains(assignable, "Announcements") || strings.Contains(assignable, "Releases") || !strings.Contains(assignable, "Weekly updates") || !strings.Contains(assignable, "General") {
		t.Errorf("assignable categories = %s, want Announcements and Releases left out", assignable)
	}
	if _, err := gh.New(nil, gh.Options{}).DiscussionCategories(ctx, w.repo, true); !errors.Is(err, gh.ErrNoGraphQL) {
		t.Errorf("without GraphQL: %v", err)
	}
}

func TestUpsertDiscussionReply(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, false)
	n, _ := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "Week 48", Body: "b", Author: "alice"})
	parent := w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "overlap[bot]", Body: gh.Marker("weekly-remind", "thu") + "\n@bob"})
	other := w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "carol", Body: "my update"})
	marker := gh.Marker("weekly-draft", "bob")
	// Neither a top-level comment with the marker, a reply by a person with
	// it, nor the app's reply under another comment is this reply.
	w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "overlap[bot]", Body: marker + "\ntop-level"})
	w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "bob", Body: marker + "\nquoted", ReplyTo: parent})
	w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "overlap[bot]", Body: marker + "\nelsewhere", ReplyTo: other})

	replies := func() []githubfake.DiscussionCommentInfo {
		var out []githubfake.DiscussionCommentInfo
		for _, c := range w.own(t, n) {
			if c.ReplyTo == parent {
				out = append(out, c)
			}
		}
		return out
	}
	w.fake.ResetCalls()
	steps := []struct {
		body   string
		want   gh.Outcome
		writes int
	}{
		{"Shipped: #12", gh.Created, 1},
		{"Shipped: #12", gh.Unchanged, 1},
		{"Shipped: #12, #13", gh.Updated, 2},
		{"Shipped: #12, #13", gh.Unchanged, 2},
	}
	for _, s := range steps {
		got, err := w.client.UpsertDiscussionReplyIn(ctx, w.repo, mustGet(t, w, n), parent, marker, s.body)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("reply %q = %s, want %s", s.body, got, s.want)
		}
		if m := w.mutations(); m != s.writes {
			t.Errorf("after %q (%s): %d writes, want %d", s.body, got, m, s.writes)
		}
	}
	if r := replies(); len(r) != 1 || r[0].Body != marker+"\nShipped: #12, #13" {
		t.Fatalf("app replies under the parent = %+v, want one with the latest body", r)
	}
	if w.writes[0].Action != "discussion_comment.create" || w.writes[0].Target != fmt.Sprintf("discussion #%d reply to %s", n, parent) {
		t.Errorf("write = %+v", w.writes[0])
	}
	d, _ := w.fake.Discussion("acme", "api", n)
	for _, c := range d.Comments {
		if strings.HasSuffix(c.Body, "top-level") && c.ReplyTo != "" || strings.HasSuffix(c.Body, "elsewhere") && c.ReplyTo != other || strings.HasSuffix(c.Body, "quoted") && c.Author != "bob" {
			t.Errorf("a look-alike was touched: %+v", c)
		}
	}
	if len(d.Comments) != 6 {
		t.Errorf("%d comments, want 6 (5 set up and one reply)", len(d.Comments))
	}

	// Duplicates from racing deliveries collapse to one.
	w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "overlap[bot]", Body: marker + "\nrace", ReplyTo: parent})
	if got, err := w.client.UpsertDiscussionReplyIn(ctx, w.repo, mustGet(t, w, n), parent, marker, "final"); err != nil || got != gh.Updated {
		t.Fatalf("with a duplicate = %s, %v", got, err)
	}
	if r := replies(); len(r) != 1 || r[0].Body != marker+"\nfinal" {
		t.Errorf("after dedupe = %+v", r)
	}
	if _, err := w.client.UpsertDiscussionReplyIn(ctx, w.repo, mustGet(t, w, n), "", marker, "x"); err == nil {
		t.Error("a reply without a parent should fail")
	}
}

func TestDiscussionWritesDryRun(t *testing.T) {
	ctx := context.Background()
	w := newDiscWorld(t, true)
	n, id := w.fake.CreateDiscussion("acme", "api", githubfake.DiscussionSpec{Title: "t", Body: "b", Author: "alice"})
	parent := w.fake.AddDiscussionComment("acme", "api", n, githubfake.DiscussionCommentSpec{Author: "alice", Body: "update"})
	w.fake.ResetCalls()
	d := mustGet(t, w, n)
	if err := w.client.CloseDiscussion(ctx, w.repo, id, gh.CloseResolved); err != nil {
		t.Fatal(err)
	}
	if got, err := w.client.UpdateDiscussion(ctx, w.repo, d, "new title", "new body"); err != nil || got != gh.Updated {
		t.Fatalf("dry-run update = %s, %v", got, err)
	}
	if d.Title != "t" || d.Body != "b" {
		t.Errorf("dry-run changed the discussion in memory: %q / %q", d.Title, d.Body)
	}
	if got, err := w.client.UpsertDiscussionReplyIn(ctx, w.repo, d, parent, gh.Marker("test"), "hi"); err != nil || got != gh.Created {
		t.Fatalf("dry-run reply = %s, %v", got, err)
	}
	if m := w.mutations(); m != 0 {
		t.Errorf("dry-run sent %d mutations", m)
	}
	info, _ := w.fake.Discussion("acme", "api", n)
	if info.Closed || info.Title != "t" || info.Body != "b" || len(info.Comments) != 1 {
		t.Errorf("dry-run changed the discussion: %+v", info)
	}
	var actions []string
	for _, wr := range w.writes {
		if !wr.DryRun {
			t.Errorf("write %+v not marked dry-run", wr)
		}
		actions = append(actions, wr.Action)
	}
	if got := strings.Join(actions, ","); got != "discussion.close,discussion.update,discussion_comment.create" {
		t.Errorf("recorded %s", got)
	}
}
