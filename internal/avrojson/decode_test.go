package avrojson

import (
	"errors"
	"testing"

	"github.com/tonga-go/tonga/runtime/avrobin"
)

// TestDecodeOnly covers what Encode does not write: duplicate map keys,
// invalid UTF-8, several blocks, non-minimal decimals.
func TestDecodeOnly(t *testing.T) {
	tests := []struct {
		name, schema, hex, want string
	}{
		{"invalid UTF-8", `"string"`, `06 61 ff 62`, "\"a\uFFFDb\""},
		{"invalid UTF-8 keys, one after replacement", `{"type": "map", "values": "int"}`, `04 02 ff 02 02 fe 04 00`, "{\"\uFFFD\":2}"},
		{"duplicate key, last wins", `{"type": "map", "values": "int"}`, `06 02 62 02 02 61 04 02 62 06 00`, `{"a":2,"b":3}`},
		{"blocks", `{"type": "array", "items": "int"}`, `02 02 06 04 06 08 00`, `[1,2,3,4]`},
		{"block with byte size", `{"type": "array", "items": "int"}`, `03 04 02 04 00`, `[1,2]`},
		{"control characters", `"string"`, `06 00 1f 7f`, `"\u0000\u001f` + "\x7f" + `"`},
		{"decimal of no bytes", `{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}`, `00`, `"0.00"`},
		{"decimal not minimal", `{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}`, `06 ff ff ff`, `"-0.01"`},
		{"decimal beyond precision", `{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 1}`, `04 27 10`, `"1000.0"`},
		{"time of day beyond a day", `{"type": "int", "logicalType": "time-millis"}`, `80 f0 b2 52`, `86400000`},
		{"NaN payload", `"double"`, `01 00 00 00 00 00 f8 7f`, `"NaN"`},
		{"negative zero", `"double"`, `00 00 00 00 00 00 00 80`, `-0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := compile(t, tt.schema)
			j, err := decodeAll(s, unhex(t, tt.hex))
			if err != nil {
				t.Fatal(err)
			}
			if j != tt.want {
				t.Errorf("Decode(%s) = %s, want %s", tt.hex, j, tt.want)
			}
		})
	}
}

func TestDecodeCorrupt(t *testing.T) {
	items := `{"type": "record", "name": "Order", "namespace": "test", "fields": [{"name": "items", "type": {"type": "array", "items": ` + point + `}}]}`
	tests := []struct {
		name, schema, hex, want string
	}{
		{"empty", `"int"`, ``, `avrojson: avrobin: corrupt data at offset 0: truncated int varint`},
		{"boolean", `"boolean"`, `02`, `avrojson: avrobin: corrupt data at offset 0: boolean byte 0x02 is not 0 or 1`},
		{"string length", `"string"`, `0a 61`, `avrojson: avrobin: corrupt data at offset 0: string length 5 exceeds the 1 byte remaining`},
		{"negative length", `"bytes"`, `01`, `avrojson: avrobin: corrupt data at offset 0: bytes length -1 is negative`},
		{"enum index", `{"type": "enum", "name": "E", "symbols": ["A"]}`, `02`, `avrojson: avrobin: corrupt data at offset 0: enum index 1 out of range [0, 1)`},
		{"union index", `["null", "int"]`, `04`, `avrojson: avrobin: corrupt data at offset 0: union branch index 2 out of range [0, 2)`},
		{"block count", `{"type": "array", "items": "double"}`, `04 00 00 00 00 00 00 00 00`, `avrojson: avrobin: corrupt data at offset 0: block count 2 of items of at least 8 bytes exceeds the 8 bytes remaining`},
		{"map block count", `{"type": "map", "values": "double"}`, `02 02 61 00`, `avrojson: avrobin: corrupt data at offset 0: block count 1 of items of at least 9 bytes exceeds the 3 bytes remaining`},
		{"fixed", `{"type": "fixed", "name": "F", "size": 4}`, `00 00`, `avrojson: avrobin: corrupt data at offset 0: fixed needs 4 bytes, 2 remaining`},
		{"duration", `{"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}`, `00`, `avrojson: avrobin: corrupt data at offset 0: duration needs 12 bytes, 1 remaining`},
		{"path", items, `04 02 04 02 80`, `avrojson: .items[1].y: avrobin: corrupt data at offset 4: truncated int varint`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := compile(t, tt.schema)
			j, err := Decode(s, avrobin.NewReader(unhex(t, tt.hex)))
			if err == nil {
				t.Fatalf("Decode(%s) = %s, want an error", tt.hex, j)
			}
			if err.Error() != tt.want {
				t.Errorf("Decode(%s):\n got %s\nwant %s", tt.hex, err, tt.want)
			}
			if !errors.Is(err, avrobin.ErrCorrupt) {
				t.Errorf("error %v does not match avrobin.ErrCorrupt", err)
			}
		})
	}
}

// TestDecodeTruncated decodes every proper prefix of a value that uses
// every type: each must fail as corrupt, none may panic.
func TestDecodeTruncated(t *testing.T) {
	s := compile(t, withDefaults)
	data, err := encodeString(s, `{}`)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(data) {
		r := avrobin.NewReader(data[:n])
		j, err := Decode(s, r)
		if err == nil {
			err = r.Finish()
		}
		if !errors.Is(err, avrobin.ErrCorrupt) {
			t.Errorf("Decode of %d of %d bytes = %s, %v; want a corrupt-data error", n, len(data), j, err)
		}
	}
}

func TestDecodeArguments(t *testing.T) {
	if _, err := Decode(nil, avrobin.NewReader(nil)); err == nil {
		t.Error("Decode with a nil schema succeeded")
	}
	if _, err := Encode(nil, nil, []byte("1")); err == nil {
		t.Error("Encode with a nil schema succeeded")
	}
}
