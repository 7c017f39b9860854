package config

import (
	"path"
	"strings"
)

// ADR configures the decision-record feature: a PR carrying one of Labels
// must add an ADR under Directory before the "Decision record" check passes.
type ADR struct {
	Enabled bool `yaml:"enabled"`
	// Labels that mark a PR as a decision, matched case-insensitively.
	Labels []string `yaml:"labels"`
	// Directory holding the records, relative to the repository root. Empty
	// (the default) means "as adr-tools does": the directory named in the
	// repository's .adr-dir file at the base branch, else DefaultADRDirectory.
	Directory string      `yaml:"directory"`
	Template  ADRTemplate `yaml:"template"`
	// RequiredSections overrides the template's headings; empty means the
	// template's own (see Sections).
	RequiredSections []string  `yaml:"required_sections"`
	Check            CheckMode `yaml:"check"`
	TitleFrom        TitleFrom `yaml:"title_from"`
	// Numbering is how record files are named: sequential
	// (NNNN-title.md, adr-tools and MADR) or date (YYYYMMDD-title.md,
	// log4brains). Date-named records are not checked for number collisions.
	Numbering ADRNumbering `yaml:"numbering"`
	// AlwaysReport makes PRs without a decision label get a completed
	// "skipped" Decision record check too, so branch protection can require
	// the check without blocking every other PR. It costs one check-run
	// lookup per pull_request event and one write per new head.
	AlwaysReport bool `yaml:"always_report"`
	// LinkedRepositories lists other repositories ("owner/repo", records in
	// docs/adr, or "owner/repo/dir") whose records a PR description may
	// link instead of adding one. Without it only records in this
	// repository's own ADR directory count: a link is judged by reading the
	// file, and a link anywhere else would let a PR author probe
	// repositories they cannot see.
	LinkedRepositories []string `yaml:"linked_repositories"`
}

// DefaultADRDirectory is where records live when neither the policy nor an
// .adr-dir file names a directory.
const DefaultADRDirectory = "docs/adr"

// ADRNumbering is how record files are numbered.
type ADRNumbering string

const (
	NumberingSequential ADRNumbering = "sequential"
	NumberingDate       ADRNumbering = "date"
)

func (n *ADRNumbering) parseScalar(s string) error {
	return parseEnum((*string)(n), "numbering", s, string(NumberingSequential), string(NumberingDate))
}

// ADRTemplate is the record format: nygard (the classic short form) or madr.
type ADRTemplate string

const (
	TemplateNygard ADRTemplate = "nygard"
	TemplateMADR   ADRTemplate = "madr"
)

func (t *ADRTemplate) parseScalar(s string) error {
	return parseEnum((*string)(t), "template", s, string(TemplateNygard), string(TemplateMADR))
}

// TitleFrom says where a suggested ADR title comes from.
type TitleFrom string

// TitleFromPRTitle derives the ADR title from the pull request title.
const TitleFromPRTitle TitleFrom = "pr_title"

func (t *TitleFrom) parseScalar(s string) error {
	return parseEnum((*string)(t), "title source", s, string(TitleFromPRTitle))
}

func defaultADR() ADR {
	return ADR{
		Enabled:   true,
		Labels:    []string{"decision", "architecture"},
		Directory: "", // .adr-dir, else DefaultADRDirectory
		Template:  TemplateNygard,
		Check:     CheckRequired,
		TitleFrom: TitleFromPRTitle,
		Numbering: NumberingSequential,
	}
}

// templateSections are the headings each template requires by default; the
// decision-record feature uses exactly these (this is the one place they are
// written down). "Status" is satisfied by a status from any source: a Status
// section, a "Status:" line or MADR's front matter. MADR's "Consequences" is
// usually a "### Consequences" under "Decision Outcome"; any heading level
// counts. "Pros and Cons of the Options" is optional in MADR.
var templateSections = map[ADRTemplate][]string{
	TemplateNygard: {"Status", "Context", "Decision", "Consequences"},
	TemplateMADR:   {"Status", "Context and Problem Statement", "Considered Options", "Decision Outcome", "Consequences"},
}

// Sections returns the headings an ADR must have: RequiredSections when set,
// else the template's.
func (a ADR) Sections() []string {
	if len(a.RequiredSections) > 0 {
		return append([]string(nil), a.RequiredSections...)
	}
	if secs, ok := templateSections[ADRTemplate(strings.ToLower(string(a.Template)))]; ok {
		return append([]string(nil), secs...)
	}
	return append([]string(nil), templateSections[TemplateNygard]...)
}

// HasLabel reports whether name is one of the decision labels, ignoring case.
func (a ADR) HasLabel(name string) bool {
	for _, l := range a.Labels {
		if strings.EqualFold(l, name) {
			return true
		}
	}
	return false
}

func (a ADR) validate(report func(key, msg, hint string)) {
	if a.Enabled && len(a.Labels) == 0 {
		report("adr.labels", "no labels: no PR could ever be marked as a decision", "list at least one label, or set enabled: false")
	}
	for i, l := range a.Labels {
		if strings.TrimSpace(l) == "" {
			report(indexKey("adr.labels", i), "empty label", "")
		}
	}
	if a.Directory != "" { // "" is the default: .adr-dir, else docs/adr
		checkRepoDir(report, "adr.directory", a.Directory)
	}
	validateRepoList(report, "adr.linked_repositories", a.LinkedRepositories, true)
	for i, s := range a.RequiredSections {
		if strings.TrimSpace(s) == "" {
			report(indexKey("adr.required_sections", i), "empty section name", "")
		}
	}
}

// checkRepoDir rejects directories that escape or are absolute.
func checkRepoDir(report func(key, msg, hint string), key, dir string) {
	clean := path.Clean(dir)
	switch {
	case strings.TrimSpace(dir) == "":
		report(key, "directory is empty", "use a path such as docs/adr")
	case strings.HasPrefix(dir, "/"):
		report(key, "directory must be relative to the repository root", "drop the leading /")
	case clean == ".." || strings.HasPrefix(clean, "../"):
		report(key, "directory must stay inside the repository", "")
	}
}
