// Package mdtext encodes user-controlled text for the Markdown that
// Overlap writes to GitHub: one function per context a piece of text is
// written into (DESIGN.md, principle 9).
//
// PR titles and bodies, file and branch names, logins, comment quotes,
// policy values and doc titles are written by people who may attack the
// app. Whatever they contain, the output of every encoder here
//
//   - never contains "<!--", so it cannot forge an Overlap marker or state
//     block, nor hide the rest of a comment in an HTML comment;
//   - never contains an HTML tag ("<details>", "</summary>", …): '<' is
//     written as "&lt;" (in code spans, where entities are literal, a '<'
//     before '!' becomes the full-width '＜' instead);
//   - never notifies anyone: an '@' before a character a login, team or
//     e-mail address could continue with is followed by "&#8203;" (a
//     zero-width space, written as an entity), the form Dependabot and
//     Renovate use, which renders as the same "@name" but is not a mention.
//     A zero-width joiner or a backslash escape is not used: GitHub finds
//     mentions in the rendered text, where "\@" is a plain "@". Code spans
//     need nothing: GitHub does not look for mentions in code;
//   - never opens or closes a code fence (``` or ~~~ at the start of a
//     line, of any length), and inline encoders never contain a line break;
//   - never contains an unescaped '|' in a table cell;
//   - carries no NUL or other C0 control character besides tab, no CR, and
//     no zero-width or bidirectional control character (U+200B–U+200F,
//     U+202A–U+202E, U+2060–U+2064, U+2066–U+2069, U+FEFF and friends):
//     these can make a file name look like another one ("Trojan Source");
//   - is capped: each context has a documented limit in runes (see the
//     Max* constants), past which the text is cut and ends with "…", so a
//     64 KB title cannot bloat a comment.
//
// Every encoder makes a fixed number of passes over its input (it is
// linear) and cuts the input to its cap before the escaping passes.
//
// The encoders are for Markdown. Check-run annotation titles and messages
// are plain text on GitHub (no mentions, no HTML) and take Plain.
package mdtext

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Caps, in runes of the input after control characters are removed. They
// are generous for what the contexts hold (a GitHub PR title is at most
// 256 characters, a path segment 255 bytes) and small next to GitHub's
// 65,536-character comment limit, so a comment of a few dozen echoes stays
// readable.
const (
	MaxText    = 300  // Text, Heading, LinkText
	MaxCell    = 200  // Cell, CellCode
	MaxCode    = 300  // Code (a file path is at most 4,096 bytes on most systems, but shown paths beyond 300 runes help nobody)
	MaxQuote   = 2000 // Quote, in total
	MaxQuoteLn = 20   // Quote, in lines
	MaxPlain   = 1000 // Plain
	MaxURL     = 2000 // URL, in bytes of the result
)

// Ellipsis ends a cut text.
const Ellipsis = "…"

// zwsp is a zero-width space written as an entity: after '@' it keeps
// GitHub from reading a mention. It is an entity so that the raw Markdown
// carries no invisible character of its own.
const zwsp = "&#8203;"

// invisible reports the characters dropped from every input: C0 controls
// other than tab and line feed, DEL and C1 controls, and the zero-width and
// bidirectional formatting characters that let text display differently
// from what it is.
func invisible(r rune) bool {
	switch {
	case r < 0x20:
		return r != '\t' && r != '\n'
	case r >= 0x7F && r <= 0x9F:
		return r != 0x85 // NEL is a line break, see clean
	case r >= 0x200B && r <= 0x200F, // ZWSP, ZWNJ, ZWJ, LRM, RLM
		r >= 0x202A && r <= 0x202E, // LRE, RLE, PDF, LRO, RLO
		r >= 0x2060 && r <= 0x2064, // word joiner, invisible operators
		r >= 0x2066 && r <= 0x2069, // LRI, RLI, FSI, PDI
		r == 0xFEFF,                // BOM, zero-width no-break space
		r == 0x061C,                // Arabic letter mark
		r == 0x180E,                // Mongolian vowel separator
		r == 0x00AD:                // soft hyphen
		return true
	}
	return false
}

// clean drops invisible characters, turns every line break (CRLF, CR, NEL,
// U+2028, U+2029) into '\n' and invalid UTF-8 into U+FFFD, and cuts the
// result to max runes (max ≤ 0: no cut), ending a cut text with Ellipsis.
func clean(s string, max int) string {
	var b strings.Builder
	b.Grow(min(len(s), 4*max+8))
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			r = '\n'
		case r == 0x85 || r == 0x2028 || r == 0x2029:
			r = '\n'
		case invisible(r):
			continue
		}
		if max > 0 && n == max {
			b.WriteString(Ellipsis)
			return b.String()
		}
		b.WriteRune(r) // RuneError for invalid bytes: U+FFFD
		n++
	}
	return b.String()
}

