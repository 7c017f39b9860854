package docs

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"
)

// FrontMatter is what a doc says about itself in the YAML block between
// `---` lines at its top.
type FrontMatter struct {
	Present      bool          // the doc has a front-matter block
	Owner        string        // login or org/team, without '@'
	Covers       []string      // globs of code the doc describes
	MaxAge       time.Duration // per-doc override of the set's max age
	LastReviewed Date          // `last_reviewed: YYYY-MM-DD`
	// EndLine is the 1-based line of the closing `---` (0 when absent), so
	// that scanners can skip the block and keep line numbers.
	EndLine int
}

// FrontMatterError is one problem in a doc's front matter. Line is the
// 1-based line in the doc (0 when unknown).
type FrontMatterError struct {
	Line int
	Msg  string
}

func (e *FrontMatterError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("front matter line %d: %s", e.Line, e.Msg)
	}
	return "front matter: " + e.Msg
}

// MaxFrontMatterBytes bounds the part of a doc read for its front matter.
const MaxFrontMatterBytes = 16 << 10

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// ParseFrontMatter reads the front matter of a markdown doc. A doc without
// one yields a zero FrontMatter and no error. Problems come back as an
// error joining *FrontMatterError values; the fields that did parse are
// still returned, so one bad key does not hide the owner.
//
// Docs are files of any size, so only the first MaxFrontMatterBytes are
// read for the block (YAML decoding is the slowest thing a doc goes
// through): a block that does not close within them is reported as
// unclosed.
func ParseFrontMatter(content string) (FrontMatter, error) {
	var fm FrontMatter
	head := content
	if len(head) > MaxFrontMatterBytes {
		head = head[:strings.LastIndexByte(head[:MaxFrontMatterBytes], '\n')+1]
	}
	lines := splitLines(head)
	if len(lines) == 0 || strings.TrimRight(lines[0], " \t") != "---" {
		return fm, nil
	}
	fm.Present = true
	end := -1
	for i := 1; i < len(lines); i++ {
		if l := strings.TrimRight(lines[i], " \t"); l == "---" || l == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		if len(head) < len(content) {
			return fm, &FrontMatterError{Line: 1, Msg: fmt.Sprintf("opening --- has no closing --- line within the first %d KiB", MaxFrontMatterBytes>>10)}
		}
		return fm, &FrontMatterError{Line: 1, Msg: "opening --- has no closing --- line"}
	}
	fm.EndLine = end + 1
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(strings.Join(lines[1:end], "\n")), &root); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = n + 1
			msg = msg[len(m[0]):]
		}
		msg = strings.TrimPrefix(msg, "yaml: ")
		return fm, &FrontMatterError{Line: line, Msg: "invalid YAML: " + msg}
	}
	if root.Kind == 0 || len(root.Content) == 0 {
		return fm, nil // empty block
	}
	m := root.Content[0]
	if m.Kind != yaml.MappingNode {
		return fm, &FrontMatterError{Line: m.Line + 1, Msg: "must be a YAML mapping of key: value lines"}
	}
	var errs []error
	bad := func(n *yaml.Node, format string, a ...any) {
		errs = append(errs, &FrontMatterError{Line: n.Line + 1, Msg: fmt.Sprintf(format, a...)})
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch strings.ToLower(k.Value) {
		case "owner":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				bad(v, "owner must be a login or @org/team")
				continue
			}
			fm.Owner = strings.TrimPrefix(strings.TrimSpace(v.Value), "@")
		case "covers":
			var globs []string
			switch v.Kind {
			case yaml.ScalarNode:
				globs = []string{v.Value}
			case yaml.SequenceNode:
				for _, it := range v.Content {
					if it.Kind != yaml.ScalarNode {
						bad(it, "covers entries must be glob strings")
						continue
					}
					globs = append(globs, it.Value)
				}
			default:
				bad(v, "covers must be a glob or a list of globs")
			}
			for _, g := range globs {
				g = strings.TrimPrefix(strings.TrimSpace(g), "/")
				if g == "" || !doublestar.ValidatePattern(g) {
					bad(v, "covers: %q is not a valid glob", g)
					continue
				}
				fm.Covers = append(fm.Covers, g)
			}
		case "max_age":
			d, err := ParseAge(v.Value)
			if v.Kind != yaml.ScalarNode || err != nil {
				bad(v, "max_age %q: use a number of days or weeks such as 30d or 6w", v.Value)
				continue
			}
			fm.MaxAge = d
		case "last_reviewed":
			d, err := ParseDate(strings.TrimSpace(v.Value))
			if v.Kind != yaml.ScalarNode || err != nil {
				bad(v, "last_reviewed %q is not a date in the form YYYY-MM-DD", v.Value)
				continue
			}
			fm.LastReviewed = d
		}
	}
	return fm, errors.Join(errs...)
}

var ageRE = regexp.MustCompile(`^(\d+)\s*(d|days?|w|weeks?)$`)

// ParseAge parses a max age: "30d", "6w", "45 days", or a Go duration such
// as "720h". It must be positive.
func ParseAge(s string) (time.Duration, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if m := ageRE.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err != nil || n <= 0 || n > 100000 {
			return 0, fmt.Errorf("age %q out of range", s)
		}
		unit := 24 * time.Hour
		if m[2][0] == 'w' {
			unit *= 7
		}
		return time.Duration(n) * unit, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("age %q: use e.g. 30d, 6w or 720h", s)
	}
	if d <= 0 {
		return 0, fmt.Errorf("age %q must be positive", s)
	}
	return d, nil
}

// splitLines splits content into lines without their terminators, ignoring
// a UTF-8 byte-order mark and CRLF endings.
func splitLines(content string) []string {
	content = strings.TrimPrefix(content, "\ufeff")
	if content == "" {
		return nil
	}
	content = strings.ReplaceAll(content, "\r\n", "\n")
	return strings.Split(content, "\n")
}

// frontMatterProblems flattens a ParseFrontMatter error into problem lines.
func frontMatterProblems(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, frontMatterProblems(e)...)
		}
		return out
	}
	return []string{err.Error()}
}
