package timezones

import (
	"context"
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/overlaphq/overlap/internal/markdown"
)

// Phrase is one time-sensitive phrase found in a text.
type Phrase struct {
	// Text is the phrase as written, e.g. "Friday EOD". Resolve reads it.
	Text string
	// Quote is Text with the word before it when that word is in the same
	// sentence ("ship Friday EOD", "by Monday 10:00"): what a reader
	// recognises in the rendered comment.
	Quote string
	// Start and End are the byte offsets of Text in the scanned text.
	Start, End int
	Kind       Kind
	// Today marks a bare clock time that names today's occurrence of
	// something ("the 2pm meeting", "this morning's 9am", "today's
	// 3pm"): it resolves to today even once past, and Scan leaves it out
	// then, instead of rolling it over to tomorrow.
	Today bool
}

// Detect is [DetectContext] without a deadline, for short texts and tests.
func Detect(text string) []Phrase {
	out, _ := DetectContext(context.Background(), text)
	return out
}

// DetectContext returns the time-sensitive phrases in a Markdown text that
// carry no timezone, in order of appearance. Code, quotes, URLs and HTML
// comments are ignored, and so is any phrase whose sentence names a zone or
// that refers to the past ("at 3pm yesterday", "last Friday", "was at 2pm";
// see past).
//
// The text is attacker-sized (DESIGN.md principle 9) and the detector is a
// table of large regular expressions, which cost microseconds per byte. So
// the work is bounded, whatever the text: only the first [MaxDetectBytes]
// are read; the text is read in pieces (lines, and long lines cut at
// whitespace every [chunkBytes]); a piece with no digit and no word that
// can start a phrase ("mon", "tomorrow", "eod", "noon", ...) costs one
// pass of byte tests; and reading stops once the budget (see [Budget]) is
// spent. The budget is far above what people write in a comment, so it
// only ever cuts hostile text. DetectContext returns ctx's error when ctx is
// done first.
func DetectContext(ctx context.Context, text string) ([]Phrase, error) {
	b := NewBudget()
	return b.detect(ctx, text)
}

// Limits of the detector's work.
const (
	// MaxDetectBytes is how much of one text is read: GitHub caps bodies
	// and comments at 65,536 characters.
	MaxDetectBytes = 1 << 16
	// chunkBytes is the length past which a line is read in pieces, cut
	// at the next space or tab. A phrase cut in two by a piece boundary
	// is not found; only lines longer than this can have one.
	chunkBytes = 1 << 10
	// DefaultBudgetRead, DefaultBudgetBytes and DefaultBudgetMatches
	// bound, per text or per thread (see Budget), the text read at all
	// (Markdown and URL masking), the text run through the detector table
	// (pieces with a possible phrase) and the time-like matches weighed.
	// The table costs microseconds per byte and per match, so its share is
	// small; it is still several times what a busy thread holds (a thread's
	// comment lists MaxItems phrases).
	DefaultBudgetRead    = 256 << 10
	DefaultBudgetBytes   = 4 << 10
	DefaultBudgetMatches = 64
)

// Budget is what the detector may still spend: bytes read, bytes run
// through the table and matches weighed. One budget can be shared by the
// texts of a thread so that the thread as a whole is bounded.
type Budget struct {
	Read, Bytes, Matches int
}

// NewBudget returns the default budget.
func NewBudget() *Budget {
	return &Budget{Read: DefaultBudgetRead, Bytes: DefaultBudgetBytes, Matches: DefaultBudgetMatches}
}

// Spent reports whether nothing is left.
func (b *Budget) Spent() bool { return b.Read <= 0 || b.Bytes <= 0 || b.Matches <= 0 }

func (b *Budget) detect(ctx context.Context, text string) ([]Phrase, error) {
	if len(text) > MaxDetectBytes {
		text = text[:MaxDetectBytes]
	}
	if b.Spent() {
		return nil, ctx.Err()
	}
	if len(text) > b.Read {
		text = text[:b.Read]
	}
	b.Read -= len(text)
	mask, err := maskIgnored(ctx, text)
	if err != nil {
		return nil, err
	}
	zones := newZoneIndex(mask)
	var out []Phrase
	n, last := 0, 0 // last: where the previous phrase ended
	for lo := 0; lo < len(mask) && !b.Spent(); {
		hi := pieceEnd(mask, lo)
		if n++; n%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("detect times: %w", err)
			}
		}
		if mayHoldPhrase(mask[lo:hi]) {
			b.Bytes -= hi - lo
			out = append(out, b.detectIn(text, mask, zones, lo, hi, &last)...)
		}
		lo = hi
		if lo < len(mask) && mask[lo] == '\n' {
			lo++
		}
	}
	return out, nil
}

