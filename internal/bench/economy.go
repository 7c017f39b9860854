package bench

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// Cost is what one delivery cost at the emulator, by kind of request.
type Cost struct {
	Requests int // every request
	// RateLimited are the installation's requests GitHub charges to its
	// hourly budget: everything made with the installation token except
	// conditional requests answered 304.
	RateLimited int
	GraphQL     int // of RateLimited, POST /graphql
	Mints       int // POST /app/installations/{id}/access_tokens (App JWT)
	AppOther    int // other App (JWT) requests
	NotModified int // 304s: free
	Writes      int // POST/PATCH/PUT/DELETE and GraphQL mutations
	Routes      map[string]int
}

const mintRoute = "POST /app/installations/{installation_id}/access_tokens"

func tally(f *githubfake.Server) Cost {
	c := Cost{Routes: map[string]int{}}
	for _, r := range f.Requests() {
		c.Requests++
		c.Routes[r.Route]++
		switch {
		case r.Route == mintRoute:
			c.Mints++
		case r.Status == 304:
			c.NotModified++
		case r.Installation == 0:
			c.AppOther++
		default:
			c.RateLimited++
			if r.Route == "POST /graphql" {
				c.GraphQL++
			}
		}
	}
	c.Writes = len(f.Writes())
	return c
}

// routes lists a cost's routes, most called first.
func (c Cost) routes() string {
	keys := make([]string, 0, len(c.Routes))
	for k := range c.Routes {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if c.Routes[keys[i]] != c.Routes[keys[j]] {
			return c.Routes[keys[i]] > c.Routes[keys[j]]
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, c.Routes[k])
	}
	return strings.Join(parts, ", ")
}

// EconomyRow is one feature's main event through the whole app.
type EconomyRow struct {
	Feature, Event string
	// First is the event on a fresh installation (no token, nothing
	// cached); Second a like event on another PR of the same installation;
	// Redelivery the first delivery again (same GUID and payload); NoOp an
	// event no feature acts on (pull_request.assigned on the first PR).
	First, Second, Redelivery, NoOp Cost
}

// Economy is the API cost of each feature's main event.
type Economy struct {
	Rows []EconomyRow
	Span Span
}

type hook struct {
	event   string
	payload []byte
}

type scenario struct {
	feature, event string
	// setup builds the repository and returns the first and second main
	// events and the no-op.
	setup func(w *sandbox.World) (first, second, noop hook, err error)
}

func runEconomy(ctx context.Context) (*Economy, error) {
	res := &Economy{Span: begin()}
	for _, sc := range scenarios() {
		row, err := economyOf(ctx, sc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sc.feature, err)
		}
		res.Rows = append(res.Rows, *row)
	}
	res.Span.end()
	return res, nil
}

func economyOf(ctx context.Context, sc scenario) (*EconomyRow, error) {
	w, err := startWorld(time.Time{}, nil)
	if err != nil {
		return nil, err
	}
	defer w.Stop()
	first, second, noop, err := sc.setup(w)
	if err != nil {
		return nil, err
	}
	row := &EconomyRow{Feature: sc.feature, Event: sc.event}
	step := func(h hook, id string) (Cost, error) {
		w.Fake.ResetCalls()
		if _, err := w.Send(ctx, h.event, id, h.payload); err != nil {
			return Cost{}, err
		}
		return tally(w.Fake), nil
	}
	if row.First, err = step(first, "econ-first"); err != nil {
		return nil, err
	}
	if row.Second, err = step(second, "econ-second"); err != nil {
		return nil, err
	}
	if row.Redelivery, err = step(first, "econ-first"); err != nil {
		return nil, err
	}
	if row.NoOp, err = step(noop, "econ-noop"); err != nil {
		return nil, err
	}
	if v := w.Fake.Violations(); len(v) > 0 {
		return nil, fmt.Errorf("the emulator saw requests real GitHub would reject:\n- %s", strings.Join(v, "\n- "))
	}
	return row, nil
}

