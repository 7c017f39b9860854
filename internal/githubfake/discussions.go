package githubfake

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake/gqlexec"
)

// GitHub Discussions exist only in the GraphQL API. This file holds the
// discussion model, its setup and inspection calls, the Repository fields
// (discussion, discussions(categoryId, states, orderBy),
// discussionCategories(filterByAssignable), discussionCategory) and the
// mutations (createDiscussion, updateDiscussion, closeDiscussion,
// reopenDiscussion, addDiscussionComment with replyToId,
// updateDiscussionComment, deleteDiscussionComment). Discussions share the
// issue number space of their repository, as on GitHub. Categories cannot
// be created through the API; tests make them with AddDiscussionCategory
// and mark maintainer-only ones with NotAssignable. The app edits, closes
// and deletes only what it wrote itself, except closeDiscussion. search.go
// holds the root search field; discussions_hooks.go turns a
// DiscussionInfo into webhook builder input.

// repoDiscussions is one repository's discussions and categories.
type repoDiscussions struct {
	categories []*discCategory
	byNumber   map[int]*discussion
}

type discCategory struct {
	id         int64
	name, slug string
	emoji      string
	answerable bool
	// notAssignable: the app cannot post here (announcement-style
	// categories only maintainers may post in); filterByAssignable hides it.
	notAssignable bool
	created       time.Time
}

type discussion struct {
	id         int64
	number     int
	title      string
	body       string
	author     *user
	category   *discCategory
	created    time.Time
	updated    time.Time
	lastEdited time.Time
	closedAt   time.Time // zero while open
	// stateReason is DUPLICATE, OUTDATED or RESOLVED once closed, REOPENED
	// after a reopen, "" otherwise (DiscussionStateReason).
	stateReason string
	comments    []*discComment // every comment and reply, oldest first
}

type discComment struct {
	id         int64
	disc       *discussion
	replyTo    *discComment
	body       string
	author     *user
	created    time.Time
	updated    time.Time
	lastEdited time.Time
}

// defaultCategories are the categories GitHub creates when discussions are
// enabled.
var defaultCategories = []struct {
	name, emoji string
	answerable  bool
}{
	{"Announcements", ":mega:", false},
	{"General", ":speech_balloon:", false},
	{"Ideas", ":bulb:", false},
	{"Polls", ":ballot_box:", false},
	{"Q&A", ":pray:", true},
	{"Show and tell", ":raised_hands:", false},
}

// DiscussionSpec describes a discussion made by CreateDiscussion.
type DiscussionSpec struct {
	Title, Body string
	Author      string    // default "octocat"
	Category    string    // category name; default "General"
	CreatedAt   time.Time // default Options.Now()
}

// DiscussionCommentSpec describes a comment made by AddDiscussionComment.
type DiscussionCommentSpec struct {
	Author    string // default "octocat"
	Body      string
	ReplyTo   string    // node ID of a top-level comment to reply to; "" for a top-level comment
	CreatedAt time.Time // default Options.Now()
}

// DiscussionInfo is a read-only view of a discussion.
type DiscussionInfo struct {
	Number       int
	DatabaseID   int64 // "id" in webhook payloads
	NodeID       string
	Title, Body  string
	Author       string
	Category     string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Comments     []DiscussionCommentInfo // comments and replies, oldest first
	LastEditedAt time.Time
	Closed       bool
	ClosedAt     time.Time
	StateReason  string // DUPLICATE, OUTDATED, RESOLVED, REOPENED or ""
}

