// Command overlap runs the Overlap GitHub App: the webhook server, sweeps,
// delivery replays, a local sandbox, and policy checks. The work is done in
// package app; this file only parses arguments.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `overlap — remote-team habits, enforced and supported on GitHub

Usage:
  overlap serve   [--config FILE] [--scheduler=false]      run the webhook server (and sweeps)
  overlap sweep   --once [--config FILE] [--at RFC3339] [--dry-run] [--only NAME,...]
                  [--shard i/n] [--recent] [--redeliver 2h]
                                                           run every sweep once (one shard) and print the writes
  overlap redeliver [--config FILE] [--since 6h]           send GitHub's failed deliveries of the app again, once each
  overlap replay  FILE --event TYPE [--config FILE] [--dry-run]
                                                           send one saved delivery through the handlers
  overlap sandbox [--verbose]                              run Overlap against an in-memory GitHub and show what it does
  overlap config check FILE                                validate a policy file (.github/overlap.yml)
  overlap bench   [--quick] [--out FILE] [--cpuprofile FILE]
                                                           measure the app against the emulator; write docs/performance.md
  overlap calendar --config FILE                           print a policy's team calendar and overlap window
  overlap version                                          print the version

Every server setting can be set by an OVERLAP_<SECTION>_<KEY> environment
variable; see config.example.yml.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code: 0 on
// success, 1 when the command failed, 2 for a usage error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = cmdServe(ctx, args[1:], stdout, stderr)
	case "sweep":
		err = cmdSweep(ctx, args[1:], stdout, stderr)
	case "replay":
		err = cmdReplay(ctx, args[1:], stdout, stderr)
	case "redeliver":
		err = cmdRedeliver(ctx, args[1:], stdout, stderr)
	case "sandbox":
		err = cmdSandbox(ctx, args[1:], stdout, stderr)
	case "bench":
		err = cmdBench(ctx, args[1:], stdout, stderr)
	case "config":
		if len(args) < 2 || args[1] != "check" {
			fmt.Fprint(stderr, "usage: overlap config check FILE\n")
			return 2
		}
		err = cmdConfigCheck(args[2:], stdout, stderr)
	case "calendar":
		err = cmdCalendar(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, versionString())
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "overlap: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	var uerr usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &uerr):
		fmt.Fprintf(stderr, "overlap %s: %v\n", args[0], err)
		return 2
	case errors.Is(err, flag.ErrHelp):
		return 0
	default:
		fmt.Fprintf(stderr, "overlap %s: %v\n", args[0], err)
		return 1
	}
}

// usageError marks a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }
