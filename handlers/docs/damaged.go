package docs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// MarkerDamaged marks the one comment that says the tracking issue's data
// block was damaged and rebuilt.
const MarkerDamaged = "<!-- overlap:docs:damaged -->"

// reviewEntryRE finds `"path": {…}` pairs in text that is no longer JSON,
// so that the reviews a hand edit did not touch survive.
var reviewEntryRE = regexp.MustCompile(`"((?:[^"\\]|\\.)+)"\s*:\s*(\{[^{}]*\})`)

// SalvageData reads what it can of a tracking issue's data block that
// ParseData refuses (someone edited the hidden line): every recorded review
// that still reads as one (a path with an "on" date), and the other fields
// when they still parse. Nothing readable yields empty Data. The cache
// hints (head, slot) are dropped when damaged, which only makes the next
// sweep refresh in full.
func SalvageData(body string) Data {
	i := strings.Index(body, dataPrefix)
	if i < 0 {
		return Data{}
	}
	rest := body[i+len(dataPrefix):]
	if j := strings.Index(rest, "-->"); j >= 0 {
		rest = rest[:j]
	} else if j := strings.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	d := Data{Reviewed: map[string]Review{}}
	var raw map[string]json.RawMessage
	if json.Unmarshal([]byte(strings.TrimSpace(rest)), &raw) != nil {
		salvageReviews(rest, d.Reviewed)
		return d
	}
	if r, ok := raw["reviewed"]; ok {
		var entries map[string]json.RawMessage
		if json.Unmarshal(r, &entries) == nil {
			for p, e := range entries {
				addReview(d.Reviewed, p, e)
			}
		} else {
			salvageReviews(string(r), d.Reviewed)
		}
		delete(raw, "reviewed")
	}
	for key, dst := range map[string]any{"head": &d.Head, "slot": &d.Slot, "pending": &d.Pending} {
		if r, ok := raw[key]; ok {
			_ = json.Unmarshal(r, dst) // unreadable: left zero
			delete(raw, key)
		}
	}
	if len(raw) > 0 {
		d.other = raw
	}
	return d
}

func salvageReviews(text string, into map[string]Review) {
	for _, m := range reviewEntryRE.FindAllStringSubmatch(text, -1) {
		var p string
		if json.Unmarshal([]byte(`"`+m[1]+`"`), &p) != nil {
			continue
		}
		addReview(into, p, json.RawMessage(m[2]))
	}
}

// addReview keeps entry when it is a review with a date.
func addReview(into map[string]Review, path string, entry json.RawMessage) {
	var r Review
	if path == "" || json.Unmarshal(entry, &r) != nil || r.On.IsZero() {
		return
	}
	into[path] = r
}

// DamagedNote is the comment posted (once, under MarkerDamaged) when the
// data block was rebuilt. It names nobody: a sweep may run at any hour.
func DamagedNote(cause error, kept int) string {
	what := "none of the recorded reviews could be read"
	switch kept {
	case 0:
	case 1:
		what = "1 recorded review could still be read and is kept"
	default:
		what = fmt.Sprintf("%d recorded reviews could still be read and are kept", kept)
	}
	return fmt.Sprintf("The hidden data block of this issue (the `<!-- overlap:docs:data … -->` line) was edited and could not be read (%v). "+
		"I rebuilt it: %s. Reviews that were lost can be recorded again with `/reviewed <path>`, or copied back from the issue's edit history.",
		cause, what)
}
