package docs

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/authz"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/roster"
)

// people is the documentation-duty roster as GitHub sees it at one
// instant: the rotation with teams expanded, and who says busy.
type people struct {
	rotation []string
	busy     map[string]bool
	teams    map[string][]string // "org/slug" → members (lower-case logins)
}

type peopleEntry struct {
	at  time.Time
	val people
}

// rotationPeople expands the rotation's @org/team entries into members
// (GET /orgs/{org}/teams/{slug}/members, one call per team) and asks
// GitHub, in one GraphQL query with one alias per person, whose status
// indicates limited availability. An org sweep reuses the answer for every
// repository swept at the same instant with the same rotation.
func (f *Feature) rotationPeople(ctx context.Context, env *handlers.Env, rotation []string) (people, error) {
	key := fmt.Sprintf("%d|%s", env.InstallationID, strings.ToLower(strings.Join(rotation, ",")))
	f.mu.Lock()
	if e, ok := f.people[key]; ok && e.at.Equal(env.Now) {
		f.mu.Unlock()
		return e.val, nil
	}
	f.mu.Unlock()

	p := people{busy: map[string]bool{}, teams: map[string][]string{}}
	dir := roster.NewDirectory(env.REST, env.GraphQL)
	var refs []string
	for _, r := range rotation {
		org, slug, isTeam := config.PersonRef(r).Team()
		if isTeam {
			members, err := dir.TeamMembers(ctx, org, slug)
			var ghErr *github.ErrorResponse
			if errors.As(err, &ghErr) && ghErr.Response != nil && ghErr.Response.StatusCode == http.StatusNotFound {
				// A team that does not exist (or is not visible) puts nobody on duty.
				zerolog.Ctx(ctx).Warn().Str("team", org+"/"+slug).Msg("docs: duty rotation names a team GitHub does not know")
				continue
			}
			if err != nil {
				return people{}, err
			}
			lower := make([]string, len(members))
			for i, m := range members {
				lower[i] = strings.ToLower(m)
			}
			p.teams[strings.ToLower(org+"/"+slug)] = lower
		}
		refs = append(refs, r)
	}
	expanded, err := dir.Expand(ctx, refs) // teams are cached by now: no further calls
	if err != nil {
		return people{}, err
	}
	p.rotation = expanded
	busy, err := dir.Busy(ctx, p.rotation)
	if err != nil {
		// A status is a courtesy: without it the rotation still works.
		zerolog.Ctx(ctx).Warn().Err(err).Msg("docs: could not read GitHub statuses of the duty rotation")
	}
	for l, b := range busy {
		if b {
			p.busy[strings.ToLower(l)] = true
		}
	}

	f.mu.Lock()
	if f.people == nil {
		f.people = map[string]peopleEntry{}
	}
	for k, e := range f.people {
		if !e.at.Equal(env.Now) {
			delete(f.people, k) // an older sweep's answer
		}
	}
	f.people[key] = peopleEntry{at: env.Now, val: p}
	f.mu.Unlock()
	return p, nil
}

// AwayForDuty returns the "skip this person" test for a duty period that
// starts at start and lasts every: a person is skipped when their GitHub
// status says busy, when they are away on the period's first day, or when
// they are away on most of its days.
func AwayForDuty(cal *calendar.Calendar, busy map[string]bool, start time.Time, every time.Duration) func(string) bool {
	if every <= 0 {
		every = DefaultDutyEvery
	}
	n := int(every / (24 * time.Hour))
	if n < 1 {
		n = 1
	}
	return func(login string) bool {
		if busy[strings.ToLower(login)] {
			return true
		}
		if cal == nil {
			return false
		}
		if cal.IsAway(login, start) {
			return true
		}
		away := 0
		for i := 0; i < n; i++ {
			if cal.IsAway(login, start.AddDate(0, 0, i)) {
				away++
			}
		}
		return 2*away > n
	}
}

// isWriter reports whether login may record a review by role alone: the
// rule of internal/authz for docs.reviewed (write, maintain or admin; a
// bot or a deleted account never). The doc's owner and the person on duty
// may record one too; ApplyReviewed adds those per doc. It costs one
// permission read; its callers ask once per person per event (rederive
// keeps a map), and GitHub not answering is an error, so the job is
// retried rather than the review refused.
func isWriter(ctx context.Context, env *handlers.Env, login string) (bool, error) {
	d, err := authz.NewChecker(env.REST, env.Repo.Owner, env.Repo.Name).
		Authorize(ctx, authz.Request{Action: authz.DocsReviewed, Actor: authz.Actor{Login: login}})
	if err != nil {
		return false, fmt.Errorf("docs: may %s record a review on %s: %w", login, env.Repo.FullName(), err)
	}
	return d.Allowed, nil
}
