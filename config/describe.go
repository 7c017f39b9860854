package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// feature names as people read them in the "Overlap config" check.
var featureNames = map[string]string{
	"extends":        "Extends",
	"team":           "Team",
	"adr":            "Decision records",
	"docs":           "Docs freshness",
	"reviews":        "Review reminders",
	"timezones":      "Timezone conversions",
	"weekly_updates": "Weekly updates",
	"policy":         "Policy sources",
}

// Describe summarises a policy for the "Overlap config" check: one line per
// feature with its key settings (a line saying "off" for disabled ones), and
// one for the team.
func Describe(p Policy) []string {
	var out []string
	if p.Extends != "" {
		out = append(out, "Extends: "+p.Extends)
	}
	out = append(out, describeTeam(p.Team))

	if p.ADR.Enabled {
		dir := p.ADR.Directory
		if dir == "" {
			dir = ".adr-dir or " + DefaultADRDirectory
		}
		line := fmt.Sprintf("Decision records: on — labels %s; ADRs in %s (%s), check %s",
			strings.Join(p.ADR.Labels, ", "), dir, p.ADR.Template, p.ADR.Check)
		if p.ADR.Numbering == NumberingDate {
			line += ", date-named records"
		}
		if p.ADR.AlwaysReport {
			line += ", always reported"
		}
		if len(p.ADR.LinkedRepositories) > 0 {
			line += "; records linked from " + strings.Join(p.ADR.LinkedRepositories, ", ") + " count"
		}
		out = append(out, line)
	} else {
		out = append(out, "Decision records: off")
	}

	if p.Docs.Enabled {
		var sets []string
		for _, name := range p.Docs.SetNames() {
			s := p.Docs.Sets[name]
			sets = append(sets, fmt.Sprintf("%s (%s, max age %s)", name, listString(s.Paths), s.MaxAge))
		}
		duty := "duty off"
		if p.Docs.Duty.Active() {
			duty = fmt.Sprintf("duty %s every %s from %s", listString(p.Docs.Duty.Rotation), p.Docs.Duty.Every, p.Docs.Duty.Starts)
		}
		out = append(out, fmt.Sprintf("Docs freshness: on — sets %s; check %s, warn %s ahead; sweep %s %s (%s); %s",
			orNone(strings.Join(sets, ", ")), p.Docs.Check, p.Docs.WarnWithin, p.Docs.Sweep.Day, p.Docs.Sweep.Time, p.Team.Timezone, duty))
	} else {
		out = append(out, "Docs freshness: off")
	}

	if r := p.Reviews; r.Enabled {
		esc := "no escalation"
		if r.EscalateTo != "" {
			esc = fmt.Sprintf("escalate to %s after %d reminders", r.EscalateTo, r.EscalateAfter)
		}
		after := "within working hours"
		if r.UrgentAfterHours {
			after = "also after hours"
		}
		out = append(out, fmt.Sprintf("Review reminders: on — first response within %s (%q: %s, %s); remind every %s, at most %d; %s",
			r.FirstResponse, r.UrgentLabel, r.UrgentFirstResponse, after, r.RemindEvery, r.MaxReminders, esc))
	} else {
		out = append(out, "Review reminders: off")
	}

	if p.Timezones.Active() {
		out = append(out, "Timezone conversions: on — posted as a comment")
	} else {
		out = append(out, "Timezone conversions: off")
	}
	out = append(out, describeWeekly(p.Weekly, p.Team))
	if len(p.Sources.ExtendsAllowed) > 0 {
		out = append(out, "Policy sources: repositories may extend files of "+strings.Join(p.Sources.ExtendsAllowed, ", "))
	}
	return out
}

func describeTeam(t Team) string {
	s := fmt.Sprintf("Team: %s, %s %s", t.Timezone, listString(t.WorkingDays), t.WorkingHours)
	if len(t.FocusBlocks) > 0 {
		s += "; focus blocks " + listString(t.FocusBlocks)
	}
	if n := len(t.Holidays); n > 0 {
		s += fmt.Sprintf("; %d holiday%s", n, plural(n))
	}
	if n := len(t.People); n > 0 {
		s += fmt.Sprintf("; %d %s configured", n, map[bool]string{true: "person", false: "people"}[n == 1])
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// Diff lists, in plain sentences, what changes from before to after: features
// turned on or off and every setting whose value differs.
func Diff(before, after Policy) []string {
	var out []string
	ov, nv := reflect.ValueOf(before), reflect.ValueOf(after)
	for _, f := range fieldsOf(ov.Type()) {
		feature := featureNames[f.name]
		a, b := ov.FieldByIndex(f.index), nv.FieldByIndex(f.index)
		if a.Kind() == reflect.Struct {
			if en := a.FieldByName("Enabled"); en.IsValid() && en.Bool() != b.FieldByName("Enabled").Bool() {
				if b.FieldByName("Enabled").Bool() {
					out = append(out, feature+" turned on")
				} else {
					out = append(out, feature+" turned off")
				}
			}
		}
		diffValues(&out, feature, "", a, b)
	}
	return out
}

func diffValues(out *[]string, feature, path string, a, b reflect.Value) {
	if reflect.DeepEqual(a.Interface(), b.Interface()) {
		return
	}
	if _, ok := a.Interface().(fmt.Stringer); ok || a.Kind() != reflect.Struct && a.Kind() != reflect.Map {
		if path == "" {
			*out = append(*out, fmt.Sprintf("%s changed from %s to %s", feature, valueString(a), valueString(b)))
			return
		}
		*out = append(*out, fmt.Sprintf("%s: %s changed from %s to %s", feature, path, valueString(a), valueString(b)))
		return
	}
	if a.Kind() == reflect.Map {
		keys := map[string]bool{}
		for _, k := range a.MapKeys() {
			keys[k.String()] = true
		}
		for _, k := range b.MapKeys() {
			keys[k.String()] = true
		}
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			kv := reflect.ValueOf(k).Convert(a.Type().Key())
			av, bv := a.MapIndex(kv), b.MapIndex(kv)
			switch {
			case !av.IsValid():
				*out = append(*out, fmt.Sprintf("%s: %s added", feature, join(path, k)))
			case !bv.IsValid():
				*out = append(*out, fmt.Sprintf("%s: %s removed", feature, join(path, k)))
			default:
				diffValues(out, feature, join(path, k), av, bv)
			}
		}
		return
	}
	for _, f := range fieldsOf(a.Type()) {
		if path == "" && f.name == "enabled" {
			continue // reported as "turned on/off"
		}
		diffValues(out, feature, join(path, f.name), a.FieldByIndex(f.index), b.FieldByIndex(f.index))
	}
}

func valueString(v reflect.Value) string {
	if s, ok := v.Interface().(fmt.Stringer); ok {
		return orNone(s.String())
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.Len() == 0 {
			return "(none)"
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = valueString(v.Index(i))
		}
		return strings.Join(parts, ", ")
	case reflect.Bool:
		if v.Bool() {
			return "yes"
		}
		return "no"
	case reflect.String:
		return orNone(v.String())
	}
	return fmt.Sprint(v.Interface())
}

func listString[T any](xs []T) string {
	return valueString(reflect.ValueOf(xs))
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
