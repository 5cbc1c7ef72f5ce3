package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
)

// An encoder writes the statements that append the encoding of a value to
// the []byte b, returning (b, error) from the enclosing function on
// failure. path names the value in error messages ("CoffeeOrdered.Size").
type encoder struct {
	g     *jen.Group
	path  string
	depth int
}

func (e *encoder) appendCall(fn string, expr jen.Code) {
	e.g.Id("b").Op("=").Qual(avrobinPkg, fn).Call(jen.Id("b"), expr)
}

func (e *encoder) tongaCall(fn string, expr jen.Code) {
	e.g.Id("b").Op("=").Qual(tongaPkg, fn).Call(jen.Id("b"), expr)
}

// check calls a method that can fail and wraps its error with the path.
func (e *encoder) check(call jen.Code) {
	e.g.If(jen.List(jen.Id("b"), jen.Id("err")).Op("=").Add(call), jen.Id("err").Op("!=").Nil()).Block(
		jen.Return(jen.Id("b"), jen.Qual("fmt", "Errorf").Call(jen.Lit(e.path+": %w"), jen.Id("err"))),
	)
}

func (e *encoder) fail(msg string) *jen.Statement {
	return jen.Return(jen.Id("b"), jen.Qual("errors", "New").Call(jen.Lit(e.path+": "+msg)))
}

func (e *encoder) unionIndex(i int) {
	e.g.Id("b").Op("=").Qual(avrobinPkg, "AppendUnionIndex").Call(jen.Id("b"), jen.Lit(i))
}

// nested returns an encoder for a block inside the current one.
func (e *encoder) nested(g *jen.Group) *encoder {
	return &encoder{g: g, path: e.path, depth: e.depth + 1}
}

// encode appends the encoding of expr, a value of Go type t.
func (e *encoder) encode(expr jen.Code, t *model.GoType) {
	if t.Nullable {
		inner := *t
		inner.Nullable = false
		e.g.If(jen.Add(expr).Op("==").Nil()).BlockFunc(func(g *jen.Group) {
			e.nested(g).unionIndex(t.NullIndex)
		}).Else().BlockFunc(func(g *jen.Group) {
			n := e.nested(g)
			n.unionIndex(1 - t.NullIndex)
			n.encode(expr, &inner)
		})
		return
	}
	switch t.Kind {
	case model.GoNull:
	case model.GoBool:
		e.appendCall("AppendBoolean", expr)
	case model.GoInt32:
		e.appendCall("AppendInt", expr)
	case model.GoInt64:
		e.appendCall("AppendLong", expr)
	case model.GoFloat32:
		e.appendCall("AppendFloat", expr)
	case model.GoFloat64:
		e.appendCall("AppendDouble", expr)
	case model.GoBytes:
		e.appendCall("AppendBytes", expr)
	case model.GoString:
		e.appendCall("AppendString", expr)
	case model.GoTime, model.GoDuration:
		if fn := timeFunc(t.Schema); fn == "TimestampNanos" {
			e.check(jen.Qual(tongaPkg, "Append"+fn).Call(jen.Id("b"), expr))
		} else {
			e.tongaCall("Append"+fn, expr)
		}
	case model.GoAvroDuration:
		e.appendCall("AppendDuration", expr)
	case model.GoContext:
		e.tongaCall("AppendContext", expr)
	case model.GoDecimal:
		e.decimal(expr, t.Schema)
	case model.GoNamed:
		e.named(expr, t.Named)
	case model.GoPointer:
		e.pointer(expr, t)
	case model.GoSlice:
		e.slice(expr, t)
	case model.GoMap:
		e.mapValue(expr, t)
	case model.GoUnion:
		e.union(expr, t.Union)
	default:
		panic(fmt.Sprintf("emit: cannot encode Go kind %d", t.Kind))
	}
}

func (e *encoder) decimal(expr jen.Code, s *schema.Schema) {
	if s.Kind == schema.Fixed {
		e.check(jen.Qual(avrobinPkg, "AppendDecimalFixed").Call(jen.Id("b"), expr, jen.Lit(s.Scale), jen.Lit(s.Size)))
		return
	}
	e.check(jen.Qual(avrobinPkg, "AppendDecimalBytes").Call(jen.Id("b"), expr, jen.Lit(s.Scale)))
}

func (e *encoder) named(expr jen.Code, t *model.Type) {
	switch t.Kind {
	case model.FixedType:
		e.appendCall("AppendFixed", jen.Add(expr).Index(jen.Empty(), jen.Empty()))
	default:
		method := "AppendAvro"
		if t.Kind == model.EnumType {
			method = "appendAvro"
		}
		e.check(jen.Add(expr).Dot(method).Call(jen.Id("b")))
	}
}

