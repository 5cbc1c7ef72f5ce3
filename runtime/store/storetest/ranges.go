package storetest

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/tonga-go/tonga/runtime/store"
)

// rangeKeys are keys with shared prefixes and bytes a C string or a
// signed comparison would get wrong: the empty key, \x00, \x7f, \x80,
// \xff.
var rangeKeys = []string{
	"", "\x00", "\x00\x00", "\x00\xff", "\x01",
	"a", "a\x00", "a\x00b", "a\x7f", "a\x80", "a\xff", "a\xff\xff", "ab", "abc", "b",
	"user/1", "user/10", "user/100", "user/2", "user0",
	"\x7f", "\x80", "\xfe\xff", "\xff", "\xff\x00", "\xff\xff", "\xff\xff\xff",
}

func rangeValue(key string) string { return fmt.Sprintf("v%x", key) }

// sortedRangeKeys is rangeKeys in Go's string order, which is byte order.
func sortedRangeKeys() []string {
	keys := slices.Clone(rangeKeys)
	slices.Sort(keys)
	return keys
}

func (e *env) setRangeKeys(b store.Backend) {
	e.t.Helper()
	e.apply(b, func(batch *store.Batch) {
		// Written in reverse order: the order must come from the backend.
		for _, k := range slices.Backward(rangeKeys) {
			batch.Set(k, []byte(rangeValue(k)))
		}
		batch.Offsets = map[int32]int64{0: 1}
		batch.Meta = map[string][]byte{"a": []byte("meta")}
	})
}

// testRange: Range reports the keys of [start, end) in byte order, with
// their values; an empty end means no bound; an empty or inverted
// interval reports nothing.
func testRange(e *env) {
	b := e.backend()
	e.setRangeKeys(b)
	cases := [][2]string{
		{"", ""},
		{"", "\x00"},
		{"\x00", "\x01"},
		{"a", ""},
		{"a", "b"},
		{"a\x00", "a\xff"},
		{"a\xff", "ab"},
		{"user/", "user0"},
		{"user/1", "user/2"},
		{"user/10", "user/10\x00"},
		{"aa", "ab"},
		{"zzz", ""},
		{"\x80", "\xff"},
		{"\xff", ""},
		{"\xff\xff\xff\xff", ""},
		{"b", "a"},
		{"c", "c"},
		{"a", "a"},
	}
	for _, c := range cases {
		start, end := c[0], c[1]
		var want []kv
		for _, k := range sortedRangeKeys() {
			if k >= start && (end == "" || k < end) {
				want = append(want, kv{k, rangeValue(k)})
			}
		}
		if got := e.collect(b, start, end); !slices.Equal(got, want) {
			e.t.Errorf("Range(%q, %q) =\n%q\nwant\n%q", start, end, got, want)
		}
	}
}

// testRangeStop: Range stops at the first false from fn, and a range of
// more keys than any read-ahead chunk is complete and in order.
func testRangeStop(e *env) {
	b := e.backend()
	e.setRangeKeys(b)
	for _, n := range []int{1, 3, len(rangeKeys) - 1} {
		var got []string
		err := b.Range("", "", func(k string, _ []byte) bool {
			got = append(got, k)
			return len(got) < n
		})
		if err != nil {
			e.t.Fatal(err)
		}
		if want := sortedRangeKeys()[:n]; !slices.Equal(got, want) {
			e.t.Errorf("Range stopping after %d keys saw %q, want %q", n, got, want)
		}
	}

	const many = 5000
	e.apply(b, func(batch *store.Batch) {
		for i := range many {
			batch.Set(fmt.Sprintf("many/%05d", i), []byte{byte(i)})
		}
	})
	i := 0
	err := b.Range("many/", "many0", func(k string, v []byte) bool {
		if want := fmt.Sprintf("many/%05d", i); k != want || len(v) != 1 || v[0] != byte(i) {
			e.t.Errorf("Range: key %d is %q=%x, want %q=%02x", i, k, v, want, byte(i))
			return false
		}
		i++
		return i < many-10
	})
	if err != nil || i != many-10 {
		e.t.Errorf("Range over %d keys stopped at %d, %v; want %d", many, i, err, many-10)
	}
}

// testRangeReentrant: fn may call the backend's reads for the key it is
// given.
func testRangeReentrant(e *env) {
	b := e.backend()
	e.setRangeKeys(b)
	n := 0
	err := b.Range("", "", func(k string, v []byte) bool {
		n++
		got, err := b.Get(k)
		if err != nil || string(got) != string(v) {
			e.t.Errorf("Get(%q) inside Range = %q, %v; want %q", k, got, err, v)
		}
		if _, err := b.Offsets(); err != nil {
			e.t.Errorf("Offsets inside Range: %v", err)
		}
		err = b.View(k, func(w []byte) error {
			if string(w) != string(v) {
				return errors.New("differs")
			}
			return nil
		})
		if err != nil {
			e.t.Errorf("View(%q) inside Range: %v", k, err)
		}
		return true
	})
	if err != nil || n != len(rangeKeys) {
		e.t.Errorf("Range saw %d keys, %v; want %d", n, err, len(rangeKeys))
	}
}

// testRangeDeleted: Range skips deleted keys and reports current values,
// across several batches.
func testRangeDeleted(e *env) {
	b := e.backend()
	e.setRangeKeys(b)
	want := map[string]string{}
	for _, k := range rangeKeys {
		want[k] = rangeValue(k)
	}
	e.apply(b, func(batch *store.Batch) {
		for i, k := range rangeKeys {
			switch i % 3 {
			case 0:
				batch.Delete(k)
				delete(want, k)
			case 1:
				batch.Set(k, []byte("new"))
				want[k] = "new"
			}
		}
	})
	e.set(b, "a\x00", "again", "new-key", "n")
	want["a\x00"], want["new-key"] = "again", "n"
	var wantKV []kv
	for _, k := range slices.Sorted(maps.Keys(want)) {
		wantKV = append(wantKV, kv{k, want[k]})
	}
	if got := e.collect(b, "", ""); !slices.Equal(got, wantKV) {
		e.t.Errorf("Range after deletes =\n%q\nwant\n%q", got, wantKV)
	}
}