// oneLine collapses runs of white space, line breaks included, to one
// space and trims the ends.
func oneLine(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// loginChar reports whether r could continue a mention after '@': GitHub
// logins are ASCII letters, digits and '-'; '_' and '.' are accepted too so
// that look-alikes of e-mail addresses and future login rules stay inert.
func loginChar(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
}

// escape writes s, already cleaned and on one line, as inline Markdown
// text: the characters that open a code span, link, image, HTML tag or
// entity are escaped, every '@' that could start a mention is defused, and
// with cell a '|' is escaped too.
func escape(b *strings.Builder, s string, cell bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '[', ']', '*', '_', '~':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '|':
			if cell {
				b.WriteString(`\|`)
			} else {
				b.WriteByte('|')
			}
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '@':
			b.WriteByte('@')
			if i+1 < len(s) {
				r, _ := utf8.DecodeRuneInString(s[i+1:])
				if loginChar(r) {
					b.WriteString(zwsp)
				}
			}
		default:
			b.WriteByte(c)
		}
	}
}

// Text encodes s for running text: a sentence, a list item, a bold or
// emphasised phrase. Line breaks become spaces; at most MaxText runes.
func Text(s string) string {
	t := oneLine(clean(s, MaxText))
	var b strings.Builder
	b.Grow(len(t) + 16)
	escape(&b, t, false)
	return b.String()
}

// Heading encodes s as the text of an ATX heading ("## " + Heading(s)): a
// Text whose leading and trailing '#' cannot be taken for heading marks.
func Heading(s string) string {
	t := Text(s)
	if strings.HasPrefix(t, "#") {
		t = `\` + t
	}
	if strings.HasSuffix(t, "#") {
		t = t[:len(t)-1] + `\#`
	}
	return t
}

// LinkText encodes s as the text of a link ("[" + LinkText(s) + "](…)").
// Text already escapes the brackets.
func LinkText(s string) string { return Text(s) }

// Cell encodes s for a table cell: a Text with '|' escaped, at most MaxCell
// runes. An empty cell is written as "—" so the row keeps its columns.
func Cell(s string) string {
	t := oneLine(clean(s, MaxCell))
	if t == "" {
		return "—"
	}
	var b strings.Builder
	b.Grow(len(t) + 16)
	escape(&b, t, true)
	return b.String()
}

// maxFence is the longest backtick run Code keeps: a text with a longer one
// has its backticks replaced by 'ˋ' (U+02CB), so the fence stays short.
const maxFence = 8

// Code encodes s as an inline code span, fences included: the fence is one
// backtick longer than the longest run of backticks in s (runs longer than
// maxFence are replaced, see maxFence), and a space pads a text that starts
// or ends with a backtick. Line breaks become spaces; "<!" is written "＜!"
// (entities are literal in code); at most MaxCode runes.
func Code(s string) string { return code(s, MaxCode, false) }

// CellCode is Code for a table cell: '|' is escaped, which GitHub's table
// parser honours inside code spans too.
func CellCode(s string) string { return code(s, MaxCell, true) }

