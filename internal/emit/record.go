package emit

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
)

// record declares a record type, its schema, constructors, codec and, for
// Tonga kinds, its handler API.
func record(f *jen.File, t *model.Type, rs *resolvers) {
	recordStruct(f, t)
	schemaVar(f, t, rs)
	constructors(f, t)
	codec(f, t)
	if t.Tonga == schema.KindCommand {
		for _, fd := range t.Fields {
			if fd.Schema.Name == "processing_guarantee" {
				f.Comment("TongaGuarantee returns the command's processing guarantee, making it a tonga.Command.")
				f.Func().Params(jen.Id("x").Op("*").Id(t.GoName)).Id("TongaGuarantee").Params().String().Block(
					jen.Return(jen.Id("x").Dot(fd.GoName)),
				)
			}
		}
	}
	if t.Tonga != schema.KindNone {
		handlerAPI(f, t)
	}
}

func recordStruct(f *jen.File, t *model.Type) {
	s := t.Schema
	doc := docLines(s.Doc)
	kind := fmt.Sprintf("Avro record %s, %s.", s.FullName, kindPhrase(t.Tonga))
	if doc == "" {
		doc = t.GoName + " is the " + kind
	} else {
		doc += "\n\n" + kind
	}
	f.Add(comment(doc))
	f.Type().Id(t.GoName).StructFunc(func(g *jen.Group) {
		if t.Tonga != schema.KindNone {
			g.Comment("Envelope holds Tonga's envelope fields: " + envelopeList(t) + ".")
			g.Qual(tongaPkg, "Envelope")
			g.Line()
		}
		for _, fd := range t.Fields {
			if fd.Envelope {
				continue
			}
			g.Add(comment(fieldDoc(fd)))
			g.Id(fd.GoName).Add(typ(fd.Type))
		}
	})
}

func envelopeList(t *model.Type) string {
	var names []string
	for _, fd := range t.Fields {
		if fd.Envelope {
			names = append(names, fd.Schema.Name)
		}
	}
	return strings.Join(names, ", ")
}

func fieldDoc(fd *model.Field) string {
	doc := docLines(fd.Schema.Doc)
	if ig := fd.Schema.Type.IgnoredLogical; ig != "" {
		note := fmt.Sprintf("The schema's logicalType %q does not apply to %s and is ignored, as the Avro specification requires.", ig, fd.Schema.Type.Kind)
		if doc == "" {
			return note
		}
		return doc + "\n\n" + note
	}
	return doc
}

func schemaVar(f *jen.File, t *model.Type, rs *resolvers) {
	s := t.Schema
	field := func(name string, v jen.Code) jen.Code { return jen.Id(name).Op(":").Add(v) }
	fields := []jen.Code{
		field("FullName", jen.Lit(s.FullName)),
		field("Kind", tongaKind(t.Tonga)),
		field("Canonical", str(t.Canonical)),
		field("Fingerprint", jen.Lit(t.Fingerprint)),
		field("JSON", str(t.JSON)),
	}
	if len(s.Aliases) > 0 {
		fields = append(fields, field("Aliases", jen.Index().String().ValuesFunc(func(g *jen.Group) {
			for _, a := range s.Aliases {
				g.Lit(a)
			}
		})))
	}
	fields = append(fields, field("New", jen.Func().Params().Qual(tongaPkg, "Record").Block(jen.Return(jen.New(jen.Id(t.GoName))))))
	if len(t.Writers) > 0 {
		fields = append(fields, field("Writers", jen.Index().Qual(tongaPkg, "Writer").CustomFunc(jen.Options{
			Open: "{", Close: "}", Separator: ",", Multi: true,
		}, func(g *jen.Group) {
			for _, w := range t.Writers {
				fn := rs.recordFunc(t, w.Plan)
				g.Values(jen.Dict{
					jen.Id("Fingerprint"): jen.Lit(w.Fingerprint),
					jen.Id("JSON"):        str(w.JSON),
					jen.Id("Decode"): jen.Func().Params(jen.Id("rec").Qual(tongaPkg, "Record"), jen.Id("r").Op("*").Qual(avrobinPkg, "Reader")).Block(
						jen.Id(fn).Call(jen.Id("rec").Assert(jen.Op("*").Id(t.GoName)), jen.Id("r")),
					),
				})
			}
		})))
	}
	f.Var().Id(t.SchemaVar).Op("=").Op("&").Qual(tongaPkg, "Schema").Custom(jen.Options{
		Open: "{", Close: "}", Separator: ",", Multi: true,
	}, fields...)
	f.Comment("AvroSchema returns the schema of " + t.GoName + ".")
	f.Func().Params(jen.Op("*").Id(t.GoName)).Id("AvroSchema").Params().Op("*").Qual(tongaPkg, "Schema").Block(
		jen.Return(jen.Id(t.SchemaVar)),
	)
}

