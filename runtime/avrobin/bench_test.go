package avrobin

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// benchLongs returns the encoding of n longs whose magnitudes follow
// typical data: mostly small, some large.
func benchLongs(n int) []byte {
	rng := rand.New(rand.NewPCG(5, 6))
	var b []byte
	for range n {
		b = AppendLong(b, int64(rng.Uint64())>>(rng.IntN(8)*8+1))
	}
	return b
}

// repeatLong returns the encoding of v, n times.
func repeatLong(v int64, n int) []byte {
	var b []byte
	for range n {
		b = AppendLong(b, v)
	}
	return b
}

func BenchmarkReadLong(b *testing.B) {
	small := make([]byte, 1024)
	for i := range small {
		small[i] = byte(i) & 0x7f
	}
	for _, bc := range []struct {
		name string
		data []byte
		n    int
	}{
		{"1byte", small, 1024},
		{"2bytes", repeatLong(1000, 1024), 1024},
		{"3bytes", repeatLong(100000, 1024), 1024},
		{"mixed", benchLongs(1024), 1024},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r := NewReader(nil)
			var sink int64
			for b.Loop() {
				r.Reset(bc.data)
				for range bc.n {
					sink += r.ReadLong()
				}
			}
			if r.Err() != nil {
				b.Fatal(r.Err())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*bc.n), "ns/value")
			_ = sink
		})
	}
}

func BenchmarkReadInt(b *testing.B) {
	var data []byte
	for i := range 1024 {
		data = AppendInt(data, int32(i*37))
	}
	r := NewReader(nil)
	var sink int32
	for b.Loop() {
		r.Reset(data)
		for range 1024 {
			sink += r.ReadInt()
		}
	}
	if r.Err() != nil {
		b.Fatal(r.Err())
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1024), "ns/value")
	_ = sink
}

func BenchmarkReadDouble(b *testing.B) {
	var data []byte
	for i := range 1024 {
		data = AppendDouble(data, float64(i)/3)
	}
	r := NewReader(nil)
	var sink float64
	for b.Loop() {
		r.Reset(data)
		for range 1024 {
			sink += r.ReadDouble()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1024), "ns/value")
	_ = sink
}

func BenchmarkReadString(b *testing.B) {
	data := AppendString(nil, "a string of some thirty bytes.")
	r := NewReader(nil)
	var sink string
	for b.Loop() {
		r.Reset(data)
		sink = r.ReadString()
	}
	_ = sink
}

func BenchmarkReadBlocks(b *testing.B) {
	// An array of 100 small longs in one block.
	data := AppendBlockLen(nil, 100)
	for i := range 100 {
		data = AppendLong(data, int64(i))
	}
	data = AppendBlockEnd(data)
	r := NewReader(nil)
	items := make([]int64, 0, 100)
	for b.Loop() {
		r.Reset(data)
		items = items[:0]
		for n := r.ReadBlockLen(1); n > 0; n = r.ReadBlockLen(1) {
			for range n {
				items = append(items, r.ReadLong())
			}
		}
	}
	if err := r.Finish(); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkAppendLong(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	values := make([]int64, 1024)
	for i := range values {
		values[i] = int64(rng.Uint64()) >> (rng.IntN(8)*8 + 1)
	}
	buf := make([]byte, 0, 10*len(values))
	for b.Loop() {
		buf = buf[:0]
		for _, v := range values {
			buf = AppendLong(buf, v)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(values)), "ns/value")
}

func BenchmarkAppendString(b *testing.B) {
	s := "a string of some thirty bytes."
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = AppendString(buf[:0], s)
	}
}

func BenchmarkAppendDecimalBytes(b *testing.B) {
	v := big.NewRat(123456789, 100)
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf, _ = AppendDecimalBytes(buf[:0], v, 2)
	}
}

func BenchmarkReadDecimalBytes(b *testing.B) {
	data, _ := AppendDecimalBytes(nil, big.NewRat(123456789, 100), 2)
	r := NewReader(nil)
	for b.Loop() {
		r.Reset(data)
		r.ReadDecimalBytes(2)
	}
}