// pieceEnd returns the end of the piece that starts at lo: the end of the
// line, or for a long line the first space or tab after chunkBytes (the
// next piece starts with it, so a word boundary looks the same from both
// sides).
func pieceEnd(mask string, lo int) int {
	line := strings.IndexByte(mask[lo:], '\n')
	if line < 0 {
		line = len(mask) - lo
	}
	if line <= chunkBytes {
		return lo + line
	}
	if k := strings.IndexAny(mask[lo+chunkBytes:lo+line], " \t"); k >= 0 && k < chunkBytes {
		return lo + chunkBytes + k
	}
	return lo + chunkBytes // no whitespace for a kilobyte: not prose, cut anywhere
}

// phraseStarts are the first three letters, lower-cased, of every word
// that can begin or make a phrase of the detector table: weekdays,
// tomorrow, tonight/tonite, next, EOD/EOB/COB, end/close of ..., noon,
// midday/midnight. Every other phrase holds a digit.
var phraseStarts = map[string]bool{
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"tom": true, "ton": true, "nex": true, "eod": true, "eob": true, "cob": true, "end": true,
	"clo": true, "noo": true, "mid": true,
}

// mayHoldPhrase is the cheap test in front of the table: does s hold a
// digit, a word starting like a phrase word, or any non-ASCII byte (case
// folding lets "ſ" stand for "s" in the table's patterns)?
func mayHoldPhrase(s string) bool {
	var w [3]byte
	wl := -1 // letters in the current word; -1 outside a word
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9' || c >= 0x80:
			return true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			if wl < 0 {
				wl = 0
			}
			if wl < 3 {
				w[wl] = c | 0x20
			}
			wl++
			if wl == 3 && phraseStarts[string(w[:])] {
				return true
			}
		case c == '_':
			// inside a word for \b, but no phrase word starts after it
			if wl < 0 {
				wl = 3
			}
		default:
			wl = -1
		}
	}
	return false
}

// detectIn runs the detector table over the piece mask[lo:hi]. No phrase
// crosses a line break, and pieces are cut at whitespace, so matching the
// piece alone finds what matching the whole text would find in it.
func (b *Budget) detectIn(text, mask string, zones *zoneIndex, lo, hi int, last *int) []Phrase {
	type cand struct {
		start, end, row int
		// skip: the phrase claims its text but is not listed, because
		// its sentence names a zone or its clock is ambiguous.
		skip bool
	}
	var cands []cand
	piece := mask[lo:hi]
	for i, r := range table {
		for _, loc := range r.find.FindAllStringIndex(piece, -1) {
			s, e := lo+loc[0], lo+loc[1]
			// A match that spans ignored text ("tomorrow `x` noon") is
			// not a phrase anyone wrote.
			if mask[s:e] != text[s:e] || notATime(mask, s, e) {
				continue
			}
			// A zoned phrase is kept as a candidate so that it still
			// claims its text: in "Friday 9am Mountain" the zone covers
			// "Friday" too, not only the longest phrase it follows. So is
			// "Friday 5:00" (5am or 5pm?): it must not shrink to "Friday".
			skip := zones.near(s, e) || ambiguousClock(r, mask[s:e]) || past(mask, s, e)
			cands = append(cands, cand{s, e, i, skip})
			if b.Matches--; b.Matches <= 0 {
				break
			}
		}
		if b.Matches <= 0 {
			break
		}
	}
	// A soft phrase ("until Monday") gives way to one that starts inside
	// it and runs past its end ("Monday 3pm"). Comparing every soft phrase
	// with every candidate was quadratic in a text of "until Monday"s; the
	// farthest end among the candidates starting inside a phrase is a range
	// maximum over the candidates sorted by start (see maxEnds).
	byStart := slices.Clone(cands)
	slices.SortFunc(byStart, func(a, b cand) int { return a.start - b.start })
	starts := make([]int, len(byStart))
	ends := make([]int, len(byStart))
	for i, c := range byStart {
		starts[i], ends[i] = c.start, c.end
	}
	far := newMaxEnds(ends)
	kept := cands[:0]
	for _, c := range cands {
		crossed := false
		if table[c.row].soft {
			lo := sort.SearchInts(starts, c.start+1) // first start > c.start
			hi := sort.SearchInts(starts, c.end)     // first start >= c.end
			crossed = lo < hi && far.max(lo, hi) > c.end
		}
		if !crossed {
			kept = append(kept, c)
		}
	}
	cands = kept
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if a.end-a.start != b.end-b.start {
			return a.end-a.start > b.end-b.start
		}
		return a.row < b.row
	})
	var out []Phrase
	for _, c := range cands {
		if c.start < *last {
			continue // overlaps a longer or earlier phrase
		}
		if c.skip {
			*last = c.end
			continue
		}
		qs := quoteStart(mask, c.start)
		if qs < *last {
			qs = c.start // never quote the end of the previous phrase
		}
		r := table[c.row]
		out = append(out, Phrase{
			Text:  text[c.start:c.end],
			Quote: text[qs:c.end],
			Start: c.start,
			End:   c.end,
			Kind:  r.kind,
			Today: r.day == dayUpcoming && r.at == atClock && todayRef(mask, c.start, c.end),
		})
		*last = c.end
	}
	return out
}

