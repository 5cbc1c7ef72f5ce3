package storetest

import (
	"fmt"

	"github.com/tonga-go/tonga/runtime/store"
)

// testReopen: keys, deletes, empty values, offsets and metadata written
// before Close are there after opening the directory again.
func testReopen(e *env) {
	b := e.backend()
	e.setRangeKeys(b)
	e.apply(b, func(batch *store.Batch) {
		batch.Delete("a")
		batch.Set("empty", nil)
		batch.Offsets = map[int32]int64{0: 2, 5: 50}
		batch.Meta = map[string][]byte{"changelog": []byte("topic")}
	})
	b = e.reopen(b)
	e.wantMissing(b, "a")
	e.wantValue(b, "empty", "")
	e.wantValue(b, "\x00\xff", rangeValue("\x00\xff"))
	if got := e.collect(b, "", ""); len(got) != len(rangeKeys) {
		e.t.Errorf("Range after reopening = %d keys, want %d", len(got), len(rangeKeys))
	}
	e.wantOffsets(b, map[int32]int64{0: 2, 5: 50})
	e.wantMeta(b, "changelog", "topic")
	e.wantMeta(b, "a", "meta")
}

// testReopenAtomic: the batch of testAtomic, after reopening.
func testReopenAtomic(e *env) {
	b := e.backend()
	e.set(b, "gone", "x")
	e.apply(b, func(batch *store.Batch) {
		batch.Set("a", []byte("1"))
		batch.Set("b", []byte("2"))
		batch.Delete("gone")
		batch.Offsets = map[int32]int64{0: 10, 3: 30}
		batch.Meta = map[string][]byte{"changelog": []byte("topic-a")}
	})
	wantAtomic(e, e.reopen(b))
}

// testReopenClear: a cleared backend is still empty after reopening, and
// writes after Clear survive.
func testReopenClear(e *env) {
	b := e.backend()
	e.setRangeKeys(b)
	if err := b.Clear(); err != nil {
		e.t.Fatalf("Clear: %v", err)
	}
	b = e.reopen(b)
	wantCleared(e, b)
	e.apply(b, func(batch *store.Batch) {
		batch.Set("after", []byte("v"))
		batch.Offsets = map[int32]int64{0: 3}
	})
	b = e.reopen(b)
	e.wantValue(b, "after", "v")
	e.wantOffsets(b, map[int32]int64{0: 3})
}

// testReopenLargeBatch: the batches of testLargeBatch, after reopening.
func testReopenLargeBatch(e *env) {
	b := e.backend()
	e.applyLarge(b)
	e.wantLarge(e.reopen(b))
}

// testReopenRepeatedly: a store resumes from its offsets over several
// close and open cycles, as across service restarts.
func testReopenRepeatedly(e *env) {
	b := e.backend()
	for i := range 5 {
		offs, err := b.Offsets()
		if err != nil {
			e.t.Fatal(err)
		}
		if offs[0] != int64(i*10) {
			e.t.Fatalf("cycle %d: offset %d, want %d", i, offs[0], i*10)
		}
		e.apply(b, func(batch *store.Batch) {
			for j := range 10 {
				batch.Set(fmt.Sprintf("k%d-%d", i, j), []byte("v"))
			}
			batch.Offsets = map[int32]int64{0: int64(i*10 + 10)}
		})
		b = e.reopen(b)
	}
	if got := e.collect(b, "", ""); len(got) != 50 {
		e.t.Errorf("Range after 5 cycles = %d keys, want 50", len(got))
	}
}
