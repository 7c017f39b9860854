// Package roster turns the policy's team block into people Overlap can reason
// about: the pure calendar of who works when (Calendar), and, per
// installation, the GitHub side of the roster (Directory): which logins an
// "@org/team" stands for and whose GitHub status says busy.
//
// A Directory caches for its whole life, so build one per sweep or per event:
// a sweep over many pull requests then expands each team once and reads
// everyone's status in a single GraphQL request.
package roster

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"github.com/google/go-github/v60/github"
	"github.com/shurcooL/githubv4"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
)

// Calendar converts the policy's team block into the calendar. It is pure;
// the config package has already validated zones and ranges, so nothing here
// can fail (an unknown zone would read as UTC).
func Calendar(t config.Team) *calendar.Calendar {
	spec := calendar.Spec{
		Team: calendar.Schedule{
			Location: t.Timezone.Location(),
			Hours:    clockRange(t.WorkingHours),
			Days:     days(t.WorkingDays),
			Focus:    focus(t.FocusBlocks),
		},
		People: map[string]calendar.PersonSpec{},
	}
	for _, d := range t.Holidays {
		spec.Team.Holidays = append(spec.Team.Holidays, date(d))
	}
	for login, p := range t.People {
		ps := calendar.PersonSpec{Manager: p.Manager, ReportsTo: strings.TrimPrefix(string(p.ReportsTo), "@")}
		if p.ReportsTo.IsTeam() {
			ps.ReportsTo = "" // a team is not one manager; the calendar keeps logins only
		}
		if p.Timezone != "" {
			ps.Location = p.Timezone.Location()
		}
		if !p.WorkingHours.IsZero() {
			r := clockRange(p.WorkingHours)
			ps.Hours = &r
		}
		if p.WorkingDays != nil {
			d := days(p.WorkingDays)
			ps.Days = &d
		}
		if p.FocusBlocks != nil {
			ps.Focus = focus(p.FocusBlocks)
		}
		for _, a := range p.Away {
			ps.Away = append(ps.Away, calendar.DateRange{From: date(a.From), To: date(a.To)})
		}
		spec.People[login] = ps
	}
	return calendar.New(spec)
}

func clockRange(r config.TimeRange) calendar.ClockRange {
	if r.IsZero() {
		return calendar.ClockRange{}
	}
	return calendar.ClockRange{
		Start: calendar.Clock{Hour: r.Start.Hour(), Minute: r.Start.Minute()},
		End:   calendar.Clock{Hour: r.End.Hour(), Minute: r.End.Minute()},
	}
}

func days(ws []config.Weekday) [7]bool {
	var out [7]bool
	for _, w := range ws {
		if d := w.Std(); d >= 0 && d < 7 {
			out[d] = true
		}
	}
	return out
}

func focus(fs []config.FocusBlock) []calendar.FocusBlock {
	out := make([]calendar.FocusBlock, 0, len(fs))
	for _, f := range fs {
		out = append(out, calendar.FocusBlock{Hours: clockRange(f.Hours), Days: days(f.Days)})
	}
	return out
}

func date(d config.Date) calendar.Date {
	return calendar.Date{Year: d.Year, Month: d.Month, Day: d.Day}
}

// MaxBusyBatch is how many logins one status query asks about. GitHub caps a
// query's nodes, not its aliases, but a bounded document stays cheap.
const MaxBusyBatch = 100

// Directory expands people lists and reads GitHub user status for one
// installation, caching both for its life. It is safe for concurrent use.
type Directory struct {
	rest *github.Client
	v4   *githubv4.Client

	mu    sync.Mutex
	teams map[string][]string // key: lower-case "org/slug"
	busy  map[string]bool     // key: lower-case login; present = known
}

// NewDirectory returns an empty Directory over the installation's clients.
func NewDirectory(rest *github.Client, v4 *githubv4.Client) *Directory {
	return &Directory{rest: rest, v4: v4, teams: map[string][]string{}, busy: map[string]bool{}}
}

// Expand expands people lists: logins as they are (a leading "@" dropped),
// "@org/team" → the team's members (GET /orgs/{org}/teams/{slug}/members,
// paged). Order is kept and duplicates (case-insensitive) are dropped. Each
// team is listed once per Directory.
func (d *Directory) Expand(ctx context.Context, refs []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(login string) {
		if k := strings.ToLower(login); login != "" && !seen[k] {
			seen[k] = true
			out = append(out, login)
		}
	}
	for _, ref := range refs {
		ref = strings.TrimSpace(ref)
		org, slug, isTeam := splitTeam(ref)
		if !isTeam {
			add(strings.TrimPrefix(ref, "@"))
			continue
		}
		members, err := d.TeamMembers(ctx, org, slug)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			add(m)
		}
	}
	return out, nil
}

