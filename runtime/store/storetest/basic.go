package storetest

import (
	"bytes"
	"errors"
	"math"

	"github.com/tonga-go/tonga/runtime/store"
)

// testMissing: a fresh backend finds nothing: Get, View and Meta return
// ErrNotFound (View without calling fn), Offsets and Range are empty.
func testMissing(e *env) {
	b := e.backend()
	e.wantMissing(b, "absent")
	e.wantMissing(b, "")
	if v, err := b.Meta("absent"); !errors.Is(err, store.ErrNotFound) {
		e.t.Errorf("Meta(absent) = %q, %v; want ErrNotFound", v, err)
	}
	e.wantOffsets(b, map[int32]int64{})
	if r := e.collect(b, "", ""); len(r) != 0 {
		e.t.Errorf("Range over a fresh backend = %q, want nothing", r)
	}
}

// testSetGetDelete: Apply sets, overwrites and deletes keys, and deleting
// a missing key is no error.
func testSetGetDelete(e *env) {
	b := e.backend()
	e.set(b, "a", "1", "b", "2")
	e.wantValue(b, "a", "1")
	e.wantValue(b, "b", "2")
	e.set(b, "a", "one")
	e.wantValue(b, "a", "one")
	e.apply(b, func(batch *store.Batch) {
		batch.Delete("b")
		batch.Delete("never-set")
	})
	e.wantMissing(b, "b")
	e.wantMissing(b, "never-set")
	e.wantValue(b, "a", "one")
	e.apply(b, func(batch *store.Batch) { batch.Delete("b") })
	e.wantMissing(b, "b")
	e.set(b, "b", "back")
	e.wantValue(b, "b", "back")
}

// testOrderInBatch: operations on one key within a batch apply in order:
// the last one wins.
func testOrderInBatch(e *env) {
	b := e.backend()
	e.set(b, "deleted-then-set", "old", "set-then-deleted", "old")
	e.apply(b, func(batch *store.Batch) {
		batch.Set("twice", []byte("first"))
		batch.Set("twice", []byte("second"))
		batch.Delete("deleted-then-set")
		batch.Set("deleted-then-set", []byte("new"))
		batch.Set("set-then-deleted", []byte("new"))
		batch.Delete("set-then-deleted")
		batch.Set("fresh-then-deleted", []byte("x"))
		batch.Delete("fresh-then-deleted")
	})
	e.wantValue(b, "twice", "second")
	e.wantValue(b, "deleted-then-set", "new")
	e.wantMissing(b, "set-then-deleted")
	e.wantMissing(b, "fresh-then-deleted")
}

// testCopies: the backend keeps no reference to a batch's values or meta,
// and Get, Meta and Offsets return copies the caller may modify.
func testCopies(e *env) {
	b := e.backend()
	value, meta := []byte("value"), []byte("meta")
	batch := store.Batch{Offsets: map[int32]int64{0: 1}, Meta: map[string][]byte{"m": meta}}
	batch.Set("k", value)
	if err := b.Apply(&batch); err != nil {
		e.t.Fatal(err)
	}
	copy(value, "XXXXX")
	copy(meta, "XXXX")
	batch.Reset()
	batch.Set("other", value)
	batch.Offsets[0] = 99
	e.wantValue(b, "k", "value")
	e.wantMeta(b, "m", "meta")
	e.wantOffsets(b, map[int32]int64{0: 1})

	got, err := b.Get("k")
	if err != nil {
		e.t.Fatal(err)
	}
	copy(got, "YYYYY")
	e.wantValue(b, "k", "value")
	m, err := b.Meta("m")
	if err != nil {
		e.t.Fatal(err)
	}
	copy(m, "YYYY")
	e.wantMeta(b, "m", "meta")
	offs, err := b.Offsets()
	if err != nil {
		e.t.Fatal(err)
	}
	offs[0], offs[7] = 42, 42
	e.wantOffsets(b, map[int32]int64{0: 1})
}