// openPR commits files on branch and opens a PR from it.
func openPR(w *sandbox.World, repo, branch, title, body, author string, files map[string]string, labels ...string) int {
	w.Fake.Commit(sandbox.Org, repo, branch, githubfake.CommitSpec{Message: title, Author: author, Files: files})
	return w.Fake.OpenPR(sandbox.Org, repo, githubfake.PRSpec{Title: title, Body: body, Author: author, Head: branch, Labels: labels})
}

func prHook(w *sandbox.World, action, repo string, n int, extra ...func(map[string]any)) (hook, error) {
	p, err := w.PREvent(action, repo, n, extra...)
	return hook{"pull_request", p}, err
}

func labeledHook(w *sandbox.World, repo string, n int, author, label string) (hook, error) {
	pr, err := w.PR(repo, n)
	if err != nil {
		return hook{}, err
	}
	b, err := w.Builder(repo, author)
	if err != nil {
		return hook{}, err
	}
	p, err := b.PullRequestLabeled("labeled", pr, label)
	return hook{"pull_request", p}, err
}

func adrRecord(i int, title string) string {
	return fmt.Sprintf("# %d. %s\n\nDate: 2026-11-01\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n", i, title)
}

const docsPolicy = "team:\n  timezone: Europe/London\ndocs:\n  sets:\n    runbooks: {paths: [\"docs/runbooks/**/*.md\"], max_age: 90d}\n"

const reviewsPolicy = "team:\n  timezone: Europe/London\n  working_hours: \"09:00-17:30\"\n  people:\n" +
	"    bob: {timezone: Europe/London}\nreviews:\n  enabled: true\n  first_response: 4h\n  remind_every: 1d\n"

const teamPolicy = "team:\n  timezone: Europe/London\n  working_hours: \"09:00-17:30\"\n  people:\n" +
	"    alice: {timezone: America/New_York, working_hours: \"08:00-16:00\"}\n" +
	"    bob:   {timezone: Asia/Singapore}\n" +
	"    carol: {timezone: Europe/London}\n"

