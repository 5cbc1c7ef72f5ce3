package emit

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/resolve"
	"github.com/tonga-go/tonga/internal/schema"
)

// resolvers emits the decoders that read older versions of a record
// (kept in versions directories) straight into the current type, walking
// the resolution plans the model holds. Functions are shared across the
// package: each is emitted once, into the first file that needs it.
type resolvers struct {
	types map[*schema.Schema]*model.Type
	done  map[string]bool
	queue []func(f *jen.File)
}

func newResolvers(pkg *model.Package) *resolvers {
	rs := &resolvers{types: map[*schema.Schema]*model.Type{}, done: map[string]bool{}}
	for _, t := range pkg.Types {
		rs.types[t.Schema] = t
	}
	return rs
}

// flush emits the queued functions into f, including those they queue.
func (rs *resolvers) flush(f *jen.File) {
	for len(rs.queue) > 0 {
		fn := rs.queue[0]
		rs.queue = rs.queue[1:]
		fn(f)
	}
}

func fpHex(s *schema.Schema) string { return fmt.Sprintf("%016x", s.Fingerprint()) }

// recordFunc returns the name of the function that decodes writer's
// record plan p into reader type t, queueing it the first time.
func (rs *resolvers) recordFunc(t *model.Type, p *resolve.Plan) string {
	name := "decode" + t.GoName + "From" + fpHex(p.Writer)
	if rs.done[name] {
		return name
	}
	rs.done[name] = true
	rs.queue = append(rs.queue, func(f *jen.File) {
		f.Commentf("%s decodes a %s written with an older schema (fingerprint %s).", name, t.GoName, fpHex(p.Writer))
		f.Func().Id(name).Params(jen.Id("x").Op("*").Id(t.GoName), jen.Id("r").Op("*").Qual(avrobinPkg, "Reader")).BlockFunc(func(g *jen.Group) {
			rs.recordBody(g, t, p)
		})
	})
	return name
}

func (rs *resolvers) recordBody(g *jen.Group, t *model.Type, p *resolve.Plan) {
	c := &rcontext{rs: rs, g: g}
	for _, fp := range p.Fields {
		if fp.Reader == nil {
			c.skip(fp.Writer.Type)
			continue
		}
		mf := t.Fields[fp.ReaderIndex]
		c.resolved(jen.Id("x").Dot(mf.GoName), fp.Plan, mf.Type)
	}
	for _, df := range p.Defaults {
		for _, mf := range t.Fields {
			if mf.Schema != df {
				continue
			}
			v := zero(mf.Type)
			if !isZero(df.Default, mf.Type) {
				v = value(df.Default, mf.Type)
			}
			g.Id("x").Dot(mf.GoName).Op("=").Add(v)
		}
	}
}

// skipFunc names the function that skips a writer record, queueing it.
func (rs *resolvers) skipFunc(w *schema.Schema) string {
	name := "skip" + exportedHex(w)
	if rs.done[name] {
		return name
	}
	rs.done[name] = true
	rs.queue = append(rs.queue, func(f *jen.File) {
		f.Commentf("%s skips a %s record written with the schema of fingerprint %s.", name, w.FullName, fpHex(w))
		f.Func().Id(name).Params(jen.Id("r").Op("*").Qual(avrobinPkg, "Reader")).BlockFunc(func(g *jen.Group) {
			c := &rcontext{rs: rs, g: g}
			for _, fld := range w.Fields {
				c.skip(fld.Type)
			}
		})
	})
	return name
}

func exportedHex(w *schema.Schema) string { return fmt.Sprintf("Record%s", fpHex(w)) }

// rcontext writes resolving statements into one block.
type rcontext struct {
	rs    *resolvers
	g     *jen.Group
	depth int
}

func (c *rcontext) nested(g *jen.Group) *rcontext {
	return &rcontext{rs: c.rs, g: g, depth: c.depth + 1}
}

func (c *rcontext) v(prefix string) string { return fmt.Sprintf("%s%d", prefix, c.depth) }

// resolved decodes a writer value by plan p into dst, of reader Go type t.
func (c *rcontext) resolved(dst jen.Code, p *resolve.Plan, t *model.GoType) {
	switch p.Op {
	case resolve.OpSame:
		(&decoder{g: c.g, depth: c.depth}).decode(dst, t)
	case resolve.OpPromote:
		c.promote(dst, p, t)
	case resolve.OpRecord:
		if t.Kind != model.GoNamed {
			c.unsupported(p, t)
			return
		}
		c.g.Id(c.rs.recordFunc(t.Named, p)).Call(jen.Op("&").Add(dst), r())
	case resolve.OpEnum:
		c.enum(dst, p, t)
	case resolve.OpArray, resolve.OpMap:
		c.blocks(dst, p, t)
	case resolve.OpToUnion:
		c.toUnion(dst, p, t)
	case resolve.OpFromUnion:
		c.g.Switch(r().Dot("ReadUnionIndex").Call(jen.Lit(len(p.Branches)))).BlockFunc(func(g *jen.Group) {
			for i, b := range p.Branches {
				g.Case(jen.Lit(i)).BlockFunc(func(cg *jen.Group) {
					c.nested(cg).resolved(dst, b, t)
				})
			}
		})
	default: // OpFail
		c.setErr(p.Err)
	}
}

