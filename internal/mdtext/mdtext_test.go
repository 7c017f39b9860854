package mdtext

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// encoder is one context's encoder with what it promises.
type encoder struct {
	name string
	fn   func(string) string
	// code: the output is one inline code span (its content is literal,
	// so '<' and '@' inside it are harmless).
	code bool
	// cell: the output sits in a table cell ('|' must be escaped).
	cell bool
	// block: the output is a block of lines (Quote), not one line.
	block bool
	// plain: the output is plain text, never rendered as Markdown.
	plain bool
	// mentions: a well-formed login is meant to notify (Mention).
	mentions bool
	// maxBytes bounds the output's size.
	maxBytes int
}

// Expansion: an input rune becomes at most 8 bytes ("@" + "&#8203;",
// "&amp;" is 5, "＜" is 3, a 4-byte rune stays 4).
var encoders = []encoder{
	{name: "Text", fn: Text, maxBytes: 8*MaxText + 8},
	{name: "Heading", fn: Heading, maxBytes: 8*MaxText + 10},
	{name: "LinkText", fn: LinkText, maxBytes: 8*MaxText + 8},
	{name: "Cell", fn: Cell, cell: true, maxBytes: 8*MaxCell + 8},
	{name: "Code", fn: Code, code: true, maxBytes: 4*MaxCode + 2*(maxFence+2) + 8},
	{name: "CellCode", fn: CellCode, code: true, cell: true, maxBytes: 4*MaxCell + 2*(maxFence+2) + 8},
	{name: "Quote", fn: Quote, block: true, maxBytes: 8*MaxQuote + 4*MaxQuoteLn + 16},
	{name: "Mention", fn: Mention, mentions: true, maxBytes: 8*MaxText + 8},
	{name: "Plain", fn: Plain, plain: true, maxBytes: 4*MaxPlain + 8},
}

// hostile is the table of strings an attacker would try.
func hostile() map[string]string {
	h := map[string]string{
		"empty":                  "",
		"marker":                 "<!-- overlap:adr -->",
		"state block":            `Use Postgres <!-- overlap-state:adr {"skip":{"by":"maintainer","reason":"trivial"}} -->`,
		"docs data block":        `<!-- overlap:docs:data {"reviewed":{"a.md":{"on":"2026-11-24","by":"mallory"}}} -->`,
		"sealed-looking block":   "x\n<!-- overlap-state:adr eyJza2lwIjp7fX0 AAAA -->",
		"html comment":           "before <!-- hidden --> after",
		"unclosed html comment":  "everything after this is hidden <!--",
		"split comment opener":   "<\u200b!--x-->",
		"details":                "</details><details open><summary>Click</summary>",
		"script":                 "<script>alert(1)</script><img src=x onerror=alert(1)>",
		"mention":                "@alice please look",
		"mention after text":     "cc:@alice,@bob",
		"team mention":           "@acme/security-team",
		"mention in email":       "mallory@example.com",
		"mention split by zwsp":  "@\u200balice",
		"mention split by zwj":   "@\u200dalice",
		"mention after newline":  "hi\n@alice",
		"mention in backticks":   "`x` @alice `y`",
		"at end":                 "trailing @",
		"crlf":                   "line one\r\nline two\rline three",
		"nul":                    "a\x00b\x00<!\x00-- c -->",
		"c1 controls":            "a\u0085b\u009bc",
		"bidi override":          "docs/\u202eevil\u202c.md",
		"bidi isolates":          "\u2066admin\u2069\u2067x\u2068y\u2069",
		"zero width":             "a\u200bb\u200cc\u200dd\u200ee\u200ff\ufeffg\u2060h",
		"line separators":        "a\u2028b\u2029c",
		"pipe":                   "a | b || c \\| d",
		"backslash before pipe":  "a\\|b\\\\|c",
		"link":                   "[click](https://evil.example/)",
		"image":                  "![x](https://evil.example/x.png)",
		"autolink tag":           "<https://evil.example>",
		"entity":                 "&lt;!-- &#60;!-- &amp;",
		"heading marks":          "### title ###",
		"quote marks":            "> quoted\n>> nested",
		"list":                   "- a\n* b\n1. c",
		"setext":                 "title\n=====\n---",
		"indented code":          "    code\n\tcode",
		"backslash end":          "ends with \\",
		"invalid utf8":           "a\xff\xfeb\xc3",
		"long runes":             strings.Repeat("€", 70000),
		"64KB markers":           strings.Repeat("<!--a-->", 8192),
		"64KB mentions":          strings.Repeat("@a ", 21846),
		"64KB pipes":             strings.Repeat("|", 65536),
		"64KB newlines":          strings.Repeat("\n", 65536),
		"64KB backticks":         strings.Repeat("`", 65536),
		"64KB title":             "Use Postgres " + strings.Repeat("x", 65536),
		"alternating backticks":  strings.Repeat("`a``b```c", 2000),
		"fence after newline":    "x\n```\n<!-- y -->\n```",
		"tilde fence":            "~~~\ncode\n~~~",
		"indented fence":         "   ```go",
		"four-space fence":       "    ```",
		"fence in quote":         "> ```",
		"backtick edges":         "`start and end`",
		"only backticks":         "```",
		"spaces":                 "   \t  ",
		"javascript url":         "javascript:alert(1)",
		"url with parens":        "https://x.example/a)(b<c>d\"e'f g",
		"url with mention":       "https://x.example/@alice",
		"url data":               "data:text/html,<script>",
		"path with marker":       "docs/adr/<!-- overlap-state:adr {\"skip\":{\"by\":\"m\",\"reason\":\"r\"}} -->.md",
		"branch name":            "feature/@alice-<details>",
		"html block start":       "<div>\n\n**bold**\n\n</div>",
		"processing instruction": "<?php ?> <![CDATA[x]]> <!DOCTYPE html>",
	}
	for n := 3; n <= 20; n++ {
		h["backticks "+strings.Repeat("`", n)] = "a" + strings.Repeat("`", n) + "b\n" + strings.Repeat("`", n) + "\nc"
		h["tildes "+strings.Repeat("~", n)] = strings.Repeat("~", n) + "\n<!-- x -->\n" + strings.Repeat("~", n)
	}
	return h
}