// DiscussionCommentInfo is a read-only view of a discussion comment.
type DiscussionCommentInfo struct {
	DatabaseID   int64 // "id" in webhook payloads
	NodeID       string
	Author, Body string
	ReplyTo      string // node ID of the parent comment, "" for a top-level one
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// discussionsOf returns the repository's discussions, creating the default
// categories on first use. Callers hold s.mu.
func (s *Server) discussionsOf(rp *repo) *repoDiscussions {
	if s.discussions == nil {
		s.discussions = map[*repo]*repoDiscussions{}
	}
	d := s.discussions[rp]
	if d == nil {
		d = &repoDiscussions{byNumber: map[int]*discussion{}}
		for _, c := range defaultCategories {
			d.categories = append(d.categories, &discCategory{
				id: s.newID(), name: c.name, emoji: c.emoji, answerable: c.answerable,
				slug: categorySlug(c.name), created: rp.created,
			})
		}
		s.discussions[rp] = d
	}
	return d
}

func categorySlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// CreateDiscussion opens a discussion (as a person would in the UI) and
// returns its number and node ID. The repository must have discussions
// enabled (RepoOptions.HasDiscussions).
func (s *Server) CreateDiscussion(owner, name string, spec DiscussionSpec) (number int, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("CreateDiscussion", owner, name)
	if rp == nil {
		return 0, ""
	}
	if !rp.hasDiscussions {
		s.violate("setup: CreateDiscussion(%s): the repository does not have discussions enabled", rp.fullName())
		return 0, ""
	}
	cat := s.categoryByName(rp, defaultStr(spec.Category, "General"))
	if cat == nil {
		s.violate("setup: CreateDiscussion(%s): no discussion category %q", rp.fullName(), spec.Category)
		return 0, ""
	}
	if strings.TrimSpace(spec.Title) == "" {
		s.violate("setup: CreateDiscussion(%s): a discussion needs a title", rp.fullName())
		return 0, ""
	}
	at := spec.CreatedAt
	if at.IsZero() {
		at = s.opts.Now()
	}
	d := s.newDiscussionLocked(rp, cat, spec.Title, spec.Body, s.userByLogin(defaultStr(spec.Author, "octocat")), at)
	return d.number, nodeID("D", d.id)
}

func (s *Server) categoryByName(rp *repo, name string) *discCategory {
	for _, c := range s.discussionsOf(rp).categories {
		if strings.EqualFold(c.name, name) || strings.EqualFold(c.slug, name) {
			return c
		}
	}
	return nil
}

func (s *Server) newDiscussionLocked(rp *repo, cat *discCategory, title, body string, u *user, at time.Time) *discussion {
	number := rp.nextNumber
	rp.nextNumber++
	d := &discussion{id: s.newID(), number: number, title: title, body: body, author: u, category: cat, created: at, updated: at}
	s.discussionsOf(rp).byNumber[number] = d
	return d
}

// AddDiscussionComment comments on discussion number as spec.Author (or
// replies to a top-level comment) and returns the comment's node ID.
func (s *Server) AddDiscussionComment(owner, name string, number int, spec DiscussionCommentSpec) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("AddDiscussionComment", owner, name)
	if rp == nil {
		return ""
	}
	d := s.discussionsOf(rp).byNumber[number]
	if d == nil {
		s.violate("setup: AddDiscussionComment: %s has no discussion #%d", rp.fullName(), number)
		return ""
	}
	var parent *discComment
	if spec.ReplyTo != "" {
		parent = d.comment(spec.ReplyTo)
		if parent == nil || parent.replyTo != nil {
			s.violate("setup: AddDiscussionComment: %q is not a top-level comment of %s discussion #%d", spec.ReplyTo, rp.fullName(), number)
			return ""
		}
	}
	at := spec.CreatedAt
	if at.IsZero() {
		at = s.opts.Now()
	}
	cm := s.addDiscCommentLocked(d, parent, s.userByLogin(defaultStr(spec.Author, "octocat")), spec.Body, at)
	return nodeID("DC", cm.id)
}

func (s *Server) addDiscCommentLocked(d *discussion, parent *discComment, u *user, body string, at time.Time) *discComment {
	cm := &discComment{id: s.newID(), disc: d, replyTo: parent, body: body, author: u, created: at, updated: at}
	d.comments = append(d.comments, cm)
	if at.After(d.updated) {
		d.updated = at
	}
	return cm
}

// EditDiscussion changes a discussion's body (as its author would).
func (s *Server) EditDiscussion(owner, name string, number int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("EditDiscussion", owner, name)
	if rp == nil {
		return
	}
	d := s.discussionsOf(rp).byNumber[number]
	if d == nil {
		s.violate("setup: EditDiscussion: %s has no discussion #%d", rp.fullName(), number)
		return
	}
	now := s.opts.Now()
	d.body, d.updated, d.lastEdited = body, now, now
}

