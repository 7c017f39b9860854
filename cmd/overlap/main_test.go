package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/githubfake"
	"github.com/overlaphq/overlap/internal/sandbox"
)

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestConfigCheckPrintsEveryProblemWithItsLine(t *testing.T) {
	bad := writeFile(t, "overlap.yml", "adr:\n  templete: madr\nteam:\n  timezone: Europe/Londn\nreviews:\n  first_response: 4x\n")
	code, out, errOut := runCmd(t, "config", "check", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (stderr %q)", code, errOut)
	}
	want := []string{
		bad + `:2:3: adr.templete: unknown key "templete" (hint: did you mean "template"?)`,
		bad + `:4:13: team.timezone: unknown time zone "Europe/Londn" (hint: use an IANA name such as Europe/London)`,
		bad + `:6:19: reviews.first_response: bad duration "4x": use a number and a unit: m, h, d or w, e.g. 4h or 90d`,
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
	if !strings.Contains(errOut, "3 problem(s)") {
		t.Errorf("stderr should count the problems: %q", errOut)
	}

	good := writeFile(t, "overlap.yml", "adr:\n  template: madr\n")
	code, out, _ = runCmd(t, "config", "check", good)
	if code != 0 || !strings.Contains(out, "valid") || !strings.Contains(out, "(madr)") {
		t.Errorf("valid file: exit %d, output:\n%s", code, out)
	}
}

func TestServeRefusesBadConfigWithOneLinePerProblem(t *testing.T) {
	for _, k := range []string{"OVERLAP_GITHUB_APP_INTEGRATION_ID", "OVERLAP_GITHUB_APP_WEBHOOK_SECRET", "OVERLAP_GITHUB_APP_PRIVATE_KEY", "OVERLAP_GITHUB_APP_PRIVATE_KEY_PATH", "OVERLAP_QUEUE_WORKERS"} {
		t.Setenv(k, "")
	}
	t.Setenv("OVERLAP_QUEUE_WORKERS", "many")
	code, _, errOut := runCmd(t, "serve")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{"OVERLAP_QUEUE_WORKERS", "integration_id", "webhook_secret", "private_key"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("error output lacks %q:\n%s", want, errOut)
		}
	}
	if n := strings.Count(strings.TrimSpace(errOut), "\n"); n < 3 {
		t.Errorf("want one line per problem, got:\n%s", errOut)
	}
}

func TestUsageErrors(t *testing.T) {
	if code, _, _ := runCmd(t); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
	if code, _, errOut := runCmd(t, "frobnicate"); code != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "sweep"); code != 2 || !strings.Contains(errOut, "--once is required") {
		t.Errorf("sweep without --once: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, "replay", "x.json"); code != 2 || !strings.Contains(errOut, "--event") {
		t.Errorf("replay without --event: exit %d, %q", code, errOut)
	}
	if code, out, _ := runCmd(t, "version"); code != 0 || !strings.HasPrefix(out, "overlap ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}

// pointAt configures the process environment to use the world's fake GitHub.
func pointAt(t *testing.T, w *sandbox.World) {
	t.Setenv("OVERLAP_GITHUB_V3_API_URL", w.Fake.URL()+"/")
	t.Setenv("OVERLAP_GITHUB_V4_API_URL", w.Fake.URL()+"/graphql")
	t.Setenv("OVERLAP_GITHUB_WEB_URL", "https://github.com")
	t.Setenv("OVERLAP_GITHUB_APP_INTEGRATION_ID", "1001")
	t.Setenv("OVERLAP_GITHUB_APP_WEBHOOK_SECRET", "s3cret")
	t.Setenv("OVERLAP_GITHUB_APP_PRIVATE_KEY", string(w.Fake.AppPrivateKeyPEM()))
	t.Setenv("OVERLAP_GITHUB_APP_PRIVATE_KEY_PATH", "")
	t.Setenv("OVERLAP_LOGGING_LEVEL", "warn")
	t.Setenv("OVERLAP_LOGGING_FORMAT", "json")
}

func TestReplayDryRunPrintsTheWriteAndWritesNothing(t *testing.T) {
	w, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	pointAt(t, w)
	w.AddRepo("api", map[string]string{"README.md": "# api\n"})
	w.Fake.Commit(sandbox.Org, "api", "policy", githubfake.CommitSpec{Message: "policy", Author: "alice", Files: map[string]string{".github/overlap.yml": "adr:\n  template: nope\n"}})
	n := w.Fake.OpenPR(sandbox.Org, "api", githubfake.PRSpec{Title: "Policy", Author: "alice", Head: "policy"})
	payload, err := w.PREvent("opened", "api", n)
	if err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, "delivery.json", string(payload))
	w.Fake.ResetCalls()
	before := stateWrites(w)

	code, out, errOut := runCmd(t, "replay", file, "--event", "pull_request", "--dry-run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "[dry-run] check.create acme/api Overlap config@") || !strings.Contains(out, "failure: 1 problem in .github/overlap.yml") {
		t.Errorf("output should show the intended check run:\n%s", out)
	}
	if !strings.HasSuffix(strings.TrimSpace(out), "1 writes") {
		t.Errorf("output should end with the write count:\n%s", out)
	}
	if after := stateWrites(w); after != before {
		t.Errorf("dry run sent %d write(s) to GitHub", after-before)
	}
	if v := w.Fake.Violations(); len(v) > 0 {
		t.Errorf("violations: %v", v)
	}
}

func TestSweepOnceAtAnInstant(t *testing.T) {
	w, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	pointAt(t, w)
	w.AddRepo("api", map[string]string{"README.md": "# api\n"})
	code, out, errOut := runCmd(t, "sweep", "--once", "--dry-run", "--at", "2026-11-27T15:00:00Z")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "writes at 2026-11-27T15:00:00Z") {
		t.Errorf("output:\n%s", out)
	}
	if code, _, errOut := runCmd(t, "sweep", "--once", "--at", "Friday"); code != 2 || !strings.Contains(errOut, "RFC 3339") {
		t.Errorf("bad --at: exit %d %q", code, errOut)
	}
}

// stateWrites counts write requests that change GitHub's state (minting an
// installation token is a POST that does not).
func stateWrites(w *sandbox.World) int {
	n := 0
	for _, wr := range w.Fake.Writes() {
		if !strings.HasSuffix(wr.Route, "/access_tokens") {
			n++
		}
	}
	return n
}
