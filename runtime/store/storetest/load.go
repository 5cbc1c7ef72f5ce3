package storetest

import (
	"encoding/binary"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/tonga-go/tonga/runtime/store"
)

// largeBatch is how many operations testLargeBatch applies at once.
const largeBatch = 100_000

func largeKey(i int) string { return fmt.Sprintf("large/%06d", i) }

func largeValue(i int) []byte { return binary.BigEndian.AppendUint64([]byte("value-"), uint64(i)) }

// applyLarge applies one batch setting largeBatch keys with offsets, then
// one deleting every other key.
func (e *env) applyLarge(b store.Backend) {
	e.t.Helper()
	e.apply(b, func(batch *store.Batch) {
		batch.Ops = make([]store.Op, 0, largeBatch)
		for i := range largeBatch {
			batch.Set(largeKey(i), largeValue(i))
		}
		batch.Offsets = map[int32]int64{0: largeBatch}
	})
	e.apply(b, func(batch *store.Batch) {
		for i := 0; i < largeBatch; i += 2 {
			batch.Delete(largeKey(i))
		}
		batch.Offsets = map[int32]int64{0: largeBatch + 1}
	})
}

// wantLarge checks the state applyLarge leaves: the odd keys, in order.
func (e *env) wantLarge(b store.Backend) {
	e.t.Helper()
	i := 1
	err := b.Range("", "", func(k string, v []byte) bool {
		if k != largeKey(i) || string(v) != string(largeValue(i)) {
			e.t.Errorf("Range: found %q=%x, want %q=%x", k, v, largeKey(i), largeValue(i))
			return false
		}
		i += 2
		return true
	})
	if err != nil || i != largeBatch+1 {
		e.t.Errorf("Range stopped before key %d, %v; want all %d odd keys", i, err, largeBatch/2)
	}
	for _, i := range []int{0, 1, largeBatch / 2, largeBatch - 2, largeBatch - 1} {
		if i%2 == 0 {
			e.wantMissing(b, largeKey(i))
		} else {
			e.wantValue(b, largeKey(i), string(largeValue(i)))
		}
	}
	e.wantOffsets(b, map[int32]int64{0: largeBatch + 1})
}

// testLargeBatch: a batch of 100k sets, then one of 50k deletes.
func testLargeBatch(e *env) {
	b := e.backend()
	e.applyLarge(b)
	e.wantLarge(b)
}

// testConcurrent: reads run while batches are applied (run it with
// -race). Each batch rewrites the same keys to its round number and sets
// offset 0 to it, so once a reader sees offset n it must see every key
// at n or later, whatever the read.
func testConcurrent(e *env) {
	const (
		rounds  = 300
		keys    = 20
		readers = 3
	)
	b := e.backend()
	key := func(i int) string { return fmt.Sprintf("key/%02d", i) }
	var done atomic.Bool
	var wg sync.WaitGroup
	for r := range readers {
		wg.Go(func() {
			for n := 0; !done.Load() && !e.t.Failed(); n++ {
				readRound(e, b, r+n, keys, key)
			}
		})
	}
	round := make([]byte, 8)
	for i := 1; i <= rounds; i++ {
		binary.BigEndian.PutUint64(round, uint64(i))
		e.apply(b, func(batch *store.Batch) {
			for k := range keys {
				batch.Set(key(k), round)
			}
			batch.Offsets = map[int32]int64{0: int64(i)}
			batch.Meta = map[string][]byte{"round": round}
		})
	}
	done.Store(true)
	wg.Wait()
	readRound(e, b, 0, keys, key)
}

// readRound reads the keys of testConcurrent one way, chosen by n, and
// checks them against the offset read first.
func readRound(e *env, b store.Backend, n, keys int, key func(int) string) {
	offs, err := b.Offsets()
	if err != nil {
		e.t.Errorf("Offsets: %v", err)
		return
	}
	floor := uint64(offs[0])
	check := func(what string, v []byte) {
		if floor == 0 {
			return
		}
		if len(v) != 8 || binary.BigEndian.Uint64(v) < floor {
			e.t.Errorf("%s = %x after offset %d was visible: a batch's data and offsets were not applied together", what, v, floor)
		}
	}
	switch n % 4 {
	case 0:
		for k := range keys {
			v, err := b.Get(key(k))
			if err != nil && floor > 0 {
				e.t.Errorf("Get(%s): %v", key(k), err)
			}
			check("Get("+key(k)+")", v)
		}
	case 1:
		for k := range keys {
			err := b.View(key(k), func(v []byte) error { check("View("+key(k)+")", v); return nil })
			if err != nil && floor > 0 {
				e.t.Errorf("View(%s): %v", key(k), err)
			}
		}
	case 2:
		seen := 0
		err := b.Range("", "", func(k string, v []byte) bool { seen++; check("Range "+k, v); return true })
		if err != nil || (floor > 0 && seen != keys) {
			e.t.Errorf("Range saw %d keys, %v; want %d", seen, err, keys)
		}
	case 3:
		v, err := b.Meta("round")
		if err != nil && floor > 0 {
			e.t.Errorf("Meta(round): %v", err)
		}
		check("Meta(round)", v)
	}
}
