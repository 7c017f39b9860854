package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
)

// UserAgent is what GitHub's webhook sender calls itself.
const UserAgent = "GitHub-Hookshot/overlap-fake"

// maxResponseBytes caps how much of a receiver's answer Send reads.
const maxResponseBytes = 1 << 20

// Sign returns the X-Hub-Signature-256 value GitHub computes for body:
// "sha256=" and the hex HMAC-SHA256 of body keyed with secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// signSHA1 is the legacy X-Hub-Signature GitHub still sends alongside.
func signSHA1(secret string, body []byte) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write(body)
	return "sha1=" + hex.EncodeToString(mac.Sum(nil))
}

// Sender delivers webhooks to a URL the way GitHub does.
type Sender struct {
	URL    string
	Secret string       // "": deliveries are unsigned, as GitHub does for hooks without a secret
	Client *http.Client // nil: http.DefaultClient
}

// Send POSTs body as a delivery of event with GitHub's headers
// (X-GitHub-Event, X-GitHub-Delivery, X-Hub-Signature-256 and the legacy
// X-Hub-Signature, Content-Type, User-Agent). An empty deliveryID is derived
// from the body, so redelivering the same payload reuses the same id, as a
// GitHub redelivery does. It returns the receiver's status and body.
func (s Sender) Send(ctx context.Context, event, deliveryID string, body []byte) (int, []byte, error) {
	if event == "" {
		return 0, nil, fmt.Errorf("send webhook: event name is required")
	}
	if deliveryID == "" {
		deliveryID = deriveDeliveryID(event, body)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return 0, nil, fmt.Errorf("send webhook %s %s: %w", event, deliveryID, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	req.Header.Set("X-GitHub-Event", event)
	req.Header.Set("X-GitHub-Delivery", deliveryID)
	if s.Secret != "" {
		req.Header.Set("X-Hub-Signature-256", Sign(s.Secret, body))
		req.Header.Set("X-Hub-Signature", signSHA1(s.Secret, body))
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("send webhook %s %s: %w", event, deliveryID, err)
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return resp.StatusCode, respBody, fmt.Errorf("send webhook %s %s: read response: %w", event, deliveryID, err)
	}
	return resp.StatusCode, respBody, nil
}

// deriveDeliveryID makes a GUID-shaped id from the event and body.
func deriveDeliveryID(event string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(event))
	h.Write([]byte{0})
	h.Write(body)
	x := hex.EncodeToString(h.Sum(nil))
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}
