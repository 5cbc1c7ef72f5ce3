package tonga

import "github.com/tonga-go/tonga/runtime/avrobin"

// Context is the envelope's context: values that travel with a flow. Its
// Avro type is a map of ["null", "int", "long", "float", "double",
// "string"]; a nil ContextValue is null.
type Context map[string]ContextValue

// ContextValue is one value of a [Context]: ContextInt, ContextLong,
// ContextFloat, ContextDouble or ContextString, or nil for null. Python
// Tonga writes every number as a double, so a reader should accept any of
// the numeric types.
type ContextValue interface {
	isContextValue()
}

// The branches of a ContextValue.
type (
	// ContextInt is a context value of Avro type int.
	ContextInt int32
	// ContextLong is a context value of Avro type long.
	ContextLong int64
	// ContextFloat is a context value of Avro type float.
	ContextFloat float32
	// ContextDouble is a context value of Avro type double.
	ContextDouble float64
	// ContextString is a context value of Avro type string.
	ContextString string
)

func (ContextInt) isContextValue()    {}
func (ContextLong) isContextValue()   {}
func (ContextFloat) isContextValue()  {}
func (ContextDouble) isContextValue() {}
func (ContextString) isContextValue() {}

// AppendContext appends the Avro encoding of c (one map block) to b.
func AppendContext(b []byte, c Context) []byte {
	b = avrobin.AppendBlockLen(b, len(c))
	for k, v := range c {
		b = avrobin.AppendString(b, k)
		b = appendContextValue(b, v)
	}
	return avrobin.AppendBlockEnd(b)
}

func appendContextValue(b []byte, v ContextValue) []byte {
	switch v := v.(type) {
	case ContextInt:
		return avrobin.AppendInt(avrobin.AppendUnionIndex(b, 1), int32(v))
	case ContextLong:
		return avrobin.AppendLong(avrobin.AppendUnionIndex(b, 2), int64(v))
	case ContextFloat:
		return avrobin.AppendFloat(avrobin.AppendUnionIndex(b, 3), float32(v))
	case ContextDouble:
		return avrobin.AppendDouble(avrobin.AppendUnionIndex(b, 4), float64(v))
	case ContextString:
		return avrobin.AppendString(avrobin.AppendUnionIndex(b, 5), string(v))
	default: // nil, the only other value the sealed interface admits
		return avrobin.AppendUnionIndex(b, 0)
	}
}

// DecodeContext decodes a context map from r. An empty map decodes as nil.
func DecodeContext(r *avrobin.Reader) Context {
	var c Context
	// A key is at least its length byte, a value at least its branch index.
	for n := r.ReadBlockLen(2); n > 0; n = r.ReadBlockLen(2) {
		if c == nil {
			c = make(Context, n)
		}
		for range n {
			k := r.ReadString()
			c[k] = decodeContextValue(r)
		}
	}
	return c
}

func decodeContextValue(r *avrobin.Reader) ContextValue {
	switch r.ReadUnionIndex(6) {
	case 1:
		return ContextInt(r.ReadInt())
	case 2:
		return ContextLong(r.ReadLong())
	case 3:
		return ContextFloat(r.ReadFloat())
	case 4:
		return ContextDouble(r.ReadDouble())
	case 5:
		return ContextString(r.ReadString())
	default:
		return nil
	}
}
