package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
)

// typ renders the Go type of g.
func typ(g *model.GoType) *jen.Statement {
	switch g.Kind {
	case model.GoNull:
		return jen.Struct()
	case model.GoBool:
		return jen.Bool()
	case model.GoInt32:
		return jen.Int32()
	case model.GoInt64:
		return jen.Int64()
	case model.GoFloat32:
		return jen.Float32()
	case model.GoFloat64:
		return jen.Float64()
	case model.GoBytes:
		return jen.Index().Byte()
	case model.GoString:
		return jen.String()
	case model.GoNamed:
		return jen.Id(g.Named.GoName)
	case model.GoPointer:
		return jen.Op("*").Add(typ(g.Elem))
	case model.GoSlice:
		return jen.Index().Add(typ(g.Elem))
	case model.GoMap:
		return jen.Map(jen.String()).Add(typ(g.Elem))
	case model.GoUnion:
		return jen.Id(g.Union.GoName)
	case model.GoTime:
		return jen.Qual("time", "Time")
	case model.GoDuration:
		return jen.Qual("time", "Duration")
	case model.GoDecimal:
		return jen.Op("*").Qual("math/big", "Rat")
	case model.GoAvroDuration:
		return jen.Qual(tongaPkg, "Duration")
	case model.GoContext:
		return jen.Qual(tongaPkg, "Context")
	case model.GoResultError:
		return jen.Qual(tongaPkg, "ResultError")
	}
	panic(fmt.Sprintf("emit: unknown Go kind %d", g.Kind))
}

// docLines turns a schema doc string into comment text.
func docLines(doc string) string {
	return strings.TrimSpace(doc)
}

// comment writes text as // line comments, nothing when it is empty.
func comment(text string) jen.Code {
	if text == "" {
		return jen.Null()
	}
	var c *jen.Statement
	for i, line := range strings.Split(text, "\n") {
		if i == 0 {
			c = jen.Comment(line)
		} else {
			c = c.Line().Comment(line)
		}
	}
	return c
}

// str renders a string literal, as a raw string when that reads better.
func str(s string) jen.Code {
	if strings.ContainsAny(s, "`\r") || !strings.Contains(s, `"`) {
		return jen.Lit(s)
	}
	return jen.Op("`" + s + "`")
}

// avroType describes a schema in a doc comment.
func avroType(s *schema.Schema) string {
	if s.Logical != "" {
		return s.Kind.String() + " (" + s.Logical + ")"
	}
	return s.Kind.String()
}

// kindPhrase names a Tonga kind with its article.
func kindPhrase(k schema.TongaKind) string {
	switch k {
	case schema.KindEvent:
		return "a Tonga event"
	case schema.KindCommand:
		return "a Tonga command"
	case schema.KindResult:
		return "a Tonga result"
	}
	return "a plain record"
}

func tongaKind(k schema.TongaKind) *jen.Statement {
	switch k {
	case schema.KindEvent:
		return jen.Qual(tongaPkg, "KindEvent")
	case schema.KindCommand:
		return jen.Qual(tongaPkg, "KindCommand")
	case schema.KindResult:
		return jen.Qual(tongaPkg, "KindResult")
	}
	return jen.Qual(tongaPkg, "KindNone")
}

