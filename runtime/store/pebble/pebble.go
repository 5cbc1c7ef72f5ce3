package pebble

import (
	"errors"
	"fmt"

	pebbledb "github.com/cockroachdb/pebble"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/internal/kv"
)

// db is a store.Backend on a Pebble database.
type db struct {
	db    *pebbledb.DB
	lock  *pebbledb.Lock
	dir   string
	cfg   config
	write *pebbledb.WriteOptions
	gate  *kv.Gate
	// loading is set between BeginLoad and EndLoad, which run alone.
	loading bool
}

// Open opens or creates the Pebble database in dir. An error matching
// [store.ErrCorrupt] means dir holds data that cannot be read (a damaged
// CURRENT or MANIFEST file, a missing table, one truncated, zeroed or
// overwritten in place, another layout version) and may be removed and
// rebuilt from the changelog. Any other error means the directory must be
// left alone: it is open in another process (or this one), or the file
// system refuses it.
func Open(dir string, opts ...Option) (store.Backend, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		opt(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	pdb, lock, err := openDB(dir, &cfg)
	if err != nil {
		return nil, err
	}
	d := &db{db: pdb, lock: lock, dir: dir, cfg: cfg, write: pebbledb.NoSync, gate: kv.NewGate()}
	if cfg.sync {
		d.write = pebbledb.Sync
	}
	if err := d.checkFormat(); err != nil {
		_ = pdb.Close()
		_ = lock.Close()
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
		if err := d.db.Set([]byte(kv.FormatKey), []byte(kv.FormatVersion), pebbledb.Sync); err != nil {
			return d.wrap("write the layout version", err)
		}
		return nil
	case err != nil:
		return err
	case v != kv.FormatVersion:
		return fmt.Errorf("store/pebble: %s has layout version %q, not %q: %w", d.dir, v, kv.FormatVersion, store.ErrCorrupt)
	}
	return nil
}

// wrap describes an engine error, marking corruption with ErrCorrupt.
func (d *db) wrap(what string, err error) error {
	if pebbledb.IsCorruptionError(err) {
		return fmt.Errorf("store/pebble: %s in %s: %w: %w", what, d.dir, store.ErrCorrupt, err)
	}
	return fmt.Errorf("store/pebble: %s in %s: %w", what, d.dir, err)
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

func (d *db) view(key []byte, fn func([]byte) error) error {
	v, closer, err := d.db.Get(key)
	switch {
	case errors.Is(err, pebbledb.ErrNotFound):
		return store.ErrNotFound
	case err != nil:
		return d.wrap("get", err)
	}
	err = fn(v)
	if cerr := closer.Close(); cerr != nil && err == nil {
		err = d.wrap("get", cerr)
	}
	return err
}

func (d *db) Range(start, end string, fn func(key string, value []byte) bool) error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	if end != "" && start >= end {
		return nil
	}
	opts := &pebbledb.IterOptions{LowerBound: kv.Prefixed(kv.DataPrefix, start), UpperBound: kv.PrefixEnd(kv.DataPrefix)}
	if end != "" {
		opts.UpperBound = kv.Prefixed(kv.DataPrefix, end)
	}
	return d.iterate(opts, func(k, v []byte) bool { return fn(string(k[1:]), v) })
}

// iterate calls fn for each entry within opts' bounds until it returns
// false.
func (d *db) iterate(opts *pebbledb.IterOptions, fn func(k, v []byte) bool) (err error) {
	it, err := d.db.NewIter(opts)
	if err != nil {
		return d.wrap("iterate", err)
	}
	defer func() {
		if cerr := it.Close(); cerr != nil && err == nil {
			err = d.wrap("iterate", cerr)
		}
	}()
	for ok := it.First(); ok; ok = it.Next() {
		v, verr := it.ValueAndErr()
		if verr != nil {
			return d.wrap("iterate", verr)
		}
		if !fn(it.Key(), v) {
			return nil
		}
	}
	if err := it.Error(); err != nil {
		return d.wrap("iterate", err)
	}
	return nil
}

// Apply commits b as one Pebble batch: its operations, offsets and
// metadata reach the log together or not at all.
func (d *db) Apply(b *store.Batch) error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	batch := d.db.NewBatch()
	defer func() { _ = batch.Close() }()
	for _, op := range b.Ops {
		if op.Delete {
			del := batch.DeleteDeferred(1 + len(op.Key))
			del.Key[0] = kv.DataPrefix
			copy(del.Key[1:], op.Key)
			if err := del.Finish(); err != nil {
				return d.wrap("batch", err)
			}
			continue
		}
		set := batch.SetDeferred(1+len(op.Key), len(op.Value))
		set.Key[0] = kv.DataPrefix
		copy(set.Key[1:], op.Key)
		copy(set.Value, op.Value)
		if err := set.Finish(); err != nil {
			return d.wrap("batch", err)
		}
	}
	for p, o := range b.Offsets {
		if err := batch.Set(kv.OffsetKey(p), kv.OffsetValue(o), nil); err != nil {
			return d.wrap("batch", err)
		}
	}
	for k, v := range b.Meta {
		if err := batch.Set(kv.Prefixed(kv.MetaPrefix, k), v, nil); err != nil {
			return d.wrap("batch", err)
		}
	}
	if err := batch.Commit(d.write); err != nil {
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
	opts := &pebbledb.IterOptions{LowerBound: []byte{kv.OffsetPrefix}, UpperBound: kv.PrefixEnd(kv.OffsetPrefix)}
	err := d.iterate(opts, func(k, v []byte) bool {
		p, o, err := kv.DecodeOffset("pebble", k, v)
		if err != nil {
			derr = err
			return false
		}
		out[p] = o
		return true
	})
	if err := errors.Join(err, derr); err != nil {
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
	batch := d.db.NewBatch()
	defer func() { _ = batch.Close() }()
	for _, p := range []byte{kv.DataPrefix, kv.MetaPrefix, kv.OffsetPrefix} {
		if err := batch.DeleteRange([]byte{p}, kv.PrefixEnd(p), nil); err != nil {
			return d.wrap("clear", err)
		}
	}
	if err := batch.Commit(d.write); err != nil {
		return d.wrap("clear", err)
	}
	return nil
}

// Compact flushes the memtable and compacts the whole database, as
// storetest's benchmarks do before measuring reads (see
// storetest.Compacter).
func (d *db) Compact() error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	defer d.gate.Leave()
	if err := d.db.Compact([]byte{0}, []byte{0xff}, true); err != nil {
		return d.wrap("compact", err)
	}
	return nil
}

// BeginLoad implements [store.Loader]: it reopens the database with its
// write-ahead log off and its compactions deferred until L0 holds 48
// tables (a rebuild of a few hundred MiB runs none), so that a rebuild
// writes each record once, to a table. That is safe: a batch is in one
// memtable, with its offsets, and a memtable is flushed whole, so a crash
// loses the batches since the last flush and the next rebuild resumes from
// the offsets flushed with the data. It must not run beside other calls.
func (d *db) BeginLoad() error {
	if d.loading {
		return nil
	}
	if err := d.reopen(true); err != nil {
		return err
	}
	d.loading, d.write = true, pebbledb.NoSync // no log to sync
	return nil
}

// EndLoad implements [store.Loader]: it flushes the memtables to tables,
// synced, and reopens the database with its usual settings; the deferred
// compactions then run in the background. It must not run beside other
// calls.
func (d *db) EndLoad() error {
	if !d.loading {
		return nil
	}
	if err := d.db.Flush(); err != nil {
		return d.wrap("flush the load", err)
	}
	d.loading = false
	if d.cfg.sync {
		d.write = pebbledb.Sync
	}
	return d.reopen(false)
}

// reopen closes the database and opens it again, with the loading
// settings or without. If it cannot, the backend is closed: later calls
// return ErrClosed.
func (d *db) reopen(load bool) error {
	if !d.gate.Enter() {
		return store.ErrClosed
	}
	d.gate.Leave() // nothing runs beside a reopen
	err := d.db.Close()
	if err == nil {
		var pdb *pebbledb.DB
		if pdb, err = openLocked(d.dir, &d.cfg, d.lock, load); err == nil {
			d.db = pdb
			return nil
		}
		err = openError(d.dir, err, true)
	}
	d.gate.Close()
	return errors.Join(fmt.Errorf("store/pebble: reopen %s: %w", d.dir, err), d.lock.Close())
}

// Close waits for calls in flight, flushes the memtables if a load did not
// end, and closes the database; later calls return ErrClosed, except
// Close, which returns nil. It must not be called from a View or Range
// callback, which it would wait for.
func (d *db) Close() error {
	if !d.gate.Close() {
		return nil
	}
	var err error
	if d.loading {
		err = d.db.Flush()
	}
	err = errors.Join(err, d.db.Close())
	if lerr := d.lock.Close(); err == nil {
		err = lerr
	}
	if err != nil {
		return fmt.Errorf("store/pebble: close %s: %w", d.dir, err)
	}
	return nil
}

var (
	_ store.Backend = (*db)(nil)
	_ store.Loader  = (*db)(nil)
)
