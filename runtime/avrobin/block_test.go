package avrobin

import (
	"math"
	"runtime"
	"testing"
)

func TestReadBlocks(t *testing.T) {
	// An array of longs [1, 2, 3, 4, 5] in three blocks: one with a
	// positive count, one with a negative count and a byte size, then an
	// empty array.
	data := []byte{
		0x04, 0x02, 0x04, // count 2: 1, 2
		0x05, 0x06, 0x06, 0x08, 0x0a, // count -3, size 3: 3, 4, 5
		0x00, // end
		0x00, // an empty array
	}
	r := NewReader(data)
	var got []int64
	for n := r.ReadBlockLen(1); n > 0; n = r.ReadBlockLen(1) {
		for range n {
			got = append(got, r.ReadLong())
		}
	}
	if len(got) != 5 || got[0] != 1 || got[4] != 5 {
		t.Errorf("read %v, want [1 2 3 4 5]", got)
	}
	if n := r.ReadBlockLen(1); n != 0 {
		t.Errorf("empty array: ReadBlockLen() = %d, want 0", n)
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}

	// Skip the blocks that carry a byte size, read the others.
	r.Reset(data)
	var skipped, read int
	for {
		n, size := r.ReadBlockHeader(1)
		if n == 0 {
			break
		}
		if size >= 0 {
			r.Skip(size)
			skipped += n
			continue
		}
		for range n {
			r.SkipVarint()
		}
		read += n
	}
	if skipped != 3 || read != 2 {
		t.Errorf("skipped %d and read %d items, want 3 and 2", skipped, read)
	}
	if r.Offset() != 9 || r.Err() != nil {
		t.Errorf("Offset() = %d, Err() = %v, want 9, nil", r.Offset(), r.Err())
	}
}

func TestReadBlockHeader(t *testing.T) {
	tests := []struct {
		name        string
		data        []byte
		minItemSize int
		count, size int
	}{
		{"end", []byte{0x00}, 1, 0, -1},
		{"positive count", []byte{0x06, 0, 0, 0}, 1, 3, -1},
		{"negative count", []byte{0x03, 0x08, 0, 0, 0, 0}, 2, 2, 4},
		{"exact fit", []byte{0x04, 0, 0, 0, 0, 0, 0}, 3, 2, -1},
		{"zero-size items", []byte{0x7e}, 0, 63, -1},
		{"negative minItemSize", []byte{0x02}, -1, 1, -1},
	}
	for _, tt := range tests {
		r := NewReader(tt.data)
		count, size := r.ReadBlockHeader(tt.minItemSize)
		if count != tt.count || size != tt.size || r.Err() != nil {
			t.Errorf("%s: ReadBlockHeader(%d) = %d, %d, %v, want %d, %d, nil",
				tt.name, tt.minItemSize, count, size, r.Err(), tt.count, tt.size)
		}
	}
}

