package adr

import (
	"fmt"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/mdtext"
)

// PR is the part of a pull request the feature reads.
type PR struct {
	Owner, Repo string
	Number      int
	Title       string
	Body        string
	Author      string // login
	HTMLURL     string // https://github.com/owner/repo/pull/42 (or the GHES equivalent)
	HeadSHA     string
	BaseRef     string // branch name, e.g. "main"
	Labels      []string
}

// repoURL is the web address of the PR's repository, derived from the PR's
// own URL so GitHub Enterprise hosts work too.
func (p PR) repoURL() string {
	if i := strings.Index(p.HTMLURL, "/pull/"); i > 0 {
		return p.HTMLURL[:i]
	}
	return "https://github.com/" + p.Owner + "/" + p.Repo
}

// ref names the PR as "owner/repo#42".
func (p PR) ref() string {
	return fmt.Sprintf("%s/%s#%d", p.Owner, p.Repo, p.Number)
}

func (p PR) link() string {
	if p.HTMLURL == "" {
		return p.ref()
	}
	return fmt.Sprintf("[%s](%s)", mdtext.LinkText(p.ref()), mdtext.URL(p.HTMLURL))
}

// Template renders a new record in the given format ("nygard" or "madr";
// anything else is nygard), numbered n (0: no number, for date-named records), titled title, pre-filled with the PR
// link, its author and today's date in now's time zone. Guidance for each
// section is in HTML comments, which do not count as text, so an unfilled
// template fails the check section by section. The title and the policy's
// section names are written as Markdown headings (mdtext.Heading), so a
// PR title cannot put a marker, an HTML comment or a fence into the
// template or the record made from it.
func Template(format string, n int, title string, pr PR, now time.Time) string {
	return renderTemplate(format, n, title, pr, now, nil)
}

// renderTemplate adds a section for each extra required section the
// template does not have.
func renderTemplate(format string, n int, title string, pr PR, now time.Time, extra []string) string {
	title = mdtext.Heading(DisplayTitle(title))
	date := now.Format(time.DateOnly)
	author := strings.TrimSpace(pr.Author)
	byAuthor := ""
	if author != "" {
		byAuthor = " by " + mdtext.Mention(author)
	}
	var b strings.Builder
	if strings.EqualFold(format, FormatMADR) {
		fmt.Fprintf(&b, "---\nstatus: proposed\ndate: %s\ndeciders: %s\n# revisit: YYYY-MM-DD  (optional: when to look at this decision again)\n---\n\n", date, yamlScalar(author))
		fmt.Fprintf(&b, "# %s\n\nProposed in %s%s.\n\n", title, pr.link(), byAuthor)
		b.WriteString("## Context and Problem Statement\n\n<!-- Describe the context and the problem in two or three sentences, or as a question. -->\n\n")
		b.WriteString("## Considered Options\n\n<!-- * Option 1\n     * Option 2 -->\n\n")
		b.WriteString("## Decision Outcome\n\n<!-- Chosen option: \"Option 1\", because … -->\n\n")
		b.WriteString("### Consequences\n\n<!-- * Good, because …\n     * Bad, because … -->\n\n")
		writeExtra(&b, extra, FormatMADR)
		b.WriteString("## Pros and Cons of the Options\n\n<!-- Optional: delete this section if you do not need it. -->\n")
		return b.String()
	}
	heading := title // date-named records (n == 0) carry no number
	if n > 0 {
		heading = fmt.Sprintf("%04d. %s", n, title)
	}
	fmt.Fprintf(&b, "# %s\n\nDate: %s\n\nProposed in %s%s.\n\n", heading, date, pr.link(), byAuthor)
	b.WriteString("## Status\n\nProposed\n\n")
	b.WriteString("## Context\n\n<!-- What is the issue that we're seeing that is motivating this decision or change? -->\n\n")
	b.WriteString("## Decision\n\n<!-- What is the change that we're proposing and/or doing? -->\n\n")
	b.WriteString("## Consequences\n\n<!-- What becomes easier or more difficult to do because of this change? -->\n\n")
	writeExtra(&b, extra, FormatNygard)
	b.WriteString("<!-- Optional: add a line \"Revisit: YYYY-MM-DD\" to be reminded to look at this decision again. -->\n")
	return b.String()
}

func writeExtra(b *strings.Builder, extra []string, format string) {
	for _, name := range extra {
		fmt.Fprintf(b, "## %s\n\n<!-- Required by this repository's policy. -->\n\n", mdtext.Heading(cleanHeading(name)))
	}
}

// yamlScalar quotes a value when YAML would read it as something else.
func yamlScalar(s string) string {
	if s == "" {
		return `""`
	}
	if strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") {
		return fmt.Sprintf("%q", s)
	}
	return s
}

// missingFromTemplate lists the required sections a format's template does
// not already have, so the prompt can include them.
func missingFromTemplate(format string, required []string) []string {
	have := map[string]bool{"status": true}
	secs := []string{"context", "decision", "consequences"}
	if format == FormatMADR {
		secs = []string{"context and problem statement", "considered options", "decision outcome", "consequences", "pros and cons of the options"}
	}
	for _, s := range secs {
		have[s] = true
	}
	var out []string
	for _, r := range required {
		k := strings.ToLower(cleanHeading(r))
		if k != "" && !have[k] {
			have[k] = true
			out = append(out, r)
		}
	}
	return out
}
