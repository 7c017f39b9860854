package gh

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Call is one GitHub API call as the client middleware saw it.
type Call struct {
	Method string
	Route  string // a low-cardinality template, see Route
	Status int    // 0 when no response came
	// Installation is the installation id the client acts for ("app" for
	// the app's own JWT calls); Resource is GitHub's rate-limit bucket
	// (core, graphql, search…). Limits are per installation and resource.
	Installation string
	Resource     string
	Remaining    int
	HasRate      bool // Remaining was reported
}

// CallObserver is told about every GitHub API call.
type CallObserver interface {
	ObserveCall(Call)
}

// Middleware counts every request made through a client; use it with
// go-githubapp's WithClientMiddleware. Counting at the transport sees every
// call, reads included, with the status GitHub answered: a response the
// client's cache served after revalidating it counts as the 304 it was.
func Middleware(obs CallObserver) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			c := Call{Method: r.Method, Route: Route(r.URL.Path), Installation: installationOf(r.Header.Get("User-Agent"))}
			if resp != nil {
				c.Status = resp.StatusCode
				// go-githubapp's cache revalidates every hit (ETag); a hit it
				// served is GitHub's 304 answer, which costs no rate limit.
				if resp.Header.Get("X-From-Cache") == "1" {
					c.Status = http.StatusNotModified
				}
				c.Resource = resp.Header.Get("X-RateLimit-Resource")
				if v := resp.Header.Get("X-RateLimit-Remaining"); v != "" {
					if n, perr := strconv.Atoi(v); perr == nil {
						c.Remaining, c.HasRate = n, true
					}
				}
			}
			obs.ObserveCall(c)
			return resp, err
		})
	}
}

// installationOf reads the installation id from the User-Agent that
// go-githubapp gives each client ("overlap/1.0 (installation: 42)"); its
// context key for the id is not exported.
func installationOf(ua string) string {
	_, rest, ok := strings.Cut(ua, "(installation: ")
	if !ok {
		return "app"
	}
	id, _, _ := strings.Cut(rest, ")")
	return id
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

var (
	reNumber = regexp.MustCompile(`^\d+$`)
	reSHA    = regexp.MustCompile(`^[0-9a-f]{40}$`)
)

// Route turns a request path into a low-cardinality route template for
// metrics: "/repos/acme/api/issues/12/comments" →
// "/repos/{owner}/{repo}/issues/{n}/comments". A GHES "/api/v3" prefix is
// dropped; everything after "contents/" is one "{path}".
func Route(path string) string {
	path = strings.TrimPrefix(path, "/api/v3")
	if path == "/api/graphql" {
		return "/graphql"
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := 0; i < len(segs); i++ {
		s := segs[i]
		switch {
		case i > 0 && (segs[i-1] == "repos") && i+1 < len(segs):
			segs[i], segs[i+1] = "{owner}", "{repo}"
			i++
		case i > 0 && (segs[i-1] == "orgs" || segs[i-1] == "users"):
			segs[i] = "{" + strings.TrimSuffix(segs[i-1], "s") + "}"
		case i > 0 && segs[i-1] == "teams":
			segs[i] = "{team}"
		case i > 0 && (segs[i-1] == "collaborators" || segs[i-1] == "assignees"):
			segs[i] = "{user}"
		case i > 0 && (segs[i-1] == "contents" || segs[i-1] == "ref" || segs[i-1] == "branches"):
			segs = append(segs[:i], "{path}")
			i = len(segs)
		case reNumber.MatchString(s):
			segs[i] = "{n}"
		case reSHA.MatchString(s):
			segs[i] = "{sha}"
		}
	}
	return "/" + strings.Join(segs, "/")
}

// Counter is a CallObserver that keeps counts in memory, for tests and for
// the per-event economy figures.
type Counter struct {
	mu    sync.Mutex
	calls map[string]int
}

// ObserveCall implements CallObserver.
func (c *Counter) ObserveCall(call Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[call.Method+" "+call.Route]++
}

// Calls returns a copy of the counts by "METHOD /route".
func (c *Counter) Calls() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]int, len(c.calls))
	for k, v := range c.calls {
		out[k] = v
	}
	return out
}

// Total is the number of calls observed.
func (c *Counter) Total() int {
	n := 0
	for _, v := range c.Calls() {
		n += v
	}
	return n
}

// Reset forgets all counts.
func (c *Counter) Reset() {
	c.mu.Lock()
	c.calls = nil
	c.mu.Unlock()
}

// Observers fans one call out to several observers.
type Observers []CallObserver

// ObserveCall implements CallObserver.
func (os Observers) ObserveCall(c Call) {
	for _, o := range os {
		o.ObserveCall(c)
	}
}
