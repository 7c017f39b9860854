package markdown

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestMask lists which words of a text are prose. Offsets and line breaks
// are checked for every case by checkMask.
func TestMask(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // the words that survive, in order
	}{
		{"plain prose", "ship it Friday", []string{"ship", "it", "Friday"}},
		{"backtick fence", "a\n```go\nx := 1\n```\nb", []string{"a", "b"}},
		{"tilde fence", "a\n~~~\nx\n~~~\nb", []string{"a", "b"}},
		{"longer closing fence", "````\nx\n```\ny\n`````\nz", []string{"z"}},
		{"other fence character does not close", "~~~\nx\n```\ny\n~~~\nz", []string{"z"}},
		{"closing fence with text is not one", "```\nx\n``` y\nz", nil},
		{"indented fence up to three spaces", "   ```\nx\n   ```\ny", []string{"y"}},
		{"unclosed fence runs to the end", "a\n```\nb\nc", []string{"a"}},
		{"backticks in info string: inline code", "```x```\nprose", []string{"prose"}},
		{"indented code after blank", "intro\n\n    code here\n\tmore code\n\n    still code\nafter", []string{"intro", "after"}},
		{"indented code at the start", "    code\ntext", []string{"text"}},
		{"indented line continues a paragraph", "intro\n    not code", []string{"intro", "not", "code"}},
		{"indented code after a heading", "# Title\n    code", []string{"#", "Title"}},
		{"indented code after a fence", "```\nx\n```\n    code", nil},
		{"list continuation is not code", "- item\n\n    more of the item\n\npara\n\n    code", []string{"-", "item", "more", "of", "the", "item", "para"}},
		{"ordered list continuation", "1. step\n\n    detail", []string{"1.", "step", "detail"}},
		{"inline code", "use `at 3pm` now", []string{"use", "now"}},
		{"double backticks hold a backtick", "a ``x ` y`` b", []string{"a", "b"}},
		{"unmatched run is literal", "a ` b", []string{"a", "`", "b"}},
		{"unmatched long run, later short span", "a `` b `c` d", []string{"a", "``", "b", "d"}},
		{"code span across lines", "Type `this\nand that` to go", []string{"Type", "to", "go"}},
		{"code span stops at a blank line", "a `b\n\nc` d", []string{"a", "`b", "c`", "d"}},
		{"code span does not cross list items", "- a `b\n- c` d", []string{"-", "a", "`b", "-", "c`", "d"}},
		{"escaped backtick", "a \\`b` c", []string{"a", "\\`b`", "c"}},
		{"block quote", "> quoted\nmine", []string{"mine"}},
		{"nested and spaced quotes", "  > > deep\n>x", nil},
		{"html comment inline", "a <!-- hidden --> b", []string{"a", "b"}},
		{"html comment block across blank lines", "<!--\nhidden\n\nstill hidden\n-->\nshown", []string{"shown"}},
		{"text after a comment block", "<!-- a -->b\nc", []string{"b", "c"}},
		{"two comments on a line", "<!-- a --> b <!-- c --> d", []string{"b", "d"}},
		{"unclosed comment block runs to the end", "x\n\n<!-- a\nb", []string{"x"}},
		{"unclosed inline comment is literal", "a <!-- b", []string{"a", "<!--", "b"}},
		{"comment opener in a code span", "`<!--` shown", []string{"shown"}},
		{"backticks in a comment", "<!-- ` --> a ` b", []string{"a", "`", "b"}},
		{"fence inside a comment", "<!--\n```\n-->\nshown", []string{"shown"}},
		{"comment inside a fence", "```\n<!--\n```\nshown", []string{"shown"}},
		{"CRLF", "a\r\n```\r\nx\r\n```\r\nb `c`\r\n", []string{"a", "b"}},
		{"byte-order mark", "\ufeff```\nx\n```\ny", []string{"\ufeff", "y"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Mask(tt.text)
			checkMask(t, tt.text, got)
			if words := strings.Fields(got); !slices.Equal(words, tt.want) {
				t.Errorf("Mask(%q) = %q, words %q; want %q", tt.text, got, words, tt.want)
			}
		})
	}
}

