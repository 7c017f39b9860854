package main

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/overlaphq/overlap/internal/sandbox"
)

// TestMain lets a test re-run this binary as the real `overlap` command:
// with OVERLAP_TEST_MAIN set, the process is main() itself, signals and
// exit code included.
func TestMain(m *testing.M) {
	if os.Getenv("OVERLAP_TEST_MAIN") == "1" {
		os.Args = append([]string{"overlap"}, strings.Fields(os.Getenv("OVERLAP_TEST_ARGS"))...)
		main()
		return
	}
	os.Exit(m.Run())
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServeShutsDownCleanlyOnSIGTERM(t *testing.T) {
	w, err := sandbox.Start(sandbox.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(),
		"OVERLAP_TEST_MAIN=1", "OVERLAP_TEST_ARGS=serve --scheduler=false",
		"OVERLAP_SERVER_ADDRESS="+addr,
		"OVERLAP_GITHUB_V3_API_URL="+w.Fake.URL()+"/",
		"OVERLAP_GITHUB_V4_API_URL="+w.Fake.URL()+"/graphql",
		"OVERLAP_GITHUB_WEB_URL=https://github.com",
		fmt.Sprintf("OVERLAP_GITHUB_APP_INTEGRATION_ID=%d", w.Fake.AppID()),
		"OVERLAP_GITHUB_APP_WEBHOOK_SECRET=s3cret",
		"OVERLAP_GITHUB_APP_PRIVATE_KEY="+string(w.Fake.AppPrivateKeyPEM()),
		"OVERLAP_GITHUB_APP_PRIVATE_KEY_PATH=",
		"OVERLAP_LOGGING_FORMAT=json",
	)
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "/readyz", func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("overlap serve exited with %v after SIGTERM; logs:\n%s", err, logs.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("overlap serve did not exit after SIGTERM; logs:\n%s", logs.String())
	}
	for _, want := range []string{"GitHub App credentials verified", "Overlap is serving", "shutting down", "shutdown complete"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, logs.String())
		}
	}
	if strings.Contains(logs.String(), "s3cret") || strings.Contains(logs.String(), "PRIVATE KEY") {
		t.Error("a secret reached the logs")
	}
}

func TestCalendarCommandPrintsTheOverlapWindow(t *testing.T) {
	p := writeFile(t, "overlap.yml", "team:\n  timezone: Europe/London\n  people:\n    alice: {timezone: America/New_York}\n")
	code, out, errOut := runCmd(t, "calendar", "--config", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Team: Europe/London", "alice: America/New_York", "Overlap window", "mon: "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	bad := writeFile(t, "overlap.yml", "team:\n  timezone: Mars/Olympus\n")
	if code, _, errOut := runCmd(t, "calendar", "--config", bad); code != 1 || !strings.Contains(errOut, "unknown time zone") {
		t.Errorf("bad zone: exit %d, %q", code, errOut)
	}
}
