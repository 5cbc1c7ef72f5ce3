// Package partition picks the partition of a record the way Tonga services
// agree on: by key, bit-compatible with the Java client, or by instance.
//
// [Murmur2] is the Java client's Utils.murmur2 and [Murmur2Partition] is the
// partition its built-in partitioner gives a non-null key,
// toPositive(murmur2(key)) % n with toPositive(x) = x & 0x7fffffff.
// kafka-python, Python Tonga's KeyPartitioner, librdkafka's "murmur2" and
// "murmur2_random" partitioners and franz-go's default key partitioner
// (KafkaHasher over murmur2) compute the same. librdkafka's default
// partitioner ("consistent_random", CRC32) does not, which is why the Tonga
// runtime picks the partition itself and never leaves it to the transport.
//
// A [Partitioner] picks the partition of one record:
//
//   - [KeyPartitioner] hashes the key with Murmur2Partition; a nil key gets
//     a random partition.
//   - [Statefulset] ignores the key and picks the partition numbered like
//     the instance (the pod ordinal of a Kubernetes StatefulSet), so that
//     instance i writes to partition i, the one it consumes under only_own.
//
// The tongagen partition command prints Murmur2Partition for keys given on
// its command line or standard input.
package partition
