package avrojson

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

const withDefaults = `{"type": "record", "name": "D", "namespace": "test", "fields": [
	{"name": "i", "type": "int", "default": -7},
	{"name": "l", "type": "long", "default": 9007199254740993},
	{"name": "f", "type": "float", "default": 1.5},
	{"name": "d", "type": "double", "default": -2.25e3},
	{"name": "b", "type": "boolean", "default": true},
	{"name": "blob", "type": "bytes", "default": "\u00ff\u0000a"},
	{"name": "s", "type": "string", "default": "héllo"},
	{"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B"]}, "default": "B"},
	{"name": "fx", "type": {"type": "fixed", "name": "F", "size": 2}, "default": "\u00ff\u0001"},
	{"name": "arr", "type": {"type": "array", "items": "int"}, "default": [1, 2]},
	{"name": "m", "type": {"type": "map", "values": "long"}, "default": {"y": 2, "x": 1}},
	{"name": "u", "type": ["null", "string"], "default": null},
	{"name": "u2", "type": ["string", "null"], "default": "anon"},
	{"name": "p", "type": ` + point + `, "default": {"x": 0, "y": -1}},
	{"name": "inner", "type": {"type": "record", "name": "Inner", "fields": [
		{"name": "a", "type": "int", "default": 5}, {"name": "b", "type": "string"}]}, "default": {"b": "z"}},
	{"name": "money", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}, "default": "\u0004\u00d2"},
	{"name": "at", "type": ` + timestamp + `, "default": 1700000000000}
]}`

