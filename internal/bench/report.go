package bench

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
)

// The report lives between these markers; a run replaces what is there.
const (
	StartMarker = "<!-- bench:start -->"
	EndMarker   = "<!-- bench:end -->"
)

// Section headings of the report (the test looks for each).
const (
	HeadIngestion = "### Ingestion"
	HeadEconomy   = "### API economy"
	HeadBurst     = "### Burst"
	HeadSweeps    = "### Sweep scaling"
)

func ms(d time.Duration) string {
	switch {
	case d >= 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
	}
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Markdown renders the report, markers included.
func (r *Report) Markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	kind := "full run"
	if r.Quick {
		kind = "quick run (`--quick`: short levels, small burst, no 1,000-repository sweep)"
	}
	p("%s\n", StartMarker)
	p("## Benchmark (`go run ./cmd/overlap bench`)\n\n")
	p("Written by `go run ./cmd/overlap bench` (%s, %s, %s in all); do not edit between the markers, the next run replaces it.\n", kind, r.Span.Start.UTC().Format("2006-01-02 15:04 UTC"), r.Span.Took().Round(time.Second))
	p("The real app (every default feature, production queue, body budget and info-level JSON logs to a discarded writer) and the emulator\n")
	p("run in one process on loopback with the senders, so they share the cores; GitHub's own latency is not in the ingestion figures.\n\n")
	p("Machine: %s. Load average (1, 5, 15 min) %s at start, %s at the end; each table gives the 1-minute load around its figures.\n\n", r.Machine, r.Span.LoadStart, r.Span.LoadEnd)

	if in := r.Ingestion; in != nil {
		p("%s\n\n", HeadIngestion)
		p("Signed `pull_request.assigned` deliveries (%s bytes, GitHub's shape from `internal/githubfake/webhook`) on unlabelled PRs of %d repositories\n", thousands(in.PayloadBytes), in.Repos)
		p("without a policy — an event no feature acts on, once the policy is cached (warmed by one delivery per repository) — from N senders\n")
		p("over kept-alive connections; latency is from sending to the 202. RSS is the whole process (app, emulator and senders).\n")
		p("Target (issue 9): ≥ 5,000/s on 2 cores with p99 < 20 ms and no 503 at 16 senders.\n\n")
		p("| senders | deliveries | acknowledged/s | ack p50 | ack p99 | max | 503 | other | GitHub calls | RSS (peak) | load |\n")
		p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, l := range in.Levels {
			p("| %d | %s | %s | %s | %s | %s | %d | %d | %d | %s (%s) | %s |\n", l.Senders, thousands(l.Sent), thousands(int(l.PerSecond+0.5)),
				ms(l.P50), ms(l.P99), ms(l.Max), l.Refused503, l.Other, l.GitHubCalls, mib(l.Memory.RSS), mib(l.Memory.HWM), l.Span.LoadNote())
		}
		for _, l := range in.Levels {
			if l.Senders != 16 {
				continue
			}
			ok := l.PerSecond >= 5000 && l.P99 < 20*time.Millisecond && l.Refused503 == 0
			verdict := "meets"
			if !ok {
				verdict = "misses"
			}
			p("\nAt 16 senders this run %s the target (%s/s, p99 %s, %d × 503).\n", verdict, thousands(int(l.PerSecond+0.5)), ms(l.P99), l.Refused503)
		}
		if in.Profile != "" {
			p("A CPU profile of these levels was written to `%s`.\n", in.Profile)
		}
		p("\n")
	}

	if e := r.Economy; e != nil {
		p("%s\n\n", HeadEconomy)
		p("Each row is a fresh app and installation (no token, nothing cached) with every feature on; the main event of one feature is\n")
		p("delivered, then a like event on a second PR of the same installation, then the first delivery again (same GUID and payload),\n")
		p("then `pull_request.assigned` on the first PR (no feature acts on it). Counted at the emulator: *rate-limited* are the requests\n")
		p("made with the installation's token that GitHub charges (304s are free and counted apart); token mints and other App (JWT)\n")
		p("requests are charged to the App, not the installation. Cells read rate-limited (GraphQL) / mints / 304s / writes. %s.\n\n", e.Span.LoadNote())
		p("| feature | main event | first, fresh installation | second event | redelivery | no-op |\n")
		p("|---|---|---|---|---|---|\n")
		cell := func(c Cost) string {
			s := fmt.Sprintf("%d (%d) / %d / %d / %d", c.RateLimited, c.GraphQL, c.Mints, c.NotModified, c.Writes)
			if c.AppOther > 0 {
				s += fmt.Sprintf(" +%d app", c.AppOther)
			}
			return s
		}
		for _, row := range e.Rows {
			p("| %s | %s | %s | %s | %s | %s |\n", row.Feature, row.Event, cell(row.First), cell(row.Second), cell(row.Redelivery), cell(row.NoOp))
		}
		p("\nRequests of the first event, by route:\n\n")
		for _, row := range e.Rows {
			p("- %s: %s\n", row.Feature, row.First.routes())
		}
		p("\n")
	}

	if bu := r.Burst; bu != nil {
		p("%s\n\n", HeadBurst)
		p("%s signed deliveries from %d senders while every GitHub request takes %s (`Fake.SetLatency`): `pull_request.assigned` on an\n", thousands(bu.Deliveries), bu.Senders, ms(bu.Latency))
		p("unlabelled PR, with a redelivery of one of five labelled decision PRs every 600th (as `TestBurstOf3000DeliveriesAt300msIsAbsorbed`).\n")
		p("Queue: %d workers, %s jobs. Peak depth is `overlap_queue_depth` sampled every 5 ms. %s.\n\n", bu.Workers, thousands(bu.QueueSize), bu.Span.LoadNote())
		p("| deliveries | accepted | 503 | other | sent in | drain after the last 202 | peak queue depth | GitHub calls | outcomes present |\n")
		p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		p("| %s | %s | %d | %d | %s | %s | %d | %d | %d of %d |\n\n", thousands(bu.Deliveries), thousands(bu.Accepted), bu.Refused503, bu.Other,
			ms(bu.SendTime), ms(bu.Drain), bu.PeakDepth, bu.GitHubCalls, bu.Outcomes, bu.Expected)
	}

	if sw := r.Sweeps; sw != nil {
		p("%s\n\n", HeadSweeps)
		p("`App.SweepOnce` (every feature, one installation, repositories one after another) over N repositories, each with a policy naming\n")
		p("a runbook set, %d runbooks (one past its age) and %d open PRs (one changing what the stale runbook covers, one saying \"We ship\n", sw.DocsPerRepo, sw.PRsPerRepo)
		p("Friday EOD.\"). *First* is the first sweep after start (it converges: writes), run without latency since its counts do not depend on\n")
		p("it; *quiet* is the next one, nothing changed, with every GitHub request delayed %s. Past %d repositories the quiet sweep runs\n", ms(sw.Latency), sw.MeasuredUpTo)
		p("without latency too, to keep the run to minutes, and its wall time at %s is *projected* (its own wall time + requests × %s),\n", ms(sw.Latency), ms(sw.Latency))
		p("marked ≈. Requests include the installation and repository listings and token mints. Repositories are spread over installations\n")
		p("of %d: one installation's hourly budget (5,000 requests on the emulator; GitHub's ceiling is 12,500) does not pay for two full\n", reposPerInstallation)
		p("sweeps of 1,000 repositories.\n\n")
		p("| repositories | first: requests | GraphQL | writes | quiet: requests | GraphQL | 304s | quiet wall at %s | per repository: requests | wall | load |\n", ms(sw.Latency))
		p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, run := range sw.Runs {
			n := float64(run.Repos)
			wall, mark := run.Quiet.Wall, ""
			if run.Latency == 0 {
				wall, mark = run.Projected, "≈ "
			}
			p("| %s | %s | %s | %s | %s | %s | %s | %s%s | %.1f | %s%s | %s |\n", thousands(run.Repos),
				thousands(run.First.Requests), thousands(run.First.GraphQL), thousands(run.First.Writes),
				thousands(run.Quiet.Requests), thousands(run.Quiet.GraphQL), thousands(run.Quiet.NotModified), mark, ms(wall),
				float64(run.Quiet.Requests)/n, mark, ms(time.Duration(float64(wall)/n)), run.Span.LoadNote())
		}
		p("\n%s\n\n", sw.linearity())
	}
	p("%s\n", EndMarker)
	return b.String()
}

