package docs

import (
	"fmt"
	"strings"
	"testing"
)

func TestSlugAndAnchors(t *testing.T) {
	for in, want := range map[string]string{
		"Hello World":                      "hello-world",
		"What's new?":                      "whats-new",
		"  API v2.0 — `Retry-After`  ":     "api-v20--retry-after",
		"snake_case and kebab-case":        "snake_case-and-kebab-case",
		"[Linked](http://x.example) title": "linked-title",
		"Ünïcödé Straße":                   "ünïcödé-straße",
		"<em>Tagged</em> *bold*":           "tagged-bold",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	doc := "---\ntitle: x\n---\n# Intro\n## Steps\n## Steps\n## Steps\nSetext Heading\n--------------\n```\n# Not a heading\n```\n<a id=\"Custom-Anchor\"></a>\n### Closing hashes ##\n"
	got := Anchors(doc)
	for _, want := range []string{"intro", "steps", "steps-1", "steps-2", "setext-heading", "custom-anchor", "closing-hashes"} {
		if !got[want] {
			t.Errorf("anchor %q missing from %v", want, got)
		}
	}
	if got["not-a-heading"] || got["title-x"] {
		t.Errorf("code or front matter produced anchors: %v", got)
	}
}

func TestBrokenLinks(t *testing.T) {
	tree := map[string]bool{
		"README.md":                   true,
		"docs/runbooks/payments.md":   true,
		"docs/runbooks/db.md":         true,
		"docs/runbooks/img/flow.png":  true,
		"services/payments/charge.go": true,
		"docs/adr/0001-record.md":     true,
	}
	contents := map[string]string{
		"docs/runbooks/db.md": "# Database\n## Failover\n",
	}
	doc := strings.Join([]string{
		"---",
		"owner: alice",
		"---",
		"# Payments runbook",     // 4
		"## Restart the service", // 5
		"See [db](db.md) and [failover](db.md#failover).",                                   // 6 ok
		"Broken: [gone](old.md) and [bad anchor](db.md#promotion).",                         // 7 two broken
		"![flow](img/flow.png) ![missing](img/missing.png)",                                 // 8 one broken
		"[root](/services/payments/charge.go) [root missing](/services/payments/refund.go)", // 9 one broken
		"[self](#restart-the-service) [self bad](#stop-the-service)",                        // 10 one broken
		"[web](https://example.com/x.md) [mail](mailto:a@b.c) [proto](//cdn.example/x.png)", // 11 ignored
		"Inline code `[no](nope.md)` is ignored.",                                           // 12
		"```",
		"[in code](nope.md)", // 14 ignored
		"```",
		"[dir](../adr/) [up](../../README.md) [escape](../../../etc/passwd)", // 16 one broken
		"[ref]: ./nowhere.md",                                          // 17 broken
		"[spaced](<db file.md>) [encoded](db%20file.md)",               // 18 two broken
		"[titled](db.md \"Database\") [query](db.md?plain=1#failover)", // 19 ok
		`<img src="img/flow.png"> <a href="gone.md">x</a>`,             // 20 one broken
		"[code anchor](../../services/payments/charge.go#L10)",         // 21 ok: not markdown
	}, "\n")
	got := BrokenLinks("docs/runbooks/payments.md", doc, tree, contents)
	var lines []string
	for _, l := range got {
		lines = append(lines, fmt.Sprintf("%d %s: %s", l.Line, l.Target, l.Reason))
	}
	want := []string{
		"7 old.md: no such file: docs/runbooks/old.md",
		"7 db.md#promotion: no heading #promotion in docs/runbooks/db.md",
		"8 img/missing.png: no such file: docs/runbooks/img/missing.png",
		"9 /services/payments/refund.go: no such file: services/payments/refund.go",
		"10 #stop-the-service: no heading #stop-the-service in docs/runbooks/payments.md",
		"16 ../../../etc/passwd: points outside the repository",
		"17 ./nowhere.md: no such file: docs/runbooks/nowhere.md",
		"18 db file.md: no such file: docs/runbooks/db file.md",
		"18 db%20file.md: no such file: docs/runbooks/db file.md",
		"20 gone.md: no such file: docs/runbooks/gone.md",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("broken links:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range got {
		if l.Doc != "docs/runbooks/payments.md" {
			t.Errorf("link reported on %q", l.Doc)
		}
	}
}

func TestBrokenLinksUnknownContentSkipsAnchor(t *testing.T) {
	tree := map[string]bool{"a.md": true, "b.md": true}
	if got := BrokenLinks("a.md", "[x](b.md#anything)", tree, nil); len(got) != 0 {
		t.Errorf("anchor into a file whose content is unknown must not be reported: %v", got)
	}
}

// Front matter is not Markdown (a fence-like YAML value opens no code
// block) and a commented-out link is not a link anyone can follow.
func TestBrokenLinksSkipsFrontMatterAndComments(t *testing.T) {
	doc := "---\nowner: alice\nnote: \"```\"\n---\n<!-- [old](gone.md) -->\n<!--\n[older](gone.md)\n-->\n[real](missing.md)\n"
	got := BrokenLinks("a.md", doc, map[string]bool{"a.md": true}, nil)
	if len(got) != 1 || got[0].Line != 9 || got[0].Target != "missing.md" {
		t.Errorf("BrokenLinks = %+v, want only missing.md on line 9", got)
	}
}
