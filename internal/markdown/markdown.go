// Package markdown tells the prose of a GitHub Markdown text (a comment, a
// PR body, a doc) from the parts nobody "says": fenced and indented code
// blocks, inline code spans, HTML comments and block quotes.
//
// Several features read what people wrote — `/adr` and `/reviewed`
// commands, time phrases, links — and all of them must ignore code and
// comments in the same way, or a command pasted into a code block runs in
// one place and not in another. This package is that one reading. It is a
// line scanner, not a full CommonMark parser: it follows the block rules
// that decide what is code (fences of ``` or ~~~ closed by a fence of the
// same character at least as long; four-space indented code, which cannot
// interrupt a paragraph and is list continuation inside a list item; HTML
// comment blocks that run across blank lines) and the inline rules for code
// spans (a backtick run up to the next run of the same length within the
// paragraph) and inline comments. Lazy continuation of block quotes is not
// followed: a quote is the lines that start with '>'.
//
// Two views serve the callers: [Mask] keeps byte offsets (non-prose is
// overwritten with spaces, line breaks kept) and [Lines] keeps line numbers.
//
// The text is written by people who may attack the app (DESIGN.md principle
// 9), so the scan is linear in the length of the text whatever its shape —
// every byte is looked at a bounded number of times, code-span closers are
// found through an index of backtick runs rather than by rescanning the
// paragraph, and no search copies the rest of the text — and [MaskContext]
// and [LinesContext] stop when their context is done.
package markdown

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// Line is one line of a Markdown text outside code blocks.
type Line struct {
	N int // 1-based line number in the text
	// Text is the line with inline code spans and HTML comments blanked to
	// spaces, so byte offsets match Raw. It has no line ending.
	Text string
	// Raw is the line as written, without its line ending (and without a
	// leading byte-order mark on line 1).
	Raw string
	// Quote is true for block-quote lines (first non-blank character '>').
	Quote bool
}

// Prose reports whether Raw[i:j] is prose: nothing in it sits in a code
// span or an HTML comment. A command such as `/adr` counts only when its
// own characters are prose, while its arguments may hold code spans.
// Out-of-range bounds report false.
func (l Line) Prose(i, j int) bool {
	if i < 0 || j > len(l.Raw) || i > j {
		return false
	}
	return l.Text[i:j] == l.Raw[i:j]
}

// Mask returns text with everything that is not the author's own prose —
// code blocks (fence lines included), block quotes, inline code spans and
// HTML comments — replaced by spaces. Line breaks ("\n" and "\r") are kept
// and nothing moves, so a byte offset into the result is an offset into
// text.
//
// Mask cannot be cancelled; it is for text that is already small (a title,
// a capped comment). Code that reads a file or a whole thread uses
// [MaskContext].
func Mask(text string) string {
	out, _ := MaskContext(context.Background(), text)
	return out
}

// MaskContext is [Mask] that gives up with ctx's error (wrapped) when ctx
// is done before the scan ends.
func MaskContext(ctx context.Context, text string) (string, error) {
	s, err := scan(ctx, text)
	if err != nil {
		return "", err
	}
	for _, l := range s.lines {
		if l.kind == code || l.kind == quote {
			blank(s.buf, int(l.start), int(l.end))
		}
	}
	return string(s.buf), nil
}

// Lines returns the lines of text that are not in a code block, with their
// numbers, in order. Blank lines and quote lines are included (see
// [Line.Quote]); lines split at "\n" with a trailing "\r" dropped, so CRLF
// text numbers its lines as LF text does. Empty text has no lines.
//
// Lines builds one [Line] value per line (48 bytes each: a megabyte of
// newlines is 48 MB of them). Code that only looks at each line once uses
// [Each], which builds none. Lines is not called on user text: no code of
// the module but tests calls it (TestLinesNotCalledOutsideTests), so its
// hostile benchmark is not held to the 50 ms bar of the parsers.
//
// Lines cannot be cancelled; see [LinesContext].
func Lines(text string) []Line {
	out, _ := LinesContext(context.Background(), text)
	return out
}

// LinesContext is [Lines] that gives up with ctx's error (wrapped) when ctx
// is done before the scan ends.
func LinesContext(ctx context.Context, text string) ([]Line, error) {
	var out []Line
	err := each(ctx, text, func(n int, l Line) bool {
		if out == nil {
			out = make([]Line, 0, n)
		}
		out = append(out, l)
		return true
	})
	if err != nil {
		return nil, err
	}
	if out == nil && text != "" {
		out = []Line{} // text of code only: no lines, but not "no text"
	}
	return out, nil
}

