package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/google/go-github/v60/github"
	lru "github.com/hashicorp/golang-lru"
	"github.com/palantir/go-githubapp/githubapp"
	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/internal/gh"
)

// clientPool hands out one installation's REST and GraphQL clients,
// built once and kept for many events.
//
// go-githubapp gives the two clients a transport each, so each mints its
// own installation token: two token requests for an event that needs
// both. Here the GraphQL client rides on the REST client's HTTP client —
// one token, one rate-limit gate, one call counter per installation. The
// pool holds many installations (an org with 2,000 repositories may have
// hundreds active), so tokens are reused across events; memory is bounded
// by the shared response cache, not by the number of clients.
type clientPool struct {
	base      githubapp.ClientCreator
	v4URL     string
	userAgent string
	gates     *gates
	pacer     func(installationID int64) *gh.Pacer

	mu     sync.Mutex
	cached *lru.Cache // installation id → *installationClients
	naming string     // the cache namespace of the client being built
}

type installationClients struct {
	rest *github.Client
	v4   *githubv4.Client
}

func newClientPool(base githubapp.ClientCreator, v4URL, userAgent string, size int, g *gates, pacer func(int64) *gh.Pacer) (*clientPool, error) {
	c, err := lru.New(max(size, 1))
	if err != nil {
		return nil, fmt.Errorf("client pool: %w", err)
	}
	return &clientPool{base: base, v4URL: strings.TrimSuffix(v4URL, "/"), userAgent: userAgent, gates: g, pacer: pacer, cached: c}, nil
}

// cacheName is the namespace the response cache gives the client being
// built (its installation's).
func (p *clientPool) cacheName() string { return p.naming }

// Installation returns the installation's clients.
func (p *clientPool) Installation(id int64) (*github.Client, *githubv4.Client, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v, ok := p.cached.Get(id); ok {
		ic := v.(*installationClients)
		return ic.rest, ic.v4, nil
	}
	p.naming = "installation-" + strconv.FormatInt(id, 10)
	made, err := p.base.NewInstallationClient(id)
	p.naming = ""
	if err != nil {
		return nil, nil, fmt.Errorf("create client for installation %d: %w", id, err)
	}
	hc := made.Client() // a copy: its transport carries the token, the cache and our middleware
	// Outermost the rate-limit gate, then write pacing: every request of
	// the installation, REST or GraphQL, passes both.
	hc.Transport = p.gates.transport(id, gh.PaceTransport(p.pacer(id), hc.Transport))
	rest := github.NewClient(hc)
	rest.BaseURL, rest.UploadURL, rest.UserAgent = made.BaseURL, made.UploadURL, made.UserAgent
	v4hc := *hc
	v4hc.Transport = userAgent(made.UserAgent, hc.Transport)
	ic := &installationClients{rest: rest, v4: githubv4.NewEnterpriseClient(p.v4URL, &v4hc)}
	p.cached.Add(id, ic)
	return ic.rest, ic.v4, nil
}

// userAgent sets the User-Agent GitHub asks every client to send (go-github
// sets it on REST requests itself).
func userAgent(agent string, next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Header.Get("User-Agent") == "" {
			r = r.Clone(r.Context())
			r.Header.Set("User-Agent", agent)
		}
		return next.RoundTrip(r)
	})
}

// forget drops an installation's clients (it was uninstalled).
func (p *clientPool) forget(id int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cached.Remove(id)
}