// maxEnds answers "what is the largest of ends[lo:hi]?" in constant time
// after an O(n log n) build: a sparse table, level k holding the maximum of
// each run of 2^k values.
type maxEnds [][]int

func newMaxEnds(ends []int) maxEnds {
	t := maxEnds{ends}
	for w := 1; 2*w <= len(ends); w *= 2 {
		prev := t[len(t)-1]
		next := make([]int, len(prev)-w)
		for i := range next {
			next[i] = max(prev[i], prev[i+w])
		}
		t = append(t, next)
	}
	return t
}

// max returns the largest of ends[lo:hi]; lo < hi.
func (t maxEnds) max(lo, hi int) int {
	k := bits.Len(uint(hi-lo)) - 1
	return max(t[k][lo], t[k][hi-(1<<k)])
}

// ambiguousClock reports whether the phrase m, found by rule r, names a
// clock time from 1:00 to 7:59 without am/pm ("Done by 5:00"): 5am and 5pm
// are both plausible, so it is not converted. A zero-padded hour ("05:00")
// is 24-hour notation and is not ambiguous; nor are 0:00–0:59 and
// 8:00–23:59.
func ambiguousClock(r rule, m string) bool {
	g, ok := groups(r.full, m)
	return ok && isAmbiguousClock(g["clock"])
}

var ambiguousClockRe = regexp.MustCompile(`^[1-7]:[0-5]\d$`)

func isAmbiguousClock(c string) bool { return ambiguousClockRe.MatchString(strings.TrimSpace(c)) }

