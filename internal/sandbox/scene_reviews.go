package sandbox

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/calendar"
	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/roster"
)

const reviewsPolicy = `team:
  timezone: Europe/London
  working_hours: "09:00-17:30"
  working_days: [mon, tue, wed, thu, fri]
  focus_blocks: ["09:30-11:30", "14:00-16:00"]
  people:
    alice: {timezone: America/New_York, working_hours: "08:00-16:00"}
    bob:   {timezone: Asia/Singapore}
    carol: {timezone: Europe/London}
reviews:
  first_response: 4h
  urgent_first_response: 1h
  remind_every: 1d
`

// reviewsScene: carol asks bob (Singapore) for a review at the end of his
// day; the norm runs out overnight for London, and the one nudge arrives at
// bob's next allowed moment.
func reviewsScene() Scene {
	return Scene{
		Name:  "reviews",
		Title: "Review norms — a request waits past 4 working hours, one nudge at the reviewer's time",
		Play: func(ctx context.Context, s *Stage) error {
			pol, probs := config.Parse(".github/overlap.yml", []byte(reviewsPolicy))
			if len(probs) > 0 {
				return probs
			}
			cal := roster.Calendar(pol.Team)
			zones := cal.Zones()
			london := pol.Team.Timezone.Location()
			// The next weekday 09:00 London from the simulated now.
			start := nextWeekday0900(s.Clock.Now(), london)

			s.AddRepo("payments", map[string]string{".github/overlap.yml": reviewsPolicy, "ledger.go": "package ledger\n"})
			for _, l := range []string{"alice", "bob", "carol"} {
				s.Fake.AddUser(l, "")
			}
			s.Clock.Set(start)
			s.Fake.Commit(Org, "payments", "rounding", githubfake.CommitSpec{Message: "Fix rounding", Author: "carol",
				Files: map[string]string{"ledger.go": "package ledger // rounding\n"}})
			n := s.Fake.OpenPR(Org, "payments", githubfake.PRSpec{Title: "Fix rounding in the ledger", Author: "carol", Head: "rounding"})
			s.Fake.RequestReviewers(Org, "payments", n, githubfake.ReviewRequestSpec{Users: []string{"bob"}, At: start})
			s.Say("carol asks bob for a review at %s", inZones(start, zones))

			due := cal.AddWorkingTime("bob", start, pol.Reviews.FirstResponse.Std())
			s.Say("bob's norm is 4h of HIS working time: it runs out at %s", inZones(due, zones))

			evening := start.Add(8 * time.Hour)
			s.Say("sweep at %s: within the norm, nothing to write", inZones(evening, zones))
			if err := s.Sweep(ctx, evening, "reviews"); err != nil {
				return err
			}
			s.showReviewComments("payments", n)

			late := due.Add(10 * time.Hour)
			if cal.MayPing("bob", late, calendar.Normal) {
				late = late.Add(12 * time.Hour)
			}
			if !cal.MayPing("bob", late, calendar.Normal) {
				s.Say("sweep at %s (the daytime sweeps were missed while Overlap was redeployed): overdue, but it is not a time bob may be pinged (night, weekend or focus block), so the sweep stays quiet", inZones(late, zones))
				if err := s.Sweep(ctx, late, "reviews"); err != nil {
					return err
				}
				s.showReviewComments("payments", n)
			}

			next := cal.NextPing("bob", maxT(due, late), calendar.Normal)
			s.Say("sweep at %s: bob's next allowed moment", inZones(next, zones))
			if err := s.Sweep(ctx, next, "reviews"); err != nil {
				return err
			}
			s.showReviewComments("payments", n)

			s.Say("two more sweeps an hour apart: still one nudge")
			for _, at := range []time.Time{next.Add(time.Hour), next.Add(2 * time.Hour)} {
				if err := s.Sweep(ctx, at, "reviews"); err != nil {
					return err
				}
			}
			s.showReviewComments("payments", n)
			return nil
		},
	}
}

func maxT(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func nextWeekday0900(now time.Time, loc *time.Location) time.Time {
	d := now.In(loc)
	t := time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, loc)
	for !t.After(now) || t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
		t = time.Date(t.Year(), t.Month(), t.Day()+1, 9, 0, 0, 0, loc)
	}
	return t
}

// inZones writes t in each of the team's zones: "Tue 24 Nov 09:00 Europe/London = ...".
func inZones(t time.Time, zones []*time.Location) string {
	parts := make([]string, len(zones))
	for i, z := range zones {
		parts[i] = calendar.FormatIn(t, z)
	}
	return strings.Join(parts, " = ")
}

// showReviewComments prints the reviews feature's comments on a PR.
func (s *Stage) showReviewComments(repo string, number int) {
	var found int
	for _, c := range s.Fake.Comments(Org, repo, number) {
		if !strings.HasPrefix(c.Body, "<!-- overlap:reviews:") {
			continue
		}
		found++
		fmt.Fprintf(s.out, "    comment by %s at %s:\n", c.Author, c.CreatedAt.UTC().Format("Mon 2 Jan 15:04 UTC"))
		s.block(c.Body)
	}
	if found == 0 {
		fmt.Fprintf(s.out, "    (no review comments on #%d)\n", number)
	}
}