// Each calls yield with the lines [Lines] would return, in order, until
// yield returns false. It builds no slice of lines and copies no line: Text
// and Raw are slices of one masked copy of text and of text itself. It
// returns ctx's error (wrapped) when ctx is done before the scan ends or
// between two calls of yield, so a caller's per-line work is cancelled
// with the scan.
func Each(ctx context.Context, text string, yield func(Line) bool) error {
	return each(ctx, text, func(_ int, l Line) bool { return yield(l) })
}

// each is Each whose yield also gets an upper bound on the number of lines
// (to size a slice).
func each(ctx context.Context, text string, yield func(max int, l Line) bool) error {
	if text == "" {
		return ctx.Err()
	}
	s, err := scan(ctx, text)
	if err != nil {
		return err
	}
	masked := string(s.buf) // one copy, sliced per line
	for i, l := range s.lines {
		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("markdown scan: %w", err)
			}
		}
		if l.kind == code {
			continue
		}
		if !yield(len(s.lines)-i, Line{
			N:     i + 1,
			Text:  masked[l.start:l.end],
			Raw:   text[l.start:l.end],
			Quote: l.kind == quote,
		}) {
			return nil
		}
	}
	return nil
}

type kind uint8

const (
	prose kind = iota
	quote
	code
)

// lineInfo is one line: text[start:end] without its line ending (and
// without a byte-order mark on line 1). Offsets are 32-bit (see MaxText):
// a megabyte of newlines is a million of these.
type lineInfo struct {
	start, end int32
	kind       kind
}

// MaxText is the longest text the scan reads: 2 GiB less a byte, far
// beyond anything GitHub stores. Longer text is an error ([MaskContext],
// [LinesContext], [Each]); [Mask] and [Lines] return nothing for it.
const MaxText = math.MaxInt32

// ErrTooLong is the error for text longer than MaxText.
var ErrTooLong = errors.New("markdown scan: text longer than 2 GiB")

type scanned struct {
	buf   []byte // text with code spans and HTML comments blanked
	lines []lineInfo
}

// isListItem reports whether line opens a list item: at most three spaces,
// a bullet ("-", "*", "+") or one to nine digits and "." or ")", then a
// space, a tab or the end of the line. It is the regular expression
// `^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)` written out, because it runs
// on every line.
func isListItem(line string) bool {
	i := leadingSpaces(line)
	if i > 3 || i == len(line) {
		return false
	}
	switch c := line[i]; {
	case c == '-' || c == '*' || c == '+':
		i++
	case c >= '0' && c <= '9':
		d := i
		for i < len(line) && line[i] >= '0' && line[i] <= '9' {
			i++
		}
		if i-d > 9 || i == len(line) || line[i] != '.' && line[i] != ')' {
			return false
		}
		i++
	default:
		return false
	}
	return i == len(line) || line[i] == ' ' || line[i] == '\t'
}

// isATXHeading reports whether line is an ATX heading: at most three
// spaces, one to six "#", then a space, a tab or the end of the line.
func isATXHeading(line string) bool {
	i := leadingSpaces(line)
	if i > 3 {
		return false
	}
	h := i
	for i < len(line) && line[i] == '#' {
		i++
	}
	if n := i - h; n < 1 || n > 6 {
		return false
	}
	return i == len(line) || line[i] == ' ' || line[i] == '\t'
}

func leadingSpaces(line string) int {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	return i
}

// checkEvery is how many lines the scan classifies between two looks at its
// context: often enough that a cancelled scan stops within microseconds,
// rarely enough that the check costs nothing measurable.
const checkEvery = 1024