// EditDiscussionComment changes a discussion comment's body (as its author
// would).
func (s *Server) EditDiscussionComment(owner, name, commentID, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("EditDiscussionComment", owner, name)
	if rp == nil {
		return
	}
	_, cm := s.findDiscComment(rp, commentID)
	if cm == nil {
		s.violate("setup: EditDiscussionComment: %s has no discussion comment %q", rp.fullName(), commentID)
		return
	}
	now := s.opts.Now()
	cm.body, cm.updated, cm.lastEdited = body, now, now
}

// Discussion returns a read-only view of discussion number.
func (s *Server) Discussion(owner, name string, number int) (DiscussionInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.repos[repoKey(owner, name)]
	if rp == nil {
		return DiscussionInfo{}, false
	}
	d := s.discussionsOf(rp).byNumber[number]
	if d == nil {
		return DiscussionInfo{}, false
	}
	info := DiscussionInfo{Number: d.number, DatabaseID: d.id, NodeID: nodeID("D", d.id), Title: d.title, Body: d.body, Author: d.author.login,
		Category: d.category.name, CreatedAt: d.created, UpdatedAt: d.updated, LastEditedAt: d.lastEdited,
		Closed: !d.closedAt.IsZero(), ClosedAt: d.closedAt, StateReason: d.stateReason}
	for _, cm := range d.comments {
		ci := DiscussionCommentInfo{DatabaseID: cm.id, NodeID: nodeID("DC", cm.id), Author: cm.author.login, Body: cm.body, CreatedAt: cm.created, UpdatedAt: cm.updated}
		if cm.replyTo != nil {
			ci.ReplyTo = nodeID("DC", cm.replyTo.id)
		}
		info.Comments = append(info.Comments, ci)
	}
	return info, true
}

func (d *discussion) comment(id string) *discComment {
	for _, cm := range d.comments {
		if nodeID("DC", cm.id) == id {
			return cm
		}
	}
	return nil
}

func (d *discussion) topLevel() []*discComment {
	var out []*discComment
	for _, cm := range d.comments {
		if cm.replyTo == nil {
			out = append(out, cm)
		}
	}
	return out
}

func (d *discussion) replies(parent *discComment) []*discComment {
	var out []*discComment
	for _, cm := range d.comments {
		if cm.replyTo == parent {
			out = append(out, cm)
		}
	}
	return out
}

// findDiscComment finds a comment of rp's discussions by node ID.
func (s *Server) findDiscComment(rp *repo, id string) (*discussion, *discComment) {
	for _, d := range s.discussionsOf(rp).byNumber {
		if cm := d.comment(id); cm != nil {
			return d, cm
		}
	}
	return nil, nil
}

// Repository fields.

// withDiscussions adds the discussion fields to a Repository object.
func (s *Server) withDiscussions(rp *repo, obj map[string]any) map[string]any {
	obj["discussion"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		n, _ := intArg(a["number"])
		d := s.discussionsOf(rp).byNumber[n]
		if d == nil || !rp.hasDiscussions {
			return nil, fmt.Errorf("%sa Discussion with the number of %d.", notFoundPrefix, n)
		}
		return s.gqlDiscussion(rp, d), nil
	})
	obj["discussions"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		var list []*discussion
		if rp.hasDiscussions {
			for _, d := range s.discussionsOf(rp).byNumber {
				if cat := str(a["categoryId"]); cat != "" && nodeID("DIC", d.category.id) != cat {
					continue
				}
				if states := enumList(a["states"]); len(states) > 0 && !contains(states, discState(d)) {
					continue
				}
				if ans, ok := a["answered"].(bool); ok && ans {
					continue // the emulator has no answers yet
				}
				list = append(list, d)
			}
		}
		field, dir := "UPDATED_AT", "DESC" // GitHub's default order
		if ob, ok := a["orderBy"].(map[string]any); ok {
			field, dir = str(ob["field"]), str(ob["direction"])
		}
		key := func(d *discussion) time.Time { return d.updated }
		if field == "CREATED_AT" {
			key = func(d *discussion) time.Time { return d.created }
		}
		sort.SliceStable(list, func(i, j int) bool {
			ki, kj := key(list[i]), key(list[j])
			if ki.Equal(kj) {
				return list[i].number < list[j].number
			}
			if dir == "DESC" {
				return ki.After(kj)
			}
			return ki.Before(kj)
		})
		items := make([]any, len(list))
		for i, d := range list {
			items[i] = s.gqlDiscussion(rp, d)
		}
		return gqlConnection(a, items, len(items))
	})
	obj["discussionCategories"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		var items []any
		if rp.hasDiscussions {
			assignable, _ := a["filterByAssignable"].(bool)
			for _, c := range s.discussionsOf(rp).categories {
				if assignable && c.notAssignable {
					continue
				}
				items = append(items, s.gqlCategory(rp, c))
			}
		}
		return gqlConnection(a, items, len(items))
	})
	obj["discussionCategory"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		for _, c := range s.discussionsOf(rp).categories {
			if rp.hasDiscussions && c.slug == str(a["slug"]) {
				return s.gqlCategory(rp, c), nil
			}
		}
		return nil, nil
	})
	return obj
}