func code(s string, max int, cell bool) string {
	t := oneLine(clean(s, max))
	if t == "" {
		return "` `"
	}
	longest, run := 0, 0
	for i := 0; i < len(t); i++ {
		if t[i] == '`' {
			run++
			longest = maxInt(longest, run)
		} else {
			run = 0
		}
	}
	if longest > maxFence {
		t = strings.ReplaceAll(t, "`", "ˋ")
		longest = 0
	}
	fence := strings.Repeat("`", longest+1)
	// CommonMark strips one space from each end of a code span that
	// starts and ends with one, so a text with a backtick (or a space) at
	// either end is padded.
	pad := t[0] == '`' || t[len(t)-1] == '`' || t[0] == ' '
	var b strings.Builder
	b.Grow(len(t) + 2*len(fence) + 8)
	b.WriteString(fence)
	if pad {
		b.WriteByte(' ')
	}
	slashes := 0 // backslashes just written
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '<' && i+1 < len(t) && t[i+1] == '!':
			b.WriteString("＜")
		case t[i] == '|' && cell:
			// GitHub's table parser reads "\\" as an escaped backslash,
			// so the pipe's own backslash must follow an even run.
			if slashes%2 == 1 {
				b.WriteByte('\\')
			}
			b.WriteString(`\|`)
		default:
			b.WriteByte(t[i])
		}
		if t[i] == '\\' {
			slashes++
		} else {
			slashes = 0
		}
	}
	if pad {
		b.WriteByte(' ')
	}
	b.WriteString(fence)
	return b.String()
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// Quote encodes s as a block quote: every line starts with "> " and is
// escaped as Text is (so no line can open a fence, an HTML block or a
// mention), blank lines are kept as ">", at most MaxQuoteLn lines and
// MaxQuote runes. The result ends with a line break.
func Quote(s string) string {
	t := clean(s, MaxQuote)
	lines := strings.Split(strings.Trim(t, "\n"), "\n")
	cut := false
	if len(lines) > MaxQuoteLn {
		lines, cut = lines[:MaxQuoteLn], true
	}
	var b strings.Builder
	b.Grow(len(t) + 4*len(lines) + 16)
	for i, l := range lines {
		l = strings.TrimRight(l, " \t")
		if cut && i == len(lines)-1 {
			l += " " + Ellipsis
		}
		if strings.TrimSpace(l) == "" {
			b.WriteString(">\n")
			continue
		}
		b.WriteString("> ")
		// Leading white space would make an indented code block; the
		// escaping below keeps '`' and '~' from forming a fence.
		escape(&b, strings.TrimLeft(l, " \t"), false)
		b.WriteByte('\n')
	}
	return b.String()
}

// Plain encodes s for plain-text fields (check-run annotation titles and
// messages, write summaries): cleaned, on one line, at most MaxPlain runes,
// and "<!" written "＜!" so that not even plain text carries a marker.
// Plain text is not rendered, so nothing else needs escaping.
func Plain(s string) string {
	return strings.ReplaceAll(oneLine(clean(s, MaxPlain)), "<!", "＜!")
}

// URL encodes a link destination built from user text (a repository, a
// path, a ref): every byte outside RFC 3986's unreserved and reserved sets,
// and '(', ')', '<', '>', '\”, '"', '`', '@' and white space, is
// percent-encoded, so the destination cannot end the link early, open a
// tag or a mention. Only http and https URLs and relative references are
// kept; anything else (javascript:, data:) gives "#". At most MaxURL bytes.
func URL(u string) string {
	u = clean(u, 0)
	if i := strings.IndexAny(u, ":/?#"); i > 0 && u[i] == ':' {
		switch strings.ToLower(u[:i]) {
		case "http", "https":
		default:
			return "#"
		}
	}
	var b strings.Builder
	b.Grow(len(u) + 16)
	for i := 0; i < len(u); i++ {
		c := u[i]
		if urlSafe(c) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
		if b.Len() > MaxURL {
			return "#"
		}
	}
	return b.String()
}

func urlSafe(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~:/?#[]!$&*+,;=%", c) >= 0
}

// PathSegments percent-encodes each '/'-separated segment of p for a URL
// path (a file path or a branch name in a blob URL).
func PathSegments(p string) string {
	parts := strings.Split(clean(p, 0), "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return URL(strings.Join(parts, "/"))
}

// loginRE is a GitHub login ("alice", "dependabot[bot]") or team
// ("org/team-slug").
var loginRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\]|/[A-Za-z0-9][A-Za-z0-9_.-]{0,99})?$`)

// Mention writes a deliberate mention ("@alice", "@org/team"). It is for
// logins Overlap means to notify and that come from GitHub (a reviewer, a
// PR's author); anything that is not a well-formed login or team is
// written as Text, without notifying.
func Mention(login string) string {
	if loginRE.MatchString(login) {
		return "@" + login
	}
	return Text(login)
}

// Fence wraps body, a block Overlap composed (a record template whose user
// parts went through Heading, Text or Mention), in a fenced code block
// whose fence is longer than any run of backticks in body, so no line of
// it can close the block early, and at least four long, so that a
// ``` block someone writes into the copied text still reads as one. info (e.g. "markdown") is cleaned of
// backticks and line breaks. Fence does not cap or escape body: what is
// inside a code block is shown literally and mentions nobody.
func Fence(body, info string) string {
	longest, run := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			run++
			longest = maxInt(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", maxInt(4, longest+1))
	info = strings.ReplaceAll(oneLine(clean(info, MaxText)), "`", "")
	if !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	return fence + info + "\n" + body + fence + "\n"
}
