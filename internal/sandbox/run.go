package sandbox

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/githubfake"
)

// Scene is one feature's short story: it sets up repositories, sends the
// webhooks a team's actions would cause (or runs sweeps at chosen
// instants), and shows what Overlap wrote.
type Scene struct {
	Name  string // the feature, e.g. "configcheck"
	Title string
	Play  func(ctx context.Context, s *Stage) error
}

// scenes are played in order; each feature adds its own.
func scenes() []Scene {
	return []Scene{
		configScene(),
		adrScene(),
		docsScene(),
		reviewsScene(),
		timezonesScene(),
	}
}

// Stage is what a scene plays on: the world plus the narration.
type Stage struct {
	*World
	out io.Writer
}

// Say prints narration (what the team does).
func (s *Stage) Say(format string, args ...any) {
	fmt.Fprintf(s.out, "  · "+format+"\n", args...)
}

// Deliver sends a signed webhook, narrating it.
func (s *Stage) Deliver(ctx context.Context, event string, payload []byte) error {
	status, err := s.Send(ctx, event, "", payload)
	fmt.Fprintf(s.out, "    → webhook %s answered %d\n", event, status)
	return err
}

// ShowComments prints the app's comments on issue or PR number.
func (s *Stage) ShowComments(repo string, number int) {
	for _, c := range s.Fake.Comments(Org, repo, number) {
		if !strings.HasSuffix(c.Author, "[bot]") {
			continue
		}
		fmt.Fprintf(s.out, "    💬 comment by %s on %s#%d:\n", c.Author, repo, number)
		s.block(c.Body)
	}
}

// ShowChecks prints the latest app check run of each name on sha.
func (s *Stage) ShowChecks(repo, sha string) {
	latest := map[string]githubfake.CheckRunInfo{}
	var names []string
	for _, r := range s.Fake.CheckRuns(Org, repo) {
		if r.HeadSHA != sha {
			continue
		}
		if _, ok := latest[r.Name]; !ok {
			names = append(names, r.Name)
		}
		latest[r.Name] = r
	}
	for _, n := range names {
		r := latest[n]
		fmt.Fprintf(s.out, "    ✔ check %q on %s: %s — %s\n", r.Name, sha[:7], strings.ToUpper(r.Conclusion), r.Title)
		s.block(r.Summary)
		for _, a := range r.Annotations {
			fmt.Fprintf(s.out, "        ⚑ %s:%d [%s] %s\n", a.Path, a.StartLine, a.Level, a.Message)
		}
	}
}

// block prints a body indented, without hidden markers, cut to a screenful.
func (s *Stage) block(body string) {
	lines := strings.Split(strings.TrimSpace(body), "\n")
	shown := 0
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "<!--") {
			continue
		}
		if shown == 24 {
			fmt.Fprintf(s.out, "      │ … (%d more lines)\n", len(lines)-shown)
			break
		}
		fmt.Fprintf(s.out, "      │ %s\n", l)
		shown++
	}
}

// Run starts a world with every default feature, plays every scene and
// prints what Overlap wrote, then a table of writes and API calls.
func Run(ctx context.Context, out, logs io.Writer) error {
	logger := zerolog.New(logs).With().Timestamp().Logger()
	var mu sync.Mutex
	var writes []gh.Write
	calls := &gh.Counter{}
	w, err := Start(Options{
		Logger: &logger, Calls: calls,
		OnWrite: func(wr gh.Write) { mu.Lock(); writes = append(writes, wr); mu.Unlock() },
	})
	if err != nil {
		return err
	}
	defer w.Stop()
	fmt.Fprintf(out, "Overlap sandbox — the real app against an in-memory GitHub (%s), org %q\n", w.Fake.URL(), Org)
	fmt.Fprintf(out, "Simulated time starts at %s.\n\n", w.Clock.Now().Format(time.RFC1123))
	stage := &Stage{World: w, out: out}
	type row struct {
		scene        string
		writes, reqs int
	}
	var rows []row
	for i, sc := range scenes() {
		fmt.Fprintf(out, "%d. %s\n", i+1, sc.Title)
		mu.Lock()
		before := len(writes)
		mu.Unlock()
		reqsBefore := calls.Total()
		if err := sc.Play(ctx, stage); err != nil {
			return fmt.Errorf("scene %s: %w", sc.Name, err)
		}
		mu.Lock()
		rows = append(rows, row{sc.Name, len(writes) - before, calls.Total() - reqsBefore})
		mu.Unlock()
		fmt.Fprintln(out)
	}
	if v := w.Fake.Violations(); len(v) > 0 {
		return fmt.Errorf("the emulator saw %d request(s) real GitHub would reject:\n- %s", len(v), strings.Join(v, "\n- "))
	}

	fmt.Fprintln(out, "Writes and API calls by scene")
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  scene\twrites\tAPI calls")
	for _, r := range rows {
		fmt.Fprintf(tw, "  %s\t%d\t%d\n", r.scene, r.writes, r.reqs)
	}
	tw.Flush()
	fmt.Fprintln(out, "\nAPI calls by route")
	byRoute := calls.Calls()
	keys := make([]string, 0, len(byRoute))
	for k := range byRoute {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tw = tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	for _, k := range keys {
		fmt.Fprintf(tw, "  %s\t%d\n", k, byRoute[k])
	}
	tw.Flush()
	fmt.Fprintf(out, "\nEvery request passed the emulator's checks against GitHub's REST operation list, OpenAPI request schemas and GraphQL schema.\n")
	return nil
}