func constructors(f *jen.File, t *model.Type) {
	defaults := defaultAssignments(t)
	if t.Tonga == schema.KindNone {
		commentf(f, "%s returns a %s with the schema's default values.", t.Constructor, t.GoName)
		f.Func().Id(t.Constructor).Params().Op("*").Id(t.GoName).BlockFunc(func(g *jen.Group) {
			g.Id("x").Op(":=").New(jen.Id(t.GoName))
			for _, c := range defaults {
				g.Add(c)
			}
			g.Return(jen.Id("x"))
		})
		return
	}
	commentf(f, "%s returns a %s that starts a flow: a new record id, the current\n"+
		"time, a correlation id equal to the record id, schema version %q, and the\n"+
		"schema's default values. Emitted while another record is handled, it joins\n"+
		"that record's flow (see tonga.Envelope.InheritFlow).", t.Constructor, t.GoName, t.SchemaVersion)
	f.Func().Id(t.Constructor).Params().Op("*").Id(t.GoName).BlockFunc(func(g *jen.Group) {
		g.Id("x").Op(":=").Op("&").Id(t.GoName).Values(jen.Dict{
			jen.Id("Envelope"): jen.Qual(tongaPkg, "NewEnvelope").Call(jen.Lit(t.SchemaVersion)),
		})
		for _, c := range defaults {
			g.Add(c)
		}
		g.Return(jen.Id("x"))
	})
	commentf(f, "%s returns a new %s in parent's flow: it inherits parent's\ncorrelation id, context and partition key (see tonga.Envelope.Inherit).", t.ChildConstructor, t.GoName)
	f.Func().Id(t.ChildConstructor).Params(jen.Id("parent").Qual(tongaPkg, "Enveloped")).Op("*").Id(t.GoName).Block(
		jen.Id("x").Op(":=").Id(t.Constructor).Call(),
		jen.Id("x").Dot("Inherit").Call(jen.Id("parent").Dot("TongaEnvelope").Call()),
		jen.Return(jen.Id("x")),
	)
}

func codec(f *jen.File, t *model.Type) {
	fails := false
	for _, fd := range t.Fields {
		fails = fails || canFail(fd.Type)
	}
	f.Comment("AppendAvro appends the Avro binary encoding of x to b.")
	f.Func().Params(jen.Id("x").Op("*").Id(t.GoName)).Id("AppendAvro").Params(jen.Id("b").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).BlockFunc(func(g *jen.Group) {
		if fails {
			g.Var().Id("err").Error()
		}
		for _, fd := range t.Fields {
			e := &encoder{g: g, path: t.GoName + "." + fd.GoName}
			e.encode(jen.Id("x").Dot(fd.GoName), fd.Type)
		}
		g.Return(jen.Id("b"), jen.Nil())
	})
	f.Comment("MarshalAvro returns the Avro binary encoding of x.")
	f.Func().Params(jen.Id("x").Op("*").Id(t.GoName)).Id("MarshalAvro").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Id("x").Dot("AppendAvro").Call(jen.Nil())),
	)
	commentf(f, "%s", "UnmarshalAvro sets x from data, which must hold exactly one "+t.GoName+"\nin the binary encoding of its schema.")
	f.Func().Params(jen.Id("x").Op("*").Id(t.GoName)).Id("UnmarshalAvro").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Var().Id("r").Qual(avrobinPkg, "Reader"),
		jen.Id("r").Dot("Reset").Call(jen.Id("data")),
		jen.Id("x").Dot("DecodeAvro").Call(jen.Op("&").Id("r")),
		jen.Return(jen.Id("r").Dot("Finish").Call()),
	)
	f.Comment("DecodeAvro decodes x from r, replacing every field; errors stay in r.")
	f.Func().Params(jen.Id("x").Op("*").Id(t.GoName)).Id("DecodeAvro").Params(jen.Id("r").Op("*").Qual(avrobinPkg, "Reader")).BlockFunc(func(g *jen.Group) {
		for _, fd := range t.Fields {
			d := &decoder{g: g}
			d.decode(jen.Id("x").Dot(fd.GoName), fd.Type)
		}
	})
}