func TestDefaults(t *testing.T) {
	s := compile(t, withDefaults)
	tests := []struct {
		name, json, hex, want string
	}{
		{"all defaults", `{}`,
			`0d 82 80 80 80 80 80 80 20 00 00 c0 3f 00 00 00 00 00 94 a1 c0 01 06 ff 00 61 0c 68 c3 a9 6c 6c 6f 02 ff 01 ` +
				`04 02 04 00 04 02 78 02 02 79 04 00 00 00 08 61 6e 6f 6e 00 01 0a 02 7a 04 04 d2 80 a0 ab fe f9 62`,
			`{"i":-7,"l":9007199254740993,"f":1.5,"d":-2250,"b":true,"blob":"/wBh","s":"héllo","e":"B","fx":"/wE=",` +
				`"arr":[1,2],"m":{"x":1,"y":2},"u":null,"u2":"anon","p":{"x":0,"y":-1},"inner":{"a":5,"b":"z"},` +
				`"money":"12.34","at":"2023-11-14T22:13:20.000Z"}`},
		{"some given", `{"i": 1, "u": "v", "inner": {"b": "y"}, "at": 0}`,
			`02 82 80 80 80 80 80 80 20 00 00 c0 3f 00 00 00 00 00 94 a1 c0 01 06 ff 00 61 0c 68 c3 a9 6c 6c 6f 02 ff 01 ` +
				`04 02 04 00 04 02 78 02 02 79 04 00 02 02 76 00 08 61 6e 6f 6e 00 01 0a 02 79 04 04 d2 00`,
			`{"i":1,"l":9007199254740993,"f":1.5,"d":-2250,"b":true,"blob":"/wBh","s":"héllo","e":"B","fx":"/wE=",` +
				`"arr":[1,2],"m":{"x":1,"y":2},"u":"v","u2":"anon","p":{"x":0,"y":-1},"inner":{"a":5,"b":"y"},` +
				`"money":"12.34","at":"1970-01-01T00:00:00.000Z"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := encodeString(s, tt.json)
			if err != nil {
				t.Fatal(err)
			}
			if want := unhex(t, tt.hex); !bytes.Equal(got, want) {
				t.Fatalf("Encode(%s) =\n% x\nwant\n% x", tt.json, got, want)
			}
			j, err := decodeAll(s, got)
			if err != nil {
				t.Fatal(err)
			}
			if j != tt.want {
				t.Errorf("Decode =\n%s\nwant\n%s", j, tt.want)
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	const (
		items  = `{"type": "record", "name": "Order", "namespace": "test", "fields": [{"name": "items", "type": {"type": "array", "items": ` + point + `}}]}`
		amount = `{"type": "record", "name": "CoffeeOrdered", "namespace": "tonga.waiter", "fields": [{"name": "amount", "type": "float"}]}`
		money  = `{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}`
	)
	tests := []struct {
		name, schema, json, want string
	}{
		{"not JSON", `"int"`, `{`, `avrojson: invalid JSON: unexpected EOF`},
		{"trailing data", `"int"`, `1 2`, `avrojson: invalid JSON: more data after the value`},
		{"null", `"null"`, `0`, `avrojson: expected null, got 0`},
		{"boolean", `"boolean"`, `"true"`, `avrojson: expected a boolean, got "true"`},
		{"int from string", `"int"`, `"1"`, `avrojson: expected an int (a JSON integer), got "1"`},
		{"int fraction", `"int"`, `1.5`, `avrojson: expected an int (a JSON integer), got 1.5`},
		{"int range", `"int"`, `2147483648`, `avrojson: 2147483648 is out of range for int`},
		{"int range exponent", `"int"`, `3e9`, `avrojson: 3e9 is out of range for int`},
		{"long range", `"long"`, `9223372036854775808`, `avrojson: 9223372036854775808 is out of range for long`},
		{"long huge exponent", `"long"`, `1e999999999`, `avrojson: expected a long (a JSON integer), got 1e999999999`},
		{"float range", `"float"`, `1e39`, `avrojson: 1e39 is out of range for float`},
		{"double from string", `"double"`, `"nan"`, `avrojson: expected a double (a JSON number, "NaN", "Infinity" or "-Infinity"), got "nan"`},
		{"string", `"string"`, `1`, `avrojson: expected a string, got 1`},
		{"bad base64", `"bytes"`, `"AP8"`, `avrojson: expected bytes (a base64 string), got "AP8": illegal base64 data at input byte 0`},
		{"fixed size", `{"type": "fixed", "name": "F", "namespace": "test", "size": 2}`, `"AA=="`, `avrojson: expected fixed test.F (a base64 string of 2 bytes), got "AA==": 1 byte`},
		{"enum", `{"type": "enum", "name": "E", "namespace": "test", "symbols": ["A", "B"]}`, `"C"`, `avrojson: expected a symbol of enum test.E ("A", "B"), got "C"`},
		{"array", `{"type": "array", "items": "int"}`, `{}`, `avrojson: expected an array, got an object`},
		{"map", `{"type": "map", "values": "int"}`, `[]`, `avrojson: expected a map (a JSON object), got an array of 0 items`},
		{"map value", `{"type": "map", "values": "int"}`, `{"k": true}`, `avrojson: ["k"]: expected an int (a JSON integer), got true`},
		{"record", point, `[1, 2]`, `avrojson: expected record test.Point (a JSON object), got an array of 2 items`},
		{"unknown fields", point, `{"x": 1, "y": 2, "z": 3, "w": 4}`, `avrojson: record test.Point has no fields "w", "z"`},
		{"missing field", point, `{"x": 1}`, `avrojson: record test.Point: missing field "y", which has no default`},
		{"field path", amount, `{"amount": "x"}`, `avrojson: .amount: expected a float (a JSON number, "NaN", "Infinity" or "-Infinity"), got "x"`},
		{"nested path", items, `{"items": [{"x": 1, "y": 2}, {"x": 1, "y": 2.5}]}`, `avrojson: .items[1].y: expected an int (a JSON integer), got 2.5`},
		{"union", `["null", "int"]`, `"x"`, `avrojson: no branch of union [null, int] accepts "x"`},
		{"union record", `["null", ` + point + `]`, `{"x": 1}`, `avrojson: no branch of union [null, test.Point] accepts an object (record test.Point needs field "y")`},
		{"union record field", `["null", ` + point + `]`, `{"x": 1, "y": "2"}`, `avrojson: no branch of union [null, test.Point] accepts an object (field "y" of record test.Point cannot be "2")`},
		{"wrapped value", `["null", "int"]`, `{"int": "x"}`, `avrojson: expected an int (a JSON integer), got "x"`},
		{"decimal digits", money, `"12.345"`, `avrojson: decimal "12.345" has 3 fraction digits, more than the scale 2`},
		{"decimal number digits", money, `0.001`, `avrojson: decimal 0.001 has 3 fraction digits, more than the scale 2`},
		{"decimal syntax", money, `"12,34"`, `avrojson: expected a decimal (a string such as "-12.34", or a number), got "12,34"`},
		{"decimal type", money, `true`, `avrojson: expected a decimal (a string such as "-12.34", or a number), got true`},
		{"decimal exponent", money, `"1e2000"`, `avrojson: decimal "1e2000" has an exponent above 1000`},
		{"decimal fixed overflow", `{"type": "fixed", "name": "M", "namespace": "test", "size": 1, "logicalType": "decimal", "precision": 2, "scale": 1}`, `"12.8"`, `avrojson: decimal "12.8" does not fit in fixed test.M of 1 byte`},
		{"uuid", `{"type": "fixed", "name": "U", "namespace": "test", "size": 16, "logicalType": "uuid"}`, `"0b9f2c1e4a4f4d8e9c511f2d3e4f5a6b"`, `avrojson: expected a uuid ("xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" in hex), got "0b9f2c1e4a4f4d8e9c511f2d3e4f5a6b"`},
		{"date", `{"type": "int", "logicalType": "date"}`, `"2026-1-2"`, `avrojson: expected a date such as "2006-01-02", got "2026-1-2": not a date`},
		{"date type", `{"type": "int", "logicalType": "date"}`, `true`, `avrojson: expected a date (a string such as "2006-01-02", or an integer), got true`},
		{"date raw range", `{"type": "int", "logicalType": "date"}`, `2147483648`, `avrojson: 2147483648 is out of range for int`},
		{"time of day", `{"type": "int", "logicalType": "time-millis"}`, `"24:00:00"`, `avrojson: expected a time-millis such as "15:04:05.000", got "24:00:00": hour, minute or second out of range`},
		{"time too precise", `{"type": "int", "logicalType": "time-millis"}`, `"13:04:05.1234"`, `avrojson: expected a time-millis such as "15:04:05.000", got "13:04:05.1234": more fraction digits than the 3 of the type`},
		{"timestamp date only", timestamp, `"2026-01-02"`, `avrojson: expected a timestamp-millis such as "2006-01-02T15:04:05.000Z", got "2026-01-02": not an RFC 3339 timestamp`},
		{"timestamp too precise", timestamp, `"2026-01-02T03:04:05.1234Z"`, `avrojson: expected a timestamp-millis such as "2006-01-02T15:04:05.000Z", got "2026-01-02T03:04:05.1234Z": more fraction digits than the 3 of the type`},
		{"timestamp ten digits", `{"type": "long", "logicalType": "timestamp-nanos"}`, `"2026-01-02T03:04:05.0000000001Z"`, `avrojson: expected a timestamp-nanos such as "2006-01-02T15:04:05.000000000Z", got "2026-01-02T03:04:05.0000000001Z": more than nine fraction digits`},
		{"timestamp-nanos range", `{"type": "long", "logicalType": "timestamp-nanos"}`, `"2300-01-01T00:00:00Z"`, `avrojson: expected a timestamp-nanos such as "2006-01-02T15:04:05.000000000Z", got "2300-01-01T00:00:00Z": outside the range of nanoseconds since the epoch (1677-09-21T00:12:43.145224192Z to 2262-04-11T23:47:16.854775807Z)`},
		{"local timestamp with zone", `{"type": "long", "logicalType": "local-timestamp-millis"}`, `"2026-01-02T03:04:05.123Z"`, `avrojson: expected a local-timestamp-millis such as "2006-01-02T15:04:05.000", got "2026-01-02T03:04:05.123Z": not a local timestamp (RFC 3339 without a zone)`},
		{"duration key", `{"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}`, `{"months": 1, "days": 2, "ms": 3}`, `avrojson: expected a duration ({"months": m, "days": d, "milliseconds": ms}), got an object: "milliseconds" is null`},
		{"duration range", `{"type": "fixed", "name": "D", "size": 12, "logicalType": "duration"}`, `{"months": -1, "days": 2, "milliseconds": 3}`, `avrojson: duration months -1 is not an integer in [0, 4294967295]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := compile(t, tt.schema)
			prefix := []byte("prefix")
			got, err := Encode(prefix, s, []byte(tt.json))
			if err == nil {
				t.Fatalf("Encode(%s) = % x, want error %s", tt.json, got, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Encode(%s):\n got %s\nwant %s", tt.json, err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error %T is not an *Error", err)
			}
			if string(got) != "prefix" {
				t.Errorf("Encode returned %q after an error, want the buffer unchanged", got)
			}
		})
	}
}

// TestDepth checks that nesting beyond MaxDepth is an error, not a stack
// overflow, both ways.
func TestDepth(t *testing.T) {
	s := compile(t, `{"type": "record", "name": "L", "fields": [{"name": "v", "type": "long"}, {"name": "next", "type": ["null", "L"]}]}`)
	chain := func(n int) string {
		return strings.Repeat(`{"v":0,"next":`, n) + `null` + strings.Repeat(`}`, n)
	}
	for _, n := range []int{1, 10, MaxDepth} {
		data, err := encodeString(s, chain(n))
		if err != nil {
			t.Fatalf("Encode of depth %d: %v", n, err)
		}
		if j, err := decodeAll(s, data); err != nil || j != chain(n) {
			t.Fatalf("Decode of depth %d: %.40s..., %v", n, j, err)
		}
	}
	_, err := encodeString(s, chain(MaxDepth+1))
	if err == nil || !strings.Contains(err.Error(), "nesting deeper than 1000") {
		t.Errorf("Encode of depth %d: %v, want a depth error", MaxDepth+1, err)
	}
	deep := append(bytes.Repeat([]byte{0, 2}, MaxDepth), 0, 0) // MaxDepth+1 records
	if _, err := decodeAll(s, deep); err == nil || !strings.Contains(err.Error(), "nesting deeper than 1000") {
		t.Errorf("Decode of depth %d: %v, want a depth error", MaxDepth+1, err)
	}
	arrays := compile(t, `{"type": "array", "items": {"type": "array", "items": "int"}}`)
	if _, err := encodeString(arrays, strings.Repeat("[", 5000)+strings.Repeat("]", 5000)); err == nil {
		t.Error("Encode of 5000 nested arrays into a schema of 2 succeeded")
	}
}
