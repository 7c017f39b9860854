// Package handlers is the contract between the app's runtime (package app)
// and the features (handlers/<feature>): what a feature is given for an
// event or a sweep, and what it must implement.
//
// A feature never registers with go-githubapp's dispatcher itself: the
// dispatcher keeps one handler per event type, so the app builds one fan-out
// handler per event type that calls every feature interested in it, each
// with the same Env (clients, write path, policy loaded once, the instant).
package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/gh"
)

// Feature handles webhook events for one capability.
type Feature interface {
	// Name is short and stable: "adr", "docs", "configcheck", ... It names
	// the feature in logs, metrics and scheduler settings.
	Name() string
	// Events lists the webhook event types the feature wants
	// ("pull_request", "issue_comment", ...).
	Events() []string
	// Handle reconciles what the event may have changed. Infrastructure
	// errors are returned (logged and counted by the app); problems with
	// the user's input are answered on GitHub and return nil.
	Handle(ctx context.Context, env *Env, ev *Event) error
}

// Sweeper is a feature with scheduled work, run per repository by `serve`'s
// scheduler and by `overlap sweep --once`. A sweep rebuilds everything a
// missed event would have done.
type Sweeper interface {
	Name() string
	Sweep(ctx context.Context, env *Env, repo gh.Repo) error
}

// Event is one webhook delivery, with the fields every feature needs
// decoded once.
type Event struct {
	Type           string
	Action         string
	DeliveryID     string
	InstallationID int64
	Repo           gh.Repo
	Sender         string
	SenderType     string
	// Payload is the raw JSON; features decode the go-github event type
	// they need.
	Payload []byte
	// BaseRef is the PR's base branch when the payload carries a pull
	// request; policy is read there (a PR cannot loosen its own rules).
	BaseRef string
	// Number is the pull request, issue or discussion the event is about
	// (0 when none): what a sweep must reconcile if the event is lost.
	Number int
}

// envelope is the part of every payload the app reads. It names only the
// fields it uses, so a payload whose other fields have an unexpected shape
// (older examples carry `repository.organization` as a string, timestamps
// without a zone) is still understood.
type envelope struct {
	Action       string `json:"action"`
	Installation *struct {
		ID int64 `json:"id"`
	} `json:"installation"`
	Repository *struct {
		ID            int64  `json:"id"`
		Name          string `json:"name"`
		DefaultBranch string `json:"default_branch"`
		Private       bool   `json:"private"`
		Owner         *struct {
			Login string `json:"login"`
		} `json:"owner"`
	} `json:"repository"`
	Sender *struct {
		Login string `json:"login"`
		Type  string `json:"type"`
	} `json:"sender"`
	// Number fields are decoded here, at the door, so a payload that gives
	// one the wrong type is refused (400) rather than accepted and failing
	// in every feature.
	Number      int `json:"number"`
	PullRequest *struct {
		Number int `json:"number"`
		Base   struct {
			Ref string `json:"ref"`
		} `json:"base"`
	} `json:"pull_request"`
	Issue *struct {
		Number int `json:"number"`
	} `json:"issue"`
	Discussion *struct {
		Number int `json:"number"`
	} `json:"discussion"`
}

// ParseEvent decodes the common fields of a delivery.
func ParseEvent(eventType, deliveryID string, payload []byte) (*Event, error) {
	var env envelope
	if err := json.Unmarshal(payload, &env); err != nil {
		return nil, fmt.Errorf("parse %s payload: %w", eventType, err)
	}
	ev := &Event{
		Type:       eventType,
		Action:     env.Action,
		DeliveryID: deliveryID,
		Payload:    payload,
	}
	if r := env.Repository; r != nil {
		ev.Repo = gh.Repo{ID: r.ID, Name: r.Name, DefaultBranch: r.DefaultBranch, Private: r.Private}
		if r.Owner != nil {
			ev.Repo.Owner = r.Owner.Login
		}
	}
	if env.Sender != nil {
		ev.Sender, ev.SenderType = env.Sender.Login, env.Sender.Type
	}
	if env.Installation != nil {
		ev.InstallationID = env.Installation.ID
	}
	switch {
	case env.PullRequest != nil:
		ev.BaseRef, ev.Number = env.PullRequest.Base.Ref, env.PullRequest.Number
	case env.Issue != nil:
		ev.Number = env.Issue.Number
	case env.Discussion != nil:
		ev.Number = env.Discussion.Number
	case env.Number > 0:
		ev.Number = env.Number
	}
	return ev, nil
}

