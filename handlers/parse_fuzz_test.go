package handlers

import (
	"bytes"
	"testing"
)

// FuzzParseEvent: any payload gives an event or an error, never a panic,
// and an event keeps the type, delivery and payload it was given.
func FuzzParseEvent(f *testing.F) {
	f.Add("pull_request", []byte(`{"action":"opened","repository":{"id":1,"name":"r","owner":{"login":"o"}},"sender":{"login":"u","type":"User"},"installation":{"id":2},"pull_request":{"base":{"ref":"main"}}}`))
	f.Add("issues", []byte(`{"repository":null,"pull_request":{}}`))
	f.Add("x", []byte(`[`))
	f.Fuzz(func(t *testing.T, typ string, payload []byte) {
		ev, err := ParseEvent(typ, "d", payload)
		if err != nil {
			return
		}
		if ev.Type != typ || ev.DeliveryID != "d" || !bytes.Equal(ev.Payload, payload) {
			t.Fatalf("ParseEvent(%q) = %+v", typ, ev)
		}
	})
}
