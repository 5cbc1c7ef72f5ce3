package storetest

import (
	"bytes"
	"errors"
	"maps"
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
)

// Open opens the backend under test on dir, failing t if it cannot. The
// suite calls it with a fresh directory per test, and again on the same
// directory after closing the first backend in the Persistent group. It
// closes every backend it opens.
type Open func(t *testing.T, dir string) store.Backend

// Options says what the backend under test promises beyond the
// [store.Backend] interface.
type Options struct {
	// Persistent adds the Persistent group: data, offsets and metadata
	// written before Close are there after opening the directory again.
	Persistent bool
}

// test is one conformance check.
type test struct {
	name string
	run  func(e *env)
}

// core holds the tests every backend runs; persistent, those that reopen
// a directory, run with Options.Persistent.
var (
	core = []test{
		{"Missing", testMissing},
		{"SetGetDelete", testSetGetDelete},
		{"OrderInBatch", testOrderInBatch},
		{"Copies", testCopies},
		{"EmptyValue", testEmptyValue},
		{"View", testView},
		{"Range", testRange},
		{"RangeStop", testRangeStop},
		{"RangeReentrant", testRangeReentrant},
		{"RangeDeleted", testRangeDeleted},
		{"KeySpaces", testKeySpaces},
		{"Atomic", testAtomic},
		{"Offsets", testOffsets},
		{"Meta", testMeta},
		{"Clear", testClear},
		{"Close", testClose},
		{"LargeBatch", testLargeBatch},
		{"Concurrent", testConcurrent},
	}
	persistent = []test{
		{"Reopen", testReopen},
		{"ReopenAtomic", testReopenAtomic},
		{"ReopenClear", testReopenClear},
		{"ReopenLargeBatch", testReopenLargeBatch},
		{"ReopenRepeatedly", testReopenRepeatedly},
		{"Load", testLoad},
		{"LoadClosed", testLoadClosed},
	}
)

// RunBackend runs the conformance suite against the backend open opens,
// as parallel subtests named Core/<test> and, with opts.Persistent,
// Persistent/<test>.
func RunBackend(t *testing.T, open Open, opts Options) {
	t.Helper()
	type group struct {
		name  string
		tests []test
	}
	groups := []group{{"Core", core}}
	if opts.Persistent {
		groups = append(groups, group{"Persistent", persistent})
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, tt := range g.tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					tt.run(&env{t: t, open: open, dir: t.TempDir()})
				})
			}
		})
	}
}

// env is one test's world: its directory and the backend open on it.
type env struct {
	t    *testing.T
	open Open
	dir  string
}

// backend opens the test's directory; the backend is closed when the test
// ends.
func (e *env) backend() store.Backend {
	e.t.Helper()
	b := e.open(e.t, e.dir)
	e.t.Cleanup(func() {
		if err := b.Close(); err != nil {
			e.t.Errorf("Close at cleanup: %v", err)
		}
	})
	return b
}

// reopen closes b and opens the directory again.
func (e *env) reopen(b store.Backend) store.Backend {
	e.t.Helper()
	if err := b.Close(); err != nil {
		e.t.Fatalf("Close: %v", err)
	}
	return e.backend()
}

// apply applies a batch built by fill.
func (e *env) apply(b store.Backend, fill func(*store.Batch)) {
	e.t.Helper()
	var batch store.Batch
	fill(&batch)
	if err := b.Apply(&batch); err != nil {
		e.t.Fatalf("Apply: %v", err)
	}
}

// set applies one batch setting key to value for each pair.
func (e *env) set(b store.Backend, kv ...string) {
	e.t.Helper()
	e.apply(b, func(batch *store.Batch) {
		for i := 0; i+1 < len(kv); i += 2 {
			batch.Set(kv[i], []byte(kv[i+1]))
		}
	})
}

// wantValue checks Get, View and a one-key Range of key.
func (e *env) wantValue(b store.Backend, key, want string) {
	e.t.Helper()
	got, err := b.Get(key)
	if err != nil || string(got) != want {
		e.t.Errorf("Get(%q) = %q, %v; want %q", key, got, err, want)
	}
	var viewed []byte
	called := false
	err = b.View(key, func(v []byte) error {
		called, viewed = true, bytes.Clone(v)
		return nil
	})
	if err != nil || !called || string(viewed) != want {
		e.t.Errorf("View(%q) saw %q (called %v), %v; want %q", key, viewed, called, err, want)
	}
	ranged := e.collect(b, key, key+"\x00")
	if len(ranged) != 1 || ranged[0].key != key || ranged[0].value != want {
		e.t.Errorf("Range(%q, %q) = %q; want just %q=%q", key, key+"\x00", ranged, key, want)
	}
}

// wantMissing checks that Get, View and Range do not find key.
func (e *env) wantMissing(b store.Backend, key string) {
	e.t.Helper()
	if v, err := b.Get(key); !errors.Is(err, store.ErrNotFound) {
		e.t.Errorf("Get(%q) = %q, %v; want ErrNotFound", key, v, err)
	}
	called := false
	err := b.View(key, func([]byte) error { called = true; return nil })
	if !errors.Is(err, store.ErrNotFound) || called {
		e.t.Errorf("View(%q) = %v (fn called %v); want ErrNotFound without calling fn", key, err, called)
	}
	if r := e.collect(b, key, key+"\x00"); len(r) != 0 {
		e.t.Errorf("Range(%q, %q) = %q; want nothing", key, key+"\x00", r)
	}
}

// kv is one key-value pair Range reported.
type kv struct{ key, value string }

// collect returns every pair Range reports in [start, end).
func (e *env) collect(b store.Backend, start, end string) []kv {
	e.t.Helper()
	var out []kv
	err := b.Range(start, end, func(k string, v []byte) bool {
		out = append(out, kv{k, string(v)})
		return true
	})
	if err != nil {
		e.t.Fatalf("Range(%q, %q): %v", start, end, err)
	}
	return out
}

// wantOffsets checks Offsets.
func (e *env) wantOffsets(b store.Backend, want map[int32]int64) {
	e.t.Helper()
	got, err := b.Offsets()
	if err != nil {
		e.t.Fatalf("Offsets: %v", err)
	}
	if !maps.Equal(got, want) {
		e.t.Errorf("Offsets = %v, want %v", got, want)
	}
}

// wantMeta checks Meta of key.
func (e *env) wantMeta(b store.Backend, key, want string) {
	e.t.Helper()
	got, err := b.Meta(key)
	if err != nil || string(got) != want {
		e.t.Errorf("Meta(%q) = %q, %v; want %q", key, got, err, want)
	}
}