// testEmptyValue: a key set to an empty or nil value is present with a
// zero-length value, unlike a missing key; so is empty metadata.
func testEmptyValue(e *env) {
	b := e.backend()
	e.apply(b, func(batch *store.Batch) {
		batch.Set("empty", []byte{})
		batch.Set("nil", nil)
		batch.Meta = map[string][]byte{"empty": {}}
	})
	e.wantValue(b, "empty", "")
	e.wantValue(b, "nil", "")
	e.wantMissing(b, "absent")
	e.wantMeta(b, "empty", "")
	if r := e.collect(b, "", ""); len(r) != 2 {
		e.t.Errorf("Range = %q, want the two empty values", r)
	}
}

// testView: View shows the stored value, large ones included, and
// returns fn's error.
func testView(e *env) {
	b := e.backend()
	large := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
	e.apply(b, func(batch *store.Batch) {
		batch.Set("small", []byte("v"))
		batch.Set("large", large)
	})
	err := b.View("large", func(v []byte) error {
		if !bytes.Equal(v, large) {
			e.t.Errorf("View(large) saw %d bytes, not the 1 MiB value written", len(v))
		}
		return nil
	})
	if err != nil {
		e.t.Errorf("View(large): %v", err)
	}
	errFn := errors.New("from fn")
	if err := b.View("small", func([]byte) error { return errFn }); !errors.Is(err, errFn) {
		e.t.Errorf("View with a failing fn = %v, want fn's error", err)
	}
}

// testKeySpaces: offsets and metadata live apart from the keys: user keys
// shaped like an engine's internal ones, or equal to metadata keys, are
// plain keys, and Range reports only user keys.
func testKeySpaces(e *env) {
	b := e.backend()
	keys := []string{"", "\x00", "\x01", "changelog", "d", "m", "mchangelog", "o", "o\x00\x00\x00\x00", "\xff", "\xff\xff"}
	e.apply(b, func(batch *store.Batch) {
		for _, k := range keys {
			batch.Set(k, []byte("user:"+k))
		}
		batch.Offsets = map[int32]int64{0: 5, 1: 6}
		batch.Meta = map[string][]byte{"changelog": []byte("meta"), "": []byte("empty-name")}
	})
	got := e.collect(b, "", "")
	if len(got) != len(keys) {
		e.t.Fatalf("Range = %q, want exactly the %d user keys", got, len(keys))
	}
	for _, k := range keys {
		e.wantValue(b, k, "user:"+k)
	}
	e.wantMeta(b, "changelog", "meta")
	e.wantMeta(b, "", "empty-name")
	e.wantOffsets(b, map[int32]int64{0: 5, 1: 6})
	e.apply(b, func(batch *store.Batch) {
		for _, k := range keys {
			batch.Delete(k)
		}
	})
	e.wantMeta(b, "changelog", "meta")
	e.wantOffsets(b, map[int32]int64{0: 5, 1: 6})
}

// testAtomic: one batch of operations, offsets and metadata is visible
// whole once Apply returns.
func testAtomic(e *env) {
	b := e.backend()
	e.set(b, "gone", "x")
	e.apply(b, func(batch *store.Batch) {
		batch.Set("a", []byte("1"))
		batch.Set("b", []byte("2"))
		batch.Delete("gone")
		batch.Offsets = map[int32]int64{0: 10, 3: 30}
		batch.Meta = map[string][]byte{"changelog": []byte("topic-a")}
	})
	wantAtomic(e, b)
}

func wantAtomic(e *env, b store.Backend) {
	e.t.Helper()
	e.wantValue(b, "a", "1")
	e.wantValue(b, "b", "2")
	e.wantMissing(b, "gone")
	e.wantOffsets(b, map[int32]int64{0: 10, 3: 30})
	e.wantMeta(b, "changelog", "topic-a")
}

