package avrobin

import (
	"bytes"
	"math/big"
	"math/rand/v2"
	"testing"
)

func rat(t *testing.T, s string) *big.Rat {
	t.Helper()
	v, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad rational %q", s)
	}
	return v
}

func TestDecimalBytes(t *testing.T) {
	tests := []struct {
		v     string
		scale int
		want  []byte // the two's complement bytes, without the length
	}{
		{"0", 0, []byte{0x00}},
		{"0", 5, []byte{0x00}},
		{"1", 0, []byte{0x01}},
		{"-1", 0, []byte{0xff}},
		{"127", 0, []byte{0x7f}},
		{"128", 0, []byte{0x00, 0x80}},
		{"-128", 0, []byte{0x80}},
		{"-129", 0, []byte{0xff, 0x7f}},
		{"255", 0, []byte{0x00, 0xff}},
		{"256", 0, []byte{0x01, 0x00}},
		{"-256", 0, []byte{0xff, 0x00}},
		{"-257", 0, []byte{0xfe, 0xff}},
		{"32767", 0, []byte{0x7f, 0xff}},
		{"-32768", 0, []byte{0x80, 0x00}},
		{"1.23", 2, []byte{0x7b}},
		{"-1.23", 2, []byte{0x85}},
		{"12.5", 3, []byte{0x30, 0xd4}}, // 12500
		{"1/4", 2, []byte{0x19}},        // 25
		{"100", -2, []byte{0x01}},       // a negative scale: 1 * 10^2
		{"-170141183460469231731687303715884105728", 0, append([]byte{0x80}, make([]byte, 15)...)}, // -2^127
		{"170141183460469231731687303715884105728", 0, append([]byte{0x00, 0x80}, make([]byte, 15)...)},
	}
	for _, tt := range tests {
		v := rat(t, tt.v)
		got, err := AppendDecimalBytes([]byte{0xaa}, v, tt.scale)
		want := append(AppendLong([]byte{0xaa}, int64(len(tt.want))), tt.want...)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("AppendDecimalBytes(%s, %d) = % x, %v, want % x", tt.v, tt.scale, got, err, want)
			continue
		}
		r := NewReader(got[1:])
		back := r.ReadDecimalBytes(tt.scale)
		if err := r.Finish(); err != nil || back == nil || back.Cmp(v) != 0 {
			t.Errorf("ReadDecimalBytes(% x, %d) = %v, %v, want %s", got[1:], tt.scale, back, err, tt.v)
		}
	}
}

func TestDecimalFixed(t *testing.T) {
	tests := []struct {
		v     string
		scale int
		size  int
		want  []byte
	}{
		{"0", 2, 4, []byte{0, 0, 0, 0}},
		{"1", 0, 4, []byte{0, 0, 0, 1}},
		{"-1", 0, 4, []byte{0xff, 0xff, 0xff, 0xff}},
		{"-1.28", 2, 3, []byte{0xff, 0xff, 0x80}},
		{"1.28", 2, 2, []byte{0x00, 0x80}},
		{"-129", 0, 2, []byte{0xff, 0x7f}},
		{"32767", 0, 2, []byte{0x7f, 0xff}},
		{"-32768", 0, 2, []byte{0x80, 0x00}},
		{"0", 0, 0, []byte{}},
	}
	for _, tt := range tests {
		v := rat(t, tt.v)
		got, err := AppendDecimalFixed(nil, v, tt.scale, tt.size)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("AppendDecimalFixed(%s, %d, %d) = % x, %v, want % x", tt.v, tt.scale, tt.size, got, err, tt.want)
			continue
		}
		r := NewReader(got)
		back := r.ReadDecimalFixed(tt.scale, tt.size)
		if err := r.Finish(); err != nil || back == nil || back.Cmp(v) != 0 {
			t.Errorf("ReadDecimalFixed(% x, %d, %d) = %v, %v, want %s", got, tt.scale, tt.size, back, err, tt.v)
		}
	}
}

func TestDecimalNil(t *testing.T) {
	got, err := AppendDecimalBytes(nil, nil, 2)
	if err != nil || !bytes.Equal(got, []byte{0x02, 0x00}) {
		t.Errorf("AppendDecimalBytes(nil) = % x, %v, want 02 00", got, err)
	}
	got, err = AppendDecimalFixed(nil, nil, 2, 3)
	if err != nil || !bytes.Equal(got, []byte{0, 0, 0}) {
		t.Errorf("AppendDecimalFixed(nil) = % x, %v, want 00 00 00", got, err)
	}
}

