package adr

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/authz"
)

// Which skip holds for a PR is decided here, on every reconcile of a
// decision PR, from what GitHub has now (DESIGN.md principles 1 and 9):
//
//   - A skip kept in the sticky comment's sealed state is a cache. A
//     command's skip holds only while the comment listing (the one read for
//     the sticky comment anyway) still holds that comment with the very
//     body it was verified with (Skip.Digest), that body still parses to a
//     skip, and its author (and its last editor, Skip.Editor, when that is
//     someone else) may still skip this PR. A deleted, edited or replayed
//     command, or an old sealed line pasted back into the sticky comment,
//     gives nothing.
//   - A button skip (no comment) holds only for the head SHA it was pressed
//     on (Skip.Head), like GitHub's "dismiss stale approvals": a push asks
//     again; and only while the presser may still skip this PR.
//   - Otherwise the skip is derived from the `/adr skip` commands in the
//     listing, latest first: the first whose author may skip, and whose
//     last editor, if it was edited, is known and may skip too. GitHub lets
//     any writer edit anyone's comment, so an edit whose editor cannot be
//     named does not count.

// commentDigest fingerprints a comment body for the sealed state.
func commentDigest(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:16])
}

// skipJudge decides the skip of one PR within one event: az remembers each
// person's permission, the edits are read at most once.
type skipJudge struct {
	env       *handlers.Env
	az        *authz.Checker
	pr        PR
	list      []*github.IssueComment
	edits     map[int64]commentEdit
	editsRead bool
}

func newSkipJudge(ctx context.Context, env *handlers.Env, az *authz.Checker, pr PR) (*skipJudge, error) {
	list, err := env.GH.ListComments(ctx, env.Repo, pr.Number)
	if err != nil {
		return nil, err
	}
	if az == nil {
		az = authz.NewChecker(env.REST, env.Repo.Owner, env.Repo.Name)
	}
	return &skipJudge{env: env, az: az, pr: pr, list: list}, nil
}

// mayAct reports whether actor may skip the PR's check (internal/authz).
func (j *skipJudge) mayAct(ctx context.Context, a authz.Actor) (bool, error) {
	if a.Login == "" || a.IsBot() || authz.IsGhost(a.Login) {
		return false, nil
	}
	d, err := j.az.Authorize(ctx, authz.Request{Action: authz.ADRSkip, Actor: a, Author: j.pr.Author})
	return d.Allowed, err
}

func findComment(list []*github.IssueComment, id int64) *github.IssueComment {
	for _, cm := range list {
		if cm.GetID() == id {
			return cm
		}
	}
	return nil
}

// commandSkip is the skip cm's body gives as GitHub has it now (nil when it
// gives none), attributed to its author.
func commandSkip(ctx context.Context, cm *github.IssueComment) (*Skip, error) {
	u := cm.GetUser()
	if u.GetLogin() == "" || (authz.Actor{Login: u.GetLogin(), Type: u.GetType()}).IsBot() {
		return nil, nil
	}
	cmd, ok, err := ParseCommand(ctx, cm.GetBody())
	if err != nil || !ok || cmd.Name != "skip" {
		return nil, err
	}
	res := DecideCommand(cmd, u.GetLogin(), true)
	if res.Skip == nil {
		return nil, nil
	}
	res.Skip.CommentID = cm.GetID()
	res.Skip.Digest = commentDigest(cm.GetBody())
	return res.Skip, nil
}

// kept returns the kept skip if it still holds (see above), else nil.
func (j *skipJudge) kept(ctx context.Context, sk *Skip) (*Skip, error) {
	if sk == nil {
		return nil, nil
	}
	if sk.CommentID == 0 {
		if sk.Head == "" || sk.Head != j.pr.HeadSHA {
			return nil, nil
		}
		ok, err := j.mayAct(ctx, authz.Actor{Login: sk.By, Type: "User"})
		if err != nil || !ok {
			return nil, err
		}
		return sk, nil
	}
	cm := findComment(j.list, sk.CommentID)
	if cm == nil || sk.Digest == "" || commentDigest(cm.GetBody()) != sk.Digest {
		return nil, nil
	}
	now, err := commandSkip(ctx, cm)
	if err != nil || now == nil {
		return nil, err
	}
	u := cm.GetUser()
	if ok, err := j.mayAct(ctx, authz.Actor{Login: u.GetLogin(), Type: u.GetType()}); err != nil || !ok {
		return nil, err
	}
	if sk.Editor != "" && !strings.EqualFold(sk.Editor, u.GetLogin()) {
		if ok, err := j.mayAct(ctx, authz.Actor{Login: sk.Editor, Type: "User"}); err != nil || !ok {
			return nil, err
		}
		now.Editor = sk.Editor
	}
	return now, nil
}

// derived finds the skip the PR's `/adr skip <reason>` commands give (see
// above). except is a command just edited away or deleted, left out even
// if the listing still shows it. The permission lookup is spent only when
// such a command exists, once per distinct person; the editors are read
// (one GraphQL request) only for a command whose author may skip.
func (j *skipJudge) derived(ctx context.Context, except int64) (*Skip, error) {
	var cms []CommandComment
	for _, cm := range j.list {
		if cm.GetID() == except {
			continue
		}
		u := cm.GetUser()
		cms = append(cms, CommandComment{ID: cm.GetID(), Author: u.GetLogin(), Body: cm.GetBody(),
			Bot: (authz.Actor{Login: u.GetLogin(), Type: u.GetType()}).IsBot()})
	}
	cands, err := SkipCandidates(ctx, cms)
	if err != nil {
		return nil, err
	}
	for _, c := range cands {
		cm := findComment(j.list, c.CommentID)
		if cm == nil {
			continue
		}
		u := cm.GetUser()
		ok, err := j.mayAct(ctx, authz.Actor{Login: u.GetLogin(), Type: u.GetType()})
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		editor, known, err := j.editor(ctx, cm)
		if err != nil {
			return nil, err
		}
		if !known {
			continue
		}
		sk := c
		sk.Digest = commentDigest(cm.GetBody())
		if editor.Login != "" && !strings.EqualFold(editor.Login, u.GetLogin()) {
			if ok, err := j.mayAct(ctx, editor); err != nil {
				return nil, err
			} else if !ok {
				continue
			}
			sk.Editor = editor.Login
		}
		return &sk, nil
	}
	return nil, nil
}

// editor names who last edited cm: the zero Actor when it was never edited;
// known is false when it was edited by someone who cannot be named (a
// deleted account, or an edit REST's timestamps show that GraphQL did not
// name). An edit is seen by GraphQL's lastEditedAt or by updated_at later
// than created_at; updated_at may also move for other reasons, and then the
// command does not count here either: the kept skip (verified by body
// digest when the command was handled) is what normally carries it.
func (j *skipJudge) editor(ctx context.Context, cm *github.IssueComment) (editor authz.Actor, known bool, err error) {
	if !j.editsRead {
		j.editsRead = true
		if j.edits, err = commentEdits(ctx, j.env, j.pr.Number); err != nil {
			return authz.Actor{}, false, err
		}
	}
	e, ok := j.edits[cm.GetID()]
	if ok && e.Edited {
		if e.Editor == "" {
			return authz.Actor{}, false, nil
		}
		return authz.Actor{Login: e.Editor, Type: e.EditorType}, true, nil
	}
	if cm.GetUpdatedAt().After(cm.GetCreatedAt().Time) {
		return authz.Actor{}, false, nil
	}
	return authz.Actor{}, true, nil
}
