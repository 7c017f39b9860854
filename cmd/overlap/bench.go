package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/overlaphq/overlap/internal/bench"
)

// cmdBench runs the end-to-end benchmark (internal/bench) and writes its
// report between the bench markers of docs/performance.md (or --out).
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", stderr)
	out := fs.String("out", "docs/performance.md", "file whose bench section (between <!-- bench:start --> and <!-- bench:end -->) is replaced; `-` prints it")
	quick := fs.Bool("quick", false, "a short run (seconds): short ingestion levels, a 600-delivery burst, sweeps over 10 and 100 repositories")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingestion levels to this file")
	only := fs.String("only", "", "run only these parts, comma-separated: ingestion, economy, burst, sweeps (use with --out -)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	var parts []string
	if *only != "" {
		for _, p := range strings.Split(*only, ",") {
			switch p = strings.TrimSpace(p); p {
			case "ingestion", "economy", "burst", "sweeps":
				parts = append(parts, p)
			default:
				return usageError{fmt.Sprintf("--only %q: want ingestion, economy, burst or sweeps", p)}
			}
		}
		if *out != "-" {
			return usageError{"--only writes a partial report: use it with --out -"}
		}
	}
	start := time.Now()
	r, err := bench.Run(ctx, bench.Options{Quick: *quick, CPUProfile: *cpuProfile, Only: parts, Progress: func(format string, a ...any) {
		fmt.Fprintf(stderr, "[%5.1fs] "+format+"\n", append([]any{time.Since(start).Seconds()}, a...)...)
	}})
	if err != nil {
		return err
	}
	md := r.Markdown()
	if *out == "-" {
		_, err := io.WriteString(stdout, md)
		return err
	}
	if err := bench.WriteSection(*out, md); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "bench: wrote the report to %s (%s)\n", *out, time.Since(start).Round(time.Second))
	return nil
}
