package partition

import (
	"strconv"
	"strings"
	"testing"
)

// Every expected value below is copied from a published test of another
// Kafka client, named above its table; none was computed by this package.
// They were also cross-checked against the Java algorithm in testdata/java.

// TestMurmur2JavaUtilsTest holds the table of the Java client's own test,
// UtilsTest.testMurmur2, in apache/kafka
// clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java
// (commit f55581dc73953c3509a4702433aeeeddc2970779). franz-go copies the
// same table in twmb/franz-go pkg/kgo/partitioner_test.go
// (TestMurmur2KafkaVectors).
func TestMurmur2JavaUtilsTest(t *testing.T) {
	tests := []struct {
		key  string
		want int32
	}{
		{"21", -973932308},
		{"foobar", -790332482},
		{"a-little-bit-long-string", -985981536},
		{"a-little-bit-longer-string", -1486304829},
		{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
		{"abc", 479470107},
	}
	for _, tt := range tests {
		if got := Murmur2([]byte(tt.key)); got != tt.want {
			t.Errorf("Murmur2(%q) = %d, want %d", tt.key, got, tt.want)
		}
	}
}

// TestMurmur2Librdkafka holds librdkafka's unittest_murmur2, whose values
// it names java_murmur2_results, in confluentinc/librdkafka src/rdmurmur2.c
// (commit 6cbbd2f7aee9cad3be4aea2c169f12b5b3d787b0). The suffixes of "1234"
// and of the long string give every tail length at several offsets.
func TestMurmur2Librdkafka(t *testing.T) {
	const (
		short = "1234"
		long  = "PreAmbleWillBeRemoved,ThePrePartThatIs"
	)
	tests := []struct {
		key  []byte
		want uint32
	}{
		{[]byte("kafka"), 0xd067cf64},
		{[]byte("giberish123456789"), 0x8f552b0c},
		{[]byte(short), 0x9fc97b14},
		{[]byte(short[1:]), 0xe7c009ca},
		{[]byte(short[2:]), 0x873930da},
		{[]byte(short[3:]), 0x5a4b5ca1},
		{[]byte(long), 0x78424f1c},
		{[]byte(long[1:]), 0x4a62b377},
		{[]byte(long[2:]), 0xe0e4e09e},
		{[]byte(long[3:]), 0x62b8b43f},
		{[]byte{}, 0x106e08d9},
		{nil, 0x106e08d9},
	}
	for _, tt := range tests {
		if got := Murmur2(tt.key); uint32(got) != tt.want {
			t.Errorf("Murmur2(%q) = %#x, want %#x", tt.key, uint32(got), tt.want)
		}
	}
}

// TestMurmur2Kafkajs holds the table kafkajs generated with the Java
// algorithm for its Java-compatible partitioner, in tulios/kafkajs
// src/producer/partitioners/defaultJava/murmur2.spec.js (commit
// 1f8a9bdc625c5c347e3843cae4db92ed1c2187a8). It includes "0", Tonga's
// default partition key.
func TestMurmur2Kafkajs(t *testing.T) {
	tests := []struct {
		key  string
		want int32
	}{
		{"0", 971027396},
		{"1", -1993445489},
		{"128", -326012175},
		{"2187", -1508407203},
		{"16384", -325739742},
		{"78125", -1654490814},
		{"279936", 1462227128},
		{"823543", -2014198330},
		{"2097152", 607668903},
		{"4782969", -1182699775},
		{"10000000", -1830336757},
		{"19487171", -1603849305},
		{"35831808", -857013643},
		{"62748517", -1167431028},
		{"105413504", -381294639},
		{"170859375", -1658323481},
		{"100:48069", 1009543857},
	}
	for _, tt := range tests {
		if got := Murmur2([]byte(tt.key)); got != tt.want {
			t.Errorf("Murmur2(%q) = %d, want %d", tt.key, got, tt.want)
		}
	}
}

// TestMurmur2PartitionKafkaPython holds kafka-python's
// test_murmur2_java_compatibility ("compare with output from Kafka's
// org.apache.kafka.clients.producer.Partitioner"), over 1000 partitions, in
// dpkp/kafka-python test/test_partitioner.py (commit
// 077dc4742ffa82584946379790424faf4c6ba47f).
func TestMurmur2PartitionKafkaPython(t *testing.T) {
	tests := []struct {
		key  []byte
		want int
	}{
		{[]byte(""), 681},
		{[]byte("a"), 524},
		{[]byte("ab"), 434},
		{[]byte("abc"), 107},
		{[]byte("123456789"), 566},
		{[]byte("\x00 "), 742},
	}
	for _, tt := range tests {
		if got := Murmur2Partition(tt.key, 1000); got != tt.want {
			t.Errorf("Murmur2Partition(%q, 1000) = %d, want %d", tt.key, got, tt.want)
		}
	}
}

// TestMurmur2PartitionLibrdkafka holds the "murmur2" row of librdkafka's
// partitioner test, which expects the positive hash (from its Java
// Murmur2Cli) modulo the partition count, 7 or 17, in
// confluentinc/librdkafka tests/0048-partitioner.c (commit
// eb9b0e2123cc4c807e27980dc51deefd6bf3f8f2).
func TestMurmur2PartitionLibrdkafka(t *testing.T) {
	tests := []struct {
		key      string
		positive int
	}{
		{"", 0x106e08d9},
		{"23456", 0x058d780f},
		{"this is another string with more length to it perhaps", 0x4f7703da},
		{"hejsan", 0x5ec19395},
	}
	for _, tt := range tests {
		if got := int(uint32(Murmur2([]byte(tt.key))) & 0x7fffffff); got != tt.positive {
			t.Errorf("toPositive(Murmur2(%q)) = %#x, want %#x", tt.key, got, tt.positive)
		}
		for _, n := range []int{7, 17} {
			if got, want := Murmur2Partition([]byte(tt.key), n), tt.positive%n; got != want {
				t.Errorf("Murmur2Partition(%q, %d) = %d, want %d", tt.key, n, got, want)
			}
		}
	}
}

// TestMurmur2PartitionKeyZero checks Tonga's default key "0" over several
// partition counts: kafkajs publishes murmur2("0") = 971027396 (see
// TestMurmur2Kafkajs), so the partition is 971027396 % n. The Java program
// in testdata/java prints the same numbers.
func TestMurmur2PartitionKeyZero(t *testing.T) {
	tests := []struct{ n, want int }{
		{1, 0}, {2, 0}, {3, 2}, {4, 0}, {5, 1}, {6, 2},
		{8, 4}, {10, 6}, {12, 8}, {16, 4}, {32, 4}, {100, 96},
	}
	for _, tt := range tests {
		if tt.want != 971027396%tt.n {
			t.Fatalf("table row n=%d: %d is not 971027396 %% %d", tt.n, tt.want, tt.n)
		}
		if got := Murmur2Partition([]byte("0"), tt.n); got != tt.want {
			t.Errorf("Murmur2Partition(\"0\", %d) = %d, want %d", tt.n, got, tt.want)
		}
	}
}

func TestMurmur2PartitionPanicsWithoutPartitions(t *testing.T) {
	for _, n := range []int{0, -1} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Murmur2Partition(key, %d) did not panic", n)
				}
			}()
			Murmur2Partition([]byte("k"), n)
		}()
	}
}

