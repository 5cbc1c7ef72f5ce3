package avrobin

import (
	"errors"
	"strings"
	"testing"
)

// FuzzReader runs a little program of Reader operations over an input, both
// taken from the fuzz data: its first byte is the length of the program,
// the next bytes are the program, one operation a byte, and the rest is the
// input. It checks that nothing panics, that the offset stays within the
// input, and that the error is sticky.
func FuzzReader(f *testing.F) {
	f.Add([]byte{3, 0x02, 0x05, 0x06, 0x06, 'f', 'o', 'o', 0x04, 0x01, 0x00, 0x00, 0x00, 0x00})
	f.Add([]byte{2, 0x1a, 0x1a, 0x04, 0x02, 0x04, 0x03, 0x04, 0x06, 0x08, 0x00})
	f.Add([]byte{4, 0x0a, 0x1b, 0x0d, 0x2f, 0x05, 0x0a, 0x00, 0x02, 0x04, 0x00, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		n := min(int(data[0]), len(data)-1)
		prog, input := data[1:1+n], data[1+n:]
		r := NewReader(input)
		for _, op := range prog {
			prevErr, prevOff := r.Err(), r.Offset()
			zero := step(t, r, op, input)
			checkInvariants(t, r, input, op, prevErr, prevOff, zero)
		}
		_ = r.Finish()
		checkInvariants(t, r, input, 0, r.Err(), r.Offset(), true)
	})
}

// step runs the operation op on r and reports whether every value it read
// was the zero value.
func step(t *testing.T, r *Reader, op byte, input []byte) bool {
	arg := int(op >> 4)
	switch op & 0x0f {
	case 0:
		return !r.ReadBoolean()
	case 1:
		return r.ReadInt() == 0
	case 2:
		start := r.Offset()
		v := r.ReadLong()
		if r.Err() == nil && len(AppendLong(nil, v)) > r.Offset()-start {
			t.Fatalf("ReadLong read %d from %d bytes, fewer than its encoding", v, r.Offset()-start)
		}
		return v == 0
	case 3:
		return r.ReadFloat() == 0
	case 4:
		return r.ReadDouble() == 0
	case 5:
		b := r.ReadBytes()
		if len(b) > len(input) {
			t.Fatalf("ReadBytes returned %d bytes from an input of %d", len(b), len(input))
		}
		return b == nil
	case 6:
		start := r.Offset()
		s := r.ReadString()
		if r.Err() == nil && !strings.HasSuffix(string(input[start:r.Offset()]), s) {
			t.Fatalf("ReadString read %q from % x", s, input[start:r.Offset()])
		}
		return s == ""
	case 7:
		dst := make([]byte, arg)
		r.ReadFixed(dst)
		return isZero(dst)
	case 8:
		return r.ReadUnionIndex(arg) == 0
	case 9:
		return r.ReadEnum(arg) == 0
	case 10:
		return readBlocks(t, r, arg) == 0
	case 11:
		return skipBlocks(r, arg) == 0
	case 12:
		r.Skip(arg)
	case 13:
		r.SkipVarint()
	case 14:
		r.SkipBytes()
	default:
		return stepLogical(r, arg)
	}
	return true
}

// stepLogical runs the operation arg, one of the logical types or a rarer
// method, on r and reports whether it read only zero values.
func stepLogical(r *Reader, arg int) bool {
	switch arg % 5 {
	case 0:
		return r.ReadDuration() == Duration{}
	case 1:
		return r.ReadDecimalBytes(arg) == nil
	case 2:
		return r.ReadDecimalFixed(arg/5, arg) == nil
	case 3:
		_ = r.Finish()
	default:
		r.SetErr(errors.New("semantic error"))
	}
	return true
}

