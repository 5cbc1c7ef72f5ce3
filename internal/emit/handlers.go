package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
)

var verbs = map[schema.TongaKind]struct{ noun, verb, param string }{
	schema.KindEvent:   {"event", "handles", "event"},
	schema.KindCommand: {"command", "executes", "cmd"},
	schema.KindResult:  {"result", "receives", "result"},
}

func handlerParams(t *model.Type) []jen.Code {
	p := verbs[t.Tonga].param
	return []jen.Code{
		jen.Id("ctx").Qual("context", "Context"),
		jen.Id(p).Op("*").Id(t.GoName),
		jen.Id("out").Qual(tongaPkg, "Emitter"),
	}
}

// handlerAPI declares the handler interface of a Tonga record, its func
// adapter and its Register function.
func handlerAPI(f *jen.File, t *model.Type) {
	v := verbs[t.Tonga]
	commentf(f, "%s %s %s %ss. The records it emits through out join the\n"+
		"transaction of the input and, unless set, its flow.", t.Handler, v.verb, t.GoName, v.noun)
	f.Type().Id(t.Handler).Interface(
		jen.Id(t.HandlerMethod).Params(handlerParams(t)...).Error(),
	)
	commentf(f, "%s is a function that is a %s.", t.HandlerFunc, t.Handler)
	f.Type().Id(t.HandlerFunc).Func().Params(handlerParams(t)...).Error()
	commentf(f, "%s calls fn.", t.HandlerMethod)
	f.Func().Params(jen.Id("fn").Id(t.HandlerFunc)).Id(t.HandlerMethod).Params(handlerParams(t)...).Error().Block(
		jen.Return(jen.Id("fn").Call(jen.Id("ctx"), jen.Id(v.param), jen.Id("out"))),
	)
	commentf(f, "%s registers h as the handler of %s records in r.", t.Register, t.GoName)
	f.Func().Id(t.Register).Params(jen.Id("r").Op("*").Qual(tongaPkg, "Registry"), jen.Id("h").Id(t.Handler)).Error().Block(
		jen.Return(jen.Id("r").Dot("Handle").Call(
			jen.Id(t.SchemaVar),
			jen.Func().Params(
				jen.Id("ctx").Qual("context", "Context"),
				jen.Id("rec").Qual(tongaPkg, "Record"),
				jen.Id("out").Qual(tongaPkg, "Emitter"),
			).Error().Block(
				jen.Return(jen.Id("h").Dot(t.HandlerMethod).Call(jen.Id("ctx"), jen.Id("rec").Assert(jen.Op("*").Id(t.GoName)), jen.Id("out"))),
			),
		)),
	)
}

// registry writes the package-level Schemas and RegisterHandlers.
func registry(f *jen.File, pkg *model.Package) {
	commentf(f, "%s", "Schemas returns the schemas of the package's record types, sorted by full\n"+
		"name, for tonga.NewRegistry.")
	f.Func().Id("Schemas").Params().Index().Op("*").Qual(tongaPkg, "Schema").Block(
		jen.Return(jen.Index().Op("*").Qual(tongaPkg, "Schema").ValuesFunc(func(g *jen.Group) {
			for _, t := range pkg.Types {
				if t.Kind == model.RecordType {
					g.Id(t.SchemaVar)
				}
			}
		})),
	)
	commentf(f, "%s", "RegisterHandlers registers h for every handler interface of this package it\n"+
		"implements. It is an error if h implements none.")
	f.Func().Id("RegisterHandlers").Params(jen.Id("r").Op("*").Qual(tongaPkg, "Registry"), jen.Id("h").Any()).Error().BlockFunc(func(g *jen.Group) {
		g.Id("found").Op(":=").False()
		for _, t := range pkg.Records {
			g.If(jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("h").Assert(jen.Id(t.Handler)), jen.Id("ok")).Block(
				jen.If(jen.Id("err").Op(":=").Id(t.Register).Call(jen.Id("r"), jen.Id("x")), jen.Id("err").Op("!=").Nil()).Block(
					jen.Return(jen.Id("err")),
				),
				jen.Id("found").Op("=").True(),
			)
		}
		g.If(jen.Op("!").Id("found")).Block(
			jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit("%T implements no handler interface of package "+pkg.Name), jen.Id("h"))),
		)
		g.Return(jen.Nil())
	})
}
