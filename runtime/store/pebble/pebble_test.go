package pebble_test

import (
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/pebble"
	"github.com/tonga-go/tonga/runtime/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunBackend(t, func(t *testing.T, dir string) store.Backend {
		b, err := pebble.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}, storetest.Options{Persistent: true})
}

func TestConformanceSync(t *testing.T) {
	storetest.RunBackend(t, func(t *testing.T, dir string) store.Backend {
		b, err := pebble.Open(dir, pebble.WithSync(true), pebble.WithCacheSize(1<<20), pebble.WithMemTableSize(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}, storetest.Options{Persistent: true})
}

func BenchmarkPebble(b *testing.B) {
	storetest.RunBenchmarks(b, func(b *testing.B, dir string) store.Backend {
		be, err := pebble.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		return be
	})
}

func TestCorrupt(t *testing.T) {
	storetest.RunCorrupt(t, pebble.Opener(pebble.WithMemTableSize(1<<20)))
}

func TestService(t *testing.T) {
	storetest.RunService(t, pebble.Opener())
}

// BenchmarkRestore measures the rebuild of a Pebble store from a changelog
// of a million records, against a plain consumer of the same partition.
func BenchmarkRestore(b *testing.B) { storetest.RunRestoreBenchmark(b, pebble.Opener()) }
