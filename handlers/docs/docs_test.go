package docs

import (
	"strings"
	"testing"
	"time"
)

var berlin = mustLoc("Europe/Berlin")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// now is the pinned instant of every test: Tuesday 2026-11-24 09:00 Berlin.
var now = time.Date(2026, 11, 24, 9, 0, 0, 0, berlin)

func daysAgo(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }

func testSettings() Settings {
	return Settings{
		Sets: map[string]Set{
			"runbooks":   {Paths: []string{"docs/runbooks/**/*.md"}, MaxAge: 90 * 24 * time.Hour},
			"onboarding": {Paths: []string{"docs/onboarding/*.md"}, MaxAge: 180 * 24 * time.Hour},
		},
		Covers: map[string][]string{"docs/runbooks/db.md": {"db/**"}},
	}
}

// testSource: three runbooks aged 10, 100 and 400 days, one onboarding guide.
func testSource() Source {
	return Source{
		Tree: []string{
			"README.md", "go.mod",
			"docs/runbooks/cache.md", "docs/runbooks/payments.md", "docs/runbooks/db.md",
			"docs/onboarding/welcome.md",
			"services/payments/charge.go", "services/cache/lru.go", "db/migrations/001.sql",
		},
		Contents: map[string]string{
			"docs/runbooks/cache.md":     "---\nowner: dave\ncovers: services/cache/**\n---\n# Cache\n",
			"docs/runbooks/payments.md":  "---\nowner: \"@octo/payments\"\ncovers:\n  - services/payments/**\n---\n# Payments\n",
			"docs/runbooks/db.md":        "---\nowner: carol\n---\n# DB\n",
			"docs/onboarding/welcome.md": "# Welcome\n",
		},
		LastCommit: map[string]time.Time{
			"docs/runbooks/cache.md":     daysAgo(10),
			"docs/runbooks/payments.md":  daysAgo(100),
			"docs/runbooks/db.md":        daysAgo(400),
			"docs/onboarding/welcome.md": daysAgo(30),
		},
	}
}

func buildTestDocs(t *testing.T) []Doc {
	t.Helper()
	docs, err := BuildDocs(testSettings(), testSource())
	if err != nil {
		t.Fatalf("BuildDocs: %v", err)
	}
	return docs
}

func findDoc(t *testing.T, docs []Doc, p string) Doc {
	t.Helper()
	for _, d := range docs {
		if d.Path == p {
			return d
		}
	}
	t.Fatalf("doc %s not found", p)
	return Doc{}
}

func TestStaleness(t *testing.T) {
	docs := buildTestDocs(t)
	if len(docs) != 4 {
		t.Fatalf("got %d docs, want 4", len(docs))
	}
	var stale []string
	for _, d := range docs {
		if IsStale(d, now) {
			stale = append(stale, d.Path)
		}
	}
	if got, want := strings.Join(stale, ","), "docs/runbooks/db.md,docs/runbooks/payments.md"; got != want {
		t.Errorf("stale = %s, want %s", got, want)
	}
	p := findDoc(t, docs, "docs/runbooks/payments.md")
	if p.Owner != "octo/payments" || p.Set != "runbooks" || len(p.Covers) != 1 || p.Covers[0] != "services/payments/**" {
		t.Errorf("payments doc = %+v", p)
	}
	if got := days(Age(p, now)); got != "100 days" {
		t.Errorf("age = %s, want 100 days", got)
	}
	db := findDoc(t, docs, "docs/runbooks/db.md")
	if !CoversFile(db, "db/migrations/001.sql") {
		t.Errorf("config covers for db.md not applied: %v", db.Covers)
	}
}

func TestFreshnessTakesTheLatestSignal(t *testing.T) {
	old := daysAgo(200)
	tests := []struct {
		name      string
		doc       Doc
		wantStale bool
		wantAge   string
	}{
		{"commit only", Doc{LastCommit: old, MaxAge: 90 * 24 * time.Hour}, true, "200 days"},
		{"last_reviewed newer than the commit wins",
			Doc{LastCommit: old, MaxAge: 90 * 24 * time.Hour, FM: FrontMatter{LastReviewed: DateOf(daysAgo(5).UTC())}}, false, "5 days"},
		{"older last_reviewed does not win",
			Doc{LastCommit: daysAgo(20), MaxAge: 90 * 24 * time.Hour, FM: FrontMatter{LastReviewed: Date{2025, 1, 1}}}, false, "20 days"},
		{"recorded /reviewed wins",
			Doc{LastCommit: old, MaxAge: 90 * 24 * time.Hour, Reviewed: &Review{On: DateOf(daysAgo(3).UTC()), By: "alice"}}, false, "3 days"},
		{"per-doc max age", Doc{LastCommit: daysAgo(40), MaxAge: 30 * 24 * time.Hour}, true, "40 days"},
		{"unknown freshness is never stale", Doc{MaxAge: time.Hour}, false, "0 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsStale(tt.doc, now); got != tt.wantStale {
				t.Errorf("IsStale = %v, want %v", got, tt.wantStale)
			}
			if got := days(Age(tt.doc, now)); got != tt.wantAge {
				t.Errorf("age = %s, want %s", got, tt.wantAge)
			}
		})
	}
}

