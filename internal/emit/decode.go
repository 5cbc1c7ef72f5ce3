package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
)

// A decoder writes the statements that decode a value from the
// *avrobin.Reader r into an assignable expression. Errors stay in r.
type decoder struct {
	g     *jen.Group
	depth int
}

func (d *decoder) nested(g *jen.Group) *decoder { return &decoder{g: g, depth: d.depth + 1} }

func r() *jen.Statement { return jen.Id("r") }

func (d *decoder) assign(dst jen.Code, value jen.Code) {
	d.g.Add(dst).Op("=").Add(value)
}

// decode decodes a value of Go type t into dst.
func (d *decoder) decode(dst jen.Code, t *model.GoType) {
	if t.Nullable {
		d.nullable(dst, t)
		return
	}
	if e := readExpr(t); e != nil {
		d.assign(dst, e)
		return
	}
	switch t.Kind {
	case model.GoNull:
	case model.GoNamed:
		d.named(dst, t.Named)
	case model.GoPointer:
		d.pointer(dst, t)
	case model.GoSlice:
		d.slice(dst, t)
	case model.GoMap:
		d.mapValue(dst, t)
	case model.GoUnion:
		d.union(dst, t.Union)
	default:
		panic(fmt.Sprintf("emit: cannot decode Go kind %d", t.Kind))
	}
}

func (d *decoder) named(dst jen.Code, t *model.Type) {
	if t.Kind == model.FixedType {
		d.g.Add(r()).Dot("ReadFixed").Call(jen.Add(dst).Index(jen.Empty(), jen.Empty()))
		return
	}
	d.g.Add(dst).Dot("DecodeAvro").Call(r())
}

// nullable decodes a slice, map, bytes or decimal that is nil for null.
func (d *decoder) nullable(dst jen.Code, t *model.GoType) {
	inner := *t
	inner.Nullable = false
	d.g.If(r().Dot("ReadUnionIndex").Call(jen.Lit(2)).Op("==").Lit(t.NullIndex)).Block(
		jen.Add(dst).Op("=").Nil(),
	).Else().BlockFunc(func(g *jen.Group) {
		d.nested(g).decode(dst, &inner)
		if inner.Kind == model.GoSlice || inner.Kind == model.GoMap || inner.Kind == model.GoBytes {
			// An empty value is not null: keep it non-nil.
			g.If(jen.Add(dst).Op("==").Nil()).Block(jen.Add(dst).Op("=").Add(typ(&inner)).Values())
		}
	})
}

func (d *decoder) pointer(dst jen.Code, t *model.GoType) {
	v := fmt.Sprintf("p%d", d.depth)
	d.g.If(r().Dot("ReadUnionIndex").Call(jen.Lit(2)).Op("==").Lit(t.NullIndex)).Block(
		jen.Add(dst).Op("=").Nil(),
	).Else().BlockFunc(func(g *jen.Group) {
		if t.Elem.Kind == model.GoResultError {
			g.Add(dst).Op("=").Qual(tongaPkg, "DecodeResultError").Call(r(), jen.Lit(messageNull(t.Elem.Schema)))
			return
		}
		if t.Elem.Kind == model.GoNamed && t.Elem.Named.Kind == model.RecordType {
			g.Id(v).Op(":=").New(typ(t.Elem))
			g.Id(v).Dot("DecodeAvro").Call(r())
			g.Add(dst).Op("=").Id(v)
			return
		}
		if e := readExpr(t.Elem); e != nil {
			g.Id(v).Op(":=").Add(e)
		} else {
			g.Var().Id(v).Add(typ(t.Elem))
			d.nested(g).decode(jen.Id(v), t.Elem)
		}
		g.Add(dst).Op("=").Op("&").Id(v)
	})
}

func (d *decoder) slice(dst jen.Code, t *model.GoType) {
	n := fmt.Sprintf("n%d", d.depth)
	min := model.MinSize(t.Elem)
	d.assign(dst, jen.Nil())
	d.g.For(
		jen.Id(n).Op(":=").Add(r()).Dot("ReadBlockLen").Call(jen.Lit(min)),
		jen.Id(n).Op(">").Lit(0),
		jen.Id(n).Op("=").Add(r()).Dot("ReadBlockLen").Call(jen.Lit(min)),
	).BlockFunc(func(g *jen.Group) {
		g.If(jen.Add(dst).Op("==").Nil()).Block(
			jen.Add(dst).Op("=").Make(typ(t), jen.Lit(0), jen.Id(n)),
		)
		g.For(jen.Range().Id(n)).BlockFunc(func(lg *jen.Group) {
			if e := readExpr(t.Elem); e != nil {
				lg.Add(dst).Op("=").Append(dst, e)
				return
			}
			lg.Add(dst).Op("=").Append(dst, zero(t.Elem))
			d.nested(lg).decode(jen.Add(dst).Index(jen.Len(dst).Op("-").Lit(1)), t.Elem)
		})
	})
}

