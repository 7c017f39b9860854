package githubfake

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// GitHub's rate limits, as the fake enforces them.
//
// Primary: each installation (and the App itself) has an hourly budget per
// resource (Options.RateLimit). Once it is spent, requests are refused with
// 403 and X-RateLimit-Remaining: 0 until X-RateLimit-Reset (GraphQL: HTTP
// 200 with a RATE_LIMITED error, as GitHub answers).
//
// Secondary: a Fault with Status 403 or 429 and RetryAfter, or a write over
// Options.ContentWritesPerMinute, is answered "You have exceeded a secondary
// rate limit" with Retry-After. Secondary limits are shared by REST and
// GraphQL, so the window covers every request of that caller.
//
// GitHub warns that clients which keep going after either answer may be
// banned. The fake therefore treats every request a caller makes inside a
// window (after the refusal and before its end) as a violation, answers it
// with the same refusal, and marks it InWindow in the request log, so a test
// can assert that a client waited: RateLimitViolations must be empty. The
// first refusal itself is not a violation: it is GitHub's answer.

// penalty is an open secondary-limit window of one caller.
type penalty struct {
	status int
	until  time.Time
}

// secondaryMessage is GitHub's text for a secondary rate limit.
const secondaryMessage = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID."

// secondaryDocURL ends in "secondary-rate-limits", which is how go-github
// recognises an AbuseRateLimitError.
const secondaryDocURL = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"

// secondaryLimited is GitHub's secondary-limit refusal, with Retry-After.
func secondaryLimited(status int, retryAfter time.Duration) response {
	h := http.Header{}
	h.Set("Retry-After", strconv.Itoa(ceilSeconds(retryAfter)))
	return response{status: status, header: h, penalty: retryAfter, body: map[string]any{
		"message":           secondaryMessage,
		"documentation_url": secondaryDocURL,
	}}
}

func ceilSeconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}

// callerLocked is the installation whose token authorises r (0 for the App's
// JWT, anonymous requests and unknown tokens). Faulted requests skip
// authentication, so the log and the windows use this instead of c.inst.
// Callers hold s.mu.
func (s *Server) callerLocked(r *http.Request) int64 {
	_, cred, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok {
		return 0
	}
	if t := s.tokens[strings.TrimSpace(cred)]; t != nil {
		return t.inst
	}
	return 0
}

func callerName(id int64) string {
	if id == 0 {
		return "the App (JWT)"
	}
	return "installation " + strconv.FormatInt(id, 10)
}

// penaltyLocked reports whether c arrived inside its caller's secondary
// window; if so it records the violation and returns the refusal to send
// instead of handling the request. Callers hold s.mu.
func (s *Server) penaltyLocked(c *call) (response, bool) {
	p, ok := s.penalties[c.caller]
	if !ok {
		return response{}, false
	}
	left := p.until.Sub(c.at)
	if left <= 0 {
		delete(s.penalties, c.caller)
		return response{}, false
	}
	c.inWindow = true
	s.violate("%s %s: %s kept calling inside a secondary rate limit's Retry-After window (%s left); GitHub penalises this and may ban the integration",
		c.r.Method, c.r.URL.Path, callerName(c.caller), left.Round(time.Millisecond))
	resp := secondaryLimited(p.status, left)
	resp.penalty = 0 // answering inside the window does not extend it
	return resp, true
}

// openPenaltyLocked starts (or extends) a caller's secondary window.
// Callers hold s.mu.
func (s *Server) openPenaltyLocked(caller int64, status int, d time.Duration) {
	until := s.opts.WallNow().Add(d)
	if p, ok := s.penalties[caller]; ok && p.until.After(until) {
		return
	}
	s.penalties[caller] = penalty{status: status, until: until}
}

// rateCheck refuses a request whose caller has spent the resource's hourly
// budget. A request after such a refusal and before the reset is a
// violation. Callers hold s.mu.
func (s *Server) rateCheck(c *call, resource string) (response, bool) {
	win := s.window(c, resource)
	if win.used < s.opts.RateLimit {
		return response{}, true
	}
	id := "app"
	if c.inst != nil {
		id = "installation ID " + strconv.FormatInt(c.inst.id, 10)
	}
	if win.refused {
		c.inWindow = true
		s.violate("%s %s: %s kept calling after a primary rate-limit refusal, before X-RateLimit-Reset (%s)",
			c.r.Method, c.r.URL.Path, callerName(c.caller), ts(win.reset))
	}
	win.refused = true
	msg := "API rate limit exceeded for " + id + ". If you reach out to GitHub Support for help, please include the request ID."
	if resource == "graphql" {
		// GitHub reports a spent GraphQL budget as HTTP 200 with an error.
		return jsonResp(http.StatusOK, map[string]any{"errors": []any{map[string]any{
			"type": "RATE_LIMITED", "message": msg,
		}}}), false
	}
	resp := errResp(http.StatusForbidden, msg)
	resp.body.(map[string]any)["documentation_url"] = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"
	return resp, false
}

// contentLimitLocked enforces Options.ContentWritesPerMinute on write
// requests: the write over the limit is refused as a secondary limit with
// Retry-After: 60. Callers hold s.mu.
func (s *Server) contentLimitLocked(c *call) (response, bool) {
	limit := s.opts.ContentWritesPerMinute
	if limit <= 0 || !isWrite(c) {
		return response{}, true
	}
	now := c.at
	recent := s.recentWrites[c.caller][:0]
	for _, t := range s.recentWrites[c.caller] {
		if now.Sub(t) < time.Minute {
			recent = append(recent, t)
		}
	}
	if len(recent) >= limit {
		s.recentWrites[c.caller] = recent
		return secondaryLimited(http.StatusForbidden, time.Minute), false
	}
	s.recentWrites[c.caller] = append(recent, now)
	return response{}, true
}

// SetLatency changes Options.Latency: every API request from now on waits d
// before it is handled (300 ms emulates a busy GitHub).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// RateLimitViolations returns the requests that arrived while their caller
// had been told to wait (Request.InWindow): inside a secondary limit's
// Retry-After window, or after a primary-limit refusal and before the reset.
// A well-behaved client has none.
func (s *Server) RateLimitViolations() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Request
	for _, r := range s.requests {
		if r.InWindow {
			out = append(out, r)
		}
	}
	return out
}

// RateLimited reports whether a caller (an installation ID, or 0 for the
// App) is inside a secondary window right now, and until when.
func (s *Server) RateLimited(caller int64) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.penalties[caller]
	if !ok || !s.opts.WallNow().Before(p.until) {
		return time.Time{}, false
	}
	return p.until, true
}
