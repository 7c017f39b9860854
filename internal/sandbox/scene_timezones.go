package sandbox

import (
	"context"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// timezonesScene: "we ship Friday EOD" in a team spread over London, New
// York and Singapore, then a reply that adds "a call at 3pm".
func timezonesScene() Scene {
	const repo = "launch"
	return Scene{
		Name:  "timezones",
		Title: "Timezone hygiene — “we ship Friday EOD” in a London / New York / Singapore team",
		Play: func(ctx context.Context, s *Stage) error {
			s.AddRepo(repo, map[string]string{
				"README.md": "# Launch\n",
				".github/overlap.yml": "team:\n  timezone: Europe/London\n  working_hours: \"09:00-17:30\"\n  people:\n" +
					"    alice: {timezone: America/New_York, working_hours: \"08:00-16:00\"}\n" +
					"    bob:   {timezone: Asia/Singapore}\n" +
					"    carol: {timezone: Europe/London}\n",
			})
			s.Say("carol (London) opens a PR: “Launch page copy. We ship Friday EOD.”")
			s.Fake.Commit(Org, repo, "copy", githubfake.CommitSpec{Message: "Launch copy", Author: "carol", Files: map[string]string{"index.md": "# Launch\n"}})
			n := s.Fake.OpenPR(Org, repo, githubfake.PRSpec{Title: "Launch page copy", Body: "Launch page copy. We ship Friday EOD.", Author: "carol", Head: "copy"})
			info, _ := s.Fake.PR(Org, repo, n)
			created := webhook.Set("pull_request.created_at", info.CreatedAt.UTC().Format(time.RFC3339))
			payload, err := s.PREvent("opened", repo, n, created)
			if err != nil {
				return err
			}
			if err := s.Deliver(ctx, "pull_request", payload); err != nil {
				return err
			}
			s.ShowComments(repo, n)

			s.Say("alice (New York) replies: “Can we do a call at 3pm before that?” — Overlap edits its comment in place")
			id := s.Fake.AddComment(Org, repo, n, "alice", "Can we do a call at 3pm before that?")
			b, err := s.Builder(repo, "alice")
			if err != nil {
				return err
			}
			payload, err = b.IssueComment("created", n, true, info.Title, info.Body, "Can we do a call at 3pm before that?", "alice", id,
				webhook.Set("issue.created_at", info.CreatedAt.UTC().Format(time.RFC3339)), webhook.Set("issue.user.login", "carol"))
			if err != nil {
				return err
			}
			if err := s.Deliver(ctx, "issue_comment", payload); err != nil {
				return err
			}
			s.ShowComments(repo, n)
			return nil
		},
	}
}
