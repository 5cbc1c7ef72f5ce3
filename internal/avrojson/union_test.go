package avrojson

import (
	"bytes"
	"testing"
)

const circle = `{"type": "record", "name": "Circle", "namespace": "test", "fields": [{"name": "center", "type": "Point"}, {"name": "radius", "type": "double"}]}`

// TestUnionBranch checks which branch Encode chooses, by the bytes it
// writes, and that the value decodes to the canonical JSON.
func TestUnionBranch(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		json   string
		hex    string
		want   string // the canonical JSON, when it differs from json
	}{
		{"int before long", `["int", "long"]`, `1`, `00 02`, ""},
		{"long beyond int", `["int", "long"]`, `3000000000`, `02 80 f8 82 ad 16`, ""},
		{"long before double", `["null", "long", "double"]`, `5`, `02 0a`, ""},
		{"fraction to double", `["null", "long", "double"]`, `0.5`, `04 00 00 00 00 00 00 e0 3f`, ""},
		{"exponent to double", `["long", "double"]`, `1e2`, `02 00 00 00 00 00 00 59 40`, `100`},
		{"float when exact", `["float", "double"]`, `1.5`, `00 00 00 c0 3f`, ""},
		{"double when float is not exact", `["float", "double"]`, `0.1`, `02 9a 99 99 99 99 99 b9 3f`, ""},
		{"float with rounding", `["null", "float"]`, `0.1`, `02 cd cc cc 3d`, ""},
		{"NaN to double", `["null", "double"]`, `"NaN"`, `02 00 00 00 00 00 00 f8 7f`, ""},
		{"NaN to string first", `["null", "string", "double"]`, `"NaN"`, `02 06 4e 61 4e`, ""},
		{"string before enum", `["string", {"type": "enum", "name": "E", "symbols": ["A"]}]`, `"A"`, `00 02 41`, ""},
		{"enum symbol", `[{"type": "enum", "name": "E", "symbols": ["A"]}, "string"]`, `"A"`, `00 00`, ""},
		{"enum falls to string", `[{"type": "enum", "name": "E", "symbols": ["A"]}, "string"]`, `"B"`, `02 02 42`, ""},
		{"bytes when base64", `["null", "bytes"]`, `"AP8="`, `02 04 00 ff`, ""},
		{"fixed of its size", `[{"type": "fixed", "name": "F", "size": 1}, {"type": "fixed", "name": "G", "size": 2}]`, `"AP8="`, `02 00 ff`, ""},
		{"record", `["null", ` + point + `, {"type": "map", "values": "int"}]`, `{"x": 1, "y": 2}`, `02 02 04`, `{"x":1,"y":2}`},
		{"map when a field is missing", `["null", ` + point + `, {"type": "map", "values": "int"}]`, `{"x": 1}`, `04 02 02 78 02 00`, `{"x":1}`},
		{"map when a key is unknown", `["null", ` + point + `, {"type": "map", "values": "int"}]`, `{"x": 1, "y": 2, "z": 3}`, `04 06 02 78 02 02 79 04 02 7a 06 00`, `{"x":1,"y":2,"z":3}`},
		{"second record", `[` + point + `, ` + circle + `]`, `{"center": {"x": 0, "y": 0}, "radius": 1}`, `02 00 00 00 00 00 00 00 00 f0 3f`, `{"center":{"x":0,"y":0},"radius":1}`},
		{"record whose field types fit", `[{"type": "record", "name": "A", "fields": [{"name": "v", "type": "int"}]}, {"type": "record", "name": "B", "fields": [{"name": "v", "type": "string"}]}]`, `{"v": "s"}`, `02 02 73`, `{"v":"s"}`},
		{"record with defaults", `[{"type": "record", "name": "A", "fields": [{"name": "v", "type": "int", "default": 7}]}]`, `{}`, `00 0e`, `{"v":7}`},
		{"map whose values fit", `[{"type": "map", "values": "int"}, {"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}]}]`, `{"a": "x"}`, `02 02 78`, `{"a":"x"}`},
		{"array whose items fit", `["null", {"type": "array", "items": "int"}, "string"]`, `[1]`, `02 02 02 00`, `[1]`},
		{"timestamp string", `["null", ` + timestamp + `]`, `"1970-01-01T00:00:00.001Z"`, `02 02`, ""},
		{"timestamp raw", `["null", ` + timestamp + `]`, `1`, `02 02`, `"1970-01-01T00:00:00.001Z"`},
		{"string before timestamp", `["string", ` + timestamp + `]`, `"1970-01-01T00:00:00.001Z"`, `00 30 31 39 37 30 2d 30 31 2d 30 31 54 30 30 3a 30 30 3a 30 30 2e 30 30 31 5a`, ""},
		{"decimal", `["null", {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 1}]`, `"1.5"`, `02 02 0f`, ""},
		{"decimal from a number", `["null", {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 1}]`, `1.5`, `02 02 0f`, `"1.5"`},
		{"duration", `["null", {"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}]`, `{"months": 0, "days": 0, "milliseconds": 1}`, `02 00 00 00 00 00 00 00 00 01 00 00 00`, `{"months":0,"days":0,"milliseconds":1}`},
		// Avro's JSON encoding: {"<branch>": value}.
		{"wrapped string", `["null", "string"]`, `{"string": "x"}`, `02 02 78`, `"x"`},
		{"wrapped long", `["null", "int", "long"]`, `{"long": 1}`, `04 02`, `1`},
		{"wrapped record full name", `["null", ` + point + `]`, `{"test.Point": {"x": 1, "y": 2}}`, `02 02 04`, `{"x":1,"y":2}`},
		{"wrapped record short name", `["null", ` + point + `]`, `{"Point": {"x": 1, "y": 2}}`, `02 02 04`, `{"x":1,"y":2}`},
		{"wrapped null", `["null", "string"]`, `{"null": null}`, `00`, `null`},
		{"wrapped float", `["null", "float"]`, `{"float": 0.1}`, `02 cd cc cc 3d`, `0.1`},
		{"wrapped array", `["null", {"type": "array", "items": "int"}]`, `{"array": [1]}`, `02 02 02 00`, `[1]`},
		{"wrapped map", `["null", {"type": "map", "values": "int"}]`, `{"map": {"a": 1}}`, `02 02 02 61 02 00`, `{"a":1}`},
		{"a map key is not a wrapper", `["null", {"type": "map", "values": "string"}]`, `{"string": "x"}`, `02 02 0c 73 74 72 69 6e 67 02 78 00`, `{"string":"x"}`},
		{"a record field is not a wrapper", `["null", "string", {"type": "record", "name": "R", "fields": [{"name": "string", "type": "string"}]}]`, `{"string": "x"}`, `04 02 78`, `{"string":"x"}`},
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
