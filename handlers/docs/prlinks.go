package docs

import (
	"fmt"
	"strings"
)

// WithLinks adds the broken relative links of the docs a pull request edits
// to its desired check: one annotation per link on the doc's line. They
// never produce the reminder comment (that is about stale docs); a check
// that was otherwise green becomes neutral (advisory) or action_required
// (required) so the author sees them before merging.
func WithLinks(d PRDesired, links []Link, mode CheckMode) PRDesired {
	if len(links) == 0 || d.Check.Skip {
		return d
	}
	d.Check.Annotations = append(append([]Annotation(nil), d.Check.Annotations...), linkAnnotations(links)...)
	head := fmt.Sprintf("%s in docs this pull request edits", plural(len(links), "broken link", "broken links"))
	if d.Check.Conclusion == "success" {
		d.Check.Conclusion = "neutral"
		if mode == Required {
			d.Check.Conclusion = "action_required"
		}
		d.Check.Title = head
		d.Check.Summary = ""
	}
	var b strings.Builder
	if d.Check.Summary != "" {
		b.WriteString(strings.TrimRight(d.Check.Summary, "\n") + "\n\n")
	}
	fmt.Fprintf(&b, "### %s\n\n", head)
	for i, l := range links {
		if i == maxListRows {
			fmt.Fprintf(&b, "- …and %d more\n", len(links)-i)
			break
		}
		fmt.Fprintf(&b, "- `%s` line %d: `%s` — %s\n", l.Doc, l.Line, l.Target, l.Reason)
	}
	d.Check.Summary = b.String()
	return d
}

func linkAnnotations(links []Link) []Annotation {
	out := make([]Annotation, 0, len(links))
	for _, l := range links {
		out = append(out, Annotation{
			Path: l.Doc, StartLine: max(l.Line, 1), EndLine: max(l.Line, 1), Level: "warning",
			Title:   "Broken link: " + l.Target,
			Message: fmt.Sprintf("%s (relative links are checked against the repository at this pull request's head).", l.Reason),
		})
	}
	return out
}
