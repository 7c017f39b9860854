package docs

import (
	"strings"
	"testing"
	"time"
)

func TestDecidePR(t *testing.T) {
	docs := buildTestDocs(t)
	repo := RepoRef{Owner: "octo", Name: "ops", Branch: "main"}
	tests := []struct {
		name        string
		changed     []string
		settings    func(*Settings)
		docs        func([]Doc) []Doc
		wantClear   bool
		wantConcl   string
		wantFlagged []string
		wantInBody  []string
		wantTitle   string
	}{
		{
			name:        "code covered by the 100-day runbook gets a reminder",
			changed:     []string{"services/payments/charge.go", "go.mod"},
			wantConcl:   "neutral",
			wantFlagged: []string{"docs/runbooks/payments.md"},
			wantInBody: []string{
				"[`docs/runbooks/payments.md`](https://github.com/octo/ops/commits/main/docs/runbooks/payments.md)",
				"100 days since last review (limit 90 days)", "| octo/payments |", "`services/payments/charge.go`", "#7",
			},
			wantTitle: "1 doc covering this change is stale",
		},
		{
			name:        "required mode asks for action",
			changed:     []string{"services/payments/charge.go"},
			settings:    func(s *Settings) { s.Check = Required },
			wantConcl:   "action_required",
			wantFlagged: []string{"docs/runbooks/payments.md"},
		},
		{
			name:      "PR that also edits the runbook clears",
			changed:   []string{"services/payments/charge.go", "docs/runbooks/payments.md"},
			wantClear: true, wantConcl: "success",
		},
		{
			name:      "fresh runbook (10 days) stays quiet",
			changed:   []string{"services/cache/lru.go"},
			wantClear: true, wantConcl: "success",
		},
		{
			name:        "due within WarnWithin is flagged before it is stale",
			changed:     []string{"services/cache/lru.go"},
			docs:        func(d []Doc) []Doc { return setCommit(d, "docs/runbooks/cache.md", daysAgo(80)) },
			wantConcl:   "neutral",
			wantFlagged: []string{"docs/runbooks/cache.md"},
			wantInBody:  []string{"80 days since last review, stale in 10 days", "| dave |"},
			wantTitle:   "1 doc covering this change due for review",
		},
		{
			name:      "due soon but WarnWithin disabled",
			changed:   []string{"services/cache/lru.go"},
			settings:  func(s *Settings) { s.WarnWithin = -1 },
			docs:      func(d []Doc) []Doc { return setCommit(d, "docs/runbooks/cache.md", daysAgo(80)) },
			wantClear: true, wantConcl: "success",
		},
		{
			name:      "a docs-only PR never gets the reminder",
			changed:   []string{"docs/runbooks/cache.md", "README.md"},
			docs:      func(d []Doc) []Doc { return coverAll(d) },
			wantClear: true, wantConcl: "success",
		},
		{
			name:        "several stale docs, oldest first",
			changed:     []string{"db/migrations/002.sql", "services/payments/refund.go"},
			wantConcl:   "neutral",
			wantFlagged: []string{"docs/runbooks/db.md", "docs/runbooks/payments.md"},
			wantInBody:  []string{"400 days since last review", "| carol |"},
			wantTitle:   "2 docs covering this change are stale",
		},
		{
			name:      "a /reviewed record clears the reminder",
			changed:   []string{"services/payments/charge.go"},
			docs:      func(d []Doc) []Doc { return AttachReviews(d, reviewed("docs/runbooks/payments.md", 1)) },
			wantClear: true, wantConcl: "success",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSettings()
			if tt.settings != nil {
				tt.settings(&s)
			}
			d := append([]Doc(nil), docs...)
			if tt.docs != nil {
				d = tt.docs(d)
			}
			got := DecidePR(PRInput{Repo: repo, Settings: s, Docs: d, Changed: tt.changed, TrackingIssue: 7, Now: now})
			if got.Clear != tt.wantClear {
				t.Errorf("Clear = %v, want %v (comment %q)", got.Clear, tt.wantClear, got.Comment)
			}
			if got.Clear != (got.Comment == "") {
				t.Errorf("Clear and Comment disagree: %v / %q", got.Clear, got.Comment)
			}
			if got.Check.Conclusion != tt.wantConcl || got.Check.Name != "Docs freshness" || got.Check.Skip {
				t.Errorf("check = %+v, want conclusion %s", got.Check, tt.wantConcl)
			}
			if tt.wantTitle != "" && got.Check.Title != tt.wantTitle {
				t.Errorf("check title %q, want %q", got.Check.Title, tt.wantTitle)
			}
			var flagged []string
			for _, f := range got.Flags {
				flagged = append(flagged, f.Doc.Path)
			}
			if strings.Join(flagged, ",") != strings.Join(tt.wantFlagged, ",") {
				t.Errorf("flagged = %v, want %v", flagged, tt.wantFlagged)
			}
			for _, w := range tt.wantInBody {
				if !strings.Contains(got.Comment, w) {
					t.Errorf("comment lacks %q:\n%s", w, got.Comment)
				}
			}
			if strings.Contains(got.Comment, "@") {
				t.Errorf("the reminder @-mentions someone; PR events arrive at any hour:\n%s", got.Comment)
			}
			if !got.Clear {
				if len(got.Check.Annotations) == 0 || got.Check.Summary == "" {
					t.Errorf("a flagged PR needs annotations and a summary: %+v", got.Check)
				}
				for _, a := range got.Check.Annotations {
					if !contains(tt.changed, a.Path) || a.StartLine != 1 {
						t.Errorf("annotation on %s:%d, want a changed file, line 1", a.Path, a.StartLine)
					}
				}
			}
		})
	}
}

func TestDecidePRWithoutSetsSkipsTheCheck(t *testing.T) {
	got := DecidePR(PRInput{Changed: []string{"main.go"}, Now: now})
	if !got.Check.Skip || !got.Clear {
		t.Errorf("no docs configured: %+v", got)
	}
}

func setCommit(docs []Doc, p string, at time.Time) []Doc {
	for i := range docs {
		if docs[i].Path == p {
			docs[i].LastCommit = at
		}
	}
	return docs
}

// coverAll makes every doc cover everything, including markdown.
func coverAll(docs []Doc) []Doc {
	for i := range docs {
		docs[i].Covers = []string{"**"}
	}
	return docs
}

func reviewed(p string, ago int) Data {
	return Data{Reviewed: map[string]Review{p: {On: DateOf(daysAgo(ago)), By: "alice"}}}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