// PolicyLoader loads the policy for a repository at a ref ("" = default
// branch).
type PolicyLoader interface {
	Load(ctx context.Context, client *github.Client, owner, repo, ref string) (config.Loaded, error)
	// Source says where policy files live (repo path, org repository and
	// path), for features that watch changes to them.
	Source() config.PolicySource
}

// Env is what a feature gets to work with for one installation.
type Env struct {
	InstallationID int64
	REST           *github.Client
	GraphQL        *githubv4.Client
	// GH is the only write path to GitHub.
	GH *gh.Client
	// Now is the instant the event or sweep is evaluated at. Decision code
	// takes time from here, never from time.Now.
	Now time.Time
	// Policies loads policy files; Policy uses it with PolicyRef.
	Policies  PolicyLoader
	Repo      gh.Repo
	PolicyRef string
	// Scope bounds what a sweep reconciles (see SweepScope); the zero value
	// is a full sweep. The app sets it before each feature's Sweep; events
	// ignore it.
	Scope SweepScope

	once   sync.Once
	policy config.Loaded
	err    error

	filesMu sync.Mutex
	files   map[int][]*github.CommitFile

	sweep sweepShared // openprs.go
	snaps snapshots   // snapshot.go
}

// MaxPullRequestFiles is how many files GitHub lists for a pull request;
// a PR that changes more has the rest left out of the listing, and a
// feature that looks for a file must not conclude it is absent.
const MaxPullRequestFiles = 3000

// PullRequestFiles lists the files a PR changes (all pages, at most
// MaxPullRequestFiles), fetched once per Env however many features ask.
// They come from the PR's snapshot (Env.PullRequest, the one GraphQL
// request that also serves the other features) when it lists them all;
// past 100 files, or with a rename (whose previous path only REST names),
// they are listed over REST.
func (e *Env) PullRequestFiles(ctx context.Context, number int) ([]*github.CommitFile, error) {
	e.filesMu.Lock()
	fs, ok := e.files[number]
	e.filesMu.Unlock()
	if ok {
		return fs, nil
	}
	if e.GraphQL != nil {
		if _, err := e.PullRequest(ctx, number); err != nil {
			return nil, err
		}
		e.filesMu.Lock()
		fs, ok := e.files[number]
		e.filesMu.Unlock()
		if ok {
			return fs, nil
		}
	}
	e.filesMu.Lock()
	defer e.filesMu.Unlock()
	if fs, ok := e.files[number]; ok {
		return fs, nil
	}
	var all []*github.CommitFile
	opt := &github.ListOptions{PerPage: 100}
	for {
		page, resp, err := e.REST.PullRequests.ListFiles(ctx, e.Repo.Owner, e.Repo.Name, number, opt)
		if err != nil {
			return nil, fmt.Errorf("list files of %s#%d: %w", e.Repo.FullName(), number, err)
		}
		all = append(all, page...)
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if e.files == nil {
		e.files = map[int][]*github.CommitFile{}
	}
	e.files[number] = all
	return all, nil
}

// Policy returns the repository's policy at PolicyRef, loaded once per Env
// however many features ask. A broken file is not an error: the policy is
// then the defaults and Loaded.Problems says what is wrong.
func (e *Env) Policy(ctx context.Context) (config.Loaded, error) {
	e.once.Do(func() {
		if e.Policies == nil {
			e.policy = config.Loaded{Policy: config.Defaults(), Source: "defaults"}
			return
		}
		e.policy, e.err = e.Policies.Load(ctx, e.REST, e.Repo.Owner, e.Repo.Name, e.PolicyRef)
	})
	return e.policy, e.err
}

// SetPolicy fixes the policy an Env returns (sweeps load it once per
// repository; tests pin it).
func (e *Env) SetPolicy(l config.Loaded) {
	e.once.Do(func() {})
	e.policy, e.err = l, nil
}

// Section is a titled list a feature contributes to another feature's
// output without either importing the other (DESIGN: no handler imports
// another handler). The docs tracking issue shows the sections that
// SectionSources return, e.g. the decision records past their revisit date.
type Section struct {
	Title string
	Lines []string
}

// SectionSource contributes sections to the docs tracking issue of a
// repository during the docs sweep. The app wires sources into the docs
// feature.
type SectionSource interface {
	TrackingSections(ctx context.Context, env *Env, repo gh.Repo) ([]Section, error)
}

// MetricsProvider is a feature with Prometheus series of its own; the app
// registers them on /metrics.
type MetricsProvider interface {
	Collectors() []prometheus.Collector
}