// testOffsets: each batch's offsets replace those of their partitions and
// keep the others; a batch without offsets keeps them all. Any int32
// partition and int64 offset round-trips.
func testOffsets(e *env) {
	b := e.backend()
	e.apply(b, func(batch *store.Batch) { batch.Offsets = map[int32]int64{0: 10, 1: 20} })
	e.apply(b, func(batch *store.Batch) { batch.Offsets = map[int32]int64{1: 25} })
	e.apply(b, func(batch *store.Batch) { batch.Offsets = map[int32]int64{2: 5} })
	e.set(b, "k", "v")
	e.wantOffsets(b, map[int32]int64{0: 10, 1: 25, 2: 5})
	extremes := map[int32]int64{0: 0, math.MaxInt32: math.MaxInt64, -1: -1, 1 << 20: 1 << 40}
	e.apply(b, func(batch *store.Batch) { batch.Offsets = extremes })
	e.wantOffsets(b, map[int32]int64{0: 0, 1: 25, 2: 5, math.MaxInt32: math.MaxInt64, -1: -1, 1 << 20: 1 << 40})
}

// testMeta: metadata values are set and overwritten per key, the others
// kept; keys and values may hold any bytes.
func testMeta(e *env) {
	b := e.backend()
	e.apply(b, func(batch *store.Batch) {
		batch.Meta = map[string][]byte{"changelog": []byte("t1"), "format": []byte("1"), "bin\x00\xff": {0, 0xff}}
	})
	e.apply(b, func(batch *store.Batch) { batch.Meta = map[string][]byte{"changelog": []byte("t2")} })
	e.wantMeta(b, "changelog", "t2")
	e.wantMeta(b, "format", "1")
	e.wantMeta(b, "bin\x00\xff", "\x00\xff")
	if v, err := b.Meta("bin"); !errors.Is(err, store.ErrNotFound) {
		e.t.Errorf("Meta(bin) = %q, %v; want ErrNotFound", v, err)
	}
}

// testClear: Clear removes every key, offset and metadata value, and the
// backend takes writes again afterwards.
func testClear(e *env) {
	b := e.backend()
	e.apply(b, func(batch *store.Batch) {
		for _, k := range []string{"", "a", "b", "\xff"} {
			batch.Set(k, []byte("v"))
		}
		batch.Offsets = map[int32]int64{0: 7}
		batch.Meta = map[string][]byte{"changelog": []byte("t")}
	})
	if err := b.Clear(); err != nil {
		e.t.Fatalf("Clear: %v", err)
	}
	wantCleared(e, b)
	e.apply(b, func(batch *store.Batch) {
		batch.Set("after", []byte("v"))
		batch.Offsets = map[int32]int64{1: 1}
	})
	e.wantValue(b, "after", "v")
	e.wantOffsets(b, map[int32]int64{1: 1})
	if r := e.collect(b, "", ""); len(r) != 1 {
		e.t.Errorf("Range after Clear and a write = %q, want just after", r)
	}
}

func wantCleared(e *env, b store.Backend) {
	e.t.Helper()
	e.wantMissing(b, "a")
	e.wantMissing(b, "")
	if r := e.collect(b, "", ""); len(r) != 0 {
		e.t.Errorf("Range after Clear = %q, want nothing", r)
	}
	e.wantOffsets(b, map[int32]int64{})
	if v, err := b.Meta("changelog"); !errors.Is(err, store.ErrNotFound) {
		e.t.Errorf("Meta after Clear = %q, %v; want ErrNotFound", v, err)
	}
}

// testClose: after Close every method returns ErrClosed, and Close again
// returns nil.
func testClose(e *env) {
	b := e.backend()
	e.set(b, "k", "v")
	if err := b.Close(); err != nil {
		e.t.Fatalf("Close: %v", err)
	}
	if err := b.Close(); err != nil {
		e.t.Errorf("Close again: %v", err)
	}
	var batch store.Batch
	batch.Set("k", []byte("w"))
	_, getErr := b.Get("k")
	_, metaErr := b.Meta("m")
	_, offsetsErr := b.Offsets()
	checks := []struct {
		name string
		err  error
	}{
		{"Get", getErr},
		{"View", b.View("k", func([]byte) error { return nil })},
		{"Range", b.Range("", "", func(string, []byte) bool { return true })},
		{"Apply", b.Apply(&batch)},
		{"Offsets", offsetsErr},
		{"Meta", metaErr},
		{"Clear", b.Clear()},
	}
	for _, c := range checks {
		if !errors.Is(c.err, store.ErrClosed) {
			e.t.Errorf("%s after Close = %v, want ErrClosed", c.name, c.err)
		}
	}
}
