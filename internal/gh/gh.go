// Package gh is the only place in Overlap that writes to GitHub.
//
// Every feature computes the state it wants (a sticky comment, a check run, a
// tracking issue) and hands it here; the Client reads what exists, finds the
// app's own objects by their hidden marker, and changes only what differs.
// That makes every handler a reconciler (DESIGN.md, principle 1): a
// redelivered or duplicated webhook, two replicas, or a sweep after a missed
// event converge on one comment, one check run per head SHA and one issue.
//
// In dry-run mode the Client reads as usual but logs and records each write it
// would make instead of sending it.
package gh

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"
	"github.com/shurcooL/githubv4"
)

// Repo names a repository.
type Repo struct {
	Owner         string
	Name          string
	ID            int64
	DefaultBranch string
	Private       bool
}

// FullName is "owner/name".
func (r Repo) FullName() string { return r.Owner + "/" + r.Name }

// RepoFrom converts a go-github repository.
func RepoFrom(r *github.Repository) Repo {
	if r == nil {
		return Repo{}
	}
	return Repo{
		Owner:         r.GetOwner().GetLogin(),
		Name:          r.GetName(),
		ID:            r.GetID(),
		DefaultBranch: r.GetDefaultBranch(),
		Private:       r.GetPrivate(),
	}
}

// Marker is the hidden HTML comment that starts every comment, issue and
// discussion the app owns: "<!-- overlap:feature -->" or
// "<!-- overlap:feature:key -->".
func Marker(feature string, key ...string) string {
	parts := append([]string{"overlap", feature}, key...)
	return "<!-- " + strings.Join(parts, ":") + " -->"
}

// HasMarker reports whether body starts with marker (leading white space
// ignored). Markers are matched at the start only, so a person quoting the
// app's comment does not make their comment the app's.
func HasMarker(body, marker string) bool {
	return strings.HasPrefix(strings.TrimLeft(body, " \t\r\n"), marker)
}

// Outcome says what an upsert did.
type Outcome string

// Outcomes of an upsert.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Deleted   Outcome = "deleted"
	Absent    Outcome = "absent"
)

// Write describes one write the Client made (or, in dry-run mode, would
// have made). The sandbox and `overlap sweep --once` print them.
type Write struct {
	Action  string // e.g. "comment.create", "check.update", "issue.close"
	Repo    string // owner/name
	Target  string // "#12", a head SHA, a comment id
	Summary string // one readable line: conclusion, title, first line of a body
	DryRun  bool
}

func (w Write) String() string {
	s := fmt.Sprintf("%s %s %s: %s", w.Action, w.Repo, w.Target, w.Summary)
	if w.DryRun {
		s = "[dry-run] " + s
	}
	return s
}

// Options configure a Client.
type Options struct {
	// DryRun logs intended writes instead of sending them.
	DryRun bool
	// BotLogin is the app's own login ("<slug>[bot]"). When set, only
	// objects authored by it are considered the app's.
	BotLogin string
	// AppID filters check runs to the app's own.
	AppID int64
	// OnWrite, when set, is called for every write made or intended.
	OnWrite func(Write)
	// GraphQL is the installation's GraphQL client: the write path for what
	// exists only in GraphQL (Discussions, see discussions.go).
	GraphQL *githubv4.Client
	// StateKey seals the state features keep in what they write (see
	// state.go); derive it from the webhook secret with DeriveStateKey.
	StateKey StateKey
}

// Client writes to GitHub for one installation.
type Client struct {
	rest *github.Client
	opts Options

	mu       sync.Mutex
	writes   []Write
	comments map[string][]*github.IssueComment // remembered listings, see ListComments
	checks   map[string][]*github.CheckRun     // the app's runs per head, see SeedCheckRuns
}

// New returns a Client writing through rest.
func New(rest *github.Client, opts Options) *Client {
	return &Client{rest: rest, opts: opts}
}

// REST returns the underlying REST client, for reads.
func (c *Client) REST() *github.Client { return c.rest }

// DryRun reports whether writes are only logged.
func (c *Client) DryRun() bool { return c.opts.DryRun }

// Writes returns the writes made so far by this Client.
func (c *Client) Writes() []Write {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Write(nil), c.writes...)
}

// record logs and records w, and reports whether the write should really be
// sent (false in dry-run mode).
func (c *Client) record(ctx context.Context, w Write) bool {
	w.DryRun = c.opts.DryRun
	c.mu.Lock()
	c.writes = append(c.writes, w)
	c.mu.Unlock()
	if c.opts.OnWrite != nil {
		c.opts.OnWrite(w)
	}
	ev := zerolog.Ctx(ctx).Info()
	if w.DryRun {
		ev = zerolog.Ctx(ctx).Info().Bool("dry_run", true)
	}
	ev.Str("write", w.Action).Str("target", w.Target).Str("summary", w.Summary).Msg("github write")
	// Pacing happens in the transport (PaceTransport), for every write.
	return !w.DryRun
}

// PaceTransport spaces out every mutating request that passes through it
// (POST, PATCH, PUT, DELETE; a GraphQL mutation but not a query) with p.
// It sits in the HTTP transport, below every caller, so no write can
// bypass pacing: a check run's follow-up annotation PATCHes are paced
// like its creation.
func PaceTransport(p *Pacer, next http.RoundTripper) http.RoundTripper {
	if p == nil || p.every <= 0 {
		return next
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if mutating(r) {
			if err := p.Wait(r.Context()); err != nil {
				return nil, err
			}
		}
		return next.RoundTrip(r)
	})
}

// mutating reports whether r changes something on GitHub. A GraphQL
// request is a POST either way: its body says whether it is a mutation.
func mutating(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	if !strings.HasSuffix(r.URL.Path, "/graphql") {
		return true
	}
	if r.GetBody == nil {
		return true
	}
	body, err := r.GetBody()
	if err != nil {
		return true
	}
	defer body.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(body, head)
	return bytes.Contains(head[:n], []byte("mutation"))
}

// Pacer spaces writes out. GitHub's secondary rate limits cap content
// creation (about 80 a minute and 500 an hour) and its guidance is to leave
// at least a second between mutating requests; an installation's writes
// share one Pacer whichever event or sweep makes them.
type Pacer struct {
	every time.Duration
	mu    sync.Mutex
	next  time.Time
}

// NewPacer lets one write through every interval (none when interval ≤ 0).
func NewPacer(interval time.Duration) *Pacer { return &Pacer{every: interval} }

// Wait blocks until the next write may go, or ctx ends.
func (p *Pacer) Wait(ctx context.Context) error {
	if p == nil || p.every <= 0 {
		return nil
	}
	p.mu.Lock()
	now := time.Now()
	at := p.next
	if at.Before(now) {
		at = now
	}
	p.next = at.Add(p.every)
	p.mu.Unlock()
	if d := at.Sub(now); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			// Give the slot back if no later write has queued behind it,
			// so cancelled writes do not push every later one out.
			p.mu.Lock()
			if p.next.Equal(at.Add(p.every)) {
				p.next = at
			}
			p.mu.Unlock()
			return ctx.Err()
		}
	}
	return nil
}

func (c *Client) mine(u *github.User) bool {
	if c.opts.BotLogin == "" {
		return true
	}
	return strings.EqualFold(u.GetLogin(), c.opts.BotLogin)
}

// firstLine is a short, single-line digest of a body for write summaries.
func firstLine(body string) string {
	for _, l := range strings.Split(body, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "<!--") {
			continue
		}
		if len(l) > 100 {
			l = l[:97] + "..."
		}
		return l
	}
	return ""
}
