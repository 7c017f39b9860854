package config

import (
	"fmt"
	"strings"
	"time"
)

// Reviews configures written response-time norms for review requests. Times
// count in the reviewer's working hours.
type Reviews struct {
	Enabled bool `yaml:"enabled"`
	// FirstResponse is how long a requested reviewer has before one nudge.
	FirstResponse Duration `yaml:"first_response"`
	// UrgentLabel marks a PR that gets the urgent norm.
	UrgentLabel         string   `yaml:"urgent_label"`
	UrgentFirstResponse Duration `yaml:"urgent_first_response"`
	// UrgentAfterHours lets urgent nudges reach people outside working hours.
	UrgentAfterHours bool     `yaml:"urgent_after_hours"`
	RemindEvery      Duration `yaml:"remind_every"`
	MaxReminders     int      `yaml:"max_reminders"`
	// EscalateAfter is the number of reminders after which EscalateTo is told.
	EscalateAfter int `yaml:"escalate_after"`
	// EscalateTo is "" (no escalation), "codeowners", a login or "@org/team".
	EscalateTo EscalationTarget `yaml:"escalate_to"`
}

// EscalationTarget is who hears about a review that waits too long.
type EscalationTarget string

// EscalateToCodeowners escalates to the CODEOWNERS of the changed files.
const EscalateToCodeowners EscalationTarget = "codeowners"

func (e *EscalationTarget) parseScalar(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, string(EscalateToCodeowners)) {
		*e = EscalationTarget(strings.ToLower(s))
		return nil
	}
	p, err := ParsePersonRef(s)
	if err != nil {
		return badValue("use codeowners, @org/team or a login", "unknown escalation target %q", s)
	}
	*e = EscalationTarget(p)
	return nil
}

func defaultReviews() Reviews {
	return Reviews{
		Enabled:             true,
		FirstResponse:       Duration(4 * time.Hour),
		UrgentLabel:         "urgent",
		UrgentFirstResponse: Duration(time.Hour),
		RemindEvery:         Duration(day),
		MaxReminders:        2,
		EscalateAfter:       2,
	}
}

func (r Reviews) validate(report func(key, msg, hint string)) {
	for _, f := range []struct {
		key string
		d   Duration
	}{
		{"reviews.first_response", r.FirstResponse},
		{"reviews.urgent_first_response", r.UrgentFirstResponse},
		{"reviews.remind_every", r.RemindEvery},
	} {
		if f.d <= 0 {
			report(f.key, "must be longer than zero", "e.g. 4h")
		}
	}
	if r.MaxReminders < 0 {
		report("reviews.max_reminders", "must not be negative", "use 0 for no reminders after the first nudge")
	}
	if r.EscalateAfter < 0 {
		report("reviews.escalate_after", "must not be negative", "")
	}
	if r.EscalateTo != "" && r.EscalateAfter > r.MaxReminders {
		report("reviews.escalate_after", fmt.Sprintf("escalation after %d reminders never happens: it is more than max_reminders", r.EscalateAfter), "lower escalate_after or raise max_reminders")
	}
}
