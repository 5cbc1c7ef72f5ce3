//go:build rocksdb

package rocksdb

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/linxGnu/grocksdb"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/internal/kv"
)

// db is a store.Backend on a RocksDB database.
type db struct {
	db   *grocksdb.DB
	eng  *engine
	dir  string
	cfg  config
	wal  bool
	gate *kv.Gate
	// loading is set between BeginLoad and EndLoad, which run alone.
	loading bool
}

var (
	_ store.Backend = (*db)(nil)
	_ store.Loader  = (*db)(nil)
)

// Open opens or creates the RocksDB database in dir. An error matching
// [store.ErrCorrupt] means dir holds data RocksDB cannot read (a damaged
// CURRENT or MANIFEST file, a missing or truncated table, another layout
// version) and may be removed and rebuilt from the changelog. Any other
// error means the directory must be left alone: it is open in another
// process (or this one), or the file system refuses it.
func Open(dir string, opts ...Option) (store.Backend, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("store/rocksdb: %w", err)
	}
	eng := newEngine(&cfg, false)
	rdb, err := grocksdb.OpenDb(eng.opts, dir)
	if err != nil {
		eng.destroy()
		return nil, openError(dir, err)
	}
	d := &db{db: rdb, eng: eng, dir: dir, cfg: cfg, wal: cfg.walOn(), gate: kv.NewGate()}
	if err := d.checkFormat(); err != nil {
		rdb.Close()
		eng.destroy()
		return nil, err
	}
	return d, nil
}

// Opener returns Open with opts, in the shape [store.Persistent] takes.
func Opener(opts ...Option) func(dir string) (store.Backend, error) {
	return func(dir string) (store.Backend, error) { return Open(dir, opts...) }
}

// checkFormat records the layout version in a new database and refuses a
// database written with another.
func (d *db) checkFormat() error {
	var v string
	err := d.view([]byte(kv.FormatKey), func(b []byte) error { v = string(b); return nil })
	switch {
	case errors.Is(err, store.ErrNotFound):
		wo := grocksdb.NewDefaultWriteOptions()
		defer wo.Destroy()
		wo.SetSync(true)
		if err := d.db.Put(wo, []byte(kv.FormatKey), []byte(kv.FormatVersion)); err != nil {
			return d.wrap("write the layout version", err)
		}
		return nil
	case err != nil:
		return err
	case v != kv.FormatVersion:
		return fmt.Errorf("store/rocksdb: %s has layout version %q, not %q: %w", d.dir, v, kv.FormatVersion, store.ErrCorrupt)
	}
	return nil
}

// wrap describes an engine error, marking corruption with ErrCorrupt.
func (d *db) wrap(what string, err error) error {
	if strings.HasPrefix(err.Error(), "Corruption: ") {
		return fmt.Errorf("store/rocksdb: %s in %s: %w: %w", what, d.dir, store.ErrCorrupt, err)
	}
	return fmt.Errorf("store/rocksdb: %s in %s: %w", what, d.dir, err)
}

func (d *db) Get(key string) ([]byte, error) {
	var out []byte
	err := d.View(key, func(v []byte) error {
		out = append(make([]byte, 0, len(v)), v...)
		return nil
	})
	return out, err
}

func (d *db) View(key string, fn func(value []byte) error) error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	return d.view(kv.Prefixed(kv.DataPrefix, key), fn)
}

// view reads key through a pinned slice: no copy of the value.
func (d *db) view(key []byte, fn func([]byte) error) error {
	h, err := d.db.GetPinned(d.eng.read, key)
	if err != nil {
		return d.wrap("get", err)
	}
	defer h.Destroy()
	if !h.Exists() {
		return store.ErrNotFound
	}
	return fn(h.Data())
}

func (d *db) Range(start, end string, fn func(key string, value []byte) bool) error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	if end != "" && start >= end {
		return nil
	}
	upper := kv.PrefixEnd(kv.DataPrefix)
	if end != "" {
		upper = kv.Prefixed(kv.DataPrefix, end)
	}
	return d.iterate(kv.Prefixed(kv.DataPrefix, start), upper, func(k, v []byte) bool { return fn(string(k[1:]), v) })
}

// iterate calls fn for each entry in [lower, upper) until it returns
// false.
func (d *db) iterate(lower, upper []byte, fn func(k, v []byte) bool) error {
	ro := grocksdb.NewDefaultReadOptions()
	defer ro.Destroy()
	ro.SetIterateUpperBound(upper)
	it := d.db.NewIterator(ro)
	defer it.Close()
	for it.Seek(lower); it.Valid(); it.Next() {
		if !fn(it.Key().Data(), it.Value().Data()) {
			return nil
		}
	}
	if err := it.Err(); err != nil {
		return d.wrap("iterate", err)
	}
	return nil
}

