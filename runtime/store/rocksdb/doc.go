// Package rocksdb is a persistent [store.Backend] on RocksDB, through
// grocksdb (cgo). It needs the RocksDB C library and headers (Debian's
// librocksdb-dev, RocksDB 7.8) and the build tag rocksdb:
//
//	go test -tags rocksdb ./runtime/store/rocksdb
//
// Without the tag the package holds only this documentation, so that
// `go build ./...` works on machines without the library. Prefer the pure
// Go runtime/store/pebble unless RocksDB itself is wanted.
//
// # Layout
//
// One database, one column family per store. The first byte of an engine
// key says what it holds: 'd' user keys, 'o' changelog offsets (partition
// as a big-endian uint32, offset as a big-endian int64), 'm' metadata, and
// "v" the layout version; Range reads only the 'd' space.
//
// # Settings
//
// By default Open uses Kafka Streams' RocksDB settings (its RocksDBStore):
// a 50 MiB LRU block cache, 4 KiB blocks, a 10-bit full bloom filter with
// optimize_filters_for_hits, 16 MiB write buffers (three at most), no
// compression, universal compaction, background threads for every CPU,
// and the write-ahead log off. [WithStockOptions] uses RocksDB's own
// defaults instead (64 MiB write buffers, leveled compaction, Snappy, no
// bloom filter, an 8 MiB block cache) with the log on.
//
// # Durability
//
// Apply writes one WriteBatch holding the operations, the offsets and the
// metadata. With the log off, batches live in memtables until RocksDB
// flushes them to a table; Close flushes. A crash loses the batches not
// flushed yet, whole: a flush writes a memtable's batches together, in
// order, so the directory holds a prefix of the batches, consistent with
// the offsets stored in it, and the rebuild replays the rest of the
// changelog from those offsets. That is why Kafka Streams runs without
// the log: the changelog is the source of truth. [WithWAL] turns the log
// on (a process crash then loses nothing) and [WithSync] makes each Apply
// wait for it to reach the disk.
//
// A rebuild loads the store through [store.Loader]: BeginLoad reopens the
// database with the log off whatever the options, memtables that append
// writes and sort them once when flushed (RocksDB's vector memtable), and
// compactions deferred until L0 holds 48 files; EndLoad flushes the
// memtables and reopens the database with its usual settings, before the
// store reports ready, and the deferred compactions then run in the
// background. A crash during the rebuild loses the batches not flushed,
// as above, and the next rebuild resumes from the offsets flushed.
//
// Reads use pinned slices: View passes fn the value in RocksDB's block
// cache or memtable, without a copy in C or in Go.
package rocksdb
