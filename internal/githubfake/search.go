package githubfake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// The root search field, for the one search the app makes: merged pull
// requests of an organization or repositories in a week
// ("is:pr is:merged org:acme merged:2026-11-30..2026-12-06"). Supported
// qualifiers: is:pr, is:issue, is:open, is:closed, is:merged, is:unmerged,
// org:, user:, repo:, author:, merged:, created:, closed: (dates
// YYYY-MM-DD or RFC 3339, as A..B, >=A, >A, <=A, <A or A). Anything else
// (free text, other qualifiers, sort:) is an error, recorded as a
// violation, so a query the emulator cannot answer faithfully fails loudly.
// Results are limited to the installation's repositories, newest first
// (by merge, then creation, time), capped at 1,000 like GitHub.

type searchFilter struct {
	isPR, isIssue bool
	state         string // "", open, closed
	merged        int    // 0 any, 1 merged, -1 unmerged
	owners        []string
	repos         []string
	authors       []string
	mergedR       *timeRange
	createdR      *timeRange
	closedR       *timeRange
}

type timeRange struct{ from, to time.Time } // inclusive; zero = open end

func (r *timeRange) has(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	return (r.from.IsZero() || !t.Before(r.from)) && (r.to.IsZero() || !t.After(r.to))
}

// parseSearchDate reads a date or time; end asks for the last instant of a
// date-only value (GitHub's ranges include both days).
func parseSearchDate(v string, end bool) (time.Time, error) {
	if v == "*" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, nil
}

func parseRange(q, v string) (*timeRange, error) {
	bad := fmt.Errorf("Invalid search query %q: cannot parse the date in %q", q, v)
	var r timeRange
	var err error
	switch {
	case strings.Contains(v, ".."):
		a, b, _ := strings.Cut(v, "..")
		if r.from, err = parseSearchDate(a, false); err != nil {
			return nil, bad
		}
		if r.to, err = parseSearchDate(b, true); err != nil {
			return nil, bad
		}
	case strings.HasPrefix(v, ">="):
		r.from, err = parseSearchDate(v[2:], false)
	case strings.HasPrefix(v, "<="):
		r.to, err = parseSearchDate(v[2:], true)
	case strings.HasPrefix(v, ">"):
		r.from, err = parseSearchDate(v[1:], true)
		r.from = r.from.Add(time.Nanosecond)
	case strings.HasPrefix(v, "<"):
		r.to, err = parseSearchDate(v[1:], false)
		r.to = r.to.Add(-time.Nanosecond)
	default:
		if r.from, err = parseSearchDate(v, false); err == nil {
			r.to, err = parseSearchDate(v, true)
		}
	}
	if err != nil {
		return nil, bad
	}
	return &r, nil
}

func parseSearchQuery(q string) (*searchFilter, error) {
	f := &searchFilter{}
	for _, tok := range strings.Fields(q) {
		key, val, ok := strings.Cut(tok, ":")
		if !ok || val == "" {
			return nil, fmt.Errorf("githubfake: search text %q is not supported (only qualifiers: is:pr, is:merged, org:, repo:, author:, merged:A..B, ...)", tok)
		}
		var err error
		switch strings.ToLower(key) {
		case "is", "type":
			switch strings.ToLower(val) {
			case "pr":
				f.isPR = true
			case "issue":
				f.isIssue = true
			case "open", "closed":
				f.state = strings.ToLower(val)
			case "merged":
				f.merged = 1
			case "unmerged":
				f.merged = -1
			default:
				return nil, fmt.Errorf("githubfake: search qualifier %q is not supported", tok)
			}
		case "org", "user":
			f.owners = append(f.owners, strings.ToLower(val))
		case "repo":
			if !strings.Contains(val, "/") {
				return nil, fmt.Errorf("Invalid search query %q: repo: needs owner/name", q)
			}
			f.repos = append(f.repos, strings.ToLower(val))
		case "author":
			f.authors = append(f.authors, strings.ToLower(strings.TrimPrefix(val, "@")))
		case "merged":
			f.mergedR, err = parseRange(q, val)
		case "created":
			f.createdR, err = parseRange(q, val)
		case "closed":
			f.closedR, err = parseRange(q, val)
		default:
			return nil, fmt.Errorf("githubfake: search qualifier %q is not supported", tok)
		}
		if err != nil {
			return nil, err
		}
	}
	return f, nil
}

func matchAny(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	return contains(list, strings.ToLower(v))
}

func (s *Server) gqlSearch(c *call, a map[string]any) (any, error) {
	if typ := str(a["type"]); typ != "ISSUE" {
		return nil, fmt.Errorf("githubfake: search type %s is not supported (only ISSUE)", typ)
	}
	f, err := parseSearchQuery(str(a["query"]))
	if err != nil {
		return nil, err
	}
	if !f.isPR && (f.merged != 0 || f.mergedR != nil) {
		f.isPR = true // is:merged and merged: imply pull requests
	}
	if !f.isPR && !f.isIssue {
		return nil, fmt.Errorf("githubfake: say is:pr (issues are not searchable in the emulator)")
	}
	if f.isIssue {
		return nil, fmt.Errorf("githubfake: is:issue search is not supported")
	}
	type hit struct {
		rp *repo
		is *issue
	}
	var hits []hit
	for _, rp := range s.repos {
		if rp.inst != c.inst.id || !matchAny(f.owners, rp.owner.login) || !matchAny(f.repos, rp.fullName()) {
			continue
		}
		for _, n := range sortedIssueNumbers(rp) {
			is := rp.issues[n]
			if is.pr == nil || !matchAny(f.authors, strings.TrimSuffix(is.user.login, "[bot]")) && !matchAny(f.authors, is.user.login) {
				continue
			}
			if f.state != "" && is.state != f.state {
				continue
			}
			if (f.merged == 1 && !is.pr.merged) || (f.merged == -1 && is.pr.merged) {
				continue
			}
			if (f.mergedR != nil && !f.mergedR.has(is.pr.mergedAt)) || (f.createdR != nil && !f.createdR.has(is.created)) ||
				(f.closedR != nil && !f.closedR.has(is.closed)) {
				continue
			}
			hits = append(hits, hit{rp, is})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		ti, tj := hits[i].is.pr.mergedAt, hits[j].is.pr.mergedAt
		if !ti.Equal(tj) {
			return ti.After(tj)
		}
		if !hits[i].is.created.Equal(hits[j].is.created) {
			return hits[i].is.created.After(hits[j].is.created)
		}
		if hits[i].rp.fullName() != hits[j].rp.fullName() {
			return hits[i].rp.fullName() < hits[j].rp.fullName()
		}
		return hits[i].is.number > hits[j].is.number
	})
	total := len(hits)
	if len(hits) > 1000 {
		hits = hits[:1000]
	}
	items := make([]any, len(hits))
	for i, h := range hits {
		node := s.gqlPull(h.rp, h.is)
		node["repository"] = map[string]any{
			"__typename": "Repository", "nameWithOwner": h.rp.fullName(), "name": h.rp.name, "id": nodeID("R", h.rp.id),
			"url": "https://github.com/" + h.rp.fullName(), "owner": s.gqlActor(h.rp.owner),
		}
		items[i] = node
	}
	conn, err := gqlConnection(a, items, total)
	if err != nil {
		return nil, err
	}
	m := conn
	m["issueCount"] = total
	m["codeCount"], m["discussionCount"], m["repositoryCount"], m["userCount"], m["wikiCount"] = 0, 0, 0, 0, 0
	return m, nil
}
