package config

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// redact rewrites the problems found in files of other repositories so
// that they carry no content of those files: a check run of one
// repository must never print what another holds. It works from the
// policy schema rather than from the messages (which quote values,
// unknown key names and logins), so a message added later cannot leak
// either. exposures maps file names to how much may be shown; files not
// in it are shown in full.
func redact(ps Problems, exposures map[string]exposure) Problems {
	var out Problems
	hidden := map[string][]int{} // exposeLines files → lines
	for _, p := range ps {
		switch exposures[p.File] {
		case exposeKeys:
			out = append(out, keyOnly(p))
		case exposeLines:
			hidden[p.File] = append(hidden[p.File], max(p.Line, 1))
		default:
			out = append(out, p)
		}
	}
	files := make([]string, 0, len(hidden))
	for f := range hidden {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		out = append(out, linesOnly(f, hidden[f]))
	}
	return out
}

const hiddenHint = "its details are not shown here because the file is in another repository; run overlap config check on it there"

// keyOnly keeps a problem's place and its key path as the schema names it.
func keyOnly(p Problem) Problem {
	key, unknown := schemaPath(p.Key)
	msg := "this setting is not valid"
	switch {
	case p.Key == "":
		msg = "the file cannot be read as a policy (YAML syntax, size or structure)"
	case unknown && key == "":
		msg = "unknown top-level key"
	case unknown:
		msg = "unknown key under " + key
	}
	return Problem{File: p.File, Line: max(p.Line, 1), Key: key, Message: msg, Hint: hiddenHint}
}

// linesOnly summarises a file's problems as a count and their lines.
func linesOnly(file string, lines []int) Problem {
	sort.Ints(lines)
	var uniq []string
	for i, l := range lines {
		if i > 0 && l == lines[i-1] {
			continue
		}
		if len(uniq) == 10 {
			uniq = append(uniq, "…")
			break
		}
		uniq = append(uniq, strconv.Itoa(l))
	}
	word := "lines"
	if len(uniq) == 1 {
		word = "line"
	}
	return Problem{File: file, Line: lines[0],
		Message: fmt.Sprintf("has %s (%s %s)", plural2(len(lines), "problem"), word, strings.Join(uniq, ", ")),
		Hint:    hiddenHint}
}

func plural2(n int, w string) string {
	if n == 1 {
		return "1 " + w
	}
	return fmt.Sprintf("%d %ss", n, w)
}

// schemaPath maps a problem's key path onto the policy schema: struct
// fields keep their names, map keys (logins, doc set names, paths) become
// "*", list indexes stay. It stops at the first segment the schema does
// not know (an unknown key's name is the file's content) and says so.
func schemaPath(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	t := reflect.TypeOf(Policy{})
	var out strings.Builder
	for _, seg := range splitKey(key) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if strings.HasPrefix(seg, "[") {
			if t.Kind() != reflect.Slice {
				return out.String(), true
			}
			out.WriteString(seg)
			t = t.Elem()
			continue
		}
		switch t.Kind() {
		case reflect.Struct:
			f, ok := fieldNamed(t, seg)
			if !ok {
				return out.String(), true
			}
			if out.Len() > 0 {
				out.WriteByte('.')
			}
			out.WriteString(seg)
			t = f
		case reflect.Map:
			if out.Len() > 0 {
				out.WriteByte('.')
			}
			out.WriteString("*")
			t = t.Elem()
		default:
			return out.String(), true
		}
	}
	return out.String(), false
}

func fieldNamed(t reflect.Type, name string) (reflect.Type, bool) {
	for _, f := range fieldsOf(t) {
		if f.name == name && f.nested == nil {
			return t.FieldByIndex(f.index).Type, true
		}
	}
	return nil, false
}

// splitKey splits "team.people.alice.away[0]" into
// ["team", "people", "alice", "away", "[0]"].
func splitKey(key string) []string {
	var out []string
	for _, part := range strings.Split(key, ".") {
		for part != "" {
			i := strings.IndexByte(part, '[')
			switch {
			case i < 0:
				out = append(out, part)
				part = ""
			case i > 0:
				out = append(out, part[:i])
				part = part[i:]
			default:
				j := strings.IndexByte(part, ']')
				if j < 0 {
					out = append(out, part)
					part = ""
					continue
				}
				out = append(out, part[:j+1])
				part = part[j+1:]
			}
		}
	}
	return out
}

// peekKey finds the line and column of a key (a path of mapping keys) in a
// YAML file without a full parse; ok is false when it is absent or the
// file does not parse.
func peekKey(data []byte, path ...string) (line, column int, ok bool) {
	if len(data) > maxFileSize || len(path) == 0 {
		return 0, 0, false
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return 0, 0, false
	}
	n := doc.Content[0]
	for depth, name := range path {
		if n.Kind != yaml.MappingNode {
			return 0, 0, false
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value != name {
				continue
			}
			if depth == len(path)-1 {
				return n.Content[i].Line, n.Content[i].Column, true
			}
			n, found = n.Content[i+1], true
			break
		}
		if !found {
			return 0, 0, false
		}
	}
	return 0, 0, false
}