func (d *decoder) mapValue(dst jen.Code, t *model.GoType) {
	n, k, v := fmt.Sprintf("n%d", d.depth), fmt.Sprintf("k%d", d.depth), fmt.Sprintf("v%d", d.depth)
	min := 1 + model.MinSize(t.Elem)
	d.assign(dst, jen.Nil())
	d.g.For(
		jen.Id(n).Op(":=").Add(r()).Dot("ReadBlockLen").Call(jen.Lit(min)),
		jen.Id(n).Op(">").Lit(0),
		jen.Id(n).Op("=").Add(r()).Dot("ReadBlockLen").Call(jen.Lit(min)),
	).BlockFunc(func(g *jen.Group) {
		g.If(jen.Add(dst).Op("==").Nil()).Block(
			jen.Add(dst).Op("=").Make(typ(t), jen.Id(n)),
		)
		g.For(jen.Range().Id(n)).BlockFunc(func(lg *jen.Group) {
			lg.Id(k).Op(":=").Add(r()).Dot("ReadString").Call()
			if e := readExpr(t.Elem); e != nil {
				lg.Add(dst).Index(jen.Id(k)).Op("=").Add(e)
				return
			}
			lg.Var().Id(v).Add(typ(t.Elem))
			d.nested(lg).decode(jen.Id(v), t.Elem)
			lg.Add(dst).Index(jen.Id(k)).Op("=").Id(v)
		})
	})
}

func (d *decoder) union(dst jen.Code, u *model.Union) {
	d.g.Switch(r().Dot("ReadUnionIndex").Call(jen.Lit(len(u.Branches)))).BlockFunc(func(g *jen.Group) {
		for _, b := range u.Branches {
			g.Case(jen.Lit(b.Index)).BlockFunc(func(cg *jen.Group) {
				d.unionCase(cg, dst, b)
			})
		}
	})
}

func (d *decoder) unionCase(g *jen.Group, dst jen.Code, b *model.Branch) {
	v := fmt.Sprintf("u%d", d.depth)
	n := d.nested(g)
	switch {
	case b.GoName == "":
		g.Add(dst).Op("=").Nil()
	case b.Type.Kind == model.GoNamed && b.Type.Named.Kind == model.RecordType:
		g.Id(v).Op(":=").New(jen.Id(b.Type.Named.GoName))
		g.Id(v).Dot("DecodeAvro").Call(r())
		g.Add(dst).Op("=").Id(v)
	case b.Boxed:
		g.Var().Id(v).Id(b.GoName)
		n.decode(jen.Id(v).Dot("Value"), b.Type)
		g.Add(dst).Op("=").Id(v)
	case b.Wrapper && readExpr(b.Type) != nil:
		g.Add(dst).Op("=").Id(b.GoName).Parens(readExpr(b.Type))
	default:
		g.Var().Id(v).Add(typ(b.Type))
		n.decode(jen.Id(v), b.Type)
		if b.Wrapper {
			g.Add(dst).Op("=").Id(b.GoName).Parens(jen.Id(v))
		} else {
			g.Add(dst).Op("=").Id(v)
		}
	}
}

// zero renders the zero value of t.
func zero(t *model.GoType) jen.Code {
	if t.Nullable {
		return jen.Nil()
	}
	switch t.Kind {
	case model.GoBool:
		return jen.False()
	case model.GoInt32, model.GoInt64, model.GoFloat32, model.GoFloat64, model.GoDuration:
		return jen.Lit(0)
	case model.GoString:
		return jen.Lit("")
	case model.GoNamed:
		if t.Named.Kind == model.EnumType {
			return jen.Lit(0)
		}
	case model.GoBytes, model.GoPointer, model.GoSlice, model.GoMap, model.GoUnion, model.GoDecimal, model.GoContext:
		return jen.Nil()
	}
	return jen.Add(typ(t)).Values()
}
