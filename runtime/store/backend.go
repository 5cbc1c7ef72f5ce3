package store

import "errors"

// ErrNotFound is returned for a key the store does not hold.
var ErrNotFound = errors.New("store: not found")

// Backend is the key-value engine under a store: memory, Pebble or
// RocksDB. A backend holds one store's data and, written atomically with
// it, the changelog offsets the data reflects, so a persistent store
// resumes its rebuild where it stopped.
//
// Reads may run concurrently with each other and with Apply; Apply calls
// are serialised by the caller.
type Backend interface {
	// Get returns a copy of the value of key, or ErrNotFound.
	Get(key string) ([]byte, error)
	// View calls fn with the value of key without copying it where the
	// engine allows; value is valid only during fn. ErrNotFound when the
	// key is absent (fn is not called).
	View(key string, fn func(value []byte) error) error
	// Range calls fn for each key in [start, end) in key order, stopping
	// when fn returns false; an empty end means no upper bound. value is
	// valid only during fn.
	Range(start, end string, fn func(key string, value []byte) bool) error
	// Apply writes b atomically: all of its operations, metadata and
	// offsets, or none. It copies what it keeps of b's values: the caller
	// may reuse them once Apply returns.
	Apply(b *Batch) error
	// Offsets returns the changelog offsets last applied: per changelog
	// partition, the next offset to read.
	Offsets() (map[int32]int64, error)
	// Meta returns a metadata value written by Apply, or ErrNotFound.
	Meta(key string) ([]byte, error)
	// Clear removes every key, offset and metadata value.
	Clear() error
	// Close releases the backend.
	Close() error
}

// Loader is implemented by backends with settings of their own for a
// rebuild, which applies many large batches that nothing reads until it
// ends. The rebuild calls BeginLoad before its first batch and EndLoad
// once it caught up (or failed), before the store serves; in between it
// calls nothing but Apply, whose batches' keys, like their values, point
// into the records it fetched: Apply copies what it keeps of both.
type Loader interface {
	// BeginLoad switches the backend to its loading settings. A crash
	// during the load may lose the batches since the last one made
	// durable, never part of one: the backend keeps a batch's offsets
	// with its data, so the next rebuild resumes from its checkpoint.
	BeginLoad() error
	// EndLoad makes every batch applied since BeginLoad durable and
	// switches the backend back to its usual settings.
	EndLoad() error
}

// Batch is a set of writes applied atomically.
type Batch struct {
	Ops []Op
	// Offsets, when set, replace the stored offsets of their partitions.
	Offsets map[int32]int64
	// Meta values are stored beside the data (the changelog's identity).
	Meta map[string][]byte
}

// Op is one write: a set, or a delete when Delete is true.
type Op struct {
	Key    string
	Value  []byte
	Delete bool
}

// Set adds a set of key to b.
func (b *Batch) Set(key string, value []byte) { b.Ops = append(b.Ops, Op{Key: key, Value: value}) }

// Delete adds a delete of key to b.
func (b *Batch) Delete(key string) { b.Ops = append(b.Ops, Op{Key: key, Delete: true}) }

// Len reports how many operations b holds.
func (b *Batch) Len() int { return len(b.Ops) }

// Reset empties b for reuse.
func (b *Batch) Reset() {
	b.Ops = b.Ops[:0]
	clear(b.Offsets)
	clear(b.Meta)
}
