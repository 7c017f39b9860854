package weekly

import (
	"reflect"
	"testing"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/roster"
)

// testPolicy is a team in London with people in London, New York and
// Singapore, and one person away the whole of 2026-W49.
const testPolicy = `
team:
  timezone: Europe/London
  people:
    alice: {timezone: Europe/London}
    bob:   {timezone: America/New_York}
    carol: {timezone: Asia/Singapore}
    dave:  {timezone: Europe/London, away: [2026-11-30..2026-12-06]}
weekly_updates:
  enabled: true
`

func fixture(t testing.TB, extra string) (config.Policy, *calendar.Calendar) {
	t.Helper()
	pol, probs := config.Parse(".github/overlap.yml", []byte(testPolicy+extra))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	return pol, roster.Calendar(pol.Team)
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRoster(t *testing.T) {
	pol, cal := fixture(t, "")
	week := WeekOf(utc("2026-12-02T12:00:00Z"), pol.Team.Timezone.Location())
	cal.SetBusy(map[string]bool{"erin": true})
	rows := Roster(append(Participants(pol), "erin", "ALICE"), cal, week, map[string]Reply{
		"Bob":      {Blockers: []string{"x"}},
		"carol":    {}, // an empty reply (only "Blockers: none") is not a post
		"outsider": {Shipped: []string{"y"}},
		"dave":     {Shipped: []string{"posted from the beach"}},
	})
	want := []Row{
		{"alice", "Europe/London", Missing},
		{"bob", "America/New_York", Posted},
		{"carol", "Asia/Singapore", Missing},
		{"dave", "Europe/London", Posted},
		{"erin", "Europe/London", Away},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("Roster:\n got %v\nwant %v", rows, want)
	}
	rows = Roster(Participants(pol), cal, week, nil)
	if rows[3].Status != Away {
		t.Errorf("dave away all week: %v", rows[3])
	}
	if p, n, away := Participation(rows); p != 0 || n != 3 || !reflect.DeepEqual(away, []string{"dave"}) {
		t.Errorf("Participation = %d of %d, away %v", p, n, away)
	}
	// Away only Monday to Wednesday: expected to post.
	pol2, _ := config.Parse("x", []byte("team:\n  people:\n    dave: {away: [2026-11-30..2026-12-02]}\n"))
	cal2 := roster.Calendar(pol2.Team)
	if AwayAllWeek(cal2, "dave", week) {
		t.Error("dave is back on Thursday")
	}
}

func TestParticipantsConfigured(t *testing.T) {
	pol, _ := fixture(t, "  participants: [carol, \"@acme/platform\"]\n")
	if got := Participants(pol); !reflect.DeepEqual(got, []string{"carol", "@acme/platform"}) {
		t.Errorf("got %v", got)
	}
}

func TestShouldOpenAndSummarize(t *testing.T) {
	pol, _ := fixture(t, "")
	london := pol.Team.Timezone.Location()
	for _, c := range []struct {
		name       string
		now        string
		exists     bool
		open, summ bool
	}{
		{"before Monday 09:00", "2026-11-30T08:59:00Z", false, false, false},
		{"Monday 09:00", "2026-11-30T09:00:00Z", false, true, false},
		{"thread exists", "2026-11-30T09:00:00Z", true, false, false},
		{"missed Monday caught up Wednesday", "2026-12-02T03:00:00Z", false, true, false},
		{"Friday 15:59", "2026-12-04T15:59:00Z", true, false, false},
		{"Friday 16:00", "2026-12-04T16:00:00Z", true, false, true},
		{"summary re-run Saturday", "2026-12-05T10:00:00Z", true, false, true},
		{"no summary without a thread", "2026-12-04T16:00:00Z", false, true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			now := utc(c.now)
			week := WeekOf(now, london)
			if got := ShouldOpen(now, pol.Weekly, week, c.exists); got != c.open {
				t.Errorf("ShouldOpen = %v", got)
			}
			if got := ShouldSummarize(now, pol.Weekly, week, c.exists); got != c.summ {
				t.Errorf("ShouldSummarize = %v", got)
			}
		})
	}
	off := pol.Weekly
	off.Enabled = false
	if ShouldOpen(utc("2026-11-30T10:00:00Z"), off, WeekOf(utc("2026-11-30T10:00:00Z"), london), false) {
		t.Error("disabled feature opened a thread")
	}
	// British Summer Time: Monday 09:00 in London is 08:00 UTC.
	bst := WeekOf(utc("2026-04-01T12:00:00Z"), london)
	if got := OpenAt(pol.Weekly, bst).UTC(); !got.Equal(utc("2026-03-30T08:00:00Z")) {
		t.Errorf("OpenAt in BST = %s", got)
	}
}

