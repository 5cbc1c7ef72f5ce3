package emit

import (
	"github.com/dave/jennifer/jen"

	"github.com/tonga-go/tonga/internal/model"
	"github.com/tonga-go/tonga/internal/schema"
)

// readExpr returns the expression that decodes a value of t from r when
// one expression does (primitives, logical types, enums), and nil when
// decoding takes statements (records, fixed, unions, arrays, maps).
func readExpr(t *model.GoType) jen.Code {
	if t.Nullable {
		return nil
	}
	switch t.Kind {
	case model.GoBool:
		return r().Dot("ReadBoolean").Call()
	case model.GoInt32:
		return r().Dot("ReadInt").Call()
	case model.GoInt64:
		return r().Dot("ReadLong").Call()
	case model.GoFloat32:
		return r().Dot("ReadFloat").Call()
	case model.GoFloat64:
		return r().Dot("ReadDouble").Call()
	case model.GoBytes:
		return r().Dot("ReadBytes").Call()
	case model.GoString:
		return r().Dot("ReadString").Call()
	case model.GoTime, model.GoDuration:
		return jen.Qual(tongaPkg, "Read"+timeFunc(t.Schema)).Call(r())
	case model.GoAvroDuration:
		return r().Dot("ReadDuration").Call()
	case model.GoContext:
		return jen.Qual(tongaPkg, "DecodeContext").Call(r())
	case model.GoDecimal:
		if t.Schema.Kind == schema.Fixed {
			return r().Dot("ReadDecimalFixed").Call(jen.Lit(t.Schema.Scale), jen.Lit(t.Schema.Size))
		}
		return r().Dot("ReadDecimalBytes").Call(jen.Lit(t.Schema.Scale))
	case model.GoNamed:
		if t.Named.Kind == model.EnumType {
			return jen.Id(t.Named.GoName).Parens(r().Dot("ReadEnum").Call(jen.Lit(len(t.Named.Symbols))))
		}
	}
	return nil
}
