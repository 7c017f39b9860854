package weekly

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/overlaphq/overlap/internal/markdown"
)

// Caps on what a reply can make Overlap hold and echo. A GitHub comment is
// at most 65,536 characters (at most 256 KiB of UTF-8), so MaxReplyBytes
// never cuts a real reply; the item caps keep a summary of 30 replies
// readable and bounded.
const (
	MaxReplyBytes = 256 << 10
	MaxItems      = 20  // per section
	MaxItemRunes  = 500 // per item, then "…"
)

// Section is one of the three parts of an update.
type Section int

const (
	Shipped Section = iota
	Next
	Blockers
)

func (s Section) String() string { return [...]string{"Shipped", "Next", "Blockers"}[s] }

// Reply is a participant's update split into its three sections. Each item
// is the author's text of one list item or paragraph, trimmed, unescaped
// (render it through mdtext).
type Reply struct {
	Shipped, Next, Blockers []string
}

// Items returns the items of one section.
func (r Reply) Items(s Section) []string {
	switch s {
	case Next:
		return r.Next
	case Blockers:
		return r.Blockers
	}
	return r.Shipped
}

func (r *Reply) add(s Section, item string) {
	p := &r.Shipped
	switch s {
	case Next:
		p = &r.Next
	case Blockers:
		p = &r.Blockers
	}
	if len(*p) < MaxItems {
		*p = append(*p, item)
	}
}

// Empty reports whether the reply says nothing in any section: a reply of
// only "Blockers: none" or a quote of someone else is not a post.
func (r Reply) Empty() bool { return len(r.Shipped)+len(r.Next)+len(r.Blockers) == 0 }

// labels are the words people use for each section in Geekbot- and Status
// Hero-style check-ins, lower-case, matched whole after trimming
// punctuation and emphasis.
var labels = map[string]Section{
	"shipped": Shipped, "done": Shipped, "did": Shipped, "completed": Shipped, "accomplished": Shipped,
	"this week": Shipped, "last week": Shipped, "yesterday": Shipped, "progress": Shipped, "wins": Shipped,
	"next": Next, "next week": Next, "up next": Next, "plans": Next, "plan": Next, "todo": Next,
	"to do": Next, "coming up": Next, "today": Next, "doing": Next, "goals": Next,
	"blockers": Blockers, "blocker": Blockers, "blocked": Blockers, "blocked by": Blockers,
	"impediments": Blockers, "help needed": Blockers, "needs help": Blockers, "risks": Blockers,
}

// nothing are items that mean "no items": "Blockers: none" must not quote
// "none" in the summary.
var nothing = map[string]bool{"none": true, "nothing": true, "n/a": true, "na": true, "-": true, "—": true, "no": true, "nope": true, "none.": true, "nothing.": true, "no blockers": true, "no blockers.": true, "nothing yet": true}

// ParseReply splits body into Shipped, Next and Blockers. A section starts
// at a heading ("## Shipped"), a bold label ("**Next**", "**Next:** text")
// or a prefix ("Blockers: text"); list items and paragraphs are items of
// the section they are in, and text before any label is Shipped (most
// people's one-line update is what they did). Code blocks, inline code,
// HTML comments and block quotes are ignored (markdown.Each), so quoting
// someone's blocker does not make it yours.
//
// The body is someone's comment (DESIGN.md principle 9): it is cut to
// MaxReplyBytes, read in one linear pass, and the scan stops with ctx's
// error when ctx is done.
func ParseReply(ctx context.Context, body string) (Reply, error) {
	if len(body) > MaxReplyBytes {
		cut := MaxReplyBytes
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	var (
		r     Reply
		sec   = Shipped
		item  strings.Builder
		runes int
		open  bool // an item is being built
	)
	flush := func() {
		if open {
			t := strings.TrimSpace(item.String())
			if t != "" && !nothing[strings.ToLower(t)] {
				r.add(sec, t)
			}
		}
		item.Reset()
		runes, open = 0, false
	}
	appendText := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if open && item.Len() > 0 {
			s = " " + s
		}
		open = true
		for _, c := range s {
			if runes == MaxItemRunes {
				item.WriteString("…")
				runes++
			}
			if runes > MaxItemRunes {
				break
			}
			item.WriteRune(c)
			runes++
		}
	}
	err := markdown.Each(ctx, body, func(l markdown.Line) bool {
		if l.Quote {
			flush()
			return true
		}
		// Detect structure on the masked text (a `Shipped:` in code is
		// not a label), take content from the same offsets of Raw.
		// Leading white space is the same in both (masking writes spaces
		// over code, never over white space), counted on Raw so a line
		// that starts with a code span does not look indented.
		lead := len(l.Raw) - len(strings.TrimLeft(l.Raw, " \t"))
		rest := l.Text[lead:]
		if strings.TrimSpace(l.Raw) == "" {
			flush()
			return true
		}
		raw := func(from int) string { return rawFrom(l, lead+from) }
		if s, after, ok := heading(rest); ok {
			flush()
			if s >= 0 {
				sec = Section(s)
			}
			appendText(raw(after))
			flush()
			return true
		}
		markerLen, isItem := listMarker(rest)
		if isItem {
			flush()
		}
		body := rest[markerLen:]
		if s, after, ok := label(body); ok {
			flush()
			sec = s
			appendText(raw(markerLen + after))
			return true
		}
		if isItem {
			appendText(raw(markerLen))
			return true
		}
		appendText(raw(0))
		return true
	})
	if err != nil {
		return Reply{}, err
	}
	flush()
	return r, nil
}