func TestReadBlockCorrupt(t *testing.T) {
	tests := []struct {
		name        string
		data        []byte
		minItemSize int
		off         int
		msg         string
	}{
		{"truncated count", []byte{0x80}, 1, 0, "truncated long varint"},
		{"count beyond input", []byte{0x08, 0, 0, 0}, 1, 0,
			"block count 4 of items of at least 1 byte exceeds the 3 bytes remaining"},
		{"count times size beyond input", []byte{0x04, 0, 0, 0}, 2, 0,
			"block count 2 of items of at least 2 bytes exceeds the 3 bytes remaining"},
		{"huge count", AppendLong(nil, math.MaxInt64), 1, 0,
			"block count 9223372036854775807 of items of at least 1 byte exceeds the 0 bytes remaining"},
		{"huge count and item size", append(AppendLong(nil, math.MaxInt64), 0), math.MaxInt, 0,
			"block count 9223372036854775807 of items of at least 9223372036854775807 bytes exceeds the 1 byte remaining"},
		{"one-byte count of large items", []byte{0x02, 0}, 1 << 25, 0,
			"block count 1 of items of at least 33554432 bytes exceeds the 1 byte remaining"},
		{"one-byte count of huge items", []byte{0x7e, 0}, math.MaxInt, 0,
			"block count 63 of items of at least 9223372036854775807 bytes exceeds the 1 byte remaining"},
		{"minimum count", AppendLong(nil, math.MinInt64), 1, 0,
			"block count -9223372036854775808 out of range"},
		{"truncated byte size", []byte{0x01}, 1, 1, "truncated long varint"},
		{"negative byte size", []byte{0x01, 0x01, 0}, 1, 1, "block byte size -1 out of range [0, 1]"},
		{"byte size beyond input", []byte{0x01, 0x04, 0}, 1, 1, "block byte size 2 out of range [0, 1]"},
		{"count beyond byte size", []byte{0x03, 0x02, 0, 0}, 1, 0,
			"block count 2 of items of at least 1 byte exceeds the block byte size 1"},
		{"too many zero-size items", AppendLong(nil, MaxZeroSizeItems+1), 0, 0,
			"block count 1048577 exceeds the limit of 1048576 zero-size items"},
		{"huge zero-size count", AppendLong(nil, -math.MaxInt64), 0, 0,
			"truncated long varint"},
	}
	// The last case's count is negative, so a byte size must follow; it
	// is missing, which is reported where it should start.
	tests[len(tests)-1].off = 10
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(tt.data)
			count, size := r.ReadBlockHeader(tt.minItemSize)
			if count != 0 || size != -1 {
				t.Errorf("ReadBlockHeader() = %d, %d, want 0, -1", count, size)
			}
			checkErr(t, r.Err(), tt.off, tt.msg)
			// ReadBlockLen has a fast path of its own for one-byte counts.
			r.Reset(tt.data)
			if n := r.ReadBlockLen(tt.minItemSize); n != 0 {
				t.Errorf("ReadBlockLen() = %d, want 0", n)
			}
			checkErr(t, r.Err(), tt.off, tt.msg)
		})
	}
}

func TestZeroSizeItemCap(t *testing.T) {
	// Blocks of 1<<19 nulls: two fit under the cap, the third does not.
	block := AppendLong(nil, 1<<19)
	var data []byte
	for range 3 {
		data = append(data, block...)
	}
	r := NewReader(data)
	total := 0
	for n := r.ReadBlockLen(0); n > 0; n = r.ReadBlockLen(0) {
		total += n
	}
	if total != MaxZeroSizeItems {
		t.Errorf("read %d zero-size items, want %d", total, MaxZeroSizeItems)
	}
	checkErr(t, r.Err(), 2*len(block), "block count 524288 exceeds the limit of 1048576 zero-size items")

	// Reset starts the count again.
	r.Reset(data[:len(block)])
	if n := r.ReadBlockLen(0); n != 1<<19 || r.Finish() != nil {
		t.Errorf("after Reset: ReadBlockLen(0) = %d, %v, want %d, nil", n, r.Err(), 1<<19)
	}
}

// TestHugeCountNoAlloc checks that a hostile count is refused before a
// decoder can allocate for it, and that reading a header never allocates
// on success either.
func TestHugeCountNoAlloc(t *testing.T) {
	huge := AppendLong(nil, math.MaxInt64)
	good := []byte{0x02, 0x00}
	r := NewReader(nil)
	allocs := testing.AllocsPerRun(100, func() {
		r.Reset(good)
		if n := r.ReadBlockLen(1); n != 1 {
			t.Fatalf("ReadBlockLen() = %d, want 1", n)
		}
	})
	if allocs != 0 {
		t.Errorf("ReadBlockLen on valid input: %v allocations, want 0", allocs)
	}
	for _, minItemSize := range []int{0, 1} {
		r.Reset(huge)
		n := r.ReadBlockLen(minItemSize)
		items := make([]int64, 0, n) // what generated code does with n
		if n != 0 || cap(items) != 0 || r.Err() == nil {
			t.Errorf("ReadBlockLen(%d) of a huge count = %d, %v, want 0 and an error", minItemSize, n, r.Err())
		}
	}
	// A large length with little input must be refused before the bytes
	// are allocated: only the error itself may be.
	data := AppendLong(nil, 1<<28)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 10 {
		r.Reset(data)
		if r.ReadBytes() != nil || r.ReadString() != "" || r.Err() == nil {
			t.Fatal("a length of 1<<28 with no input did not fail")
		}
	}
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<16 {
		t.Errorf("ReadBytes of a length beyond the input allocated %d bytes", n)
	}
}
