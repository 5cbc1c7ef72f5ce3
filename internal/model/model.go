// Package model is the Go view of a compiled schema set: it decides, once,
// every Go identifier and Go type the emitters write, and reports clashes as
// diagnostics. Emitters read the model and never derive names themselves.
package model

import (
	"slices"

	"github.com/tonga-go/tonga/internal/resolve"
	"github.com/tonga-go/tonga/internal/schema"
)

// Package is the generated Go package.
type Package struct {
	// Name is the Go package name.
	Name string
	// Files are the output files, one per schema file that defines a
	// named type, sorted by name.
	Files []*File
	// Records lists every record of a Tonga kind, sorted by full name:
	// the types the package registry knows.
	Records []*Type
	// Types lists every named type that gets a Go declaration.
	Types []*Type
}

// File is one generated file: the named types of one schema file.
type File struct {
	// Name is the output file name, e.g. "coffee_ordered.tonga.go".
	Name string
	// Source is the schema file's path as the header shows it.
	Source string
	// Types are the named types the schema file defines, in definition
	// order.
	Types []*Type
	// Unions are the union interfaces the file's records need.
	Unions []*Union
}

// TypeKind is what a generated named type is.
type TypeKind int

// The kinds of generated named type.
const (
	RecordType TypeKind = iota
	EnumType
	FixedType
)

// Type is one named Avro type and its Go declaration.
type Type struct {
	Schema *schema.Schema
	Kind   TypeKind
	// GoName is the exported Go type name.
	GoName string
	// Tonga is the record's Tonga kind.
	Tonga schema.TongaKind
	// Fields are a record's fields in schema order.
	Fields []*Field
	// Symbols are an enum's symbols with their constant names.
	Symbols []Symbol
	// SchemaVar is the unexported variable holding the *tonga.Schema.
	SchemaVar string
	// SymbolsVar is an enum's unexported array of symbols, by index, and
	// Parse its function from symbol to value.
	SymbolsVar, Parse string
	// SchemaVersion is the schema_version a constructor writes.
	SchemaVersion string
	// Canonical, Fingerprint and JSON identify the schema on the wire.
	Canonical   string
	Fingerprint uint64
	JSON        string
	// Names of the generated functions and interfaces of a Tonga record.
	Constructor, ChildConstructor string
	Handler, HandlerFunc          string // e.g. CoffeeOrderedHandler, CoffeeOrderedHandlerFunc
	HandlerMethod                 string // HandleCoffeeOrdered, ExecuteMakeCoffee, OnMakeCoffeeResult
	Register                      string // RegisterCoffeeOrderedHandler
	// MinSize is the fewest bytes an encoded value takes.
	MinSize int
	// Writers are the older versions of a record kept in versions
	// directories, each with its resolution plan.
	Writers []*Writer
}

// Writer is an older version of a record that the generated code decodes
// directly into the current type.
type Writer struct {
	Schema      *schema.Schema
	Plan        *resolve.Plan
	Fingerprint uint64
	JSON        string
}

// Symbol is one enum symbol.
type Symbol struct {
	Avro   string
	GoName string
}

// Field is one record field.
type Field struct {
	Schema *schema.Field
	// GoName is the struct field's name.
	GoName string
	// Type is the field's Go type.
	Type *GoType
	// Envelope is set for Tonga's envelope fields, which the record gets
	// by embedding tonga.Envelope.
	Envelope bool
}

// GoKind says how an Avro type is represented in Go.
type GoKind int

// The Go representations.
const (
	GoNull         GoKind = iota // struct{}
	GoBool                       // bool
	GoInt32                      // int32
	GoInt64                      // int64
	GoFloat32                    // float32
	GoFloat64                    // float64
	GoBytes                      // []byte
	GoString                     // string
	GoNamed                      // a generated record, enum or fixed type (value)
	GoPointer                    // *T for ["null", T] and [T, "null"]
	GoSlice                      // []T, an Avro array
	GoMap                        // map[string]T
	GoUnion                      // a generated sealed interface
	GoTime                       // time.Time: date, timestamp-*, local-timestamp-*
	GoDuration                   // time.Duration: time-millis, time-micros
	GoDecimal                    // *big.Rat
	GoAvroDuration               // tonga.Duration
	GoContext                    // tonga.Context, the envelope's context map
	GoResultError                // tonga.ResultError, a result's error record
)

// GoType is the Go representation of one Avro schema.
type GoType struct {
	Kind   GoKind
	Schema *schema.Schema
	// Elem is the element of a slice, map or pointer.
	Elem *GoType
	// Named is the generated type of GoNamed.
	Named *Type
	// Union is the interface of GoUnion.
	Union *Union
	// Nullable marks a slice, map or bytes that came from a two-branch
	// union with null: nil encodes as null. NullIndex is the null
	// branch's index for these and for GoPointer.
	Nullable  bool
	NullIndex int
}

// Union is a generated sealed interface for a union other than
// ["null", T].
type Union struct {
	Schema *schema.Schema
	// GoName is the interface's name, Marker its unexported method.
	GoName string
	Marker string
	// Branches in schema order.
	Branches []*Branch
	// Doc says where the union is used, for its doc comment.
	Doc string
}

// Branch is one branch of a [Union].
type Branch struct {
	Index int
	Type  *GoType
	// GoName names the branch's Go type: a wrapper the union file declares
	// (ShapeValueInt), or a generated named type's own name. Empty for the
	// null branch, which is the interface's nil.
	GoName string
	// Wrapper is set when the file declares GoName as a defined type over
	// Type; Boxed when that defined type is a struct with a Value field
	// (for *big.Rat, whose pointer type cannot have methods).
	Wrapper, Boxed bool
}

// Options are the inputs of [Build] that do not come from the schemas.
type Options struct {
	// Package is the Go package name.
	Package string
	// Sources maps a schema file path, as diagnostics show it, to the
	// path the generated header shows and the output file's base name.
	Sources map[string]SourceName
	// Versions are the compiled files of older record versions.
	Versions []*schema.Set
}

// SourceName is how one schema file appears in the output.
type SourceName struct {
	Header string // e.g. "schemas/coffee_ordered.avsc.yaml"
	File   string // e.g. "coffee_ordered.tonga.go"
}

// Build decides the Go view of set. Clashing names are diagnostics naming
// both sources, fixed with a "go.name" attribute.
func Build(set *schema.Set, opts Options) (*Package, error) {
	b := newBuilder(set, opts)
	b.declare()
	b.fill()
	if err := b.diags.Err(); err != nil {
		return nil, err
	}
	pkg := &Package{Name: opts.Package}
	for _, f := range b.files {
		pkg.Files = append(pkg.Files, f)
	}
	slices.SortFunc(pkg.Files, func(x, y *File) int { return compareStrings(x.Name, y.Name) })
	for _, t := range b.types {
		pkg.Types = append(pkg.Types, t)
		if t.Tonga != schema.KindNone {
			pkg.Records = append(pkg.Records, t)
		}
	}
	return pkg, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
