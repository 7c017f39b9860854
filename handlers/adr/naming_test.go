package adr

import (
	"strings"
	"testing"
)

func TestSlug(t *testing.T) {
	tests := []struct {
		name, title, want string
	}{
		{"plain", "Use Postgres for events", "use-postgres-for-events"},
		{"ADR colon prefix", "ADR: Use Postgres", "use-postgres"},
		{"bracket prefix", "[ADR] Use Postgres", "use-postgres"},
		{"numbered prefix", "adr-0012: Use Postgres", "use-postgres"},
		{"numbered prefix with space", "ADR 12 - Use Postgres", "use-postgres"},
		{"word starting with adr is kept", "Adrenaline-driven design", "adrenaline-driven-design"},
		{"emoji", "🚀 Ship events via Kafka 🎉", "ship-events-via-kafka"},
		{"only punctuation", "?!... --- ***", "untitled-decision"},
		{"empty", "", "untitled-decision"},
		{"only the prefix", "ADR:", "untitled-decision"},
		{"accents transliterated", "Café à la crème, Straße & Øresund", "cafe-a-la-creme-strasse-oresund"},
		{"non-Latin script only", "数据库迁移方案", "untitled-decision"},
		{"non-Latin mixed with Latin", "Переход на Postgres 16", "postgres-16"},
		{"apostrophe joins", "Don't share DB users", "dont-share-db-users"},
		{"dashes collapse", "gRPC -- vs -- REST / HTTP", "grpc-vs-rest-http"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Slug(tt.title); got != tt.want {
				t.Errorf("Slug(%q) = %q, want %q", tt.title, got, tt.want)
			}
		})
	}
}

func TestSlugCapsLongTitleOnWordBoundary(t *testing.T) {
	words := strings.Repeat("replace the legacy billing pipeline ", 6) // 216 chars
	title := words[:200]
	got := Slug(title)
	if len(got) > 60 || len(got) < 50 {
		t.Fatalf("Slug of a 200-char title has length %d (%q), want 50..60", len(got), got)
	}
	full := strings.Join(strings.Fields(strings.ToLower(title)), "-")
	if !strings.HasPrefix(full, got+"-") {
		t.Errorf("Slug = %q, want a whole-word prefix of %q", got, full)
	}

	long := strings.Repeat("x", 200) // one word: cut hard
	if got := Slug(long); got != strings.Repeat("x", 60) {
		t.Errorf("Slug(200 x) = %q, want 60 x", got)
	}
}

func TestFileName(t *testing.T) {
	if got, want := FileName(13, "ADR: Use Postgres!"), "0013-use-postgres.md"; got != want {
		t.Errorf("FileName = %q, want %q", got, want)
	}
	if got := FileName(7, "🎉"); !ValidFileName(got) || got != "0007-untitled-decision.md" {
		t.Errorf("FileName(7, emoji) = %q, want a valid untitled name", got)
	}
}

func TestNextNumber(t *testing.T) {
	var base []string
	for i := 1; i <= 12; i++ {
		base = append(base, FileName(i, "record"))
	}
	tests := []struct {
		name  string
		lists [][]string
		want  int
	}{
		{"empty directory", nil, 1},
		{"0001-0012 on base", [][]string{base}, 13},
		{"higher number in another open PR", [][]string{base, {"0014-other.md"}}, 15},
		{"lower number in another PR does not matter", [][]string{base, {"0003-old.md"}}, 13},
		{"gaps are not reused", [][]string{{"0001-a.md", "0009-b.md"}}, 10},
		{"paths are fine", [][]string{{"docs/adr/0004-a.md"}}, 5},
		{"non-matching names ignored", [][]string{{"README.md", "template.md", "12-x.md", "0005.md", "0006-x.txt", "notes-0099.md"}}, 1},
		{"badly named numbered record still reserves its number", [][]string{{"0008_Use_X.md", "0008-Use_X.md"}}, 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NextNumber(tt.lists...); got != tt.want {
				t.Errorf("NextNumber = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestValidFileName(t *testing.T) {
	for name, want := range map[string]bool{
		"0001-record-decisions.md":         true,
		"docs/adr/0012-use-postgres-16.md": true,
		"1-record.md":                      false,
		"0001-Record.md":                   false,
		"0001_record.md":                   false,
		"0001-record--decisions.md":        false,
		"0001-record.markdown":             false,
		"record.md":                        false,
		"0001-record-decisions-.md":        false,
	} {
		if got := ValidFileName(name); got != want {
			t.Errorf("ValidFileName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsDecisionPR(t *testing.T) {
	want := []string{"decision", "architecture"}
	tests := []struct {
		labels []string
		want   bool
	}{
		{[]string{"Decision"}, true},
		{[]string{"bug", "ARCHITECTURE"}, true},
		{[]string{"decisions"}, false},
		{nil, false},
	}
	for _, tt := range tests {
		if got := IsDecisionPR(tt.labels, want); got != tt.want {
			t.Errorf("IsDecisionPR(%q) = %v, want %v", tt.labels, got, tt.want)
		}
	}
	if IsDecisionPR([]string{""}, []string{""}) {
		t.Error("an empty wanted label must not match an empty label")
	}
}

// A title past Slug's input cap gives the slug of its first 4 KiB: the
// slug is at most 60 characters of it anyway, and a cut never splits a
// character.
func TestSlugReadsABoundedPrefix(t *testing.T) {
	long := "Use Postgres for events " + strings.Repeat("é", 1<<20)
	if got, want := Slug(long), Slug(long[:slugInputCap]); got != want || len(got) > 60 || !strings.HasPrefix(got, "use-postgres-for-events") {
		t.Errorf("Slug(1 MB title) = %q, want %q (≤ 60 characters)", got, want)
	}
	odd := strings.Repeat("a", slugInputCap-1) + "é tail"
	if got := Slug(odd); strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("a cut inside a character left %q", got)
	}
}
