package roster_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/palantir/go-githubapp/githubapp"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/roster"
)

const policyYAML = `
team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  working_days: [mon, tue, wed, thu, fri]
  focus_blocks: ["09:30-11:30", "tue,thu 14:00-16:00"]
  holidays: [2026-12-25]
  people:
    alice: {timezone: America/New_York, working_hours: "08:00-16:00", manager: true}
    bob:   {timezone: Asia/Singapore, reports_to: alice, away: [2026-11-30..2026-12-04]}
    carol: {timezone: Europe/Berlin, working_days: [mon, tue, wed, thu], focus_blocks: [], reports_to: alice}
`

func TestCalendarFromPolicy(t *testing.T) {
	p, probs := config.Parse(".github/overlap.yml", []byte(policyYAML))
	if len(probs) > 0 {
		t.Fatalf("policy: %v", probs)
	}
	c := roster.Calendar(p.Team)
	ny, _ := time.LoadLocation("America/New_York")
	london, _ := time.LoadLocation("Europe/London")
	sg, _ := time.LoadLocation("Asia/Singapore")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tests := []struct {
		name    string
		login   string
		t       time.Time
		working bool
		focus   bool
	}{
		{"alice at 08:30 New York works (own hours)", "alice", time.Date(2026, 11, 24, 8, 30, 0, 0, ny), true, false},
		{"alice at 16:30 New York is off", "alice", time.Date(2026, 11, 24, 16, 30, 0, 0, ny), false, false},
		{"alice in the every-day focus block on her clock", "alice", time.Date(2026, 11, 24, 10, 0, 0, 0, ny), true, true},
		{"alice in the tue/thu block on a Tuesday", "alice", time.Date(2026, 11, 24, 14, 30, 0, 0, ny), true, true},
		{"alice free at the same time on Wednesday", "alice", time.Date(2026, 11, 25, 14, 30, 0, 0, ny), true, false},
		{"bob away", "bob", time.Date(2026, 12, 1, 12, 0, 0, 0, sg), false, false},
		{"bob back", "bob", time.Date(2026, 12, 7, 12, 0, 0, 0, sg), true, false},
		{"bob on the team holiday in Singapore", "bob", time.Date(2026, 12, 25, 12, 0, 0, 0, sg), false, false},
		{"carol has no focus blocks", "carol", time.Date(2026, 11, 24, 10, 0, 0, 0, berlin), true, false},
		{"carol does not work Fridays", "carol", time.Date(2026, 11, 27, 12, 0, 0, 0, berlin), false, false},
		{"an outsider gets the team's London hours", "zed", time.Date(2026, 11, 24, 12, 0, 0, 0, london), true, false},
		{"an outsider before the team's hours", "zed", time.Date(2026, 11, 24, 8, 0, 0, 0, london), false, false},
	}
	for _, tt := range tests {
		if got := c.IsWorking(tt.login, tt.t); got != tt.working {
			t.Errorf("%s: IsWorking = %v, want %v", tt.name, got, tt.working)
		}
		if got := c.InFocus(tt.login, tt.t); got != tt.focus {
			t.Errorf("%s: InFocus = %v, want %v", tt.name, got, tt.focus)
		}
	}
	if m, ok := c.ManagerOf("bob"); !ok || m.Login != "alice" || !m.Manager {
		t.Errorf("ManagerOf(bob) = %+v, %v", m, ok)
	}
	if got := c.Person("alice").Schedule.Location.String(); got != "America/New_York" {
		t.Errorf("alice's zone = %s", got)
	}
}

func TestCalendarDefaults(t *testing.T) {
	c := roster.Calendar(config.Defaults().Team)
	mon := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	if !c.IsWorking("anyone", mon) || c.IsWorking("anyone", mon.Add(8*time.Hour)) {
		t.Error("default team works 09:00-17:00 UTC")
	}
	if c.IsWorking("anyone", mon.AddDate(0, 0, -1)) {
		t.Error("default team does not work Sundays")
	}
}

type world struct {
	fake *githubfake.Server
	dir  *roster.Directory
}

