package reviews

import "strings"

// The CODEOWNERS reader as it was before it read lines in place and kept
// owners unsplit (it split the file, ran strings.Fields on every line and
// kept a slice of owners per rule): TestCodeownersMatchesOld holds the new
// one to it. Patterns are matched with matchOwnerPattern, the reference.

type oldRule struct {
	pattern string
	owners  []string
}

func oldParseCodeowners(data string) []oldRule {
	var rules []oldRule
	for _, line := range strings.Split(data, "\n") {
		if i := strings.Index(line, " #"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		rules = append(rules, oldRule{pattern: fields[0], owners: fields[1:]})
	}
	return rules
}

func oldOwners(rules []oldRule, paths []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		for i := len(rules) - 1; i >= 0; i-- {
			if !matchOwnerPattern(rules[i].pattern, p) {
				continue
			}
			for _, o := range rules[i].owners {
				if strings.HasPrefix(o, "@") && !seen[strings.ToLower(o)] {
					seen[strings.ToLower(o)] = true
					out = append(out, o)
				}
			}
			break
		}
	}
	return out
}