// readBlocks reads the blocks of an array as generated code does and
// returns the number of items. Items of minItemSize 1 are longs; others
// are skipped as minItemSize bytes.
func readBlocks(t *testing.T, r *Reader, minItemSize int) int {
	total := 0
	for n := r.ReadBlockLen(minItemSize); n > 0; n = r.ReadBlockLen(minItemSize) {
		if minItemSize > 0 && n*minItemSize > r.Remaining() {
			t.Fatalf("ReadBlockLen(%d) = %d with %d bytes remaining", minItemSize, n, r.Remaining())
		}
		switch minItemSize {
		case 0:
			// Items of size zero take no input and no work.
		case 1:
			items := make([]int64, n) // safe: n is bounded by the input
			for i := range items {
				items[i] = r.ReadLong()
			}
		default:
			for range n {
				r.Skip(minItemSize)
			}
		}
		total += n
	}
	return total
}

// skipBlocks skips the blocks of an array with ReadBlockHeader and returns
// the number of items.
func skipBlocks(r *Reader, minItemSize int) int {
	total := 0
	for {
		n, size := r.ReadBlockHeader(minItemSize)
		if n == 0 {
			return total
		}
		if size >= 0 {
			r.Skip(size)
		} else {
			r.Skip(n * minItemSize)
		}
		total += n
	}
}

func checkInvariants(t *testing.T, r *Reader, input []byte, op byte, prevErr error, prevOff int, zero bool) {
	t.Helper()
	off, rem, err := r.Offset(), r.Remaining(), r.Err()
	if off < 0 || off > len(input) {
		t.Fatalf("op %#02x: Offset() = %d, outside an input of %d bytes", op, off, len(input))
	}
	if err == nil && rem != len(input)-off {
		t.Fatalf("op %#02x: Remaining() = %d at offset %d of %d", op, rem, off, len(input))
	}
	if err != nil && rem != 0 {
		t.Fatalf("op %#02x: Remaining() = %d after an error", op, rem)
	}
	if err == nil && off < prevOff {
		t.Fatalf("op %#02x: Offset() went back from %d to %d", op, prevOff, off)
	}
	if prevErr != nil {
		if !errors.Is(err, prevErr) { // the same *Error, not a new one
			t.Fatalf("op %#02x: error changed from %v to %v", op, prevErr, err)
		}
		if off != prevOff || !zero {
			t.Fatalf("op %#02x after an error: offset %d (was %d), zero values %v", op, off, prevOff, zero)
		}
	}
	var e *Error
	if err != nil && errors.As(err, &e) {
		if !errors.Is(err, ErrCorrupt) || e.Offset != off {
			t.Fatalf("op %#02x: error %v at offset %d does not match ErrCorrupt or the reader's offset %d",
				op, err, e.Offset, off)
		}
	}
}

// FuzzVarint checks that ReadInt and ReadLong, whose fast paths decode 8
// bytes at once, agree with the plain byte-at-a-time decoder on values,
// offsets and errors.
func FuzzVarint(f *testing.F) {
	f.Add([]byte{0x80, 0x01, 0xfe, 0xff, 0xff, 0xff, 0x0f, 0, 0, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, bits := range []int{32, 64} {
			fast, slow := NewReader(data), NewReader(data)
			for fast.Err() == nil && fast.Remaining() > 0 {
				var got, want int64
				if bits == 32 {
					got = int64(fast.ReadInt())
					u := uint32(slow.uvarint(32, "int"))
					want = int64(int32(u>>1) ^ -int32(u&1))
				} else {
					got = fast.ReadLong()
					u := slow.uvarint(64, "long")
					want = int64(u>>1) ^ -int64(u&1)
				}
				if got != want || fast.Offset() != slow.Offset() || !sameErr(fast.Err(), slow.Err()) {
					t.Fatalf("%d bits at offset %d: fast path read %d to offset %d, error %v; "+
						"slow path %d to offset %d, error %v", bits, fast.Offset(), got, fast.Offset(),
						fast.Err(), want, slow.Offset(), slow.Err())
				}
			}
		}
	})
}

func sameErr(a, b error) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Error() == b.Error()
}
