package store

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// TestMemoryApplyRebuild checks a rebuild's batches against a map: keys
// and values alias a buffer that is overwritten after each batch (Apply's
// values only: Apply keeps the key strings it is given), and the batches
// hold new keys,
// overwrites (of keys from earlier batches and of the same batch), deletes,
// an empty key, empty values and values too large to pack; Apply and
// Range run in between.
func TestMemoryApplyRebuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	m := NewMemory().(*memory)
	defer func() { _ = m.Close() }()
	model := map[string]string{}
	for step := range 200 {
		var buf []byte
		var batch Batch
		rebuild := step%10 != 9 // else Apply, which keeps the keys as they are
		for range rng.IntN(500) + 1 {
			k := fmt.Sprintf("k%d", rng.IntN(3000))
			if rng.IntN(200) == 0 {
				k = ""
			}
			if rng.IntN(5) == 0 {
				batch.Delete(k)
				delete(model, k)
				continue
			}
			v := bytes.Repeat([]byte{byte(step)}, []int{0, 1, 100, loadBlock/8 + 1}[rng.IntN(4)])
			at := len(buf)
			buf = append(append(buf, k...), v...)
			key := k
			if rebuild {
				key = alias(buf[at : at+len(k)])
			}
			batch.Ops = append(batch.Ops, Op{Key: key, Value: buf[at+len(k) : len(buf) : len(buf)]})
			model[k] = string(v)
		}
		apply := m.Apply
		if rebuild {
			apply = m.applyRebuild
		}
		err := apply(&batch)
		if err != nil {
			t.Fatal(err)
		}
		clear(buf) // the batch's keys and values change under the store
		if step%7 == 0 {
			checkMemory(t, m, model)
		}
	}
	checkMemory(t, m, model)
}

func alias(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

func checkMemory(t *testing.T, m *memory, model map[string]string) {
	t.Helper()
	var got []string
	err := m.Range("", "", func(k string, v []byte) bool {
		got = append(got, k+"="+string(v))
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, k := range slices.Sorted(maps.Keys(model)) {
		want = append(want, k+"="+model[k])
		if v, err := m.Get(k); err != nil || string(v) != model[k] {
			t.Fatalf("Get(%q) = %.20q, %v; want %.20q", k, v, err, model[k])
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Range returned %d entries, want %d:\ngot  %.300q\nwant %.300q", len(got), len(want), got, want)
	}
}