func (s *Server) gqlCategory(rp *repo, c *discCategory) map[string]any {
	return map[string]any{
		"__typename": "DiscussionCategory", "id": nodeID("DIC", c.id), "name": c.name, "slug": c.slug,
		"emoji": c.emoji, "emojiHTML": c.emoji, "isAnswerable": c.answerable, "description": nil,
		"createdAt": c.created, "updatedAt": c.created,
		"repository": map[string]any{"nameWithOwner": rp.fullName(), "name": rp.name, "id": nodeID("R", rp.id)},
	}
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func (s *Server) gqlDiscussion(rp *repo, d *discussion) map[string]any {
	url := "https://github.com/" + rp.fullName() + "/discussions/" + strconv.Itoa(d.number)
	return map[string]any{
		"__typename": "Discussion", "id": nodeID("D", d.id), "databaseId": d.id, "number": d.number,
		"title": d.title, "body": d.body, "bodyText": d.body, "author": s.gqlActor(d.author),
		"authorAssociation": s.association(rp, d.author),
		"createdAt":         d.created, "updatedAt": d.updated, "publishedAt": d.created, "lastEditedAt": timeOrNil(d.lastEdited),
		"url": url, "resourcePath": strings.TrimPrefix(url, "https://github.com"),
		"closed": !d.closedAt.IsZero(), "closedAt": timeOrNil(d.closedAt), "stateReason": nilIfEmpty(d.stateReason), "locked": false, "upvoteCount": 0, "createdViaEmail": false,
		"includesCreatedEdit": !d.lastEdited.IsZero(),
		"category":            s.gqlCategory(rp, d.category),
		"repository":          map[string]any{"nameWithOwner": rp.fullName(), "name": rp.name, "id": nodeID("R", rp.id)},
		"comments": gqlexec.Lazy(func(a map[string]any) (any, error) {
			top := d.topLevel()
			items := make([]any, len(top))
			for i, cm := range top {
				items[i] = s.gqlDiscComment(rp, cm)
			}
			return gqlConnection(a, items, len(items))
		}),
	}
}

func (s *Server) gqlDiscComment(rp *repo, cm *discComment) map[string]any {
	var replyTo any
	if cm.replyTo != nil {
		replyTo = s.gqlDiscComment(rp, cm.replyTo)
	}
	return map[string]any{
		"__typename": "DiscussionComment", "id": nodeID("DC", cm.id), "databaseId": cm.id,
		"body": cm.body, "bodyText": cm.body, "author": s.gqlActor(cm.author),
		"authorAssociation": s.association(rp, cm.author),
		"createdAt":         cm.created, "updatedAt": cm.updated, "publishedAt": cm.created, "lastEditedAt": timeOrNil(cm.lastEdited),
		"url":         "https://github.com/" + rp.fullName() + "/discussions/" + strconv.Itoa(cm.disc.number) + "#discussioncomment-" + strconv.FormatInt(cm.id, 10),
		"isMinimized": false, "minimizedReason": nil, "deletedAt": nil, "isAnswer": false, "upvoteCount": 0,
		"createdViaEmail": false, "includesCreatedEdit": !cm.lastEdited.IsZero(),
		"replyTo": replyTo,
		"replies": gqlexec.Lazy(func(a map[string]any) (any, error) {
			rs := cm.disc.replies(cm)
			items := make([]any, len(rs))
			for i, r := range rs {
				items[i] = s.gqlDiscComment(rp, r)
			}
			return gqlConnection(a, items, len(items))
		}),
		"discussion": gqlexec.Lazy(func(map[string]any) (any, error) { return s.gqlDiscussion(rp, cm.disc), nil }),
	}
}

// Mutations.

// gqlMutations is the Mutation root. Each area of the emulator adds its
// mutations through a function like discussionMutations.
func (s *Server) gqlMutations(c *call) map[string]any {
	m := map[string]any{}
	s.discussionMutations(c, m)
	s.discussionLifecycleMutations(c, m)
	return m
}

// maxDiscussionBody is GitHub's limit on a discussion or comment body.
const maxDiscussionBody = 65536

func checkBody(body string) error {
	if strings.TrimSpace(body) == "" {
		return fmt.Errorf("Body can't be blank")
	}
	if len([]rune(body)) > maxDiscussionBody {
		return fmt.Errorf("Body is too long (maximum is %d characters)", maxDiscussionBody)
	}
	return nil
}

// discussionRepoFor finds the visible repository holding discussion node ID
// id (or, with comment, holding the comment id).
func (s *Server) discussionByID(c *call, id string) (*repo, *discussion) {
	for rp, ds := range s.discussions {
		if rp.inst != c.inst.id {
			continue
		}
		for _, d := range ds.byNumber {
			if nodeID("D", d.id) == id {
				return rp, d
			}
		}
	}
	return nil, nil
}

func (s *Server) discCommentByID(c *call, id string) (*repo, *discComment) {
	for rp := range s.discussions {
		if rp.inst != c.inst.id {
			continue
		}
		if _, cm := s.findDiscComment(rp, id); cm != nil {
			return rp, cm
		}
	}
	return nil, nil
}

func (s *Server) discussionMutations(c *call, m map[string]any) {
	bot := func() *user { return s.userLocked(s.botLogin(), "Bot") }
	m["createDiscussion"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		var rp *repo
		for _, r := range s.repos {
			if nodeID("R", r.id) == str(in["repositoryId"]) && r.inst == c.inst.id {
				rp = r
			}
		}
		if rp == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["repositoryId"]))
		}
		if !rp.hasDiscussions {
			return nil, fmt.Errorf("Discussions are disabled for %s.", rp.fullName())
		}
		var cat *discCategory
		for _, x := range s.discussionsOf(rp).categories {
			if nodeID("DIC", x.id) == str(in["categoryId"]) {
				cat = x
			}
		}
		if cat == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["categoryId"]))
		}
		if cat.notAssignable {
			return nil, fmt.Errorf("Resource not accessible by integration: %s cannot post in the category %q", s.botLogin(), cat.name)
		}
		if strings.TrimSpace(str(in["title"])) == "" {
			return nil, fmt.Errorf("Title can't be blank")
		}
		if err := checkBody(str(in["body"])); err != nil {
			return nil, err
		}
		d := s.newDiscussionLocked(rp, cat, str(in["title"]), str(in["body"]), bot(), s.opts.Now())
		return map[string]any{"clientMutationId": in["clientMutationId"], "discussion": s.gqlDiscussion(rp, d)}, nil
	})
	m["addDiscussionComment"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		rp, d := s.discussionByID(c, str(in["discussionId"]))
		if d == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["discussionId"]))
		}
		var parent *discComment
		if id := str(in["replyToId"]); id != "" {
			parent = d.comment(id)
			if parent == nil {
				return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, id)
			}
			if parent.replyTo != nil {
				return nil, fmt.Errorf("Parent comment is already in a thread, cannot reply to it")
			}
		}
		if err := checkBody(str(in["body"])); err != nil {
			return nil, err
		}
		cm := s.addDiscCommentLocked(d, parent, bot(), str(in["body"]), s.opts.Now())
		return map[string]any{"clientMutationId": in["clientMutationId"], "comment": s.gqlDiscComment(rp, cm)}, nil
	})
	m["updateDiscussionComment"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		rp, cm := s.discCommentByID(c, str(in["commentId"]))
		if cm == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["commentId"]))
		}
		if cm.author != bot() {
			return nil, fmt.Errorf("Resource not accessible by integration: %s may only edit its own comments", s.botLogin())
		}
		if err := checkBody(str(in["body"])); err != nil {
			return nil, err
		}
		now := s.opts.Now()
		cm.body, cm.updated, cm.lastEdited = str(in["body"]), now, now
		return map[string]any{"clientMutationId": in["clientMutationId"], "comment": s.gqlDiscComment(rp, cm)}, nil
	})
	m["deleteDiscussionComment"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		rp, cm := s.discCommentByID(c, str(in["id"]))
		if cm == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["id"]))
		}
		if cm.author != bot() {
			return nil, fmt.Errorf("Resource not accessible by integration: %s may only delete its own comments", s.botLogin())
		}
		out := s.gqlDiscComment(rp, cm)
		d := cm.disc
		kept := d.comments[:0]
		for _, x := range d.comments {
			if x != cm && x.replyTo != cm {
				kept = append(kept, x)
			}
		}
		d.comments = kept
		return map[string]any{"clientMutationId": in["clientMutationId"], "comment": out}, nil
	})
}