// scan classifies every line and blanks inline code and comments in buf. It
// returns ctx's error when ctx is done first.
func scan(ctx context.Context, text string) (scanned, error) {
	if err := ctx.Err(); err != nil {
		return scanned{}, fmt.Errorf("markdown scan: %w", err)
	}
	if len(text) > MaxText {
		return scanned{}, ErrTooLong
	}
	s := scanned{buf: []byte(text), lines: make([]lineInfo, 0, strings.Count(text, "\n")+1)}
	var (
		fenceChar  byte // '`' or '~' while inside a fenced block
		fenceLen   int
		inIndented bool // inside an indented code block
		paragraph  bool // the previous line leaves a paragraph open
		inList     bool // the last line at the left margin was a list item
		inComment  bool // inside an HTML comment block
		runFrom    = -1 // first line of the current paragraph (-1: none)
		runKind    kind
	)
	flush := func(upTo int) { // the paragraph ends before line upTo
		if runFrom >= 0 {
			s.blankInline(int(s.lines[runFrom].start), int(s.lines[upTo-1].end))
			runFrom = -1
		}
	}
	// One pass: each line is split off and classified at once.
	for start, i := 0, 0; start <= len(text); i++ {
		end := indexNewline(text, start)
		next := end + 1
		lineStart, lineEnd := start, end
		if lineStart == 0 && strings.HasPrefix(text, "\ufeff") {
			lineStart = len("\ufeff")
		}
		if lineEnd > lineStart && text[lineEnd-1] == '\r' {
			lineEnd--
		}
		s.lines = append(s.lines, lineInfo{start: int32(lineStart), end: int32(lineEnd)})
		start = next

		if i%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return scanned{}, fmt.Errorf("markdown scan: %w", err)
			}
		}
		l := &s.lines[i]
		line := text[lineStart:lineEnd]
		if inComment {
			flush(i)
			k := strings.Index(line, "-->")
			if k < 0 {
				blank(s.buf, lineStart, lineEnd)
				continue
			}
			blank(s.buf, lineStart, lineStart+k+3)
			inComment = s.blankComments(lineStart+k+3, lineEnd)
			paragraph = false
			continue
		}
		if fenceChar != 0 {
			l.kind = code
			if isFenceClose(line, fenceChar, fenceLen) {
				fenceChar, fenceLen = 0, 0
			}
			continue
		}
		if line == "" { // what the general case below does with an empty line, sooner
			flush(i)
			paragraph = false
			continue
		}
		indent, rest := indentOf(line)
		isBlank := strings.TrimSpace(line) == ""
		if indent < 4 {
			if c, n := fenceOpen(rest); n > 0 {
				flush(i)
				l.kind, fenceChar, fenceLen = code, c, n
				paragraph, inIndented = false, false
				continue
			}
		}
		if !isBlank && indent >= 4 && !inList && (inIndented || !paragraph) {
			flush(i)
			l.kind, inIndented = code, true
			continue
		}
		if isBlank {
			flush(i)
			paragraph = false // a blank line keeps an indented block going
			continue
		}
		inIndented = false
		if indent < 4 {
			inList = isListItem(line)
			if strings.HasPrefix(rest, "<!--") {
				flush(i)
				inComment = s.blankComments(lineStart+len(line)-len(rest), lineEnd)
				paragraph = false
				continue
			}
		}
		k := prose
		if strings.HasPrefix(rest, ">") {
			k = quote
		}
		l.kind = k
		heading := indent < 4 && isATXHeading(line)
		if runFrom >= 0 && (runKind != k || heading || inList && indent < 4) {
			flush(i)
		}
		if runFrom < 0 {
			runFrom, runKind = i, k
		}
		paragraph = true
		if heading {
			flush(i + 1)
			paragraph = false
		}
	}
	flush(len(s.lines))
	return s, nil
}

// shortLine is how far indexNewline looks byte by byte before it calls
// strings.IndexByte, whose set-up costs more than a short line does (a
// megabyte of newlines is a million lines).
const shortLine = 16

// indexNewline returns the index of the first '\n' at or after start in text,
// or len(text).
func indexNewline(text string, start int) int {
	stop := min(len(text), start+shortLine)
	for j := start; j < stop; j++ {
		if text[j] == '\n' {
			return j
		}
	}
	if stop == len(text) {
		return stop
	}
	if k := strings.IndexByte(text[stop:], '\n'); k >= 0 {
		return stop + k
	}
	return len(text)
}

// indentOf returns the indentation of line in columns (a tab advances to
// the next multiple of four) and the line after it.
func indentOf(line string) (int, string) {
	col := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col, line[i:]
		}
	}
	return col, ""
}

// fenceOpen returns the fence character and length when rest (a line after
// at most three spaces of indent) opens a fenced code block. A backtick
// fence's info string may not contain a backtick: "```x```" is inline code.
func fenceOpen(rest string) (byte, int) {
	if rest == "" || rest[0] != '`' && rest[0] != '~' {
		return 0, 0
	}
	c := rest[0]
	n := 0
	for n < len(rest) && rest[n] == c {
		n++
	}
	if n < 3 || c == '`' && strings.IndexByte(rest[n:], '`') >= 0 {
		return 0, 0
	}
	return c, n
}

