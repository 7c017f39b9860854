package timezones

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func phrasesOf(text string) []string {
	var got []string
	for _, p := range Detect(text) {
		got = append(got, fmt.Sprintf("%s|%s", p.Kind, p.Text))
	}
	return got
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // "kind|text"; nil means nothing detected
	}{
		// Phrases that need a conversion.
		{"weekday EOD", "we ship Friday EOD", []string{"weekday|Friday EOD"}},
		{"bare weekday", "ship on Friday", []string{"weekday|Friday"}},
		{"abbreviated weekday with time", "Fri 3pm works for me", []string{"weekday|Fri 3pm"}},
		{"weekday with 24h time", "by Monday 10:00, please", []string{"weekday|Monday 10:00"}},
		{"at 24h time", "let's sync at 15:00", []string{"clock|15:00"}},
		{"bare pm time", "call at 3pm?", []string{"clock|3pm"}},
		{"spaced pm time", "demo at 3:30 pm", []string{"clock|3:30 pm"}},
		{"dotted p.m.", "3 p.m. is fine", []string{"clock|3 p.m."}},
		{"EOD", "I'll finish by EOD.", []string{"end of day|EOD"}},
		{"end of day", "by end of day", []string{"end of day|end of day"}},
		{"COB", "before COB", []string{"end of day|COB"}},
		{"close of business", "by close of business", []string{"end of day|close of business"}},
		{"tomorrow morning", "tomorrow morning works", []string{"tomorrow|tomorrow morning"}},
		{"tonight", "deploying tonight", []string{"tonight|tonight"}},
		{"next week", "Next week we start", []string{"next week|Next week"}},
		{"tomorrow", "ship it tomorrow", []string{"tomorrow|tomorrow"}},
		{"noon", "lunch at noon", []string{"clock|noon"}},
		{"midnight", "freeze at midnight", []string{"clock|midnight"}},
		{"time before weekday", "3pm Friday", []string{"weekday|3pm Friday"}},
		{"time on weekday", "10:00 on Monday", []string{"weekday|10:00 on Monday"}},
		{"weekday at noon", "Friday at noon", []string{"weekday|Friday at noon"}},
		{"EOD before weekday", "EOD Friday", []string{"weekday|EOD Friday"}},
		{"end of day on weekday", "end of day on Thursday", []string{"weekday|end of day on Thursday"}},
		{"next weekday", "next Friday", []string{"weekday|next Friday"}},
		{"weekday next week", "Friday next week", []string{"weekday|Friday next week"}},
		{"weekday morning", "Wednesday morning", []string{"weekday|Wednesday morning"}},
		{"tomorrow at time", "tomorrow at 9am", []string{"tomorrow|tomorrow at 9am"}},
		{"tomorrow EOD", "tomorrow EOD", []string{"tomorrow|tomorrow EOD"}},
		{"tonight at time", "tonight at 9pm", []string{"tonight|tonight at 9pm"}},
		{"EOD today", "EOD today", []string{"end of day|EOD today"}},
		{"time today", "3pm today", []string{"clock|3pm today"}},
		{"Sat with a time", "Sat 10am", []string{"weekday|Sat 10am"}},
		{"zone in another sentence", "Ship Friday. Standup 10:00 UTC.", []string{"weekday|Friday"}},
		{"smart quotes", "“Friday” works", []string{"weekday|Friday"}},
		{"possessive", "Tuesday's standup", []string{"weekday|Tuesday"}},
		{"range is one phrase", "3pm-4pm", []string{"clock|3pm-4pm"}},
		{"after a code block", "see\n```\nrun at 10:00\n```\nthen Friday", []string{"weekday|Friday"}},
		{"link target ignored, text kept", "moved to Thursday 2pm ([notes](https://x.io/at-3pm))", []string{"weekday|Thursday 2pm"}},
		{"after an unclosed backtick", "a ` then Friday", []string{"weekday|Friday"}},
		{"two phrases in order", "tomorrow morning or Fri 3pm", []string{"tomorrow|tomorrow morning", "weekday|Fri 3pm"}},
		// Explicit dates travel with the phrase.
		{"ISO date and time", "release 2026-11-27 15:00", []string{"date|2026-11-27 15:00"}},
		{"month day at time", "Nov 27 at 3pm works", []string{"date|Nov 27 at 3pm"}},
		{"time on day month", "demo at 3pm on 27 Nov", []string{"date|3pm on 27 Nov"}},
		{"weekday, date and time", "Fri, November 27th at 15:00", []string{"date|Fri, November 27th at 15:00"}},
		{"ordinal of month", "the 27th of November at noon", []string{"date|the 27th of November at noon"}},
		{"EOD on a date", "by EOD 27 Nov", []string{"date|EOD 27 Nov"}},
		{"date with year and abbreviation dot", "Nov. 27, 2026 at 9am", []string{"date|Nov. 27, 2026 at 9am"}},
		{"time on ISO date", "at 15:00 on 2026-11-27", []string{"date|15:00 on 2026-11-27"}},
		{"contradicting weekday is still found", "Monday March 3rd at 3pm", []string{"date|Monday March 3rd at 3pm"}},
		{"meeting room is not a video", "at 10:00 in the meeting room", []string{"clock|10:00"}},
		{"region word needs to touch the time", "ship Friday, central team reviews", []string{"weekday|Friday"}},
		{"version before a time", "upgrade 3.10 at 3pm", []string{"clock|3pm"}},
		// 24-hour times that cannot be 12-hour ones, and zero-padded hours.
		{"24h evening time", "Done by 17:00", []string{"clock|17:00"}},
		{"24h morning time from 8:00", "standup 8:15", []string{"clock|8:15"}},
		{"midnight as 00:00", "freeze at 00:00", []string{"clock|00:00"}},
		{"zero-padded early hour is 24-hour", "cutover at 05:00", []string{"clock|05:00"}},
		{"early hour with am", "Done by 5:00 am", []string{"clock|5:00 am"}},
		{"early hour with pm and a weekday", "Friday 5:00pm", []string{"weekday|Friday 5:00pm"}},
		// A return from an absence keeps its word, so Resolve reads a start of day.
		{"until a weekday", "I'm OOO until Monday", []string{"weekday|until Monday"}},
		{"back on a weekday", "back on Monday", []string{"weekday|back on Monday"}},
		{"returning next weekday", "returning next Tuesday", []string{"weekday|returning next Tuesday"}},
		{"back tomorrow", "out today, back tomorrow", []string{"tomorrow|back tomorrow"}},
		{"until a weekday with a time is that time", "OOO until Monday 10:00", []string{"weekday|Monday 10:00"}},
		{"until a weekday EOD is the EOD", "blocked until Friday EOD", []string{"weekday|Friday EOD"}},
		{"until a weekday morning", "away until Monday morning", []string{"weekday|Monday morning"}},

		// Things that only look like times.
		{"Friday the 13th", "Friday the 13th film", nil},
		{"weekday with date", "Monday 27 Nov", nil},
		{"time in URL", "docs at https://example.com/3pm-standup", nil},
		{"version with colon", "upgrade to 1.15:00 build", nil},
		{"version", "needs v3.10", nil},
		{"duration in hours", "takes 3 hours", nil},
		{"duration with clock", "15:00 minutes of video", nil},
		{"ratio", "a 3:1 ratio", nil},
		{"24/7", "on call 24/7", nil},
		{"domain", "we use Monday.com", nil},
		{"issue ref", "see #15", nil},
		{"log in fenced code", "```\n2026-11-24 12:00:01 INFO Friday job\n```", nil},
		{"indented code", "intro\n\n    12:00:01 Friday ok\n", nil},
		{"inline code", "use `cron 0 15 * * Fri` or `at 3pm`", nil},
		{"quote", "> we ship Friday", nil},
		{"html comment", "<!-- due Friday 3pm -->", nil},
		{"zone abbreviation", "ship Friday 3pm UTC", nil},
		{"IANA zone", "ship Friday 17:00 Europe/London", nil},
		{"ET", "standup 10:00 ET", nil},
		{"city time", "3pm London time", nil},
		{"your time", "by Monday, your time", nil},
		{"offset", "at 15:00+01:00", nil},
		{"Z suffix", "deploy at 15:00Z", nil},
		{"city after", "3pm in Singapore", nil},
		{"local time", "Friday 10:00 (local time)", nil},
		{"Black Friday", "Black Friday traffic", nil},
		{"idiom", "at the end of the day, it's fine", nil},
		{"over the next week", "over the next week or so", nil},
		{"c'mon", "c'mon folks", nil},
		{"plural weekday", "we deploy on Fridays", nil},
		{"sat and sun words", "we sat down and the sun came out", nil},
		{"weekday range", "Mon-Fri support", nil},
		{"bare number", "at 3 we meet", nil},
		{"24-hour clock with am", "at 20:12am", nil},
		{"spans inline code", "tomorrow, `x` noon", []string{"tomorrow|tomorrow", "clock|noon"}},
		{"monster", "a monster of a diff", nil},
		{"US numeric date", "11/27 3pm", nil},
		{"EU numeric date", "27/11 at 3pm", nil},
		{"time on numeric date", "3pm on 27/11", nil},
		{"numeric date with year", "27/11/2026 15:00", nil},
		{"dotted date", "27.11. 15:00", nil},
		{"day of month without month", "Friday the 27th at 3pm", nil},
		{"weekday with month-first date", "Monday March 3rd", nil},
		{"weekday, date, no time", "Friday, November 27th", nil},
		{"tomorrow beside a date", "tomorrow, Nov 27", nil},
		{"Pacific", "5pm Pacific", nil},
		{"pacific time lower case", "5pm pacific time", nil},
		{"Eastern in parentheses", "noon (Eastern)", nil},
		{"Central", "10am central", nil},
		{"Mountain after weekday time", "Friday 9am Mountain", nil},
		{"New York", "5pm New York", nil},
		{"Berlin", "3pm Berlin", nil},
		{"video mark", "the 2:30 mark of the video", nil},
		{"position in a video", "at 1:15 in the video", nil},
		{"into a recording", "around 12:45 into the recording", nil},
		{"skip to", "skip to 4:05", nil},
		{"timestamp", "see timestamp 3:20", nil},
		{"minute mark", "the 2:30 minute mark", nil},
		// 1:00–7:59 without am/pm: 5am or 5pm? Not converted, and the
		// weekday next to it is not converted on its own either.
		{"ambiguous early clock", "Done by 5:00", nil},
		{"ambiguous clock with a weekday", "Done by Friday 5:00", nil},
		{"ambiguous clock before a weekday", "7:30 on Monday", nil},
		{"ambiguous clock tomorrow", "tomorrow at 1:45", nil},
		{"ambiguous clock after until", "OOO until Monday 6:00", nil},
		// Country and US region words name a zone too.
		{"UK after a time", "ETA: Thursday 17:00 UK", nil},
		{"U.K. after a time", "ship Friday 3pm U.K.", nil},
		{"Britain after a time", "call at 3pm Britain", nil},
		{"UK time", "Friday 10:00 UK time", nil},
		{"British time", "by Thursday 17:00 British time", nil},
		{"US Eastern", "Friday 5pm US Eastern", nil},
		{"US/Pacific", "at 9am US/Pacific", nil},
		{"U.S. Pacific in the sentence", "demo at noon, that is U.S. Pacific", nil},
		{"SGT", "Thursday 5pm SGT", nil},
		{"MYT", "Thursday 5pm MYT", nil},
		{"lower-case us is a word", "ping us at 3pm", []string{"clock|3pm"}},
		{"until Black Friday", "freeze until Black Friday", nil},
		{"until a date", "away until Monday 7th Dec", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := phrasesOf(tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestDetectOffsetsAndQuote(t *testing.T) {
	text := "we ship Friday EOD. tomorrow morning tonight"
	got := Detect(text)
	want := []struct{ text, quote string }{
		{"Friday EOD", "ship Friday EOD"},
		{"tomorrow morning", "tomorrow morning"}, // the sentence starts here
		{"tonight", "tonight"},                   // never quotes the previous phrase
	}
	if len(got) != len(want) {
		t.Fatalf("Detect(%q) = %+v, want %d phrases", text, got, len(want))
	}
	for i, p := range got {
		if p.Text != want[i].text || p.Quote != want[i].quote {
			t.Errorf("phrase %d = %q (quote %q), want %q (quote %q)", i, p.Text, p.Quote, want[i].text, want[i].quote)
		}
		if text[p.Start:p.End] != p.Text {
			t.Errorf("phrase %d offsets [%d:%d] = %q, want %q", i, p.Start, p.End, text[p.Start:p.End], p.Text)
		}
	}
}

// FuzzDetect checks that any input yields phrases whose offsets point at
// their text, and that resolving them never panics.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"we ship Friday EOD", "```\nFriday", "`", "<!--", "> ", "    \n\tFriday", "12am 12:60 25:00",
		"Friday\u2019s 3pm", "[x](", "Mon 2026-02-30 12am", "27/11 3pm Nov 3rd EOD", "tomorrow,\tat noon", strings.Repeat("Fri ", 50),
	} {
		f.Add(s)
	}
	alice := Person{Login: "alice", Loc: mustLoad(f, "Europe/London")}
	now := pinnedNow(f)
	f.Fuzz(func(t *testing.T, text string) {
		for _, p := range Detect(text) {
			if p.Start < 0 || p.End > len(text) || p.Start >= p.End || text[p.Start:p.End] != p.Text {
				t.Fatalf("bad phrase %+v in %q", p, text)
			}
			// A dated phrase may name a day that does not exist ("Feb 30
			// at 3pm") or contradict its weekday; Scan skips those.
			if _, ok := Resolve(p, alice, now); !ok && p.Kind != KindDate {
				t.Errorf("detected %q (%s) but could not resolve it", p.Text, p.Kind)
			}
		}
	})
}

// A body at GitHub's 65,536-character limit, full of phrases, is read
// within the detector's budget (this took minutes when each phrase rescanned
// its sentence): the phrases listed are the first ones, in order and at
// their offsets, and reading stops once the budget is spent — the thread's
// comment lists MaxItems of them anyway.
func TestDetectLargeBodyStopsAtBudget(t *testing.T) {
	const unit = "ship Friday 3pm. "
	n := 65536 / len(unit)
	got := Detect(strings.Repeat(unit, n))
	if len(got) < MaxItems || len(got) > DefaultBudgetMatches {
		t.Fatalf("Detect found %d phrases, want between %d and the budget of %d", len(got), MaxItems, DefaultBudgetMatches)
	}
	for i, p := range got {
		if p.Text != "Friday 3pm" || p.Start != i*len(unit)+5 {
			t.Fatalf("phrase %d = %+v, want \"Friday 3pm\" at %d", i, p, i*len(unit)+5)
		}
	}
}
