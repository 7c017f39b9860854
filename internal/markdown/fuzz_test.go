package markdown

import (
	"context"
	"strings"
	"testing"
)

// FuzzLinesProse checks what every caller relies on, for any text: nothing moves
// (same length, line breaks where they were), masking only ever turns bytes
// into spaces, and Lines agrees with Mask on what is prose.
func FuzzLinesProse(f *testing.F) {
	for _, s := range []string{"", "a `b` c", "<!--a-->b", "```\nx\n```", "> q\n- l\n\n    c", "\\``x`", "` `` ```", "<!--\n\n-->x", "\ufeffa\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		m := Mask(text)
		if len(m) != len(text) {
			t.Fatalf("Mask changed the length: %d -> %d", len(text), len(m))
		}
		for i := 0; i < len(text); i++ {
			if m[i] != text[i] && m[i] != ' ' {
				t.Fatalf("byte %d: %q became %q, want it kept or blanked", i, text[i], m[i])
			}
			if (text[i] == '\n' || text[i] == '\r') && m[i] != text[i] {
				t.Fatalf("line break at %d was blanked", i)
			}
		}
		lines, err := LinesContext(context.Background(), text)
		if err != nil {
			t.Fatal(err)
		}
		prev := 0
		for _, l := range lines {
			if l.N <= prev || len(l.Text) != len(l.Raw) || strings.ContainsAny(l.Raw, "\n") {
				t.Fatalf("bad line %+v after line %d", l, prev)
			}
			prev = l.N
			for i := range l.Text {
				if l.Text[i] != l.Raw[i] && l.Text[i] != ' ' {
					t.Fatalf("line %d: Text %q is not Raw %q with blanks", l.N, l.Text, l.Raw)
				}
			}
		}
	})
}
