// Package schema loads Avro schemas from JSON (.avsc, .json) and YAML
// (.avsc.yaml, .avsc.yml) files, resolves named types across files,
// validates them against the Avro specification and Tonga's envelope rules,
// and computes Parsing Canonical Forms and CRC-64-AVRO fingerprints.
//
// The stages are pure functions over data: [Read] is the only one that
// touches the file system; [Parse] turns sources into documents and
// [Compile] turns documents into a resolved, validated [Set]. Every problem
// is reported as a diagnostic with file:line:col, all of them at once.
package schema

import (
	"path/filepath"
	"strings"

	"github.com/tonga-go/tonga/internal/diag"
)

// Kind is the Avro type of a [Schema].
type Kind int

// The Avro types. Ref marks a reference to a named type that has not been
// resolved yet; a compiled [Set] holds none.
const (
	Null Kind = iota
	Boolean
	Int
	Long
	Float
	Double
	Bytes
	String
	Record
	Enum
	Array
	Map
	Union
	Fixed
	Ref
)

var kindNames = [...]string{
	Null: "null", Boolean: "boolean", Int: "int", Long: "long", Float: "float",
	Double: "double", Bytes: "bytes", String: "string", Record: "record",
	Enum: "enum", Array: "array", Map: "map", Union: "union", Fixed: "fixed",
	Ref: "reference",
}

// String returns the Avro name of k ("int", "record", ...).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "invalid"
}

// Primitive reports whether k is one of Avro's eight primitive types.
func (k Kind) Primitive() bool { return k <= String }

// Named reports whether k is a named type (record, enum or fixed).
func (k Kind) Named() bool { return k == Record || k == Enum || k == Fixed }

// Logical types the specification defines. A logical type on the wrong
// underlying type, or with invalid attributes, is ignored as the
// specification requires: [Schema.Logical] is empty and
// [Schema.IgnoredLogical] says which one was written.
const (
	Decimal              = "decimal"
	UUID                 = "uuid"
	Date                 = "date"
	TimeMillis           = "time-millis"
	TimeMicros           = "time-micros"
	TimestampMillis      = "timestamp-millis"
	TimestampMicros      = "timestamp-micros"
	TimestampNanos       = "timestamp-nanos"
	LocalTimestampMillis = "local-timestamp-millis"
	LocalTimestampMicros = "local-timestamp-micros"
	LocalTimestampNanos  = "local-timestamp-nanos"
	DurationLogical      = "duration"
)

// Schema is one Avro schema. Named types are shared: every reference to a
// record, enum or fixed points at its single definition, so a Set's graph
// may be cyclic (recursive records).
type Schema struct {
	Kind Kind
	// Pos is where the schema was written: the definition of a named
	// type, or the type expression of an anonymous one.
	Pos diag.Pos

	// Named types.
	FullName  string   // namespace-qualified name, "ns.Name" or "Name"
	Namespace string   // "" for the null namespace
	Aliases   []string // full names
	Doc       string

	// Record.
	Fields []*Field

	// Enum.
	Symbols []string
	// EnumDefault is the enum's default symbol, used by readers that meet
	// a symbol they do not know; valid when HasEnumDefault.
	EnumDefault    string
	HasEnumDefault bool

	// Array and map.
	Items  *Schema
	Values *Schema

	// Union.
	Branches []*Schema

	// Fixed.
	Size int

	// Logical type, when valid for the underlying type; see the constants.
	Logical        string
	Precision      int // decimal
	Scale          int // decimal
	IgnoredLogical string

	// Props holds the attributes that are not part of the Avro
	// specification (tonga.kind, go.name, tonga.version, ...), in
	// document order.
	Props []Prop

	// ref is the name as written, for Kind Ref.
	ref string
	// file is the path of the file that defines the schema.
	file string
	// root is set for the top-level schema of a document.
	root bool
	// broken marks the placeholder of a schema whose error is reported.
	broken bool
}

// Field is one field of a record.
type Field struct {
	Name    string
	Pos     diag.Pos // position of the field's name
	Doc     string
	Type    *Schema
	TypePos diag.Pos // position of the field's type expression
	// Default is the field's default value as written, or nil.
	Default *Node
	Aliases []string
	// Order is "ascending" (the default), "descending" or "ignore".
	Order string
	Props []Prop
}

// Prop is a non-standard attribute of a schema or field.
type Prop struct {
	Key   string
	Value *Node
}

// Prop returns the value of the attribute key, or nil.
func (s *Schema) Prop(key string) *Node { return findProp(s.Props, key) }

// Prop returns the value of the attribute key, or nil.
func (f *Field) Prop(key string) *Node { return findProp(f.Props, key) }

func findProp(props []Prop, key string) *Node {
	for _, p := range props {
		if p.Key == key {
			return p.Value
		}
	}
	return nil
}

// Name returns the short name of a named type: its full name without the
// namespace.
func (s *Schema) Name() string {
	if s.Namespace == "" {
		return s.FullName
	}
	return s.FullName[len(s.Namespace)+1:]
}

// VersionsDir is the name of the directories that hold older versions of
// records: schema files below one are never generated as types; each is
// compiled on its own and its records, matched to current ones by full
// name or alias, get resolving decoders.
const VersionsDir = "versions"

// IsVersionPath reports whether path lies in a versions directory.
func IsVersionPath(path string) bool {
	for _, part := range strings.Split(filepath.ToSlash(filepath.Dir(path)), "/") {
		if part == VersionsDir {
			return true
		}
	}
	return false
}

// TopLevel reports whether s is the top-level schema of a document, rather
// than a type defined inside another.
func (s *Schema) TopLevel() bool { return s.root }

// File returns the path of the file that defines s.
func (s *Schema) File() string { return s.file }

// NullableBranch reports whether s is a two-branch union of null and one
// other type, and if so returns that type and the index of the null
// branch.
func (s *Schema) NullableBranch() (t *Schema, nullIndex int, ok bool) {
	if s.Kind != Union || len(s.Branches) != 2 {
		return nil, 0, false
	}
	switch {
	case s.Branches[0].Kind == Null && s.Branches[1].Kind != Null:
		return s.Branches[1], 0, true
	case s.Branches[1].Kind == Null && s.Branches[0].Kind != Null:
		return s.Branches[0], 1, true
	}
	return nil, 0, false
}
