package config

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// This file holds the strict YAML decoder shared by the policy file and the
// server config. yaml.v3's own KnownFields mode stops at the first unknown
// key and cannot say "did you mean"; walking the node tree ourselves lets us
// report every problem with its line, its key path and a hint.

// scalarParser is implemented (on the pointer) by types written as a single
// YAML scalar: durations, time ranges, zones, enums and so on.
type scalarParser interface {
	parseScalar(s string) error
}

// maxNodes bounds the work done on one file so that alias bombs and absurdly
// large files are rejected instead of eating the worker.
const maxNodes = 20000

// maxFileSize is the largest policy or server file we parse.
const maxFileSize = 512 << 10

type decoder struct {
	file    string                // default file name for problems
	origins map[*yaml.Node]string // per-node file name when layers were merged
	probs   Problems
	keys    map[string]*yaml.Node // key path -> key node, for later validation
	vals    map[string]*yaml.Node // key path -> value node
	skip    map[*yaml.Node]bool   // key nodes consumed by a nested field
	budget  int
	blown   bool
}

func newDecoder(file string) *decoder {
	return &decoder{
		file:   file,
		keys:   map[string]*yaml.Node{},
		vals:   map[string]*yaml.Node{},
		skip:   map[*yaml.Node]bool{},
		budget: maxNodes,
	}
}

func (d *decoder) fileOf(n *yaml.Node) string {
	if f, ok := d.origins[n]; ok {
		return f
	}
	return d.file
}

// addAt records a problem located at node n (nil: line 1 of the default file).
func (d *decoder) addAt(n *yaml.Node, key, msg, hint string) {
	p := Problem{File: d.file, Line: 1, Key: key, Message: msg, Hint: hint}
	if n != nil {
		p.File = d.fileOf(n)
		if n.Line > 0 {
			p.Line = n.Line
			p.Column = n.Column
		}
	}
	d.probs = append(d.probs, p)
}

func (d *decoder) addErr(n *yaml.Node, key string, err error) {
	if ve, ok := err.(*valueError); ok {
		d.addAt(n, key, ve.msg, ve.hint)
		return
	}
	d.addAt(n, key, err.Error(), "")
}

// nodeFor returns the most specific node known for a key path: the key
// itself, else its closest parent that appeared in the file, else nil.
func (d *decoder) nodeFor(path string) *yaml.Node {
	for p := path; p != ""; {
		if n, ok := d.keys[p]; ok {
			return n
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return nil
}

// report is used by block validation after decoding: it files a problem at
// the line of the named key (or its nearest parent present in the file).
func (d *decoder) report(key, msg, hint string) {
	d.addAt(d.nodeFor(key), key, msg, hint)
}

var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML turns bytes into a node tree, or a Problem for a syntax error.
// A nil node with no problem means an empty document.
func parseYAML(file string, data []byte) (*yaml.Node, *Problem) {
	if len(data) > maxFileSize {
		return nil, &Problem{File: file, Line: 1, Message: fmt.Sprintf("file is too large (%d bytes, limit %d)", len(data), maxFileSize)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := &Problem{File: file, Line: 1, Message: strings.TrimPrefix(err.Error(), "yaml: ")}
		if m := syntaxLine.FindStringSubmatch(err.Error()); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Message = m[2]
			// yaml.v3 reports parser (as opposed to scanner) errors with a
			// 0-based line: that of the collection being parsed.
			if isParserError(p.Message) {
				p.Line++
			}
		}
		p.Message = "YAML syntax error: " + p.Message
		return nil, p
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return nil, nil
	}
	return root, nil
}

func isParserError(msg string) bool {
	for _, prefix := range []string{"did not find expected ',' or", "did not find expected '-' indicator",
		"did not find expected <", "did not find expected key", "did not find expected node content",
		"found duplicate %", "found incompatible YAML document", "found undefined tag handle"} {
		if strings.HasPrefix(msg, prefix) {
			return true
		}
	}
	return false
}

var durationType = reflect.TypeOf(time.Duration(0))

// decode fills v from n. A null leaves v untouched so defaults stay.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	if d.blown {
		return
	}
	d.budget--
	if d.budget < 0 {
		d.blown = true
		d.addAt(n, "", "file is too complex (too many values or aliases)", "")
		return
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			d.addAt(n, path, "broken alias", "")
			return
		}
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if v.CanAddr() {
		if p, ok := v.Addr().Interface().(scalarParser); ok {
			if n.Kind != yaml.ScalarNode {
				d.addAt(n, path, "expected a single value, got "+describeNode(n), "")
				return
			}
			if err := p.parseScalar(n.Value); err != nil {
				d.addErr(n, path, err)
			}
			return
		}
	}
	if v.Type() == durationType {
		if !d.expectScalar(n, path, "a duration") {
			return
		}
		dur, err := parseServerDuration(n.Value)
		if err != nil {
			d.addErr(n, path, err)
			return
		}
		v.SetInt(int64(dur))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, path)
	case reflect.Map:
		d.decodeMap(n, v, path)
	case reflect.Slice:
		d.decodeSlice(n, v, path)
	case reflect.String:
		if d.expectScalar(n, path, "a string") {
			v.SetString(n.Value)
		}
	case reflect.Bool:
		if !d.expectScalar(n, path, "true or false") {
			return
		}
		switch strings.ToLower(n.Value) {
		case "true":
			v.SetBool(true)
		case "false":
			v.SetBool(false)
		default:
			d.addAt(n, path, fmt.Sprintf("expected true or false, got %q", n.Value), "")
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		if !d.expectScalar(n, path, "a whole number") {
			return
		}
		i, err := strconv.ParseInt(n.Value, 10, v.Type().Bits())
		if err != nil {
			d.addAt(n, path, fmt.Sprintf("expected a whole number, got %q", n.Value), "")
			return
		}
		v.SetInt(i)
	default:
		d.addAt(n, path, "internal error: unsupported field type "+v.Type().String(), "")
	}
}

