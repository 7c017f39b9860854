package adr

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/overlaphq/overlap/internal/markdown"
)

// Command is one `/adr <name> [args]` line from a comment.
type Command struct {
	Name string // lower-case subcommand ("skip"); "" for a bare "/adr"
	Args string // the rest of the line, trimmed
	Line int    // 1-based line in the comment body
}

// Skip records that a writer declared the PR not a decision.
type Skip struct {
	By     string `json:"by"`
	Reason string `json:"reason"`
	// CommentID is the `/adr skip` comment the skip came from (0 for the
	// check's button), so editing the command away or deleting the comment
	// takes the skip back.
	CommentID int64 `json:"comment_id,omitempty"`
	// The rest is what the skip was verified against (see skips.go): the
	// head SHA a button press was made on (a later push asks again), and
	// for a command the digest of its comment's body and its last editor
	// when that is not By (the kept skip holds only while the comment is
	// unchanged).
	Head   string `json:"head,omitempty"`
	Digest string `json:"digest,omitempty"`
	Editor string `json:"editor,omitempty"`
}

// CommandResult is what the handler should do for a command.
type CommandResult struct {
	Skip  *Skip  // non-nil: store the skip (sticky comment state) and re-evaluate
	Reply string // non-empty: reply to the comment with this text
}

// commandSpec describes one subcommand; add an entry to commands to add a
// subcommand (e.g. "new").
type commandSpec struct {
	usage  string
	writer bool // only people with write access may run it
	run    func(c Command, by string) CommandResult
}

// commands is the fixed table of subcommands. It is never modified.
var commands = map[string]commandSpec{
	"skip": {
		usage:  "`/adr skip <reason>` — this PR is not a decision; mark the Decision record check as skipped",
		writer: true,
		run: func(c Command, by string) CommandResult {
			if c.Args == "" {
				return CommandResult{Reply: "`/adr skip` needs a reason, so reviewers know why no decision record is needed, e.g. `/adr skip dependency bump, no design change`."}
			}
			return CommandResult{Skip: &Skip{By: by, Reason: c.Args}}
		},
	},
}

var commandLine = regexp.MustCompile(`(?i)^ {0,3}(/adr)(?:[ \t]+(\S+))?(?:[ \t]+(.*?))?[ \t]*$`)

// ParseCommand finds the first `/adr` command in a comment body. A command
// counts only at the start of a line (up to three spaces of indent), and
// never inside fenced or indented code blocks, inline code spans, HTML
// comments or `>` quotes (see package markdown), so quoting someone's
// command does not run it. Matching is case-insensitive.
//
// The body is attacker-sized text (DESIGN.md principle 9): the Markdown
// scan is linear, the line pattern only runs on lines that start with
// "/adr" (after at most three spaces), so a megabyte of anything else costs
// one pass, the lines are visited without building a slice of them
// (markdown.Each), and the scan stops with ctx's error when ctx is done.
func ParseCommand(ctx context.Context, body string) (Command, bool, error) {
	var (
		found Command
		ok    bool
	)
	err := markdown.Each(ctx, body, func(l markdown.Line) bool {
		if l.Quote || !startsCommand(l.Raw) {
			return true
		}
		c, at, match := matchCommand(l.Raw)
		if !match || !l.Prose(at, at+len("/adr")) {
			return true
		}
		c.Line = l.N
		found, ok = c, true
		return false
	})
	if err != nil {
		return Command{}, false, fmt.Errorf("parse /adr command: %w", err)
	}
	return found, ok, nil
}

// maxRegexpLine bounds the rare lines matched with commandLine itself.
const maxRegexpLine = 1 << 16

