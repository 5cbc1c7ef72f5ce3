// Package store holds Tonga's state stores: a local store of the keys this
// instance owns, written to a changelog topic in the same transaction as
// the outputs and input offsets, and a global store, the read-only union
// of the other instances' changelog partitions. Stores are rebuilt from
// their changelog at start.
//
// The data lives in a [Backend]: [NewMemory] (the default), Pebble
// (runtime/store/pebble, pure Go, the persistent default) or RocksDB
// (runtime/store/rocksdb, cgo, behind the rocksdb build tag).
package store
