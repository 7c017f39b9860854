package mdtext

import (
	"strings"
	"testing"
)

// FuzzEncoders checks every encoder's promises (see violations) on
// arbitrary input, and that URL and PathSegments cannot end a link.
// The committed corpus in testdata/fuzz/FuzzEncoders seeds it with the
// hostile table's shapes; `go test` runs the corpus, `.ci/run` fuzzes
// briefly.
func FuzzEncoders(f *testing.F) {
	for _, s := range []string{
		"Use Postgres <!-- overlap-state:adr {\"skip\":{\"by\":\"maintainer\",\"reason\":\"trivial\"}} -->",
		"@alice @acme/team </details>",
		"a````b\n~~~\n", "\u202e\u200b\ufeff\x00\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, e := range encoders {
			if v := violations(e, in, e.fn(in)); len(v) > 0 {
				t.Errorf("%s(%q): %s", e.name, in, strings.Join(v, "; "))
			}
		}
		if out := URL(in); strings.ContainsAny(out, " \t\n\r()<>\"'`@\\") {
			t.Errorf("URL(%q) = %q", in, out)
		}
		if out := PathSegments(in); strings.ContainsAny(out, " \t\n\r()<>\"'`@\\") {
			t.Errorf("PathSegments(%q) = %q", in, out)
		}
	})
}
