package avrobin

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Reader decodes Avro binary data from a byte slice.
//
// A Reader has a sticky error: the first error it meets is recorded, every
// later Read method returns its zero value, and [Reader.Err] and
// [Reader.Finish] report that first error. No input makes a Reader panic or
// allocate more than the input justifies.
type Reader struct {
	// data is the input. After an error it is cut at off, so that the fast
	// paths, which do not look at err, find nothing left to read.
	data []byte
	off  int
	err  error
	// zeroItems counts the zero-size items returned by ReadBlockHeader,
	// against MaxZeroSizeItems.
	zeroItems int
	// strs is a string copy of data that ReadString slices, made at the
	// first string of an input no longer than sharedStringsMax: one
	// allocation for all the strings of a record instead of one each. It
	// is emptied at an error, so that ReadString's fast path, which reads
	// only strs, finds nothing left to read either.
	strs string
}

// sharedStringsMax is the longest input whose strings share one copy. The
// strings of a longer input are copied one by one, so that a small string
// does not keep a large input alive.
const sharedStringsMax = 64 << 10

// NewReader returns a Reader that decodes data. The Reader does not modify
// data; [Reader.ReadBytes] and [Reader.ReadString] return copies. The
// strings of an input up to 64 KiB share one copy of it.
func NewReader(data []byte) *Reader {
	return &Reader{data: data}
}

// Reset makes r decode data from its start and clears r's error, so that
// one Reader can decode many inputs.
func (r *Reader) Reset(data []byte) {
	*r = Reader{data: data}
}

// Err returns the first error r met, or nil.
func (r *Reader) Err() error { return r.err }

// Finish returns the first error r met or, if there was none, an error if
// some of the input was not read. A decoder calls it after reading a whole
// value.
func (r *Reader) Finish() error {
	if r.err == nil && r.off < len(r.data) {
		r.fail(r.off, "%d trailing byte%s", len(r.data)-r.off, plural(len(r.data)-r.off))
	}
	return r.err
}

// SetErr records err as r's error unless r already has one or err is nil.
// Generated code reports semantic errors with it, such as a decimal that
// does not fit its type, so that they become sticky like r's own. SetErr
// records err as it is: it is not wrapped in an [*Error].
func (r *Reader) SetErr(err error) {
	if r.err != nil || err == nil {
		return
	}
	r.err = err
	r.data = r.data[:r.off]
	r.strs = ""
}

// Offset returns the number of bytes of the input that r has consumed.
// After an error it is the offset of the item that failed, or where r was
// when [Reader.SetErr] was called.
func (r *Reader) Offset() int { return r.off }

// Remaining returns the number of bytes left to read; it is 0 after an
// error.
func (r *Reader) Remaining() int { return len(r.data) - r.off }

// fail records an *Error at offset off, unless r already has an error, and
// moves r to off so that Offset reports where the failed item starts.
func (r *Reader) fail(off int, format string, args ...any) {
	if r.err != nil {
		return
	}
	r.err = &Error{Offset: off, Msg: fmt.Sprintf(format, args...)}
	r.off = off
	r.data = r.data[:off]
	r.strs = ""
}

// plural returns the suffix "s" of a plural noun counting n, or "" for 1.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// short records that an item of kind needs n bytes but fewer remain.
func (r *Reader) short(kind string, n int) {
	r.fail(r.off, "%s needs %d byte%s, %d remaining", kind, n, plural(n), len(r.data)-r.off)
}

// ReadBoolean reads a boolean: one byte that must be 0 or 1.
func (r *Reader) ReadBoolean() bool {
	if off := uint(r.off); off < uint(len(r.data)) {
		if c := r.data[off]; c <= 1 {
			r.off++
			return c == 1
		}
	}
	r.readBooleanSlow()
	return false
}

// readBooleanSlow records why ReadBoolean cannot read a boolean.
func (r *Reader) readBooleanSlow() {
	if r.off >= len(r.data) {
		r.short("boolean", 1)
		return
	}
	r.fail(r.off, "boolean byte %#02x is not 0 or 1", r.data[r.off])
}

// ReadFloat reads a float: 4 bytes, the little-endian IEEE 754 bits.
func (r *Reader) ReadFloat() float32 {
	if p := r.data[r.off:]; len(p) >= 4 {
		r.off += 4
		return math.Float32frombits(binary.LittleEndian.Uint32(p))
	}
	if r.err == nil {
		r.short("float", 4)
	}
	return 0
}

// ReadDouble reads a double: 8 bytes, the little-endian IEEE 754 bits.
func (r *Reader) ReadDouble() float64 {
	if p := r.data[r.off:]; len(p) >= 8 {
		r.off += 8
		return math.Float64frombits(binary.LittleEndian.Uint64(p))
	}
	if r.err == nil {
		r.short("double", 8)
	}
	return 0
}

