package codectest

import (
	"runtime"
	"testing"

	at "github.com/tonga-go/tonga/testdata/alltypes/want"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// allocBound is how many bytes decoding may allocate per input byte, plus
// a constant: a decoded value is bigger than its encoding (a one-byte
// union index becomes a pointer and a struct), but only by a bounded
// factor. A length or count the input cannot back must fail before it
// allocates.
const (
	allocPerByte = 256
	allocBase    = 64 << 10
)

func checkDecode(t *testing.T, data []byte, decode func([]byte) error) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_ = decode(data)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(allocBase+allocPerByte*len(data)) {
		t.Fatalf("decoding %d bytes allocated %d bytes", len(data), n)
	}
}

func FuzzDecodeEverything(f *testing.F) {
	if data, err := full().MarshalAvro(); err == nil {
		f.Add(data)
	}
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data, func(b []byte) error {
			var e at.Everything
			if err := e.UnmarshalAvro(b); err != nil {
				return err
			}
			// What decodes must encode again, to bytes that decode to the same.
			if _, err := e.MarshalAvro(); err != nil {
				t.Fatalf("decoded value does not encode: %v", err)
			}
			return nil
		})
	})
}

func FuzzDecodeSeed(f *testing.F) {
	ev := seed.NewCoffeeOrdered()
	ev.UUID = "u"
	if data, err := ev.MarshalAvro(); err == nil {
		f.Add(data)
	}
	res := seed.NewMakeCoffeeResult()
	if data, err := res.MarshalAvro(); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkDecode(t, data, func(b []byte) error {
			var ev seed.CoffeeOrdered
			err1 := ev.UnmarshalAvro(b)
			var res seed.MakeCoffeeResult
			err2 := res.UnmarshalAvro(b)
			if err1 != nil {
				return err1
			}
			return err2
		})
	})
}
