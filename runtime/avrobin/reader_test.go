package avrobin

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// checkErr fails t unless err is an *Error at offset off whose message is
// msg, and matches ErrCorrupt.
func checkErr(t *testing.T, err error, off int, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want an *Error %q at offset %d", err, msg, off)
	}
	if e.Offset != off || e.Msg != msg {
		t.Errorf("error = offset %d %q, want offset %d %q", e.Offset, e.Msg, off, msg)
	}
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("errors.Is(%v, ErrCorrupt) = false", err)
	}
}

func TestErrorString(t *testing.T) {
	err := &Error{Offset: 12, Msg: "string length 1000 exceeds the 5 bytes remaining"}
	want := "avrobin: corrupt data at offset 12: string length 1000 exceeds the 5 bytes remaining"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestReadCorrupt(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		read func(r *Reader) any
		off  int
		msg  string
	}{
		{"empty long", nil, func(r *Reader) any { return r.ReadLong() }, 0, "truncated long varint"},
		{"truncated long", []byte{0x80, 0x80}, func(r *Reader) any { return r.ReadLong() }, 0, "truncated long varint"},
		{"truncated int", []byte{0xff}, func(r *Reader) any { return r.ReadInt() }, 0, "truncated int varint"},
		{"long of 11 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
			func(r *Reader) any { return r.ReadLong() }, 0, "long varint longer than 10 bytes"},
		{"long overflow", []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02},
			func(r *Reader) any { return r.ReadLong() }, 0, "long varint overflows 64 bits"},
		{"int of 6 bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00},
			func(r *Reader) any { return r.ReadInt() }, 0, "int varint longer than 5 bytes"},
		{"int overflow", []byte{0xfe, 0xff, 0xff, 0xff, 0x1f},
			func(r *Reader) any { return r.ReadInt() }, 0, "int varint overflows 32 bits"},
		{"int overflow after a value", []byte{0x02, 0x80, 0x80, 0x80, 0x80, 0x10},
			func(r *Reader) any { r.ReadInt(); return r.ReadInt() }, 1, "int varint overflows 32 bits"},
		{"boolean 2", []byte{0x02}, func(r *Reader) any { return r.ReadBoolean() }, 0, "boolean byte 0x02 is not 0 or 1"},
		{"empty boolean", nil, func(r *Reader) any { return r.ReadBoolean() }, 0, "boolean needs 1 byte, 0 remaining"},
		{"short float", []byte{1, 2, 3}, func(r *Reader) any { return r.ReadFloat() }, 0, "float needs 4 bytes, 3 remaining"},
		{"short double", []byte{1, 2, 3, 4, 5, 6, 7}, func(r *Reader) any { return r.ReadDouble() }, 0, "double needs 8 bytes, 7 remaining"},
		{"negative bytes length", []byte{0x05}, func(r *Reader) any { return r.ReadBytes() }, 0, "bytes length -3 is negative"},
		{"bytes beyond input", []byte{0x00, 0x08, 1, 2}, func(r *Reader) any { r.ReadBytes(); return r.ReadBytes() },
			1, "bytes length 4 exceeds the 2 bytes remaining"},
		{"string beyond input", append([]byte{0xd0, 0x0f}, "hello"...), func(r *Reader) any { return r.ReadString() },
			0, "string length 1000 exceeds the 5 bytes remaining"},
		{"negative string length", []byte{0x01}, func(r *Reader) any { return r.ReadString() }, 0, "string length -1 is negative"},
		{"huge string length", AppendLong(nil, math.MaxInt64), func(r *Reader) any { return r.ReadString() },
			0, "string length 9223372036854775807 exceeds the 0 bytes remaining"},
		{"short fixed", []byte{1, 2}, func(r *Reader) any { b := make([]byte, 3); r.ReadFixed(b); return b }, 0, "fixed needs 3 bytes, 2 remaining"},
		{"short duration", make([]byte, 11), func(r *Reader) any { return r.ReadDuration() }, 0, "duration needs 12 bytes, 11 remaining"},
		{"union index too big", []byte{0x0a}, func(r *Reader) any { return r.ReadUnionIndex(3) }, 0, "union branch index 5 out of range [0, 3)"},
		{"union index of the count", []byte{0x06}, func(r *Reader) any { return r.ReadUnionIndex(3) }, 0, "union branch index 3 out of range [0, 3)"},
		{"negative union index", []byte{0x01}, func(r *Reader) any { return r.ReadUnionIndex(3) }, 0, "union branch index -1 out of range [0, 3)"},
		{"enum index too big", []byte{0x04}, func(r *Reader) any { return r.ReadEnum(2) }, 0, "enum index 2 out of range [0, 2)"},
		{"negative enum index", []byte{0x03}, func(r *Reader) any { return r.ReadEnum(2) }, 0, "enum index -2 out of range [0, 2)"},
		{"negative skip", []byte{1}, func(r *Reader) any { r.Skip(-1); return nil }, 0, "skip of -1 bytes with 1 remaining"},
		{"skip beyond input", []byte{1}, func(r *Reader) any { r.Skip(2); return nil }, 0, "skip of 2 bytes with 1 remaining"},
		{"skip varint", []byte{0xff}, func(r *Reader) any { r.SkipVarint(); return nil }, 0, "truncated long varint"},
		{"skip bytes", []byte{0x02}, func(r *Reader) any { r.SkipBytes(); return nil }, 0, "bytes length 1 exceeds the 0 bytes remaining"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(tt.data)
			got := tt.read(r)
			checkErr(t, r.Err(), tt.off, tt.msg)
			if !errors.Is(r.Finish(), r.Err()) {
				t.Errorf("Finish() = %v, want Err() = %v", r.Finish(), r.Err())
			}
			if r.Offset() != tt.off || r.Remaining() != 0 {
				t.Errorf("after the error Offset() = %d, Remaining() = %d, want %d, 0", r.Offset(), r.Remaining(), tt.off)
			}
			if !isZero(got) {
				t.Errorf("read returned %v, want the zero value", got)
			}
		})
	}
}