// enum declares an enum type: an int32 whose zero value is the first
// symbol, constants in symbol order, and methods that make it read and
// marshal as its symbol.
func enum(f *jen.File, t *model.Type) {
	s := t.Schema
	doc := docLines(s.Doc)
	if doc == "" {
		doc = t.GoName + " is the Avro enum " + s.FullName + "."
	} else {
		doc += "\n\nAvro enum " + s.FullName + "."
	}
	doc += " Its zero value is the first symbol, " + t.Symbols[0].GoName + "; it reads and marshals\nto text (JSON included) as the symbol."
	f.Add(comment(doc))
	f.Type().Id(t.GoName).Int32()
	f.Comment("The symbols of " + t.GoName + ".")
	f.Const().DefsFunc(func(g *jen.Group) {
		for i, sym := range t.Symbols {
			if i == 0 {
				g.Id(sym.GoName).Id(t.GoName).Op("=").Iota()
			} else {
				g.Id(sym.GoName)
			}
		}
	})
	f.Var().Id(t.SymbolsVar).Op("=").Index(jen.Op("...")).String().ValuesFunc(func(g *jen.Group) {
		for _, sym := range t.Symbols {
			g.Lit(sym.Avro)
		}
	})
	e := jen.Id("e").Id(t.GoName)
	f.Comment("String returns the symbol, or " + t.GoName + "(n) for a value that is none.")
	f.Func().Params(e.Clone()).Id("String").Params().String().Block(
		jen.If(jen.Id("e").Dot("Valid").Call()).Block(jen.Return(jen.Id(t.SymbolsVar).Index(jen.Id("e")))),
		jen.Return(jen.Qual("fmt", "Sprintf").Call(jen.Lit(t.GoName+"(%d)"), jen.Int32().Parens(jen.Id("e")))),
	)
	f.Comment("Valid reports whether e is one of the symbols.")
	f.Func().Params(e.Clone()).Id("Valid").Params().Bool().Block(
		jen.Return(jen.Id("e").Op(">=").Lit(0).Op("&&").Int().Parens(jen.Id("e")).Op("<").Len(jen.Id(t.SymbolsVar))),
	)
	commentf(f, "%s returns the %s whose symbol is s.", t.Parse, t.GoName)
	f.Func().Id(t.Parse).Params(jen.Id("s").String()).Params(jen.Id(t.GoName), jen.Error()).Block(
		jen.For(jen.List(jen.Id("i"), jen.Id("sym")).Op(":=").Range().Id(t.SymbolsVar)).Block(
			jen.If(jen.Id("sym").Op("==").Id("s")).Block(jen.Return(jen.Id(t.GoName).Parens(jen.Id("i")), jen.Nil())),
		),
		jen.Return(jen.Lit(0), jen.Qual("fmt", "Errorf").Call(jen.Lit("%q is not a symbol of enum "+s.FullName), jen.Id("s"))),
	)
	f.Comment("MarshalText returns the symbol.")
	f.Func().Params(e.Clone()).Id("MarshalText").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Op("!").Id("e").Dot("Valid").Call()).Block(
			jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("%d is not a symbol of enum "+s.FullName), jen.Int32().Parens(jen.Id("e")))),
		),
		jen.Return(jen.Index().Byte().Parens(jen.Id(t.SymbolsVar).Index(jen.Id("e"))), jen.Nil()),
	)
	f.Comment("UnmarshalText sets e from its symbol.")
	f.Func().Params(jen.Id("e").Op("*").Id(t.GoName)).Id("UnmarshalText").Params(jen.Id("text").Index().Byte()).Error().Block(
		jen.List(jen.Id("v"), jen.Err()).Op(":=").Id(t.Parse).Call(jen.String().Parens(jen.Id("text"))),
		jen.Op("*").Id("e").Op("=").Id("v"),
		jen.Return(jen.Err()),
	)
	f.Func().Params(e.Clone()).Id("appendAvro").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.If(jen.Op("!").Id("e").Dot("Valid").Call()).Block(
			jen.Return(jen.Id("b"), jen.Qual("fmt", "Errorf").Call(jen.Lit("%d is not a symbol of enum "+s.FullName), jen.Int32().Parens(jen.Id("e")))),
		),
		jen.Return(jen.Qual(avrobinPkg, "AppendEnum").Call(jen.Id("b"), jen.Int().Parens(jen.Id("e"))), jen.Nil()),
	)
}

// fixed declares a fixed type.
func fixed(f *jen.File, t *model.Type) {
	s := t.Schema
	doc := docLines(s.Doc)
	if doc == "" {
		doc = fmt.Sprintf("%s is the Avro fixed %s of %d bytes.", t.GoName, s.FullName, s.Size)
	} else {
		doc += fmt.Sprintf("\n\nAvro fixed %s of %d bytes.", s.FullName, s.Size)
	}
	f.Add(comment(doc))
	f.Type().Id(t.GoName).Index(jen.Lit(s.Size)).Byte()
}

// union declares a union's sealed interface and its branch wrappers.
func union(f *jen.File, u *model.Union) {
	var names []string
	for _, b := range u.Branches {
		if b.GoName == "" {
			names = append(names, "nil (null)")
		} else {
			names = append(names, b.GoName)
		}
	}
	commentf(f, "%s is the union of %s: one of %s.", u.GoName, u.Doc, strings.Join(names, ", "))
	f.Type().Id(u.GoName).Interface(jen.Id(u.Marker).Params())
	for _, b := range u.Branches {
		switch {
		case b.GoName == "":
			continue
		case b.Boxed:
			commentf(f, "%s is the %s branch of %s.", b.GoName, avroType(b.Type.Schema), u.GoName)
			f.Type().Id(b.GoName).Struct(jen.Id("Value").Add(typ(b.Type)))
		case b.Wrapper:
			commentf(f, "%s is the %s branch of %s.", b.GoName, avroType(b.Type.Schema), u.GoName)
			f.Type().Id(b.GoName).Add(typ(b.Type))
		}
		recv := strings.TrimPrefix(b.GoName, "*")
		if strings.HasPrefix(b.GoName, "*") {
			f.Func().Params(jen.Op("*").Id(recv)).Id(u.Marker).Params().Block()
		} else {
			f.Func().Params(jen.Id(recv)).Id(u.Marker).Params().Block()
		}
	}
}

// commentf writes a formatted, possibly multi-line, comment to f.
func commentf(f *jen.File, format string, args ...any) {
	f.Add(comment(fmt.Sprintf(format, args...)))
}
