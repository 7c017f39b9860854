package gh

import (
	"bytes"
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// A write whose context ends while it waits for its slot gives the slot
// back: later writes are not pushed out by writes that never happened.
func TestPacerReturnsTheSlotOfACancelledWrite(t *testing.T) {
	p := NewPacer(time.Hour)
	if err := p.Wait(context.Background()); err != nil { // takes the slot at once
		t.Fatal(err)
	}
	p.mu.Lock()
	want := p.next
	p.mu.Unlock()
	for range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := p.Wait(ctx); err == nil {
			t.Fatal("a cancelled wait for a slot an hour away succeeded")
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.next.Equal(want) {
		t.Errorf("next slot moved by %s after three cancelled writes, want unchanged", p.next.Sub(want))
	}
}

// Every mutating request through the transport waits for the pacer; reads
// and GraphQL queries do not.
func TestPaceTransportPacesEveryWriteOnly(t *testing.T) {
	p := NewPacer(time.Hour)
	var sent atomic.Int32
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent.Add(1)
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	rt := PaceTransport(p, next)
	do := func(method, url, body string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, method, url, bytes.NewBufferString(body))
		_, err := rt.RoundTrip(req)
		return err
	}
	if err := do("PATCH", "https://api.github.com/repos/o/r/check-runs/1", "{}"); err != nil {
		t.Fatalf("first write: %v", err)
	}
	// The hour's slot is taken: another write (a follow-up annotation
	// PATCH, a GraphQL mutation) must wait, so its short context ends.
	if err := do("PATCH", "https://api.github.com/repos/o/r/check-runs/1", "{}"); err == nil {
		t.Error("a second PATCH went through inside the interval")
	}
	if err := do("POST", "https://api.github.com/graphql", `{"query":"mutation{addDiscussionComment}"}`); err == nil {
		t.Error("a GraphQL mutation went through inside the interval")
	}
	for _, r := range []struct{ method, url, body string }{
		{"GET", "https://api.github.com/repos/o/r", ""},
		{"POST", "https://api.github.com/graphql", `{"query":"query{repository{id}}"}`},
	} {
		if err := do(r.method, r.url, r.body); err != nil {
			t.Errorf("%s %s was paced: %v", r.method, r.url, err)
		}
	}
	if got := sent.Load(); got != 3 {
		t.Errorf("requests sent = %d, want 3 (one write, two reads)", got)
	}
}
