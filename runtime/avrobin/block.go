package avrobin

import "math"

// MaxZeroSizeItems is the most items of size zero, such as the items of an
// array of null, that one [Reader] returns from [Reader.ReadBlockLen] and
// [Reader.ReadBlockHeader] between resets. Such items consume no input, so
// without a limit a few bytes could make a decoder loop for a very long
// time or build a huge slice.
const MaxZeroSizeItems = 1 << 20

// ReadBlockLen reads the header of a block of an array or map and returns
// its count of items, or 0 at the end of the blocks or after an error, so
// that a loop over the blocks always ends. minItemSize is the fewest bytes
// one item can be encoded in (for a map, its key and value); a count whose
// items could not fit in the input that remains is an error. For
// minItemSize <= 0 the count is held to [MaxZeroSizeItems] instead. A byte
// size given with the count is checked and discarded.
func (r *Reader) ReadBlockLen(minItemSize int) int {
	// A count of one byte whose items fit the input is the common case;
	// minItemSize is held to 1<<24 there so that the product cannot
	// overflow.
	if off := uint(r.off); off < uint(len(r.data)) && minItemSize > 0 && minItemSize <= 1<<24 {
		if c := r.data[off]; c < 0x80 && c&1 == 0 && uint(c>>1)*uint(minItemSize) < uint(len(r.data))-off {
			r.off++
			return int(c >> 1)
		}
	}
	n, _ := r.ReadBlockHeader(minItemSize)
	return n
}

// ReadBlockHeader is like [Reader.ReadBlockLen] but also returns the byte
// size of the block if the writer gave one, or -1. A decoder skips a whole
// block it does not need with [Reader.Skip] of that size.
//
// In the encoding, a negative count means that its absolute value is the
// count and that a long byte size follows.
func (r *Reader) ReadBlockHeader(minItemSize int) (count, byteSize int) {
	start := r.off
	n := r.ReadLong()
	if n == 0 { // the end of the blocks, or an error
		return 0, -1
	}
	byteSize = -1
	if n < 0 {
		if n == math.MinInt64 {
			r.fail(start, "block count %d out of range", n)
			return 0, -1
		}
		n = -n
		sizeStart := r.off
		size := r.ReadLong()
		if r.err != nil {
			return 0, -1
		}
		if rem := r.Remaining(); size < 0 || size > int64(rem) {
			r.fail(sizeStart, "block byte size %d out of range [0, %d]", size, rem)
			return 0, -1
		}
		byteSize = int(size)
	}
	if !r.checkCount(start, n, minItemSize, byteSize) {
		return 0, -1
	}
	return int(n), byteSize
}

// checkCount checks the count n of a block that starts at start, with the
// given byteSize or -1, against the input that remains. It reports whether
// n is acceptable.
func (r *Reader) checkCount(start int, n int64, minItemSize, byteSize int) bool {
	if minItemSize <= 0 {
		if n > int64(MaxZeroSizeItems-r.zeroItems) {
			r.fail(start, "block count %d exceeds the limit of %d zero-size items",
				n, MaxZeroSizeItems)
			return false
		}
		r.zeroItems += int(n)
		return true
	}
	// n*minItemSize > rem if and only if n > rem/minItemSize, which cannot
	// overflow.
	if rem := r.Remaining(); n > int64(rem/minItemSize) {
		r.fail(start, "block count %d of items of at least %d byte%s exceeds the %d byte%s remaining",
			n, minItemSize, plural(minItemSize), rem, plural(rem))
		return false
	}
	if byteSize >= 0 && n > int64(byteSize/minItemSize) {
		r.fail(start, "block count %d of items of at least %d byte%s exceeds the block byte size %d",
			n, minItemSize, plural(minItemSize), byteSize)
		return false
	}
	return true
}
