package avrojson

import (
	"bytes"
	"testing"
)

const (
	point     = `{"type": "record", "name": "Point", "namespace": "test", "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": "int"}]}`
	timestamp = `{"type": "long", "logicalType": "timestamp-millis"}`
)

// TestRoundTrip encodes JSON, checks the bytes against the encoding worked
// out by hand from the Avro specification, decodes them and checks the
// JSON is the canonical form.
func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		json   string
		hex    string
		want   string // the canonical JSON, when it differs from json
	}{
		{"null", `"null"`, `null`, ``, ""},
		{"true", `"boolean"`, `true`, `01`, ""},
		{"false", `"boolean"`, `false`, `00`, ""},
		{"int zero", `"int"`, `0`, `00`, ""},
		{"int -1", `"int"`, `-1`, `01`, ""},
		{"int 64", `"int"`, `64`, `80 01`, ""},
		{"int max", `"int"`, `2147483647`, `fe ff ff ff 0f`, ""},
		{"int min", `"int"`, `-2147483648`, `ff ff ff ff 0f`, ""},
		{"int from 1e2", `"int"`, `1e2`, `c8 01`, `100`},
		{"int from 2.0", `"int"`, `2.0`, `04`, `2`},
		{"long beyond float64", `"long"`, `9007199254740993`, `82 80 80 80 80 80 80 20`, ""},
		{"long max", `"long"`, `9223372036854775807`, `fe ff ff ff ff ff ff ff ff 01`, ""},
		{"long min", `"long"`, `-9223372036854775808`, `ff ff ff ff ff ff ff ff ff 01`, ""},
		{"float", `"float"`, `1.5`, `00 00 c0 3f`, ""},
		{"float shortest", `"float"`, `0.1`, `cd cc cc 3d`, ""},
		{"float max", `"float"`, `3.4e38`, `9e c9 7f 7f`, `3.4e+38`},
		{"float NaN", `"float"`, `"NaN"`, `00 00 c0 7f`, ""},
		{"double", `"double"`, `0.1`, `9a 99 99 99 99 99 b9 3f`, ""},
		{"double exponent", `"double"`, `-2.25e3`, `00 00 00 00 00 94 a1 c0`, `-2250`},
		{"double large", `"double"`, `1e21`, `50 ef e2 d6 e4 1a 4b 44`, `1e+21`},
		{"double integer", `"double"`, `1`, `00 00 00 00 00 00 f0 3f`, ""},
		{"double Infinity", `"double"`, `"Infinity"`, `00 00 00 00 00 00 f0 7f`, ""},
		{"double -Infinity", `"double"`, `"-Infinity"`, `00 00 00 00 00 00 f0 ff`, ""},
		{"string", `"string"`, `"héllo"`, `0c 68 c3 a9 6c 6c 6f`, ""},
		{"string empty", `"string"`, `""`, `00`, ""},
		{"string escapes", `"string"`, `"a\"\\\n\u0001<&\u2028"`, `14 61 22 5c 0a 01 3c 26 e2 80 a8`, ""},
		{"bytes", `"bytes"`, `"AP8="`, `04 00 ff`, ""},
		{"bytes empty", `"bytes"`, `""`, `00`, ""},
		{"fixed", `{"type": "fixed", "name": "F", "size": 2}`, `"AP8="`, `00 ff`, ""},
		{"enum", `{"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}`, `"B"`, `02`, ""},
		{"array", `{"type": "array", "items": "int"}`, `[1, -1, 64]`, `06 02 01 80 01 00`, `[1,-1,64]`},
		{"array empty", `{"type": "array", "items": "int"}`, `[]`, `00`, ""},
		{"map sorted", `{"type": "map", "values": "int"}`, `{"b": 1, "a": 2}`, `04 02 61 04 02 62 02 00`, `{"a":2,"b":1}`},
		{"map empty", `{"type": "map", "values": "int"}`, `{}`, `00`, ""},
		{"record", point, `{"y": -1, "x": 1}`, `02 01`, `{"x":1,"y":-1}`},
		{"union null", `["null", "string"]`, `null`, `00`, ""},
		{"union string", `["null", "string"]`, `"x"`, `02 02 78`, ""},
		{"decimal", `{"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}`, `"12.34"`, `04 04 d2`, ""},
		{"decimal negative", `{"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}`, `"-0.50"`, `02 ce`, ""},
		{"decimal zero", `{"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}`, `"0"`, `02 00`, `"0.00"`},
		{"decimal number", `{"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}`, `12.3`, `04 04 ce`, `"12.30"`},
		{"decimal exponent", `{"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}`, `"1.5e2"`, `04 3a 98`, `"150.00"`},
		{"decimal trailing zero", `{"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}`, `"1.500"`, `04 00 96`, `"1.50"`},
		{"decimal scale 0", `{"type": "bytes", "logicalType": "decimal", "precision": 3}`, `"-128"`, `02 80`, ""},
		{"decimal 128", `{"type": "bytes", "logicalType": "decimal", "precision": 3}`, `"128"`, `04 00 80`, ""},
		{"decimal fixed", `{"type": "fixed", "name": "D", "size": 4, "logicalType": "decimal", "precision": 9, "scale": 2}`, `"-1.00"`, `ff ff ff 9c`, ""},
		{"uuid string", `{"type": "string", "logicalType": "uuid"}`, `"0b9f2c1e-4a4f-4d8e-9c51-1f2d3e4f5a6b"`, `48 30 62 39 66 32 63 31 65 2d 34 61 34 66 2d 34 64 38 65 2d 39 63 35 31 2d 31 66 32 64 33 65 34 66 35 61 36 62`, ""},
		{"uuid fixed", `{"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"}`, `"0B9F2C1E-4a4f-4d8e-9c51-1f2d3e4f5a6b"`, `0b 9f 2c 1e 4a 4f 4d 8e 9c 51 1f 2d 3e 4f 5a 6b`, `"0b9f2c1e-4a4f-4d8e-9c51-1f2d3e4f5a6b"`},
		{"date", `{"type": "int", "logicalType": "date"}`, `"2026-01-02"`, `ce bf 02`, ""},
		{"date raw", `{"type": "int", "logicalType": "date"}`, `20455`, `ce bf 02`, `"2026-01-02"`},
		{"date before epoch", `{"type": "int", "logicalType": "date"}`, `"1969-12-31"`, `01`, ""},
		{"date year 0", `{"type": "int", "logicalType": "date"}`, `"0000-01-01"`, `cf ea 57`, ""},
		{"date beyond 9999", `{"type": "int", "logicalType": "date"}`, `3000000`, `80 9b ee 02`, ""},
		{"time-millis", `{"type": "int", "logicalType": "time-millis"}`, `"13:04:05.123"`, `86 e8 ee 2c`, ""},
		{"time-millis without fraction", `{"type": "int", "logicalType": "time-millis"}`, `"00:00:00"`, `00`, `"00:00:00.000"`},
		{"time-millis negative", `{"type": "int", "logicalType": "time-millis"}`, `-1`, `01`, ""},
		{"time-micros", `{"type": "long", "logicalType": "time-micros"}`, `"13:04:05.123456"`, `80 f6 dc c1 de 02`, ""},
		{"timestamp-millis", timestamp, `"2026-01-02T03:04:05.123Z"`, `86 b4 cc ca ef 66`, ""},
		{"timestamp-millis offset", timestamp, `"2026-01-02T04:34:05.123+01:30"`, `86 b4 cc ca ef 66`, `"2026-01-02T03:04:05.123Z"`},
		{"timestamp-millis no fraction", timestamp, `"1970-01-01T00:00:00Z"`, `00`, `"1970-01-01T00:00:00.000Z"`},
		{"timestamp-millis raw", timestamp, `-1`, `01`, `"1969-12-31T23:59:59.999Z"`},
		{"timestamp-millis beyond 9999", timestamp, `9223372036854775807`, `fe ff ff ff ff ff ff ff ff 01`, ""},
		{"timestamp-micros", `{"type": "long", "logicalType": "timestamp-micros"}`, `"2026-01-02T03:04:05.123456Z"`, `80 d6 f6 e4 de d7 a3 06`, ""},
		{"timestamp-nanos", `{"type": "long", "logicalType": "timestamp-nanos"}`, `"2026-01-02T03:04:05.123456789Z"`, `aa fc 8f bf c4 bc e5 86 31`, ""},
		{"local-timestamp-millis", `{"type": "long", "logicalType": "local-timestamp-millis"}`, `"2026-01-02T03:04:05.123"`, `86 b4 cc ca ef 66`, ""},
		{"local-timestamp-micros", `{"type": "long", "logicalType": "local-timestamp-micros"}`, `"2026-01-02T03:04:05.123456"`, `80 d6 f6 e4 de d7 a3 06`, ""},
		{"local-timestamp-nanos", `{"type": "long", "logicalType": "local-timestamp-nanos"}`, `"2026-01-02T03:04:05.123456789"`, `aa fc 8f bf c4 bc e5 86 31`, ""},
		{"duration", `{"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}`, `{"months": 1, "days": 2, "milliseconds": 4294967295}`, `01 00 00 00 02 00 00 00 ff ff ff ff`, `{"months":1,"days":2,"milliseconds":4294967295}`},
		{"ignored logical", `{"type": "double", "logicalType": "timestamp-millis"}`, `1.5`, `00 00 00 00 00 00 f8 3f`, ""},
		{"unknown logical", `{"type": "string", "logicalType": "color"}`, `"red"`, `06 72 65 64`, ""},
		{"ignored decimal", `{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 5}`, `"AP8="`, `04 00 ff`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := compile(t, tt.schema)
			got, err := encodeString(s, tt.json)
			if err != nil {
				t.Fatalf("Encode(%s): %v", tt.json, err)
			}
			if want := unhex(t, tt.hex); !bytes.Equal(got, want) {
				t.Fatalf("Encode(%s) = % x, want % x", tt.json, got, want)
			}
			j, err := decodeAll(s, got)
			if err != nil {
				t.Fatalf("Decode(% x): %v", got, err)
			}
			want := tt.want
			if want == "" {
				want = tt.json
			}
			if j != want {
				t.Errorf("Decode(% x) = %s, want %s", got, j, want)
			}
		})
	}
}
