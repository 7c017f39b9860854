package sandbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake"
)

// docsScene: a PR changes code that a stale runbook describes and is
// reminded; then the weekly sweep opens the tracking issue for the person
// on documentation duty.
func docsScene() Scene {
	return Scene{
		Name:  "docs",
		Title: "Docs freshness — a stale runbook on a PR, then the weekly tracking issue",
		Play: func(ctx context.Context, s *Stage) error {
			const repo = "platform"
			start := s.Clock.Now()
			defer s.Clock.Set(start) // later scenes keep their time
			ago := func(days int) time.Time { return start.AddDate(0, 0, -days) }
			s.Fake.AddRepo(s.Installation, Org, repo, githubfake.RepoOptions{})
			for _, who := range []string{"alice", "bob"} { // the duty rotation: only collaborators can be assigned
				s.Fake.SetPermission(Org, repo, who, "write")
			}
			s.Fake.Commit(Org, repo, "main", githubfake.CommitSpec{Message: "Start", Author: "alice", Date: ago(200), Files: map[string]string{
				".github/overlap.yml": "team:\n  timezone: Europe/London\ndocs:\n  sets:\n    runbooks: {paths: [\"docs/runbooks/**/*.md\"], max_age: 90d}\n" +
					"    onboarding: {paths: [\"ONBOARDING.md\"], max_age: 180d}\n  duty:\n    rotation: [alice, bob]\n    starts: 2026-01-05\n    every: 1w\n",
				"services/payments/charge.go": "package payments\n",
				"db/schema.sql":               "-- schema\n",
				"docs/runbooks/database.md":   "---\nowner: alice\ncovers: [\"db/**\"]\n---\n# Database failover\n\nSee [the payments runbook](payments.md) and [backups](backups.md).\n",
			}})
			s.Fake.Commit(Org, repo, "main", githubfake.CommitSpec{Message: "Payments runbook", Author: "carol", Date: ago(100), Files: map[string]string{
				"docs/runbooks/payments.md": "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments outage\n\nRestart the charge worker.\n",
			}})
			s.Fake.Commit(Org, repo, "main", githubfake.CommitSpec{Message: "Auth runbook", Author: "alice", Date: ago(5), Files: map[string]string{
				"docs/runbooks/auth.md": "# Auth outage\n",
			}})
			s.Say("the platform repo keeps three runbooks: database (200 days old), payments (100 days), auth (5 days); limit 90 days")

			s.Say("bob opens a PR that changes how charges are retried")
			s.Fake.Commit(Org, repo, "retries", githubfake.CommitSpec{Message: "Retry charges", Author: "bob", Files: map[string]string{
				"services/payments/charge.go": "package payments\n\n// Retry with backoff.\n",
			}})
			n := s.Fake.OpenPR(Org, repo, githubfake.PRSpec{Title: "Retry failed charges", Author: "bob", Head: "retries"})
			payload, err := s.PREvent("opened", repo, n)
			if err != nil {
				return err
			}
			if err := s.Deliver(ctx, "pull_request", payload); err != nil {
				return err
			}
			s.ShowComments(repo, n)
			pr, err := s.PR(repo, n)
			if err != nil {
				return err
			}
			s.ShowChecks(repo, pr.HeadSHA)

			london, err := time.LoadLocation("Europe/London")
			if err != nil {
				return err
			}
			local := start.In(london)
			days := (int(time.Monday) - int(local.Weekday()) + 7) % 7
			if days == 0 {
				days = 7
			}
			slot := time.Date(local.Year(), local.Month(), local.Day()+days, 9, 5, 0, 0, london)
			s.Say("the weekly sweep runs on %s", slot.Format("Monday 2 January 15:04 MST"))
			if err := s.Sweep(ctx, slot, "docs"); err != nil {
				return err
			}
			s.showIssues(repo)
			return nil
		},
	}
}

// showIssues prints the app's issues in repo.
func (s *Stage) showIssues(repo string) {
	for _, is := range s.Fake.Issues(Org, repo) {
		if !strings.HasSuffix(is.Author, "[bot]") {
			continue
		}
		fmt.Fprintf(s.out, "    📋 issue %s#%d (%s) %q, labels %v, assigned to %s:\n", repo, is.Number, is.State, is.Title, is.Labels, strings.Join(is.Assignees, ", "))
		s.block(is.Body)
	}
}
