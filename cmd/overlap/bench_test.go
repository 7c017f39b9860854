package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/bench"
)

// TestBenchQuickWritesEverySection runs `overlap bench --quick --out FILE`
// into a file that already holds other text and an earlier report, and
// checks that the report replaced the earlier one, kept the rest, and has
// every section with figures. The figures themselves are not judged: the
// machine is shared.
func TestBenchQuickWritesEverySection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole app against the emulator for about half a minute")
	}
	out := filepath.Join(t.TempDir(), "performance.md")
	before := "# Performance\n\nOther engineers' text.\n\n" + bench.StartMarker + "\nstale report\n" + bench.EndMarker + "\n\n## Later section\n\nKept.\n"
	if err := os.WriteFile(out, []byte(before), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCmd(t, "bench", "--quick", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, keep := range []string{"Other engineers' text.", "## Later section\n\nKept.\n"} {
		if !strings.Contains(doc, keep) {
			t.Errorf("the text outside the markers lost %q", keep)
		}
	}
	if strings.Contains(doc, "stale report") || strings.Count(doc, bench.StartMarker) != 1 || strings.Count(doc, bench.EndMarker) != 1 {
		t.Errorf("the earlier report was not replaced exactly once:\n%s", doc)
	}
	report := doc[strings.Index(doc, bench.StartMarker):strings.Index(doc, bench.EndMarker)]
	for _, want := range []string{"Machine: nproc ", "go1.", "Load average"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	// Each section has a table whose rows carry numbers.
	row := regexp.MustCompile(`(?m)^\|.*\| [0-9].*\| [0-9]`)
	heads := []string{bench.HeadIngestion, bench.HeadEconomy, bench.HeadBurst, bench.HeadSweeps}
	rowsWant := []int{3, 5, 1, 2} // senders 1/16/64, five features, one burst, sweeps over 10 and 100
	for i, h := range heads {
		at := strings.Index(report, h+"\n")
		if at < 0 {
			t.Errorf("no %q section in:\n%s", h, report)
			continue
		}
		sec := report[at:]
		if i+1 < len(heads) {
			if end := strings.Index(sec, heads[i+1]); end > 0 {
				sec = sec[:end]
			}
		}
		if got := len(row.FindAllString(sec, -1)); got < rowsWant[i] {
			t.Errorf("%s has %d table rows with numbers, want %d:\n%s", h, got, rowsWant[i], sec)
		}
	}
	for _, want := range []string{"acknowledged/s", "ack p99", "RSS", "rate-limited", "304", "peak queue depth", "drain", "GraphQL", "inear in repositories"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report does not mention %q", want)
		}
	}
}
