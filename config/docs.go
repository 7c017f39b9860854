package config

import (
	"fmt"
	"sort"
	"time"
)

// Docs configures documentation freshness: doc sets whose files must be
// reviewed within MaxAge, the code each doc covers (so PRs touching that code
// flag a stale doc), a weekly sweep and a documentation-duty rotation.
type Docs struct {
	Enabled bool `yaml:"enabled"`
	// Sets are named groups of docs. A sets block in the file replaces the
	// default "runbooks" set entirely.
	Sets map[string]DocSet `yaml:"sets"`
	// Covers maps a doc path to the code it describes.
	Covers map[string][]Glob `yaml:"covers"`
	Check  CheckMode         `yaml:"check"`
	// WarnWithin flags docs this close to their max age.
	WarnWithin Duration  `yaml:"warn_within"`
	Sweep      DocsSweep `yaml:"sweep"`
	Duty       Duty      `yaml:"duty"`
}

// DocSet is one named group of docs.
type DocSet struct {
	Paths  []Glob   `yaml:"paths"`
	MaxAge Duration `yaml:"max_age"`
	// Covers lists code that every doc of the set describes.
	Covers []Glob `yaml:"covers"`
}

func (s *DocSet) setDefaults() { s.MaxAge = Duration(90 * day) }

// DocsSweep is when the weekly tracking-issue sweep runs, in the team's zone.
type DocsSweep struct {
	Day  Weekday   `yaml:"day"`
	Time TimeOfDay `yaml:"time"`
}

// Duty is the documentation-duty rotation: one person (or team) per period,
// counted from Starts. Duty is off when Rotation is empty. Who is on duty
// when is decided in handlers/docs (docs.Duty), which also skips people who
// are away.
type Duty struct {
	Rotation []PersonRef `yaml:"rotation"`
	Starts   Date        `yaml:"starts"`
	Every    Duration    `yaml:"every"`
}

// Active reports whether a rotation is configured.
func (d Duty) Active() bool { return len(d.Rotation) > 0 }

func defaultDocs() Docs {
	return Docs{
		Enabled: true,
		Sets: map[string]DocSet{
			"runbooks": {Paths: []Glob{"docs/runbooks/**/*.md"}, MaxAge: Duration(90 * day)},
		},
		Check:      CheckAdvisory,
		WarnWithin: Duration(14 * day),
		Sweep:      DocsSweep{Day: Weekday(time.Monday), Time: 9 * 60},
		Duty:       Duty{Every: Duration(week)},
	}
}

// SetNames returns the doc set names in order.
func (d Docs) SetNames() []string {
	names := make([]string, 0, len(d.Sets))
	for n := range d.Sets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (d Docs) validate(report func(key, msg, hint string)) {
	for _, name := range d.SetNames() {
		s := d.Sets[name]
		key := "docs.sets." + name
		if len(s.Paths) == 0 {
			report(key+".paths", fmt.Sprintf("doc set %q has no paths", name), "add paths: [\"docs/"+name+"/**/*.md\"]")
		}
		if s.MaxAge <= 0 {
			report(key+".max_age", "must be longer than zero", "e.g. 90d")
		}
	}
	if d.WarnWithin < 0 {
		report("docs.warn_within", "must not be negative", "")
	}
	if d.Duty.Active() {
		if d.Duty.Starts.IsZero() {
			report("docs.duty.starts", "a rotation needs a start date", "add starts: YYYY-MM-DD, the first day of the first person's turn")
		}
		if d.Duty.Every < Duration(day) || d.Duty.Every%Duration(day) != 0 {
			report("docs.duty.every", fmt.Sprintf("rotation period %s is not a whole number of days", d.Duty.Every), "use e.g. 1w or 2w")
		}
	}
}
