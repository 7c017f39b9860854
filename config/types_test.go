package config

import (
	"testing"
	"time"
)

func TestDuration(t *testing.T) {
	cases := []struct {
		in   string
		want time.Duration
		str  string
		err  string
	}{
		{in: "90d", want: 90 * day, str: "90d"},
		{in: "1w", want: week, str: "1w"},
		{in: "4h", want: 4 * time.Hour, str: "4h"},
		{in: "30m", want: 30 * time.Minute, str: "30m"},
		{in: "1h30m", want: 90 * time.Minute, str: "1h30m"},
		{in: "2w3d", want: 17 * day, str: "17d"},
		{in: "14d", want: 2 * week, str: "2w"},
		{in: "0", want: 0, str: "0"},
		{in: "9x", err: `bad duration "9x": use a number and a unit: m, h, d or w, e.g. 4h or 90d`},
		{in: "4", err: `bad duration "4": use a number and a unit: m, h, d or w, e.g. 4h or 90d`},
		{in: "-4h", err: `bad duration "-4h": use a number and a unit: m, h, d or w, e.g. 4h or 90d`},
		{in: "", err: `bad duration "": use a number and a unit: m, h, d or w, e.g. 4h or 90d`},
		{in: "999999w", err: `bad duration "999999w": longer than 100 years`},
	}
	for _, c := range cases {
		got, err := ParseDuration(c.in)
		if c.err != "" {
			if err == nil || err.Error() != c.err {
				t.Errorf("ParseDuration(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || got.Std() != c.want || got.String() != c.str {
			t.Errorf("ParseDuration(%q) = %v (%s), %v; want %v (%s)", c.in, got.Std(), got, err, c.want, c.str)
		}
	}
}

func TestServerDurationAcceptsSecondsAndDays(t *testing.T) {
	for in, want := range map[string]time.Duration{"30s": 30 * time.Second, "2m": 2 * time.Minute, "1d": day, "1h30m": 90 * time.Minute} {
		if got, err := parseServerDuration(in); err != nil || got != want {
			t.Errorf("parseServerDuration(%q) = %v, %v", in, got, err)
		}
	}
}

func TestScalarTypes(t *testing.T) {
	ok := []struct {
		p  scalarParser
		in string
	}{
		{new(TimeRange), "00:00-23:59"},
		{new(TimeRange), "18:00-24:00"}, // until midnight, as the calendar reads it
		{new(Weekday), "thurs"},
		{new(Weekday), "Thursday"},
		{new(Weekday), "SUN"},
		{new(DateRange), "2026-02-28..2026-03-01"},
		{new(DateRange), "2026-02-28..2026-02-28"},
		{new(Zone), "America/Argentina/Buenos_Aires"},
		{new(PersonRef), "@acme/web-team"},
		{new(PersonRef), "@octo-cat"},
		{new(FocusBlock), "mon,wed 13:00-14:30"},
		{new(Glob), "src/**/*.{go,md}"},
	}
	for _, c := range ok {
		if err := c.p.parseScalar(c.in); err != nil {
			t.Errorf("%T %q: %v", c.p, c.in, err)
		}
	}
	bad := []struct {
		p    scalarParser
		in   string
		want string
	}{
		{new(TimeRange), "09:00-09:00", `bad time range "09:00-09:00": start must be before end (hint: use HH:MM-HH:MM, e.g. 09:00-17:00)`},
		{new(TimeRange), "24:00-25:00", `bad time range "24:00-25:00" (hint: use HH:MM-HH:MM, e.g. 09:00-17:00)`},
		{new(TimeRange), "9:00-17:00", `bad time range "9:00-17:00" (hint: use HH:MM-HH:MM, e.g. 09:00-17:00)`},
		{new(TimeOfDay), "9:30", `bad time "9:30" (hint: use a 24-hour time such as 09:00)`},
		{new(DateRange), "2026-02-30", `bad date range "2026-02-30" (hint: use YYYY-MM-DD..YYYY-MM-DD or a single date)`},
		{new(Zone), "Local", `unknown time zone "Local" (hint: use an IANA name such as Europe/London)`},
		{new(Zone), "EST5EDT/x", `unknown time zone "EST5EDT/x" (hint: use an IANA name such as Europe/London)`},
		{new(PersonRef), "@acme/", `bad team "@acme/" (hint: write teams as @org/team-slug)`},
		{new(PersonRef), "not a login", `bad login "not a login" (hint: use a GitHub login such as octocat, or a team as @org/team-slug)`},
		{new(FocusBlock), "noon 12:00-13:00", `bad focus block "noon 12:00-13:00": unknown weekday "noon" (hint: use HH:MM-HH:MM, optionally after days: "tue,thu 13:00-15:00")`},
		{new(CheckMode), "blocking", `unknown check mode "blocking" (hint: use required or advisory)`},
	}
	for _, c := range bad {
		err := c.p.parseScalar(c.in)
		if err == nil || err.Error() != c.want {
			t.Errorf("%T %q: got %v, want %s", c.p, c.in, err, c.want)
		}
	}
}

func TestTeamMemberInheritsTeam(t *testing.T) {
	team := defaultTeam()
	team.Timezone = "Asia/Tokyo"
	team.People = map[string]Person{"carol": {WorkingDays: []Weekday{6}}}
	c := team.Member("carol")
	if c.Timezone != "Asia/Tokyo" || c.WorkingHours.String() != "09:00-17:00" || !WorksOn(c.WorkingDays, 6) || WorksOn(c.WorkingDays, 1) {
		t.Errorf("carol: %+v", c)
	}
	if c.Timezone.Location().String() != "Asia/Tokyo" {
		t.Errorf("location: %v", c.Timezone.Location())
	}
	if stranger := team.Member("dave"); stranger.Timezone != "Asia/Tokyo" || len(stranger.WorkingDays) != 5 {
		t.Errorf("unknown login should get team settings: %+v", stranger)
	}
}