// isFenceClose reports whether line closes a block opened by n times c: at
// most three spaces of indent, at least n of c, then only whitespace.
func isFenceClose(line string, c byte, n int) bool {
	indent, rest := indentOf(line)
	if indent >= 4 {
		return false
	}
	m := 0
	for m < len(rest) && rest[m] == c {
		m++
	}
	return m >= n && strings.TrimSpace(rest[m:]) == ""
}

// blankComments blanks every HTML comment in text[lo:hi] (one line of an
// HTML block) and reports whether the last one is still open at hi.
//
// Each search starts where the previous comment ended and works on the
// buffer in place (a string conversion would copy the rest of the line for
// every comment, which made a line of "<!--a-->" quadratic).
func (s *scanned) blankComments(lo, hi int) bool {
	text := s.buf // only comments are blanked here, never their openers' search space
	for i := lo; i < hi; {
		k := bytes.Index(text[i:hi], commentOpen)
		if k < 0 {
			return false
		}
		open := i + k
		e := bytes.Index(text[open+4:hi], commentClose)
		if e < 0 {
			blank(s.buf, open, hi)
			return true
		}
		end := open + 4 + e + 3
		blank(s.buf, open, end)
		i = end
	}
	return false
}

// blankInline blanks the code spans and complete HTML comments of one
// paragraph, buf[lo:hi], left to right: whichever opens first wins. A
// backtick run with no run of the same length after it, and a "<!--" with
// no "-->", are literal text. Backslash-escaped backticks open nothing.
//
// The closing run of a code span is looked up in an index of the
// paragraph's backtick runs (see runIndex), not by rescanning the rest of
// the paragraph for every opener: with runs of growing length (one
// backtick, then two, then three...) none closes, and the rescan made the
// paragraph quadratic.
func (s *scanned) blankInline(lo, hi int) {
	b := s.buf
	var runs runIndex
	if bytes.IndexByte(b[lo:hi], '`') >= 0 {
		runs = indexRuns(b, lo, hi)
	}
	noCommentEnd := false
	for i := lo; i < hi; {
		switch {
		case b[i] == '\\' && i+1 < hi && b[i+1] == '`':
			i += 2
		case b[i] == '`':
			n := runLen(b, i, hi)
			closeAt := runs.next(n, i+n)
			if closeAt < 0 {
				i += n
				continue
			}
			blank(b, i, closeAt+n)
			i = closeAt + n
		case b[i] == '<' && !noCommentEnd && hasPrefixAt(b, i, hi, "<!--"):
			e := bytes.Index(b[i+4:hi], commentClose)
			if e < 0 {
				noCommentEnd = true
				i += 4
				continue
			}
			end := i + 4 + e + 3
			blank(b, i, end)
			i = end
		default:
			i++
		}
	}
}

var (
	commentOpen  = []byte("<!--")
	commentClose = []byte("-->")
)

// runIndex holds the starts of a paragraph's maximal backtick runs, by run
// length, in ascending order.
type runIndex map[int][]int

// indexRuns indexes the maximal backtick runs of b[lo:hi]. The paragraph is
// indexed before anything in it is blanked; blanking only ever touches text
// before the scan position, and lookups are always after it.
func indexRuns(b []byte, lo, hi int) runIndex {
	idx := runIndex{}
	for i := lo; i < hi; {
		k := bytes.IndexByte(b[i:hi], '`')
		if k < 0 {
			break
		}
		i += k
		n := runLen(b, i, hi)
		idx[n] = append(idx[n], i)
		i += n
	}
	return idx
}

// next returns the start of the first maximal run of exactly n backticks
// that starts at or after from, or -1.
func (r runIndex) next(n, from int) int {
	starts := r[n]
	k := sort.SearchInts(starts, from)
	if k == len(starts) {
		return -1
	}
	return starts[k]
}

func runLen(b []byte, i, hi int) int {
	n := 0
	for i+n < hi && b[i+n] == b[i] {
		n++
	}
	return n
}

func hasPrefixAt(b []byte, i, hi int, p string) bool {
	return hi-i >= len(p) && string(b[i:i+len(p)]) == p
}

// blank overwrites b[lo:hi] with spaces, keeping line breaks.
func blank(b []byte, lo, hi int) {
	for i := lo; i < hi; i++ {
		if b[i] != '\n' && b[i] != '\r' {
			b[i] = ' '
		}
	}
}
