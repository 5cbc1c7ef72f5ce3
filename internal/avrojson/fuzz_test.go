package avrojson

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/tonga-go/tonga/runtime/avrobin"
	at "github.com/tonga-go/tonga/testdata/alltypes/want"
)

// FuzzDecode decodes arbitrary bytes as an Everything: no input may panic,
// an error must be an *Error, and what decodes must encode again from its
// JSON, to bytes that decode to the same JSON. (The bytes may differ: a
// union can take its value on another branch, a map another order.)
func FuzzDecode(f *testing.F) {
	s := everythingSchema(f)
	full, err := everything().MarshalAvro()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add(full[:len(full)/2])
	x := everything()
	x.Choice, x.Shapes, x.Times.MaybeAt = at.SuitSpades, nil, nil
	if data, err := x.MarshalAvro(); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := Decode(s, avrobin.NewReader(data))
		if err != nil {
			if e := (*Error)(nil); !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			return
		}
		if !json.Valid(j) {
			t.Fatalf("Decode wrote invalid JSON %s", j)
		}
		again, err := Encode(nil, s, j)
		if err != nil {
			t.Fatalf("decoded JSON does not encode: %v\n%s", err, j)
		}
		j2, err := decodeAll(s, again)
		if err != nil {
			t.Fatalf("re-encoded bytes do not decode: %v\n% x", err, again)
		}
		if j2 != string(j) {
			t.Fatalf("JSON changed after a round trip:\n%s\n%s", j, j2)
		}
	})
}

// FuzzEncode encodes arbitrary JSON as an Everything: no input may panic,
// an error must be an *Error, and what encodes must decode, and its JSON
// encode again to bytes that decode to the same JSON.
func FuzzEncode(f *testing.F) {
	s := everythingSchema(f)
	full, err := everything().MarshalAvro()
	if err != nil {
		f.Fatal(err)
	}
	j, err := Decode(s, avrobin.NewReader(full))
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(j))
	f.Add([]byte(`{"hash": "AAAAAAAAAAAAAAAAAAAAAA==", "choice": {"int": 1}, "shapes": [], "points_by_name": {}, "matrix": [],
		"nested_maps": {}, "list": {"value": 1, "global": {"id": ""}, "again": {"id": ""}}, "nothing": {}, "empties": [],
		"times": {"fixed_money": 1.5, "id": "", "raw_id": "00000000-0000-0000-0000-000000000000", "clock_ms": "00:00:00",
		"clock_us": 0, "at_us": "2026-01-02T03:04:05+01:00", "at_ns": 0, "local_ms": 0, "local_us": 0,
		"span": {"months": 0, "days": 0, "milliseconds": 0}, "maybe_at": null, "maybe_money": "1e1", "legacy_ts": "NaN",
		"bad_decimal": "", "unknown_logical": ""}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Encode(nil, s, data)
		if err != nil {
			if e := (*Error)(nil); !errors.As(err, &e) {
				t.Fatalf("error %T is not an *Error: %v", err, err)
			}
			return
		}
		j, err := decodeAll(s, b)
		if err != nil {
			t.Fatalf("encoded bytes do not decode: %v\n% x", err, b)
		}
		again, err := Encode(nil, s, []byte(j))
		if err != nil {
			t.Fatalf("decoded JSON does not encode: %v\n%s", err, j)
		}
		if j2, err := decodeAll(s, again); err != nil || j2 != j {
			t.Fatalf("JSON changed after a round trip (%v):\n%s\n%s", err, j, j2)
		}
	})
}
