package weekly

import (
	"fmt"
	"sort"
	"strings"

	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/mdtext"
)

// Caps on what one rendered comment lists, so a busy week or a long
// roster keeps the comment far under GitHub's 65,536 characters.
const (
	MaxDraftItems = 10  // per draft section
	MaxRows       = 100 // roster rows
)

// Item is a PR or an issue as a draft or the summary lists it.
type Item struct {
	Repo   string // owner/repo
	Number int
	Title  string
	URL    string
}

// link renders "[title](url) (owner/repo#n)": the title escaped, the URL
// encoded, nothing that can ping.
func (it Item) link() string {
	return fmt.Sprintf("[%s](%s) (%s#%d)", mdtext.LinkText(it.Title), mdtext.URL(it.URL), mdtext.Text(it.Repo), it.Number)
}

// Activity is one person's GitHub week, gathered by the caller.
type Activity struct {
	Login    string
	Merged   []Item // merged this week in shipped_from → Shipped
	Open     []Item // their open PRs → Next
	Assigned []Item // issues assigned to them → Next
	Waiting  []Item // their PRs waiting on a review past the norm → Blockers
}

// ThreadInput is what the week's discussion body shows.
type ThreadInput struct {
	Week Week
	Rows []Row
	// Duty is this week's documentation-duty person or team ("" when the
	// docs feature has no rotation); named, not pinged.
	Duty string
}

// RenderThread renders the discussion body. It is re-rendered on every
// reply and written back only when it differs, so it must be a pure
// function of its input (no "updated at" times).
func RenderThread(in ThreadInput) string {
	var b strings.Builder
	b.WriteString(in.Week.Marker() + "\n")
	b.WriteString("Instead of a status meeting: reply once this week with a sentence or two on each of the three parts below, whenever suits your day.\n")
	b.WriteString("Overlap reminds only those who have not posted, at their own local time, with a draft from their GitHub week; the summary comes at the end of the week.\n\n")
	b.WriteString("**Reply template**\n\n")
	b.WriteString(mdtext.Fence("**Shipped**\n- \n\n**Next**\n- \n\n**Blockers**\n- none\n", "markdown"))
	if in.Duty != "" {
		b.WriteString("\nDocumentation duty this week: " + mdtext.Text(in.Duty) + ".\n")
	}
	b.WriteString("\n| Participant | Time zone | Posted |\n|---|---|---|\n")
	for i, r := range in.Rows {
		if i == MaxRows {
			b.WriteString("| … | | |\n")
			break
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdtext.Cell(r.Login), mdtext.Cell(r.Zone), statusCell(r.Status))
	}
	return b.String()
}

func statusCell(s Status) string {
	switch s {
	case Posted:
		return "✓"
	case Away:
		return "*away*"
	}
	return "—"
}

// ReminderMarker marks the reminder reply of one slot; the caller reads the
// logins it mentions back to know who was reminded this week.
func ReminderMarker(week Week, slot string) string {
	return gh.Marker("weekly", week.Key(), "remind", slot)
}

// RenderReminder renders one reminder reply: a deliberate mention of each
// person whose moment it is, and under it a draft of their update, in a
// code block ready to copy. The draft's text is already escaped Markdown,
// so once pasted into a reply it renders as written and pings nobody.
func RenderReminder(week Week, slot string, people []Activity) string {
	var b strings.Builder
	b.WriteString(ReminderMarker(week, slot) + "\n")
	b.WriteString("A nudge for this week's update. Here is a draft from your GitHub week: copy it into a reply, then edit.\n")
	for _, a := range people {
		b.WriteString("\n" + mdtext.Mention(a.Login) + "\n\n")
		b.WriteString(mdtext.Fence(Draft(a), "markdown"))
	}
	return b.String()
}

// Draft is a person's pre-filled update: merged PRs as Shipped, open PRs
// and assigned issues as Next, PRs waiting on review as possible Blockers.
// Links and titles only: no counts (issue 10 and the anchors: updates are
// about outcomes, not activity metrics).
func Draft(a Activity) string {
	var b strings.Builder
	section := func(name string, lists ...[]Item) {
		b.WriteString("**" + name + "**\n")
		n := 0
		for _, l := range lists {
			for _, it := range l {
				if n == MaxDraftItems {
					b.WriteString("- …\n")
					n++
				}
				if n > MaxDraftItems {
					break
				}
				b.WriteString("- " + it.link() + "\n")
				n++
			}
		}
		if n == 0 {
			b.WriteString("- \n")
		}
	}
	section("Shipped", a.Merged)
	b.WriteString("\n")
	section("Next", a.Open, a.Assigned)
	b.WriteString("\n**Blockers**\n")
	if len(a.Waiting) == 0 {
		b.WriteString("- none\n")
	}
	for i, it := range a.Waiting {
		if i == MaxDraftItems {
			b.WriteString("- …\n")
			break
		}
		b.WriteString("- waiting for review: " + it.link() + "\n")
	}
	return b.String()
}

