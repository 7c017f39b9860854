// Package clock is the single source of time for Overlap's decision code.
// Nothing that decides calls time.Now directly: it is handed a Clock (or the
// instant it returned), which lets tests, `overlap sweep --at` and the sandbox
// run a simulated week.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current instant.
type Clock interface {
	Now() time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Fixed is a clock pinned to an instant until Set or Advance moves it. It is
// safe for concurrent use.
type Fixed struct {
	mu sync.Mutex
	t  time.Time
}

// At returns a clock pinned to t.
func At(t time.Time) *Fixed { return &Fixed{t: t} }

// Now returns the pinned instant.
func (f *Fixed) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Set moves the clock to t.
func (f *Fixed) Set(t time.Time) {
	f.mu.Lock()
	f.t = t
	f.mu.Unlock()
}

// Advance moves the clock forward by d.
func (f *Fixed) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}
