package avrobin

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"slices"
)

// Duration is a value of the Avro logical type duration: a fixed of 12
// bytes holding three little-endian unsigned 32-bit integers. The three
// parts are independent; a month is not a fixed number of days.
type Duration struct {
	Months       uint32
	Days         uint32
	Milliseconds uint32
}

// AppendDuration appends d as a fixed of 12 bytes.
func AppendDuration(b []byte, d Duration) []byte {
	b = binary.LittleEndian.AppendUint32(b, d.Months)
	b = binary.LittleEndian.AppendUint32(b, d.Days)
	return binary.LittleEndian.AppendUint32(b, d.Milliseconds)
}

// ReadDuration reads a duration: a fixed of 12 bytes.
func (r *Reader) ReadDuration() Duration {
	if r.off > len(r.data)-12 {
		if r.err == nil {
			r.short("duration", 12)
		}
		return Duration{}
	}
	p := r.data[r.off : r.off+12]
	r.off += 12
	return Duration{
		Months:       binary.LittleEndian.Uint32(p[0:]),
		Days:         binary.LittleEndian.Uint32(p[4:]),
		Milliseconds: binary.LittleEndian.Uint32(p[8:]),
	}
}

// pow10Cache holds 10^0 through 10^38, the scales of the common decimal
// precisions. Its values are shared and never modified.
var pow10Cache = func() (t [39]*big.Int) {
	ten := big.NewInt(10)
	t[0] = big.NewInt(1)
	for i := 1; i < len(t); i++ {
		t[i] = new(big.Int).Mul(t[i-1], ten)
	}
	return t
}()

// pow10 returns 10^n for n >= 0. The result must not be modified.
func pow10(n int) *big.Int {
	if n < len(pow10Cache) {
		return pow10Cache[n]
	}
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// unscaled returns v * 10^scale, the unscaled value of the decimal v, or an
// error if that is not an integer. A nil v is 0.
func unscaled(v *big.Rat, scale int) (*big.Int, error) {
	x := new(big.Int)
	if v == nil {
		return x, nil
	}
	num, den := v.Num(), v.Denom()
	if scale >= 0 {
		x.Mul(num, pow10(scale))
		if v.IsInt() {
			return x, nil
		}
	} else {
		x.Set(num)
		den = new(big.Int).Mul(den, pow10(-scale))
	}
	var rem big.Int
	x.QuoRem(x, den, &rem)
	if rem.Sign() != 0 {
		return nil, fmt.Errorf("avrobin: decimal %s is not a multiple of 10^%d (scale %d)",
			v.RatString(), -scale, scale)
	}
	return x, nil
}

// twosLen returns the length in bytes of the shortest two's complement
// encoding of x; it is 1 for 0.
func twosLen(x *big.Int) int {
	bits := x.BitLen()
	// A negative x is encoded as the bits of |x|-1, inverted. |x|-1 is one
	// bit shorter than |x| when |x| is a power of two.
	if x.Sign() < 0 && x.TrailingZeroBits() == uint(bits-1) {
		bits--
	}
	return bits/8 + 1 // the bits and a sign bit, rounded up to bytes
}

// appendTwos appends x as a big-endian two's complement integer of exactly
// n bytes, sign-extended. n must be at least twosLen(x).
func appendTwos(b []byte, x *big.Int, n int) []byte {
	b = slices.Grow(b, n)
	p := b[len(b) : len(b)+n]
	if x.Sign() >= 0 {
		x.FillBytes(p)
	} else {
		new(big.Int).Not(x).FillBytes(p) // ^x = |x|-1
		for i := range p {
			p[i] ^= 0xff
		}
	}
	return b[:len(b)+n]
}

// AppendDecimalBytes appends v as a decimal with the given scale on bytes:
// a long length, then the unscaled value v * 10^scale as the shortest
// big-endian two's complement integer (0 is one byte 0x00, as Java
// writes). It is an error if v is not a multiple of 10^-scale; b is then
// returned unchanged. A nil v is 0.
func AppendDecimalBytes(b []byte, v *big.Rat, scale int) ([]byte, error) {
	x, err := unscaled(v, scale)
	if err != nil {
		return b, err
	}
	n := twosLen(x)
	b = AppendLong(b, int64(n))
	return appendTwos(b, x, n), nil
}

// AppendDecimalFixed appends v as a decimal with the given scale on a fixed
// of size bytes: the unscaled value v * 10^scale as a big-endian two's
// complement integer sign-extended to size bytes. It is an error if v is
// not a multiple of 10^-scale or the unscaled value does not fit in size
// bytes; b is then returned unchanged. A nil v is 0.
func AppendDecimalFixed(b []byte, v *big.Rat, scale, size int) ([]byte, error) {
	x, err := unscaled(v, scale)
	if err != nil {
		return b, err
	}
	if x.Sign() == 0 && size == 0 {
		return b, nil
	}
	if twosLen(x) > size {
		return b, fmt.Errorf("avrobin: decimal %s with scale %d does not fit in a fixed of %d byte%s",
			v.RatString(), scale, size, plural(size))
	}
	return appendTwos(b, x, size), nil
}

// ReadDecimalBytes reads a decimal with the given scale on bytes: a long
// length, then the unscaled value as a big-endian two's complement integer.
// Zero bytes are read as 0. It returns nil after an error.
func (r *Reader) ReadDecimalBytes(scale int) *big.Rat {
	n := r.readLen("decimal")
	if n < 0 {
		return nil
	}
	p := r.data[r.off : r.off+n]
	r.off += n
	return decimal(p, scale)
}

// ReadDecimalFixed reads a decimal with the given scale on a fixed of size
// bytes: the unscaled value as a big-endian two's complement integer. It
// returns nil after an error.
func (r *Reader) ReadDecimalFixed(scale, size int) *big.Rat {
	if r.err != nil {
		return nil
	}
	if size < 0 || size > len(r.data)-r.off {
		r.short("decimal fixed", size)
		return nil
	}
	p := r.data[r.off : r.off+size]
	r.off += size
	return decimal(p, scale)
}

// decimal returns the value of the decimal with unscaled value p, a
// big-endian two's complement integer, and the given scale.
func decimal(p []byte, scale int) *big.Rat {
	x := new(big.Int).SetBytes(p)
	if len(p) > 0 && p[0]&0x80 != 0 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), 8*uint(len(p))))
	}
	if scale < 0 {
		return new(big.Rat).SetInt(x.Mul(x, pow10(-scale)))
	}
	return new(big.Rat).SetFrac(x, pow10(scale))
}