func discState(d *discussion) string {
	if d.closedAt.IsZero() {
		return "OPEN"
	}
	return "CLOSED"
}

// DiscussionCategorySpec describes a category made by AddDiscussionCategory.
type DiscussionCategorySpec struct {
	Name, Emoji string
	Answerable  bool
	// NotAssignable marks a category the app cannot post in (an
	// announcement-style category only maintainers may post in):
	// discussionCategories(filterByAssignable: true) leaves it out and
	// createDiscussion there fails.
	NotAssignable bool
}

// AddDiscussionCategory creates a category (as a maintainer would in the
// UI; the API cannot) and returns its node ID. GitHub allows 25 per
// repository.
func (s *Server) AddDiscussionCategory(owner, name string, spec DiscussionCategorySpec) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("AddDiscussionCategory", owner, name)
	if rp == nil {
		return ""
	}
	ds := s.discussionsOf(rp)
	if strings.TrimSpace(spec.Name) == "" || s.categoryByName(rp, spec.Name) != nil || len(ds.categories) >= 25 {
		s.violate("setup: AddDiscussionCategory(%s, %q): blank, already there, or the repository has 25 categories", rp.fullName(), spec.Name)
		return ""
	}
	c := &discCategory{id: s.newID(), name: spec.Name, slug: categorySlug(spec.Name), emoji: defaultStr(spec.Emoji, ":speech_balloon:"),
		answerable: spec.Answerable, notAssignable: spec.NotAssignable, created: s.opts.Now()}
	ds.categories = append(ds.categories, c)
	return nodeID("DIC", c.id)
}

