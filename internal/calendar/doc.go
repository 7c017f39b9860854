// Package calendar answers Overlap's questions about people and time: is
// alice working now, is bob in a focus block, when may we ping carol, how much
// of alice's working time has a review request waited, and when is a norm due.
//
// # Model
//
// A team has a default [Schedule]: a time zone, daily working hours, working
// weekdays, focus blocks, holidays and away ranges. Each person may override
// the zone, hours, weekdays and focus blocks; anything left unset is inherited
// from the team. Holidays are the team's civil dates and away ranges are the
// team's plus the person's own; both are read in the person's local calendar
// (25 December is 25 December in Singapore too).
//
// Clock times are wall-clock times in the person's own zone, applied to each
// local civil day with time.Date. Durations are real elapsed time, so a
// 09:00-17:00 day is eight hours on the days DST starts or ends, and a range
// that begins in an hour a DST change skips is normalised by time.Date rather
// than panicking. Working hours never cross midnight.
//
// A person is working at an instant when it is one of their working weekdays,
// not a holiday, not inside an away range, and within their hours. GitHub's
// "busy" status (set once per sweep with [Calendar.SetBusy]) makes a person
// away for pinging purposes but does not change their working time: norms
// keep running while someone is heads-down.
//
// Whether Overlap may mention someone depends on [Urgency]: normal messages
// need working hours outside focus blocks, urgent ones may pierce focus
// blocks, and urgent after-hours ones only respect away days and busy status.
//
// The package is pure: it does no I/O and never reads the wall clock; every
// instant is an argument.
package calendar
