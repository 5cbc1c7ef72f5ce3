package store

import (
	"slices"
	"sync"
	"unsafe"
)

// NewMemory returns a Backend that keeps its data in memory: the default,
// rebuilt from the beginning of the changelog at every start.
//
// The data is a Go map guarded by a RWMutex, so Get, View and Apply cost a
// map access each. Range needs key order, which a map does not keep: the
// backend builds a sorted index of the keys on the first Range after
// keys were added or removed (overwriting a key keeps the index), by
// merging the few keys added since the last Range or, when many were, by
// sorting them all. A store that is written and never ranged over pays
// nothing for Range; one that ranges after every batch pays a linear
// merge.
//
// Values are copied in Apply and never modified afterwards, so View and
// Range hand out the stored slices; their callbacks must not modify them.
// Range reads the index in chunks and calls fn without holding the lock,
// so fn may call the backend (Get, even Apply). A Range beside an Apply
// is therefore no snapshot: each chunk sees a batch whole or not at all,
// but a later chunk may see a batch an earlier one did not. Offsets and
// metadata live in maps of their own, apart from the keys. A rebuild packs
// the keys and values it loads into shared blocks (see applyRebuild).
func NewMemory() Backend {
	return &memory{
		data:    map[string][]byte{},
		offsets: map[int32]int64{},
		meta:    map[string][]byte{},
	}
}

type memory struct {
	mu      sync.RWMutex
	data    map[string][]byte
	offsets map[int32]int64
	meta    map[string][]byte
	closed  bool

	// keys is the sorted index Range reads. It is exact when added is
	// empty, removed is zero and stale is false; otherwise the next Range
	// repairs it first.
	keys    []string
	added   []string // keys inserted since keys was built, in write order
	removed int      // keys deleted since keys was built
	stale   bool     // too many inserts to track: rebuild keys from data

	block []byte // where applyRebuild packs the next new entries
}

// Range reads entries under the lock in chunks, from firstChunk doubling
// up to maxChunk: a short range reads little more than it needs, a long
// one takes the lock rarely.
const (
	firstChunk = 16
	maxChunk   = 256
)

// minTracked bounds the inserts the index tracks between two Ranges: up
// to max(minTracked, len(keys)); past that, the next Range sorts all the
// keys again, which then costs no more than merging.
const minTracked = 4096

func (m *memory) Get(key string) ([]byte, error) {
	m.mu.RLock()
	v, ok := m.data[key]
	closed := m.closed
	m.mu.RUnlock()
	switch {
	case closed:
		return nil, ErrClosed
	case !ok:
		return nil, ErrNotFound
	}
	return append(make([]byte, 0, len(v)), v...), nil
}

func (m *memory) View(key string, fn func(value []byte) error) error {
	m.mu.RLock()
	v, ok := m.data[key]
	closed := m.closed
	m.mu.RUnlock()
	switch {
	case closed:
		return ErrClosed
	case !ok:
		return ErrNotFound
	}
	// Stored values are never modified, so fn may read v without the lock.
	return fn(v)
}

type entry struct {
	key   string
	value []byte
}

func (m *memory) Range(start, end string, fn func(key string, value []byte) bool) error {
	if end != "" && start >= end {
		return m.checkOpen()
	}
	var buf []entry
	from, inclusive := start, true
	for size := firstChunk; ; size = min(2*size, maxChunk) {
		var err error
		buf, err = m.chunk(slices.Grow(buf[:0], size), size, from, inclusive, end)
		if err != nil {
			return err
		}
		for _, e := range buf {
			if !fn(e.key, e.value) {
				return nil
			}
		}
		if len(buf) < size {
			return nil
		}
		from, inclusive = buf[len(buf)-1].key, false
	}
}

func (m *memory) checkOpen() error {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return ErrClosed
	}
	return nil
}