// Context guards: a match that touches these is a version, a path, a domain,
// a duration, a date or a name, not a time.
var (
	// "Black Friday", "Good Friday", "Cyber Monday", "at the end of the day"
	// (the idiom), "over the next week" (a duration).
	namedBefore = regexp.MustCompile(`(?i)(?:\b(?:black|good|cyber|casual|girl|man|holy|ash|easter|boxing|blue|maundy|super|fat|giving)[ \t]+$)`)
	namedDay    = regexp.MustCompile(`(?i)^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri)\b`)
	idiomEOD    = regexp.MustCompile(`(?i)\bat[ \t]+the[ \t]+$`)
	endOfDay    = regexp.MustCompile(`(?i)^end[ \t]+of[ \t]+the[ \t]+day\b`)
	theBefore   = regexp.MustCompile(`(?i)\b(?:the|a)[ \t]+$`)
	nextWeek    = regexp.MustCompile(`(?i)^next[ \t]+week\b`)
	backLead    = regexp.MustCompile(`(?i)^` + back)
	// "15:00 minutes", "3pm hours".
	durationAfter = regexp.MustCompile(`(?i)^[ \t]*(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b`)
	// "Friday the 13th", "Friday 13th", "Monday 27 Nov": a date, not a relative day.
	dateAfter = regexp.MustCompile(`(?i)^,?[ \t]+(?:the[ \t]+)?\d{1,2}(?:st|nd|rd|th)?\b(?:[ \t]+(?:of[ \t]+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)?`)
	dateOK    = regexp.MustCompile(`(?i)^,?[ \t]+(?:\d{1,2}[ \t]?(?:[ap]m\b|[ap]\.m\.)|\d{1,2}:\d)`) // "Friday 3pm", "Friday 10:00" are times

	// Any date touching a phrase from outside: "27/11 at 3pm", "3pm on
	// 11/27", "the 27th at noon", "tomorrow, Nov 27". A phrase that spells
	// its date unambiguously is a dated row of the table and includes the
	// date, so whatever date is left outside it is ambiguous (day/month
	// order), incomplete (no month) or a different reading; skip rather
	// than convert the wrong day.
	dateBefore = regexp.MustCompile(`(?i)(?:^|[^\w/.-])` + anyDate + `(?:,?[ \t]+\d{4})?,?[ \t]+(?:(?:at|by|around|before|from|on|@)[ \t]*)?$`)
	dateNext   = regexp.MustCompile(`(?i)^,?[ \t]+(?:on[ \t]+)?(?:the[ \t]+)?` + anyDate)

	// A m:ss position in a recording: "the 2:30 mark", "1:15 into the
	// video", "skip to 4:05".
	mss         = regexp.MustCompile(`^\d{1,2}:[0-5]\d$`)
	mediaAfter  = regexp.MustCompile(`(?i)^[ \t]*(?:mark|timestamp|(?:in|into|of)[ \t]+(?:the|this|that|my|your|our|his|her|their)[ \t]+(?:video|recording|clip|talk|stream|livestream|podcast|episode|song|track|movie|film|screencast|loom|keynote|presentation|demo[ \t]+video))\b`)
	mediaBefore = regexp.MustCompile(`(?i)\b(?:(?:skip|jump|go|fast[- ]forward|rewind|seek|scrub)[ \t]+(?:ahead[ \t]+|back[ \t]+)?to|timestamp)[ \t]+$`)
)

// anyDate is any spelling of a date, ambiguous ones included.
const anyDate = `(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}\.\d{1,2}\.(?:\d{2,4})?|` +
	monthWord + `\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?\b|\d{1,2}(?:st|nd|rd|th)?(?:[ \t]+of)?[ \t]+` + monthWord + `|\d{1,2}(?:st|nd|rd|th)\b)`

const monthWord = `(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b`