func TestFrontMatterMaxAgeOverridesSet(t *testing.T) {
	src := testSource()
	src.Contents["docs/runbooks/cache.md"] = "---\nmax_age: 7d\n---\n"
	docs, err := BuildDocs(testSettings(), src)
	if err != nil {
		t.Fatal(err)
	}
	d := findDoc(t, docs, "docs/runbooks/cache.md")
	if d.MaxAge != 7*24*time.Hour || !IsStale(d, now) {
		t.Errorf("max_age 7d on a 10-day-old doc: MaxAge=%v stale=%v", d.MaxAge, IsStale(d, now))
	}
}

func TestParseFrontMatter(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    FrontMatter
		errs    []string // substrings expected in the error, in order
	}{
		{"none", "# Title\n", FrontMatter{}, nil},
		{"full", "---\r\nowner: '@alice'\r\ncovers: [a/**, /b/*.go]\r\nmax_age: 30d\r\nlast_reviewed: 2026-11-01\r\ntitle: x\r\n---\r\nbody",
			FrontMatter{Present: true, Owner: "alice", Covers: []string{"a/**", "b/*.go"}, MaxAge: 30 * 24 * time.Hour, LastReviewed: Date{2026, 11, 1}, EndLine: 7}, nil},
		{"covers as string, weeks", "---\ncovers: svc/**\nmax_age: 6w\n---\n",
			FrontMatter{Present: true, Covers: []string{"svc/**"}, MaxAge: 42 * 24 * time.Hour, EndLine: 4}, nil},
		{"bad date and age keep the owner", "---\nowner: bob\nlast_reviewed: 2026-13-01\nmax_age: soon\n---\n",
			FrontMatter{Present: true, Owner: "bob", EndLine: 5},
			[]string{"line 3: last_reviewed \"2026-13-01\"", "line 4: max_age \"soon\""}},
		{"unclosed", "---\nowner: bob\n# Title\n", FrontMatter{Present: true}, []string{"no closing ---"}},
		{"invalid yaml", "---\nowner: [bob\n---\n", FrontMatter{Present: true, EndLine: 3}, []string{"invalid YAML"}},
		{"not a mapping", "---\n- a\n- b\n---\n", FrontMatter{Present: true, EndLine: 4}, []string{"line 2: must be a YAML mapping"}},
		{"bad glob", "---\ncovers: 'svc/[**'\n---\n", FrontMatter{Present: true, EndLine: 3}, []string{"not a valid glob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFrontMatter(tt.content)
			if got.Owner != tt.want.Owner || got.MaxAge != tt.want.MaxAge || got.LastReviewed != tt.want.LastReviewed ||
				got.Present != tt.want.Present || got.EndLine != tt.want.EndLine || strings.Join(got.Covers, ",") != strings.Join(tt.want.Covers, ",") {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if len(tt.errs) == 0 {
				if err != nil {
					t.Errorf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want error containing %q", tt.errs)
			}
			for _, e := range tt.errs {
				if !strings.Contains(err.Error(), e) {
					t.Errorf("error %q lacks %q", err, e)
				}
			}
		})
	}
}

func TestMalformedFrontMatterIsAProblemOnTheDoc(t *testing.T) {
	src := testSource()
	src.Contents["docs/runbooks/db.md"] = "---\nowner: carol\nlast_reviewed: yesterday\n---\n"
	docs, err := BuildDocs(testSettings(), src)
	if err != nil {
		t.Fatal(err)
	}
	d := findDoc(t, docs, "docs/runbooks/db.md")
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "front matter line 3: last_reviewed") {
		t.Errorf("problems = %q", d.Problems)
	}
	if d.Owner != "carol" {
		t.Errorf("owner lost because of another key's error: %q", d.Owner)
	}
}

func TestMatchSetsReportsBadGlobs(t *testing.T) {
	s := Settings{Sets: map[string]Set{"a": {Paths: []string{"docs/[", "docs/*.md"}}}}
	got, err := MatchSets([]string{"docs/x.md", "docs/y.txt"}, s)
	if err == nil || !strings.Contains(err.Error(), `docs set a: invalid glob "docs/["`) {
		t.Errorf("err = %v", err)
	}
	if len(got["a"]) != 1 || got["a"][0] != "docs/x.md" {
		t.Errorf("valid globs still match: %v", got)
	}
}

func TestParseAge(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 720 * time.Hour, "1 week": 168 * time.Hour, "36h": 36 * time.Hour, "45 days": 45 * 24 * time.Hour} {
		if got, err := ParseAge(in); err != nil || got != want {
			t.Errorf("ParseAge(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0d", "-3h", "30", "soon"} {
		if _, err := ParseAge(in); err == nil {
			t.Errorf("ParseAge(%q) accepted", in)
		}
	}
}

func TestStaleForNeverReadsAsWithinTheLimit(t *testing.T) {
	day := 24 * time.Hour
	cases := []struct {
		age, limit time.Duration
		want       string
	}{
		{100 * day, 90 * day, "100 days since last review (limit 90 days)"},
		{90*day + 3*time.Hour, 90 * day, "over 90 days since last review (limit 90 days)"},
		{91 * day, 90 * day, "91 days since last review (limit 90 days)"},
		{1*day + time.Hour, 1 * day, "over 1 day since last review (limit 1 day)"},
	}
	for _, c := range cases {
		if got := staleFor(c.age, c.limit); got != c.want {
			t.Errorf("staleFor(%v, %v) = %q, want %q", c.age, c.limit, got, c.want)
		}
	}
}
