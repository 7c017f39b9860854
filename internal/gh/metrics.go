package gh

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// CallObserver is told about every GitHub API call: its method, route
// template, status and the rate-limit budget GitHub reported.
type CallObserver interface {
	ObserveCall(method, route string, status int, rateRemaining int, hasRate bool)
}

// Middleware counts every request made through a client; use it with
// go-githubapp's WithClientMiddleware. Counting at the transport sees every
// call, reads included, with the status GitHub answered (304s from
// conditional requests included).
func Middleware(obs CallObserver) func(http.RoundTripper) http.RoundTripper {
	return func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			status := 0
			remaining, hasRate := 0, false
			if resp != nil {
				status = resp.StatusCode
				if v := resp.Header.Get("X-RateLimit-Remaining"); v != "" {
					if n, perr := strconv.Atoi(v); perr == nil {
						remaining, hasRate = n, true
					}
				}
			}
			obs.ObserveCall(r.Method, Route(r.URL.Path), status, remaining, hasRate)
			return resp, err
		})
	}
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
		case i > 0 && segs[i-1] == "collaborators":
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
func (c *Counter) ObserveCall(method, route string, status int, _ int, _ bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[method+" "+route]++
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
func (os Observers) ObserveCall(method, route string, status int, remaining int, hasRate bool) {
	for _, o := range os {
		o.ObserveCall(method, route, status, remaining, hasRate)
	}
}