// notATime reports whether the match mask[s:e] is something that only looks
// like a time: glued to a word, a path, a version or a domain, followed by a
// duration unit, next to a date it does not include, a position in a
// video, or part of a name or an idiom.
func notATime(mask string, s, e int) bool {
	if s > 0 {
		p := mask[s-1]
		if isWord(p) || strings.IndexByte("#/\\.:@$", p) >= 0 {
			return true // "#3pm", "/3pm", "1.15:00"
		}
		if (p == '-' || p == '\'') && s > 1 && isLetter(mask[s-2]) && isLetter(mask[s]) {
			return true // "Mon-Fri", "c'mon"; "3pm-4pm" is a range of two times
		}
	}
	if e < len(mask) {
		n := mask[e]
		next := byte(' ')
		if e+1 < len(mask) {
			next = mask[e+1]
		}
		switch {
		case isWord(n):
			return true // "15:00Z", "3pmish"
		case strings.IndexByte("./:@", n) >= 0 && isWord(next):
			return true // "Monday.com", "15:00/16:00" paths, "10:00:01"
		case n == '-' && isLetter(next):
			return true // "Mon-Fri", "Friday-ish"
		}
	}
	before, after, m := window(mask, s-40, s), window(mask, e, e+40), mask[s:e]
	if loc := backLead.FindStringIndex(m); loc != nil {
		// "until Black Friday", "back on Monday 7th Dec": the guards
		// below read the day after the return word.
		ws := s + loc[1]
		before, m = window(mask, ws-40, ws), mask[ws:e]
	}
	if durationAfter.MatchString(after) {
		return true
	}
	if dateBefore.MatchString(before) || dateNext.MatchString(after) {
		return true
	}
	if mss.MatchString(m) && (mediaAfter.MatchString(after) || mediaBefore.MatchString(before)) {
		return true
	}
	if namedDay.MatchString(m) {
		if namedBefore.MatchString(before) {
			return true
		}
		if dateAfter.MatchString(after) && !dateOK.MatchString(after) && !strings.ContainsAny(m, ":") {
			return true
		}
	}
	if endOfDay.MatchString(m) && idiomEOD.MatchString(before) {
		return true
	}
	if nextWeek.MatchString(m) && theBefore.MatchString(before) {
		return true
	}
	return false
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
func isWord(b byte) bool   { return isLetter(b) || b >= '0' && b <= '9' || b == '_' }

// Past references. A phrase next to one of these words is about something
// that already happened, not an upcoming deadline, so it is not listed:
// "at 3pm yesterday", "yesterday's 3pm", "last Friday", "Friday last
// week", "9am earlier", "2 hours ago", "the call was at 2pm". The words
// must touch the phrase (only "at"/"around" and a comma between), so "the
// outage yesterday; fix by Friday" still lists Friday.
var (
	pastBefore = regexp.MustCompile(`(?i)\b(?:yesterday(?:'s|’s)?|last(?:[ \t]+night(?:'s|’s)?)?|earlier[ \t]+today|(?:was|were)(?:[ \t]+(?:at|around))?)[ \t]*,?[ \t]*(?:(?:at|around|on)[ \t]+)?$`)
	pastAfter  = regexp.MustCompile(`(?i)^(?:'s|’s)?[ \t]*,?[ \t]*(?:yesterday|last[ \t]+(?:night|week)|earlier\b|ago\b)`)
	// Today's occurrence of a bare clock time: "the 2pm meeting", "this
	// morning's 9am", "9am this morning", "today's 3pm", "earlier
	// today". Resolved to today; left out once past (Phrase.Today).
	todayBefore = regexp.MustCompile(`(?i)\b(?:the|today(?:'s|’s)|this[ \t]+(?:morning|afternoon|evening)(?:'s|’s)?)[ \t]+(?:(?:at|around)[ \t]+)?$`)
	todayAfter  = regexp.MustCompile(`(?i)^[ \t]*,?[ \t]*(?:this[ \t]+(?:morning|afternoon|evening)|earlier[ \t]+today)\b`)
)

// past reports whether mask[s:e] refers to the past (see pastBefore).
func past(mask string, s, e int) bool {
	return pastBefore.MatchString(window(mask, s-40, s)) || pastAfter.MatchString(window(mask, e, e+40))
}

// todayRef reports whether the bare clock time mask[s:e] names today's
// occurrence of something (see todayBefore).
func todayRef(mask string, s, e int) bool {
	return todayBefore.MatchString(window(mask, s-40, s)) || todayAfter.MatchString(window(mask, e, e+40))
}

// prevWord matches the word just before a phrase, on the same line.
var prevWord = regexp.MustCompile(`[A-Za-z][A-Za-z']*[ \t]+$`)

// quoteSkip are words that carry nothing about the deadline: quoting them
// ("up tomorrow at 9am", "is Sunday 1:30am", "also 12pm") reads as a stray
// fragment. Verbs and prepositions ("ship Friday EOD", "by Monday 10:00")
// are kept: they say what the time is for.
var quoteSkip = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "but": true, "so": true, "also": true,
	"then": true, "too": true, "up": true, "down": true, "out": true, "off": true, "over": true, "it": true,
	"its": true, "it's": true, "is": true, "are": true, "was": true, "were": true, "be": true, "been": true,
	"am": true, "i": true, "i'm": true, "i'll": true, "we": true, "we'll": true, "you": true, "they": true,
	"he": true, "she": true, "me": true, "us": true, "them": true, "this": true, "that": true, "these": true,
	"those": true, "my": true, "our": true, "your": true, "their": true, "his": true, "her": true, "ok": true,
	"okay": true, "yes": true, "no": true, "not": true, "just": true, "maybe": true, "again": true,
}

// quoteStart extends a phrase back over the word before it, unless a
// sentence boundary or ignored text sits between them or the word is one
// that says nothing about the time (quoteSkip).
func quoteStart(mask string, s int) int {
	lo := s - 40
	if lo < 0 {
		lo = 0
	}
	loc := prevWord.FindStringIndex(mask[lo:s])
	if loc == nil {
		return s
	}
	start := lo + loc[0]
	if start > 0 && isWord(mask[start-1]) {
		return s // the 40-byte window cut a word; keep it simple
	}
	if quoteSkip[strings.ToLower(strings.TrimRight(mask[start:s], " \t"))] {
		return s
	}
	return start
}

