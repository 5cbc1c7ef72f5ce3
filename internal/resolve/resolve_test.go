package resolve

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

func compile(t *testing.T, src string) *schema.Schema {
	t.Helper()
	docs, diags := schema.Parse([]schema.Source{{Path: "t.avsc", Data: []byte(src)}})
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	set, err := schema.Compile(docs)
	if err != nil {
		t.Fatal(err)
	}
	return set.Roots[0]
}

// TestTranscode checks each resolution rule on bytes worked out by hand.
func TestTranscode(t *testing.T) {
	tests := []struct {
		name           string
		writer, reader string
		in, want       []byte
	}{
		{"int to long", `"int"`, `"long"`, []byte{0x03}, []byte{0x03}},
		{"int to double", `"int"`, `"double"`, []byte{0x04}, []byte{0, 0, 0, 0, 0, 0, 0, 0x40}},
		{"long to float", `"long"`, `"float"`, []byte{0x02}, []byte{0, 0, 0x80, 0x3f}},
		{"float to double", `"float"`, `"double"`, []byte{0, 0, 0xc0, 0x3f}, []byte{0, 0, 0, 0, 0, 0, 0xf8, 0x3f}},
		{"string to bytes", `"string"`, `"bytes"`, []byte{0x02, 'a'}, []byte{0x02, 'a'}},
		{"writer-only fields skipped, whatever their type", `{"type": "record", "name": "R", "fields": [
				{"name": "a", "type": "int"},
				{"name": "gone1", "type": {"type": "array", "items": ["null", "string"]}},
				{"name": "gone2", "type": {"type": "map", "values": {"type": "record", "name": "In", "fields": [{"name": "x", "type": "double"}]}}},
				{"name": "gone3", "type": {"type": "fixed", "name": "F", "size": 3}},
				{"name": "b", "type": "string"}]}`,
			`{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "string"}]}`,
			[]byte{0x02, 0x04, 0x00, 0x02, 0x02, 'z', 0x00, 0x02, 0x02, 'k', 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 1, 2, 3, 0x02, 'b'},
			[]byte{0x02, 0x02, 'b'}},
		{"array block with byte size skipped whole", `{"type": "record", "name": "R", "fields": [{"name": "gone", "type": {"type": "array", "items": "long"}}, {"name": "a", "type": "int"}]}`,
			`{"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}`,
			[]byte{0x03, 0x06, 0x02, 0x04, 0x06, 0x00, 0x08}, []byte{0x08}},
		{"reader-only fields from defaults, in reader order", `{"type": "record", "name": "R", "fields": [{"name": "b", "type": "int"}]}`,
			`{"type": "record", "name": "R", "fields": [{"name": "a", "type": "string", "default": "x"}, {"name": "b", "type": "long"}, {"name": "c", "type": ["null", "int"], "default": null}]}`,
			[]byte{0x04}, []byte{0x02, 'x', 0x04, 0x00}},
		{"fields reordered", `{"type": "record", "name": "R", "fields": [{"name": "b", "type": "int"}, {"name": "a", "type": "string"}]}`,
			`{"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "int"}]}`,
			[]byte{0x04, 0x02, 'q'}, []byte{0x02, 'q', 0x04}},
		{"field alias", `{"type": "record", "name": "R", "fields": [{"name": "old", "type": "int"}]}`,
			`{"type": "record", "name": "R", "fields": [{"name": "new", "type": "int", "aliases": ["old"]}]}`,
			[]byte{0x06}, []byte{0x06}},
		{"record alias", `{"type": "record", "name": "Old", "namespace": "n", "fields": []}`,
			`{"type": "record", "name": "New", "namespace": "n", "aliases": ["Old"], "fields": []}`, []byte{}, []byte{}},
		{"enum symbols by name", `{"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}`,
			`{"type": "enum", "name": "E", "symbols": ["C", "B", "A"]}`, []byte{0x00}, []byte{0x04}},
		{"enum default for an unknown symbol", `{"type": "enum", "name": "E", "symbols": ["A", "NEW"]}`,
			`{"type": "enum", "name": "E", "symbols": ["UNKNOWN", "A"], "default": "UNKNOWN"}`, []byte{0x02}, []byte{0x00}},
		{"non-union into union", `"string"`, `["null", "int", "string"]`, []byte{0x02, 'a'}, []byte{0x04, 0x02, 'a'}},
		{"non-union into union by promotion", `"int"`, `["null", "string", "double"]`, []byte{0x02}, []byte{0x04, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}},
		{"union into non-union", `["int", "long"]`, `"long"`, []byte{0x00, 0x05}, []byte{0x05}},
		{"union branches matched", `["null", "string", "int"]`, `["int", "string", "null"]`, []byte{0x04, 0x08}, []byte{0x00, 0x08}},
		{"map of union values", `{"type": "map", "values": ["null", "int"]}`, `{"type": "map", "values": ["null", "long"]}`,
			[]byte{0x02, 0x02, 'k', 0x02, 0x04, 0x00}, []byte{0x02, 0x02, 'k', 0x02, 0x04, 0x00}},
		{"array of promoted items", `{"type": "array", "items": "int"}`, `{"type": "array", "items": "double"}`,
			[]byte{0x02, 0x02, 0x00}, []byte{0x02, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x00}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := Compile(compile(t, tt.writer), compile(t, tt.reader))
			if err != nil {
				t.Fatal(err)
			}
			got, err := tr.Transcode(nil, tt.in)
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Errorf("Transcode(% x) = % x, %v; want % x", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestRecursive(t *testing.T) {
	w := compile(t, `{"type": "record", "name": "L", "fields": [{"name": "v", "type": "int"}, {"name": "next", "type": ["null", "L"]}]}`)
	r := compile(t, `{"type": "record", "name": "L", "fields": [{"name": "v", "type": "long"}, {"name": "next", "type": ["null", "L"]}, {"name": "tag", "type": "string", "default": "t"}]}`)
	tr, err := Compile(w, r)
	if err != nil {
		t.Fatal(err)
	}
	// 1 -> 2 -> null
	got, err := tr.Transcode(nil, []byte{0x02, 0x02, 0x04, 0x00})
	want := []byte{0x02, 0x02, 0x04, 0x00, 0x02, 't', 0x02, 't'}
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("got % x, %v; want % x", got, err, want)
	}
}

func TestIncompatible(t *testing.T) {
	tests := []struct {
		name           string
		writer, reader string
		want           string
	}{
		{"missing default", `{"type": "record", "name": "R", "fields": []}`,
			`{"type": "record", "name": "R", "fields": [{"name": "x", "type": "int"}]}`,
			`R.x: the reader's field "x" is not in the writer's schema and has no default; give it a default (writer (absent), reader int)`},
		{"type change", `{"type": "record", "name": "R", "fields": [{"name": "x", "type": "string"}]}`,
			`{"type": "record", "name": "R", "fields": [{"name": "x", "type": "int"}]}`,
			`R.x: string cannot be read as int (writer string, reader int)`},
		{"demotion", `"long"`, `"int"`, `long cannot be read as int`},
		{"names differ", `{"type": "record", "name": "A", "fields": []}`, `{"type": "record", "name": "B", "fields": []}`, `names differ`},
		{"fixed size", `{"type": "fixed", "name": "F", "size": 2}`, `{"type": "fixed", "name": "F", "size": 3}`, `fixed sizes differ: 2 and 3 bytes`},
		{"no union branch", `"boolean"`, `["null", "string"]`, `no branch of the reader's union [null, string] can hold a boolean`},
	}
	for _, tt := range tests {
		_, err := Compile(compile(t, tt.writer), compile(t, tt.reader))
		var ie *IncompatibleError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v; want an IncompatibleError containing %q", tt.name, err, tt.want)
		}
	}
}

// TestDataDependent checks the failures only some data triggers: Compile
// accepts the pair, Check reports it, and Transcode fails only on data
// that takes the unreadable path.
func TestDataDependent(t *testing.T) {
	tests := []struct {
		name           string
		writer, reader string
		ok, bad        []byte
	}{
		{"enum symbol without default", `{"type": "enum", "name": "E", "symbols": ["A", "B"]}`,
			`{"type": "enum", "name": "E", "symbols": ["A"]}`, []byte{0x00}, []byte{0x02}},
		{"union branch the reader lacks", `["null", "boolean"]`, `["null", "string"]`, []byte{0x00}, []byte{0x02, 0x01}},
	}
	for _, tt := range tests {
		w, r := compile(t, tt.writer), compile(t, tt.reader)
		tr, err := Compile(w, r)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if err := Check(w, r); err == nil || !strings.Contains(err.Error(), "if the data holds") {
			t.Errorf("%s: Check = %v", tt.name, err)
		}
		if _, err := tr.Transcode(nil, tt.ok); err != nil {
			t.Errorf("%s: readable data: %v", tt.name, err)
		}
		if _, err := tr.Transcode(nil, tt.bad); !errors.Is(err, ErrUnresolvable) {
			t.Errorf("%s: unreadable data: %v, want ErrUnresolvable", tt.name, err)
		}
	}
}

func TestCorrupt(t *testing.T) {
	tr, err := Compile(compile(t, `{"type": "record", "name": "R", "fields": [{"name": "s", "type": "string"}, {"name": "gone", "type": {"type": "array", "items": "long"}}]}`),
		compile(t, `{"type": "record", "name": "R", "fields": [{"name": "s", "type": "string"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	in := []byte{0x02, 'a', 0x02, 0x04, 0x00}
	for n := range len(in) {
		if _, err := tr.Transcode(nil, in[:n]); !errors.Is(err, avrobin.ErrCorrupt) {
			t.Errorf("prefix %d: %v, want ErrCorrupt", n, err)
		}
	}
	if _, err := tr.Transcode(nil, []byte{0x02, 'a', 0xff, 0xff, 0xff, 0xff, 0x0f}); !errors.Is(err, avrobin.ErrCorrupt) {
		t.Errorf("huge block count: %v", err)
	}
}
