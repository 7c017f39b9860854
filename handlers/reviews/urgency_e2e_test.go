package reviews_test

import (
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/apptest"
)

// Issue 8, finding 7: the PR's author writes its title, so "[urgent]" there
// must not reach a reviewer at night or in a focus block; only the urgent
// label (which GitHub lets only triagers and up add) escalates. The policy
// here turns urgent_after_hours on, the most a label can pierce.
func TestAnAuthorsUrgentTitleWaitsForWorkingHoursTheLabelDoesNot(t *testing.T) {
	files := map[string]string{".github/overlap.yml": policy + "  urgent_after_hours: true\n"}
	// Monday 21:00 in Singapore (13:00 UTC): bob is asked on two PRs.
	w := newWorldWith(t, utc(23, 13, 0), files)
	w.Fake.SetPermission(apptest.Org, repo, "tess", "triage")
	titled := w.openPR("[urgent] Fix the payment retry", utc(23, 13, 0), []string{"bob"}, nil)
	labelled := w.openPR("Fix the refund retry", utc(23, 13, 0), []string{"bob"}, nil)

	// A triager labels the second one urgent; the event is delivered.
	w.Clock.Set(utc(23, 13, 5))
	w.Fake.AddLabels(apptest.Org, repo, labelled, "urgent")
	payload, err := w.Builder(repo, "tess").PullRequestLabeled("labeled", w.PR(repo, labelled), "urgent")
	if err != nil {
		t.Fatal(err)
	}
	w.Send("pull_request", payload)

	// 22:10 and 03:00 Singapore: the label's hour of elapsed time is up and
	// it may write at any hour; the title alone may not.
	for _, at := range []utcTime{{23, 14, 10}, {23, 19, 0}} {
		w.sweepAt(utc(at.day, at.hour, at.min))
		w.expectPings(titled, 0, "night in Singapore, urgent title only")
	}
	got := w.expectPings(labelled, 1, "urgent label, after hours")
	if !strings.Contains(got[0].Body, "**urgent**") || !strings.Contains(got[0].Body, "any hour") {
		t.Errorf("the labelled nudge should say it is urgent and may come at any hour:\n%s", got[0].Body)
	}

	// Tuesday in Singapore: the titled PR is held to the normal norm, 4h of
	// bob's working time from 09:00, and nudged like any PR; the nudge
	// passes the author's hint on without acting on it.
	w.sweepAt(utc(24, 2, 0)) // 10:00 Singapore: 1h of working time, in a focus block
	w.expectPings(titled, 0, "an hour into bob's day")
	w.sweepAt(utc(24, 5, 0)) // 13:00 Singapore: 4h of working time, free
	got = w.expectPings(titled, 1, "bob's working hours, norm reached")
	body := got[0].Body
	for _, want := range []string{"@bob", "4h of your working time", "its author marked it urgent in the title", "outside focus blocks"} {
		if !strings.Contains(body, want) {
			t.Errorf("nudge lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "**urgent**") || strings.Contains(body, "any hour") {
		t.Errorf("a title-only nudge must not claim urgency:\n%s", body)
	}
}

type utcTime struct{ day, hour, min int }
