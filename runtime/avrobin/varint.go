package avrobin

import (
	"encoding/binary"
	"math/bits"
)

// ReadInt reads an int: a zig-zag variable-length integer of at most five
// bytes whose value fits an int32.
func (r *Reader) ReadInt() int32 {
	if p := r.data[r.off:]; len(p) >= 8 {
		x := binary.LittleEndian.Uint64(p)
		if x&0x80 == 0 {
			r.off++
			return int32(x&0x7f>>1) ^ -int32(x&1)
		}
		if u, n := uvarint8(x); n > 0 && n <= 5 && u <= 1<<32-1 {
			r.off += n
			return int32(u>>1) ^ -int32(u&1)
		}
	} else if len(p) > 0 && p[0] < 0x80 {
		r.off++
		return int32(p[0]>>1) ^ -int32(p[0]&1)
	}
	u := r.uvarint(32, "int")
	return int32(u>>1) ^ -int32(u&1)
}

// ReadLong reads a long: a zig-zag variable-length integer of at most ten
// bytes whose value fits an int64.
func (r *Reader) ReadLong() int64 {
	// With 8 bytes to look at, a one-byte long is a test and a longer one
	// is decoded without a loop; the rare 9- and 10-byte longs, the end of
	// the input and errors go to uvarint.
	if p := r.data[r.off:]; len(p) >= 8 {
		x := binary.LittleEndian.Uint64(p)
		if x&0x80 == 0 {
			r.off++
			return int64(x&0x7f>>1) ^ -int64(x&1)
		}
		if u, n := uvarint8(x); n > 0 {
			r.off += n
			return int64(u>>1) ^ -int64(u&1)
		}
	} else if len(p) > 0 && p[0] < 0x80 {
		r.off++
		return int64(p[0]>>1) ^ -int64(p[0]&1)
	}
	u := r.uvarint(64, "long")
	return int64(u>>1) ^ -int64(u&1)
}

// uvarint8 decodes a variable-length integer from x, the next 8 bytes of
// input in little-endian order, without branches. It returns the value and
// its length in bytes, or a length of 0 if the integer is longer than 8
// bytes.
func uvarint8(x uint64) (uint64, int) {
	// The lowest byte without its continuation bit ends the integer.
	ends := ^x & 0x8080808080808080
	if ends == 0 {
		return 0, 0
	}
	nbits := bits.TrailingZeros64(ends) + 1
	x &= 1<<nbits - 1 // 1<<64 is 0, so 8 bytes keep all of x
	// Pack the 7-bit groups: pairs into 14 bits, quads into 28, then all.
	x = x&0x007f007f007f007f | x&0x7f007f007f007f00>>1
	x = x&0x00003fff00003fff | x&0x3fff00003fff0000>>2
	x = x&0x000000000fffffff | x&0x0fffffff00000000>>4
	return x, nbits / 8
}

// uvarint reads an unsigned variable-length integer of at most bits bits,
// one byte at a time, and returns it, or 0 after an error. It is the slow
// path of ReadInt and ReadLong, for the end of the input, the longest
// integers and errors. The item is named kind in errors.
func (r *Reader) uvarint(bits int, kind string) uint64 {
	if r.err != nil {
		return 0
	}
	maxLen := (bits + 6) / 7
	lastMax := byte(1)<<(bits-7*(maxLen-1)) - 1
	start := r.off
	var x uint64
	for i := range maxLen {
		if start+i >= len(r.data) {
			r.fail(start, "truncated %s varint", kind)
			return 0
		}
		c := r.data[start+i]
		if c < 0x80 {
			if i == maxLen-1 && c > lastMax {
				r.fail(start, "%s varint overflows %d bits", kind, bits)
				return 0
			}
			r.off = start + i + 1
			return x | uint64(c)<<(7*i)
		}
		x |= uint64(c&0x7f) << (7 * i)
	}
	r.fail(start, "%s varint longer than %d bytes", kind, maxLen)
	return 0
}

// AppendInt appends v as a zig-zag variable-length integer of one to five
// bytes.
func AppendInt(b []byte, v int32) []byte {
	// The zig-zag encoding of an int equals that of the same long.
	return AppendLong(b, int64(v))
}

// AppendLong appends v as a zig-zag variable-length integer of one to ten
// bytes.
func AppendLong(b []byte, v int64) []byte {
	// A byte at a time measures faster than growing b once and filling it.
	u := uint64(v<<1) ^ uint64(v>>63)
	for u >= 0x80 {
		b = append(b, byte(u)|0x80)
		u >>= 7
	}
	return append(b, byte(u))
}
