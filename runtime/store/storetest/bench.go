package storetest

import (
	"encoding/hex"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
)

// The benchmarks' workload: 36-byte keys (UUID strings) and 100-byte
// random values, the sizes of a typical Tonga store record.
const (
	benchKeys     = 1 << 20 // distinct keys, and the size of the read benchmarks' store
	benchValueLen = 100
	benchBatch    = 1000
)

var benchData = sync.OnceValues(func() ([]string, []byte) { return Workload(benchKeys, benchValueLen) })

// Workload returns the benchmarks' data, the same on every call: n
// distinct keys (random UUID strings, 36 bytes) and n+valueLen random
// bytes, whose windows of valueLen bytes starting at i are the values,
// distinct per key so that no engine compresses them away.
func Workload(n, valueLen int) (keys []string, values []byte) {
	rng := rand.New(rand.NewPCG(1, 2))
	keys = make([]string, n)
	var raw [16]byte
	var buf [36]byte
	for i := range keys {
		for j := 0; j < 16; j += 8 {
			u := rng.Uint64()
			for k := range 8 {
				raw[j+k] = byte(u >> (8 * k))
			}
		}
		hex.Encode(buf[0:8], raw[0:4])
		hex.Encode(buf[9:13], raw[4:6])
		hex.Encode(buf[14:18], raw[6:8])
		hex.Encode(buf[19:23], raw[8:10])
		hex.Encode(buf[24:36], raw[10:16])
		buf[8], buf[13], buf[18], buf[23] = '-', '-', '-', '-'
		keys[i] = string(buf[:])
	}
	values = make([]byte, n+valueLen)
	for i := range values {
		values[i] = byte(rng.Uint32())
	}
	return keys, values
}

func benchValue(values []byte, i int) []byte {
	i %= benchKeys
	return values[i : i+benchValueLen]
}

// BenchOpen opens the backend under benchmark on dir, failing b if it
// cannot.
type BenchOpen func(b *testing.B, dir string) store.Backend

// RunBenchmarks runs the backend benchmarks as sub-benchmarks:
//
//   - Set: b.N sets in batches of 1000, each batch with an offset, into
//     a fresh backend (puts/s);
//   - Get and View: random reads of a store of 2^20 keys (gets/s);
//   - Scan: reads the whole store in key order (keys/s);
//   - Range100: ranges of 100 keys from a random key (ranges/s).
//
// The read benchmarks share one backend, filled once.
func RunBenchmarks(b *testing.B, open BenchOpen) {
	keys, values := benchData()
	b.Run("Set", func(b *testing.B) {
		be := open(b, b.TempDir())
		defer closeBench(b, be)
		b.ReportAllocs()
		b.ResetTimer()
		var batch store.Batch
		batch.Offsets = map[int32]int64{}
		for i := 0; i < b.N; {
			batch.Reset()
			for ; batch.Len() < benchBatch && i < b.N; i++ {
				batch.Set(keys[i%benchKeys], benchValue(values, i))
			}
			batch.Offsets[0] = int64(i)
			if err := be.Apply(&batch); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
	})

	be := open(b, b.TempDir())
	defer closeBench(b, be)
	fill(b, be, keys, values)
	b.Run("Get", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(3, 4))
		b.ReportAllocs()
		for range b.N {
			if _, err := be.Get(keys[rng.IntN(benchKeys)]); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
	})
	b.Run("View", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(3, 4))
		n := 0
		count := func(v []byte) error { n += len(v); return nil }
		b.ReportAllocs()
		for range b.N {
			if err := be.View(keys[rng.IntN(benchKeys)], count); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
	})
	b.Run("Scan", func(b *testing.B) {
		b.ReportAllocs()
		for n := 0; n < b.N; {
			err := be.Range("", "", func(string, []byte) bool { n++; return n < b.N })
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "keys/s")
	})
	b.Run("Range100", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(5, 6))
		b.ReportAllocs()
		for range b.N {
			n := 0
			err := be.Range(keys[rng.IntN(benchKeys)], "", func(string, []byte) bool { n++; return n < 100 })
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ranges/s")
	})
}

// Compacter is implemented by backends that can compact their data on
// demand. The read benchmarks compact after filling the store, so that
// they measure a settled store rather than one busy compacting in the
// background.
type Compacter interface {
	Compact() error
}

// fill writes every benchmark key, in batches, compacts the backend if it
// can, and reads the store once so that lazily built indexes are built.
func fill(b *testing.B, be store.Backend, keys []string, values []byte) {
	b.Helper()
	var batch store.Batch
	for i := range keys {
		batch.Set(keys[i], benchValue(values, i))
		if batch.Len() == benchBatch || i == len(keys)-1 {
			if err := be.Apply(&batch); err != nil {
				b.Fatal(err)
			}
			batch.Reset()
		}
	}
	if c, ok := be.(Compacter); ok {
		if err := c.Compact(); err != nil {
			b.Fatal(err)
		}
	}
	if err := be.Range("", "", func(string, []byte) bool { return false }); err != nil {
		b.Fatal(err)
	}
}

func closeBench(b *testing.B, be store.Backend) {
	b.Helper()
	if err := be.Close(); err != nil {
		b.Error(err)
	}
}