// linearity says whether requests and wall time per repository held
// across sizes.
func (sw *Sweeps) linearity() string {
	if len(sw.Runs) < 2 {
		return ""
	}
	per := func(r SweepRun) (float64, float64, float64) {
		n := float64(r.Repos)
		wall := r.Quiet.Wall
		if r.Latency == 0 {
			wall = r.Projected
		}
		return float64(r.Quiet.Requests) / n, float64(r.First.Requests) / n, wall.Seconds() / n
	}
	lo, hi := sw.Runs[0], sw.Runs[len(sw.Runs)-1]
	q0, f0, w0 := per(lo)
	q1, f1, w1 := per(hi)
	// Fixed costs (listing installations and repositories) amortise, so
	// the per-repository figure may fall; it must not grow.
	linear := q1 <= q0*1.1 && f1 <= f0*1.1
	verdict := "Linear in repositories"
	if !linear {
		verdict = "**Not linear** in repositories"
	}
	return fmt.Sprintf("%s: from %d to %d repositories, requests per repository went from %.1f to %.1f (quiet) and %.1f to %.1f (first), and quiet wall time per repository from %s to %s: the sweep makes its requests one after another, so its wall time is requests × GitHub latency.",
		verdict, lo.Repos, hi.Repos, q0, q1, f0, f1, ms(time.Duration(w0*float64(time.Second))), ms(time.Duration(w1*float64(time.Second))))
}

// WriteSection puts section (with its markers) into the file at path,
// replacing what is between the markers, or appending it when the file
// has none; a missing file is created. The file is read just before it
// is written: others edit the rest of it.
func WriteSection(path, section string) error {
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	section = strings.TrimRight(section, "\n") + "\n"
	var out []byte
	i := bytes.Index(old, []byte(StartMarker))
	j := bytes.Index(old, []byte(EndMarker))
	switch {
	case i >= 0 && j > i:
		rest := old[j+len(EndMarker):]
		rest = bytes.TrimPrefix(rest, []byte("\n"))
		out = append(append(append([]byte{}, old[:i]...), section...), rest...)
	case i >= 0 || j >= 0:
		return fmt.Errorf("%s has only one of the markers %s and %s: fix it by hand", path, StartMarker, EndMarker)
	case len(old) == 0:
		out = []byte(section)
	default:
		out = append(bytes.TrimRight(old, "\n"), "\n\n"...)
		out = append(out, section...)
	}
	return os.WriteFile(path, out, 0o644)
}
