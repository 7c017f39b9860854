package docs

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/overlaphq/overlap/internal/mdtext"
)

// Doc is one tracked document and everything known about its freshness.
type Doc struct {
	Path       string
	Set        string
	LastCommit time.Time // last commit on the default branch touching Path
	FM         FrontMatter
	Reviewed   *Review // latest review recorded through /reviewed
	MaxAge     time.Duration
	Owner      string   // login or org/team without '@'; "" when unknown
	Covers     []string // globs of code the doc describes
	Problems   []string // e.g. malformed front matter, shown on the doc
}

// Review is a review recorded with /reviewed.
type Review struct {
	On Date   `json:"on"`
	By string `json:"by"`
}

// Source is what a handler fetched about a repository's docs at the
// default branch.
type Source struct {
	Tree       []string             // every file path of the default-branch tree
	Contents   map[string]string    // doc path → content
	LastCommit map[string]time.Time // doc path → last commit date
	Reviews    map[string]Review    // doc path → recorded review (data block)
}

// MatchSets lists, per set name, the sorted tree paths that match the set's
// globs. Invalid globs are reported in the error; the rest still match.
func MatchSets(tree []string, s Settings) (map[string][]string, error) {
	out := make(map[string][]string, len(s.Sets))
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(s.Sets)) {
		var valid []string
		for _, g := range s.Sets[name].Paths {
			g = strings.TrimPrefix(g, "/")
			if !doublestar.ValidatePattern(g) {
				errs = append(errs, fmt.Errorf("docs set %s: invalid glob %q", name, g))
				continue
			}
			valid = append(valid, g)
		}
		var paths []string
		for _, p := range tree {
			if matchAny(valid, p) {
				paths = append(paths, p)
			}
		}
		sort.Strings(paths)
		out[name] = slices.Compact(paths)
	}
	return out, errors.Join(errs...)
}

// BuildDocs assembles the docs of a repository: sets matched against the
// tree, front matter parsed, max age and covers resolved, recorded reviews
// attached. A doc in several sets belongs to the first by name. Problems
// with a doc are recorded on it; the error only reports invalid set globs.
func BuildDocs(s Settings, src Source) ([]Doc, error) {
	sets, err := MatchSets(src.Tree, s)
	seen := map[string]bool{}
	var docs []Doc
	for _, name := range slices.Sorted(maps.Keys(sets)) {
		set := s.Sets[name]
		for _, p := range sets[name] {
			if seen[p] {
				continue
			}
			seen[p] = true
			d := Doc{Path: p, Set: name, LastCommit: src.LastCommit[p]}
			if content, ok := src.Contents[p]; ok {
				fm, ferr := ParseFrontMatter(content)
				d.FM = fm
				d.Problems = append(d.Problems, frontMatterProblems(ferr)...)
			}
			if r, ok := src.Reviews[p]; ok {
				d.Reviewed = &r
			}
			d.Owner = d.FM.Owner
			d.MaxAge = set.MaxAge
			if d.FM.MaxAge > 0 {
				d.MaxAge = d.FM.MaxAge
			}
			if d.MaxAge <= 0 {
				d.MaxAge = DefaultMaxAge
			}
			for _, g := range concat(set.Covers, s.Covers[p], d.FM.Covers) {
				g = strings.TrimPrefix(g, "/")
				if !doublestar.ValidatePattern(g) {
					d.Problems = append(d.Problems, fmt.Sprintf("covers: %q is not a valid glob", g))
					continue
				}
				if !slices.Contains(d.Covers, g) {
					d.Covers = append(d.Covers, g)
				}
			}
			docs = append(docs, d)
		}
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].Path < docs[j].Path })
	return docs, err
}

// AttachReviews returns a copy of docs with the reviews of data attached.
func AttachReviews(docs []Doc, data Data) []Doc {
	out := slices.Clone(docs)
	for i := range out {
		if r, ok := data.Reviewed[out[i].Path]; ok {
			out[i].Reviewed = &r
		}
	}
	return out
}

// Freshness is the latest of the doc's last commit, its front-matter
// last_reviewed date and its recorded review. Civil dates count from
// midnight UTC. It is zero when nothing is known.
func Freshness(d Doc) time.Time {
	f := d.LastCommit
	if !d.FM.LastReviewed.IsZero() {
		if t := d.FM.LastReviewed.In(time.UTC); t.After(f) {
			f = t
		}
	}
	if d.Reviewed != nil && !d.Reviewed.On.IsZero() {
		if t := d.Reviewed.On.In(time.UTC); t.After(f) {
			f = t
		}
	}
	return f
}

// Age is how long ago the doc was last fresh (never negative; zero when
// its freshness is unknown).
func Age(d Doc, now time.Time) time.Duration {
	f := Freshness(d)
	if f.IsZero() || now.Before(f) {
		return 0
	}
	return now.Sub(f)
}

// IsStale reports whether the doc's age exceeds its max age. A doc whose
// freshness is unknown is not stale: we never nag on missing data.
func IsStale(d Doc, now time.Time) bool {
	return dueWithin(d, now, 0)
}

// dueWithin reports whether the doc is stale at now+within.
func dueWithin(d Doc, now time.Time, within time.Duration) bool {
	f := Freshness(d)
	if f.IsZero() {
		return false
	}
	maxAge := d.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	return now.Add(within).Sub(f) > maxAge
}

// CoversFile reports whether file matches one of the doc's covers globs.
func CoversFile(d Doc, file string) bool { return matchAny(d.Covers, file) }

func matchAny(globs []string, p string) bool {
	for _, g := range globs {
		if ok, err := doublestar.Match(g, p); err == nil && ok {
			return true
		}
	}
	return false
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// days renders a duration as whole days: "1 day", "100 days".
func days(d time.Duration) string {
	n := int(d / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// staleFor describes a stale doc's age against its limit. Ages count whole
// days, so a doc a few hours past a 90-day limit is "over 90 days", never
// "90 days (limit 90 days)", which would read as not stale at all.
func staleFor(age, limit time.Duration) string {
	a := days(age)
	if age > limit && int(age/(24*time.Hour)) <= int(limit/(24*time.Hour)) {
		a = "over " + days(limit)
	}
	return fmt.Sprintf("%s since last review (limit %s)", a, days(limit))
}

// nameOf renders an owner or login for a comment or issue body: without
// "@", so that naming someone does not notify them at whatever hour the
// event or the sweep happens (DESIGN principle 5). Only the duty
// assignment notifies, and only when the person may be pinged.
//
// The owner comes from a doc's front matter, so it is user text: it is
// written as a table cell (mdtext.Cell), which is also safe in running text.
func nameOf(login string) string {
	if login == "" {
		return "no owner"
	}
	return mdtext.Cell(login)
}
