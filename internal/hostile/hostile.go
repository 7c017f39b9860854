// Package hostile builds the worst-case inputs that the parsers of user text
// are benchmarked and fuzzed against (DESIGN.md principle 9: every parser of
// user text is linear and cancellable).
//
// The inputs are the shapes that make a naive Markdown or regular-expression
// scanner quadratic: long runs of comment openers, backtick runs of growing
// length, deep bracket nests, thousands of time-like tokens, a command on
// every line, one endless line, nothing but line breaks. Each is built to an
// exact size so a benchmark's figure is comparable across parsers and over
// time. Only tests import this package.
package hostile

import (
	"strconv"
	"strings"
)

// MB is the size of the hostile benchmark inputs: one mebibyte, sixteen
// times what GitHub accepts in a comment, so a parser that is linear but
// slow shows it as clearly as one that is quadratic.
const MB = 1 << 20

// Input is one named hostile text.
type Input struct {
	Name string
	Text string
}

// Repeat returns unit repeated until the text is exactly size bytes (the
// last copy cut short).
func Repeat(unit string, size int) string {
	if unit == "" || size <= 0 {
		return ""
	}
	s := strings.Repeat(unit, size/len(unit)+1)
	return s[:size]
}

// GrowingBackticks returns backtick runs of length 1, 2, 3, ... separated by
// sep, up to size bytes: no run is ever closed by a later run of the same
// length, which is what makes a "find the closing run" scan quadratic.
func GrowingBackticks(sep string, size int) string {
	var b strings.Builder
	b.Grow(size)
	for n := 1; b.Len() < size; n++ {
		b.WriteString(strings.Repeat("`", n))
		b.WriteString(sep)
	}
	return b.String()[:size]
}

// Nest returns open repeated, then the middle, then close repeated, up to
// size bytes in all: "[[[[x]]]]", "((((x))))".
func Nest(open, middle, close string, size int) string {
	n := (size - len(middle)) / (len(open) + len(close))
	s := strings.Repeat(open, n) + middle + strings.Repeat(close, n)
	return Repeat(s, size)
}

// Numbered returns format with %d replaced by 1, 2, 3, ... joined by sep, up
// to size bytes: distinct tokens ("# h1", "# h2", ...) defeat caches and
// de-duplication.
func Numbered(prefix, suffix, sep string, size int) string {
	var b strings.Builder
	b.Grow(size + 64)
	for i := 1; b.Len() < size; i++ {
		b.WriteString(prefix)
		b.WriteString(strconv.Itoa(i))
		b.WriteString(suffix)
		b.WriteString(sep)
	}
	return b.String()[:size]
}

// Markdown returns the inputs every Markdown-reading parser is measured on.
func Markdown(size int) []Input {
	return []Input{
		{"comments-one-line", Repeat("<!--a-->", size)},
		{"comment-openers", Repeat("<!--", size)},
		{"comment-openers-lines", Repeat("<!--\n", size)},
		{"comment-closers", Repeat("-->", size)},
		{"comment-lines", Repeat("x <!--a--> y\n", size)},
		{"backticks-growing", GrowingBackticks(" ", size)},
		{"backticks-growing-lines", GrowingBackticks("\n", size)},
		{"backticks-one-run", Repeat("`", size)},
		{"backticks-escaped", Repeat("\\``", size)},
		{"fences", Repeat("```\n", size)},
		{"fence-lengths", GrowingBackticks("x\n", size)},
		{"brackets-open", Repeat("[", size)},
		{"parens-open", Repeat("(", size)},
		{"bracket-nest", Nest("[", "x", "]", size)},
		{"paren-nest", Nest("(", "x", ")", size)},
		{"link-openers", Repeat("[a](", size)},
		{"link-halves", Repeat("](", size)},
		{"links", Repeat("[a](b) ", size)},
		{"html-openers", Repeat("<a href='", size)},
		{"quotes", Repeat("> ", size)},
		{"list-items", Repeat("- ", size)},
		{"indented", Repeat("    x\n", size)},
		{"headings", Numbered("# h", "", "\n", size)},
		{"same-heading", Repeat("# a\n", size)},
		{"empty-sections", Repeat("## a\n", size)},
		{"nested-sections", Repeat("# a\n## b\n", size)},
		{"long-line", Repeat("a", size)},
		{"no-newlines", Repeat("ship it by the end of the week please ", size)},
		{"all-newlines", Repeat("\n", size)},
		{"all-crlf", Repeat("\r\n", size)},
		{"spaces", Repeat(" ", size)},
		{"tabs", Repeat("\t", size)},
	}
}

// Times returns inputs full of time-like tokens for the timezone detector.
func Times(size int) []Input {
	return []Input{
		{"soft-phrases", Repeat("until Monday ", size)},
		{"soft-crossed", Repeat("until Monday 3pm ", size)},
		{"clocks", Repeat("3pm ", size)},
		{"clock-ranges", Repeat("3-4pm ", size)},
		{"weekday-clock", Repeat("Friday 10:00 ", size)},
		{"dates", Repeat("Nov 27 at 3pm ", size)},
		{"eod", Repeat("EOD ", size)},
		{"tomorrow", Repeat("tomorrow at 9am ", size)},
		{"zoned", Repeat("Friday 3pm UTC ", size)},
		{"past", Repeat("was at 2pm yesterday ", size)},
		{"time-lines", Repeat("ship Friday EOD\n", size)},
		{"digits", Repeat("1", size)},
		{"colons", Repeat("1:", size)},
		{"until-spaces", "until" + Repeat(" ", size-len("until Monday")) + " Monday"},
	}
}

// Commands returns inputs for slash-command parsers (`/adr`, `/reviewed`).
func Commands(cmd string, size int) []Input {
	return []Input{
		{"command-lines", Repeat(cmd+" skip x\n", size)},
		{"command-one-line", Repeat(cmd+" ", size)},
		{"command-in-code", Repeat("`"+cmd+"` x\n", size)},
		{"command-quoted", Repeat("> "+cmd+" skip x\n", size)},
		{"command-spaces", cmd + " skip" + Repeat(" ", size-len(cmd)-5)},
		{"command-long-arg", cmd + " skip " + Repeat("a", size-len(cmd)-6)},
		{"command-in-comment", Repeat("<!-- "+cmd+" --> x\n", size)},
	}
}
