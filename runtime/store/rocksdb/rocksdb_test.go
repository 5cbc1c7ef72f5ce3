//go:build rocksdb

package rocksdb_test

import (
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/rocksdb"
	"github.com/tonga-go/tonga/runtime/store/storetest"
)

func opener(opts ...rocksdb.Option) storetest.Open {
	return func(t *testing.T, dir string) store.Backend {
		b, err := rocksdb.Open(dir, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
}

func TestConformance(t *testing.T) {
	storetest.RunBackend(t, opener(), storetest.Options{Persistent: true})
}

func TestConformanceStock(t *testing.T) {
	storetest.RunBackend(t, opener(rocksdb.WithStockOptions()), storetest.Options{Persistent: true})
}

func TestConformanceSync(t *testing.T) {
	storetest.RunBackend(t, opener(rocksdb.WithWAL(true), rocksdb.WithSync(true), rocksdb.WithBlockCache(1<<20)), storetest.Options{Persistent: true})
}

func TestCorrupt(t *testing.T) {
	storetest.RunCorrupt(t, rocksdb.Opener())
}

func benchOpener(opts ...rocksdb.Option) storetest.BenchOpen {
	return func(b *testing.B, dir string) store.Backend {
		be, err := rocksdb.Open(dir, opts...)
		if err != nil {
			b.Fatal(err)
		}
		return be
	}
}

// BenchmarkRocksDB measures Kafka Streams' settings, the default.
func BenchmarkRocksDB(b *testing.B) { storetest.RunBenchmarks(b, benchOpener()) }

// BenchmarkRocksDBWAL measures Kafka Streams' settings with the log on.
func BenchmarkRocksDBWAL(b *testing.B) {
	storetest.RunBenchmarks(b, benchOpener(rocksdb.WithWAL(true)))
}

// BenchmarkRocksDBStock measures RocksDB's own defaults.
func BenchmarkRocksDBStock(b *testing.B) {
	storetest.RunBenchmarks(b, benchOpener(rocksdb.WithStockOptions()))
}

func TestService(t *testing.T) {
	storetest.RunService(t, rocksdb.Opener())
}

// BenchmarkRestore measures the rebuild of a RocksDB store from a
// changelog of a million records, against a plain consumer of the same
// partition.
func BenchmarkRestore(b *testing.B) { storetest.RunRestoreBenchmark(b, rocksdb.Opener()) }
