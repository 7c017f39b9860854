package docs_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/internal/apptest"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// stateKey is the key the harness's app seals state with.
var stateKey = gh.DeriveStateKey(apptest.Secret)

func parseOps(body string) (docs.Data, error) { return docs.ParseData(body, stateKey, org, "ops") }

func blockOps(d docs.Data) string { return d.Block(stateKey, org, "ops") }

// dataLine is the sealed data block, the body's last line.
var dataLine = regexp.MustCompile(`<!-- overlap-state:docs [^\n]* -->`)

func damagedComments(h *apptest.Harness, number int) []githubfake.CommentInfo {
	var out []githubfake.CommentInfo
	for _, c := range botComments(h, "ops", number) {
		if strings.HasPrefix(c.Body, docs.MarkerDamaged) {
			out = append(out, c)
		}
	}
	return out
}

// A data block that does not verify (edited by hand, or forged to record
// reviews nobody made) is not trusted, not even in part: the reviews are
// re-derived from the /reviewed comments, a single note says so, and the
// rebuilt block is sealed again.
func TestDataBlockThatDoesNotVerifyIsRebuiltFromTheCommentsAndReportedOnce(t *testing.T) {
	h := ops(t)
	h.Sweep(monday)
	is := issues(h)[0]
	comment := commenter(t, h, is)
	h.Clock.Set(monday.Add(time.Hour))
	comment("carol", "/reviewed docs/runbooks/payments.md")
	const carols = "`docs/runbooks/payments.md` reviewed on 2026-11-23 by carol"
	if !strings.Contains(issues(h)[0].Body, carols) {
		t.Fatalf("setup: review not recorded:\n%s", issues(h)[0].Body)
	}

	// Someone with access to the issue rewrites the hidden line: db.md
	// "reviewed" by mallory, payments.md's review dropped.
	forged := `<!-- overlap-state:docs eyJyZXZpZXdlZCI6eyJkb2NzL3J1bmJvb2tzL2RiLm1kIjp7Im9uIjoiMjAyNi0xMS0yMyIsImJ5IjoibWFsbG9yeSJ9fX0 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -->`
	h.Fake.EditBody(org, "ops", is.Number, dataLine.ReplaceAllString(issues(h)[0].Body, forged))
	h.Sweep(monday.Add(2 * time.Hour))
	cur := issues(h)[0]
	if got := damagedComments(h, is.Number); len(got) != 1 || !strings.Contains(got[0].Body, "could not be verified") || strings.Contains(got[0].Body, "@") {
		t.Fatalf("damaged-block comment: %+v", got)
	}
	if strings.Contains(cur.Body, "mallory") {
		t.Errorf("the forged review was trusted:\n%s", cur.Body)
	}
	if !strings.Contains(cur.Body, carols) {
		t.Errorf("carol's review was not re-derived from her comment:\n%s", cur.Body)
	}
	if d, err := parseOps(cur.Body); err != nil || d.Reviewed["docs/runbooks/payments.md"].By != "carol" || len(d.Reviewed) != 1 {
		t.Errorf("rebuilt block: %+v, %v", d.Reviewed, err)
	}

	// The next sweep finds a sealed block: nothing to write, nothing to say.
	h.ResetCounts()
	h.Sweep(monday.Add(3 * time.Hour))
	if w := h.Writes(); len(w) != 0 {
		t.Errorf("sweep after the repair wrote %v", w)
	}

	// Garbled again, and a /reviewed arrives before any sweep: recorded on
	// the rebuilt block, with carol's earlier review re-derived; still one
	// note.
	h.Fake.EditBody(org, "ops", is.Number, dataLine.ReplaceAllString(issues(h)[0].Body, `<!-- overlap-state:docs }}{{ -->`))
	h.Clock.Set(monday.Add(4 * time.Hour))
	comment("dave", "/reviewed docs/runbooks/db.md")
	cur = issues(h)[0]
	if d, err := parseOps(cur.Body); err != nil || d.Reviewed["docs/runbooks/payments.md"].By != "carol" {
		t.Errorf("after a second damage and a comment: %+v, %v\n%s", d.Reviewed, err, cur.Body)
	}
	if got := damagedComments(h, is.Number); len(got) != 1 {
		t.Errorf("%d damaged-block comments, want the one", len(got))
	}
}

// An issue written by an earlier version carries an unsealed block: it is
// migrated without a note, and what the comments recorded survives.
func TestUnsealedDataBlockFromAnEarlierVersionIsMigratedSilently(t *testing.T) {
	h := ops(t)
	h.Sweep(monday)
	is := issues(h)[0]
	comment := commenter(t, h, is)
	h.Clock.Set(monday.Add(time.Hour))
	comment("carol", "/reviewed docs/runbooks/payments.md")
	legacy := `<!-- overlap:docs:data {"reviewed":{"docs/runbooks/payments.md":{"on":"2026-11-23","by":"carol"},"docs/runbooks/db.md":{"on":"2026-11-23","by":"mallory"}}} -->`
	h.Fake.EditBody(org, "ops", is.Number, dataLine.ReplaceAllString(issues(h)[0].Body, legacy))

	h.Sweep(monday.AddDate(0, 0, 7))
	cur := issues(h)[0]
	if got := damagedComments(h, is.Number); len(got) != 0 {
		t.Errorf("migration posted a note: %+v", got)
	}
	d, err := parseOps(cur.Body)
	if err != nil || d.Reviewed["docs/runbooks/payments.md"].By != "carol" || d.Reviewed["docs/runbooks/db.md"].By != "" {
		t.Errorf("migrated block: %+v, %v\n%s", d.Reviewed, err, cur.Body)
	}
}
