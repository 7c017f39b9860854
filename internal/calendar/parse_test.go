package calendar

import (
	"errors"
	"testing"
	"time"
)

func TestParseClockRange(t *testing.T) {
	tests := []struct {
		in      string
		want    ClockRange
		wantErr string
	}{
		{in: "09:00-17:30", want: ClockRange{Clock{9, 0}, Clock{17, 30}}},
		{in: " 08:00 - 16:00 ", want: ClockRange{Clock{8, 0}, Clock{16, 0}}},
		{in: "00:00-24:00", want: ClockRange{Clock{0, 0}, Clock{24, 0}}},
		{in: "9-5", wantErr: `invalid time range "9-5": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "9:00-17:00", wantErr: `invalid time range "9:00-17:00": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "", wantErr: `invalid time range "": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "09:00–17:00", wantErr: `invalid time range "09:00–17:00": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "09:60-10:00", wantErr: `invalid time range "09:60-10:00": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "24:00-24:00", wantErr: `invalid time range "24:00-24:00": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "09:00-24:30", wantErr: `invalid time range "09:00-24:30": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "+9:00-10:00", wantErr: `invalid time range "+9:00-10:00": want HH:MM-HH:MM, e.g. 09:00-17:30`},
		{in: "17:00-09:00", wantErr: `invalid time range "17:00-09:00": start must be before end (a range cannot cross midnight)`},
		{in: "09:00-09:00", wantErr: `invalid time range "09:00-09:00": start must be before end (a range cannot cross midnight)`},
	}
	for _, tt := range tests {
		got, err := ParseClockRange(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseClockRange(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseClockRange(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if err == nil && !got.Valid() {
			t.Errorf("ParseClockRange(%q) returned invalid range %v", tt.in, got)
		}
	}
	if got := (ClockRange{Clock{9, 0}, Clock{17, 30}}).String(); got != "09:00-17:30" {
		t.Errorf("String() = %q, want 09:00-17:30", got)
	}
}

func TestParseWeekday(t *testing.T) {
	good := map[string]time.Weekday{
		"mon": time.Monday, "Monday": time.Monday, "TUE": time.Tuesday, "wednesday": time.Wednesday,
		"thu": time.Thursday, "Fri": time.Friday, "sat": time.Saturday, "SUNDAY": time.Sunday, " sun ": time.Sunday,
	}
	for in, want := range good {
		if got, err := ParseWeekday(in); err != nil || got != want {
			t.Errorf("ParseWeekday(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"fr", "", "monday!", "1", "lundi"} {
		want := `invalid weekday "` + in + `": want one of mon, tue, wed, thu, fri, sat, sun`
		if _, err := ParseWeekday(in); err == nil || err.Error() != want {
			t.Errorf("ParseWeekday(%q) error = %v, want %q", in, err, want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{in: "2026-12-25", want: Date{2026, time.December, 25}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}},
		{in: "2026-02-29", wantErr: `invalid date "2026-02-29": February 2026 has 28 days`},
		{in: "2026-04-31", wantErr: `invalid date "2026-04-31": April 2026 has 30 days`},
		{in: "2026-12-00", wantErr: `invalid date "2026-12-00": December 2026 has 31 days`},
		{in: "2026-13-01", wantErr: `invalid date "2026-13-01": month 13 does not exist`},
		{in: "2026-00-10", wantErr: `invalid date "2026-00-10": month 0 does not exist`},
		{in: "26-12-25", wantErr: `invalid date "26-12-25": want YYYY-MM-DD, e.g. 2026-12-25`},
		{in: "2026/12/25", wantErr: `invalid date "2026/12/25": want YYYY-MM-DD, e.g. 2026-12-25`},
		{in: "2026-1-025", wantErr: `invalid date "2026-1-025": want YYYY-MM-DD, e.g. 2026-12-25`},
		{in: "2026--1-01", wantErr: `invalid date "2026--1-01": want YYYY-MM-DD, e.g. 2026-12-25`},
		{in: "2026-12-25T09:00", wantErr: `invalid date "2026-12-25T09:00": want YYYY-MM-DD, e.g. 2026-12-25`},
		{in: "", wantErr: `invalid date "": want YYYY-MM-DD, e.g. 2026-12-25`},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDate(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if got.String() != tt.in {
			t.Errorf("ParseDate(%q).String() = %q", tt.in, got)
		}
	}
}

func TestParseDateRange(t *testing.T) {
	tests := []struct {
		in      string
		want    DateRange
		wantErr string
	}{
		{in: "2026-11-30..2026-12-04", want: DateRange{Date{2026, 11, 30}, Date{2026, 12, 4}}},
		{in: "2026-12-25", want: DateRange{Date{2026, 12, 25}, Date{2026, 12, 25}}},
		{in: "2026-12-25..2026-12-25", want: DateRange{Date{2026, 12, 25}, Date{2026, 12, 25}}},
		{in: "2026-12-04..2026-11-30", wantErr: `invalid date range "2026-12-04..2026-11-30": end 2026-11-30 is before start 2026-12-04`},
		{in: "2026-11-30..2026-12-32", wantErr: `invalid date range "2026-11-30..2026-12-32": invalid date "2026-12-32": December 2026 has 31 days`},
		{in: "2026-11-30..", wantErr: `invalid date range "2026-11-30..": invalid date "": want YYYY-MM-DD, e.g. 2026-12-25`},
		{in: "2026-11-30 - 2026-12-04", wantErr: `invalid date range "2026-11-30 - 2026-12-04": invalid date "2026-11-30 - 2026-12-04": want YYYY-MM-DD, e.g. 2026-12-25`},
	}
	for _, tt := range tests {
		got, err := ParseDateRange(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDateRange(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDateRange(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	r := DateRange{Date{2026, 11, 30}, Date{2026, 12, 4}}
	for d, want := range map[Date]bool{
		{2026, 11, 29}: false, {2026, 11, 30}: true, {2026, 12, 1}: true, {2026, 12, 4}: true, {2026, 12, 5}: false,
	} {
		if got := r.Contains(d); got != want {
			t.Errorf("%v.Contains(%v) = %v, want %v", r, d, got, want)
		}
	}
}

func TestLoadLocation(t *testing.T) {
	for _, name := range []string{"Europe/London", "America/New_York", "Asia/Singapore", "UTC"} {
		loc, err := LoadLocation(name)
		if err != nil || loc.String() != name {
			t.Errorf("LoadLocation(%q) = %v, %v", name, loc, err)
		}
	}
	bad := map[string]string{
		"PST":          `unknown time zone "PST": use an IANA name such as Europe/London`,
		"Mars/Olympus": `unknown time zone "Mars/Olympus": use an IANA name such as Europe/London`,
		"":             `invalid time zone "": use an IANA name such as Europe/London`,
		"Local":        `invalid time zone "Local": use an IANA name such as Europe/London`,
	}
	for name, want := range bad {
		if _, err := LoadLocation(name); err == nil || err.Error() != want {
			t.Errorf("LoadLocation(%q) error = %v, want %q", name, err, want)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := Date{2026, time.December, 31}
	if got := d.AddDays(1); got != (Date{2027, time.January, 1}) {
		t.Errorf("AddDays(1) = %v", got)
	}
	if got := (Date{2026, time.March, 1}).AddDays(-1); got != (Date{2026, time.February, 28}) {
		t.Errorf("AddDays(-1) = %v", got)
	}
	if got := (Date{2026, time.November, 27}).Weekday(); got != time.Friday {
		t.Errorf("Weekday = %v, want Friday", got)
	}
}

func TestParseClock(t *testing.T) {
	for in, want := range map[string]Clock{"09:30": {9, 30}, " 00:00 ": {0, 0}, "23:59": {23, 59}} {
		if got, err := ParseClock(in); err != nil || got != want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"9:30", "24:00", "12:60", "+9:00", "12:5", "noon", ""} {
		want := `invalid time "` + in + `": want HH:MM, e.g. 09:30`
		if _, err := ParseClock(in); err == nil || err.Error() != want {
			t.Errorf("ParseClock(%q) error = %v, want %q", in, err, want)
		}
	}
}

// Callers word a reversed range their own way; only that case matches
// ErrReversed.
func TestErrReversed(t *testing.T) {
	_, err := ParseClockRange("17:00-09:00")
	if !errors.Is(err, ErrReversed) {
		t.Errorf("reversed clock range: %v does not match ErrReversed", err)
	}
	_, err = ParseDateRange("2026-12-04..2026-11-30")
	if !errors.Is(err, ErrReversed) {
		t.Errorf("reversed date range: %v does not match ErrReversed", err)
	}
	for _, bad := range []error{
		func() error { _, err := ParseClockRange("9-5"); return err }(),
		func() error { _, err := ParseDateRange("2026-11-30..2026-12-32"); return err }(),
	} {
		if bad == nil || errors.Is(bad, ErrReversed) {
			t.Errorf("malformed range error %v must not match ErrReversed", bad)
		}
	}
}

func TestParseWeekdayAbbreviations(t *testing.T) {
	for in, want := range map[string]time.Weekday{"tues": time.Tuesday, "Weds": time.Wednesday, "thur": time.Thursday, "THURS": time.Thursday} {
		if got, err := ParseWeekday(in); err != nil || got != want {
			t.Errorf("ParseWeekday(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}
