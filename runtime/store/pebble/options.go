package pebble

import (
	"errors"
	"fmt"
	"log/slog"
)

// Option configures [Open].
type Option func(*config)

type config struct {
	sync         bool
	cacheSize    int64
	memTableSize int64
	logger       *slog.Logger
}

func defaultConfig() config {
	return config{
		cacheSize:    64 << 20,
		memTableSize: 16 << 20,
	}
}

// WithSync makes every Apply wait until its batch is on disk (fsync of the
// write-ahead log). By default Apply returns once the batch is in the log's
// buffer: a crash of the process or of the machine loses the last batches
// (those since the log's last full 32 KiB block). That is safe for a
// store: the changelog in Kafka is the source of truth, each batch carries
// the changelog offsets it reflects, and the log replays whole batches in
// order, so after a crash the store is older but consistent and its
// rebuild resumes from its own offsets. Sync costs a disk flush per batch.
func WithSync(on bool) Option { return func(c *config) { c.sync = on } }

// WithCacheSize sets the block cache, in bytes; the default is 64 MiB.
func WithCacheSize(bytes int64) Option { return func(c *config) { c.cacheSize = bytes } }

// WithMemTableSize sets the size of a memtable, in bytes: the amount of
// writes buffered in memory before they are flushed to a table. The
// default is 16 MiB (Kafka Streams' write buffer for RocksDB); Pebble's
// own is 4 MiB.
func WithMemTableSize(bytes int64) Option { return func(c *config) { c.memTableSize = bytes } }

// WithLogger sends Pebble's log lines to l: informational ones at Info,
// background errors at Error. By default they are dropped.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// errInvalidOption is wrapped by Open's errors for a bad option.
var errInvalidOption = errors.New("store/pebble: invalid option")

func (c *config) validate() error {
	var errs []error
	if c.cacheSize <= 0 {
		errs = append(errs, fmt.Errorf("%w: cache size %d is not positive", errInvalidOption, c.cacheSize))
	}
	if c.memTableSize < 1<<20 || c.memTableSize >= 4<<30 {
		errs = append(errs, fmt.Errorf("%w: memtable size %d is outside [1 MiB, 4 GiB)", errInvalidOption, c.memTableSize))
	}
	return errors.Join(errs...)
}
