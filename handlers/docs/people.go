package docs

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/rs/zerolog"
	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/calendar"
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
	seen := map[string]bool{}
	add := func(login string) {
		if k := strings.ToLower(login); !seen[k] {
			seen[k] = true
			p.rotation = append(p.rotation, login)
		}
	}
	for _, r := range rotation {
		ref := config.PersonRef(r)
		org, slug, isTeam := ref.Team()
		if !isTeam {
			add(strings.TrimPrefix(r, "@"))
			continue
		}
		members, err := teamMembers(ctx, env, org, slug)
		if err != nil {
			return people{}, err
		}
		p.teams[strings.ToLower(org+"/"+slug)] = members
		for _, m := range members {
			add(m)
		}
	}
	busy, err := busyStatuses(ctx, env, p.rotation)
	if err != nil {
		// A status is a courtesy: without it the rotation still works.
		zerolog.Ctx(ctx).Warn().Err(err).Msg("docs: could not read GitHub statuses of the duty rotation")
	}
	p.busy = busy

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

// teamMembers lists a team's members (all pages).
func teamMembers(ctx context.Context, env *handlers.Env, org, slug string) ([]string, error) {
	var out []string
	opt := &github.TeamListTeamMembersOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := env.REST.Teams.ListTeamMembersBySlug(ctx, org, slug, opt)
		if err != nil {
			if resp != nil && resp.StatusCode == http.StatusNotFound {
				return nil, nil // no such team (or not visible): nobody from it
			}
			return nil, fmt.Errorf("list members of @%s/%s: %w", org, slug, err)
		}
		for _, u := range page {
			out = append(out, u.GetLogin())
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}

type userStatus struct {
	Status *struct {
		IndicatesLimitedAvailability bool
	}
}

// busyStatuses asks, in one GraphQL request, which logins have a GitHub
// status saying busy: `uN: user(login: $lN) { status { indicatesLimitedAvailability } }`.
func busyStatuses(ctx context.Context, env *handlers.Env, logins []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(logins) == 0 || env.GraphQL == nil {
		return out, nil
	}
	vars := map[string]any{}
	fields := make([]reflect.StructField, len(logins))
	for i, l := range logins {
		v := fmt.Sprintf("l%d", i)
		vars[v] = githubv4.String(l)
		fields[i] = reflect.StructField{
			Name: fmt.Sprintf("U%d", i),
			Type: reflect.PointerTo(reflect.TypeOf(userStatus{})),
			Tag:  reflect.StructTag(fmt.Sprintf(`graphql:"u%d: user(login: $%s)"`, i, v)),
		}
	}
	q := reflect.New(reflect.StructOf(fields))
	// githubv4 decodes the data before it returns the errors, so a login
	// that no longer exists (NOT_FOUND for its alias) does not hide the
	// others' statuses.
	qerr := env.GraphQL.Query(ctx, q.Interface(), vars)
	if qerr != nil {
		qerr = fmt.Errorf("query statuses of %s: %w", strings.Join(logins, ", "), qerr)
	}
	for i, l := range logins {
		u := q.Elem().Field(i)
		if u.IsNil() {
			continue
		}
		if st := u.Interface().(*userStatus).Status; st != nil && st.IndicatesLimitedAvailability {
			out[strings.ToLower(l)] = true
		}
	}
	return out, qerr
}

// rosterCalendar builds a calendar from the policy's team block: zones and
// away ranges are all duty needs. (A shared config→calendar conversion is
// being written in internal/roster; this private one covers duty only.)
func rosterCalendar(t config.Team) *calendar.Calendar {
	spec := calendar.Spec{Team: calendar.Schedule{Location: t.Timezone.Location()}, People: map[string]calendar.PersonSpec{}}
	for login, p := range t.People {
		ps := calendar.PersonSpec{}
		if p.Timezone != "" {
			ps.Location = p.Timezone.Location()
		}
		for _, r := range p.Away {
			ps.Away = append(ps.Away, calendar.DateRange{
				From: calendar.Date{Year: r.From.Year, Month: r.From.Month, Day: r.From.Day},
				To:   calendar.Date{Year: r.To.Year, Month: r.To.Month, Day: r.To.Day},
			})
		}
		spec.People[login] = ps
	}
	return calendar.New(spec)
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

// isWriter reports whether login may push to the repository (admin,
// maintain or write), with one call.
func isWriter(ctx context.Context, env *handlers.Env, login string) (bool, error) {
	lvl, resp, err := env.REST.Repositories.GetPermissionLevel(ctx, env.Repo.Owner, env.Repo.Name, login)
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusNotFound {
			return false, nil
		}
		return false, fmt.Errorf("permission of %s on %s: %w", login, env.Repo.FullName(), err)
	}
	switch lvl.GetPermission() {
	case "admin", "maintain", "write":
		return true, nil
	}
	return false, nil
}
