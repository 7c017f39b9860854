package app

import (
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/configcheck"
)

// DefaultFeatures are the features a production Overlap runs, in the order
// they are called for an event.
func DefaultFeatures() []handlers.Feature {
	return []handlers.Feature{
		configcheck.Feature{},
	}
}
