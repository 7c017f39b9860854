package weekly

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseReply checks the reply parser on arbitrary text: no panic, the
// caps hold, items are trimmed and non-empty, and the blocker references
// of every item are bounded. The committed corpus is in
// testdata/fuzz/FuzzParseReply.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{
		"Shipped: a\nNext: b\nBlockers: c",
		"## Shipped\n- a\n\n**Next:** b\n> **Blockers:** quoted\n```\nBlockers: code\n```",
		"- **Blockers** — waiting on acme/api#8 from @bob https://github.com/a/b/pull/3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 1<<16 {
			body = body[:1<<16] // keep each run fast; MaxReplyBytes is tested in TestParseReplyCaps
		}
		r, err := ParseReply(context.Background(), body)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []Section{Shipped, Next, Blockers} {
			items := r.Items(s)
			if len(items) > MaxItems {
				t.Fatalf("%s: %d items", s, len(items))
			}
			for _, it := range items {
				if it == "" || it != strings.TrimSpace(it) {
					t.Fatalf("%s: item %q not trimmed", s, it)
				}
				if n := utf8.RuneCountInString(it); n > MaxItemRunes+1 {
					t.Fatalf("%s: item of %d runes", s, n)
				}
				if refs := BlockerRefs(it); len(refs) > maxRefs {
					t.Fatalf("%d refs", len(refs))
				}
			}
		}
		if r2, _ := ParseReply(context.Background(), body); !equalReply(r, r2) {
			t.Fatal("not deterministic")
		}
	})
}

func equalReply(a, b Reply) bool {
	return strings.Join(a.Shipped, "\x00") == strings.Join(b.Shipped, "\x00") &&
		strings.Join(a.Next, "\x00") == strings.Join(b.Next, "\x00") &&
		strings.Join(a.Blockers, "\x00") == strings.Join(b.Blockers, "\x00")
}