// chunk appends to buf up to size entries with keys from from (inclusive
// or not) up to end (exclusive; "" for no bound), repairing the index
// first if writes changed the key set.
func (m *memory) chunk(buf []entry, size int, from string, inclusive bool, end string) ([]entry, error) {
	m.mu.RLock()
	if m.dirty() {
		m.mu.RUnlock()
		m.mu.Lock()
		defer m.mu.Unlock()
		m.reindex()
	} else {
		defer m.mu.RUnlock()
	}
	if m.closed {
		return buf, ErrClosed
	}
	i, found := slices.BinarySearch(m.keys, from)
	if found && !inclusive {
		i++
	}
	for _, k := range m.keys[i:] {
		if len(buf) == size || (end != "" && k >= end) {
			break
		}
		buf = append(buf, entry{k, m.data[k]})
	}
	return buf, nil
}

func (m *memory) dirty() bool { return m.stale || m.removed > 0 || len(m.added) > 0 }

// reindex makes keys exact again; m.mu is held for writing.
func (m *memory) reindex() {
	switch {
	case m.closed || !m.dirty():
		return
	case m.stale:
		m.keys = m.keys[:0]
		for k := range m.data {
			m.keys = append(m.keys, k)
		}
		slices.Sort(m.keys)
	default:
		m.merge()
	}
	m.added, m.removed, m.stale = m.added[:0], 0, false
}

// merge drops deleted keys from the index and merges the added ones in,
// in time linear in the store's size.
func (m *memory) merge() {
	if m.removed > 0 {
		m.keys = slices.DeleteFunc(m.keys, func(k string) bool {
			_, ok := m.data[k]
			return !ok
		})
	}
	// An added key may have been deleted again since, or have been
	// deleted and re-added while still in the index.
	slices.Sort(m.added)
	add := slices.Compact(m.added)
	add = slices.DeleteFunc(add, func(k string) bool {
		if _, ok := m.data[k]; !ok {
			return true
		}
		_, found := slices.BinarySearch(m.keys, k)
		return found
	})
	// Merge from the back, in place: keys and add are disjoint.
	n := len(m.keys)
	m.keys = slices.Grow(m.keys, len(add))[:n+len(add)]
	i, j := n-1, len(add)-1
	for w := len(m.keys) - 1; j >= 0; w-- {
		if i >= 0 && m.keys[i] > add[j] {
			m.keys[w] = m.keys[i]
			i--
		} else {
			m.keys[w] = add[j]
			j--
		}
	}
}

func (m *memory) Apply(b *Batch) error {
	return m.apply(b, func(op Op) {
		n := len(m.data)
		m.data[op.Key] = append(make([]byte, 0, len(op.Value)), op.Value...)
		if len(m.data) > n {
			m.track(op.Key)
		}
	})
}

// applyRebuild applies a rebuild's batch, whose keys, like its values, point into
// the records the rebuild fetched: it copies both (see load).
func (m *memory) applyRebuild(b *Batch) error { return m.apply(b, m.load) }

// apply writes b under the lock: its deletes, its sets through set, its
// offsets and metadata.
func (m *memory) apply(b *Batch, set func(Op)) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	for _, op := range b.Ops {
		if op.Delete {
			m.delete(op.Key)
			continue
		}
		set(op)
	}
	m.applyRest(b)
	return nil
}

// load sets a key of a rebuild. A key new to the store is packed with its
// value into the current block of loadBlock bytes, so that a rebuild
// allocates one object per block rather than two per key, and the garbage
// collector marks a few blocks rather than every key and value. A block
// lives as long as one of its keys is in the store (a value overwritten
// later leaves its first copy in the block), so the blocks cost at most
// the size of the data the rebuild loaded, once. A key the rebuild meets
// again (a changelog not compacted yet) gets an allocation of its own, so
// that the blocks hold only first entries.
func (m *memory) load(op Op) {
	// Packed first, so that a new key costs one map access.
	n := len(m.data)
	key, v, packed := m.pack(op.Key, op.Value)
	m.data[key] = v
	if len(m.data) > n {
		m.track(key)
		return
	}
	if !packed {
		return
	}
	// An overwrite: the entry moves to an allocation of its own, and the
	// block takes back the packed copy, last in it, once the map lets go
	// of it.
	delete(m.data, key)
	key, v = entryOf(make([]byte, 0, len(op.Key)+len(op.Value)), op.Key, op.Value)
	m.data[key] = v
	m.block = m.block[:len(m.block)-len(op.Key)-len(op.Value)]
}