func (c *rcontext) setErr(msg string) {
	c.g.Add(r()).Dot("SetErr").Call(jen.Qual("fmt", "Errorf").Call(jen.Lit("%w: "+msg), jen.Qual(tongaPkg, "ErrIncompatible")))
}

func (c *rcontext) unsupported(p *resolve.Plan, t *model.GoType) {
	c.setErr(fmt.Sprintf("reading %s into %s is not supported by generated code", describeKind(p.Writer), describeKind(t.Schema)))
}

func describeKind(s *schema.Schema) string {
	if s.Kind.Named() {
		return s.FullName
	}
	return s.Kind.String()
}

func (c *rcontext) promote(dst jen.Code, p *resolve.Plan, t *model.GoType) {
	var read string
	switch p.Writer.Kind {
	case schema.Int:
		read = "ReadInt"
	case schema.Long:
		read = "ReadLong"
	case schema.Float:
		read = "ReadFloat"
	default:
		// int→long and string↔bytes share their encodings: the reader's
		// own decoding reads the writer's bytes.
		(&decoder{g: c.g, depth: c.depth}).decode(dst, t)
		return
	}
	if p.Writer.Kind == schema.Int && p.Reader.Kind == schema.Long {
		(&decoder{g: c.g, depth: c.depth}).decode(dst, t)
		return
	}
	c.g.Add(dst).Op("=").Add(typ(t)).Parens(r().Dot(read).Call())
}

func (c *rcontext) enum(dst jen.Code, p *resolve.Plan, t *model.GoType) {
	if t.Kind != model.GoNamed {
		c.unsupported(p, t)
		return
	}
	j := c.v("j")
	table := jen.Index(jen.Op("...")).Int().ValuesFunc(func(g *jen.Group) {
		for _, m := range p.EnumMap {
			g.Lit(m)
		}
	})
	c.g.If(jen.Id(j).Op(":=").Add(table).Index(r().Dot("ReadEnum").Call(jen.Lit(len(p.EnumMap)))), jen.Id(j).Op(">=").Lit(0)).Block(
		jen.Add(dst).Op("=").Id(t.Named.GoName).Parens(jen.Id(j)),
	).Else().BlockFunc(func(g *jen.Group) {
		c.nested(g).setErr(fmt.Sprintf("enum %s: a symbol of the writer's enum is not in the reader's, which has no default", p.Reader.FullName))
	})
}

func (c *rcontext) blocks(dst jen.Code, p *resolve.Plan, t *model.GoType) {
	if t.Kind != model.GoSlice && t.Kind != model.GoMap {
		c.unsupported(p, t)
		return
	}
	n := c.v("n")
	isMap := p.Op == resolve.OpMap
	min := 0
	if isMap {
		min = 1 + resolve.MinSize(p.Writer.Values)
	} else {
		min = resolve.MinSize(p.Writer.Items)
	}
	c.g.Add(dst).Op("=").Nil()
	c.g.For(
		jen.Id(n).Op(":=").Add(r()).Dot("ReadBlockLen").Call(jen.Lit(min)),
		jen.Id(n).Op(">").Lit(0),
		jen.Id(n).Op("=").Add(r()).Dot("ReadBlockLen").Call(jen.Lit(min)),
	).BlockFunc(func(g *jen.Group) {
		// Made at the size of the first block, which the count check
		// bounds by the input.
		if isMap {
			g.If(jen.Add(dst).Op("==").Nil()).Block(jen.Add(dst).Op("=").Make(typ(&model.GoType{Kind: model.GoMap, Elem: t.Elem}), jen.Id(n)))
		} else {
			g.If(jen.Add(dst).Op("==").Nil()).Block(jen.Add(dst).Op("=").Make(typ(&model.GoType{Kind: model.GoSlice, Elem: t.Elem}), jen.Lit(0), jen.Id(n)))
		}
		g.For(jen.Range().Id(n)).BlockFunc(func(lg *jen.Group) {
			in := c.nested(lg)
			v := in.v("v")
			var k string
			if isMap {
				k = in.v("k")
				lg.Id(k).Op(":=").Add(r()).Dot("ReadString").Call()
			}
			lg.Var().Id(v).Add(typ(t.Elem))
			in.resolved(jen.Id(v), p.Elem, t.Elem)
			if isMap {
				lg.Add(dst).Index(jen.Id(k)).Op("=").Id(v)
			} else {
				lg.Add(dst).Op("=").Append(dst, jen.Id(v))
			}
		})
	})
	if t.Nullable {
		c.g.If(jen.Add(dst).Op("==").Nil()).Block(jen.Add(dst).Op("=").Add(typ(&model.GoType{Kind: t.Kind, Elem: t.Elem})).Values())
	}
}

