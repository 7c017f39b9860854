package timezones_test

import (
	"context"
	"testing"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/timezones"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
)

// primer is an earlier feature's sweep that reads the PR snapshot (as the
// ADR sweep and reviews sweep do), filling the shared Env's caches.
type primer struct{ n *int }

func (primer) Name() string                                                 { return "primer" }
func (primer) Events() []string                                             { return nil }
func (primer) Handle(context.Context, *handlers.Env, *handlers.Event) error { return nil }
func (p primer) Sweep(ctx context.Context, env *handlers.Env, _ gh.Repo) error {
	_, err := env.PullRequest(ctx, *p.n)
	return err
}

// between stands for an event that ran in the repository's lane while the
// sweep had released it between two features (sweepRepo releases the
// lane after each feature). It delivers the event synchronously.
type between struct{ run func() }

func (*between) Name() string                                                 { return "between" }
func (*between) Events() []string                                             { return nil }
func (*between) Handle(context.Context, *handlers.Env, *handlers.Event) error { return nil }
func (b *between) Sweep(context.Context, *handlers.Env, gh.Repo) error        { b.run(); return nil }

// A sweep takes a repository for one feature at a time, so an event may
// run between two features' turns and write to a PR. The next feature
// must read the PR afresh, not the snapshot an earlier feature filled, or
// it would add a second comment.
func TestAnEventBetweenTwoFeaturesSweepsLeavesOneComment(t *testing.T) {
	var n int
	var h *apptest.Harness
	ev := &between{}
	h = apptest.New(t, apptest.Options{Now: tue,
		Features:  []handlers.Feature{primer{&n}, ev, timezones.Feature{}},
		Configure: func(c *config.Server) { c.Queue.Retries = 0 }})
	h.AddRepo(repo, map[string]string{".github/overlap.yml": policy, "README.md": "# api\n"})
	w := &world{Harness: h, t: t}
	n = w.openPR("carol", "Tidy the API.\n\nWe ship Friday EOD.")
	ev.run = func() {
		if err := h.App.Deliver(context.Background(), "pull_request", "evt-1", w.PREvent("opened", repo, n)); err != nil {
			t.Errorf("deliver: %v", err)
		}
	}
	w.Sweep(tue)
	if got := len(w.sticky(n)); got != 1 {
		t.Errorf("PR #%d has %d timezones comments after sweep with an event between features, want 1", n, got)
	}
}
