package schema

import (
	"strings"
	"testing"
)

// compileString compiles one JSON schema document.
func compileString(src string) (*Set, error) {
	docs, diags := Parse([]Source{{Path: "test.avsc", Data: []byte(src)}})
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return Compile(docs)
}

// compileOne compiles one JSON schema document and returns its root.
func compileOne(t *testing.T, src string) *Schema {
	t.Helper()
	set, err := compileString(src)
	if err != nil {
		t.Fatalf("compile %s: %v", src, err)
	}
	return set.Roots[0]
}

func TestNamespaces(t *testing.T) {
	s := compileOne(t, `{"type": "record", "name": "Outer", "namespace": "a.b", "fields": [
		{"name": "inherit", "type": {"type": "record", "name": "Inner", "fields": []}},
		{"name": "override", "type": {"type": "enum", "name": "E", "namespace": "x", "symbols": ["S"]}},
		{"name": "dotted", "type": {"type": "fixed", "name": "y.F", "namespace": "ignored", "size": 1}},
		{"name": "reset", "type": {"type": "record", "name": "Top", "namespace": "", "fields": [
			{"name": "child", "type": {"type": "record", "name": "Child", "fields": []}}]}},
		{"name": "ref", "type": "Inner"},
		{"name": "full_ref", "type": "x.E"}
	]}`)
	want := []string{"a.b.Inner", "x.E", "y.F", "Top", "a.b.Inner", "x.E"}
	for i, w := range want {
		if got := s.Fields[i].Type.FullName; got != w {
			t.Errorf("field %s: full name %q, want %q", s.Fields[i].Name, got, w)
		}
	}
	if got := s.Fields[3].Type.Fields[0].Type.FullName; got != "Child" {
		t.Errorf("a type inside the null namespace is %q, want Child", got)
	}
	if s.Fields[0].Type != s.Fields[4].Type {
		t.Error("a reference does not share its definition")
	}
}

func TestAliasesAndProps(t *testing.T) {
	s := compileOne(t, `{"type": "record", "name": "R", "namespace": "n", "aliases": ["Old", "o.Older"],
		"tonga.kind": "none", "fields": [{"name": "f", "type": "int", "aliases": ["g"], "go.name": "Eff"}]}`)
	if strings.Join(s.Aliases, ",") != "n.Old,o.Older" {
		t.Errorf("aliases %v", s.Aliases)
	}
	if s.Fields[0].Aliases[0] != "g" || s.Fields[0].Prop("go.name").Text != "Eff" || s.Prop("tonga.kind").Text != "none" {
		t.Errorf("field aliases %v, props %v %v", s.Fields[0].Aliases, s.Fields[0].Props, s.Props)
	}
}

func TestLogicalTypes(t *testing.T) {
	tests := []struct {
		schema           string
		logical, ignored string
	}{
		{`{"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}`, Decimal, ""},
		{`{"type": "fixed", "name": "D", "size": 2, "logicalType": "decimal", "precision": 4}`, Decimal, ""},
		{`{"type": "fixed", "name": "D", "size": 2, "logicalType": "decimal", "precision": 5}`, "", Decimal},
		{`{"type": "bytes", "logicalType": "decimal", "precision": 2, "scale": 3}`, "", Decimal},
		{`{"type": "bytes", "logicalType": "decimal"}`, "", Decimal},
		{`{"type": "string", "logicalType": "uuid"}`, UUID, ""},
		{`{"type": "fixed", "name": "U", "size": 16, "logicalType": "uuid"}`, UUID, ""},
		{`{"type": "int", "logicalType": "date"}`, Date, ""},
		{`{"type": "long", "logicalType": "date"}`, "", Date},
		{`{"type": "int", "logicalType": "time-millis"}`, TimeMillis, ""},
		{`{"type": "long", "logicalType": "time-micros"}`, TimeMicros, ""},
		{`{"type": "long", "logicalType": "timestamp-millis"}`, TimestampMillis, ""},
		{`{"type": "double", "logicalType": "timestamp-millis"}`, "", TimestampMillis},
		{`{"type": "long", "logicalType": "timestamp-micros"}`, TimestampMicros, ""},
		{`{"type": "long", "logicalType": "local-timestamp-millis"}`, LocalTimestampMillis, ""},
		{`{"type": "long", "logicalType": "local-timestamp-micros"}`, LocalTimestampMicros, ""},
		{`{"type": "fixed", "name": "Du", "size": 12, "logicalType": "duration"}`, DurationLogical, ""},
		{`{"type": "fixed", "name": "Du", "size": 8, "logicalType": "duration"}`, "", DurationLogical},
		{`{"type": "string", "logicalType": "no-such-type"}`, "", "no-such-type"},
	}
	for _, tt := range tests {
		s := compileOne(t, tt.schema)
		if s.Logical != tt.logical || s.IgnoredLogical != tt.ignored {
			t.Errorf("%s: logical %q ignored %q; want %q, %q", tt.schema, s.Logical, s.IgnoredLogical, tt.logical, tt.ignored)
		}
	}
}

// TestAnySchema checks that every kind of schema is accepted at the top
// level, not only records.
func TestAnySchema(t *testing.T) {
	for _, src := range []string{`"int"`, `["null", "string"]`, `{"type": "array", "items": "long"}`,
		`{"type": "map", "values": {"type": "enum", "name": "E", "symbols": ["A"]}}`, `{"type": "string"}`} {
		if _, err := compileString(src); err != nil {
			t.Errorf("%s: %v", src, err)
		}
	}
}

func TestCrossFileReferences(t *testing.T) {
	docs, diags := Parse([]Source{
		{Path: "a.avsc", Data: []byte(`{"type": "record", "name": "A", "namespace": "n", "fields": [{"name": "b", "type": "B"}]}`)},
		{Path: "b.avsc.yaml", YAML: true, Data: []byte("type: record\nname: B\nnamespace: n\nfields:\n  - {name: a, type: [\"null\", n.A]}\n")},
	})
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	set, err := Compile(docs)
	if err != nil {
		t.Fatal(err)
	}
	a, b := set.Lookup("n.A"), set.Lookup("n.B")
	if a.Fields[0].Type != b || b.Fields[0].Type.Branches[1] != a {
		t.Error("references across files do not resolve to their definitions")
	}
	if got, want := a.Canonical(), `{"name":"n.A","type":"record","fields":[{"name":"b","type":{"name":"n.B","type":"record","fields":[{"name":"a","type":["null","n.A"]}]}}]}`; got != want {
		t.Errorf("canonical form across files:\n got %s\nwant %s", got, want)
	}
}
