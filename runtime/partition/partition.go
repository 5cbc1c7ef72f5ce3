package partition

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
)

// Murmur2 returns the 32-bit MurmurHash2 of key exactly as the Kafka Java
// client's Utils.murmur2 computes it (seed 0x9747b28c, m = 0x5bd1e995,
// r = 24; 4-byte little-endian chunks, then the 1 to 3 trailing bytes, then
// the final mix), as a Java int. A nil key hashes like an empty one. It
// does not allocate.
func Murmur2(key []byte) int32 {
	const (
		seed = 0x9747b28c
		m    = 0x5bd1e995
		r    = 24
	)
	h := uint32(seed) ^ uint32(len(key))
	for ; len(key) >= 4; key = key[4:] {
		k := binary.LittleEndian.Uint32(key)
		k *= m
		k ^= k >> r
		k *= m
		h *= m
		h ^= k
	}
	switch len(key) {
	case 3:
		h ^= uint32(key[2]) << 16
		fallthrough
	case 2:
		h ^= uint32(key[1]) << 8
		fallthrough
	case 1:
		h ^= uint32(key[0])
		h *= m
	}
	h ^= h >> 13
	h *= m
	h ^= h >> 15
	return int32(h)
}

// Murmur2Partition returns the partition, among n, that the Kafka Java
// client's built-in partitioner picks for a non-null key:
// toPositive(murmur2(key)) % n, where toPositive(x) = x & 0x7fffffff. It
// panics if n < 1, as an integer division by zero would; [KeyPartitioner]
// returns an error instead. It does not allocate.
func Murmur2Partition(key []byte, n int) int {
	if n < 1 {
		panic("partition: Murmur2Partition needs at least 1 partition")
	}
	return int(uint32(Murmur2(key))&0x7fffffff) % n
}

// Partitioner picks the partition of a record from its key and the number
// of partitions of its topic. It returns an error, and no partition, when
// it cannot pick one.
type Partitioner interface {
	Partition(key []byte, partitions int) (int, error)
}

var (
	_ Partitioner = KeyPartitioner{}
	_ Partitioner = Statefulset{}
)

// KeyPartitioner is Tonga's key partitioner: a non-nil key, even an empty
// one, goes to [Murmur2Partition], the partition the Java client and
// kafka-python pick; a nil key goes to a partition chosen at random.
type KeyPartitioner struct{}

// Partition returns the partition of key among partitions, which must be at
// least 1.
func (KeyPartitioner) Partition(key []byte, partitions int) (int, error) {
	if partitions < 1 {
		return 0, noPartitions(partitions)
	}
	if key == nil {
		return rand.IntN(partitions), nil
	}
	return Murmur2Partition(key, partitions), nil
}

// Statefulset is Tonga's statefulset partitioner: every record goes to the
// partition numbered like Instance, the ordinal of this instance among the
// service's replicas, whatever its key. A topic written this way needs at
// least as many partitions as the service has replicas.
type Statefulset struct {
	// Instance is this instance's ordinal, from 0.
	Instance int
}

// Partition returns s.Instance, or an error naming both numbers if it is
// not in [0, partitions).
func (s Statefulset) Partition(_ []byte, partitions int) (int, error) {
	switch {
	case partitions < 1:
		return 0, noPartitions(partitions)
	case s.Instance < 0:
		return 0, fmt.Errorf("partition: instance %d is out of range for %d partitions; an instance ordinal is never negative", s.Instance, partitions)
	case s.Instance >= partitions:
		return 0, fmt.Errorf("partition: instance %d is out of range for %d partitions; a statefulset partitioner needs at least as many partitions as replicas", s.Instance, partitions)
	}
	return s.Instance, nil
}

func noPartitions(n int) error {
	return fmt.Errorf("partition: a topic has at least 1 partition, not %d", n)
}