// toUnion reads a non-union writer value into one branch of the reader's
// union: a pointer, a nil-able slice or map, or a sealed interface.
func (c *rcontext) toUnion(dst jen.Code, p *resolve.Plan, t *model.GoType) {
	v := c.v("w")
	switch {
	case (t.Kind == model.GoPointer || t.Nullable) && p.Branch == t.NullIndex:
		c.g.Add(dst).Op("=").Nil()
	case t.Kind == model.GoPointer:
		c.g.Var().Id(v).Add(typ(t.Elem))
		c.nested(c.g).resolved(jen.Id(v), p.Elem, t.Elem)
		c.g.Add(dst).Op("=").Op("&").Id(v)
	case t.Nullable:
		inner := *t
		inner.Nullable = false
		c.resolved(dst, p.Elem, &inner)
		if inner.Kind != model.GoDecimal {
			c.g.If(jen.Add(dst).Op("==").Nil()).Block(jen.Add(dst).Op("=").Add(typ(&inner)).Values())
		}
	case t.Kind == model.GoUnion:
		b := t.Union.Branches[p.Branch]
		if b.GoName == "" {
			c.g.Add(dst).Op("=").Nil()
			return
		}
		c.g.Var().Id(v).Add(typ(b.Type))
		c.nested(c.g).resolved(jen.Id(v), p.Elem, b.Type)
		switch {
		case b.Type.Kind == model.GoNamed && b.Type.Named.Kind == model.RecordType:
			c.g.Add(dst).Op("=").Op("&").Id(v)
		case b.Boxed:
			c.g.Add(dst).Op("=").Id(b.GoName).Values(jen.Dict{jen.Id("Value"): jen.Id(v)})
		case b.Wrapper:
			c.g.Add(dst).Op("=").Id(b.GoName).Parens(jen.Id(v))
		default:
			c.g.Add(dst).Op("=").Id(v)
		}
	default:
		c.unsupported(p, t)
	}
}

// skip reads past one value of writer type w.
func (c *rcontext) skip(w *schema.Schema) {
	switch w.Kind {
	case schema.Null:
	case schema.Boolean:
		c.g.Add(r()).Dot("ReadBoolean").Call()
	case schema.Int, schema.Long, schema.Enum:
		c.g.Add(r()).Dot("SkipVarint").Call()
	case schema.Float:
		c.g.Add(r()).Dot("Skip").Call(jen.Lit(4))
	case schema.Double:
		c.g.Add(r()).Dot("Skip").Call(jen.Lit(8))
	case schema.Bytes, schema.String:
		c.g.Add(r()).Dot("SkipBytes").Call()
	case schema.Fixed:
		c.g.Add(r()).Dot("Skip").Call(jen.Lit(w.Size))
	case schema.Record:
		c.g.Id(c.rs.skipFunc(w)).Call(r())
	case schema.Union:
		c.g.Switch(r().Dot("ReadUnionIndex").Call(jen.Lit(len(w.Branches)))).BlockFunc(func(g *jen.Group) {
			for i, b := range w.Branches {
				if b.Kind == schema.Null {
					continue
				}
				g.Case(jen.Lit(i)).BlockFunc(func(cg *jen.Group) { c.nested(cg).skip(b) })
			}
		})
	default:
		c.skipBlocks(w)
	}
}

func (c *rcontext) skipBlocks(w *schema.Schema) {
	n, size := c.v("n"), c.v("size")
	elem, min := w.Items, 0
	if w.Kind == schema.Map {
		elem, min = w.Values, 1+resolve.MinSize(w.Values)
	} else {
		min = resolve.MinSize(w.Items)
	}
	c.g.For().BlockFunc(func(g *jen.Group) {
		g.List(jen.Id(n), jen.Id(size)).Op(":=").Add(r()).Dot("ReadBlockHeader").Call(jen.Lit(min))
		g.If(jen.Id(n).Op("<=").Lit(0)).Block(jen.Break())
		g.If(jen.Id(size).Op(">=").Lit(0)).Block(jen.Add(r()).Dot("Skip").Call(jen.Id(size)), jen.Continue())
		g.For(jen.Range().Id(n)).BlockFunc(func(lg *jen.Group) {
			if w.Kind == schema.Map {
				lg.Add(r()).Dot("SkipBytes").Call()
			}
			c.nested(lg).skip(elem)
		})
	})
}
