package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/overlaphq/overlap/app"
	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/internal/clock"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
	"github.com/overlaphq/overlap/internal/sandbox"
)

// parseInterleaved parses flags that may come before or after positional
// arguments ("replay FILE --event TYPE") and returns the positionals.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// loadServer reads the server config and builds the root logger.
func loadServer(path string, stderr io.Writer) (*config.Server, app.Options, error) {
	cfg, err := config.LoadServer(path, os.Getenv)
	if err != nil {
		return nil, app.Options{}, fmt.Errorf("configuration is not valid:\n%w", err)
	}
	logger, err := app.NewLogger(stderr, cfg.Logging.Level, cfg.Logging.Format)
	if err != nil {
		return nil, app.Options{}, err
	}
	return cfg, app.Options{Logger: logger, Features: app.DefaultFeatures()}, nil
}

// printingApp starts an app for a one-shot command (sweep, replay) that
// prints every write it makes, or would make with dryRun, and counts them.
func printingApp(ctx context.Context, cfgPath string, dryRun bool, clk clock.Clock, stdout, stderr io.Writer) (*app.App, *int, error) {
	cfg, opts, err := loadServer(cfgPath, stderr)
	if err != nil {
		return nil, nil, err
	}
	if dryRun {
		cfg.Server.DryRun = true
	}
	opts.Clock = clk
	n := new(int)
	opts.OnWrite = func(w gh.Write) {
		*n++
		fmt.Fprintln(stdout, w.String())
	}
	a, err := app.New(ctx, cfg, opts)
	return a, n, err
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	cfgPath := fs.String("config", "", "server config file (YAML); env OVERLAP_* overrides it")
	scheduler := fs.String("scheduler", "", "run sweeps on a schedule in this process (true/false; default from scheduler.enabled)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return usageError{err.Error()}
	}
	cfg, opts, err := loadServer(*cfgPath, stderr)
	if err != nil {
		return err
	}
	runScheduler := cfg.Scheduler.Enabled
	switch *scheduler {
	case "":
	case "true", "1":
		runScheduler = true
	case "false", "0":
		runScheduler = false
	default:
		return usageError{fmt.Sprintf("--scheduler=%q: use true or false", *scheduler)}
	}
	a, err := app.New(ctx, cfg, opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Server.Address)
	if err != nil {
		return fmt.Errorf("listen on %s (server.address): %w", cfg.Server.Address, err)
	}
	return a.Serve(ctx, ln, runScheduler)
}

func cmdSweep(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sweep", stderr)
	cfgPath := fs.String("config", "", "server config file (YAML)")
	once := fs.Bool("once", false, "run every sweep once and exit (required; `serve` runs them on a schedule)")
	at := fs.String("at", "", "evaluate as if at this instant (RFC 3339, e.g. 2026-11-27T15:00:00Z)")
	dry := fs.Bool("dry-run", false, "print the writes instead of making them")
	only := fs.String("only", "", "comma-separated sweeps to run (default: all)")
	shard := fs.String("shard", "", "i/n: sweep only installations of shard i of n (default: $JOB_COMPLETION_INDEX/$OVERLAP_SWEEP_SHARDS in an Indexed Job)")
	redeliver := fs.Duration("redeliver", 0, "also redeliver the app's failed webhook deliveries of this long ago (e.g. 2h; 0 = no)")
	recent := fs.Bool("recent", false, "reconcile only what changed in each feature's last two intervals (a scheduled pass); default: everything open (a full pass)")
	if _, err := parseInterleaved(fs, args); err != nil {
		return usageError{err.Error()}
	}
	if !*once {
		return usageError{"--once is required (use `overlap serve` for scheduled sweeps)"}
	}
	shardI, shardN, err := parseShard(*shard, os.Getenv)
	if err != nil {
		return usageError{err.Error()}
	}
	if *redeliver < 0 || *redeliver > app.DeliveryRetention {
		return usageError{fmt.Sprintf("--redeliver %s: want 0 to %s (GitHub's delivery retention)", *redeliver, app.DeliveryRetention)}
	}
	now := time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return usageError{fmt.Sprintf("--at %q: want RFC 3339, e.g. 2026-11-27T15:00:00Z", *at)}
		}
		now = t
	}
	a, n, err := printingApp(ctx, *cfgPath, *dry, clock.At(now), stdout, stderr)
	if err != nil {
		return err
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	// Each run starts at a different repository (spread by the minute it
	// starts), so a Job cut short by its deadline does not starve the same
	// tail every time.
	err = a.Sweep(ctx, app.SweepOptions{At: now, Only: names, Shard: shardI, Shards: shardN, Recent: *recent, Rotate: app.RotationFor(now.Unix() / 60)})
	if *redeliver > 0 && shardI == 0 && !*dry {
		rep, rerr := a.RedeliverFailed(ctx, time.Now().Add(-*redeliver))
		fmt.Fprintf(stdout, "redelivery: %d deliveries listed, %d events failed, %d redelivered, %d skipped\n", rep.Listed, rep.Failed, rep.Redelivered, rep.Skipped)
		err = errors.Join(err, rerr)
	}
	fmt.Fprintf(stdout, "%d writes at %s\n", *n, now.UTC().Format(time.RFC3339))
	return err
}

