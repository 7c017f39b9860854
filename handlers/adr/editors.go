package adr

import (
	"context"
	"fmt"
	"strings"

	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/handlers"
)

// commentEdit is who last edited one PR comment, as GraphQL tells it
// (IssueComment.lastEditedAt and .editor, "the actor who edited the
// comment", the last one): REST's issue comment has no editor field, and its
// updated_at (second-granular) neither names the editor nor shows an edit
// made within the second the comment was written.
type commentEdit struct {
	Edited     bool   // lastEditedAt is set
	Editor     string // "" when the editor's account is gone
	EditorType string // "User", "Bot", …
}

// gqlCommentEdits reads the edits of a PR's last 100 comments. It is a
// separate, small request on purpose: the per-event PR snapshot
// (handlers/snapshot.go) reads the same comments, and once it carries
// lastEditedAt and editor this request can be served from it.
type gqlCommentEdits struct {
	Repository struct {
		PullRequest *struct {
			Comments struct {
				Nodes []struct {
					DatabaseID   int64
					LastEditedAt *githubv4.DateTime
					Editor       *struct {
						Typename string `graphql:"__typename"`
						Login    string
					}
				}
			} `graphql:"comments(last: 100)"`
		} `graphql:"pullRequest(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// commentEdits returns the edits of PR number's last 100 comments by
// database id (one GraphQL request); nil without a GraphQL client, and a
// comment older than those is missing from the map: the caller then goes
// by REST's timestamps alone.
func commentEdits(ctx context.Context, env *handlers.Env, number int) (map[int64]commentEdit, error) {
	if env.GraphQL == nil {
		return nil, nil
	}
	var q gqlCommentEdits
	vars := map[string]any{
		"owner":  githubv4.String(env.Repo.Owner),
		"name":   githubv4.String(env.Repo.Name),
		"number": githubv4.Int(int32(number)),
	}
	if err := env.GraphQL.Query(ctx, &q, vars); err != nil {
		return nil, fmt.Errorf("adr: read comment editors of %s#%d: %w", env.Repo.FullName(), number, err)
	}
	out := map[int64]commentEdit{}
	if q.Repository.PullRequest == nil {
		return out, nil
	}
	for _, n := range q.Repository.PullRequest.Comments.Nodes {
		e := commentEdit{Edited: n.LastEditedAt != nil}
		if n.Editor != nil {
			e.Editor, e.EditorType = n.Editor.Login, n.Editor.Typename
			if e.EditorType == "Bot" && !strings.HasSuffix(e.Editor, "[bot]") {
				e.Editor += "[bot]"
			}
		}
		out[n.DatabaseID] = e
	}
	return out, nil
}
