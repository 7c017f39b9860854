package timezones

import (
	"fmt"
	"regexp"
)

// Kind says what a phrase names; Resolve uses it to pick the rule that
// produced the phrase.
type Kind int

// The kinds of time-sensitive phrase the detector knows.
const (
	KindWeekday  Kind = iota + 1 // "Friday", "Fri 3pm", "Monday EOD", "next Friday"
	KindTomorrow                 // "tomorrow", "tomorrow morning", "tomorrow 3pm"
	KindTonight                  // "tonight", "tonight at 9pm"
	KindNextWeek                 // "next week"
	KindEndOfDay                 // "EOD", "end of day", "COB", "close of business"
	KindClock                    // "at 15:00", "3pm", "3:30 pm", "noon", "midnight"
	KindDate                     // "Nov 27 at 3pm", "2026-11-27 15:00", "Fri 27 Nov EOD"
)

var kindNames = map[Kind]string{
	KindWeekday:  "weekday",
	KindTomorrow: "tomorrow",
	KindTonight:  "tonight",
	KindNextWeek: "next week",
	KindEndOfDay: "end of day",
	KindClock:    "clock",
	KindDate:     "date",
}

// String names the kind for logs and test failures.
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// dayRule says which calendar day (in the author's zone) a phrase means.
type dayRule int

const (
	// dayUpcoming: today if the instant is still ahead of now, else the next
	// day (for end-of-day: the author's next working day).
	dayUpcoming dayRule = iota
	dayToday
	dayTomorrow
	// dayWeekday: the coming day named by the `wd` group (today if still
	// ahead); with `mod`=next or `nw` ("Friday next week"), that weekday in
	// the next Monday-to-Sunday week.
	dayWeekday
	// dayNextMonday: Monday of the next Monday-to-Sunday week.
	dayNextMonday
	// dayDate: the date in the `year`, `mon` and `day` groups; without a
	// year, its next occurrence (today included). A `wd` group that is not
	// that date's weekday makes the phrase unresolvable.
	dayDate
)

// atRule says which time on that day a phrase means.
type atRule int

const (
	atClock   atRule = iota // the `clock` group: "3pm", "15:00", "noon", "midnight"
	atEOD                   // the author's end of working hours
	atStart                 // the author's start of working hours
	atPart                  // the `part` group: morning = start of hours, afternoon 14:00, evening 18:00, night 20:00
	atTonight               // 20:00
)

// rule is one row of the detector table: a phrase shape, its kind, and how
// to resolve it.
type rule struct {
	kind Kind
	day  dayRule
	at   atRule
	find *regexp.Regexp // finds the phrase in masked text
	full *regexp.Regexp // the same pattern anchored, used by Resolve on Phrase.Text
	// soft rows give way to any phrase that starts inside their match and
	// ends after it: "until Monday 3pm" is "Monday 3pm", not "until
	// Monday" followed by a stray "3pm".
	soft bool
}

// Pattern fragments. Groups: wd (weekday), mod (next/this), nw ("next week"
// after a weekday), clock, from (the start of a range ending at clock),
// eod, part, and year, mon, day for a date.
const (
	sp = `[ \t]+`
	// Abbreviated Sat/Sun only count next to a time ("Sat 10am"): "sat" and
	// "sun" are ordinary words.
	wd    = `(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri)\b`
	wdAny = `(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|weds?|thu|thurs?|fri|sat|sun)\b`
	mod   = `(?:(?P<mod>next|this(?:[ \t]+coming)?|coming)[ \t]+)?`
	nw    = `(?:[ \t]+(?P<nw>next[ \t]+week)\b)?`
	ampm  = `(?:[ap]m\b|[ap]\.m\.)`
	clock = `(?P<clock>(?:1[0-2]|0?[1-9])(?::[0-5]\d)?[ \t]?` + ampm + `|(?:[01]?\d|2[0-3]):[0-5]\d|noon\b|midday\b|midnight\b)`
	// clockR is a clock or a range ending in one: "3-4pm", "15:00-16:00",
	// "3pm to 4pm", "10:30–11am". The start may lack am/pm ("3-4pm");
	// Resolve reads it against the end (see rangeStart). Word separators
	// need spaces around them ("3pm to 4pm", not "3to4pm").
	clockR = `(?:(?P<from>(?:1[0-2]|0?[1-9])(?::[0-5]\d)?(?:[ \t]?` + ampm + `)?|(?:[01]?\d|2[0-3]):[0-5]\d|noon\b|midday\b)` +
		`(?:[ \t]*[-–—][ \t]*|[ \t]+(?:to|till|until)[ \t]+))?` + clock
	eod     = `(?P<eod>eod|eob|cob|end[ \t]+of[ \t]+(?:the[ \t]+)?(?:business[ \t]+|work(?:ing)?[ \t]+)?day|end[ \t]+of[ \t]+business|close[ \t]+of[ \t]+(?:business|play))\b`
	part    = `(?P<part>morning|afternoon|evening|night)\b`
	toEOD   = `,?` + sp + `(?:(?:by|at|before)` + sp + `)?(?:the` + sp + `)?` // "Friday by the EOD"
	toClock = `,?` + sp + `(?:(?:at|by|around|before|from|@)[ \t]*)?`         // "Friday at 3pm"
	onDay   = `,?` + sp + `(?:on` + sp + `)?`                                 // "3pm on Friday"

	// Explicit dates: only the unambiguous spellings. ISO 2026-11-27, a
	// month name and a day either way round ("Nov 27th", "27 November",
	// "the 27th of Nov"), optionally a year. Numeric day/month dates
	// ("27/11", "11/27") mean different days in London and New York, so
	// they are not rows: Detect skips any phrase next to one instead.
	month   = `(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?`
	mday    = `(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b`
	year    = `(?:,?` + sp + `(?P<year>20\d\d)\b)?`
	isoDate = `(?P<year>20\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b`
	date    = `(?:` + isoDate + `|` + month + sp + mday + year + `|(?:the` + sp + `)?` + mday + sp + `(?:of` + sp + `)?` + month + year + `)`
	// A weekday in front of a date ("Fri 27 Nov", "Monday, March 3rd") is
	// checked against it, never used to pick the day.
	wdDate    = `(?:` + wdAny + `,?` + sp + `)?` + date
	wdDateEOD = `(?:` + wd + `,?` + sp + `)?` + date

	// back is a return from an absence: "until Monday", "OOO till
	// Monday", "back on Monday", "returning Tuesday". The day named is
	// when the absence ends, not a deadline, so it means the start of that
	// working day.
	back = `(?:until|till|til|back(?:[ \t]+(?:on|in[ \t]+on))?|returning(?:[ \t]+on)?|return(?:s|ing)?[ \t]+on)` + sp
)