// loadBlock is the size of the blocks applyRebuild packs entries in; an entry
// larger than an eighth of it gets an allocation of its own.
const loadBlock = 64 << 10

// pack copies key and value to the end of the current block, or to an
// allocation of their own when they are large; packed says which.
func (m *memory) pack(key string, value []byte) (_ string, _ []byte, packed bool) {
	n := len(key) + len(value)
	if n > loadBlock/8 {
		k, v := entryOf(make([]byte, 0, n), key, value)
		return k, v, false
	}
	if cap(m.block)-len(m.block) < n {
		m.block = make([]byte, 0, loadBlock)
	}
	at := len(m.block)
	k, v := entryOf(m.block[at:at:at+n], key, value)
	m.block = m.block[:at+n]
	return k, v, true
}

// entryOf appends key and value to buf, which has room for both, and
// returns the copies: the key a string over buf's bytes, which nothing
// modifies afterwards.
func entryOf(buf []byte, key string, value []byte) (string, []byte) {
	buf = append(append(buf, key...), value...)
	v := buf[len(key):len(buf):len(buf)]
	if len(key) == 0 {
		return "", v
	}
	return unsafe.String(unsafe.SliceData(buf), len(key)), v
}

func (m *memory) delete(key string) {
	n := len(m.data)
	delete(m.data, key)
	if len(m.data) < n {
		m.removed++
	}
}

// applyRest writes b's offsets and metadata.
func (m *memory) applyRest(b *Batch) {
	for p, o := range b.Offsets {
		m.offsets[p] = o
	}
	for k, v := range b.Meta {
		m.meta[k] = append(make([]byte, 0, len(v)), v...)
	}
}

// Grow makes room for n keys in an empty store, ahead of a rebuild that
// will apply about that many records (a compacted changelog holds about
// one per key): the map does not grow, and rehash, twenty times over on
// the way to a million keys. Capped, so that a changelog not compacted
// yet does not reserve room for all its records.
func (m *memory) Grow(n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.data) == 0 && !m.closed && n > 0 {
		m.data = make(map[string][]byte, min(n, maxGrow))
	}
}

const maxGrow = 1 << 22

// track records an inserted key for the index, or gives up on the index
// when inserts outnumber the keys it holds.
func (m *memory) track(key string) {
	if m.stale {
		return
	}
	if len(m.added) >= max(minTracked, len(m.keys)) {
		m.stale, m.added = true, nil
		return
	}
	m.added = append(m.added, key)
}

func (m *memory) Offsets() (map[int32]int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	out := make(map[int32]int64, len(m.offsets))
	for p, o := range m.offsets {
		out[p] = o
	}
	return out, nil
}

func (m *memory) Meta(key string) ([]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}
	v, ok := m.meta[key]
	if !ok {
		return nil, ErrNotFound
	}
	return append(make([]byte, 0, len(v)), v...), nil
}

func (m *memory) Clear() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	m.data, m.offsets, m.meta = map[string][]byte{}, map[int32]int64{}, map[string][]byte{}
	m.keys, m.added, m.removed, m.stale, m.block = nil, nil, 0, false, nil
	return nil
}

// Close drops the data; later calls return ErrClosed, except Close.
func (m *memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.data, m.offsets, m.meta, m.keys, m.added, m.block = nil, nil, nil, nil, nil, nil
	return nil
}
