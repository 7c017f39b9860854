package adr

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
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

var commandLine = regexp.MustCompile(`(?i)^ {0,3}/adr(?:[ \t]+(\S+))?(?:[ \t]+(.*?))?[ \t]*$`)

// ParseCommand finds the first `/adr` command in a comment body. A command
// counts only at the start of a line (up to three spaces of indent), and
// never inside fenced or indented code blocks, inline code spans, HTML
// comments or `>` quotes, so quoting someone's command does not run it.
// Matching is case-insensitive.
func ParseCommand(body string) (Command, bool) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	fence := ""
	inComment := false
	openTicks := 0 // length of an unclosed inline code span carried over from earlier lines
	prevBlank := true
	for i, text := range strings.Split(body, "\n") {
		blank := strings.TrimSpace(text) == ""
		switch {
		case fence != "":
			if t := strings.TrimSpace(text); strings.HasPrefix(t, fence) && strings.Trim(t, fence[:1]) == "" {
				fence = ""
			}
			prevBlank = blank
			continue
		case inComment:
			if j := strings.Index(text, "-->"); j >= 0 {
				inComment = false
			}
			prevBlank = blank
			continue
		case fenceOpen.MatchString(text):
			fence = fenceOpen.FindStringSubmatch(text)[1]
			prevBlank = false
			continue
		case blank:
			openTicks = 0 // code spans do not cross paragraphs
			prevBlank = true
			continue
		case prevBlank && isIndentedCode(text):
			continue // stays "blank-preceded": the next indented line is code too
		}
		inSpan := openTicks > 0
		openTicks = scanTicks(text, openTicks)
		if strings.Contains(htmlComment.ReplaceAllString(text, ""), "<!--") {
			inComment = true
		}
		prevBlank = false
		if inSpan {
			continue
		}
		m := commandLine.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		return Command{Name: strings.ToLower(m[1]), Args: strings.TrimSpace(m[2]), Line: i + 1}, true
	}
	return Command{}, false
}

func isIndentedCode(s string) bool {
	return strings.HasPrefix(s, "    ") || strings.HasPrefix(s, "\t")
}

// scanTicks follows backtick runs through a line: open is the length of the
// run that opened a still-unclosed code span (0 if none); the result is the
// same after the line.
func scanTicks(s string, open int) int {
	for i := 0; i < len(s); {
		if s[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		n := j - i
		switch {
		case open == 0:
			open = n
		case open == n:
			open = 0
		}
		i = j
	}
	return open
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