// Blocker is one quoted blocker of the summary.
type Blocker struct {
	Author string
	Text   string // the item as parsed (user text)
	Link   string // the reply's URL
	// Unblockers are who can act: the named PR's requested reviewers, the
	// named issue's assignees, a named person. They are mentioned.
	Unblockers []string
}

// SummaryInput is what the end-of-week summary shows.
type SummaryInput struct {
	Week     Week
	Rows     []Row
	Blockers []Blocker
	// Shipped maps a login to their merged PRs in shipped_from.
	Shipped map[string][]Item
	// Reviews are ready-made lines from the reviews feature (response-time
	// figures for the team), or nil when it is off.
	Reviews []string
}

// SummaryMarker marks the week's summary comment, which a re-run edits.
func SummaryMarker(week Week) string { return gh.Marker("weekly", week.Key(), "summary") }

// RenderSummary renders the summary comment: team participation (k of n,
// away apart, no per-person streaks), every blocker quoted with mentions
// neutralised and whoever can unblock it mentioned, what shipped per person
// grouped by repository, and the review figures.
func RenderSummary(in SummaryInput) string {
	var b strings.Builder
	b.WriteString(SummaryMarker(in.Week) + "\n")
	b.WriteString("### Summary of " + mdtext.Heading(in.Week.Key()) + "\n\n")
	posted, expected, away := Participation(in.Rows)
	fmt.Fprintf(&b, "**Participation:** %d of %d", posted, expected)
	if len(away) > 0 {
		names := make([]string, len(away))
		for i, l := range away {
			names[i] = mdtext.Text(l)
		}
		b.WriteString("; away: " + strings.Join(names, ", "))
	}
	b.WriteString(".\n\n**Blockers**\n\n")
	if len(in.Blockers) == 0 {
		b.WriteString("None reported.\n")
	}
	for _, bl := range in.Blockers {
		b.WriteString(mdtext.Quote(bl.Text))
		fmt.Fprintf(&b, "\n— %s ([reply](%s))", mdtext.Text(bl.Author), mdtext.URL(bl.Link))
		if len(bl.Unblockers) > 0 {
			ms := make([]string, len(bl.Unblockers))
			for i, u := range bl.Unblockers {
				ms[i] = mdtext.Mention(u)
			}
			b.WriteString("; can unblock: " + strings.Join(ms, ", "))
		}
		b.WriteString("\n\n")
	}
	b.WriteString("\n**What shipped**\n\n")
	logins := make([]string, 0, len(in.Shipped))
	for l, items := range in.Shipped {
		if len(items) > 0 {
			logins = append(logins, l)
		}
	}
	sort.Slice(logins, func(i, j int) bool { return strings.ToLower(logins[i]) < strings.ToLower(logins[j]) })
	if len(logins) == 0 {
		b.WriteString("No merged pull requests in the tracked repositories this week.\n")
	}
	for _, l := range logins {
		b.WriteString("- " + mdtext.Text(l) + "\n")
		byRepo := map[string][]Item{}
		var repos []string
		for _, it := range in.Shipped[l] {
			if _, ok := byRepo[it.Repo]; !ok {
				repos = append(repos, it.Repo)
			}
			byRepo[it.Repo] = append(byRepo[it.Repo], it)
		}
		sort.Strings(repos)
		for _, r := range repos {
			parts := make([]string, 0, len(byRepo[r]))
			for i, it := range byRepo[r] {
				if i == MaxDraftItems {
					parts = append(parts, "…")
					break
				}
				parts = append(parts, fmt.Sprintf("[%s](%s)", mdtext.LinkText(it.Title), mdtext.URL(it.URL)))
			}
			b.WriteString("  - " + mdtext.Text(r) + ": " + strings.Join(parts, ", ") + "\n")
		}
	}
	if len(in.Reviews) > 0 {
		b.WriteString("\n**Reviews**\n\n")
		for _, l := range in.Reviews {
			b.WriteString("- " + mdtext.Text(l) + "\n")
		}
	}
	return b.String()
}