func scenarios() []scenario {
	return []scenario{
		{feature: "configcheck", event: "pull_request.opened changing .github/overlap.yml",
			setup: func(w *sandbox.World) (a, b, n hook, err error) {
				w.AddRepo("handbook", map[string]string{"README.md": "# Handbook\n", ".github/overlap.yml": "team:\n  timezone: Europe/London\n"})
				p1 := openPR(w, "handbook", "norms", "Write down our review norms", "", "alice", map[string]string{
					".github/overlap.yml": "team:\n  timezone: Europe/London\n  working_hours: \"09:00-17:30\"\nreviews:\n  first_respons: 4h\n"})
				p2 := openPR(w, "handbook", "hours", "Later working hours", "", "bob", map[string]string{
					".github/overlap.yml": "team:\n  timezone: Europe/London\n  working_hours: \"10:00-18:00\"\n"})
				if a, err = prHook(w, "opened", "handbook", p1); err != nil {
					return
				}
				if b, err = prHook(w, "opened", "handbook", p2); err != nil {
					return
				}
				n, err = prHook(w, "assigned", "handbook", p1)
				return
			}},
		{feature: "adr", event: "pull_request.labeled `decision`",
			setup: func(w *sandbox.World) (a, b, n hook, err error) {
				files := map[string]string{"README.md": "# Orders\n", "main.go": "package main\n"}
				for i, t := range []string{"Record architecture decisions", "Use Go", "Use Postgres"} {
					files[fmt.Sprintf("docs/adr/%04d-%s.md", i+1, strings.ToLower(strings.ReplaceAll(t, " ", "-")))] = adrRecord(i+1, t)
				}
				w.AddRepo("orders", files)
				p1 := openPR(w, "orders", "kafka", "Move order events to Kafka", "", "bob", map[string]string{"main.go": "package main // kafka\n"}, "decision")
				p2 := openPR(w, "orders", "grpc", "Serve gRPC", "", "alice", map[string]string{"main.go": "package main // grpc\n"}, "decision")
				if a, err = labeledHook(w, "orders", p1, "bob", "decision"); err != nil {
					return
				}
				if b, err = labeledHook(w, "orders", p2, "alice", "decision"); err != nil {
					return
				}
				n, err = prHook(w, "assigned", "orders", p1)
				return
			}},
		{feature: "docs", event: "pull_request.opened changing code a stale runbook covers",
			setup: func(w *sandbox.World) (a, b, n hook, err error) {
				now := w.Clock.Now()
				w.Fake.AddRepo(w.Installation, sandbox.Org, "platform", githubfake.RepoOptions{})
				w.Fake.Commit(sandbox.Org, "platform", "main", githubfake.CommitSpec{Message: "Start", Author: "carol", Date: now.AddDate(0, 0, -200), Files: map[string]string{
					".github/overlap.yml":         docsPolicy,
					"services/payments/charge.go": "package payments\n",
					"docs/runbooks/payments.md":   "---\nowner: carol\ncovers: [\"services/payments/**\"]\n---\n# Payments outage\n\nRestart the charge worker.\n",
				}})
				p1 := openPR(w, "platform", "retries", "Retry failed charges", "", "bob", map[string]string{"services/payments/charge.go": "package payments // retries\n"})
				p2 := openPR(w, "platform", "refunds", "Refund twice-charged cards", "", "alice", map[string]string{"services/payments/charge.go": "package payments // refunds\n"})
				if a, err = prHook(w, "opened", "platform", p1); err != nil {
					return
				}
				if b, err = prHook(w, "opened", "platform", p2); err != nil {
					return
				}
				n, err = prHook(w, "assigned", "platform", p1)
				return
			}},
		{feature: "reviews", event: "pull_request.review_requested",
			setup: func(w *sandbox.World) (a, b, n hook, err error) {
				w.AddRepo("payments", map[string]string{".github/overlap.yml": reviewsPolicy, "ledger.go": "package ledger\n"})
				for _, l := range []string{"alice", "bob", "carol"} {
					w.Fake.AddUser(l, "")
				}
				p1 := openPR(w, "payments", "rounding", "Fix rounding", "", "carol", map[string]string{"ledger.go": "package ledger // rounding\n"})
				p2 := openPR(w, "payments", "currency", "Add currencies", "", "alice", map[string]string{"ledger.go": "package ledger // currency\n"})
				w.Fake.RequestReviewers(sandbox.Org, "payments", p1, githubfake.ReviewRequestSpec{Users: []string{"bob"}, At: w.Clock.Now()})
				w.Fake.RequestReviewers(sandbox.Org, "payments", p2, githubfake.ReviewRequestSpec{Users: []string{"bob"}, At: w.Clock.Now()})
				if a, err = prHook(w, "review_requested", "payments", p1); err != nil {
					return
				}
				if b, err = prHook(w, "review_requested", "payments", p2); err != nil {
					return
				}
				n, err = prHook(w, "assigned", "payments", p1)
				return
			}},
		{feature: "timezones", event: "pull_request.opened saying “We ship Friday EOD.”",
			setup: func(w *sandbox.World) (a, b, n hook, err error) {
				w.AddRepo("launch", map[string]string{"README.md": "# Launch\n", ".github/overlap.yml": teamPolicy})
				p1 := openPR(w, "launch", "copy", "Launch page copy", "Launch page copy. We ship Friday EOD.", "carol", map[string]string{"index.md": "# Launch\n"})
				p2 := openPR(w, "launch", "faq", "Launch FAQ", "The FAQ. Review by 3pm tomorrow.", "alice", map[string]string{"faq.md": "# FAQ\n"})
				created := func(n int) func(map[string]any) {
					info, _ := w.Fake.PR(sandbox.Org, "launch", n)
					return webhook.Set("pull_request.created_at", info.CreatedAt.UTC().Format(time.RFC3339))
				}
				if a, err = prHook(w, "opened", "launch", p1, created(p1)); err != nil {
					return
				}
				if b, err = prHook(w, "opened", "launch", p2, created(p2)); err != nil {
					return
				}
				n, err = prHook(w, "assigned", "launch", p1)
				return
			}},
	}
}
