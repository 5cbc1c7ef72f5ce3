// Package stores benchmarks the local stores of runtime/store on each
// backend: the memory backend, Pebble (runtime/store/pebble) and, built
// with the tag rocksdb, RocksDB (runtime/store/rocksdb).
//
//   - op=restore: a store rebuilt from its changelog on the embedded broker
//     (runtime/broker), against a plain franz-go consumer reading the same
//     partition to its end, measured beside it in each group;
//   - op=put and op=get: batched sets and random gets on the backend,
//     against a bare Go map with the same keys and values.
//
// The workload is runtime/store/storetest's: 36-byte keys (UUIDs as text)
// and 100-byte random values; the changelog holds one set record per key,
// single-object encoded as a local store writes it. With $BENCH_QUICK set
// the changelog and the read store are smaller (see sizes).
//
// Benchmark names follow op=O/backend=B/impl=I, which cmd/report groups.
package stores
