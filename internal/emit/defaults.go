package emit

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
)

// defaultAssignments sets the fields of x whose schema default differs
// from the Go zero value. Envelope fields are the constructor's business.
func defaultAssignments(t *model.Type) []jen.Code {
	var out []jen.Code
	for _, fd := range t.Fields {
		d := fd.Schema.Default
		if d == nil || fd.Envelope || isZero(d, fd.Type) {
			continue
		}
		out = append(out, jen.Id("x").Dot(fd.GoName).Op("=").Add(value(d, fd.Type)))
	}
	return out
}

// isZero reports whether the default v is what the Go zero value of t
// already holds.
func isZero(v *schema.Node, t *model.GoType) bool {
	switch v.Kind {
	case schema.NullNode:
		return true
	case schema.BoolNode:
		return !v.Bool
	case schema.NumberNode:
		f, err := strconv.ParseFloat(v.Text, 64)
		return err == nil && f == 0 && t.Kind != model.GoTime && t.Kind != model.GoDecimal
	case schema.StringNode:
		return v.Text == "" && (t.Kind == model.GoString || (t.Kind == model.GoBytes && !t.Nullable))
	case schema.ArrayNode:
		return len(v.Items) == 0 && !t.Nullable && t.Kind == model.GoSlice
	case schema.ObjectNode:
		if t.Kind == model.GoNamed && t.Named.Kind == model.RecordType {
			for _, fd := range t.Named.Fields {
				fv := v.Get(fd.Schema.Name)
				if fv == nil {
					fv = fd.Schema.Default
				}
				if fv != nil && !isZero(fv, fd.Type) {
					return false
				}
			}
			return true
		}
		return len(v.Members) == 0 && !t.Nullable && t.Kind == model.GoMap
	}
	return false
}

// value renders the default v, already validated against its schema, as a
// Go expression of type t.
func value(v *schema.Node, t *model.GoType) jen.Code {
	if t.Nullable {
		if v.Kind == schema.NullNode {
			return jen.Nil()
		}
		inner := *t
		inner.Nullable = false
		return value(v, &inner)
	}
	switch t.Kind {
	case model.GoNull:
		return jen.Struct().Values()
	case model.GoBool:
		return jen.Lit(v.Bool)
	case model.GoInt32, model.GoInt64:
		n, _ := strconv.ParseInt(v.Text, 10, 64)
		return jen.Lit(int(n))
	case model.GoFloat32, model.GoFloat64:
		x, _ := strconv.ParseFloat(v.Text, 64)
		return jen.Lit(x)
	case model.GoString:
		return jen.Lit(v.Text)
	case model.GoBytes:
		return jen.Index().Byte().Parens(jen.Lit(string(latin1(v.Text))))
	case model.GoTime, model.GoDuration:
		return timeValue(v, t.Schema)
	case model.GoDecimal:
		return decimalValue(v, t.Schema)
	case model.GoAvroDuration:
		b := latin1(v.Text)
		return jen.Qual(tongaPkg, "Duration").Values(jen.Dict{
			jen.Id("Months"):       jen.Lit(int(binary.LittleEndian.Uint32(b[0:]))),
			jen.Id("Days"):         jen.Lit(int(binary.LittleEndian.Uint32(b[4:]))),
			jen.Id("Milliseconds"): jen.Lit(int(binary.LittleEndian.Uint32(b[8:]))),
		})
	case model.GoNamed:
		return namedValue(v, t.Named)
	case model.GoPointer:
		return pointerValue(v, t)
	case model.GoSlice:
		return jen.Add(typ(t)).ValuesFunc(func(g *jen.Group) {
			for _, item := range v.Items {
				g.Add(value(item, t.Elem))
			}
		})
	case model.GoMap:
		return jen.Add(typ(t)).Values(jen.DictFunc(func(d jen.Dict) {
			for _, m := range v.Members {
				d[jen.Lit(m.Key)] = value(m.Value, t.Elem)
			}
		}))
	case model.GoUnion:
		return unionValue(v, t.Union)
	case model.GoResultError:
		return resultErrorValue(v)
	}
	panic(fmt.Sprintf("emit: no default rendering for Go kind %d", t.Kind))
}

// latin1 turns a bytes default (one code point per byte) into bytes.
func latin1(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r))
	}
	return b
}

