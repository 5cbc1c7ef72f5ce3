package partition_test

import (
	"fmt"

	"github.com/tonga-go/tonga/runtime/partition"
)

// This example prints the partition the Java client gives the key "abc" on
// a topic of 1000 partitions, a value kafka-python's tests check.
func ExampleMurmur2Partition() {
	fmt.Println(partition.Murmur2Partition([]byte("abc"), 1000))
	// Output: 107
}

// This example prints the hash of a key from the Java client's own tests.
func ExampleMurmur2() {
	fmt.Println(partition.Murmur2([]byte("foobar")))
	// Output: -790332482
}

// This example picks the partition of a record keyed "0", Tonga's default
// key, on a topic of 12 partitions.
func ExampleKeyPartitioner() {
	var p partition.Partitioner = partition.KeyPartitioner{}
	n, err := p.Partition([]byte("0"), 12)
	fmt.Println(n, err)
	// Output: 8 <nil>
}

// This example shows instance 1 of a statefulset writing to partition 1,
// and instance 3 failing on a topic of only 2 partitions.
func ExampleStatefulset() {
	n, err := partition.Statefulset{Instance: 1}.Partition(nil, 2)
	fmt.Println(n, err)
	_, err = partition.Statefulset{Instance: 3}.Partition(nil, 2)
	fmt.Println(err)
	// Output:
	// 1 <nil>
	// partition: instance 3 is out of range for 2 partitions; a statefulset partitioner needs at least as many partitions as replicas
}