func TestDecimalErrors(t *testing.T) {
	tests := []struct {
		name string
		run  func() ([]byte, error)
		want string
	}{
		{"bytes not a multiple", func() ([]byte, error) { return AppendDecimalBytes([]byte{1}, rat(t, "1.234"), 2) },
			"avrobin: decimal 617/500 is not a multiple of 10^-2 (scale 2)"},
		{"bytes thirds", func() ([]byte, error) { return AppendDecimalBytes([]byte{1}, rat(t, "1/3"), 10) },
			"avrobin: decimal 1/3 is not a multiple of 10^-10 (scale 10)"},
		{"negative scale", func() ([]byte, error) { return AppendDecimalBytes([]byte{1}, rat(t, "150"), -2) },
			"avrobin: decimal 150 is not a multiple of 10^2 (scale -2)"},
		{"fixed not a multiple", func() ([]byte, error) { return AppendDecimalFixed([]byte{1}, rat(t, "0.5"), 0, 4) },
			"avrobin: decimal 1/2 is not a multiple of 10^0 (scale 0)"},
		{"fixed too small", func() ([]byte, error) { return AppendDecimalFixed([]byte{1}, rat(t, "1.28"), 2, 1) },
			"avrobin: decimal 32/25 with scale 2 does not fit in a fixed of 1 byte"},
		{"fixed too small negative", func() ([]byte, error) { return AppendDecimalFixed([]byte{1}, rat(t, "-129"), 0, 1) },
			"avrobin: decimal -129 with scale 0 does not fit in a fixed of 1 byte"},
		{"fixed of size 0", func() ([]byte, error) { return AppendDecimalFixed([]byte{1}, rat(t, "1"), 0, 0) },
			"avrobin: decimal 1 with scale 0 does not fit in a fixed of 0 bytes"},
		{"negative fixed size", func() ([]byte, error) { return AppendDecimalFixed([]byte{1}, rat(t, "0"), 0, -1) },
			"avrobin: decimal 0 with scale 0 does not fit in a fixed of -1 bytes"},
	}
	for _, tt := range tests {
		got, err := tt.run()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: error = %v, want %q", tt.name, err, tt.want)
		}
		if !bytes.Equal(got, []byte{1}) {
			t.Errorf("%s: after an error the slice is % x, want it unchanged (01)", tt.name, got)
		}
	}
}

func TestReadDecimalCorrupt(t *testing.T) {
	r := NewReader([]byte{0x06, 0x01})
	if v := r.ReadDecimalBytes(2); v != nil {
		t.Errorf("ReadDecimalBytes = %v, want nil", v)
	}
	checkErr(t, r.Err(), 0, "decimal length 3 exceeds the 1 byte remaining")

	r.Reset([]byte{0x01})
	if v := r.ReadDecimalFixed(2, 2); v != nil {
		t.Errorf("ReadDecimalFixed = %v, want nil", v)
	}
	checkErr(t, r.Err(), 0, "decimal fixed needs 2 bytes, 1 remaining")

	// An empty bytes value, which some writers produce for 0, is 0.
	r.Reset([]byte{0x00})
	if v := r.ReadDecimalBytes(2); v == nil || v.Sign() != 0 || r.Finish() != nil {
		t.Errorf("ReadDecimalBytes of no bytes = %v, %v, want 0", v, r.Err())
	}
}

func TestDecimalRoundTripRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 1000 {
		mag := make([]byte, rng.IntN(25))
		for i := range mag {
			mag[i] = byte(rng.Uint32())
		}
		unscaled := new(big.Int).SetBytes(mag)
		if rng.IntN(2) == 0 {
			unscaled.Neg(unscaled)
		}
		scale := rng.IntN(40)
		v := new(big.Rat).SetFrac(unscaled, pow10(scale))
		b, err := AppendDecimalBytes(nil, v, scale)
		if err != nil {
			t.Fatal(err)
		}
		size := twosLen(unscaled) + rng.IntN(3)
		b, err = AppendDecimalFixed(b, v, scale, size)
		if err != nil {
			t.Fatal(err)
		}
		r := NewReader(b)
		gotBytes := r.ReadDecimalBytes(scale)
		gotFixed := r.ReadDecimalFixed(scale, size)
		if err := r.Finish(); err != nil {
			t.Fatal(err)
		}
		if gotBytes.Cmp(v) != 0 || gotFixed.Cmp(v) != 0 {
			t.Fatalf("%v with scale %d, size %d: read %v and %v", v, scale, size, gotBytes, gotFixed)
		}
		// The bytes form is minimal: one byte fewer would not hold it.
		if size := twosLen(unscaled); size > 1 {
			if _, err := AppendDecimalFixed(nil, v, scale, size-1); err == nil {
				t.Fatalf("%v with scale %d fits in %d bytes, fewer than twosLen says", v, scale, size-1)
			}
		}
	}
}