// parseShard reads --shard i/n, or, when it is empty, a Kubernetes Indexed
// Job's JOB_COMPLETION_INDEX with OVERLAP_SWEEP_SHARDS (the Job's
// completions). No shard at all is 0/1: every installation.
func parseShard(flag string, getenv func(string) string) (int, int, error) {
	if flag == "" {
		idx, shards := getenv("JOB_COMPLETION_INDEX"), getenv("OVERLAP_SWEEP_SHARDS")
		if idx == "" || shards == "" {
			return 0, 1, nil
		}
		flag = idx + "/" + shards
	}
	a, b, ok := strings.Cut(flag, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("shard %q: want i/n with 0 <= i < n, e.g. 2/8", flag)
	}
	return i, n, nil
}

func cmdReplay(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("replay", stderr)
	cfgPath := fs.String("config", "", "server config file (YAML)")
	event := fs.String("event", "", "the X-GitHub-Event of the payload (pull_request, issue_comment, ...)")
	dry := fs.Bool("dry-run", false, "print the writes instead of making them")
	delivery := fs.String("delivery", "replay", "delivery id to log")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError{err.Error()}
	}
	if len(pos) != 1 || *event == "" {
		return usageError{"usage: overlap replay FILE --event TYPE [--config FILE] [--dry-run]"}
	}
	payload, err := os.ReadFile(pos[0])
	if err != nil {
		return fmt.Errorf("read payload: %w", err)
	}
	a, n, err := printingApp(ctx, *cfgPath, *dry, nil, stdout, stderr)
	if err != nil {
		return err
	}
	err = a.Deliver(ctx, *event, *delivery, payload)
	fmt.Fprintf(stdout, "%d writes\n", *n)
	return err
}

func cmdSandbox(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sandbox", stderr)
	verbose := fs.Bool("verbose", false, "also print Overlap's own logs")
	if _, err := parseInterleaved(fs, args); err != nil {
		return usageError{err.Error()}
	}
	logs := io.Discard
	if *verbose {
		logs = stderr
	}
	return sandbox.Run(ctx, stdout, logs)
}

func cmdConfigCheck(args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return usageError{"usage: overlap config check FILE"}
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return fmt.Errorf("read policy: %w", err)
	}
	p, problems := config.Parse(args[0], data)
	if len(problems) > 0 {
		for _, pr := range problems {
			fmt.Fprintln(stdout, pr.Error())
		}
		return fmt.Errorf("%s: %d problem(s)", args[0], len(problems))
	}
	fmt.Fprintf(stdout, "%s: valid\n", args[0])
	for _, line := range config.Describe(p) {
		fmt.Fprintln(stdout, "  "+line)
	}
	// config.Describe already gave the team's line; add the people and the
	// overlap window.
	for _, line := range roster.Describe(p, time.Now())[1:] {
		fmt.Fprintln(stdout, "  "+line)
	}
	return nil
}

func cmdCalendar(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("calendar", stderr)
	path := fs.String("config", ".github/overlap.yml", "policy file with a team: block")
	if _, err := parseInterleaved(fs, args); err != nil {
		return usageError{err.Error()}
	}
	data, err := os.ReadFile(*path)
	if err != nil {
		return fmt.Errorf("read policy: %w", err)
	}
	p, problems := config.Parse(*path, data)
	if len(problems) > 0 {
		return problems
	}
	for _, line := range roster.Describe(p, time.Now()) {
		fmt.Fprintln(stdout, line)
	}
	return nil
}

func versionString() string {
	v := app.Version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	return "overlap " + v
}