// Apply writes b as one WriteBatch: its operations, offsets and metadata
// reach the memtable (and the log, when on) together or not at all.
func (d *db) Apply(b *store.Batch) error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	wb := grocksdb.NewWriteBatch()
	defer wb.Destroy()
	var key []byte
	for _, op := range b.Ops {
		key = append(append(key[:0], kv.DataPrefix), op.Key...)
		if op.Delete {
			wb.Delete(key)
		} else {
			wb.Put(key, op.Value)
		}
	}
	for p, o := range b.Offsets {
		wb.Put(kv.OffsetKey(p), kv.OffsetValue(o))
	}
	for k, v := range b.Meta {
		wb.Put(kv.Prefixed(kv.MetaPrefix, k), v)
	}
	if err := d.db.Write(d.eng.write, wb); err != nil {
		return d.wrap("apply", err)
	}
	return nil
}

func (d *db) Offsets() (map[int32]int64, error) {
	if !d.gate.Enter() {
		return nil, store.ErrClosed
	}
	defer d.gate.Leave()
	out := map[int32]int64{}
	var derr error
	err := d.iterate([]byte{kv.OffsetPrefix}, kv.PrefixEnd(kv.OffsetPrefix), func(k, v []byte) bool {
		p, o, err := kv.DecodeOffset("rocksdb", k, v)
		if err != nil {
			derr = err
			return false
		}
		out[p] = o
		return true
	})
	if err == nil {
		err = derr
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (d *db) Meta(key string) ([]byte, error) {
	if !d.gate.Enter() {
		return nil, store.ErrClosed
	}
	defer d.gate.Leave()
	var out []byte
	err := d.view(kv.Prefixed(kv.MetaPrefix, key), func(v []byte) error {
		out = append(make([]byte, 0, len(v)), v...)
		return nil
	})
	return out, err
}

// Clear deletes the key, offset and metadata spaces with range deletions
// in one batch; compactions reclaim the space later.
func (d *db) Clear() error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	wb := grocksdb.NewWriteBatch()
	defer wb.Destroy()
	for _, p := range []byte{kv.DataPrefix, kv.MetaPrefix, kv.OffsetPrefix} {
		wb.DeleteRange([]byte{p}, kv.PrefixEnd(p))
	}
	if err := d.db.Write(d.eng.write, wb); err != nil {
		return d.wrap("clear", err)
	}
	return nil
}

// Compact flushes the memtables and compacts the whole database, as
// storetest's benchmarks do before measuring reads (see
// storetest.Compacter).
func (d *db) Compact() error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	d.db.CompactRange(grocksdb.Range{})
	return nil
}

// BeginLoad implements [store.Loader]: it reopens the database with the
// write-ahead log off, memtables of 16 MiB that append each write and
// sort once when flushed, and compactions deferred until L0 holds 48
// files (a rebuild of a few hundred MiB runs none). That is safe: a batch
// is in one memtable, with its offsets, and a memtable is flushed whole,
// so a crash loses the batches since the last flush and the next rebuild
// resumes from the offsets flushed with the data. It must not run beside
// other calls.
func (d *db) BeginLoad() error {
	if d.loading {
		return nil
	}
	if err := d.reopen(true); err != nil {
		return err
	}
	d.loading = true
	return nil
}

// EndLoad implements [store.Loader]: it flushes the memtables to files,
// synced, and reopens the database with its usual settings; the deferred
// compactions then run in the background. It must not run beside other
// calls.
func (d *db) EndLoad() error {
	if !d.loading {
		return nil
	}
	if err := d.reopen(false); err != nil { // flushes: loading is still set
		return err
	}
	d.loading = false
	return nil
}

// reopen flushes and closes the database and opens it again, with the
// loading settings or without. If it cannot, the backend is closed: later
// calls return ErrClosed.
func (d *db) reopen(load bool) error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	d.gate.Leave() // nothing runs beside a reopen
	err := d.shut()
	if err == nil {
		eng := newEngine(&d.cfg, load)
		rdb, oerr := grocksdb.OpenDb(eng.opts, d.dir)
		if oerr == nil {
			d.db, d.eng = rdb, eng
			return nil
		}
		eng.destroy()
		err = openError(d.dir, oerr)
	}
	d.gate.Close()
	return fmt.Errorf("store/rocksdb: reopen %s: %w", d.dir, err)
}

// Close waits for calls in flight, flushes the memtables when the log is
// off, and closes the database; later calls return ErrClosed, except
// Close, which returns nil. It must not be called from a View or Range
// callback, which it would wait for.
func (d *db) Close() error {
	if !d.gate.Close() {
		return nil
	}
	return d.shut()
}

// shut flushes the memtables when the log is off (or a load runs) and
// closes the database.
func (d *db) shut() error {
	var err error
	if !d.wal || d.loading {
		fo := grocksdb.NewDefaultFlushOptions()
		fo.SetWait(true)
		if ferr := d.db.Flush(fo); ferr != nil {
			err = fmt.Errorf("store/rocksdb: flush %s before closing: %w", d.dir, ferr)
		}
		fo.Destroy()
	}
	d.db.Close()
	d.eng.destroy()
	return err
}
