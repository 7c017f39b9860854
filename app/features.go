package app

import (
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/handlers/adr"
	"github.com/overlaphq/overlap/handlers/configcheck"
	"github.com/overlaphq/overlap/handlers/docs"
	"github.com/overlaphq/overlap/handlers/reviews"
	"github.com/overlaphq/overlap/handlers/timezones"
)

// DefaultFeatures are the features a production Overlap runs, in the order
// they are called for an event.
func DefaultFeatures() []handlers.Feature {
	decisions := adr.Feature{}
	return []handlers.Feature{
		configcheck.Feature{},
		decisions,
		// The docs tracking issue also lists decision records due for a
		// revisit: features meet through handlers.SectionSource, never by
		// importing each other.
		&docs.Feature{Sections: []handlers.SectionSource{decisions}},
		reviews.New(),
		timezones.Feature{},
	}
}
