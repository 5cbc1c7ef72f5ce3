// Package partition benchmarks runtime/partition's Java-compatible
// Murmur2 partitioner against franz-go's (kgo.StickyKeyPartitioner with
// its default Kafka murmur2 hasher) and a plain hand-written murmur2, on a
// 36-byte key over 12 partitions.
//
// Benchmark names follow impl=I, which cmd/report groups.
package partition
