package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

const seedSchemas = "../../testdata/seed/schemas"

// withStdin runs fn with data as the commands' standard input.
func withStdin(t *testing.T, data []byte, fn func()) {
	t.Helper()
	old := stdin
	stdin = bytes.NewReader(data)
	defer func() { stdin = old }()
	fn()
}

const orderedJSON = `{"schema_version":"1.0.0","record_id":"r1","partition_key":"c1","timestamp":1767323045678.901,` +
	`"datetime":"2026-01-02T03:04:05.678901+00:00","correlation_id":"r1","context":{"n":3.5,"s":"x","z":null},` +
	`"uuid":"c1","cup_type":"large","coffee_type":"latte","coffee_for":"ana","amount":2.5}`

func TestEncodeDecode(t *testing.T) {
	for _, framing := range []string{"soe", "tonga"} {
		var msg []byte
		withStdin(t, []byte(orderedJSON), func() {
			code, stdout, stderr := run(t, "encode", "--schemas", seedSchemas, "--type", "tonga.waiter.event.CoffeeOrdered", "--framing", framing)
			if code != 0 {
				t.Fatalf("encode --framing %s: %d %s", framing, code, stderr)
			}
			msg = []byte(stdout)
		})
		if got := wire.Detect(msg).String(); got != framing {
			t.Errorf("encode wrote %s framing, want %s", got, framing)
		}

		// The generated type reads what encode wrote.
		d := decoderFor(t)
		rec, _, err := d.Decode(msg)
		if err != nil {
			t.Fatal(err)
		}
		ev := rec.(*seed.CoffeeOrdered)
		if ev.CoffeeFor != "ana" || ev.Amount != 2.5 || *ev.PartitionKey != "c1" || ev.Context["n"] == nil {
			t.Errorf("%s: generated type decoded %+v", framing, ev)
		}

		path := filepath.Join(t.TempDir(), "msg")
		if err := os.WriteFile(path, msg, 0o644); err != nil {
			t.Fatal(err)
		}
		code, stdout, stderr := run(t, "decode", "--schemas", seedSchemas, path)
		if code != 0 {
			t.Fatalf("decode: %d %s", code, stderr)
		}
		var got message
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		if got.Schema != "tonga.waiter.event.CoffeeOrdered" || got.Framing != framing || !jsonEqual(t, got.Record, []byte(orderedJSON)) {
			t.Errorf("decode printed %s", stdout)
		}

		// decode's output feeds encode again, to the same bytes.
		withStdin(t, []byte(stdout), func() {
			_, again, _ := run(t, "encode", "--schemas", seedSchemas, "--type", "tonga.waiter.event.CoffeeOrdered", "--framing", framing)
			if framing == "soe" && again != string(msg) {
				t.Error("decode | encode changed the message")
			}
		})
	}
}

func decoderFor(t *testing.T) *wire.Decoder {
	t.Helper()
	reg, err := newSeedRegistry()
	if err != nil {
		t.Fatal(err)
	}
	d, err := wire.NewDecoder(reg)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xs, _ := json.Marshal(x)
	ys, _ := json.Marshal(y)
	return bytes.Equal(xs, ys)
}

func TestDecodeErrors(t *testing.T) {
	ev := seed.NewCoffeeOrdered()
	soe, err := wire.AppendSingleObject(nil, ev)
	if err != nil {
		t.Fatal(err)
	}
	withStdin(t, soe, func() {
		if code, _, stderr := run(t, "decode"); code != 1 || !strings.Contains(stderr, "pass --schemas") {
			t.Errorf("single-object without schemas: %d %q", code, stderr)
		}
	})
	withStdin(t, []byte("garbage"), func() {
		if code, _, stderr := run(t, "decode"); code != 1 || !strings.Contains(stderr, "unknown framing") {
			t.Errorf("garbage: %d %q", code, stderr)
		}
	})
	withStdin(t, []byte(`{"uuid": 1}`), func() {
		if code, _, stderr := run(t, "encode", "--schemas", seedSchemas, "--type", "tonga.waiter.event.CoffeeOrdered"); code != 1 || stderr == "" {
			t.Errorf("bad JSON record: %d %q", code, stderr)
		}
	})
	if code, _, _ := run(t, "encode", "--schemas", seedSchemas, "--type", "x", "--framing", "xml"); code != 2 {
		t.Errorf("bad framing: exit %d, want 2", code)
	}
}

func newSeedRegistry() (*tonga.Registry, error) { return tonga.NewRegistry(seed.Schemas()...) }

// TestEncodeFillsEnvelope encodes records that give only their own
// fields: encode fills the envelope as for a new record of its own flow,
// and a command still needs its processing_guarantee.
func TestEncodeFillsEnvelope(t *testing.T) {
	before := time.Now().Truncate(time.Microsecond)
	var msg []byte
	withStdin(t, []byte(`{"uuid":"c1","cup_type":"large","coffee_type":"latte","coffee_for":"ana","amount":2.5}`), func() {
		code, stdout, stderr := run(t, "encode", "--schemas", seedSchemas, "--type", "tonga.waiter.event.CoffeeOrdered")
		if code != 0 {
			t.Fatalf("encode: %d %s", code, stderr)
		}
		msg = []byte(stdout)
	})
	rec, _, err := decoderFor(t).Decode(msg)
	if err != nil {
		t.Fatal(err)
	}
	ev := rec.(*seed.CoffeeOrdered)
	at := ev.Time()
	if ev.CoffeeFor != "ana" || ev.RecordID == "" || ev.CorrelationID != ev.RecordID || ev.PartitionKey != nil ||
		len(ev.Context) != 0 || ev.SchemaVersion != seed.NewCoffeeOrdered().SchemaVersion ||
		at.Before(before) || at.After(time.Now()) || ev.Datetime != tonga.FormatDatetime(at) {
		t.Errorf("encode filled the envelope as %+v", ev.Envelope)
	}

	// Fields given are kept; a given record id is the flow's.
	withStdin(t, []byte(`{"record_id":"r9","partition_key":"k","uuid":"c1","cup_type":"large","coffee_type":"latte","coffee_for":"ana","amount":2.5}`), func() {
		_, stdout, _ := run(t, "encode", "--schemas", seedSchemas, "--type", "tonga.waiter.event.CoffeeOrdered")
		rec, _, err := decoderFor(t).Decode([]byte(stdout))
		if err != nil {
			t.Fatal(err)
		}
		if ev := rec.(*seed.CoffeeOrdered); ev.RecordID != "r9" || ev.CorrelationID != "r9" || ev.PartitionKey == nil || *ev.PartitionKey != "k" {
			t.Errorf("encode with a record id: %+v", ev.Envelope)
		}
	})

	withStdin(t, []byte(`{"uuid":"c1","cup_type":"large","coffee_type":"latte"}`), func() {
		code, _, stderr := run(t, "encode", "--schemas", seedSchemas, "--type", "tonga.coffeemaker.command.MakeCoffee")
		if code != 1 || !strings.Contains(stderr, "processing_guarantee") {
			t.Errorf("command without processing_guarantee: %d %q", code, stderr)
		}
	})
}
