package adr

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
)

// editor names the last editor from GraphQL's lastEditedAt/editor, which
// catches an edit made within the second the comment was written (REST's
// timestamps cannot); an edit without a named editor, or one only REST's
// timestamps show, is unknown and does not count.
func TestSkipJudgeEditor(t *testing.T) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	cm := func(id int64, updated time.Duration) *github.IssueComment {
		return &github.IssueComment{ID: github.Int64(id), User: &github.User{Login: github.String("mia"), Type: github.String("User")},
			CreatedAt: &github.Timestamp{Time: at}, UpdatedAt: &github.Timestamp{Time: at.Add(updated)}}
	}
	j := &skipJudge{editsRead: true, edits: map[int64]commentEdit{
		1: {Edited: true, Editor: "carol", EditorType: "User"}, // same second as created
		2: {Edited: true},                                      // editor's account gone
		3: {},                                                  // never edited
		4: {},                                                  // GraphQL: unedited; REST: updated later
	}}
	for _, tc := range []struct {
		c     *github.IssueComment
		login string
		known bool
	}{
		{cm(1, 0), "carol", true},
		{cm(2, time.Minute), "", false},
		{cm(3, 0), "", true},
		{cm(4, time.Minute), "", false},
		{cm(5, 0), "", true},            // older than the last 100: timestamps only
		{cm(6, time.Minute), "", false}, // ditto, edited
	} {
		a, known, err := j.editor(context.Background(), tc.c)
		if err != nil || a.Login != tc.login || known != tc.known {
			t.Errorf("comment %d: got %q known=%v err=%v, want %q known=%v", tc.c.GetID(), a.Login, known, err, tc.login, tc.known)
		}
	}
}

// A kept skip's digest binds it to the body it was verified with.
func TestCommentDigestDiffers(t *testing.T) {
	if commentDigest("/adr skip a") == commentDigest("/adr skip b") || len(commentDigest("")) != 32 {
		t.Error("digest")
	}
}
