package timezones

import (
	"fmt"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/mdtext"
)

// MaxItems caps the rendered list; a long thread keeps a short comment.
const MaxItems = 15

// Render returns the comment body (without the marker, which the write path
// adds) listing the thread's phrases in order, de-duplicated, each restated
// in its author's zone and converted for every other zone in the team:
//
//   - “ship Friday EOD” (alice) → Fri 27 Nov 17:30 Europe/London = 12:30 America/New_York = Sat 28 Nov 01:30 Asia/Singapore
//   - outside working hours for bob (Asia/Singapore)
//
// A converted time repeats the date only when it differs from the author's.
// The author's zone is theirs in team, else the zone of Item.At. Logins are
// written without "@" so the comment pings nobody. Render returns "" when
// there is nothing to list.
func Render(items []Item, team []Person) string {
	items = dedupe(items)
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("Times in this thread, converted for the team:\n\n")
	for i, it := range items {
		if i == MaxItems {
			fmt.Fprintf(&b, "- …and %d more\n", len(items)-MaxItems)
			break
		}
		renderItem(&b, it, team)
	}
	b.WriteString("\n<sub>Add a zone (“17:30 UTC”, “Europe/London”) and Overlap leaves the phrase alone.</sub>\n")
	return b.String()
}

func renderItem(b *strings.Builder, it Item, team []Person) {
	home := it.At.Location()
	for _, p := range team {
		if strings.EqualFold(p.Login, it.Author) && p.Loc != nil {
			home = p.Loc
		}
	}
	at := it.At.In(home)
	fmt.Fprintf(b, "- “%s”", sanitize(it.Phrase))
	if it.Author != "" {
		fmt.Fprintf(b, " (%s)", sanitize(it.Author))
	}
	fmt.Fprintf(b, " → %s %s", at.Format("Mon 2 Jan 15:04")+rangeEnd(at, it.End), home)
	for _, loc := range zones(home, team) {
		t := it.At.In(loc)
		layout := "15:04"
		if !sameDay(t, at) {
			layout = "Mon 2 Jan 15:04"
		}
		fmt.Fprintf(b, " = %s %s", t.Format(layout)+rangeEnd(t, it.End), loc)
	}
	b.WriteString("\n")
	for _, n := range it.Notes {
		fmt.Fprintf(b, "  - %s\n", n) // written by wallClock: zone names, no user text
	}
	var off []string
	for _, p := range team {
		// A deadline at the end of hours is still inside them; a range
		// is inside them when both its ends are.
		in := p.working(it.At) || p.working(it.At.Add(-time.Minute))
		if !it.End.IsZero() {
			in = p.working(it.At) && p.working(it.End.Add(-time.Minute))
		}
		if !in {
			off = append(off, fmt.Sprintf("%s (%s)", sanitize(p.Login), p.loc(it.At)))
		}
	}
	if len(off) > 0 {
		fmt.Fprintf(b, "  - outside working hours for %s\n", strings.Join(off, ", "))
	}
}

// rangeEnd renders the end of a range that starts at start ("–16:00"), with
// its date when it falls on another day; "" for a single instant.
func rangeEnd(start, end time.Time) string {
	if end.IsZero() {
		return ""
	}
	e := end.In(start.Location())
	if sameDay(e, start) {
		return "–" + e.Format("15:04")
	}
	return "–" + e.Format("Mon 2 Jan 15:04")
}

func sameDay(a, b time.Time) bool { return a.Year() == b.Year() && a.YearDay() == b.YearDay() }

// zones lists the team's distinct zones other than home, in team order.
func zones(home *time.Location, team []Person) []*time.Location {
	seen := map[string]bool{home.String(): true}
	var out []*time.Location
	for _, p := range team {
		if p.Loc == nil || seen[p.Loc.String()] {
			continue
		}
		seen[p.Loc.String()] = true
		out = append(out, p.Loc)
	}
	return out
}

// dedupe keeps the first of items that say the same words for the same
// instant; the same words meaning different instants are both kept.
func dedupe(items []Item) []Item {
	seen := make(map[string]bool)
	var out []Item
	for _, it := range items {
		if it.At.IsZero() {
			continue
		}
		key := strings.ToLower(strings.Join(strings.Fields(it.Phrase), " ")) + "\x00" + it.At.UTC().Format(time.RFC3339) +
			"\x00" + it.End.UTC().Format(time.RFC3339)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, it)
	}
	return out
}

// sanitize writes a quoted phrase or a login into the comment's running
// text: see mdtext.Text for what it cannot produce (no mention, marker,
// HTML, fence; invisible and bidi characters dropped; capped).
func sanitize(s string) string { return mdtext.Text(s) }