func (d *decoder) expectScalar(n *yaml.Node, path, what string) bool {
	if n.Kind == yaml.ScalarNode {
		return true
	}
	d.addAt(n, path, fmt.Sprintf("expected %s, got %s", what, describeNode(n)), "")
	return false
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!int", "!!float":
			return "a number"
		case "!!bool":
			return "a boolean"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

type fieldInfo struct {
	name   string
	index  []int
	nested []string // for `overlap:"a.b"` fields: where they live in the YAML
}

// fieldsOf lists the YAML keys of a struct type, flattening `,inline` fields.
func fieldsOf(t reflect.Type) []fieldInfo {
	var out []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if nested := f.Tag.Get("overlap"); nested != "" {
			out = append(out, fieldInfo{name: nested, index: f.Index, nested: strings.Split(nested, ".")})
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if opts == "inline" {
			for _, sub := range fieldsOf(f.Type) {
				sub.index = append([]int{i}, sub.index...)
				out = append(out, sub)
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out = append(out, fieldInfo{name: name, index: f.Index})
	}
	return out
}

func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.addAt(n, path, "expected a mapping of keys, got "+describeNode(n), "")
		return
	}
	fields := fieldsOf(v.Type())
	byName := map[string]fieldInfo{}
	var names []string
	for _, f := range fields {
		if f.nested != nil {
			d.decodeNested(n, v.FieldByIndex(f.index), f.nested, path)
			continue
		}
		byName[f.name] = f
		names = append(names, f.name)
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if d.skip[k] {
			continue
		}
		kpath := join(path, k.Value)
		if k.Kind != yaml.ScalarNode {
			d.addAt(k, path, "keys must be plain names, got "+describeNode(k), "")
			continue
		}
		if k.Value == "<<" {
			d.addAt(k, path, "YAML merge keys (<<) are not supported", "write the keys out, or use extends")
			continue
		}
		if prev, dup := seen[k.Value]; dup {
			d.addAt(k, kpath, fmt.Sprintf("key %q is repeated (first at line %d)", k.Value, prev.Line), "remove one of them")
			continue
		}
		seen[k.Value] = k
		f, ok := byName[k.Value]
		if !ok {
			d.addAt(k, kpath, fmt.Sprintf("unknown key %q", k.Value), unknownKeyHint(k.Value, names))
			continue
		}
		d.keys[kpath] = k
		d.vals[kpath] = val
		d.decode(val, v.FieldByIndex(f.index), kpath)
	}
}

func unknownKeyHint(key string, names []string) string {
	if s := suggest(key, names); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	sorted := append([]string(nil), names...)
	sort.Strings(sorted)
	return "known keys: " + strings.Join(sorted, ", ")
}

// decodeNested handles a field that lives deeper in the YAML than its Go
// struct, e.g. github.app.private_key_path next to go-githubapp's own keys.
func (d *decoder) decodeNested(n *yaml.Node, v reflect.Value, nested []string, path string) {
	cur := n
	for depth, name := range nested {
		if cur.Kind == yaml.AliasNode && cur.Alias != nil {
			cur = cur.Alias
		}
		if cur.Kind != yaml.MappingNode {
			return
		}
		found := false
		for i := 0; i+1 < len(cur.Content); i += 2 {
			k := cur.Content[i]
			if k.Value != name {
				continue
			}
			path = join(path, name)
			if depth == len(nested)-1 {
				d.skip[k] = true
				d.keys[path] = k
				d.decode(cur.Content[i+1], v, path)
				return
			}
			cur, found = cur.Content[i+1], true
			break
		}
		if !found {
			return
		}
	}
}

// defaulter is implemented by map values that start from non-zero defaults
// (e.g. a doc set's max_age).
type defaulter interface {
	setDefaults()
}

func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.addAt(n, path, "expected a mapping, got "+describeNode(n), "")
		return
	}
	// A map given in the file replaces the default one.
	m := reflect.MakeMap(v.Type())
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Value == "" {
			d.addAt(k, path, "keys must be plain names, got "+describeNode(k), "")
			continue
		}
		kpath := join(path, k.Value)
		if prev, dup := seen[k.Value]; dup {
			d.addAt(k, kpath, fmt.Sprintf("key %q is repeated (first at line %d)", k.Value, prev.Line), "remove one of them")
			continue
		}
		seen[k.Value] = k
		d.keys[kpath] = k
		elem := reflect.New(v.Type().Elem()).Elem()
		if df, ok := elem.Addr().Interface().(defaulter); ok {
			df.setDefaults()
		}
		d.decode(val, elem, kpath)
		m.SetMapIndex(reflect.ValueOf(k.Value).Convert(v.Type().Key()), elem)
	}
	v.Set(m)
}

