package docs

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseReviewedCommands(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"one path", "/reviewed docs/runbooks/payments.md", []string{"docs/runbooks/payments.md"}},
		{"case, several per comment, dedupe", "Checked both.\n/Reviewed docs/a.md\n  /REVIEWED ./docs/b.md `docs/a.md`\n/reviewed ALL",
			[]string{"docs/a.md", "docs/b.md", "all"}},
		{"leading slash", "/reviewed /docs/a.md", []string{"docs/a.md"}},
		{"not at line start", "please /reviewed docs/a.md", nil},
		{"fenced code", "```\n/reviewed docs/a.md\n```\n~~~~\n/reviewed docs/b.md\n~~~~\n/reviewed docs/c.md", []string{"docs/c.md"}},
		{"quote", "> /reviewed docs/a.md\n\nNo.", nil},
		{"indented code", "Example:\n\n    /reviewed docs/a.md\n", nil},
		{"bare command", "/reviewed\n/reviewedx docs/a.md", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseReviewedCommands(tt.body); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestApplyReviewed(t *testing.T) {
	docs := buildTestDocs(t) // owners: cache dave, payments octo/payments, db carol, welcome none
	prior := Data{Reviewed: map[string]Review{"docs/runbooks/db.md": {On: Date{2026, 9, 1}, By: "carol"}}}
	tests := []struct {
		name       string
		in         ReviewedInput
		wantRec    []string
		wantRej    []string
		wantChange bool
	}{
		{"owner records own doc",
			ReviewedInput{Comment: "/reviewed docs/runbooks/db.md", Author: "Carol"},
			[]string{"docs/runbooks/db.md"}, nil, true},
		{"stranger is refused",
			ReviewedInput{Comment: "/reviewed docs/runbooks/db.md", Author: "mallory"},
			nil, []string{"docs/runbooks/db.md"}, false},
		{"team owner via IsOwner",
			ReviewedInput{Comment: "/reviewed docs/runbooks/payments.md", Author: "erin",
				IsOwner: func(d Doc) bool { return d.Owner == "octo/payments" }},
			[]string{"docs/runbooks/payments.md"}, nil, true},
		{"duty person may review anything",
			ReviewedInput{Comment: "/reviewed docs/runbooks/cache.md", Author: "bob", IsDuty: true},
			[]string{"docs/runbooks/cache.md"}, nil, true},
		{"writer reviews all",
			ReviewedInput{Comment: "/reviewed all", Author: "wendy", IsWriter: true},
			[]string{"docs/onboarding/welcome.md", "docs/runbooks/cache.md", "docs/runbooks/db.md", "docs/runbooks/payments.md"}, nil, true},
		{"owner's all covers only their docs",
			ReviewedInput{Comment: "/reviewed all", Author: "dave"},
			[]string{"docs/runbooks/cache.md"}, nil, true},
		{"unknown path",
			ReviewedInput{Comment: "/reviewed docs/nope.md", Author: "wendy", IsWriter: true},
			nil, []string{"docs/nope.md"}, false},
		{"no command, no change",
			ReviewedInput{Comment: "thanks!", Author: "carol"}, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Docs, in.Data, in.Now = docs, prior, now
			got := ApplyReviewed(in)
			if !reflect.DeepEqual(got.Recorded, tt.wantRec) && len(got.Recorded)+len(tt.wantRec) > 0 {
				t.Errorf("recorded %q, want %q", got.Recorded, tt.wantRec)
			}
			var rej []string
			for _, r := range got.Rejected {
				rej = append(rej, r.Target)
			}
			if !reflect.DeepEqual(rej, tt.wantRej) {
				t.Errorf("rejected %q, want %q", rej, tt.wantRej)
			}
			if got.Changed != tt.wantChange {
				t.Errorf("Changed = %v, want %v", got.Changed, tt.wantChange)
			}
			if (len(tt.wantRej) > 0) != (got.Reply != "") {
				t.Errorf("reply %q for rejections %q", got.Reply, tt.wantRej)
			}
			for _, p := range tt.wantRec {
				if r := got.Data.Reviewed[p]; r.On != (Date{2026, 11, 24}) || r.By != tt.in.Author {
					t.Errorf("%s recorded as %+v", p, r)
				}
			}
			if len(prior.Reviewed) != 1 || prior.Reviewed["docs/runbooks/db.md"].On != (Date{2026, 9, 1}) {
				t.Errorf("input data was mutated: %+v", prior.Reviewed)
			}
		})
	}
}

