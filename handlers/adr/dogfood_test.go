package adr

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/overlaphq/overlap/config"
)

// Overlap practises what it enforces: the project's own decision records
// in docs/adr pass the "Decision record" check, warnings included.
func TestProjectsOwnRecordsPassTheCheck(t *testing.T) {
	paths, err := filepath.Glob("../../docs/adr/*.md")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no records found: %v", err)
	}
	s := SettingsFrom(config.Defaults().ADR)
	base := map[int]string{}
	for _, p := range paths {
		if n, ok := NumberOf(filepath.Base(p)); ok {
			base[n] = filepath.Base(p)
		}
	}
	for _, p := range paths {
		content, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel := "docs/adr/" + filepath.Base(p)
		rec, err := ParseRecord(rel, string(content))
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		for _, a := range Check(rec, s, base) {
			t.Errorf("%s:%d: [%s] %s", rel, a.Line, a.Level, a.Message)
		}
	}
}
