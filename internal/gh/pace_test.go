package gh

import (
	"context"
	"testing"
	"time"
)

func TestPacerSpacesWritesOut(t *testing.T) {
	p := NewPacer(20 * time.Millisecond)
	start := time.Now()
	for i := 0; i < 4; i++ {
		if err := p.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// The first write goes at once, the next three each wait an interval.
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("4 writes took %v, want at least 60ms", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	slow := NewPacer(time.Hour)
	_ = slow.Wait(ctx) // the first is free
	if err := slow.Wait(ctx); err == nil {
		t.Error("a cancelled wait should return the context's error")
	}
	if err := NewPacer(0).Wait(context.Background()); err != nil {
		t.Error("no pacing when the interval is 0")
	}
}