// matchCommand reads a line that starts with "/adr" as commandLine does,
// and returns where "/adr" starts. Lines made of printable text, spaces and
// tabs — every real command — are read by hand in one pass: the pattern's
// lazy argument group made a megabyte-long "/adr ..." line cost 75 ms.
// Lines with other ASCII whitespace (form feeds, carriage returns), where
// the pattern's backtracking gives odd but established answers, go
// through the pattern, on at most their first 64 KiB (GitHub's cap on a
// comment).
func matchCommand(line string) (Command, int, bool) {
	if strings.ContainsAny(line, "\f\r\n") {
		m := commandLine.FindStringSubmatchIndex(line[:min(len(line), maxRegexpLine)])
		if m == nil {
			return Command{}, 0, false
		}
		var c Command
		if m[4] >= 0 {
			c.Name = strings.ToLower(line[m[4]:m[5]])
		}
		if m[6] >= 0 {
			c.Args = strings.TrimSpace(line[m[6]:m[7]])
		}
		return c, m[2], true
	}
	at := 0
	for at < 3 && line[at] == ' ' {
		at++
	}
	rest := line[at+len("/adr"):]
	var c Command
	if rest == "" {
		return c, at, true
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		return Command{}, 0, false // "/adrskip"
	}
	rest = strings.TrimLeft(rest, " \t")
	end := strings.IndexAny(rest, " \t")
	if end < 0 {
		end = len(rest)
	}
	c.Name = strings.ToLower(rest[:end])
	c.Args = strings.TrimSpace(rest[end:])
	return c, at, true
}

// startsCommand is the cheap test in front of commandLine: up to three
// spaces, then "/adr" in any case.
func startsCommand(line string) bool {
	i := 0
	for i < 3 && i < len(line) && line[i] == ' ' {
		i++
	}
	return len(line)-i >= 4 && strings.EqualFold(line[i:i+4], "/adr")
}

// DecideCommand answers a parsed command from user by, who has write access
// to the repository when isWriter is true (the handler looks that up only
// for commands that need it, see NeedsWriter).
func DecideCommand(c Command, by string, isWriter bool) CommandResult {
	spec, ok := commands[c.Name]
	if !ok {
		what := "Unknown command `/adr " + c.Name + "`."
		if c.Name == "" {
			what = "`/adr` needs a command."
		}
		return CommandResult{Reply: what + " Available:\n" + usage()}
	}
	if spec.writer && !isWriter {
		return CommandResult{Reply: fmt.Sprintf("Thanks @%s! Only people with write access to this repository can use `/adr %s`, so the **%s** check is unchanged. A maintainer can run it for you, or you can add the decision record this PR asks for.", by, c.Name, CheckName)}
	}
	return spec.run(c, by)
}

// NeedsWriter reports whether the command requires write access, so the
// handler spends the permission lookup only when it matters.
func NeedsWriter(c Command) bool {
	return commands[c.Name].writer
}

func usage() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		b.WriteString("- " + commands[n].usage + "\n")
	}
	return b.String()
}

// Identifiers of the check run's button.
const (
	ActionSkipID = "adr-skip"
)

// SkipFromAction turns a check_run.requested_action into a skip when the
// identifier is the skip button's. The handler checks the sender's write
// access as it does for `/adr skip`.
func SkipFromAction(identifier, by string) (*Skip, bool) {
	if identifier != ActionSkipID {
		return nil, false
	}
	return &Skip{By: by, Reason: "marked as not a decision with the check's button"}, true
}

// CommandComment is a PR comment as SkipCandidates reads it.
type CommandComment struct {
	ID     int64
	Author string
	Bot    bool // written by an app (Overlap's own comments quote commands)
	Body   string
}

// SkipCandidates returns the skips the `/adr skip <reason>` commands in
// comments (oldest first, as GitHub lists them) would give, latest first.
// The caller keeps the first whose author has write access. Deriving the
// skip from the commands themselves, not only from the sticky comment's
// state, means a skip survives a second process rewriting the sticky
// comment from a state it read before the skip was stored; and since an
// edited or deleted command no longer appears, taking it back still works.
// A skip from the check's button has no comment to re-derive from: it lives
// only in the sticky comment's state.
//
// Every comment is read (a skip may be the oldest one), each in linear time;
// ctx's error comes back when ctx is done before the last.
func SkipCandidates(ctx context.Context, comments []CommandComment) ([]Skip, error) {
	var out []Skip
	for i := len(comments) - 1; i >= 0; i-- {
		c := comments[i]
		if c.Bot || c.Author == "" {
			continue
		}
		cmd, ok, err := ParseCommand(ctx, c.Body)
		if err != nil {
			return nil, fmt.Errorf("skip candidates: %w", err)
		}
		if !ok || cmd.Name != "skip" {
			continue
		}
		res := commands["skip"].run(cmd, c.Author)
		if res.Skip == nil {
			continue
		}
		res.Skip.CommentID = c.ID
		out = append(out, *res.Skip)
	}
	return out, nil
}