// table is the detector: every phrase shape it knows, in priority order (at
// the same start, the longest match wins, then the earlier row).
var table = []rule{
	// Returns from an absence (soft: "until Monday 3pm" is the time).
	soften(row(KindWeekday, dayWeekday, atStart, back+mod+wd+nw)),      // until Monday, back on Friday next week
	soften(row(KindTomorrow, dayTomorrow, atStart, back+`tomorrow\b`)), // back tomorrow
	// Weekdays.
	row(KindWeekday, dayWeekday, atEOD, mod+wd+toEOD+eod),           // Friday EOD, Fri by COB
	row(KindWeekday, dayWeekday, atEOD, eod+onDay+mod+wd),           // EOD Friday, end of day on Friday
	row(KindWeekday, dayWeekday, atClock, mod+wdAny+toClock+clockR), // Fri 3pm, by Monday 10:00, Friday at noon
	row(KindWeekday, dayWeekday, atClock, clockR+onDay+mod+wdAny),   // 3pm Friday, 10:00 on Monday
	row(KindWeekday, dayWeekday, atPart, mod+wd+sp+part),            // Friday morning
	row(KindWeekday, dayWeekday, atEOD, mod+wd+nw),                  // Friday, next Friday, Friday next week
	// Tomorrow.
	row(KindTomorrow, dayTomorrow, atEOD, `tomorrow`+toEOD+eod+`|`+eod+sp+`tomorrow\b`),           // tomorrow EOD, COB tomorrow
	row(KindTomorrow, dayTomorrow, atClock, `tomorrow`+toClock+clockR+`|`+clockR+sp+`tomorrow\b`), // tomorrow 3pm, 10:00 tomorrow
	row(KindTomorrow, dayTomorrow, atPart, `tomorrow`+sp+part),                                    // tomorrow morning
	row(KindTomorrow, dayTomorrow, atEOD, `tomorrow\b`),                                           // tomorrow
	// Tonight.
	row(KindTonight, dayToday, atClock, `(?:tonight|tonite)`+toClock+clockR+`|`+clockR+sp+`(?:tonight|tonite)\b`), // tonight at 9pm
	row(KindTonight, dayToday, atTonight, `(?:tonight|tonite)\b`),                                                 // tonight
	// Next week.
	row(KindNextWeek, dayNextMonday, atStart, `next`+sp+`week\b`), // next week
	// End of day.
	row(KindEndOfDay, dayToday, atEOD, eod+sp+`today\b|today`+toEOD+eod), // EOD today
	row(KindEndOfDay, dayUpcoming, atEOD, eod),                           // EOD, COB, end of day
	// Explicit dates with a time ("Nov 27 at 3pm", "2026-11-27 15:00",
	// "3pm on Fri 27 Nov") or an end of day ("EOD 27 Nov"). A date alone,
	// with or without a weekday, is a date, not a time-sensitive phrase.
	row(KindDate, dayDate, atClock, wdDate+toClock+clockR+`|`+clockR+onDay+wdDate), // Nov 27 at 3pm, 3pm on 27 Nov
	row(KindDate, dayDate, atEOD, wdDateEOD+toEOD+eod+`|`+eod+onDay+wdDateEOD),     // Nov 27 EOD, end of day on Friday 27 Nov
	// Clock times.
	row(KindClock, dayToday, atClock, clockR+sp+`today\b|today`+toClock+clockR), // 3pm today
	row(KindClock, dayUpcoming, atClock, clockR),                                // at 15:00, 3pm, 3:30 pm, noon, 3-4pm
}

func row(kind Kind, day dayRule, at atRule, pattern string) rule {
	return rule{
		kind: kind,
		day:  day,
		at:   at,
		find: regexp.MustCompile(`(?i)\b(?:` + pattern + `)`),
		full: regexp.MustCompile(`(?i)^(?:` + pattern + `)$`),
	}
}

func soften(r rule) rule {
	r.soft = true
	return r
}

// groups returns the named groups of the first match of re in s (the first
// non-empty value when a name repeats across alternatives).
func groups(re *regexp.Regexp, s string) (map[string]string, bool) {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	g := make(map[string]string)
	for i, name := range re.SubexpNames() {
		if name != "" && m[i] != "" && g[name] == "" {
			g[name] = m[i]
		}
	}
	return g, true
}