// splitTeam reads "@org/slug" (or "org/slug").
func splitTeam(ref string) (org, slug string, ok bool) {
	org, slug, ok = strings.Cut(strings.TrimPrefix(ref, "@"), "/")
	return org, slug, ok && org != "" && slug != ""
}

// TeamMembers lists the logins of org's team slug, cached.
func (d *Directory) TeamMembers(ctx context.Context, org, slug string) ([]string, error) {
	key := strings.ToLower(org + "/" + slug)
	d.mu.Lock()
	cached, ok := d.teams[key]
	d.mu.Unlock()
	if ok {
		return cached, nil
	}
	var members []string
	opt := &github.TeamListTeamMembersOptions{ListOptions: github.ListOptions{PerPage: 100}}
	for {
		page, resp, err := d.rest.Teams.ListTeamMembersBySlug(ctx, org, slug, opt)
		if err != nil {
			return nil, fmt.Errorf("list members of team @%s/%s: %w", org, slug, err)
		}
		for _, u := range page {
			members = append(members, u.GetLogin())
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	d.mu.Lock()
	d.teams[key] = members
	d.mu.Unlock()
	return members, nil
}

type userStatus struct {
	Status *struct {
		IndicatesLimitedAvailability bool
	}
}

// Busy reads the GitHub user status ("busy": indicatesLimitedAvailability)
// of logins in one GraphQL request (one alias per login, MaxBusyBatch logins
// per request), asking only about logins not already known. A login that is
// not a GitHub user (a typo, a bot) is not busy. The map has every login
// asked for, keyed as given.
func (d *Directory) Busy(ctx context.Context, logins []string) (map[string]bool, error) {
	var missing []string
	seen := map[string]bool{}
	d.mu.Lock()
	for _, l := range logins {
		k := strings.ToLower(l)
		if _, known := d.busy[k]; !known && !seen[k] && l != "" {
			seen[k] = true
			missing = append(missing, l)
		}
	}
	d.mu.Unlock()
	for len(missing) > 0 {
		n := min(len(missing), MaxBusyBatch)
		got, err := d.queryBusy(ctx, missing[:n])
		if err != nil {
			return nil, err
		}
		d.mu.Lock()
		for l, b := range got {
			d.busy[strings.ToLower(l)] = b
		}
		d.mu.Unlock()
		missing = missing[n:]
	}
	out := make(map[string]bool, len(logins))
	d.mu.Lock()
	for _, l := range logins {
		out[l] = d.busy[strings.ToLower(l)]
	}
	d.mu.Unlock()
	return out, nil
}

// queryBusy asks for the status of logins with aliased user(login:) fields.
func (d *Directory) queryBusy(ctx context.Context, logins []string) (map[string]bool, error) {
	fields := make([]reflect.StructField, len(logins))
	vars := map[string]any{}
	for i, l := range logins {
		v := fmt.Sprintf("l%d", i)
		vars[v] = githubv4.String(l)
		fields[i] = reflect.StructField{
			Name: fmt.Sprintf("U%d", i),
			Type: reflect.TypeOf((*userStatus)(nil)),
			Tag:  reflect.StructTag(fmt.Sprintf(`graphql:"u%d: user(login: $%s)"`, i, v)),
		}
	}
	q := reflect.New(reflect.StructOf(fields))
	if err := d.v4.Query(ctx, q.Interface(), vars); err != nil && !onlyNotFound(err) {
		return nil, fmt.Errorf("read GitHub status of %d people: %w", len(logins), err)
	}
	out := make(map[string]bool, len(logins))
	for i, l := range logins {
		u, _ := q.Elem().Field(i).Interface().(*userStatus)
		out[l] = u != nil && u.Status != nil && u.Status.IndicatesLimitedAvailability
	}
	return out, nil
}

// onlyNotFound reports whether every GraphQL error is GitHub's "Could not
// resolve to a User" (an unknown login), which leaves that alias null and the
// rest of the answer valid. githubv4's error type is an unexported slice whose
// Error() shows only the first message, so the slice is read by reflection.
func onlyNotFound(err error) bool {
	const notFound = "Could not resolve to"
	v := reflect.ValueOf(err)
	if v.Kind() != reflect.Slice {
		return strings.Contains(err.Error(), notFound)
	}
	for i := range v.Len() {
		e := v.Index(i)
		if e.Kind() != reflect.Struct {
			return false
		}
		m := e.FieldByName("Message")
		if !m.IsValid() || m.Kind() != reflect.String || !strings.Contains(m.String(), notFound) {
			return false
		}
	}
	return v.Len() > 0
}