func timeValue(v *schema.Node, s *schema.Schema) jen.Code {
	n, _ := strconv.ParseInt(v.Text, 10, 64)
	switch s.Logical {
	case schema.Date:
		return jen.Qual("time", "Unix").Call(jen.Lit(int(n*86400)), jen.Lit(0)).Dot("UTC").Call()
	case schema.TimeMillis:
		return jen.Lit(int(n)).Op("*").Qual("time", "Millisecond")
	case schema.TimeMicros:
		return jen.Lit(int(n)).Op("*").Qual("time", "Microsecond")
	case schema.TimestampMillis, schema.LocalTimestampMillis:
		return jen.Qual("time", "UnixMilli").Call(jen.Lit(int(n))).Dot("UTC").Call()
	case schema.TimestampMicros, schema.LocalTimestampMicros:
		return jen.Qual("time", "UnixMicro").Call(jen.Lit(int(n))).Dot("UTC").Call()
	}
	return jen.Qual("time", "Unix").Call(jen.Lit(0), jen.Lit(int(n))).Dot("UTC").Call()
}

// decimalValue renders a decimal default: the bytes are the two's
// complement unscaled value.
func decimalValue(v *schema.Node, s *schema.Schema) jen.Code {
	b := latin1(v.Text)
	unscaled := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		unscaled.Sub(unscaled, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	r := new(big.Rat).SetFrac(unscaled, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s.Scale)), nil))
	return jen.Qual(tongaPkg, "MustDecimal").Call(jen.Lit(r.RatString()))
}

func namedValue(v *schema.Node, t *model.Type) jen.Code {
	switch t.Kind {
	case model.EnumType:
		for _, sym := range t.Symbols {
			if sym.Avro == v.Text {
				return jen.Id(sym.GoName)
			}
		}
	case model.FixedType:
		return jen.Id(t.GoName).ValuesFunc(func(g *jen.Group) {
			for _, c := range latin1(v.Text) {
				g.Lit(int(c))
			}
		})
	}
	return recordValue(v, t)
}

func recordValue(v *schema.Node, t *model.Type) jen.Code {
	return jen.Id(t.GoName).Values(jen.DictFunc(func(d jen.Dict) {
		for _, fd := range t.Fields {
			fv := v.Get(fd.Schema.Name)
			if fv == nil {
				fv = fd.Schema.Default
			}
			// Envelope fields cannot be keyed in a literal; a Tonga record as a
			// default value keeps a zero envelope.
			if fv == nil || fd.Envelope || isZero(fv, fd.Type) {
				continue
			}
			d[jen.Id(fd.GoName)] = value(fv, fd.Type)
		}
	}))
}

// pointerValue renders a non-null default of a ["null", T] field, as
// new(T(value)) so the pointer's type is exact.
func pointerValue(v *schema.Node, t *model.GoType) jen.Code {
	if v.Kind == schema.NullNode {
		return jen.Nil()
	}
	inner := value(v, t.Elem)
	switch t.Elem.Kind {
	case model.GoNamed:
		if t.Elem.Named.Kind == model.RecordType {
			return jen.Op("&").Add(inner)
		}
		return jen.New(inner)
	case model.GoResultError:
		return jen.Op("&").Add(inner)
	case model.GoString, model.GoBool:
		return jen.New(inner)
	}
	return jen.New(jen.Add(typ(t.Elem)).Parens(inner))
}

func unionValue(v *schema.Node, u *model.Union) jen.Code {
	b := u.Branches[0] // a union's default is a value of its first branch
	switch {
	case b.GoName == "":
		return jen.Nil()
	case b.Type.Kind == model.GoNamed && b.Type.Named.Kind == model.RecordType:
		return jen.Op("&").Add(value(v, b.Type))
	case b.Boxed:
		return jen.Id(b.GoName).Values(jen.Dict{jen.Id("Value"): value(v, b.Type)})
	case b.Wrapper:
		return jen.Id(b.GoName).Parens(value(v, b.Type))
	}
	return value(v, b.Type)
}

func resultErrorValue(v *schema.Node) jen.Code {
	return jen.Qual(tongaPkg, "ResultError").Values(jen.DictFunc(func(d jen.Dict) {
		if l := v.Get("label"); l != nil {
			d[jen.Id("Label")] = jen.Lit(l.Text)
		}
		if m := v.Get("message"); m != nil && m.Kind == schema.StringNode {
			d[jen.Id("Message")] = jen.New(jen.Lit(m.Text))
		}
	}))
}
