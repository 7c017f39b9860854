// Package config holds Overlap's two kinds of configuration: the server's own
// (a YAML file plus OVERLAP_* environment variables, see LoadServer) and the
// per-repository policy file .github/overlap.yml (see Parse and Loader).
//
// Both are decoded strictly: every unknown key, wrong type or bad value is
// reported with its file, line and key path, all at once, so a person fixing
// a file sees every mistake in one round trip.
package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// Policy is the content of .github/overlap.yml. The zero value is not useful:
// start from Defaults() (Parse does).
type Policy struct {
	// Extends names a base file this one overrides: "org" (the org's
	// .github repository, overlap.yml) or "owner/repo[/path][@ref]".
	Extends   string    `yaml:"extends"`
	Team      Team      `yaml:"team"`
	ADR       ADR       `yaml:"adr"`
	Docs      Docs      `yaml:"docs"`
	Reviews   Reviews   `yaml:"reviews"`
	Timezones Timezones `yaml:"timezones"`
	// Weekly is the weekly async update thread (weekly.go).
	Weekly WeeklyUpdates `yaml:"weekly_updates"`
	// Sources is honoured in the org default only (see Sources).
	Sources Sources `yaml:"policy"`
}

// Defaults is the policy of a repository with no file at all.
func Defaults() Policy {
	return Policy{
		Team:      defaultTeam(),
		ADR:       defaultADR(),
		Docs:      defaultDocs(),
		Reviews:   defaultReviews(),
		Timezones: defaultTimezones(),
		Weekly:    defaultWeeklyUpdates(),
		Sources:   defaultSources(),
	}
}

// File is one configuration file's name and bytes.
type File struct {
	Name string
	Data []byte
}

// Parse decodes one policy file over Defaults(). An empty Problems means the
// file is valid. With problems, the returned Policy holds whatever could be
// decoded and should not be used to act.
func Parse(file string, data []byte) (Policy, Problems) {
	return ParseLayered(File{Name: file, Data: data})
}

// ParseLayered decodes files over Defaults(), each later file overriding the
// earlier ones: mappings merge key by key, lists and scalars replace. It is
// how `extends` works: ParseLayered(orgFile, repoFile). Problems name the
// file each bad line came from.
func ParseLayered(files ...File) (pol Policy, probs Problems) {
	pol = Defaults()
	defer func() {
		// Parse must never take a worker down, whatever the input.
		if r := recover(); r != nil {
			pol = Defaults()
			name := ""
			if len(files) > 0 {
				name = files[len(files)-1].Name
			}
			probs = Problems{{File: name, Line: 1, Message: fmt.Sprintf("internal error while reading the file: %v", r)}}
		}
	}()
	if len(files) == 0 {
		return pol, nil
	}
	d := newDecoder(files[len(files)-1].Name)
	d.origins = map[*yaml.Node]string{}
	var merged *yaml.Node
	for _, f := range files {
		root, p := parseYAML(f.Name, f.Data)
		if p != nil {
			d.probs = append(d.probs, *p)
			continue
		}
		if root == nil {
			continue
		}
		markOrigin(d.origins, root, f.Name)
		if merged == nil {
			merged = root
		} else {
			merged = mergeNodes(merged, root)
		}
	}
	if len(d.probs) > 0 {
		return pol, d.probs.sorted()
	}
	if merged != nil {
		d.decode(merged, reflect.ValueOf(&pol).Elem(), "")
	}
	if !d.blown {
		pol.validate(d)
	}
	return pol, d.probs.sorted()
}

func (p Policy) validate(d *decoder) {
	if p.Extends != "" {
		if _, err := ParseExtends(p.Extends); err != nil {
			d.addErr(d.valueNode("extends"), "extends", err)
		}
	}
	p.Team.validate(d.report)
	p.ADR.validate(d.report)
	p.Docs.validate(d.report)
	p.Reviews.validate(d.report)
	p.Timezones.validate(d.report)
	p.Weekly.validate(d.report, p.Team)
	p.Sources.validate(d.report)
}

// valueNode returns the value node following the key node recorded for a
// top-level key, so value problems point at the value's column.
func (d *decoder) valueNode(key string) *yaml.Node {
	if n, ok := d.vals[key]; ok {
		return n
	}
	return d.nodeFor(key)
}

// ExtendsRef is a parsed `extends` value.
type ExtendsRef struct {
	Org   bool   // "org": the owner's .github repository
	Owner string // for a repository reference
	Repo  string
	Path  string // defaults to .github/overlap.yml (overlap.yml in a .github repo)
	Ref   string // "" = default branch
}

var (
	ownerRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)
	repoRe  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
)

// ParseExtends parses "org" or "owner/repo[/path][@ref]".
func ParseExtends(s string) (ExtendsRef, error) {
	const hint = "use org, or owner/repo[/path][@ref]"
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "org") {
		return ExtendsRef{Org: true}, nil
	}
	spec, ref, hasRef := strings.Cut(s, "@")
	if hasRef && ref == "" {
		return ExtendsRef{}, badValue(hint, "bad extends %q: empty ref after @", s)
	}
	parts := strings.SplitN(spec, "/", 3)
	if len(parts) < 2 || !ownerRe.MatchString(parts[0]) || !repoRe.MatchString(parts[1]) || parts[1] == "." || parts[1] == ".." {
		return ExtendsRef{}, badValue(hint, "bad extends %q", s)
	}
	r := ExtendsRef{Owner: parts[0], Repo: parts[1], Ref: ref}
	if len(parts) == 3 {
		r.Path = parts[2]
		if r.Path == "" || strings.HasPrefix(r.Path, "/") || strings.Contains(r.Path, "..") {
			return ExtendsRef{}, badValue(hint, "bad extends %q: bad path", s)
		}
	} else if r.Repo == ".github" {
		r.Path = "overlap.yml"
	} else {
		r.Path = ".github/overlap.yml"
	}
	return r, nil
}

func (r ExtendsRef) String() string {
	if r.Org {
		return "org"
	}
	s := r.Owner + "/" + r.Repo + "/" + r.Path
	if r.Ref != "" {
		s += "@" + r.Ref
	}
	return s
}