func TestApplyReviewedIsIdempotent(t *testing.T) {
	in := ReviewedInput{Comment: "/reviewed docs/runbooks/db.md", Author: "carol", Now: now, Docs: buildTestDocs(t)}
	first := ApplyReviewed(in)
	in.Data = first.Data
	again := ApplyReviewed(in) // redelivered webhook
	if !first.Changed || again.Changed || again.Data.block() != first.Data.block() {
		t.Errorf("second delivery changed data: %v %v", first.Changed, again.Changed)
	}
}

func TestDataBlockRoundTrip(t *testing.T) {
	body := "## Docs\n\nsome text\n\n" +
		sealJSON(t, `{"future":{"x":1},"reviewed":{"docs/runbooks/payments.md":{"on":"2026-11-24","by":"alice"}}}`) + "\n"
	d, err := parseData(body)
	if err != nil {
		t.Fatal(err)
	}
	if r := d.Reviewed["docs/runbooks/payments.md"]; r.On != (Date{2026, 11, 24}) || r.By != "alice" {
		t.Fatalf("parsed %+v", d.Reviewed)
	}
	d.Reviewed[`docs/evil-->.md`] = Review{On: Date{2026, 11, 25}, By: "bob"}
	block := d.block()
	if strings.Count(block, "-->") != 1 || !strings.HasSuffix(block, " -->") {
		t.Fatalf("a path must not close the comment early: %s", block)
	}
	if !strings.Contains(blockJSON(t, block), `"future":{"x":1}`) {
		t.Errorf("unknown keys must survive: %s", block)
	}
	back, err := parseData("text\n" + block)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Reviewed, d.Reviewed) {
		t.Errorf("round trip: %+v != %+v", back.Reviewed, d.Reviewed)
	}
	if want := `{"reviewed":{"docs/runbooks/payments.md":{"on":"2026-11-24","by":"alice"}}}`; blockJSON(t, (Data{Reviewed: map[string]Review{"docs/runbooks/payments.md": {On: Date{2026, 11, 24}, By: "alice"}}}).block()) != want {
		t.Errorf("block format changed: %s", Data{Reviewed: map[string]Review{"docs/runbooks/payments.md": {On: Date{2026, 11, 24}, By: "alice"}}}.block())
	}
}

func TestParseDataErrors(t *testing.T) {
	for _, body := range []string{
		"<!-- overlap:docs:data {not json} -->",
		sealJSON(t, `{"reviewed":{"a":{"on":"24/11/2026"}}}`),
		dataPrefix + "{\"reviewed\":{}} -->",
	} {
		if _, err := parseData(body); err == nil {
			t.Errorf("ParseData(%q) accepted a damaged block", body)
		}
	}
	if d, err := parseData("no block here"); err != nil || len(d.Reviewed) != 0 {
		t.Errorf("body without block: %v %v", d, err)
	}
}

// A command in an HTML comment (a PR template's hint, say) or whose
// command word is code does nothing; targets written as code still count.
func TestParseReviewedCommandsIgnoresCommentsAndCode(t *testing.T) {
	body := "<!--\n/reviewed docs/a.md\n-->\n`/reviewed` docs/b.md\n/reviewed `docs/c.md`"
	if got := ParseReviewedCommands(body); !reflect.DeepEqual(got, []string{"docs/c.md"}) {
		t.Errorf("got %q, want [docs/c.md]", got)
	}
}