func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.addAt(n, path, "expected a list, got "+describeNode(n), "write it as [a, b] or one \"- item\" per line")
		return
	}
	s := reflect.MakeSlice(v.Type(), 0, len(n.Content))
	for i, item := range n.Content {
		ipath := fmt.Sprintf("%s[%d]", path, i)
		d.keys[ipath] = item
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(item, elem, ipath)
		s = reflect.Append(s, elem)
	}
	v.Set(s)
}

// mergeNodes overlays over onto base: mappings merge key by key, anything
// else (lists, scalars) is replaced by over. A null in over keeps base.
func mergeNodes(base, over *yaml.Node) *yaml.Node {
	base, over = resolve(base), resolve(over)
	if over == nil || (over.Kind == yaml.ScalarNode && over.Tag == "!!null") {
		return base
	}
	if base == nil || base.Kind != yaml.MappingNode || over.Kind != yaml.MappingNode {
		return over
	}
	out := *over
	out.Content = nil
	overIdx := map[string]int{}
	for i := 0; i+1 < len(over.Content); i += 2 {
		overIdx[over.Content[i].Value] = i
	}
	used := map[int]bool{}
	for i := 0; i+1 < len(base.Content); i += 2 {
		k := base.Content[i]
		if j, ok := overIdx[k.Value]; ok {
			used[j] = true
			out.Content = append(out.Content, over.Content[j], mergeNodes(base.Content[i+1], over.Content[j+1]))
			continue
		}
		out.Content = append(out.Content, k, base.Content[i+1])
	}
	for i := 0; i+1 < len(over.Content); i += 2 {
		if !used[i] {
			out.Content = append(out.Content, over.Content[i], over.Content[i+1])
		}
	}
	return &out
}

func resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// markOrigin records the file every node of a tree came from.
func markOrigin(origins map[*yaml.Node]string, n *yaml.Node, file string) {
	budget := maxNodes
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n == nil || budget <= 0 {
			return
		}
		if _, done := origins[n]; done {
			return
		}
		budget--
		origins[n] = file
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
}
