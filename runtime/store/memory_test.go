package store_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/storetest"
)

func TestMemoryConformance(t *testing.T) {
	storetest.RunBackend(t, func(*testing.T, string) store.Backend { return store.NewMemory() }, storetest.Options{})
}

// TestMemoryRangeIndex checks the lazily maintained key index against a
// map: random sets and deletes (overwrites, deletes of missing keys,
// deletes then sets again), ranges with random bounds in between, and
// bursts of inserts large enough to make the index give up tracking.
func TestMemoryRangeIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	b := store.NewMemory()
	defer func() { _ = b.Close() }()
	model := map[string]string{}
	key := func(n int) string { return fmt.Sprintf("k%d", rng.IntN(n)) }
	for step := range 400 {
		n := 200
		if step%50 == 49 {
			n = 20000 // a burst of new keys
		}
		var batch store.Batch
		for range rng.IntN(n) + 1 {
			k := key(n)
			if rng.IntN(3) == 0 {
				batch.Delete(k)
				delete(model, k)
			} else {
				v := fmt.Sprint(step)
				batch.Set(k, []byte(v))
				model[k] = v
			}
		}
		if err := b.Apply(&batch); err != nil {
			t.Fatal(err)
		}
		if rng.IntN(4) > 0 {
			continue
		}
		start, end := key(n), ""
		if rng.IntN(2) == 0 {
			end = key(n)
		}
		var want, got []string
		for _, k := range slices.Sorted(maps.Keys(model)) {
			if k >= start && (end == "" || k < end) {
				want = append(want, k+"="+model[k])
			}
		}
		err := b.Range(start, end, func(k string, v []byte) bool {
			got = append(got, k+"="+string(v))
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("step %d: Range(%q, %q) returned %d entries, want %d:\ngot  %.300q\nwant %.300q", step, start, end, len(got), len(want), got, want)
		}
	}
}

func ExampleNewMemory() {
	b := store.NewMemory()
	defer func() { _ = b.Close() }()
	var batch store.Batch
	batch.Set("coffee/1", []byte("espresso"))
	batch.Set("coffee/2", []byte("latte"))
	batch.Offsets = map[int32]int64{0: 2}
	if err := b.Apply(&batch); err != nil {
		fmt.Println(err)
		return
	}
	_ = b.Range("coffee/", "coffee0", func(key string, value []byte) bool {
		fmt.Printf("%s=%s\n", key, value)
		return true
	})
	offsets, _ := b.Offsets()
	fmt.Println("next offset:", offsets[0])
	// Output:
	// coffee/1=espresso
	// coffee/2=latte
	// next offset: 2
}

func BenchmarkMemory(b *testing.B) {
	storetest.RunBenchmarks(b, func(*testing.B, string) store.Backend { return store.NewMemory() })
}

func TestMemoryService(t *testing.T) {
	storetest.RunService(t, nil)
}

// BenchmarkRestore measures the rebuild of a memory store from a changelog
// of a million records, against a plain consumer of the same partition.
func BenchmarkRestore(b *testing.B) { storetest.RunRestoreBenchmark(b, nil) }