func newWorld(t *testing.T) *world {
	t.Helper()
	f := githubfake.NewTest(t, githubfake.Options{})
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "acme", "api", githubfake.RepoOptions{})
	cc := githubapp.NewClientCreator(f.URL()+"/", f.URL()+"/graphql", f.AppID(), f.AppPrivateKeyPEM())
	rest, err := cc.NewInstallationClient(inst)
	if err != nil {
		t.Fatal(err)
	}
	v4, err := cc.NewInstallationV4Client(inst)
	if err != nil {
		t.Fatal(err)
	}
	return &world{fake: f, dir: roster.NewDirectory(rest, v4)}
}

func TestExpand(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.fake.AddTeam("acme", "platform", []string{"carol", "Alice", "dave"})
	var big []string
	for i := range 130 {
		big = append(big, fmt.Sprintf("user%03d", i))
	}
	w.fake.AddTeam("acme", "everyone", big)

	got, err := w.dir.Expand(ctx, []string{"alice", "@acme/platform", "@bob", "dave"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"alice", "carol", "dave", "bob"}; !slices.Equal(got, want) {
		t.Errorf("Expand = %v, want %v (order kept, case-insensitive duplicates dropped)", got, want)
	}
	w.fake.ResetCalls()
	if _, err := w.dir.Expand(ctx, []string{"@acme/platform"}); err != nil {
		t.Fatal(err)
	}
	if n := w.fake.TotalCalls(); n != 0 {
		t.Errorf("second expansion of the same team made %d calls, want 0 (cached)", n)
	}
	all, err := w.dir.Expand(ctx, []string{"@acme/everyone"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 130 || all[129] != "user129" {
		t.Errorf("a 130-member team expanded to %d logins, want all pages", len(all))
	}
	if n := w.fake.Calls()["GET /orgs/{org}/teams/{team_slug}/members"]; n != 2 {
		t.Errorf("130 members took %d requests, want 2 pages of 100", n)
	}
	if _, err := w.dir.Expand(ctx, []string{"@acme/nope"}); err == nil {
		t.Error("an unknown team should be an error")
	}
}

func TestBusy(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for _, l := range []string{"alice", "bob", "carol"} {
		w.fake.AddUser(l, "")
	}
	w.fake.SetUserStatus("bob", "Heads down", true)
	w.fake.SetUserStatus("carol", "On a train", false)

	got, err := w.dir.Busy(ctx, []string{"alice", "bob", "carol", "ghost-user"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"alice": false, "bob": true, "carol": false, "ghost-user": false}
	for l, b := range want {
		if got[l] != b {
			t.Errorf("Busy[%s] = %v, want %v", l, got[l], b)
		}
	}
	if n := len(w.fake.GraphQLQueries()); n != 1 {
		t.Errorf("%d GraphQL requests, want 1 for all logins", n)
	}
	// Cached: asking again (any case) costs nothing; a new login costs one.
	if _, err := w.dir.Busy(ctx, []string{"BOB", "alice"}); err != nil {
		t.Fatal(err)
	}
	if n := len(w.fake.GraphQLQueries()); n != 1 {
		t.Errorf("cached logins were queried again: %d requests", n)
	}
	w.fake.AddUser("erin", "")
	w.fake.SetUserStatus("erin", "Out sick", true)
	got, err = w.dir.Busy(ctx, []string{"bob", "erin"})
	if err != nil {
		t.Fatal(err)
	}
	if !got["erin"] || !got["bob"] || len(w.fake.GraphQLQueries()) != 2 {
		t.Errorf("Busy = %v after %d requests; want erin and bob busy with one more request", got, len(w.fake.GraphQLQueries()))
	}
}

func TestCalendarIsUsableWithBusy(t *testing.T) {
	c := roster.Calendar(config.Defaults().Team)
	noon := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	c.SetBusy(map[string]bool{"bob": true})
	if c.MayPing("bob", noon, calendar.Normal) || !c.MayPing("alice", noon, calendar.Normal) {
		t.Error("a busy person may not be pinged; others may")
	}
}
