package avrobin

import (
	"bytes"
	"math"
	"testing"
)

func TestAppendLong(t *testing.T) {
	tests := []struct {
		v    int64
		want []byte
	}{
		// The examples of the specification.
		{0, []byte{0x00}},
		{-1, []byte{0x01}},
		{1, []byte{0x02}},
		{-2, []byte{0x03}},
		{2, []byte{0x04}},
		{-64, []byte{0x7f}},
		{64, []byte{0x80, 0x01}},
		{-65, []byte{0x81, 0x01}},
		{8191, []byte{0xfe, 0x7f}},
		{8192, []byte{0x80, 0x80, 0x01}},
		{math.MaxInt32, []byte{0xfe, 0xff, 0xff, 0xff, 0x0f}},
		{math.MinInt32, []byte{0xff, 0xff, 0xff, 0xff, 0x0f}},
		{math.MaxInt64, []byte{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
		{math.MinInt64, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
	}
	for _, tt := range tests {
		if got := AppendLong(nil, tt.v); !bytes.Equal(got, tt.want) {
			t.Errorf("AppendLong(%d) = % x, want % x", tt.v, got, tt.want)
		}
		if got := NewReader(tt.want).ReadLong(); got != tt.v {
			t.Errorf("ReadLong(% x) = %d, want %d", tt.want, got, tt.v)
		}
		if tt.v < math.MinInt32 || tt.v > math.MaxInt32 {
			continue
		}
		if got := AppendInt(nil, int32(tt.v)); !bytes.Equal(got, tt.want) {
			t.Errorf("AppendInt(%d) = % x, want % x", tt.v, got, tt.want)
		}
		r := NewReader(tt.want)
		if got := r.ReadInt(); got != int32(tt.v) || r.Finish() != nil {
			t.Errorf("ReadInt(% x) = %d, %v, want %d", tt.want, got, r.Err(), tt.v)
		}
	}
}

func TestAppendFloatingPoint(t *testing.T) {
	floats := []struct {
		v    float32
		want []byte
	}{
		{0, []byte{0, 0, 0, 0}},
		{float32(math.Copysign(0, -1)), []byte{0, 0, 0, 0x80}},
		{1, []byte{0, 0, 0x80, 0x3f}},
		{-2.5, []byte{0, 0, 0x20, 0xc0}},
		{float32(math.Inf(1)), []byte{0, 0, 0x80, 0x7f}},
		{float32(math.Inf(-1)), []byte{0, 0, 0x80, 0xff}},
		{math.Float32frombits(0x7fc00001), []byte{0x01, 0, 0xc0, 0x7f}}, // a NaN with payload
		{math.SmallestNonzeroFloat32, []byte{1, 0, 0, 0}},
	}
	for _, tt := range floats {
		got := AppendFloat(nil, tt.v)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("AppendFloat(%v) = % x, want % x", tt.v, got, tt.want)
		}
		back := NewReader(got).ReadFloat()
		if math.Float32bits(back) != math.Float32bits(tt.v) {
			t.Errorf("ReadFloat(% x) = %#x, want %#x", got, math.Float32bits(back), math.Float32bits(tt.v))
		}
	}
	doubles := []struct {
		v    float64
		want []byte
	}{
		{0, []byte{0, 0, 0, 0, 0, 0, 0, 0}},
		{math.Copysign(0, -1), []byte{0, 0, 0, 0, 0, 0, 0, 0x80}},
		{1, []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f}},
		{math.Inf(1), []byte{0, 0, 0, 0, 0, 0, 0xf0, 0x7f}},
		{math.Inf(-1), []byte{0, 0, 0, 0, 0, 0, 0xf0, 0xff}},
		{math.NaN(), []byte{1, 0, 0, 0, 0, 0, 0xf8, 0x7f}},
		{math.MaxFloat64, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xef, 0x7f}},
	}
	for _, tt := range doubles {
		got := AppendDouble(nil, tt.v)
		if !bytes.Equal(got, tt.want) {
			t.Errorf("AppendDouble(%v) = % x, want % x", tt.v, got, tt.want)
		}
		back := NewReader(got).ReadDouble()
		if math.Float64bits(back) != math.Float64bits(tt.v) {
			t.Errorf("ReadDouble(% x) = %#x, want %#x", got, math.Float64bits(back), math.Float64bits(tt.v))
		}
	}
}

func TestAppendOthers(t *testing.T) {
	long300 := string(bytes.Repeat([]byte("x"), 300))
	tests := []struct {
		name string
		got  []byte
		want []byte
	}{
		{"true", AppendBoolean(nil, true), []byte{1}},
		{"false", AppendBoolean(nil, false), []byte{0}},
		{"string foo", AppendString(nil, "foo"), []byte{0x06, 'f', 'o', 'o'}},
		{"empty string", AppendString(nil, ""), []byte{0}},
		{"string of 300", AppendString(nil, long300)[:3], []byte{0xd8, 0x04, 'x'}},
		{"bytes", AppendBytes(nil, []byte{0xff, 0}), []byte{0x04, 0xff, 0}},
		{"nil bytes", AppendBytes(nil, nil), []byte{0}},
		{"fixed", AppendFixed(nil, []byte{1, 2, 3}), []byte{1, 2, 3}},
		{"union index 2", AppendUnionIndex(nil, 2), []byte{0x04}},
		{"enum 1", AppendEnum(nil, 1), []byte{0x02}},
		{"empty block", AppendBlockEnd(AppendBlockLen(nil, 0)), []byte{0}},
		{"block of 3", AppendBlockLen(nil, 3), []byte{0x06}},
		{"negative block len", AppendBlockLen(nil, -1), nil},
		{"appends", AppendString([]byte{0xaa}, "a"), []byte{0xaa, 0x02, 'a'}},
		{"duration", AppendDuration(nil, Duration{Months: 1, Days: 0x0203, Milliseconds: 0xffffffff}),
			[]byte{1, 0, 0, 0, 3, 2, 0, 0, 0xff, 0xff, 0xff, 0xff}},
	}
	for _, tt := range tests {
		if !bytes.Equal(tt.got, tt.want) {
			t.Errorf("%s: got % x, want % x", tt.name, tt.got, tt.want)
		}
	}
}

// TestAppendNoAlloc checks that appending to a slice with room to spare
// does not allocate.
func TestAppendNoAlloc(t *testing.T) {
	buf := make([]byte, 0, 256)
	payload := []byte("payload")
	allocs := testing.AllocsPerRun(100, func() {
		b := buf[:0]
		b = AppendBoolean(b, true)
		b = AppendInt(b, -12345)
		b = AppendLong(b, math.MinInt64)
		b = AppendFloat(b, 1.5)
		b = AppendDouble(b, 2.5)
		b = AppendBytes(b, payload)
		b = AppendString(b, "a string")
		b = AppendFixed(b, payload)
		b = AppendUnionIndex(b, 1)
		b = AppendEnum(b, 3)
		b = AppendBlockLen(b, 2)
		b = AppendBlockEnd(b)
		b = AppendDuration(b, Duration{1, 2, 3})
		buf = b
	})
	if allocs != 0 {
		t.Errorf("appending to a slice with capacity: %v allocations, want 0", allocs)
	}
}