// rawFrom returns the line as written from byte i on: an item keeps its
// code spans ("fixed `retry` in the client"); rendering escapes it.
func rawFrom(l markdown.Line, i int) string {
	if i >= len(l.Raw) {
		return ""
	}
	return l.Raw[i:]
}

// heading reads an ATX heading. sec is the section its text names, or -1
// for another heading (which ends the current item but keeps the section);
// after is where text following the label starts.
func heading(s string) (sec int, after int, ok bool) {
	n := 0
	for n < len(s) && n < 7 && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(s) && s[n] != ' ' && s[n] != '\t') {
		return 0, 0, false
	}
	title := strings.TrimRight(strings.TrimSpace(s[n:]), "#")
	if sc, a, ok := label(strings.TrimLeft(s[n:], " \t")); ok {
		return int(sc), n + (len(s[n:]) - len(strings.TrimLeft(s[n:], " \t"))) + a, true
	}
	if sc, ok := labels[normalise(title)]; ok {
		return int(sc), len(s), true
	}
	return -1, len(s), true
}

// listMarker returns the length of a list marker ("- ", "* ", "+ ", "1. ",
// "2) ", with an optional task box "[ ] ") at the start of s.
func listMarker(s string) (int, bool) {
	n := 0
	switch {
	case len(s) >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && (s[1] == ' ' || s[1] == '\t'):
		n = 2
	default:
		d := 0
		for d < len(s) && d < 9 && s[d] >= '0' && s[d] <= '9' {
			d++
		}
		if d == 0 || d+1 >= len(s) || (s[d] != '.' && s[d] != ')') || (s[d+1] != ' ' && s[d+1] != '\t') {
			return 0, false
		}
		n = d + 2
	}
	for n < len(s) && (s[n] == ' ' || s[n] == '\t') {
		n++
	}
	if len(s) >= n+4 && s[n] == '[' && (s[n+1] == ' ' || s[n+1] == 'x' || s[n+1] == 'X') && s[n+2] == ']' && s[n+3] == ' ' {
		n += 4
	}
	return n, true
}

// maxLabel bounds how far into a line a label is looked for, so a long
// line costs no more than a short one.
const maxLabel = 40

// label reads a section label at the start of s: "**Shipped**",
// "**Shipped:**", "__Next__:", "*Blockers*", "Shipped:" or "Shipped —".
// A bare word without colon or emphasis is not a label ("Done the
// migration" is Shipped text, not a heading). after is where the rest of
// the line starts.
func label(s string) (Section, int, bool) {
	head := s
	if len(head) > maxLabel+8 {
		head = head[:maxLabel+8]
	}
	for _, em := range []string{"**", "__", "*", "_"} {
		if !strings.HasPrefix(head, em) {
			continue
		}
		end := strings.Index(head[len(em):], em)
		if end < 0 {
			return 0, 0, false
		}
		word := head[len(em) : len(em)+end]
		sec, ok := labels[normalise(word)]
		if !ok {
			return 0, 0, false
		}
		after := len(em) + end + len(em)
		rest := s[after:]
		trimmed := strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(trimmed, ":") || strings.HasPrefix(trimmed, "—") || strings.HasPrefix(trimmed, "-") {
			after += len(rest) - len(trimmed)
			_, size := utf8.DecodeRuneInString(trimmed)
			after += size
		}
		return sec, after, true
	}
	i := strings.IndexAny(head, ":—")
	if i <= 0 || i > maxLabel {
		return 0, 0, false
	}
	sec, ok := labels[normalise(head[:i])]
	if !ok {
		return 0, 0, false
	}
	_, size := utf8.DecodeRuneInString(head[i:])
	return sec, i + size, true
}

// normalise lower-cases a label and drops the punctuation and emoji people
// put around it ("✅ Shipped:", "Next?").
func normalise(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimRight(s, ":?!. ")
	s = strings.TrimLeftFunc(s, func(r rune) bool { return r > 0x2000 || r == ' ' })
	return strings.TrimSpace(s)
}
