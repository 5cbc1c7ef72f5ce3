package oracle_test

import (
	"math"
	"math/rand/v2"
	"strings"
)

// gen makes deterministic pseudo-random values that favour the edges:
// extreme and negative numbers, empty and non-ASCII strings, nil and empty
// collections, NaNs with payloads and negative zero.
type gen struct {
	r *rand.Rand
	// small keeps maps to at most one key, so that a record has a single
	// encoding and the bytes of the two encoders can be compared.
	small bool
}

func newGen(seed uint64) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, 0x7f4a7c159e3779b9))}
}

func (g *gen) intn(n int) int { return g.r.IntN(n) }

// one returns true once in n times.
func (g *gen) one(n int) bool { return g.r.IntN(n) == 0 }

func (g *gen) bool() bool { return g.r.IntN(2) == 1 }

var edgeLongs = []int64{
	0, 1, -1, 63, 64, -64, -65, 8191, 8192, -8193,
	math.MaxInt32, math.MinInt32, math.MaxInt32 + 1, math.MinInt32 - 1,
	math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1,
	1 << 53, -(1 << 53) - 1,
}

// long returns an edge value, or a random one of random bit length so that
// every varint length from 1 to 10 bytes occurs.
func (g *gen) long() int64 {
	if g.one(3) {
		return edgeLongs[g.intn(len(edgeLongs))]
	}
	v := int64(g.r.Uint64() >> g.intn(64))
	if g.bool() {
		v = -v - 1
	}
	return v
}

func (g *gen) int() int32 {
	if g.one(3) {
		edge := []int32{0, 1, -1, 63, 64, -64, -65, math.MaxInt32, math.MinInt32, math.MaxInt16, math.MinInt16}
		return edge[g.intn(len(edge))]
	}
	v := int32(g.r.Uint32() >> g.intn(32))
	if g.bool() {
		v = -v - 1
	}
	return v
}

var edgeDoubles = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.1, -2.5e-300, math.Pi,
	math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64,
	math.Inf(1), math.Inf(-1), math.NaN(), math.Float64frombits(0x7ff0000000000001), // a signalling NaN
	math.Float64frombits(0xfff8dead00000000), 1 << 53, 1.7e12 + 0.125,
}

// double returns an edge value or a float64 of random bits (NaNs with
// payloads included).
func (g *gen) double() float64 {
	if g.one(3) {
		return edgeDoubles[g.intn(len(edgeDoubles))]
	}
	if g.bool() {
		return math.Float64frombits(g.r.Uint64())
	}
	return g.r.NormFloat64() * math.Pow(10, float64(g.intn(40)-20))
}

var edgeFloats = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1, 0.1, 1.5, math.MaxFloat32, -math.MaxFloat32,
	math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32,
	float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()),
	math.Float32frombits(0x7f800001), math.Float32frombits(0xffc0beef),
}

func (g *gen) float() float32 {
	if g.one(3) {
		return edgeFloats[g.intn(len(edgeFloats))]
	}
	if g.bool() {
		return math.Float32frombits(g.r.Uint32())
	}
	return float32(g.r.NormFloat64() * math.Pow(10, float64(g.intn(20)-10)))
}

// pieces are the building blocks of random strings: ASCII, multi-byte
// UTF-8 of every length, a NUL, a joiner, a replacement character, and
// bytes that are not UTF-8 at all (neither implementation validates).
var pieces = []string{
	"a", "Z", "0", " ", "\"", "\\", "\n", "\x00", "é", "ß", "ñ", "Ω", "ж", "中", "日本語", "€",
	"🎉", "👩‍💻", "\u200d", "\ufffd", "\U0010ffff", "e\u0301", "\xff", "\xc3", "\xed\xa0\x80",
}

// str returns a string of 0 to about 300 bytes; lengths of 64 bytes and
// more take a 2-byte varint.
func (g *gen) str() string {
	var n int
	switch g.intn(6) {
	case 0:
		return ""
	case 1:
		n = 1
	case 2:
		n = 40 + g.intn(60)
	default:
		n = g.intn(12)
	}
	var b strings.Builder
	for range n {
		if g.one(3) {
			b.WriteString(pieces[g.intn(len(pieces))])
		} else {
			b.WriteByte(byte('a' + g.intn(26)))
		}
	}
	return b.String()
}

func (g *gen) optStr() *string {
	if g.one(3) {
		return nil
	}
	s := g.str()
	return &s
}

// bytes returns nil, an empty slice or random bytes.
func (g *gen) bytes() []byte {
	switch g.intn(5) {
	case 0:
		return nil
	case 1:
		return []byte{}
	}
	b := make([]byte, g.intn(100))
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

// sliceLen is the length of a random array: mostly short, sometimes over
// 64 items (a 2-byte block count).
func (g *gen) sliceLen() int {
	if g.one(25) {
		return 64 + g.intn(100)
	}
	return g.intn(5)
}

// mapLen is the number of keys of a random map: at most one when g.small.
func (g *gen) mapLen() int {
	if g.small {
		return g.intn(2)
	}
	return g.intn(5)
}

// slice returns n values of f; for n == 0, nil or an empty slice.
func slice[T any](g *gen, n int, f func() T) []T {
	if n == 0 {
		if g.bool() {
			return nil
		}
		return []T{}
	}
	s := make([]T, n)
	for i := range s {
		s[i] = f()
	}
	return s
}

// dict returns a map of n distinct random keys, or of fewer when keys
// collide; for n == 0, nil or an empty map.
func dict[V any](g *gen, n int, f func() V) map[string]V {
	if n == 0 {
		if g.bool() {
			return nil
		}
		return map[string]V{}
	}
	m := make(map[string]V, n)
	for range n {
		m[g.str()] = f()
	}
	return m
}
