package adr

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name, body string
		want       *Command
	}{
		{"skip with reason", "/adr skip dependency bump", &Command{Name: "skip", Args: "dependency bump", Line: 1}},
		{"case-insensitive", "/ADR Skip Just a rename", &Command{Name: "skip", Args: "Just a rename", Line: 1}},
		{"later line", "Thanks!\n\n/adr skip only tests changed\nbye", &Command{Name: "skip", Args: "only tests changed", Line: 3}},
		{"up to three spaces", "   /adr skip x", &Command{Name: "skip", Args: "x", Line: 1}},
		{"CRLF", "hi\r\n/adr skip x\r\n", &Command{Name: "skip", Args: "x", Line: 2}},
		{"no reason", "/adr skip", &Command{Name: "skip", Line: 1}},
		{"bare /adr", "/adr", &Command{Line: 1}},
		{"future command", "/adr new Use Kafka", &Command{Name: "new", Args: "Use Kafka", Line: 1}},
		{"after a closed fence", "```\n/adr skip no\n```\n/adr skip yes", &Command{Name: "skip", Args: "yes", Line: 4}},
		{"mid-line", "please /adr skip this", nil},
		{"quote", "> /adr skip quoted", nil},
		{"nested quote", "> > /adr skip quoted", nil},
		{"fenced code", "```sh\n/adr skip in code\n```", nil},
		{"tilde fence", "~~~\n/adr skip in code\n~~~", nil},
		{"unclosed fence", "```\n/adr skip in code", nil},
		{"indented code", "Example:\n\n    /adr skip in code", nil},
		{"tab-indented code", "\t/adr skip in code", nil},
		{"inline code", "`/adr skip in code`", nil},
		{"inline code over two lines", "Type `this\n/adr skip x` to skip", nil},
		{"html comment", "<!--\n/adr skip hidden\n-->", nil},
		{"glued", "/adrskip x", nil},
		{"other slash command", "/lgtm", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := ParseCommand(context.Background(), tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if ok {
					t.Errorf("ParseCommand found %+v, want none", got)
				}
				return
			}
			if !ok || got != *tt.want {
				t.Errorf("ParseCommand = %+v, %v; want %+v", got, ok, *tt.want)
			}
		})
	}
}

func TestDecideCommand(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		writer    bool
		wantSkip  *Skip
		wantReply string
	}{
		{"writer skips", "/adr skip only CI config", true, &Skip{By: "bob", Reason: "only CI config"}, ""},
		{"reason required", "/adr skip", true, nil, "needs a reason"},
		{"reason required, spaces only", "/adr skip    ", true, nil, "needs a reason"},
		{"non-writer refused", "/adr skip trust me", false, nil, "write access"},
		{"unknown command lists usage", "/adr frobnicate", true, nil, "/adr skip <reason>"},
		{"bare command lists usage", "/adr", true, nil, "/adr skip <reason>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok, err := ParseCommand(context.Background(), tt.body)
			if err != nil || !ok {
				t.Fatalf("no command in %q", tt.body)
			}
			got := DecideCommand(c, "bob", tt.writer)
			if (got.Skip == nil) != (tt.wantSkip == nil) || got.Skip != nil && *got.Skip != *tt.wantSkip {
				t.Errorf("Skip = %+v, want %+v", got.Skip, tt.wantSkip)
			}
			if tt.wantReply == "" && got.Reply != "" || !strings.Contains(got.Reply, tt.wantReply) {
				t.Errorf("Reply = %q, want it to contain %q", got.Reply, tt.wantReply)
			}
		})
	}
	if !NeedsWriter(Command{Name: "skip"}) || NeedsWriter(Command{Name: "nope"}) {
		t.Error("NeedsWriter: skip needs write access, unknown commands do not")
	}
}

func TestSkipAction(t *testing.T) {
	if len(skipAction.Label) > 20 || len(skipAction.Identifier) > 20 || len(skipAction.Description) > 40 {
		t.Errorf("button %+v exceeds GitHub's limits (20/20/40)", skipAction)
	}
	s, ok := SkipFromAction(skipAction.Identifier, "carol")
	if !ok || s.By != "carol" || s.Reason == "" {
		t.Errorf("SkipFromAction(button) = %+v, %v", s, ok)
	}
	if _, ok := SkipFromAction("something-else", "carol"); ok {
		t.Error("another identifier must not skip")
	}
}

func TestSkipCandidatesLatestFirstIgnoringBotsQuotesAndEmptyReasons(t *testing.T) {
	got, err := SkipCandidates(context.Background(), []CommandComment{
		{ID: 1, Author: "carol", Body: "/adr skip bump"},
		{ID: 2, Author: "overlap[bot]", Bot: true, Body: "/adr skip quoted by the app"},
		{ID: 3, Author: "dave", Body: "> /adr skip quoted\n\n/adr skip"},
		{ID: 4, Author: "rita", Body: "lgtm\n/ADR skip docs only"},
		{ID: 5, Author: "erin", Body: "/adr new"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Skip{{By: "rita", Reason: "docs only", CommentID: 4}, {By: "carol", Reason: "bump", CommentID: 1}}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("candidate %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

// A cancelled event (shutdown, a worker's deadline) stops reading a
// hostile body instead of holding the worker: the caller gets ctx's error,
// never a half-read command.
func TestParseCommandStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	body := strings.Repeat("text\n", 10000) + "/adr skip late"
	if c, ok, err := ParseCommand(ctx, body); !errors.Is(err, context.Canceled) || ok {
		t.Errorf("ParseCommand(cancelled) = %+v, %v, %v; want context.Canceled", c, ok, err)
	}
	if _, err := SkipCandidates(ctx, []CommandComment{{ID: 1, Author: "carol", Body: body}}); !errors.Is(err, context.Canceled) {
		t.Errorf("SkipCandidates(cancelled) err = %v, want context.Canceled", err)
	}
}

// The one-pass reading of a command line agrees with the line pattern it
// replaces, including the odd answers for form feeds and glued names.
func TestMatchCommandAgreesWithThePattern(t *testing.T) {
	for _, line := range []string{
		"/adr", "/adr ", "/ADR Skip  a  b \t", "   /adr\tskip\tx", "/adrskip", "/adr \fx", "/adr skip\freason",
		"/adr skip\rr", "/adr\u00a0skip", "/adr skip\u00a0", "/adr \t ", "/adr s\vk x", "  /adr  new   Use Kafka  ",
	} {
		got, at, ok := matchCommand(line)
		m := commandLine.FindStringSubmatchIndex(line)
		if ok != (m != nil) {
			t.Errorf("%q: matched %v, the pattern %v", line, ok, m != nil)
			continue
		}
		if m == nil {
			continue
		}
		want := Command{}
		if m[4] >= 0 {
			want.Name = strings.ToLower(line[m[4]:m[5]])
		}
		if m[6] >= 0 {
			want.Args = strings.TrimSpace(line[m[6]:m[7]])
		}
		if got != want || at != m[2] {
			t.Errorf("%q: got %+v at %d, the pattern gives %+v at %d", line, got, at, want, m[2])
		}
	}
}
