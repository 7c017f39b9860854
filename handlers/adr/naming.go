package adr

import (
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxSlugLen caps the title part of a file name so paths stay readable.
const maxSlugLen = 60

// untitled is the slug of a title with nothing usable in it.
const untitled = "untitled-decision"

var (
	// numberedName matches any "NNNN-….md" name: enough to reserve a number
	// even when the rest of the name is not kebab case.
	numberedName = regexp.MustCompile(`^(\d{4,})-.*\.md$`)
	// strictName is the adr-tools naming convention we ask for.
	strictName = regexp.MustCompile(`^\d{4}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$`)
	// dateName is log4brains' convention (adr.numbering: date).
	dateName = regexp.MustCompile(`^(\d{8})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$`)
	// adrPrefix matches the prefixes people put on decision PR titles:
	// "ADR:", "[ADR]", "ADR-0012", "adr 12:", "ADR-0012 -".
	adrPrefix = regexp.MustCompile(`(?i)^\s*(?:\[\s*adr[^\]]*\]|adr\s*:|adr[-\s#]*\d+\b\s*[:.\-–—]?)\s*`)
)

// specialLetters are Latin letters that Unicode does not decompose into a
// base letter plus accents.
var specialLetters = map[rune]string{
	'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", 'ħ': "h", 'Ħ': "h",
}

// NumberOf returns the record number of an ADR file name or path
// ("docs/adr/0012-use-x.md" → 12) and false for names without one.
func NumberOf(name string) (int, bool) {
	m := numberedName.FindStringSubmatch(path.Base(name))
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// ValidFileName reports whether name (a base name or path) follows
// NNNN-title-in-kebab-case.md.
func ValidFileName(name string) bool {
	return strictName.MatchString(path.Base(name))
}

// ValidDateFileName reports whether name (a base name or path) follows
// YYYYMMDD-title-in-kebab-case.md with a real calendar date.
func ValidDateFileName(name string) bool {
	m := dateName.FindStringSubmatch(path.Base(name))
	if m == nil {
		return false
	}
	_, err := time.Parse("20060102", m[1])
	return err == nil
}

// DateFileName returns the log4brains file name for a record written on
// now's calendar date (in now's time zone).
func DateFileName(now time.Time, title string) string {
	return now.Format("20060102") + "-" + Slug(title) + ".md"
}

// NextNumber returns one more than the highest record number among all the
// given name lists (the base branch's ADR directory, other open PRs' ADR
// files), or 1 when there is none. Gaps are not reused, like adr-tools, and
// names without a number are ignored.
func NextNumber(names ...[]string) int {
	max := 0
	for _, list := range names {
		for _, name := range list {
			if n, ok := NumberOf(name); ok && n > max {
				max = n
			}
		}
	}
	return max + 1
}

// FileName returns the adr-tools file name for record n with the given title.
func FileName(n int, title string) string {
	return fmt.Sprintf("%04d-%s.md", n, Slug(title))
}

// DisplayTitle is the record title derived from a PR title: the ADR prefix
// people use on decision PRs ("ADR:", "[ADR]", "ADR-0012") is dropped.
func DisplayTitle(prTitle string) string {
	t := strings.TrimSpace(prTitle)
	for {
		s := strings.TrimSpace(adrPrefix.ReplaceAllString(t, ""))
		if s == t {
			break
		}
		t = s
	}
	t = strings.Join(strings.Fields(t), " ")
	if t == "" {
		return "Untitled decision"
	}
	return t
}

// slugInputCap is how much of a title Slug reads: far more than any
// title that yields maxSlugLen characters of slug (GitHub caps titles at
// 256 characters).
const slugInputCap = 4 << 10

// Slug turns a title into lower-case ASCII kebab case: accents are
// transliterated (é→e, ß→ss), anything else that is not a letter or digit
// (emoji, punctuation, other scripts) becomes a separator, dashes collapse,
// and the result is capped at 60 characters on a word boundary. It is never
// empty: a title with nothing usable gives "untitled-decision".
func Slug(title string) string {
	// The slug keeps at most maxSlugLen characters, and each input rune
	// gives at most a few: reading more than a bounded prefix of a hostile
	// 1 MB title is wasted work.
	if len(title) > slugInputCap {
		cut := slugInputCap
		for cut > 0 && !utf8.RuneStart(title[cut]) {
			cut--
		}
		title = title[:cut]
	}
	t := DisplayTitle(title)
	var b strings.Builder
	for _, r := range norm.NFD.String(t) {
		if s, ok := specialLetters[r]; ok {
			b.WriteString(s)
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent left by the decomposition: drop it
		case r == '\'' || r == '’' || r == '`':
			// "don't" → "dont", not "don-t"
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte('-')
		}
	}
	s := strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool { return r == '-' }), "-")
	if len(s) > maxSlugLen {
		cut := s[:maxSlugLen+1]
		if i := strings.LastIndexByte(cut, '-'); i > 0 {
			s = cut[:i]
		} else {
			s = s[:maxSlugLen]
		}
	}
	if s == "" {
		return untitled
	}
	return s
}
