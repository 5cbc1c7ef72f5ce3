package partition_test

import (
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/bench/internal/fixture"
	"github.com/tonga-go/tonga/runtime/partition"
)

const partitions = 12

// An impl maps a key to one of partitions partitions.
type impl struct {
	name      string
	partition func(key []byte) int
}

func impls() []impl {
	franz := kgo.StickyKeyPartitioner(nil).ForTopic("bench")
	rec := &kgo.Record{}
	return []impl{
		{"tongagen", func(key []byte) int { return partition.Murmur2Partition(key, partitions) }},
		{"franz-go", func(key []byte) int {
			rec.Key = key
			return franz.Partition(rec, partitions)
		}},
		{"hand-written", func(key []byte) int { return int(murmur2(key)&0x7fffffff) % partitions }},
	}
}

// sink keeps the compiler from dropping the benchmarked calls.
var sink int

func BenchmarkPartition(b *testing.B) {
	key := []byte(fixture.Key)
	for _, im := range impls() {
		b.Run("impl="+im.name, func(b *testing.B) {
			checkAgree(b, im)
			for range 1000 {
				sink += im.partition(key)
			}
			b.SetBytes(int64(len(key)))
			b.ReportAllocs()
			for b.Loop() {
				sink += im.partition(key)
			}
		})
	}
}

// TestPeersAgree runs the check the benchmark runs before timing.
func TestPeersAgree(t *testing.T) {
	for _, im := range impls() {
		t.Run(im.name, func(t *testing.T) { checkAgree(t, im) })
	}
}

// checkAgree fails tb unless im puts keys of every length from 0 to 40
// (the tail cases of murmur2 included) where runtime/partition does.
func checkAgree(tb testing.TB, im impl) {
	tb.Helper()
	for n := 0; n <= 40; n++ {
		key := []byte(fmt.Sprintf("%040d", n*7919))[:n]
		want := partition.Murmur2Partition(key, partitions)
		if got := im.partition(key); got != want {
			tb.Fatalf("%s: key %q: partition %d, runtime/partition says %d", im.name, key, got, want)
		}
	}
}

// murmur2 is the Java client's murmur2 (Utils.murmur2) written out
// plainly, the baseline for the other two.
func murmur2(data []byte) uint32 {
	const (
		seed uint32 = 0x9747b28c
		m    uint32 = 0x5bd1e995
		r           = 24
	)
	n := len(data)
	h := seed ^ uint32(n)
	for i := 0; i+4 <= n; i += 4 {
		k := uint32(data[i]) | uint32(data[i+1])<<8 | uint32(data[i+2])<<16 | uint32(data[i+3])<<24
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	tail := data[n&^3:]
	switch len(tail) {
	case 3:
		h ^= uint32(tail[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(tail[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(tail[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return h
}