func TestLines(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // "N|Text|Raw", with "q" before N for quote lines
	}{
		{"numbers skip code", "a\n```\nx\n```\nb", []string{"1|a|a", "5|b|b"}},
		{"blank lines kept", "a\n\nb", []string{"1|a|a", "2||", "3|b|b"}},
		{"quotes flagged", "> q\nm", []string{"q1|> q|> q", "2|m|m"}},
		{"code spans blanked in Text only", "/cmd x `y`", []string{"1|/cmd x|/cmd x `y`"}},
		{"comment lines blank", "<!--\n/cmd\n-->", []string{"1||<!--", "2||/cmd", "3||-->"}},
		{"CRLF and trailing newline", "a\r\nb\r\n", []string{"1|a|a", "2|b|b", "3||"}},
		{"BOM dropped", "\ufeffa", []string{"1|a|a"}},
		{"indented code dropped", "x\n\n    y\nz", []string{"1|x|x", "2||", "4|z|z"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range Lines(tt.text) {
				q := ""
				if l.Quote {
					q = "q"
				}
				got = append(got, fmt.Sprintf("%s%d|%s|%s", q, l.N, strings.TrimRight(l.Text, " "), l.Raw))
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Lines(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestProse(t *testing.T) {
	l := Lines("/adr `skip` x\n`/adr skip`")
	if !l[0].Prose(0, 4) || l[0].Prose(5, 11) {
		t.Errorf("line 1: /adr is prose, `skip` is not: %+v", l[0])
	}
	if l[1].Prose(1, 5) {
		t.Errorf("line 2: /adr in a code span is not prose: %+v", l[1])
	}
	if l[0].Prose(-1, 2) || l[0].Prose(3, 2) || l[0].Prose(0, 99) {
		t.Error("out-of-range bounds must report false")
	}
}

// A body at GitHub's 65,536-character limit full of unmatched backtick runs
// and comment openers is scanned in linear time, not quadratic.
func TestMaskLargeBody(t *testing.T) {
	var b strings.Builder
	for i := 0; b.Len() < 65536; i++ {
		b.WriteString(strings.Repeat("`", i%50+1) + " <!-- x ")
	}
	text := b.String()
	if got := Mask(text); len(got) != len(text) {
		t.Fatalf("length %d, want %d", len(got), len(text))
	}
}

// checkMask asserts what every mask must keep: the length, every line
// break, and each byte either as written or a space; and that Mask and
// Lines agree on the prose of every non-quote line.
func checkMask(t *testing.T, text, mask string) {
	t.Helper()
	if len(mask) != len(text) {
		t.Fatalf("Mask(%q) has length %d, want %d", text, len(mask), len(text))
	}
	for i := range len(text) {
		c, m := text[i], mask[i]
		if (c == '\n' || c == '\r') && m != c {
			t.Fatalf("Mask(%q) lost the line break at %d", text, i)
		}
		if m != c && m != ' ' {
			t.Fatalf("Mask(%q) changed byte %d from %q to %q", text, i, c, m)
		}
	}
	maskLines := strings.Split(mask, "\n")
	for _, l := range Lines(text) {
		if len(l.Text) != len(l.Raw) {
			t.Fatalf("line %d: Text %q and Raw %q differ in length", l.N, l.Text, l.Raw)
		}
		if l.Quote {
			continue
		}
		ml := strings.TrimSuffix(maskLines[l.N-1], "\r")
		if l.N == 1 {
			ml = strings.TrimPrefix(ml, "\ufeff")
		}
		if ml != l.Text {
			t.Fatalf("line %d: Mask has %q, Lines has %q", l.N, ml, l.Text)
		}
	}
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{
		"a `b` c", "```\nx\n```", "~~~~\n~~~\n", "    x\n\ty", "- a\n\n    b", "> q\n>", "<!--\n\n-->x",
		"<!-- a `b --> c`", "``` ```", "\ufeff`x`\r\n", "\\`a`", "a\r", "# h\n    c", "<!--", "`", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkMask(t, text, Mask(text))
		prev := 0
		all := strings.Split(text, "\n")
		for _, l := range Lines(text) {
			if l.N <= prev || l.N > len(all) {
				t.Fatalf("line number %d after %d (of %d lines)", l.N, prev, len(all))
			}
			prev = l.N
			raw := strings.TrimSuffix(all[l.N-1], "\r")
			if l.N == 1 {
				raw = strings.TrimPrefix(raw, "\ufeff")
			}
			if l.Raw != raw {
				t.Fatalf("line %d Raw = %q, want %q", l.N, l.Raw, raw)
			}
		}
	})
}
