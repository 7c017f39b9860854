package config

// Timezones configures the conversion of time-sensitive phrases without a
// zone ("ship Friday", "by EOD") into each teammate's local time.
type Timezones struct {
	Enabled bool         `yaml:"enabled"`
	Mode    TimezoneMode `yaml:"mode"`
}

// TimezoneMode is how conversions are delivered: comment (a reply listing
// each teammate's local time) or off.
type TimezoneMode string

const (
	TimezoneComment TimezoneMode = "comment"
	TimezoneOff     TimezoneMode = "off"
)

func (m *TimezoneMode) parseScalar(s string) error {
	return parseEnum((*string)(m), "mode", s, string(TimezoneComment), string(TimezoneOff))
}

func defaultTimezones() Timezones {
	return Timezones{Enabled: true, Mode: TimezoneComment}
}

// Active reports whether conversions are posted at all.
func (t Timezones) Active() bool { return t.Enabled && t.Mode != TimezoneOff }

func (t Timezones) validate(func(key, msg, hint string)) {}