// Zones named near a phrase. Abbreviations are case-sensitive: "et", "pt" and
// "ist" are ordinary words.
var cities = `london|new[ \t]+york|nyc|ny|singapore|sg|san[ \t]+francisco|sf|seattle|los[ \t]+angeles|la|chicago|denver|austin|boston|toronto|vancouver|berlin|paris|amsterdam|madrid|lisbon|dublin|warsaw|kyiv|stockholm|zurich|tel[ \t]+aviv|dubai|mumbai|bangalore|bengaluru|delhi|tokyo|seoul|shanghai|beijing|hong[ \t]+kong|sydney|melbourne|auckland|sao[ \t]+paulo`

var zonePatterns = []*regexp.Regexp{
	regexp.MustCompile(`\b(?:UTC|GMT|UT|CET|CEST|EET|EEST|WET|WEST|BST|IST|SGT|MYT|JST|KST|HKT|CST|CDT|CT|EST|EDT|ET|PST|PDT|PT|MST|MDT|MT|AKST|AKDT|HST|AEST|AEDT|AET|NZT|GST|AST|ADT|NST|NDT|IDT|ACST|ACDT|AWST|NZST|NZDT|MSK|BRT|WIB|PHT|ICT|SAST|WAT|EAT|PKT|NPT)\b`),
	regexp.MustCompile(`(?i)\b(?:utc|gmt)\b`),
	regexp.MustCompile(`\d:[0-5]\d(?::[0-5]\d)?(?:\.\d+)?Z\b`),                         // 15:00Z
	regexp.MustCompile(`(?:^|[\s(])[+−-](?:0\d|1[0-4]):[0-5]\d\b`),                     // +01:00
	regexp.MustCompile(`\d:[0-5]\d(?::[0-5]\d)?(?:\.\d+)?\+(?:0\d|1[0-4]):?[0-5]\d\b`), // 15:00+01:00
	regexp.MustCompile(`\d:[0-5]\d:[0-5]\d(?:\.\d+)?[−-](?:0\d|1[0-4]):[0-5]\d\b`),     // 15:00:00-05:00
	regexp.MustCompile(`\b(?:Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific|US|Canada|Brazil|Mexico|Etc)/[A-Za-z_]+`),
	regexp.MustCompile(`(?i)\b(?:your|my|our|their|his|her|local|server|team|everyone'?s)[ \t]+(?:local[ \t]+)?time\b`),
	regexp.MustCompile(`(?i)\btime[ \t]?zones?\b`),
	regexp.MustCompile(`(?i)\b(?:pacific|eastern|central|mountain|atlantic|alaska|hawaii|greenwich|universal|central[ \t]+european|eastern[ \t]+european|western[ \t]+european|british|irish|india|indian|singapore|japan|korea|china|australian[ \t]+eastern)[ \t]+(?:(?:standard|daylight|summer|mean)[ \t]+)?time\b`),
	regexp.MustCompile(`(?i)\b(?:` + cities + `|` + countries + `)[ \t]+time\b`),
	// "UK time", "US Eastern", "U.S. Pacific time": capitals only, "us" is a word.
	regexp.MustCompile(`\b(?:UK|U\.K\.|US|U\.S\.)[ \t]+(?:time\b|(?i:pacific|eastern|central|mountain)\b)`),
}

// cityAfter matches a city named right after a phrase: "3pm London",
// "Friday 10:00 (Singapore)", "noon in New York", or a North American
// region ("5pm Pacific", "noon (Eastern)"): those words read as a zone only
// right after the phrase, hence not in zonePatterns ("the central point").
var cityAfter = regexp.MustCompile(`(?i)^[ \t]*(?:(?:\(|in[ \t]+|,[ \t]*)?(?:` + cities + `|` + countries + `)|\(?(?:u\.?s\.?[ \t]+|us/)?(?:pacific|eastern|central|mountain|atlantic|alaska|hawaii))\b`)

// countries read as a zone right after a phrase ("Thursday 17:00 UK"); only
// single-zone ones, so the time they name is unambiguous.
const countries = `uk|u\.k|britain|great[ \t]+britain|england|scotland|wales|ireland`

// zoneIndex answers "does the sentence around this phrase name a zone?"
// once per sentence, so long texts stay linear.
type zoneIndex struct {
	mask   string
	bounds []int        // offsets of sentence boundaries, ascending
	memo   map[int]bool // sentence start -> names a zone
}

