package sandbox

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

// The sandbox is the README's first command: it must play every scene
// without error, show what Overlap wrote, and end with the tables.
func TestRunPlaysEveryScene(t *testing.T) {
	var out bytes.Buffer
	if err := Run(context.Background(), &out, io.Discard); err != nil {
		t.Fatalf("sandbox: %v\n%s", err, out.String())
	}
	text := out.String()
	for i, sc := range scenes() {
		if !strings.Contains(text, sc.Title) {
			t.Errorf("scene %d (%s) was not played", i+1, sc.Name)
		}
	}
	for _, want := range []string{
		`check "Overlap config"`, "FAILURE", "SUCCESS",
		"Writes and API calls by scene", "API calls by route",
		"Every request passed the emulator's checks",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
}