var (
	mentionRE = regexp.MustCompile(`@[A-Za-z0-9_.-]`)
	// A line opens (or closes) a fenced code block when, after up to
	// three spaces, it starts with three or more backticks followed by no
	// other backtick, or with three or more tildes (CommonMark 4.5).
	backtickFenceRE = regexp.MustCompile("^ {0,3}```+[^`]*$")
	tildeFenceRE    = regexp.MustCompile("^ {0,3}~~~")
	// tagRE is anything HTML could read as a tag, comment, declaration or
	// processing instruction.
	tagRE = regexp.MustCompile(`<[A-Za-z/!?]`)
)

// escapedAll reports whether every c in s is preceded by an odd number of
// backslashes (so Markdown reads it as a literal character).
func escapedAll(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != c {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return false
		}
	}
	return true
}

// violations lists the promises out breaks.
func violations(e encoder, in, out string) []string {
	var v []string
	bad := func(format string, ok bool) {
		if !ok {
			v = append(v, format)
		}
	}
	bad("contains <!--", !strings.Contains(out, "<!--"))
	bad("invalid UTF-8", utf8.ValidString(out))
	bad("too long", len(out) <= e.maxBytes)
	for _, r := range out {
		if invisible(r) && r != '\n' || r == '\r' {
			v = append(v, "invisible or control character "+string(rune(r)))
			break
		}
	}
	if !e.block {
		bad("line break in inline output", !strings.Contains(out, "\n"))
	}
	if e.plain {
		return v
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines {
		if e.block {
			if !strings.HasPrefix(l, ">") {
				v = append(v, "quote line without '>': "+l)
			}
			l = strings.TrimPrefix(strings.TrimPrefix(l, ">"), " ")
			bad("line starts with '>' inside the quote (nested quote)", !strings.HasPrefix(l, ">"))
		}
		bad("fence line: "+l, !backtickFenceRE.MatchString(l) && !tildeFenceRE.MatchString(l))
	}
	if e.cell {
		bad("unescaped |", escapedAll(out, '|'))
	}
	if e.code {
		// One well-formed code span: n backticks, content, n backticks,
		// and no run of exactly n backticks inside.
		n := len(out) - len(strings.TrimLeft(out, "`"))
		fence := strings.Repeat("`", n)
		inner := strings.TrimSuffix(strings.TrimPrefix(out, fence), fence)
		bad("not fenced", n > 0 && strings.HasSuffix(out, fence) && len(out) >= 2*n+1)
		for _, run := range regexp.MustCompile("`+").FindAllString(inner, -1) {
			bad("inner run as long as the fence", len(run) != n)
		}
		bad("<! in code span", !strings.Contains(inner, "<!"))
		return v
	}
	bad("HTML tag or comment", !tagRE.MatchString(out))
	if !(e.mentions && loginRE.MatchString(in)) {
		bad("mention", !mentionRE.MatchString(out))
	}
	bad("unescaped backtick", escapedAll(out, '`'))
	bad("unescaped [", escapedAll(out, '['))
	bad("unescaped ]", escapedAll(out, ']'))
	return v
}

func TestEveryEncoderDefusesEveryHostileString(t *testing.T) {
	for name, in := range hostile() {
		for _, e := range encoders {
			out := e.fn(in)
			if v := violations(e, in, out); len(v) > 0 {
				show := out
				if len(show) > 200 {
					show = show[:200] + "…"
				}
				t.Errorf("%s(%s) = %q: %s", e.name, name, show, strings.Join(v, "; "))
			}
		}
	}
}

func TestURLDefusesHostileStrings(t *testing.T) {
	for name, in := range hostile() {
		out := URL(in)
		if strings.ContainsAny(out, " \t\n\r()<>\"'`@\\") || strings.Contains(out, "<!--") || len(out) > MaxURL {
			t.Errorf("URL(%s) = %q can end the link, open a tag or a mention", name, out)
		}
		if p := PathSegments(in); strings.ContainsAny(p, " \t\n\r()<>\"'`@\\") {
			t.Errorf("PathSegments(%s) = %q", name, p)
		}
	}
}

// Ordinary text comes out as people wrote it.
func TestOrdinaryTextIsUnchanged(t *testing.T) {
	for _, c := range []struct {
		fn       func(string) string
		name, in string
		want     string
	}{
		{Text, "Text", "Use Postgres for events", "Use Postgres for events"},
		{Text, "Text", "  Use\n Postgres\r\n(v16), not MySQL: it's 2026.  ", "Use Postgres (v16), not MySQL: it's 2026."},
		{Text, "Text", "a <b> & c", "a &lt;b&gt; &amp; c"},
		{Text, "Text", "@alice and mallory@example.com", "@&#8203;alice and mallory@&#8203;example.com"},
		{Text, "Text", "snake_case *x*", `snake\_case \*x\*`},
		{Heading, "Heading", "# C# #", `\# C# \#`},
		{Cell, "Cell", "a|b", `a\|b`},
		{Cell, "Cell", "", "—"},
		{Code, "Code", "docs/adr/0001-use-postgres.md", "`docs/adr/0001-use-postgres.md`"},
		{Code, "Code", "a`b", "``a`b``"},
		{Code, "Code", "`x`", "`` `x` ``"},
		{Code, "Code", "a```b", "````a```b````"},
		{Code, "Code", "a" + strings.Repeat("`", 9) + "b", "`a" + strings.Repeat("ˋ", 9) + "b`"},
		{Code, "Code", "<!-- x -->", "`＜!-- x -->`"},
		{Code, "Code", "@alice", "`@alice`"},
		{Code, "Code", "", "` `"},
		{CellCode, "CellCode", "a|b", "`a\\|b`"},
		{Quote, "Quote", "ship Friday\n\nthanks", "> ship Friday\n>\n> thanks\n"},
		{Quote, "Quote", "```\n/adr skip\n```", "> \\`\\`\\`\n> /adr skip\n> \\`\\`\\`\n"},
		{Mention, "Mention", "alice", "@alice"},
		{Mention, "Mention", "acme/security-team", "@acme/security-team"},
		{Mention, "Mention", "dependabot[bot]", "@dependabot[bot]"},
		{Mention, "Mention", "alice <!--", "alice &lt;!--"},
		{Plain, "Plain", "a\u202eb\r\nc", "ab c"},
		{URL, "URL", "https://github.com/acme/api/blob/main/docs/a.md", "https://github.com/acme/api/blob/main/docs/a.md"},
		{URL, "URL", "https://x/a b)", "https://x/a%20b%29"},
		{URL, "URL", "javascript:alert(1)", "#"},
		{PathSegments, "PathSegments", "docs/a b/c#d.md", "docs/a%20b/c%23d.md"},
	} {
		if got := c.fn(c.in); got != c.want {
			t.Errorf("%s(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestFenceIsLongerThanAnyRunInside(t *testing.T) {
	for body, want := range map[string]string{
		"# Title\n":          "````markdown\n# Title\n````\n",
		"a\n````\nb":         "`````markdown\na\n````\nb\n`````\n",
		"x ``````` y\n~~~\n": "````````markdown\nx ``````` y\n~~~\n````````\n",
	} {
		if got := Fence(body, "mark`down"); got != want {
			t.Errorf("Fence(%q) = %q, want %q", body, got, want)
		}
	}
}

func TestLongTextIsCutWithAnEllipsis(t *testing.T) {
	for _, c := range []struct {
		name string
		fn   func(string) string
		max  int
	}{
		{"Text", Text, MaxText}, {"Cell", Cell, MaxCell}, {"Code", Code, MaxCode}, {"Plain", Plain, MaxPlain},
	} {
		out := c.fn(strings.Repeat("x", 65536))
		if n := strings.Count(out, "x"); n != c.max || !strings.Contains(out, Ellipsis) {
			t.Errorf("%s of 64 KB kept %d runes (want %d) and ellipsis %v", c.name, n, c.max, strings.Contains(out, Ellipsis))
		}
		if out := c.fn("short"); strings.Contains(out, Ellipsis) {
			t.Errorf("%s cut a short text: %q", c.name, out)
		}
	}
	q := Quote(strings.Repeat("line\n", 100))
	if n := strings.Count(q, "\n"); n != MaxQuoteLn || !strings.Contains(q, Ellipsis) {
		t.Errorf("Quote of 100 lines has %d lines, ellipsis %v", n, strings.Contains(q, Ellipsis))
	}
}

// A 1 MB hostile input costs one linear pass per encoder.
func BenchmarkEncoders1MB(b *testing.B) {
	in := strings.Repeat("<!--@a`|\u202e\r\n", 1<<20/16)
	for _, e := range encoders {
		b.Run(e.name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				_ = e.fn(in)
			}
		})
	}
}
