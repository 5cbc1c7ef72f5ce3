package avrobin

import (
	"encoding/binary"
	"math"
)

// AppendBoolean appends v as one byte, 1 for true and 0 for false.
func AppendBoolean(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

// AppendFloat appends the IEEE 754 bits of v as 4 bytes, little-endian.
func AppendFloat(b []byte, v float32) []byte {
	return binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
}

// AppendDouble appends the IEEE 754 bits of v as 8 bytes, little-endian.
func AppendDouble(b []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

// AppendBytes appends the length of v as a long, then v.
func AppendBytes(b []byte, v []byte) []byte {
	b = AppendLong(b, int64(len(v)))
	return append(b, v...)
}

// AppendString appends the length of v in bytes as a long, then the bytes
// of v. It does not check that v is valid UTF-8.
func AppendString(b []byte, v string) []byte {
	b = AppendLong(b, int64(len(v)))
	return append(b, v...)
}

// AppendFixed appends v as it is, without a length: the size of a fixed is
// known from its schema.
func AppendFixed(b []byte, v []byte) []byte {
	return append(b, v...)
}

// AppendUnionIndex appends i, the zero-based index of a union's branch, as
// a long.
func AppendUnionIndex(b []byte, i int) []byte {
	return AppendLong(b, int64(i))
}

// AppendEnum appends i, the zero-based index of an enum's symbol, as an int.
func AppendEnum(b []byte, i int) []byte {
	// For every i that fits an int32 this is the encoding of an int.
	return AppendLong(b, int64(i))
}

// AppendBlockLen appends the count n of the items of an array or map block
// as a long. For n <= 0 it appends nothing, so that an empty array or map
// is written by AppendBlockLen followed by [AppendBlockEnd] as the single
// end marker.
func AppendBlockLen(b []byte, n int) []byte {
	if n <= 0 {
		return b
	}
	return AppendLong(b, int64(n))
}

// AppendBlockEnd appends the zero count that ends the blocks of an array or
// map.
func AppendBlockEnd(b []byte) []byte {
	return append(b, 0)
}
