package docs

import (
	"fmt"
	"time"
)

// Defaults used when a Settings field is left zero. The policy loader
// normally fills these in; the decision code does not rely on it.
const (
	DefaultMaxAge     = 90 * 24 * time.Hour
	DefaultWarnWithin = 14 * 24 * time.Hour
	DefaultDutyEvery  = 7 * 24 * time.Hour
	// MaxAliases is the default number of docs per GraphQL request (one
	// history alias and one blob alias each). GitHub allows first ≤ 100 per
	// connection and 500,000 nodes per query, so 100 would be legal and
	// cost the same single point; but every `history(path:)` walks the git
	// log server-side inside GitHub's 10 s budget, and users report 502s and
	// timeouts at 60–100 history aliases per query, fixed by splitting to
	// 40–50. A timed-out query also costs extra points for the next hour.
	// 50 keeps each request well inside that budget: a repository with N
	// docs needs ⌈N/50⌉ requests of 1 point each (500 docs: 10 requests,
	// 10 points), still O(repos) for an org sweep, never O(files).
	MaxAliases = 50
)

// Names and markers of what this feature writes on GitHub.
const (
	CheckName      = "Docs freshness"
	MarkerPR       = "<!-- overlap:docs -->"
	MarkerTracking = "<!-- overlap:docs:tracking -->"
	LabelStale     = "docs-stale"
	// OnboardingSet is the set name whose emptiness is reported in the
	// tracking issue ("no onboarding guide found at …").
	OnboardingSet = "onboarding"
)

// CheckMode says how loud the PR check is.
type CheckMode string

// Check modes: advisory gives a neutral check, required gives action_required.
const (
	Advisory CheckMode = "advisory"
	Required CheckMode = "required"
)

// Settings is the feature's view of the `docs:` policy block.
type Settings struct {
	// Sets maps a set name (e.g. "runbooks", "onboarding") to its definition.
	Sets map[string]Set
	// Covers maps a doc path to globs of code it describes, in addition to
	// its set's and its front matter's covers.
	Covers map[string][]string
	// Check is Advisory (default) or Required.
	Check CheckMode
	// WarnWithin flags docs on PRs that will be stale within this long.
	// Zero means DefaultWarnWithin; negative disables the early warning.
	WarnWithin time.Duration
	Duty       DutySettings
}

// Set is a named group of docs.
type Set struct {
	Paths  []string      // doublestar globs of the docs in the set
	MaxAge time.Duration // zero means DefaultMaxAge
	Covers []string      // globs of code that every doc of the set covers
}

// DutySettings is the documentation-duty rotation.
type DutySettings struct {
	Rotation []string // logins, in order
	Starts   Date     // the day the first person's turn begins
	Every    time.Duration
}

func (s Settings) warnWithin() time.Duration {
	switch {
	case s.WarnWithin == 0:
		return DefaultWarnWithin
	case s.WarnWithin < 0:
		return 0
	}
	return s.WarnWithin
}

// RepoRef names a repository and its default branch, for links.
type RepoRef struct {
	Owner, Name, Branch string
}

// HistoryURL is the GitHub page listing the commits that touched path.
func (r RepoRef) HistoryURL(path string) string {
	if r.Owner == "" || r.Name == "" {
		return ""
	}
	b := r.Branch
	if b == "" {
		b = "HEAD"
	}
	return fmt.Sprintf("https://github.com/%s/%s/commits/%s/%s", r.Owner, r.Name, b, path)
}

// Date is a civil date (no time, no zone), as written in front matter and
// in the tracking issue's data block.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// DateOf is the civil date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d == Date{} }

// In is midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.In(time.UTC).Before(o.In(time.UTC)) }

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
