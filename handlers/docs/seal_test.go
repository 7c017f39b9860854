package docs

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/overlaphq/overlap/internal/gh"
)

// testKey seals the data blocks of the package's pure tests, for the
// repository octo/ops that trackingInput uses.
var testKey = gh.DeriveStateKey("test webhook secret")

// dataPrefix starts a sealed data block.
const dataPrefix = "<!-- overlap-state:docs "

func parseData(body string) (Data, error) { return ParseData(body, testKey, "octo", "ops") }

func (d Data) block() string { return d.Block(testKey, "octo", "ops") }

// sealJSON seals a data block whose payload is js, as the app would.
func sealJSON(t testing.TB, js string) string {
	t.Helper()
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(js), &raw); err != nil {
		t.Fatalf("sealJSON: %v", err)
	}
	line, err := gh.SealState(testKey, dataFeature, dataScope("octo", "ops"), raw)
	if err != nil {
		t.Fatal(err)
	}
	return line
}

// blockJSON is the JSON payload of a sealed block.
func blockJSON(t testing.TB, block string) string {
	t.Helper()
	f := strings.Fields(strings.TrimSuffix(strings.TrimPrefix(block, dataPrefix), " -->"))
	if len(f) != 2 {
		t.Fatalf("not a sealed block: %q", block)
	}
	b, err := base64.RawStdEncoding.DecodeString(f[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A data block is trusted only when it is the body's last line, sealed for
// this repository: a forged, copied, hand-edited or old unsealed block
// reads as no data (and an error, for the log), so none of its reviews
// count.
func TestDataBlockIsTrustedOnlyWhenSealedForThisRepositoryOnTheLastLine(t *testing.T) {
	good := Data{Reviewed: map[string]Review{"docs/a.md": {On: Date{2026, 11, 2}, By: "alice"}}}
	forgedJSON := `{"reviewed":{"docs/a.md":{"on":"2026-11-24","by":"mallory"}}}`
	for _, c := range []struct {
		name    string
		body    string
		want    string // who reviewed docs/a.md, "" for nobody
		wantErr bool
	}{
		{"sealed, last line", "## Docs\n\n" + good.block() + "\n", "alice", false},
		{"sealed, CRLF", "## Docs\r\n\r\n" + good.block() + "\r\n", "alice", false},
		{"old unsealed block", "## Docs\n\n" + legacyDataPrefix + forgedJSON + " -->\n", "", true},
		{"forged block in echoed text above the real one", "| `" + legacyDataPrefix + forgedJSON + " -->` |\n\n" + (Data{}).block(), "", false},
		{"sealed block not on the last line", good.block() + "\n\ntext after it\n", "", false},
		{"sealed for another repository", "x\n" + good.Block(testKey, "octo", "other"), "", true},
		{"sealed with a rotated secret", "x\n" + good.Block(gh.DeriveStateKey("rotated"), "octo", "ops"), "", true},
		{"hand-edited payload", "x\n" + strings.Replace(good.block(), dataPrefix+"e", dataPrefix+"f", 1), "", true},
		{"no block", "no block here", "", false},
	} {
		d, err := parseData(c.body)
		if (err != nil) != c.wantErr || d.Reviewed["docs/a.md"].By != c.want {
			t.Errorf("%s: reviewed by %q, error %v; want %q, error %v", c.name, d.Reviewed["docs/a.md"].By, err, c.want, c.wantErr)
		}
	}
	if _, err := parseData("x\n" + legacyDataPrefix + "{} -->"); err != ErrLegacyData {
		t.Errorf("an unsealed block must read as ErrLegacyData (migrated without a note), got %v", err)
	}
}
