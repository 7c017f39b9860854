package gh

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Sealed state.
//
// A feature that remembers something between events keeps it in what it
// writes to GitHub (DESIGN.md, principle 2), as one hidden line:
//
//	<!-- overlap-state:<feature> <payload> <mac> -->
//
// payload is the value as JSON, base64-encoded (standard alphabet, no
// padding: no '-', '<' or '>', so the line cannot end its HTML comment or
// open another), and mac is HMAC-SHA256 over the feature, a scope (the
// object the state belongs to, e.g. "acme/api#42") and the payload, keyed
// with a StateKey derived from the app's webhook secret. Anyone who can
// edit the comment or issue can change the line, but cannot make a new
// one verify: a hand-edited, copied or forged block is treated as absent.
//
// Rotating the webhook secret changes the key, so every block sealed
// before no longer verifies and is treated as absent: each feature must
// be able to re-derive its state from GitHub (the ADR skip from `/adr
// skip` commands, recorded doc reviews from `/reviewed` comments).

// StateKey is the key that seals state blocks. The zero StateKey seals and
// opens nothing (ErrNoStateKey): the app refuses to start without a
// webhook secret, so only tests of pure code meet it.
type StateKey struct {
	k []byte
}

// stateKeyLabel fixes what the derived key is for, so the webhook secret's
// other use (signing deliveries) and this one never share a key.
const stateKeyLabel = "overlap/state-seal/v1"

// DeriveStateKey derives the state-sealing key from the app's webhook
// secret: HMAC-SHA256(secret, stateKeyLabel). An empty secret gives the
// zero key.
func DeriveStateKey(webhookSecret string) StateKey {
	if webhookSecret == "" {
		return StateKey{}
	}
	m := hmac.New(sha256.New, []byte(webhookSecret))
	m.Write([]byte(stateKeyLabel))
	return StateKey{k: m.Sum(nil)}
}

// IsZero reports whether the key is unset.
func (k StateKey) IsZero() bool { return len(k.k) == 0 }

// String keeps the key out of logs and test output.
func (k StateKey) String() string {
	if k.IsZero() {
		return "StateKey(unset)"
	}
	return "StateKey(redacted)"
}

// Errors of OpenState. Callers treat every one of them as "no state" and
// re-derive; they differ only in what is worth a log line.
var (
	// ErrNoState: the line is not a state block of this feature.
	ErrNoState = errors.New("no state block")
	// ErrUnsealedState: the line is a state block from before sealing
	// (plain JSON, no MAC).
	ErrUnsealedState = errors.New("state block is not sealed")
	// ErrBadSeal: the block does not verify (edited by hand, copied from
	// elsewhere, or sealed with another key).
	ErrBadSeal = errors.New("state block does not verify")
	// ErrNoStateKey: no key to seal or verify with.
	ErrNoStateKey = errors.New("no state key")
)

// maxStateLine bounds what OpenState decodes: a block is one line of a
// comment or issue body, which GitHub caps at 65,536 characters.
const maxStateLine = 1 << 16

// StatePrefix is how feature's state line starts.
func StatePrefix(feature string) string { return "<!-- overlap-state:" + feature + " " }

func (k StateKey) mac(feature, scope, payload string) []byte {
	m := hmac.New(sha256.New, k.k)
	// Length-prefixed fields: no two (feature, scope, payload) triples
	// share an input.
	fmt.Fprintf(m, "%d:%s|%d:%s|%d:%s", len(feature), feature, len(scope), scope, len(payload), payload)
	return m.Sum(nil)
}

var b64 = base64.RawStdEncoding

// SealState renders v (JSON-encoded) as feature's state line for the
// object scope names (no trailing newline).
func SealState(key StateKey, feature, scope string, v any) (string, error) {
	if key.IsZero() {
		return "", ErrNoStateKey
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("seal %s state: %w", feature, err)
	}
	payload := b64.EncodeToString(raw)
	return StatePrefix(feature) + payload + " " + b64.EncodeToString(key.mac(feature, scope, payload)) + " -->", nil
}

// OpenState verifies line as feature's state line for scope and decodes
// its value into v. line must be exactly the line the feature wrote (see
// LastLine): a block anywhere else is never looked for.
func OpenState(key StateKey, feature, scope, line string, v any) error {
	line = strings.TrimSpace(line)
	prefix := StatePrefix(feature)
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, " -->") {
		return ErrNoState
	}
	if key.IsZero() {
		return ErrNoStateKey
	}
	if len(line) > maxStateLine {
		return fmt.Errorf("%w: %d bytes", ErrBadSeal, len(line))
	}
	fields := strings.Fields(strings.TrimSuffix(line[len(prefix):], " -->"))
	if len(fields) > 0 && strings.HasPrefix(fields[0], "{") {
		return ErrUnsealedState
	}
	if len(fields) != 2 {
		return fmt.Errorf("%w: %d fields", ErrBadSeal, len(fields))
	}
	payload := fields[0]
	got, err := b64.DecodeString(fields[1])
	if err != nil || !hmac.Equal(got, key.mac(feature, scope, payload)) {
		return ErrBadSeal
	}
	raw, err := b64.DecodeString(payload)
	if err != nil {
		return fmt.Errorf("%w: payload: %v", ErrBadSeal, err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		// Sealed by us but not readable by this version: treat as absent.
		return fmt.Errorf("%w: payload: %v", ErrBadSeal, err)
	}
	return nil
}

// LastLine is the last non-blank line of body, where features write their
// state line: the position is part of the format, so a block quoted, or
// smuggled in through echoed user text, higher up is never read.
func LastLine(body string) string {
	body = strings.TrimRight(body, " \t\r\n")
	if i := strings.LastIndexByte(body, '\n'); i >= 0 {
		body = body[i+1:]
	}
	return strings.TrimSpace(body)
}

// StateKey is the key this Client's features seal their state with.
func (c *Client) StateKey() StateKey { return c.opts.StateKey }
