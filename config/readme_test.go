package config

import (
	"os"
	"strings"
	"testing"
)

// The README's policy reference ("Every key, with its default") must stay a
// valid policy file: a user copies it.
func TestREADMEPolicyReferenceIsValid(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "Every key, with its default:\n\n```yaml\n")
	if !ok {
		t.Fatal("README has no policy reference block")
	}
	block, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("unterminated policy reference block")
	}
	p, problems := Parse("README.md", []byte(block))
	if len(problems) > 0 {
		t.Fatalf("the README's policy reference is not valid:\n%v", problems)
	}
	// Apart from extends (shown as an example), it states the defaults.
	p.Extends = ""
	if got, want := Describe(p), Describe(Defaults()); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the README's reference differs from the defaults:\n got %q\nwant %q", got, want)
	}
}