func newZoneIndex(mask string) *zoneIndex {
	z := &zoneIndex{mask: mask, memo: make(map[int]bool)}
	for i := range len(mask) {
		if boundary(mask, i) {
			z.bounds = append(z.bounds, i)
		}
	}
	return z
}

// near reports whether mask[s:e] is followed by a city or sits in a
// sentence that names a zone. Sentences end at a line break or at . ! ?
// followed by space, except after abbreviations like "p.m." and "e.g.".
func (z *zoneIndex) near(s, e int) bool {
	if cityAfter.MatchString(window(z.mask, e, e+40)) {
		return true
	}
	i := sort.SearchInts(z.bounds, s) // first boundary at or after s
	lo := 0
	if i > 0 {
		lo = z.bounds[i-1] + 1
	}
	if v, ok := z.memo[lo]; ok {
		return v
	}
	hi := len(z.mask)
	if j := sort.SearchInts(z.bounds, e); j < len(z.bounds) {
		hi = z.bounds[j]
	}
	if hi-lo > maxSentence {
		// A "sentence" this long is not prose: read the zone patterns
		// only in a window around the phrase, one window per block of
		// maxSentence bytes (memoized), so hostile text cannot make
		// every phrase rescan it.
		block := s / maxSentence * maxSentence
		wlo, whi := max(lo, block-maxSentence/2), min(hi, block+2*maxSentence)
		if v, ok := z.memo[-1-block]; ok {
			return v
		}
		found := z.names(wlo, whi)
		z.memo[-1-block] = found
		return found
	}
	if v, ok := z.memo[lo]; ok {
		return v
	}
	found := z.names(lo, hi)
	z.memo[lo] = found
	return found
}

// maxSentence is the longest sentence read whole for a zone; in a longer
// one, a phrase sees the zones from maxSentence/2 bytes before the block of
// maxSentence bytes it starts in to maxSentence bytes after it.
const maxSentence = 256

// names reports whether mask[lo:hi] names a zone.
func (z *zoneIndex) names(lo, hi int) bool {
	sent := z.mask[lo:hi]
	for _, re := range zonePatterns {
		if re.MatchString(sent) {
			return true
		}
	}
	return false
}

// window returns mask[lo:hi] clipped to the string.
func window(mask string, lo, hi int) string {
	lo = max(lo, 0)
	hi = min(hi, len(mask))
	if lo >= hi {
		return ""
	}
	return mask[lo:hi]
}

func boundary(mask string, i int) bool {
	switch mask[i] {
	case '\n':
		return true
	case '.', '!', '?':
		if i+1 < len(mask) && mask[i+1] != ' ' && mask[i+1] != '\t' && mask[i+1] != '\n' {
			return false // "3.10", "e.g" mid-token
		}
		if mask[i] == '.' && i >= 2 && mask[i-2] == '.' && isLetter(mask[i-1]) {
			return false // "p.m.", "e.g."
		}
		return true
	}
	return false
}

// Ignored regions of Markdown beyond what package markdown masks.
var (
	htmlCode = regexp.MustCompile(`(?is)<(pre|code|kbd|samp)\b[^>]*>.*?</(?:pre|code|kbd|samp)>`)
	urlRe    = regexp.MustCompile(`(?i)\b(?:(?:https?|ftp)://|www\.)[^\s<>"'\x60)\]]+`)
	linkDest = regexp.MustCompile(`\]\([^)\n]*\)`)
	refDef   = regexp.MustCompile(`(?m)^[ ]{0,3}\[[^\]\n]+\]:[ \t]*\S+`)
)

// maskIgnored returns text with code, quotes, HTML comments (see
// markdown.Mask), HTML code elements, URLs, link targets and reference
// definitions blanked to spaces (line breaks kept), so byte offsets into
// the result are offsets into text.
func maskIgnored(ctx context.Context, text string) (string, error) {
	m, err := markdown.MaskContext(ctx, text)
	if err != nil {
		return "", fmt.Errorf("detect times: %w", err)
	}
	b := []byte(m)
	for _, re := range []*regexp.Regexp{htmlCode, urlRe, linkDest, refDef} {
		for _, loc := range re.FindAllIndex(b, -1) {
			for i := loc[0]; i < loc[1]; i++ {
				if b[i] != '\n' && b[i] != '\r' {
					b[i] = ' '
				}
			}
		}
	}
	return string(b), nil
}