// SetDiscussionCategoryAssignable says whether the app may post in a
// category (false: announcement-style, maintainers only).
func (s *Server) SetDiscussionCategoryAssignable(owner, name, category string, assignable bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("SetDiscussionCategoryAssignable", owner, name)
	if rp == nil {
		return
	}
	c := s.categoryByName(rp, category)
	if c == nil {
		s.violate("setup: SetDiscussionCategoryAssignable(%s): no discussion category %q", rp.fullName(), category)
		return
	}
	c.notAssignable = !assignable
}

// RemoveDiscussionCategory deletes an empty category (GitHub moves the
// discussions of a deleted category elsewhere; the emulator refuses).
func (s *Server) RemoveDiscussionCategory(owner, name, category string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("RemoveDiscussionCategory", owner, name)
	if rp == nil {
		return
	}
	ds := s.discussionsOf(rp)
	c := s.categoryByName(rp, category)
	if c == nil {
		s.violate("setup: RemoveDiscussionCategory(%s): no discussion category %q", rp.fullName(), category)
		return
	}
	for _, d := range ds.byNumber {
		if d.category == c {
			s.violate("setup: RemoveDiscussionCategory(%s): %q still holds discussion #%d", rp.fullName(), category, d.number)
			return
		}
	}
	kept := ds.categories[:0]
	for _, x := range ds.categories {
		if x != c {
			kept = append(kept, x)
		}
	}
	ds.categories = kept
}

