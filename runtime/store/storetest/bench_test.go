package storetest

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGoMap is the baseline for RunBenchmarks' Set and Get: a bare
// map[string][]byte, without a lock, with the same keys and values (each
// value copied, as a backend does).
func BenchmarkGoMap(b *testing.B) {
	keys, values := benchData()
	b.Run("Set", func(b *testing.B) {
		m := map[string][]byte{}
		b.ReportAllocs()
		for i := range b.N {
			m[keys[i%benchKeys]] = append([]byte(nil), benchValue(values, i)...)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
	})
	m := make(map[string][]byte, benchKeys)
	for i, k := range keys {
		m[k] = append([]byte(nil), benchValue(values, i)...)
	}
	b.Run("Get", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(3, 4))
		n := 0
		b.ReportAllocs()
		for range b.N {
			n += len(m[keys[rng.IntN(benchKeys)]])
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
	})
}
