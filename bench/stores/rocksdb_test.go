//go:build rocksdb

package stores_test

import "github.com/tonga-go/tonga/runtime/store/rocksdb"

// RocksDB with its package's defaults, Kafka Streams' settings.
func init() {
	backends = append(backends, backend{name: "rocksdb", open: rocksdb.Opener()})
}