func (e *encoder) pointer(expr jen.Code, t *model.GoType) {
	e.g.If(jen.Add(expr).Op("==").Nil()).BlockFunc(func(g *jen.Group) {
		e.nested(g).unionIndex(t.NullIndex)
	}).Else().BlockFunc(func(g *jen.Group) {
		n := e.nested(g)
		n.unionIndex(1 - t.NullIndex)
		switch {
		case t.Elem.Kind == model.GoResultError:
			g.Id("b").Op("=").Qual(tongaPkg, "AppendResultError").Call(jen.Id("b"), expr, jen.Lit(messageNull(t.Elem.Schema)))
		case t.Elem.Kind == model.GoNamed && t.Elem.Named.Kind == model.RecordType:
			n.encode(expr, t.Elem) // pointer receiver
		case t.Elem.Kind == model.GoNamed:
			n.encode(jen.Parens(jen.Op("*").Add(expr)), t.Elem)
		default:
			n.encode(jen.Op("*").Add(expr), t.Elem)
		}
	})
}

// messageNull returns the index of null in a result error's message union.
func messageNull(s *schema.Schema) int {
	_, i, _ := s.Fields[1].Type.NullableBranch()
	return i
}

func (e *encoder) slice(expr jen.Code, t *model.GoType) {
	i := fmt.Sprintf("i%d", e.depth)
	e.g.Id("b").Op("=").Qual(avrobinPkg, "AppendBlockLen").Call(jen.Id("b"), jen.Len(expr))
	e.g.For(jen.Id(i).Op(":=").Range().Add(expr)).BlockFunc(func(g *jen.Group) {
		e.nested(g).encode(jen.Add(expr).Index(jen.Id(i)), t.Elem)
	})
	e.g.Id("b").Op("=").Qual(avrobinPkg, "AppendBlockEnd").Call(jen.Id("b"))
}

func (e *encoder) mapValue(expr jen.Code, t *model.GoType) {
	k, v := fmt.Sprintf("k%d", e.depth), fmt.Sprintf("v%d", e.depth)
	e.g.Id("b").Op("=").Qual(avrobinPkg, "AppendBlockLen").Call(jen.Id("b"), jen.Len(expr))
	e.g.For(jen.List(jen.Id(k), jen.Id(v)).Op(":=").Range().Add(expr)).BlockFunc(func(g *jen.Group) {
		n := e.nested(g)
		n.appendCall("AppendString", jen.Id(k))
		n.encode(jen.Id(v), t.Elem)
	})
	e.g.Id("b").Op("=").Qual(avrobinPkg, "AppendBlockEnd").Call(jen.Id("b"))
}

func (e *encoder) union(expr jen.Code, u *model.Union) {
	v := fmt.Sprintf("u%d", e.depth)
	hasNull := false
	e.g.Switch(jen.Id(v).Op(":=").Add(expr).Assert(jen.Type())).BlockFunc(func(g *jen.Group) {
		for _, b := range u.Branches {
			n := e.nested(g)
			switch b.GoName {
			case "":
				hasNull = true
				g.Case(jen.Nil()).BlockFunc(func(cg *jen.Group) {
					n.g = cg
					n.unionIndex(b.Index)
				})
			default:
				g.Case(branchType(b)).BlockFunc(func(cg *jen.Group) {
					n.g = cg
					unionCase(n, jen.Id(v), b)
				})
			}
		}
		if !hasNull {
			g.Default().Block(e.fail("union value is nil; set one of its branches"))
		}
	})
}

// unionCase writes the body of one case of a union's type switch.
func unionCase(e *encoder, v jen.Code, b *model.Branch) {
	if b.Type.Kind == model.GoNamed && b.Type.Named.Kind == model.RecordType {
		e.g.If(jen.Add(v).Op("==").Nil()).Block(e.fail("union holds a nil " + b.GoName))
	}
	e.unionIndex(b.Index)
	switch {
	case b.Boxed:
		e.encode(jen.Add(v).Dot("Value"), b.Type)
	case b.Wrapper:
		e.encode(jen.Add(typ(b.Type)).Parens(v), b.Type)
	default:
		e.encode(v, b.Type)
	}
}

func branchType(b *model.Branch) jen.Code {
	if b.GoName[0] == '*' {
		return jen.Op("*").Id(b.GoName[1:])
	}
	return jen.Id(b.GoName)
}

// timeFunc names the tonga helpers (Append…, Read…) of a time logical type.
func timeFunc(s *schema.Schema) string {
	switch s.Logical {
	case schema.Date:
		return "Date"
	case schema.TimeMillis:
		return "TimeMillis"
	case schema.TimeMicros:
		return "TimeMicros"
	case schema.TimestampMillis, schema.LocalTimestampMillis:
		return "TimestampMillis"
	case schema.TimestampMicros, schema.LocalTimestampMicros:
		return "TimestampMicros"
	}
	return "TimestampNanos"
}

// canFail reports whether encoding a value of t can return an error, so
// that the enclosing function needs an err variable.
func canFail(t *model.GoType) bool {
	switch t.Kind {
	case model.GoDecimal, model.GoUnion:
		return true
	case model.GoTime:
		return timeFunc(t.Schema) == "TimestampNanos"
	case model.GoNamed:
		return t.Named.Kind != model.FixedType
	case model.GoPointer, model.GoSlice, model.GoMap:
		return canFail(t.Elem)
	}
	return false
}