// CloseDiscussion closes a discussion as a maintainer would (reason
// RESOLVED, OUTDATED or DUPLICATE; "" is RESOLVED).
func (s *Server) CloseDiscussion(owner, name string, number int, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rp := s.setupRepo("CloseDiscussion", owner, name)
	if rp == nil {
		return
	}
	d := s.discussionsOf(rp).byNumber[number]
	if d == nil {
		s.violate("setup: CloseDiscussion: %s has no discussion #%d", rp.fullName(), number)
		return
	}
	if err := closeDisc(d, reason, s.opts.Now()); err != nil {
		s.violate("setup: CloseDiscussion: %v", err)
	}
}

func closeDisc(d *discussion, reason string, now time.Time) error {
	reason = defaultStr(reason, "RESOLVED")
	switch reason {
	case "RESOLVED", "OUTDATED", "DUPLICATE":
	default:
		return fmt.Errorf("Argument 'reason' on InputObject 'CloseDiscussionInput' has an invalid value (%s). Expected type 'DiscussionCloseReason'.", reason)
	}
	if d.closedAt.IsZero() {
		d.closedAt = now
		d.updated = now
	}
	d.stateReason = reason
	return nil
}

func (s *Server) categoryByID(rp *repo, id string) *discCategory {
	for _, x := range s.discussionsOf(rp).categories {
		if nodeID("DIC", x.id) == id {
			return x
		}
	}
	return nil
}

// discussionLifecycleMutations adds updateDiscussion, closeDiscussion and
// reopenDiscussion.
func (s *Server) discussionLifecycleMutations(c *call, m map[string]any) {
	bot := func() *user { return s.userLocked(s.botLogin(), "Bot") }
	m["updateDiscussion"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		rp, d := s.discussionByID(c, str(in["discussionId"]))
		if d == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["discussionId"]))
		}
		if d.author != bot() {
			return nil, fmt.Errorf("Resource not accessible by integration: %s may only edit its own discussions", s.botLogin())
		}
		var cat *discCategory
		if id, ok := in["categoryId"].(string); ok {
			if cat = s.categoryByID(rp, id); cat == nil {
				return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, id)
			}
			if cat.notAssignable {
				return nil, fmt.Errorf("Resource not accessible by integration: %s cannot post in the category %q", s.botLogin(), cat.name)
			}
		}
		title, hasTitle := in["title"].(string)
		if hasTitle && strings.TrimSpace(title) == "" {
			return nil, fmt.Errorf("Title can't be blank")
		}
		body, hasBody := in["body"].(string)
		if hasBody {
			if err := checkBody(body); err != nil {
				return nil, err
			}
		}
		now := s.opts.Now()
		if hasTitle {
			d.title = title
		}
		if hasBody {
			d.body = body
			d.lastEdited = now
		}
		if cat != nil {
			d.category = cat
		}
		d.updated = now
		return map[string]any{"clientMutationId": in["clientMutationId"], "discussion": s.gqlDiscussion(rp, d)}, nil
	})
	m["closeDiscussion"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		rp, d := s.discussionByID(c, str(in["discussionId"]))
		if d == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["discussionId"]))
		}
		if err := closeDisc(d, str(in["reason"]), s.opts.Now()); err != nil {
			return nil, err
		}
		return map[string]any{"clientMutationId": in["clientMutationId"], "discussion": s.gqlDiscussion(rp, d)}, nil
	})
	m["reopenDiscussion"] = gqlexec.Lazy(func(a map[string]any) (any, error) {
		in, _ := a["input"].(map[string]any)
		rp, d := s.discussionByID(c, str(in["discussionId"]))
		if d == nil {
			return nil, fmt.Errorf("%snode with global id of '%s'.", notFoundPrefix, str(in["discussionId"]))
		}
		if !d.closedAt.IsZero() {
			d.closedAt, d.stateReason, d.updated = time.Time{}, "REOPENED", s.opts.Now()
		}
		return map[string]any{"clientMutationId": in["clientMutationId"], "discussion": s.gqlDiscussion(rp, d)}, nil
	})
}
