package stores_test

import (
	"encoding/hex"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/pebble"
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

// data returns n keys (UUID strings) and the random bytes whose windows are
// the values, generated as storetest does.
var data = sync.OnceValues(func() ([]string, []byte) {
	n := max(sizes())
	rng := rand.New(rand.NewPCG(1, 2))
	keys := make([]string, n)
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
	// Values are windows on random bytes, distinct per key, so that no
	// engine compresses them away.
	values := make([]byte, n+valueLen)
	for i := range values {
		values[i] = byte(rng.Uint32())
	}
	return keys, values
})

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
