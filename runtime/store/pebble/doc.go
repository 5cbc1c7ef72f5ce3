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
// does not wait for fsync ([WithSync] makes it), and Pebble then keeps the
// log's last, partly filled 32 KiB block in memory: a crash of the process
// (SIGKILL, found by storetest's Killed test) or of the machine loses the
// batches written since the last full block. The write-ahead log replays
// whole batches in order, so the store comes back older and consistent
// with its own offsets, and the rebuild replays the rest of the changelog
// from them. Kafka's changelog, not the local directory, is the source of
// truth.
//
// # Rebuild
//
// A rebuild loads the store through [store.Loader]: BeginLoad reopens the
// database with the write-ahead log off and compactions deferred until L0
// holds 48 tables, the rebuild applies batches of about 8 MiB (Pebble
// sorts a batch that large once and flushes it as a table of its own,
// rather than inserting its keys into the memtable one by one), and
// EndLoad flushes the memtables, which syncs the tables, and reopens the
// database with its usual settings, before the store reports ready; the
// compactions deferred then run in the background. Without the log a
// crash during the rebuild loses the batches not flushed yet, whole, never
// part of one: each batch carries its offsets, so the directory holds a
// prefix of the batches consistent with the offsets stored in it, and the
// next rebuild resumes from them. Until those compactions finish, a read
// may look in each of L0's tables (their bloom filters, mostly).
//
// # Corruption
//
// Open fails with an error matching [store.ErrCorrupt] when the directory
// cannot be read back: a damaged CURRENT or MANIFEST file, a missing
// table, or a table whose footer or metadata blocks fail their checks
// (truncated, zeroed or overwritten in place). Open reads those few blocks
// of every table (about 0.3 ms per table, 3 ms for a store of a million
// keys in 9 tables), so that such a directory is rebuilt at start rather
// than failing a read later. Damage inside a data block is found when a
// read reaches it: that read fails with an error matching ErrCorrupt;
// removing the directory and restarting rebuilds the store.
//
// # Settings
//
// A 64 MiB block cache, 16 MiB memtables and a 10-bit bloom filter on
// every level ([WithCacheSize], [WithMemTableSize]); Pebble's defaults are
// an 8 MiB cache, 4 MiB memtables and no filter.
package pebble
