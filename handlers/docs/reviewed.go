package docs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/markdown"
	"github.com/overlaphq/overlap/internal/mdtext"
)

// All is the /reviewed target meaning every doc the commenter may review.
const All = "all"

// ParseReviewedCommands returns the targets of every `/reviewed` command in
// a comment, in order and without duplicates: doc paths (leading "/" and
// "./" removed) or All. Commands must start a line; code blocks, code
// spans, HTML comments and block quotes are ignored, so quoting someone
// else's command does nothing; targets may be code spans ("/reviewed
// `docs/a.md`"). A bare `/reviewed` has no target and is ignored.
//
// It cannot be cancelled; see [ParseReviewedCommandsContext].
func ParseReviewedCommands(body string) []string {
	out, _ := ParseReviewedCommandsContext(context.Background(), body)
	return out
}

// ParseReviewedCommandsContext is [ParseReviewedCommands] that gives up
// with ctx's error (wrapped) when ctx is done before the body is read. The
// body is attacker-sized text (DESIGN.md principle 9): lines are visited
// without building a slice of them (markdown.Each) and only a line that
// starts with "/reviewed" is read further, in one pass.
func ParseReviewedCommandsContext(ctx context.Context, body string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	err := markdown.Each(ctx, body, func(l markdown.Line) bool {
		if l.Quote {
			return true
		}
		at, args, ok := reviewedCommand(l.Raw)
		if !ok || !l.Prose(at, at+len("/reviewed")) {
			return true
		}
		for _, f := range strings.Fields(args) {
			t := strings.Trim(f, "`,;\"'")
			if strings.EqualFold(t, All) {
				t = All
			} else {
				t = path.Clean(strings.TrimPrefix(t, "/"))
				if t == "." || t == "" {
					continue
				}
			}
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("parse /reviewed commands: %w", err)
	}
	return out, nil
}

// reviewedCommand reads a line as the pattern `(?i)^\s*(/reviewed)(?:\s+(.*))?$`
// does, by hand (a pattern run on every line of a megabyte of blank lines
// cost 170 ms): leading ASCII whitespace, "/reviewed" in any case, then the
// end of the line or whitespace and the arguments. It returns where
// "/reviewed" starts and the arguments (leading whitespace dropped).
func reviewedCommand(line string) (at int, args string, ok bool) {
	for at < len(line) && isRegexpSpace(line[at]) {
		at++
	}
	const cmd = "/reviewed"
	if len(line)-at < len(cmd) || !strings.EqualFold(line[at:at+len(cmd)], cmd) {
		return 0, "", false
	}
	rest := line[at+len(cmd):]
	if rest == "" {
		return at, "", true
	}
	if !isRegexpSpace(rest[0]) {
		return 0, "", false // "/reviewedx"
	}
	i := 0
	for i < len(rest) && isRegexpSpace(rest[i]) {
		i++
	}
	return at, rest[i:], true
}

// isRegexpSpace is the regular-expression class \s.
func isRegexpSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// Data is the tracking issue's hidden data block: the reviews recorded
// through /reviewed. Keys this version does not know are kept as they are.
type Data struct {
	Reviewed map[string]Review
	// Head is the default-branch commit the issue was last rendered from,
	// and Slot the weekly sweep slot (a date in the team's zone) of the
	// last full refresh: with them a sweep between slots can tell, with
	// one cheap read, that nothing changed.
	Head string
	Slot Date
	// Pending is the duty person the weekly refresh of Slot chose but did
	// not assign yet, because they could not be pinged at the time (off
	// hours, focus block): the first sweep at which they may be pinged
	// assigns them.
	Pending string
	other   map[string]json.RawMessage
}

// The data block is the last line of the tracking issue's body, sealed
// (gh.SealState) for the repository: "<!-- overlap-state:docs … -->".
// legacyDataPrefix starts the unsealed block of earlier versions.
const (
	dataFeature      = "docs"
	legacyDataPrefix = "<!-- overlap:docs:data "
)

// ErrLegacyData says the body ends with an unsealed data block from before
// sealing. It reads as no data: the reviews are re-derived from the
// issue's /reviewed comments, and the next write seals the block.
var ErrLegacyData = fmt.Errorf("docs data block from before sealing: %w", gh.ErrUnsealedState)

// dataScope binds a data block to its repository, so a block copied from
// another repository's tracking issue does not verify.
func dataScope(owner, name string) string { return strings.ToLower(owner + "/" + name) }

// ParseData reads the data block from a tracking issue body: only its last
// line, and only a block sealed with key for the repository owner/name. A
// body without one yields empty Data and no error. A block that does not
// verify (edited by hand, copied, sealed before a secret rotation) or an
// unsealed one from an earlier version (ErrLegacyData) yields empty Data
// and an error: nothing in it is trusted, not even in part, since anyone
// who can edit the issue can write it.
func ParseData(body string, key gh.StateKey, owner, name string) (Data, error) {
	var d Data
	line := gh.LastLine(body)
	if strings.HasPrefix(line, legacyDataPrefix) {
		return d, ErrLegacyData
	}
	var raw map[string]json.RawMessage
	err := gh.OpenState(key, dataFeature, dataScope(owner, name), line, &raw)
	if errors.Is(err, gh.ErrNoState) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("docs data block: %w", err)
	}
	if r, ok := raw["reviewed"]; ok {
		if err := json.Unmarshal(r, &d.Reviewed); err != nil {
			return Data{}, fmt.Errorf("docs data block: reviewed: %w", err)
		}
		delete(raw, "reviewed")
	}
	if r, ok := raw["head"]; ok {
		if err := json.Unmarshal(r, &d.Head); err != nil {
			return Data{}, fmt.Errorf("docs data block: head: %w", err)
		}
		delete(raw, "head")
	}
	if r, ok := raw["slot"]; ok {
		if err := json.Unmarshal(r, &d.Slot); err != nil {
			return Data{}, fmt.Errorf("docs data block: slot: %w", err)
		}
		delete(raw, "slot")
	}
	if r, ok := raw["pending"]; ok {
		if err := json.Unmarshal(r, &d.Pending); err != nil {
			return Data{}, fmt.Errorf("docs data block: pending: %w", err)
		}
		delete(raw, "pending")
	}
	if len(raw) > 0 {
		d.other = raw
	}
	return d, nil
}

// Block renders the sealed data block for the repository owner/name,
// deterministically (sorted keys); "" without a key (tests of pure code).
func (d Data) Block(key gh.StateKey, owner, name string) string {
	raw := map[string]any{}
	for k, v := range d.other {
		raw[k] = v
	}
	if len(d.Reviewed) > 0 {
		raw["reviewed"] = d.Reviewed
	}
	if d.Head != "" {
		raw["head"] = d.Head
	}
	if !d.Slot.IsZero() {
		raw["slot"] = d.Slot
	}
	if d.Pending != "" {
		raw["pending"] = d.Pending
	}
	line, err := gh.SealState(key, dataFeature, dataScope(owner, name), raw)
	if err != nil {
		// Only strings, dates and raw JSON that parsed before are encoded,
		// so only a missing key gets here; keep the reviews if not.
		line, _ = gh.SealState(key, dataFeature, dataScope(owner, name), map[string]any{"reviewed": d.Reviewed})
	}
	return line
}

func (d Data) clone() Data {
	c := Data{Reviewed: make(map[string]Review, len(d.Reviewed)+1), Head: d.Head, Slot: d.Slot, Pending: d.Pending, other: d.other}
	for k, v := range d.Reviewed {
		c.Reviewed[k] = v
	}
	return c
}

// ReviewedInput is a comment on the tracking issue and who wrote it.
type ReviewedInput struct {
	Comment  string
	Author   string
	Now      time.Time // the review is recorded on Now's civil date
	Docs     []Doc
	Data     Data
	IsWriter bool // author has write access to the repository
	IsDuty   bool // author is on documentation duty now
	// IsOwner reports whether author owns d (team owners need a lookup the
	// handler does). Nil means: the doc's owner equals the author's login.
	IsOwner func(d Doc) bool
}

// Rejection is a /reviewed target that was not recorded, and why.
type Rejection struct {
	Target, Reason string
}

// ReviewedResult is what a comment changes.
type ReviewedResult struct {
	Data     Data     // the new data block contents
	Changed  bool     // Data differs from the input
	Recorded []string // doc paths whose review date is now Now's date
	Rejected []Rejection
	// Reply is a short comment for the author when something was rejected;
	// "" when nothing needs saying (the issue body shows the records).
	Reply string
}

// ApplyReviewed records the reviews a comment asks for. The doc's owner,
// the duty person and anyone with write access may record a review; `all`
// covers every doc the author may review.
func ApplyReviewed(in ReviewedInput) ReviewedResult {
	res := ReviewedResult{Data: in.Data.clone()}
	targets := ParseReviewedCommands(in.Comment)
	if len(targets) == 0 {
		res.Data = in.Data
		return res
	}
	byPath := make(map[string]Doc, len(in.Docs))
	for _, d := range in.Docs {
		byPath[d.Path] = d
	}
	isOwner := in.IsOwner
	if isOwner == nil {
		isOwner = func(d Doc) bool { return d.Owner != "" && strings.EqualFold(d.Owner, in.Author) }
	}
	allowed := func(d Doc) bool { return in.IsWriter || in.IsDuty || isOwner(d) }
	today := DateOf(in.Now)
	record := func(d Doc) {
		if r, ok := res.Data.Reviewed[d.Path]; ok && !r.On.Before(today) {
			res.Recorded = append(res.Recorded, d.Path)
			return // already recorded today (redelivery, edited comment)
		}
		res.Data.Reviewed[d.Path] = Review{On: today, By: in.Author}
		res.Changed = true
		res.Recorded = append(res.Recorded, d.Path)
	}
	for _, t := range targets {
		if t == All {
			n := 0
			for _, d := range in.Docs {
				if allowed(d) {
					record(d)
					n++
				}
			}
			if n == 0 {
				res.Rejected = append(res.Rejected, Rejection{All, "you own none of the tracked docs and are neither on duty nor a writer"})
			}
			continue
		}
		d, ok := byPath[t]
		switch {
		case !ok:
			res.Rejected = append(res.Rejected, Rejection{t, "not a tracked doc"})
		case !allowed(d):
			res.Rejected = append(res.Rejected, Rejection{t, fmt.Sprintf("only its owner (%s), the duty person or a writer may record a review", nameOf(d.Owner))})
		default:
			record(d)
		}
	}
	sort.Strings(res.Recorded)
	res.Recorded = compactSorted(res.Recorded)
	if !res.Changed {
		res.Data = in.Data
	}
	if len(res.Rejected) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "%s, I could not record these reviews:\n\n", mdtext.Mention(in.Author))
		for _, r := range res.Rejected {
			fmt.Fprintf(&b, "- %s: %s\n", mdtext.Code(r.Target), mdtext.Text(r.Reason))
		}
		res.Reply = b.String()
	}
	return res
}

func compactSorted(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