// isZero reports whether v, a value returned by a Read method, is that
// method's zero value (for ReadFixed, all zero bytes).
func isZero(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case int:
		return v == 0
	case int32:
		return v == 0
	case int64:
		return v == 0
	case float32:
		return math.Float32bits(v) == 0
	case float64:
		return math.Float64bits(v) == 0
	case string:
		return v == ""
	case []byte:
		return v == nil || bytes.Count(v, []byte{0}) == len(v)
	case Duration:
		return v == Duration{}
	}
	panic("isZero: unexpected type")
}

func TestStickyError(t *testing.T) {
	// A valid long, a bad boolean, then data that would be valid.
	data := []byte{0x02, 0x07, 0x02, 0x06, 'f', 'o', 'o', 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	r := NewReader(data)
	if got := r.ReadLong(); got != 1 {
		t.Fatalf("ReadLong() = %d, want 1", got)
	}
	r.ReadBoolean()
	first := r.Err()
	checkErr(t, first, 1, "boolean byte 0x07 is not 0 or 1")

	reads := map[string]func() any{
		"ReadBoolean":      func() any { return r.ReadBoolean() },
		"ReadInt":          func() any { return r.ReadInt() },
		"ReadLong":         func() any { return r.ReadLong() },
		"ReadFloat":        func() any { return r.ReadFloat() },
		"ReadDouble":       func() any { return r.ReadDouble() },
		"ReadBytes":        func() any { return r.ReadBytes() },
		"ReadString":       func() any { return r.ReadString() },
		"ReadFixed":        func() any { b := []byte{9, 9}; r.ReadFixed(b); return b },
		"ReadUnionIndex":   func() any { return r.ReadUnionIndex(0) },
		"ReadEnum":         func() any { return r.ReadEnum(0) },
		"ReadBlockLen":     func() any { return r.ReadBlockLen(1) },
		"ReadDuration":     func() any { return r.ReadDuration() },
		"ReadDecimalBytes": func() any { return ratOrNil(r.ReadDecimalBytes(2)) },
		"ReadDecimalFixed": func() any { return ratOrNil(r.ReadDecimalFixed(2, 0)) },
		"Skip":             func() any { r.Skip(0); return nil },
		"SkipVarint":       func() any { r.SkipVarint(); return nil },
		"SkipBytes":        func() any { r.SkipBytes(); return nil },
		"SetErr":           func() any { r.SetErr(errors.New("later")); return nil },
		"Finish":           func() any { _ = r.Finish(); return nil },
	}
	for name, read := range reads {
		if got := read(); !isZero(got) {
			t.Errorf("%s after an error = %v, want the zero value", name, got)
		}
		if !errors.Is(r.Err(), first) {
			t.Fatalf("after %s Err() = %v, want the first error %v", name, r.Err(), first)
		}
		if r.Offset() != 1 {
			t.Errorf("after %s Offset() = %d, want 1", name, r.Offset())
		}
	}
	if n, size := r.ReadBlockHeader(0); n != 0 || size != -1 {
		t.Errorf("ReadBlockHeader after an error = %d, %d, want 0, -1", n, size)
	}

	r.Reset(data[3:])
	if got := r.ReadString(); got != "foo" || r.Err() != nil {
		t.Errorf("after Reset, ReadString() = %q, %v, want \"foo\", nil", got, r.Err())
	}
}

// TestStickyErrorAfterStrings checks that the strings fast path, which
// reads the shared copy of the input, stops at an error like the others.
func TestStickyErrorAfterStrings(t *testing.T) {
	data := AppendString(AppendString(nil, "ab"), "cd")
	data = append(data, 0x07) // a bad boolean
	data = AppendString(data, "ef")
	for _, fail := range []struct {
		name string
		f    func(r *Reader)
	}{
		{"corrupt input", func(r *Reader) { r.ReadBoolean() }},
		{"SetErr", func(r *Reader) { r.SetErr(errors.New("semantic")) }},
	} {
		r := NewReader(data)
		if a, b := r.ReadString(), r.ReadString(); a != "ab" || b != "cd" {
			t.Fatalf("%s: ReadString() = %q, %q, want \"ab\", \"cd\"", fail.name, a, b)
		}
		fail.f(r)
		off := r.Offset()
		if s := r.ReadString(); s != "" || r.Err() == nil || r.Offset() != off {
			t.Errorf("%s: ReadString() after an error = %q, %v at offset %d, want \"\" at offset %d",
				fail.name, s, r.Err(), r.Offset(), off)
		}
	}
}

// ratOrNil turns a nil *big.Rat into an untyped nil for isZero.
func ratOrNil[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

func TestSetErr(t *testing.T) {
	r := NewReader([]byte{0x02, 0x04})
	r.ReadLong()
	r.SetErr(nil)
	if r.Err() != nil {
		t.Fatalf("SetErr(nil) recorded %v", r.Err())
	}
	errBad := errors.New("bad decimal")
	r.SetErr(errBad)
	r.SetErr(errors.New("second"))
	if !errors.Is(r.Err(), errBad) || !errors.Is(r.Finish(), errBad) {
		t.Errorf("Err() = %v, want %v", r.Err(), errBad)
	}
	if got := r.ReadLong(); got != 0 || r.Offset() != 1 || r.Remaining() != 0 {
		t.Errorf("after SetErr: ReadLong() = %d, Offset() = %d, Remaining() = %d, want 0, 1, 0",
			got, r.Offset(), r.Remaining())
	}
}

func TestFinish(t *testing.T) {
	r := NewReader([]byte{0x02, 0x04, 0x06, 0x08})
	r.ReadLong()
	if r.Remaining() != 3 || r.Offset() != 1 {
		t.Errorf("Remaining() = %d, Offset() = %d, want 3, 1", r.Remaining(), r.Offset())
	}
	checkErr(t, r.Finish(), 1, "3 trailing bytes")
	r.Reset([]byte{0x02, 0x02})
	r.ReadLong()
	checkErr(t, r.Finish(), 1, "1 trailing byte")
	r.Reset([]byte{0x02})
	r.ReadLong()
	if err := r.Finish(); err != nil {
		t.Errorf("Finish() = %v, want nil", err)
	}
}

func TestReadValues(t *testing.T) {
	var b []byte
	b = AppendBoolean(b, true)
	b = AppendBoolean(b, false)
	b = AppendString(b, "foo")
	b = AppendString(b, "")
	b = AppendBytes(b, []byte{0, 0xff})
	b = AppendBytes(b, nil)
	b = AppendFixed(b, []byte{7, 8})
	b = AppendUnionIndex(b, 2)
	b = AppendEnum(b, 4)
	b = AppendDuration(b, Duration{Months: 13, Days: 2, Milliseconds: 1 << 31})
	b = AppendLong(b, 99) // skipped
	b = AppendString(b, "skipped")
	b = append(b, 1, 2, 3) // skipped

	r := NewReader(b)
	check := func(name string, got, want any) {
		t.Helper()
		if !equal(got, want) {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	check("ReadBoolean", r.ReadBoolean(), true)
	check("ReadBoolean", r.ReadBoolean(), false)
	check("ReadString", r.ReadString(), "foo")
	check("ReadString", r.ReadString(), "")
	check("ReadBytes", r.ReadBytes(), []byte{0, 0xff})
	empty := r.ReadBytes()
	if empty == nil || len(empty) != 0 {
		t.Errorf("ReadBytes of length 0 = %#v, want empty and non-nil", empty)
	}
	fixed := make([]byte, 2)
	r.ReadFixed(fixed)
	check("ReadFixed", fixed, []byte{7, 8})
	check("ReadUnionIndex", r.ReadUnionIndex(3), 2)
	check("ReadEnum", r.ReadEnum(5), 4)
	check("ReadDuration", r.ReadDuration(), Duration{Months: 13, Days: 2, Milliseconds: 1 << 31})
	r.SkipVarint()
	r.SkipBytes()
	r.Skip(3)
	if err := r.Finish(); err != nil {
		t.Fatalf("Finish() = %v", err)
	}
}

func equal(a, b any) bool {
	if ab, ok := a.([]byte); ok {
		bb, ok := b.([]byte)
		return ok && bytes.Equal(ab, bb)
	}
	return a == b
}

// TestReadBytesCopies checks that ReadBytes and ReadString do not alias the
// input.
func TestReadBytesCopies(t *testing.T) {
	data := AppendString(AppendBytes(nil, []byte("abc")), "def")
	r := NewReader(data)
	b := r.ReadBytes()
	s := r.ReadString()
	for i := range data {
		data[i] = 'z'
	}
	if string(b) != "abc" || s != "def" {
		t.Errorf("after changing the input: %q, %q, want \"abc\", \"def\"", b, s)
	}
}

func TestRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type value struct {
		i int32
		l int64
		f float32
		d float64
		s string
	}
	values := make([]value, 2000)
	var b []byte
	for k := range values {
		// Vary the magnitude so that every varint length occurs.
		v := value{
			i: int32(rng.Uint32()) >> rng.IntN(32),
			l: int64(rng.Uint64()) >> rng.IntN(64),
			f: math.Float32frombits(rng.Uint32()),
			d: math.Float64frombits(rng.Uint64()),
			s: strings.Repeat("é", rng.IntN(100)),
		}
		values[k] = v
		b = AppendInt(b, v.i)
		b = AppendLong(b, v.l)
		b = AppendFloat(b, v.f)
		b = AppendDouble(b, v.d)
		b = AppendString(b, v.s)
	}
	r := NewReader(b)
	for k, want := range values {
		got := value{i: r.ReadInt(), l: r.ReadLong(), f: r.ReadFloat(), d: r.ReadDouble(), s: r.ReadString()}
		if got.i != want.i || got.l != want.l || got.s != want.s ||
			math.Float32bits(got.f) != math.Float32bits(want.f) ||
			math.Float64bits(got.d) != math.Float64bits(want.d) {
			t.Fatalf("value %d: got %+v, want %+v (error %v)", k, got, want, r.Err())
		}
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
}

// TestVarintNonCanonical checks that padded varints, which the
// specification does not forbid, are accepted within their length limit.
func TestVarintNonCanonical(t *testing.T) {
	r := NewReader([]byte{0x82, 0x80, 0x80, 0x80, 0x00, 0x80, 0x00})
	if got := r.ReadInt(); got != 1 {
		t.Errorf("ReadInt of a padded 1 = %d, want 1", got)
	}
	if got := r.ReadLong(); got != 0 {
		t.Errorf("ReadLong of a padded 0 = %d, want 0", got)
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
}

// TestVarintWithInputAfter repeats varint cases with more input after
// them, since ReadInt and ReadLong take another path when 8 bytes remain.
func TestVarintWithInputAfter(t *testing.T) {
	pad := []byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	tests := []struct {
		data []byte
		int  bool
		want int64
		msg  string
	}{
		{data: []byte{0x80, 0x01}, want: 64},
		{data: []byte{0xfe, 0xff, 0xff, 0xff, 0x0f}, int: true, want: math.MaxInt32},
		{data: []byte{0xff, 0xff, 0xff, 0xff, 0x0f}, int: true, want: math.MinInt32},
		{data: []byte{0xfe, 0xff, 0xff, 0xff, 0x1f}, int: true, msg: "int varint overflows 32 bits"},
		{data: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, int: true, msg: "int varint longer than 5 bytes"},
		{data: []byte{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, want: 1<<55 - 1},
		{data: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, want: -(1 << 56)},
		{data: AppendLong(nil, math.MinInt64), want: math.MinInt64},
		{data: []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, msg: "long varint overflows 64 bits"},
		{data: []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, msg: "long varint longer than 10 bytes"},
	}
	for _, tt := range tests {
		for _, after := range [][]byte{nil, pad} {
			data := append(append([]byte{0x02}, tt.data...), after...)
			r := NewReader(data)
			r.ReadLong() // start at offset 1
			var got int64
			if tt.int {
				got = int64(r.ReadInt())
			} else {
				got = r.ReadLong()
			}
			if tt.msg != "" {
				checkErr(t, r.Err(), 1, tt.msg)
				continue
			}
			if got != tt.want || r.Err() != nil || r.Offset() != 1+len(tt.data) {
				t.Errorf("reading % x: %d, %v at offset %d, want %d at offset %d",
					data, got, r.Err(), r.Offset(), tt.want, 1+len(tt.data))
			}
		}
	}
}
