// Package pebble is a persistent [store.Backend] on Pebble
// (github.com/cockroachdb/pebble v1), RocksDB's design in Go: no C library
// to install, and CGO_ENABLED=0 builds work. (With cgo on, Pebble compiles
// the zstd C sources bundled in github.com/DataDog/zstd, which makes the
// first build of a fresh cache a minute or two slower.) It is the default
// persistent backend:
//
//	local := store.NewLocal(svc, store.Persistent(dir, pebble.Opener()))
//
// # Layout
//
// One database per store. The first byte of an engine key says what it
// holds: 'd' user keys, 'o' changelog offsets (partition as a big-endian
// uint32, offset as a big-endian int64), 'm' metadata, and "v" the layout
// version. Range reads only the 'd' space, so offsets and metadata never
// appear among user keys, whatever bytes those hold.
//
// # Durability
//
// Apply commits one Pebble batch holding the operations, the offsets and
// the metadata, so they are logged together or not at all. By default it
// does not wait for fsync ([WithSync] makes it): a process crash loses
// nothing, since the batch is in the OS page cache; a machine crash may
// lose the last batches, but the write-ahead log replays whole batches in
// order, so the store comes back older and consistent with its own
// offsets, and the rebuild replays the rest of the changelog from them.
// Kafka's changelog, not the local directory, is the source of truth.
//
// # Settings
//
// A 64 MiB block cache, 16 MiB memtables and a 10-bit bloom filter on
// every level ([WithCacheSize], [WithMemTableSize]); Pebble's defaults are
// an 8 MiB cache, 4 MiB memtables and no filter.
package pebble
