package weekly

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestParseReply(t *testing.T) {
	for _, c := range []struct {
		name string
		body string
		want Reply
	}{
		{"free text is shipped", "Finished the billing migration.\nAlso fixed the flaky test.", Reply{Shipped: []string{"Finished the billing migration. Also fixed the flaky test."}}},
		{"headings", "## Shipped\n- billing migration\n- flaky test\n\n## Next\n- search\n\n### Blockers\n- waiting on #42 from @bob\n",
			Reply{Shipped: []string{"billing migration", "flaky test"}, Next: []string{"search"}, Blockers: []string{"waiting on #42 from @bob"}}},
		{"bold labels inline", "**Shipped:** billing\n**Next**: search\n**Blockers** — none",
			Reply{Shipped: []string{"billing"}, Next: []string{"search"}}},
		{"bold labels on their own line", "**Shipped**\n* a\n* b\n\n__Next__\n1. c\n2) d\n",
			Reply{Shipped: []string{"a", "b"}, Next: []string{"c", "d"}}},
		{"prefixes", "Shipped: the API\nNext: the web\nBlockers: review of acme/api#7\n",
			Reply{Shipped: []string{"the API"}, Next: []string{"the web"}, Blockers: []string{"review of acme/api#7"}}},
		{"case and synonyms", "DONE: x\nup next: y\nBlocked by: z", Reply{Shipped: []string{"x"}, Next: []string{"y"}, Blockers: []string{"z"}}},
		{"list items under a label in a list", "- **Shipped:** x\n- **Next:** y\n  continued\n- z", Reply{Shipped: []string{"x"}, Next: []string{"y continued", "z"}}},
		{"task boxes", "Next:\n- [ ] one\n- [x] two", Reply{Next: []string{"one", "two"}}},
		{"emoji headings", "## ✅ Shipped\nx\n## 🚧 Blockers?\ny", Reply{Shipped: []string{"x"}, Blockers: []string{"y"}}},
		{"other heading keeps section", "## Next\n- a\n### Details\n- b", Reply{Next: []string{"a", "b"}}},
		{"label in heading with text", "## Blockers: CI is down", Reply{Blockers: []string{"CI is down"}}},
		{"bare word is not a label", "Done the migration", Reply{Shipped: []string{"Done the migration"}}},
		{"code blocks ignored", "Shipped: x\n```\nBlockers: fake\n```\n    Next: indented code? no, paragraph continuation", Reply{Shipped: []string{"x"}}},
		{"fenced only", "```\nShipped: x\n```", Reply{}},
		{"quotes ignored", "> **Blockers:** bob's blocker\n\nShipped: mine", Reply{Shipped: []string{"mine"}}},
		{"inline code is not a label", "`Blockers:` is a word I like", Reply{Shipped: []string{"`Blockers:` is a word I like"}}},
		{"comment is not a label", "<!-- Blockers: -->x", Reply{Shipped: []string{"<!-- Blockers: -->x"}}},
		{"nothing items dropped", "Blockers: none\nNext: N/A", Reply{}},
		{"empty", "", Reply{}},
		{"crlf", "Shipped: a\r\nNext: b\r\n", Reply{Shipped: []string{"a"}, Next: []string{"b"}}},
		{"colon later is text", "Talked to the team about this: good", Reply{Shipped: []string{"Talked to the team about this: good"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseReply(context.Background(), c.body)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("ParseReply(%q)\n got %#v\nwant %#v", c.body, got, c.want)
			}
		})
	}
}

func TestParseReplyCaps(t *testing.T) {
	body := "Next:\n" + strings.Repeat("- x\n", 3*MaxItems) + "Blockers: " + strings.Repeat("é", 3*MaxItemRunes)
	r, err := ParseReply(context.Background(), body)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Next) != MaxItems {
		t.Errorf("%d items, want %d", len(r.Next), MaxItems)
	}
	if b := r.Blockers[0]; len([]rune(b)) != MaxItemRunes+1 || !strings.HasSuffix(b, "…") {
		t.Errorf("item of %d runes", len([]rune(b)))
	}
	huge := strings.Repeat("a", MaxReplyBytes) + "\nBlockers: past the cap"
	if r, _ := ParseReply(context.Background(), huge); len(r.Blockers) != 0 {
		t.Error("text past MaxReplyBytes was read")
	}
}

func TestParseReplyCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ParseReply(ctx, strings.Repeat("Shipped: x\n", 10000)); err == nil {
		t.Error("a cancelled context must stop the parse")
	}
}
