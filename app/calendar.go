package app

import (
	"github.com/overlaphq/overlap/config"
)

// CalendarLines describes a policy's team calendar for `overlap calendar`
// and `overlap config check`: each person's zone and hours and the team's
// overlap window.
func CalendarLines(p config.Policy) []string {
	return nil
}
