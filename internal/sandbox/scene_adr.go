package sandbox

import (
	"context"
	"fmt"

	"github.com/overlaphq/overlap/internal/githubfake"
)

// adrScene: a PR labelled "decision" is asked for a record and held by the
// "Decision record" check until the author pushes a complete one.
func adrScene() Scene {
	return Scene{
		Name:  "adr",
		Title: "Decision records — a labelled PR is asked for an ADR",
		Play: func(ctx context.Context, s *Stage) error {
			const repo = "orders"
			files := map[string]string{"README.md": "# Orders\n", "main.go": "package main\n"}
			for i, t := range []string{"record-architecture-decisions", "use-go", "use-postgres"} {
				files[fmt.Sprintf("docs/adr/%04d-%s.md", i+1, t)] = fmt.Sprintf("# %d. %s\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n", i+1, t)
			}
			s.AddRepo(repo, files)
			s.Say("the orders repo keeps records 0001–0003 in docs/adr")

			s.Say("bob opens a PR that moves events to Kafka and labels it \"decision\"")
			s.Fake.Commit(Org, repo, "kafka", githubfake.CommitSpec{Message: "Publish to Kafka", Author: "bob", Files: map[string]string{"main.go": "package main // kafka\n"}})
			n := s.Fake.OpenPR(Org, repo, githubfake.PRSpec{Title: "Move order events to Kafka", Author: "bob", Head: "kafka", Labels: []string{"decision"}})
			pr, err := s.PR(repo, n)
			if err != nil {
				return err
			}
			b, err := s.Builder(repo, "bob")
			if err != nil {
				return err
			}
			payload, err := b.PullRequestLabeled("labeled", pr, "decision")
			if err != nil {
				return err
			}
			if err := s.Deliver(ctx, "pull_request", payload); err != nil {
				return err
			}
			s.ShowComments(repo, n)
			s.ShowChecks(repo, pr.HeadSHA)

			s.Say("bob writes the record from the template and pushes it")
			record := "# 4. Move order events to Kafka\n\nDate: 2026-11-24\n\n## Status\n\nAccepted\n\n" +
				"## Context\n\nThe order service polls Postgres for new events; consumers lag by minutes.\n\n" +
				"## Decision\n\nPublish order events to a Kafka topic; Postgres stays the source of truth.\n\n" +
				"## Consequences\n\nConsumers read in seconds. We run Kafka, and replays need the outbox table.\n\nRevisit: 2027-06-01\n"
			s.Fake.PushPR(Org, repo, n, githubfake.CommitSpec{Message: "ADR 0004", Author: "bob", Files: map[string]string{"docs/adr/0004-move-order-events-to-kafka.md": record}})
			if payload, err = s.PREvent("synchronize", repo, n); err != nil {
				return err
			}
			if err := s.Deliver(ctx, "pull_request", payload); err != nil {
				return err
			}
			pr, _ = s.PR(repo, n)
			s.ShowComments(repo, n)
			s.ShowChecks(repo, pr.HeadSHA)
			return nil
		},
	}
}
