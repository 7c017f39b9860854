package sandbox

import (
	"context"

	"github.com/overlaphq/overlap/internal/githubfake"
)

// configScene: a PR proposes a policy with two mistakes, then fixes them.
func configScene() Scene {
	return Scene{
		Name:  "configcheck",
		Title: "Overlap config — a pull request changes .github/overlap.yml",
		Play: func(ctx context.Context, s *Stage) error {
			s.AddRepo("handbook", map[string]string{
				"README.md":           "# Handbook\n",
				".github/overlap.yml": "team:\n  timezone: Europe/London\n",
			})
			s.Say("alice opens a PR that sets the team's norms, with a typo and a bad duration")
			s.Fake.Commit(Org, "handbook", "norms", githubfake.CommitSpec{Message: "Team norms", Author: "alice", Files: map[string]string{
				".github/overlap.yml": "team:\n  timezone: Europe/London\n  working_hours: \"09:00-17:30\"\nreviews:\n  first_respons: 4h\n  remind_every: 1x\n",
			}})
			n := s.Fake.OpenPR(Org, "handbook", githubfake.PRSpec{Title: "Write down our review norms", Author: "alice", Head: "norms"})
			payload, err := s.PREvent("opened", "handbook", n)
			if err != nil {
				return err
			}
			if err := s.Deliver(ctx, "pull_request", payload); err != nil {
				return err
			}
			pr, _ := s.PR("handbook", n)
			s.ShowChecks("handbook", pr.HeadSHA)

			s.Say("alice fixes both lines and pushes")
			s.Fake.Commit(Org, "handbook", "norms", githubfake.CommitSpec{Message: "Fix norms", Author: "alice", Files: map[string]string{
				".github/overlap.yml": "team:\n  timezone: Europe/London\n  working_hours: \"09:00-17:30\"\nreviews:\n  first_response: 4h\n  remind_every: 1d\n",
			}})
			if payload, err = s.PREvent("synchronize", "handbook", n); err != nil {
				return err
			}
			if err := s.Deliver(ctx, "pull_request", payload); err != nil {
				return err
			}
			pr, _ = s.PR("handbook", n)
			s.ShowChecks("handbook", pr.HeadSHA)
			return nil
		},
	}
}
