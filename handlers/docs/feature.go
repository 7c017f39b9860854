package docs

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
)

// FeatureName names the feature in logs, metrics and scheduler settings.
const FeatureName = "docs"

// Feature is the "Docs freshness" feature: it implements handlers.Feature
// (pull_request reminders, /reviewed commands on the tracking issue) and
// handlers.Sweeper (the tracking issue). Use it as a pointer; the zero
// value is ready.
type Feature struct {
	// Sections contribute extra blocks to the tracking issue (e.g. decision
	// records past their revisit date). A failing source is logged and
	// left out; it never stops the sweep.
	Sections []handlers.SectionSource
	// MaxAliases bounds the docs per GraphQL request (≤0: MaxAliases).
	MaxAliases int

	mu     sync.Mutex
	people map[string]peopleEntry // per sweep instant; see people.go

	// beforeReread, when set (tests only), runs after a refresh decided to
	// write the tracking issue and before it reads the issue again: the
	// point where another process's write would otherwise be lost.
	beforeReread func()
}

var (
	_ handlers.Feature = (*Feature)(nil)
	_ handlers.Sweeper = (*Feature)(nil)
)

// Name implements handlers.Feature.
func (*Feature) Name() string { return FeatureName }

// Events implements handlers.Feature.
func (*Feature) Events() []string { return []string{"pull_request", "issue_comment"} }

// Handle implements handlers.Feature.
func (f *Feature) Handle(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	switch ev.Type {
	case "pull_request":
		return f.handlePR(ctx, env, ev)
	case "issue_comment":
		return f.handleComment(ctx, env, ev)
	}
	return nil
}

// SettingsFrom converts the policy's docs block into the decision core's
// Settings. Rotation entries stay as written ("alice", "@acme/platform");
// the handler expands teams before deciding.
func SettingsFrom(p config.Docs) Settings {
	s := Settings{
		Sets:       map[string]Set{},
		Covers:     map[string][]string{},
		Check:      Advisory,
		WarnWithin: p.WarnWithin.Std(),
	}
	if p.WarnWithin == 0 {
		s.WarnWithin = -1 // the policy says 0: no early warning
	}
	if p.Check == config.CheckRequired {
		s.Check = Required
	}
	for name, set := range p.Sets {
		s.Sets[name] = Set{Paths: globs(set.Paths), MaxAge: set.MaxAge.Std(), Covers: globs(set.Covers)}
	}
	for doc, gs := range p.Covers {
		s.Covers[strings.TrimPrefix(doc, "/")] = globs(gs)
	}
	for _, r := range p.Duty.Rotation {
		s.Duty.Rotation = append(s.Duty.Rotation, string(r))
	}
	s.Duty.Starts = Date{Year: p.Duty.Starts.Year, Month: p.Duty.Starts.Month, Day: p.Duty.Starts.Day}
	s.Duty.Every = p.Duty.Every.Std()
	return s
}

func globs(gs []config.Glob) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = string(g)
	}
	return out
}

// ScheduleFrom is the weekly slot of the policy, in the team's zone.
func ScheduleFrom(p config.Policy) Schedule {
	return Schedule{
		Day:      p.Docs.Sweep.Day.Std(),
		Minute:   int(p.Docs.Sweep.Time),
		Location: p.Team.Timezone.Location(),
	}
}

// policy loads the policy and reports whether the feature is on for it.
func policy(ctx context.Context, env *handlers.Env) (config.Policy, bool, error) {
	l, err := env.Policy(ctx)
	if err != nil {
		return config.Policy{}, false, fmt.Errorf("docs: load policy for %s: %w", env.Repo.FullName(), err)
	}
	return l.Policy, l.Policy.Docs.Enabled && len(l.Policy.Docs.Sets) > 0, nil
}

// issueOf converts the write path's view of the tracking issue.
func issueOf(is interface {
	GetNumber() int
	GetState() string
	GetTitle() string
	GetBody() string
}, assignees, labels []string) *Issue {
	return &Issue{Number: is.GetNumber(), State: is.GetState(), Title: is.GetTitle(), Body: is.GetBody(), Assignees: assignees, Labels: labels}
}
