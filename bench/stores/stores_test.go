package stores_test

import (
	"os"
	"sync"
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/pebble"
	"github.com/tonga-go/tonga/runtime/store/storetest"
)

// quick is a run of make bench-quick: smaller changelog and read store.
var quick = os.Getenv("BENCH_QUICK") != ""

// sizes are the records of the changelog and the keys of the read
// benchmarks' store: storetest's million (2^20 for reads), or a tenth in a
// quick run.
func sizes() (changelogRecords, readKeys int) {
	if quick {
		return 100_000, 1 << 17
	}
	return 1_000_000, 1 << 20
}

// The workload of runtime/store/storetest's benchmarks.
const (
	valueLen = 100
	batchLen = 1000
)

// A backend is one store engine under benchmark; open nil is the memory
// backend.
type backend struct {
	name string
	open func(dir string) (store.Backend, error)
}

func (be backend) openIn(dir string) (store.Backend, error) {
	if be.open == nil {
		return store.NewMemory(), nil
	}
	return be.open(dir)
}

// backends are the engines measured; rocksdb_test.go adds RocksDB under
// the build tag rocksdb.
var backends = []backend{
	{name: "memory"},
	{name: "pebble", open: pebble.Opener()},
}

// data returns the keys (UUID strings) and the random bytes whose windows
// are the values: storetest's workload, at the largest size measured.
var data = sync.OnceValues(func() ([]string, []byte) { return storetest.Workload(max(sizes()), valueLen) })

func value(values []byte, i int) []byte {
	i %= len(values) - valueLen
	return values[i : i+valueLen]
}

// BenchmarkStores runs every group: restore, put and get on each backend,
// each beside its reference.
func BenchmarkStores(b *testing.B) {
	data()
	benchRestore(b)
	benchPut(b)
	benchGet(b)
}