func TestReminders(t *testing.T) {
	pol, cal := fixture(t, "")
	london := pol.Team.Timezone.Location()
	w49 := WeekOf(utc("2026-12-01T12:00:00Z"), london)
	for login, want := range map[string]string{
		"alice": "2026-12-03T14:00:00Z",
		"bob":   "2026-12-03T19:00:00Z",
		"carol": "2026-12-03T06:00:00Z",
	} {
		if got, ok := ReminderAt(pol.Weekly, cal, login, w49); !ok || !got.Equal(utc(want)) {
			t.Errorf("ReminderAt(%s) = %s %v, want %s", login, got.UTC(), ok, want)
		}
	}
	rows := Roster(Participants(pol), cal, w49, nil)
	for _, c := range []struct {
		name     string
		now      string
		reminded []string
		want     []string
	}{
		{"Thursday 05:59 UTC: nobody", "2026-12-03T05:59:00Z", nil, nil},
		{"Singapore 14:00", "2026-12-03T06:00:00Z", nil, []string{"carol"}},
		{"London 14:00: carol is off work now", "2026-12-03T14:00:00Z", nil, []string{"alice"}},
		{"New York 14:00", "2026-12-03T19:00:00Z", []string{"alice"}, []string{"bob"}},
		{"once per week", "2026-12-03T19:30:00Z", []string{"alice", "bob", "carol"}, nil},
		{"late sweep next morning in Singapore", "2026-12-04T02:00:00Z", []string{"alice", "bob"}, []string{"carol"}},
		{"after the summary: nobody", "2026-12-04T16:00:00Z", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			reminded := map[string]bool{}
			for _, l := range c.reminded {
				reminded[l] = true
			}
			if got := DueReminders(utc(c.now), pol.Weekly, cal, w49, rows, reminded); !reflect.DeepEqual(got, c.want) {
				t.Errorf("DueReminders = %v, want %v", got, c.want)
			}
		})
	}

	// A focus block on Thursday afternoon moves alice's reminder to its end.
	polF, calF := fixture(t, "")
	polF.Team.People["alice"] = config.Person{Timezone: "Europe/London", FocusBlocks: []config.FocusBlock{{Days: []config.Weekday{4}, Hours: config.TimeRange{Start: 13 * 60, End: 15 * 60}}}}
	calF = roster.Calendar(polF.Team)
	if got, _ := ReminderAt(polF.Weekly, calF, "alice", w49); !got.Equal(utc("2026-12-03T15:00:00Z")) {
		t.Errorf("focus block: %s", got.UTC())
	}
	if got := DueReminders(utc("2026-12-03T14:30:00Z"), polF.Weekly, calF, w49, Roster([]string{"alice"}, calF, w49, nil), nil); got != nil {
		t.Errorf("reminded in a focus block: %v", got)
	}

	// DST weeks: New York springs forward on 8 March 2026, London on 29
	// March, so for three weeks New York is four hours behind London.
	w11 := WeekOf(utc("2026-03-10T12:00:00Z"), london)
	if got, _ := ReminderAt(pol.Weekly, cal, "bob", w11); !got.Equal(utc("2026-03-12T18:00:00Z")) {
		t.Errorf("bob in EDT while London is on GMT: %s", got.UTC())
	}
	if got, _ := ReminderAt(pol.Weekly, cal, "alice", w11); !got.Equal(utc("2026-03-12T14:00:00Z")) {
		t.Errorf("alice on GMT: %s", got.UTC())
	}
	w14 := WeekOf(utc("2026-04-01T12:00:00Z"), london)
	if got, _ := ReminderAt(pol.Weekly, cal, "alice", w14); !got.Equal(utc("2026-04-02T13:00:00Z")) {
		t.Errorf("alice on BST: %s", got.UTC())
	}
	if got, _ := ReminderAt(pol.Weekly, cal, "carol", w14); !got.Equal(utc("2026-04-02T06:00:00Z")) {
		t.Errorf("Singapore has no DST: %s", got.UTC())
	}
	// A remind time outside someone's hours waits for their next working
	// moment, if that is before the summary.
	late := pol.Weekly
	late.Remind = config.WeekTime{Day: config.Weekday(time.Thursday), Time: 20 * 60}
	if got, ok := ReminderAt(late, cal, "carol", w49); !ok || !got.Equal(utc("2026-12-04T01:00:00Z")) {
		t.Errorf("carol at 20:00 SGT waits until Friday 09:00 SGT: %s %v", got.UTC(), ok)
	}
	if got, ok := ReminderAt(late, cal, "bob", w49); !ok || !got.Equal(utc("2026-12-04T14:00:00Z")) {
		t.Errorf("bob's next moment is Friday 09:00 EST, before the summary: %s %v", got.UTC(), ok)
	}
	late.Summarize = config.WeekTime{Day: config.Weekday(time.Friday), Time: 12 * 60}
	if _, ok := ReminderAt(late, cal, "bob", w49); ok {
		t.Error("a reminder after the summary must not be sent")
	}
}