// readLen reads the long length of a bytes or string value, named kind in
// errors, and checks it against the input that remains. It returns -1
// after an error.
func (r *Reader) readLen(kind string) int {
	// A length of one byte that fits the input is the common case.
	if off := uint(r.off); off < uint(len(r.data)) {
		if c := r.data[off]; c < 0x80 && c&1 == 0 && uint(c>>1) < uint(len(r.data))-off {
			r.off++
			return int(c >> 1)
		}
	}
	start := r.off
	n := r.ReadLong()
	if r.err != nil {
		return -1
	}
	if n < 0 {
		r.fail(start, "%s length %d is negative", kind, n)
		return -1
	}
	if rem := len(r.data) - r.off; n > int64(rem) {
		r.fail(start, "%s length %d exceeds the %d byte%s remaining", kind, n, rem, plural(rem))
		return -1
	}
	return int(n)
}

// ReadBytes reads a bytes value: a long length, then that many bytes. It
// returns a copy that the caller owns: nil after an error, otherwise a
// non-nil slice, empty for length 0.
func (r *Reader) ReadBytes() []byte {
	n := r.readLen("bytes")
	if n < 0 {
		return nil
	}
	b := make([]byte, n)
	copy(b, r.data[r.off:])
	r.off += n
	return b
}

// ReadString reads a string value: a long length, then that many bytes. It
// does not check that the bytes are valid UTF-8.
func (r *Reader) ReadString() string {
	// The common case, a length of one byte once the shared copy exists,
	// slices that copy without another call; the first string, long
	// strings, large inputs and errors take readString.
	if off := uint(r.off); off < uint(len(r.strs)) {
		if c := r.strs[off]; c < 0x80 && c&1 == 0 {
			if end := off + 1 + uint(c>>1); end <= uint(len(r.strs)) {
				s := r.strs[off+1 : end]
				r.off = int(end)
				return s
			}
		}
	}
	return r.readString()
}

// readString is ReadString for any length: it makes the shared copy of
// an input up to sharedStringsMax, or copies the string of a larger one.
func (r *Reader) readString() string {
	n := r.readLen("string")
	if n <= 0 {
		return ""
	}
	var s string
	if len(r.data) <= sharedStringsMax {
		if r.strs == "" {
			r.strs = string(r.data)
		}
		s = r.strs[r.off : r.off+n]
	} else {
		s = string(r.data[r.off : r.off+n])
	}
	r.off += n
	return s
}

// ReadFixed reads a fixed value of len(dst) bytes into dst. After an error
// dst is zeroed.
func (r *Reader) ReadFixed(dst []byte) {
	if n := len(dst); n <= len(r.data)-r.off {
		copy(dst, r.data[r.off:])
		r.off += n
		return
	}
	clear(dst)
	if r.err == nil {
		r.short("fixed", len(dst))
	}
}

// ReadUnionIndex reads the long index of a union's branch and checks that
// it is in [0, n), for a union of n branches.
func (r *Reader) ReadUnionIndex(n int) int {
	if i, ok := r.smallIndex(n); ok {
		return i
	}
	start := r.off
	i := r.ReadLong()
	if i < 0 || i >= int64(n) {
		r.fail(start, "union branch index %d out of range [0, %d)", i, n)
		return 0
	}
	return int(i)
}

// ReadEnum reads the int index of an enum's symbol and checks that it is
// in [0, n), for an enum of n symbols.
func (r *Reader) ReadEnum(n int) int {
	if i, ok := r.smallIndex(n); ok {
		return i
	}
	start := r.off
	i := r.ReadInt()
	if i < 0 || int64(i) >= int64(n) {
		r.fail(start, "enum index %d out of range [0, %d)", i, n)
		return 0
	}
	return int(i)
}

// smallIndex reads an index in [0, n) encoded in one byte, the common
// case of ReadUnionIndex and ReadEnum, and reports whether there was one;
// if not, it consumes nothing. It is small enough to be inlined.
func (r *Reader) smallIndex(n int) (int, bool) {
	if off := uint(r.off); off < uint(len(r.data)) {
		if c := r.data[off]; c < 0x80 && c&1 == 0 && int(c>>1) < n {
			r.off++
			return int(c >> 1), true
		}
	}
	return 0, false
}

// Skip skips n bytes. It is an error if n is negative or more than
// [Reader.Remaining].
func (r *Reader) Skip(n int) {
	if r.err != nil {
		return
	}
	if rem := len(r.data) - r.off; n < 0 || n > rem {
		r.fail(r.off, "skip of %d byte%s with %d remaining", n, plural(n), rem)
		return
	}
	r.off += n
}

// SkipVarint skips an int or a long.
func (r *Reader) SkipVarint() {
	r.ReadLong()
}

// SkipBytes skips a bytes or string value without copying it.
func (r *Reader) SkipBytes() {
	if n := r.readLen("bytes"); n > 0 {
		r.off += n
	}
}
