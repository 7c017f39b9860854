package gh_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/gh"
)

type skip struct {
	By     string `json:"by"`
	Reason string `json:"reason"`
}

func TestSealedStateOpensOnlyUnchangedWithTheSameKeyAndScope(t *testing.T) {
	key := gh.DeriveStateKey("webhook secret")
	line, err := gh.SealState(key, "adr", "acme/api#7", skip{By: "carol", Reason: "bump <!-- -->"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(line, "<!-- overlap-state:adr ") || !strings.HasSuffix(line, " -->") ||
		strings.Count(line, "<!--") != 1 || strings.Count(line, "-->") != 1 || strings.Contains(line, "\n") {
		t.Fatalf("sealed line %q is not one HTML comment", line)
	}
	var got skip
	if err := gh.OpenState(key, "adr", "acme/api#7", line, &got); err != nil || got.By != "carol" || got.Reason != "bump <!-- -->" {
		t.Fatalf("open: %+v, %v", got, err)
	}

	fields := strings.Fields(line)
	tampered := strings.Replace(line, fields[2], fields[2][:len(fields[2])-2]+"AA", 1)
	for _, c := range []struct {
		name, feature, scope, line string
		key                        gh.StateKey
		want                       error
	}{
		{"another key (rotated secret)", "adr", "acme/api#7", line, gh.DeriveStateKey("new secret"), gh.ErrBadSeal},
		{"another PR", "adr", "acme/api#8", line, key, gh.ErrBadSeal},
		{"another feature", "docs", "acme/api#7", strings.Replace(line, "overlap-state:adr", "overlap-state:docs", 1), key, gh.ErrBadSeal},
		{"edited payload", "adr", "acme/api#7", tampered, key, gh.ErrBadSeal},
		{"hand-written JSON (before sealing)", "adr", "acme/api#7", `<!-- overlap-state:adr {"skip":{"by":"maintainer","reason":"trivial"}} -->`, key, gh.ErrUnsealedState},
		{"mac missing", "adr", "acme/api#7", "<!-- overlap-state:adr " + fields[2] + " -->", key, gh.ErrBadSeal},
		{"not a state line", "adr", "acme/api#7", "Skipped by @carol", key, gh.ErrNoState},
		{"no key", "adr", "acme/api#7", line, gh.StateKey{}, gh.ErrNoStateKey},
		{"garbage", "adr", "acme/api#7", "<!-- overlap-state:adr !!! ??? -->", key, gh.ErrBadSeal},
	} {
		var v skip
		if err := gh.OpenState(c.key, c.feature, c.scope, c.line, &v); !errors.Is(err, c.want) || v != (skip{}) {
			t.Errorf("%s: got %+v, %v; want %v", c.name, v, err, c.want)
		}
	}
	if _, err := gh.SealState(gh.StateKey{}, "adr", "x", skip{}); !errors.Is(err, gh.ErrNoStateKey) {
		t.Errorf("sealing without a key: %v", err)
	}
	if s := gh.DeriveStateKey("webhook secret").String(); strings.Contains(s, "secret") || s == "" {
		t.Errorf("key prints as %q", s)
	}
}

func TestLastLine(t *testing.T) {
	for body, want := range map[string]string{
		"a\nb\n":            "b",
		"a\r\nb  \r\n\r\n":  "b",
		"only":              "only",
		"":                  "",
		"x\n<!-- s -->\n\n": "<!-- s -->",
	} {
		if got := gh.LastLine(body); got != want {
			t.Errorf("LastLine(%q) = %q, want %q", body, got, want)
		}
	}
}
