package adr

import (
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/gh"
)

var testKey = gh.DeriveStateKey("test webhook secret")

func TestStateIsReadOnlyFromTheSealedLastLine(t *testing.T) {
	skip := &Skip{By: "bob", Reason: "dependency bump", CommentID: 7}
	sealed := State{Skip: skip}.render(testKey, testPR)
	if sealed == "" {
		t.Fatal("no state line rendered")
	}
	forged := `<!-- overlap-state:adr {"skip":{"by":"maintainer","reason":"trivial"}} -->`
	other := testPR
	other.Number++
	for _, c := range []struct {
		name    string
		body    string
		key     gh.StateKey
		want    *Skip
		wantErr bool
	}{
		{name: "sealed last line", body: "### Decision record: skipped\n\n" + sealed + "\n", key: testKey, want: skip},
		{name: "CRLF after an edit in the browser", body: "### x\r\n\r\n" + sealed + "\r\n", key: testKey, want: skip},
		{name: "none", body: "hello", key: testKey},
		{name: "forged JSON block in echoed text", body: "Use Postgres " + forged + "\n\nmore", key: testKey},
		{name: "forged JSON block as last line (old format)", body: "text\n" + forged, key: testKey, wantErr: true},
		{name: "sealed line not last (quoted above the real end)", body: sealed + "\n\nSomething else", key: testKey},
		{name: "sealed for another PR", body: "x\n" + State{Skip: skip}.render(testKey, other), key: testKey, wantErr: true},
		{name: "rotated secret", body: "x\n" + sealed, key: gh.DeriveStateKey("rotated"), wantErr: true},
		{name: "hand-edited", body: "x\n" + strings.Replace(sealed, "overlap-state:adr e", "overlap-state:adr f", 1), key: testKey, wantErr: true},
		{name: "no key", body: "x\n" + sealed, key: gh.StateKey{}, wantErr: true},
	} {
		got, err := ReadState(c.body, c.key, testPR)
		if (err != nil) != c.wantErr {
			t.Errorf("%s: error %v, want error %v", c.name, err, c.wantErr)
		}
		if (got.Skip == nil) != (c.want == nil) || c.want != nil && *got.Skip != *c.want {
			t.Errorf("%s: skip %+v, want %+v", c.name, got.Skip, c.want)
		}
	}
	empty := State{Skip: &Skip{By: "x", Reason: " "}}.render(testKey, testPR)
	if got, _ := ReadState("x\n"+empty, testKey, testPR); got.Skip != nil {
		t.Errorf("a skip without a reason was kept: %+v", got.Skip)
	}
}

// The title and other user text echoed into the sticky comment cannot
// produce an Overlap marker or state line, and the real state line is the
// last one.
func TestDecideEchoesNoStateFromUserText(t *testing.T) {
	in := baseInput()
	forged := `<!-- overlap-state:adr {"skip":{"by":"maintainer","reason":"trivial"}} -->`
	in.PR.Title = "Use Postgres " + forged
	in.Skip = &Skip{By: "bob", Reason: "not really " + forged}
	d := Decide(in)
	body := *d.Comment
	if n := strings.Count(body, "<!-- overlap-state"); n != 1 || !strings.HasPrefix(gh.LastLine(body), "<!-- overlap-state:adr ") {
		t.Fatalf("want exactly one state line, last; got %d:\n%s", n, body)
	}
	if got := StateFromComment(body, testKey, testPR); got.Skip == nil || got.Skip.By != "bob" {
		t.Errorf("state read back: %+v", got.Skip)
	}
	in.Skip = nil
	d = Decide(in)
	if strings.Contains(*d.Comment, "<!-- overlap-state") || StateFromComment(*d.Comment, testKey, testPR).Skip != nil {
		t.Errorf("the title's block survived as state:\n%s", *d.Comment)
	}
}
