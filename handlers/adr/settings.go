package adr

import (
	"path"
	"strings"

	"github.com/overlaphq/overlap/config"
)

// Template formats.
const (
	FormatNygard = "nygard"
	FormatMADR   = "madr"
)

// Check modes: whether a missing record blocks (action_required) or only
// informs (neutral).
const (
	CheckRequired = "required"
	CheckAdvisory = "advisory"
)

// Settings is the decision core's view of the policy's `adr` block
// (config.ADR), in plain strings so table tests can build it literally;
// SettingsFrom maps one onto the other.
type Settings struct {
	Enabled          bool
	Labels           []string // a PR carrying any of these (case-insensitive) is a decision PR
	Directory        string   // repo-relative ADR directory, e.g. "docs/adr"
	Template         string   // FormatNygard or FormatMADR
	RequiredSections []string // empty = the template's default sections
	Check            string   // CheckRequired or CheckAdvisory
	TitleFrom        string   // "pr_title" (the only source so far)
	// AutoDirectory says the policy left `directory` unset: the handler
	// reads .adr-dir at the base (adr-tools' convention) and replaces
	// Directory with it when it names a valid directory.
	AutoDirectory bool
	Numbering     string // NumberingSequential or NumberingDate
	// AlwaysReport gives PRs that are not decision PRs a completed
	// "skipped" check, so branch protection can require the check.
	AlwaysReport bool
	// LinkedRepositories are "owner/repo" or "owner/repo/dir" entries whose
	// records a PR may link instead of adding one (adr.linked_repositories).
	LinkedRepositories []string
}

// Numbering schemes for record file names.
const (
	NumberingSequential = "sequential" // NNNN-title.md (adr-tools, MADR)
	NumberingDate       = "date"       // YYYYMMDD-title.md (log4brains)
)

// DefaultSettings returns the documented defaults, enabled.
func DefaultSettings() Settings {
	return Settings{
		Enabled:   true,
		Labels:    []string{"decision", "architecture"},
		Directory: config.DefaultADRDirectory,
		Template:  FormatNygard,
		Check:     CheckRequired,
		TitleFrom: "pr_title",
		Numbering: NumberingSequential,
	}
}

// normalized fills empty fields with defaults and cleans the directory, so
// the rest of the package never has to guess. Enabled is taken as given.
func (s Settings) normalized() Settings {
	d := DefaultSettings()
	if len(s.Labels) == 0 {
		s.Labels = d.Labels
	}
	s.Directory = cleanDir(s.Directory)
	if s.Directory == "" {
		s.Directory = d.Directory
	}
	s.Template = strings.ToLower(strings.TrimSpace(s.Template))
	if s.Template != FormatMADR {
		s.Template = FormatNygard
	}
	s.Check = strings.ToLower(strings.TrimSpace(s.Check))
	if s.Check != CheckAdvisory {
		s.Check = CheckRequired
	}
	if s.TitleFrom == "" {
		s.TitleFrom = d.TitleFrom
	}
	s.Numbering = strings.ToLower(strings.TrimSpace(s.Numbering))
	if s.Numbering != NumberingDate {
		s.Numbering = NumberingSequential
	}
	return s
}

// dateNumbered reports whether records are named YYYYMMDD-title.md.
func (s Settings) dateNumbered() bool { return s.Numbering == NumberingDate }

// requiredSections returns the configured sections or the template's
// defaults, which config.ADR.Sections owns (the policy file's documentation
// and this check must never disagree). "Status" is part of both defaults; it
// is satisfied by a status from any source (a Status section, front matter
// or a "Status:" line).
func (s Settings) requiredSections() []string {
	if len(s.RequiredSections) > 0 {
		return s.RequiredSections
	}
	return config.ADR{Template: config.ADRTemplate(s.Template)}.Sections()
}

// SettingsFrom maps the policy's adr block onto Settings. RequiredSections
// is resolved through config.ADR.Sections, so the handler passes the
// template defaults explicitly.
func SettingsFrom(a config.ADR) Settings {
	return Settings{
		Enabled:            a.Enabled,
		Labels:             append([]string(nil), a.Labels...),
		Directory:          a.Directory,
		Template:           string(a.Template),
		RequiredSections:   a.Sections(),
		Check:              string(a.Check),
		TitleFrom:          string(a.TitleFrom),
		AutoDirectory:      strings.TrimSpace(a.Directory) == "",
		Numbering:          string(a.Numbering),
		AlwaysReport:       a.AlwaysReport,
		LinkedRepositories: append([]string(nil), a.LinkedRepositories...),
	}
}

// DirFromADRDir reads adr-tools' .adr-dir file: its first line names the
// record directory relative to the repository root. A blank file, an
// absolute path or one leaving the repository gives false, and the
// default directory stays.
func DirFromADRDir(content string) (string, bool) {
	first, _, _ := strings.Cut(strings.TrimPrefix(content, "\ufeff"), "\n")
	first = strings.TrimSpace(strings.TrimSuffix(first, "\r"))
	if first == "" || strings.HasPrefix(first, "/") {
		return "", false
	}
	dir := cleanDir(first)
	if dir == "" || dir == ".." || strings.HasPrefix(dir, "../") {
		return "", false
	}
	return dir, true
}

func cleanDir(dir string) string {
	dir = strings.TrimSpace(dir)
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return ""
	}
	dir = path.Clean(dir)
	if dir == "." {
		return ""
	}
	return dir
}

// IsDecisionPR reports whether labels contain any of want, ignoring case and
// surrounding space.
func IsDecisionPR(labels, want []string) bool {
	for _, l := range labels {
		for _, w := range want {
			if w = strings.TrimSpace(w); w != "" && strings.EqualFold(strings.TrimSpace(l), w) {
				return true
			}
		}
	}
	return false
}
