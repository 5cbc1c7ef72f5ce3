package stores_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tonga-go/tonga/bench/internal/benchutil"
	"github.com/tonga-go/tonga/runtime/store"
)

// benchPut measures sets in batches of 1000, each batch with an offset as
// a store's commit writes it, into a fresh backend (storetest's Set),
// against assignments to a Go map, each value copied as a backend does.
func benchPut(b *testing.B) {
	keys, values := data()
	for _, be := range backends {
		b.Run("op=put/backend="+be.name+"/impl=tongagen", func(b *testing.B) {
			db := openBench(b, be)
			var batch store.Batch
			batch.Offsets = map[int32]int64{}
			i := 0
			put := func(k int) error {
				batch.Reset()
				for ; batch.Len() < k; i++ {
					batch.Set(keys[i%len(keys)], value(values, i))
				}
				batch.Offsets[0] = int64(i)
				return db.Apply(&batch)
			}
			benchutil.WarmOnce(b, func() error { return put(batchLen) })
			b.ReportAllocs()
			b.ResetTimer()
			for n := 0; n < b.N; n += batchLen {
				if err := put(min(batchLen, b.N-n)); err != nil {
					b.Fatal(err)
				}
			}
			reportRate(b, "ops/s")
		})
		b.Run("op=put/backend="+be.name+"/impl=go-map", func(b *testing.B) {
			m := map[string][]byte{}
			i := 0
			benchutil.Warm(b, func() error {
				m[keys[i%len(keys)]] = append([]byte(nil), value(values, i)...)
				i++
				return nil
			})
			b.ReportAllocs()
			for ; b.Loop(); i++ {
				m[keys[i%len(keys)]] = append([]byte(nil), value(values, i)...)
			}
			reportRate(b, "ops/s")
		})
	}
}

// benchGet measures random gets of a store filled with the read keys and
// compacted (storetest's Get), against a Go map of the same keys; both are
// checked to hold every value first.
func benchGet(b *testing.B) {
	keys, values := data()
	_, n := sizes()
	keys = keys[:n]
	m := make(map[string][]byte, n)
	for i, k := range keys {
		m[k] = append([]byte(nil), value(values, i)...)
	}
	for _, be := range backends {
		b.Run("op=get/backend="+be.name, func(b *testing.B) {
			db := openBench(b, be)
			if err := fill(db, keys, values); err != nil {
				b.Fatal(err)
			}
			b.Run("impl=tongagen", func(b *testing.B) {
				get := randomGets(keys, func(k string) ([]byte, error) { return db.Get(k) })
				benchutil.Warm(b, get)
				b.ReportAllocs()
				for b.Loop() {
					if err := get(); err != nil {
						b.Fatal(err)
					}
				}
				reportRate(b, "ops/s")
			})
			b.Run("impl=go-map", func(b *testing.B) {
				get := randomGets(keys, func(k string) ([]byte, error) { return m[k], nil })
				benchutil.Warm(b, get)
				b.ReportAllocs()
				for b.Loop() {
					if err := get(); err != nil {
						b.Fatal(err)
					}
				}
				reportRate(b, "ops/s")
			})
		})
	}
}

// randomGets returns a get of a random key, failing if it finds nothing.
func randomGets(keys []string, get func(string) ([]byte, error)) func() error {
	rng := rand.New(rand.NewPCG(3, 4))
	return func() error {
		k := keys[rng.IntN(len(keys))]
		v, err := get(k)
		if err == nil && len(v) != valueLen {
			err = fmt.Errorf("get %s: %d bytes, want %d", k, len(v), valueLen)
		}
		return err
	}
}

// compacter is implemented by the backends that compact on demand.
type compacter interface{ Compact() error }

// fill writes every key in batches, compacts the backend if it can, reads
// the store once (building lazy indexes) and checks a few values.
func fill(db store.Backend, keys []string, values []byte) error {
	var batch store.Batch
	for i := range keys {
		batch.Set(keys[i], value(values, i))
		if batch.Len() == batchLen || i == len(keys)-1 {
			if err := db.Apply(&batch); err != nil {
				return err
			}
			batch.Reset()
		}
	}
	if c, ok := db.(compacter); ok {
		if err := c.Compact(); err != nil {
			return err
		}
	}
	if err := db.Range("", "", func(string, []byte) bool { return false }); err != nil {
		return err
	}
	for _, i := range []int{0, len(keys) / 2, len(keys) - 1} {
		v, err := db.Get(keys[i])
		if err != nil {
			return err
		}
		if !bytes.Equal(v, value(values, i)) {
			return fmt.Errorf("get %s after fill: wrong value", keys[i])
		}
	}
	return nil
}

func openBench(b *testing.B, be backend) store.Backend {
	b.Helper()
	db, err := be.openIn(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if err := db.Close(); err != nil {
			b.Error(err)
		}
	})
	return db
}

// reportRate reports b.N operations over the elapsed time in unit.
func reportRate(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit)
}
