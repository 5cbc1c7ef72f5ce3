//go:build rocksdb

package rocksdb

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/linxGnu/grocksdb"
)

// Option configures [Open].
type Option func(*config)

type config struct {
	stock      bool
	wal        *bool // nil: off with Kafka Streams' settings, on with stock ones
	sync       bool
	blockCache int64
}

func defaultConfig() config { return config{blockCache: 50 << 20} }

// WithStockOptions makes Open use RocksDB's own defaults (64 MiB write
// buffers, leveled compaction, Snappy, no bloom filter, an 8 MiB block
// cache) with the write-ahead log on, instead of Kafka Streams' settings.
// [WithWAL] and [WithSync] still apply; [WithBlockCache] does not.
func WithStockOptions() Option { return func(c *config) { c.stock = true } }

// WithWAL turns the write-ahead log on or off. It is off by default, as in
// Kafka Streams: the changelog is the source of truth and each batch
// carries its offsets, so a crash costs a longer rebuild, never a wrong
// store. On, a process crash loses nothing.
func WithWAL(on bool) Option { return func(c *config) { c.wal = &on } }

// WithSync makes every Apply wait until its batch is on disk (fsync of the
// write-ahead log, which it needs).
func WithSync(on bool) Option { return func(c *config) { c.sync = on } }

// WithBlockCache sets the LRU block cache, in bytes; the default is 50 MiB,
// Kafka Streams' size.
func WithBlockCache(bytes int64) Option { return func(c *config) { c.blockCache = bytes } }

// errInvalidOption is wrapped by Open's errors for a bad option.
var errInvalidOption = errors.New("store/rocksdb: invalid option")

func (c *config) validate() error {
	var errs []error
	if c.blockCache <= 0 {
		errs = append(errs, fmt.Errorf("%w: block cache size %d is not positive", errInvalidOption, c.blockCache))
	}
	if c.sync && !c.walOn() {
		errs = append(errs, fmt.Errorf("%w: WithSync needs the write-ahead log (WithWAL(true))", errInvalidOption))
	}
	return errors.Join(errs...)
}

func (c *config) walOn() bool {
	if c.wal != nil {
		return *c.wal
	}
	return c.stock
}

// engine is what Open gives RocksDB, kept to be destroyed after Close.
type engine struct {
	opts  *grocksdb.Options
	table *grocksdb.BlockBasedTableOptions
	cache *grocksdb.Cache
	read  *grocksdb.ReadOptions
	write *grocksdb.WriteOptions
}

// Loading settings, for a rebuild: memtables of loadWriteBuffer bytes
// that append rather than insert in order (sorted once, when flushed), and
// compactions deferred until L0 holds loadL0Files files (a rebuild of a
// few hundred MiB runs none); writes stall only at loadL0Stop.
const (
	loadWriteBuffer = 16 << 20
	loadL0Files     = 48
	loadL0Stop      = 96
)

// newEngine builds the options for cfg, with the loading settings when
// load is set.
func newEngine(cfg *config, load bool) *engine {
	e := &engine{
		opts:  grocksdb.NewDefaultOptions(),
		read:  grocksdb.NewDefaultReadOptions(),
		write: grocksdb.NewDefaultWriteOptions(),
	}
	e.opts.SetCreateIfMissing(true)
	e.opts.SetInfoLogLevel(grocksdb.ErrorInfoLogLevel)
	e.opts.SetKeepLogFileNum(2)
	e.write.DisableWAL(!cfg.walOn() || load)
	e.write.SetSync(cfg.sync && !load)
	if !cfg.stock {
		e.kafkaStreams(cfg)
	}
	if load {
		e.opts.SetMemtableVectorRep()
		e.opts.SetAllowConcurrentMemtableWrites(false)
		e.opts.SetWriteBufferSize(loadWriteBuffer)
		e.opts.SetLevel0FileNumCompactionTrigger(loadL0Files)
		e.opts.SetLevel0SlowdownWritesTrigger(loadL0Stop)
		e.opts.SetLevel0StopWritesTrigger(loadL0Stop)
	}
	return e
}

// kafkaStreams applies Kafka Streams' settings.
func (e *engine) kafkaStreams(cfg *config) {
	// Kafka Streams' RocksDBStore.openDB.
	e.cache = grocksdb.NewLRUCache(uint64(cfg.blockCache))
	e.table = grocksdb.NewDefaultBlockBasedTableOptions()
	e.table.SetBlockCache(e.cache)
	e.table.SetBlockSize(4 << 10)
	e.table.SetFilterPolicy(grocksdb.NewBloomFilterFull(10))
	e.opts.SetBlockBasedTableFactory(e.table)
	e.opts.SetOptimizeFiltersForHits(true)
	e.opts.SetWriteBufferSize(16 << 20)
	e.opts.SetCompression(grocksdb.NoCompression)
	e.opts.SetCompactionStyle(grocksdb.UniversalCompactionStyle)
	e.opts.SetMaxWriteBufferNumber(3)
	e.opts.IncreaseParallelism(max(runtime.NumCPU(), 2))
}

func (e *engine) destroy() {
	e.read.Destroy()
	e.write.Destroy()
	e.opts.Destroy()
	if e.table != nil {
		e.table.Destroy()
	}
	if e.cache != nil {
		e.cache.Destroy()
	}
}
