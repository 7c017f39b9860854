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
}

// DefaultSettings returns the documented defaults, enabled.
func DefaultSettings() Settings {
	return Settings{
		Enabled:   true,
		Labels:    []string{"decision", "architecture"},
		Directory: "docs/adr",
		Template:  FormatNygard,
		Check:     CheckRequired,
		TitleFrom: "pr_title",
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
	return s
}

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
		Enabled:          a.Enabled,
		Labels:           append([]string(nil), a.Labels...),
		Directory:        a.Directory,
		Template:         string(a.Template),
		RequiredSections: a.Sections(),
		Check:            string(a.Check),
		TitleFrom:        string(a.TitleFrom),
	}
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
