package model

import (
	"fmt"

	"github.com/tonga-go/tonga/internal/diag"
	"github.com/tonga-go/tonga/internal/schema"
)

// envelopeGoNames are the names of tonga.Envelope's fields.
var envelopeGoNames = map[string]string{
	"schema_version": "SchemaVersion", "record_id": "RecordID", "partition_key": "PartitionKey",
	"timestamp": "Timestamp", "datetime": "Datetime", "correlation_id": "CorrelationID", "context": "Context",
}

// goType decides the Go type of s. name is the Go name a union found here
// gets; where says where s is used, for messages and doc comments.
func (b *builder) goType(s *schema.Schema, name string, f *File, where string, pos diag.Pos) *GoType {
	g := &GoType{Schema: s}
	switch s.Kind {
	case schema.Null:
		g.Kind = GoNull
	case schema.Boolean:
		g.Kind = GoBool
	case schema.Int:
		g.Kind = GoInt32
		switch s.Logical {
		case schema.Date:
			g.Kind = GoTime
		case schema.TimeMillis:
			g.Kind = GoDuration
		}
	case schema.Long:
		g.Kind = GoInt64
		switch s.Logical {
		case schema.TimeMicros:
			g.Kind = GoDuration
		case "":
		default:
			g.Kind = GoTime
		}
	case schema.Float:
		g.Kind = GoFloat32
	case schema.Double:
		g.Kind = GoFloat64
	case schema.Bytes:
		g.Kind = GoBytes
		if s.Logical == schema.Decimal {
			g.Kind = GoDecimal
		}
	case schema.String:
		g.Kind = GoString
	case schema.Record, schema.Enum, schema.Fixed:
		b.namedType(g, s)
	case schema.Array:
		g.Kind = GoSlice
		g.Elem = b.goType(s.Items, name+"Item", f, "the items of "+where, pos)
	case schema.Map:
		g.Kind = GoMap
		g.Elem = b.goType(s.Values, name+"Value", f, "the values of "+where, pos)
	case schema.Union:
		b.unionType(g, s, name, f, where, pos)
	}
	return g
}

func (b *builder) namedType(g *GoType, s *schema.Schema) {
	switch {
	case s.Kind == schema.Fixed && s.Logical == schema.Decimal:
		g.Kind = GoDecimal
	case s.Kind == schema.Fixed && s.Logical == schema.DurationLogical:
		g.Kind = GoAvroDuration
	case schema.IsResultError(s):
		g.Kind = GoResultError
	default:
		g.Kind = GoNamed
		g.Named = b.byschema[s]
	}
}

func (b *builder) unionType(g *GoType, s *schema.Schema, name string, f *File, where string, pos diag.Pos) {
	if t, nullIndex, ok := s.NullableBranch(); ok {
		elem := b.goType(t, name, f, where, pos)
		switch elem.Kind {
		case GoSlice, GoMap, GoBytes, GoDecimal:
			// Already nil-able: nil is null.
			elem.Nullable, elem.NullIndex = true, nullIndex
			*g = *elem
			return
		}
		g.Kind, g.Elem, g.NullIndex = GoPointer, elem, nullIndex
		return
	}
	u := &Union{Schema: s, GoName: name, Marker: "is" + name, Doc: where}
	b.claim(name, "the union of "+where, pos)
	for i, br := range s.Branches {
		bt := b.goType(br, name+branchSuffix(br), f, fmt.Sprintf("branch %d of %s", i, where), pos)
		ub := &Branch{Index: i, Type: bt}
		switch bt.Kind {
		case GoNull:
		case GoNamed:
			if bt.Named.Kind == RecordType {
				ub.GoName = "*" + bt.Named.GoName
			} else {
				ub.GoName = bt.Named.GoName
			}
		default:
			ub.GoName = name + branchSuffix(br)
			ub.Wrapper = true
			ub.Boxed = bt.Kind == GoDecimal || bt.Kind == GoResultError
			b.claim(ub.GoName, fmt.Sprintf("the %s branch type of the union of %s", br.Kind, where), pos)
		}
		u.Branches = append(u.Branches, ub)
	}
	f.Unions = append(f.Unions, u)
	g.Kind, g.Union = GoUnion, u
}

// branchSuffix names a union branch: its Avro type for unnamed types, its
// Go name for named ones.
func branchSuffix(s *schema.Schema) string {
	switch s.Kind {
	case schema.Record, schema.Enum, schema.Fixed:
		return exported(s.Name())
	}
	return exported(s.Kind.String())
}

// minSize returns the fewest bytes an encoding of g can take. A record that
// contains itself counts 0 for the inner occurrence.
func minSize(g *GoType, visiting map[*Type]bool) int {
	switch g.Kind {
	case GoNull:
		return 0
	case GoFloat32:
		return 4
	case GoFloat64:
		return 8
	case GoPointer, GoUnion:
		return 1
	case GoNamed:
		t := g.Named
		switch t.Kind {
		case FixedType:
			return t.Schema.Size
		case EnumType:
			return 1
		}
		if visiting[t] {
			return 0
		}
		visiting[t] = true
		n := 0
		for _, f := range t.Fields {
			n += minSize(f.Type, visiting)
		}
		delete(visiting, t)
		return n
	case GoAvroDuration:
		return 12
	case GoDecimal:
		if g.Schema.Kind == schema.Fixed && !g.Nullable {
			return g.Schema.Size
		}
		return 1
	case GoResultError:
		return 2
	}
	// bool, int, long, bytes, string, arrays, maps, context, time types: at
	// least one byte.
	return 1
}

// MinSize returns the fewest bytes an encoding of a value of g takes, the
// bound a decoder checks block counts against.
func MinSize(g *GoType) int { return minSize(g, map[*Type]bool{}) }