func TestMurmur2DoesNotAllocate(t *testing.T) {
	key := []byte(benchKey)
	if n := testing.AllocsPerRun(100, func() { Murmur2Partition(key, 12) }); n != 0 {
		t.Errorf("Murmur2Partition allocates %v times per call, want 0", n)
	}
}

func TestKeyPartitioner(t *testing.T) {
	var p KeyPartitioner
	// A key always gets its Murmur2Partition; an empty key is a key.
	for _, tt := range []struct {
		key  []byte
		n    int
		want int
	}{
		{[]byte("abc"), 1000, 107},
		{[]byte{}, 1000, 681},
		{[]byte("0"), 12, 8},
	} {
		for range 3 {
			got, err := p.Partition(tt.key, tt.n)
			if err != nil || got != tt.want {
				t.Errorf("Partition(%q, %d) = %d, %v; want %d", tt.key, tt.n, got, err, tt.want)
			}
		}
	}
}

// TestKeyPartitionerNilKey checks that nil keys spread over every partition.
// The chance that 10,000 uniform draws miss one of 16 partitions is below
// 16 * (15/16)^10000, about 1e-279: the test cannot flake.
func TestKeyPartitionerNilKey(t *testing.T) {
	const partitions = 16
	var hits [partitions]int
	for range 10000 {
		p, err := KeyPartitioner{}.Partition(nil, partitions)
		if err != nil || p < 0 || p >= partitions {
			t.Fatalf("Partition(nil, %d) = %d, %v", partitions, p, err)
		}
		hits[p]++
	}
	for p, n := range hits {
		if n == 0 {
			t.Errorf("partition %d never picked for a nil key in 10000 draws", p)
		}
	}
}

func TestStatefulset(t *testing.T) {
	for _, tt := range []struct{ instance, partitions int }{{0, 1}, {0, 3}, {2, 3}, {5, 12}} {
		got, err := Statefulset{Instance: tt.instance}.Partition([]byte("ignored"), tt.partitions)
		if err != nil || got != tt.instance {
			t.Errorf("Statefulset{%d}.Partition(_, %d) = %d, %v; want %d", tt.instance, tt.partitions, got, err, tt.instance)
		}
	}
	for _, tt := range []struct {
		instance, partitions int
		want                 []string
	}{
		{3, 2, []string{"instance 3", "2 partitions", "at least as many partitions as replicas"}},
		{2, 2, []string{"instance 2", "2 partitions"}},
		{-1, 4, []string{"instance -1", "4 partitions"}},
	} {
		_, err := Statefulset{Instance: tt.instance}.Partition(nil, tt.partitions)
		if err == nil {
			t.Errorf("Statefulset{%d}.Partition(_, %d): no error", tt.instance, tt.partitions)
			continue
		}
		for _, w := range append(tt.want, "partition: ") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Statefulset{%d}.Partition(_, %d) error %q does not contain %q", tt.instance, tt.partitions, err, w)
			}
		}
	}
}

func TestNoPartitions(t *testing.T) {
	for _, p := range []Partitioner{KeyPartitioner{}, Statefulset{}} {
		for _, n := range []int{0, -3} {
			for _, key := range [][]byte{nil, []byte("k")} {
				got, err := p.Partition(key, n)
				if err == nil || !strings.HasPrefix(err.Error(), "partition: ") || !strings.Contains(err.Error(), "not "+strconv.Itoa(n)) {
					t.Errorf("%T.Partition(%q, %d) = %d, %v; want an error naming %d", p, key, n, got, err, n)
				}
			}
		}
	}
}
