package storetest

import (
	"fmt"
	"unsafe"

	"github.com/tonga-go/tonga/runtime/store"
)

// loader returns b as a store.Loader, or skips the test.
func (e *env) loader(b store.Backend) store.Loader {
	e.t.Helper()
	l, ok := b.(store.Loader)
	if !ok {
		e.t.Skip("the backend is not a store.Loader")
	}
	return l
}

// load applies n keys in batches of 100 between BeginLoad and EndLoad (or
// until Close, without end), each batch with its offset, with keys and
// values that alias a buffer overwritten after each Apply, as a rebuild's
// do.
func (e *env) load(b store.Backend, n int, end bool) {
	e.t.Helper()
	l := e.loader(b)
	if err := l.BeginLoad(); err != nil {
		e.t.Fatalf("BeginLoad: %v", err)
	}
	var buf []byte
	var batch store.Batch
	for i := 0; i < n; {
		batch.Reset()
		buf = buf[:0]
		for ; batch.Len() < 100 && i < n; i++ {
			k, v := loadKey(i), loadValue(i)
			at := len(buf)
			buf = append(append(buf, k...), v...)
			batch.Ops = append(batch.Ops, store.Op{Key: unsafe.String(&buf[at], len(k)), Value: buf[at+len(k):]})
		}
		batch.Offsets = map[int32]int64{0: int64(i)}
		if err := b.Apply(&batch); err != nil {
			e.t.Fatalf("Apply while loading: %v", err)
		}
		clear(buf)
	}
	if !end {
		return
	}
	if err := l.EndLoad(); err != nil {
		e.t.Fatalf("EndLoad: %v", err)
	}
}

func loadKey(i int) string   { return fmt.Sprintf("load/%06d", i) }
func loadValue(i int) string { return fmt.Sprintf("value %d", i) }

// wantLoaded checks the n keys load wrote, and its last offset.
func (e *env) wantLoaded(b store.Backend, n int) {
	e.t.Helper()
	for _, i := range []int{0, n / 2, n - 1} {
		e.wantValue(b, loadKey(i), loadValue(i))
	}
	if got := e.collect(b, "load/", "load0"); len(got) != n {
		e.t.Errorf("Range after the load = %d keys, want %d", len(got), n)
	}
	e.wantOffsets(b, map[int32]int64{0: int64(n)})
}

// testLoad: a Loader's load, ended, is there at once and after reopening,
// and the backend takes ordinary writes after it.
func testLoad(e *env) {
	const n = 5000
	b := e.backend()
	e.load(b, n, true)
	e.wantLoaded(b, n)
	e.set(b, "after", "v")
	b = e.reopen(b)
	e.wantLoaded(b, n)
	e.wantValue(b, "after", "v")
}

// testLoadClosed: a load that Close interrupts, without EndLoad, is there
// after reopening.
func testLoadClosed(e *env) {
	const n = 5000
	b := e.backend()
	e.load(b, n, false)
	b = e.reopen(b)
	e.wantLoaded(b, n)
}
