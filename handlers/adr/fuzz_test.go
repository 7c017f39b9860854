package adr

import (
	"testing"
)

// Bad input gets a clear answer, never a panic: these fuzz targets run their
// seeds in every `go test`; run `go test -fuzz=FuzzX` to explore further.

func FuzzParseAndCheck(f *testing.F) {
	f.Add(completeNygard)
	f.Add(Template(FormatMADR, 1, "x", testPR, testNow))
	f.Add("---\nstatus: [\n---")
	f.Add("---\n---\n# \n## \n### Status\n")
	f.Add("```\n## A\n")
	f.Add("<!-- \n## Status\n")
	f.Fuzz(func(t *testing.T, content string) {
		r, err := ParseRecord("docs/adr/0001-x.md", content)
		if err != nil {
			return
		}
		for _, a := range Check(r, DefaultSettings(), map[int]string{1: "0001-x.md"}) {
			if a.Line < 1 || a.Message == "" {
				t.Fatalf("bad annotation %+v", a)
			}
		}
		DueForRevisit([]Record{r}, testNow)
	})
}

func FuzzCommandsAndLinks(f *testing.F) {
	f.Add("/adr skip x\n> /adr\n```\n`")
	f.Add("https://github.com/a/b/blob/x/docs/adr/0001-x.md owner/repo:docs/adr/a.md")
	f.Add("ADR: 🎉 Café — 数据")
	f.Fuzz(func(t *testing.T, s string) {
		if c, ok := ParseCommand(s); ok {
			DecideCommand(c, "u", true)
		}
		LinkCandidates(s, "o", "r", "docs/adr")
		if got := Slug(s); got == "" || len(got) > maxSlugLen || !ValidFileName(FileName(1, s)) {
			t.Fatalf("Slug(%q) = %q", s, got)
		}
	})
}
