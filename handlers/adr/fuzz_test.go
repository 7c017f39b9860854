package adr

import (
	"context"
	"path"
	"slices"
	"strings"
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
		if c, ok, _ := ParseCommand(context.Background(), s); ok {
			DecideCommand(c, "u", true)
		}
		LinkCandidates(s, "o", "r", "docs/adr")
		if got := Slug(s); got == "" || len(got) > maxSlugLen || !ValidFileName(FileName(1, s)) {
			t.Fatalf("Slug(%q) = %q", s, got)
		}
	})
}

// FuzzParseCommand: a command is reported only where one was written — on
// a line of the body that starts with "/adr" — with a lower-case name
// without spaces.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{"/adr skip x", "   /ADR Skip y\n", "> /adr skip", "`/adr` skip", "<!--\n/adr skip\n-->", "```\n/adr\n```\n/adr new z", "/adr\tskip\t\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, line := range strings.Split(body, "\n") {
			if !startsCommand(line) {
				continue
			}
			got, at, ok := matchCommand(line)
			m := commandLine.FindStringSubmatchIndex(line)
			if ok != (m != nil) || ok && at != m[2] {
				t.Fatalf("matchCommand(%q) = %+v, %d, %v; the pattern says %v", line, got, at, ok, m)
			}
		}
		c, ok, err := ParseCommand(context.Background(), body)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			return
		}
		lines := strings.Split(body, "\n")
		if c.Line < 1 || c.Line > len(lines) {
			t.Fatalf("command on line %d of %d", c.Line, len(lines))
		}
		if !startsCommand(strings.TrimPrefix(lines[c.Line-1], "\ufeff")) {
			t.Fatalf("line %d %q holds no /adr", c.Line, lines[c.Line-1])
		}
		if c.Name != strings.ToLower(c.Name) || strings.ContainsAny(c.Name, " \t") || c.Args != strings.TrimSpace(c.Args) {
			t.Fatalf("bad command %+v", c)
		}
	})
}

// FuzzLinkCandidates: at most MaxLinkCandidates, each a clean Markdown path
// in the ADR directory with a valid owner and repository.
func FuzzLinkCandidates(f *testing.F) {
	for _, s := range []string{"docs/adr/0001-x.md", "o/r:docs/adr/../x.md", "https://github.com/a/b/blob/m/docs/adr/0002-y.md#h", "(docs/adr/a.MD)", "%2e%2e/docs/adr/x.md"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got := LinkCandidates(body, "o", "r", "docs/adr")
		if len(got) > MaxLinkCandidates {
			t.Fatalf("%d candidates", len(got))
		}
		for _, l := range got {
			// "0..md" is a file name; a ".." segment would leave the directory.
			if !strings.HasPrefix(l.Path, "docs/adr/") || path.Clean(l.Path) != l.Path || slices.Contains(strings.Split(l.Path, "/"), "..") ||
				!strings.HasSuffix(strings.ToLower(l.Path), ".md") || !validName(l.Owner) || !validName(l.Repo) {
				t.Fatalf("bad candidate %+v", l)
			}
		}
	})
}
