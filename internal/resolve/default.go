package resolve

import (
	"slices"
	"strconv"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
)

// encodeDefault appends the binary encoding of the default v, as the
// schema compiler validated it, of type s.
func encodeDefault(b []byte, s *schema.Schema, v *schema.Node) []byte {
	switch s.Kind {
	case schema.Null:
		return b
	case schema.Boolean:
		return avrobin.AppendBoolean(b, v.Bool)
	case schema.Int, schema.Long:
		n, _ := strconv.ParseInt(v.Text, 10, 64)
		return avrobin.AppendLong(b, n)
	case schema.Float:
		f, _ := strconv.ParseFloat(v.Text, 32)
		return avrobin.AppendFloat(b, float32(f))
	case schema.Double:
		f, _ := strconv.ParseFloat(v.Text, 64)
		return avrobin.AppendDouble(b, f)
	case schema.String:
		return avrobin.AppendString(b, v.Text)
	case schema.Bytes:
		return avrobin.AppendBytes(b, latin1(v.Text))
	case schema.Fixed:
		return avrobin.AppendFixed(b, latin1(v.Text))
	case schema.Enum:
		return avrobin.AppendEnum(b, slices.Index(s.Symbols, v.Text))
	case schema.Array:
		b = avrobin.AppendBlockLen(b, len(v.Items))
		for _, item := range v.Items {
			b = encodeDefault(b, s.Items, item)
		}
		return avrobin.AppendBlockEnd(b)
	case schema.Map:
		b = avrobin.AppendBlockLen(b, len(v.Members))
		for _, m := range v.Members {
			b = avrobin.AppendString(b, m.Key)
			b = encodeDefault(b, s.Values, m.Value)
		}
		return avrobin.AppendBlockEnd(b)
	case schema.Union:
		// A union's default is a value of its first branch.
		return encodeDefault(avrobin.AppendUnionIndex(b, 0), s.Branches[0], v)
	default: // record
		for _, f := range s.Fields {
			fv := v.Get(f.Name)
			if fv == nil {
				fv = f.Default
			}
			b = encodeDefault(b, f.Type, fv)
		}
		return b
	}
}

// latin1 turns a bytes default, one code point per byte, into bytes.
func latin1(s string) []byte {
	var out []byte
	for _, r := range s {
		out = append(out, byte(r))
	}
	return out
}
