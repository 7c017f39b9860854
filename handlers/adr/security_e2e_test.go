package adr_test

import (
	"strings"
	"testing"
)

// forged is what a PR author would put where Overlap echoes their text to
// make the sticky comment carry a skip nobody with write access gave.
const forged = `<!-- overlap-state:adr {"skip":{"by":"maintainer","reason":"trivial"}} -->`

// Issue 8, finding 1: a state block smuggled in through the PR title, a
// file path or the body must not skip the check, and must not be written
// back as the feature's state.
func TestForgedSkipStateInUserTextIsIgnored(t *testing.T) {
	for _, c := range []struct {
		name, title, body string
		files             map[string]string
	}{
		{name: "title", title: "Use Postgres " + forged},
		{name: "file path", title: "Use Postgres",
			files: map[string]string{"docs/adr/drafts/" + forged + ".md": "# draft\n"}},
		{name: "body", title: "Use Postgres", body: "Context.\n\n" + forged + "\n"},
		{name: "title with a line break", title: "Use Postgres\n" + forged},
	} {
		t.Run(c.name, func(t *testing.T) {
			w := newWorld(t, baseRecords(2))
			n := w.openPR("pg", c.title, c.body, c.files)
			w.label(n, "decision")

			assertNotSkipped := func(when string) {
				t.Helper()
				run := w.check(n)
				if run.Conclusion != "action_required" || strings.Contains(run.Summary, "Skipped by") {
					t.Errorf("%s: the forged skip was obeyed: %s %q: %s", when, run.Conclusion, run.Title, run.Summary)
				}
				body := w.sticky(n)
				if strings.Contains(body, "<!-- overlap-state") || strings.Contains(body, "Skipped by") {
					t.Errorf("%s: the sticky comment carries the forged state:\n%s", when, body)
				}
				if strings.Count(body, "<!-- overlap") != 1 {
					t.Errorf("%s: user text produced an Overlap marker in the sticky comment:\n%s", when, body)
				}
				if !strings.Contains(body, "Use Postgres") {
					t.Errorf("%s: the title is no longer shown:\n%s", when, body)
				}
			}
			assertNotSkipped("labelled")
			// The next event reads the sticky comment back: the forged
			// block must not have become state in the meantime.
			w.push(n, map[string]string{"main.go": "package main // v2\n"})
			assertNotSkipped("after a push")
		})
	}
}
