package store

import (
	"bytes"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/wire"
)

// TestReadChange checks the fast path against the generic decoder: the
// same operation for what it reads, and a fall back, never a different
// answer, for every prefix of a message and for the container framing.
func TestReadChange(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	ops := []Op{
		{Key: "coffee/1", Value: []byte("espresso")},
		{Key: "coffee/2", Value: []byte{}},
		{Key: "", Value: []byte("no key")},
		{Key: "coffee/3", Delete: true},
		{Key: string(bytes.Repeat([]byte("k"), 300)), Value: bytes.Repeat([]byte{0xff}, 5000)},
	}
	dec := newChangelogDecoder()
	for _, op := range ops {
		for _, f := range []wire.Framing{wire.FramingSingleObject, wire.FramingContainer} {
			msg, err := encodeChange(f, op, now)
			if err != nil {
				t.Fatal(err)
			}
			_, fast := readChange(msg)
			if fast != (f == wire.FramingSingleObject) {
				t.Errorf("%v %.20q: readChange reports %v", f, op.Key, fast)
			}
			for _, alias := range []bool{false, true} {
				got, err := decodeChange(dec, msg, alias)
				if err != nil || !sameOp(got, op) {
					t.Errorf("%v %.20q alias %v: decodeChange = %+.20v, %v; want %+.20v", f, op.Key, alias, got, err, op)
				}
			}
			for n := range len(msg) {
				if _, ok := readChange(msg[:n]); ok {
					t.Errorf("%v %.20q: readChange reads the %d-byte prefix", f, op.Key, n)
				}
			}
		}
	}
}

func TestReadChangeUnknownOperation(t *testing.T) {
	msg, err := encodeChange(wire.FramingSingleObject, Op{Key: "k", Value: []byte("v")}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	msg = bytes.Replace(msg, []byte("set"), []byte("put"), 1)
	if _, ok := readChange(msg); ok {
		t.Error("readChange reads operation put")
	}
	if _, err := decodeChange(newChangelogDecoder(), msg, false); err == nil {
		t.Error("decodeChange reads operation put")
	}
}

func sameOp(a, b Op) bool {
	if a.Delete || b.Delete {
		return a.Delete == b.Delete && a.Key == b.Key
	}
	return a.Key == b.Key && bytes.Equal(a.Value, b.Value) && a.Value != nil
}

func BenchmarkDecodeChange(b *testing.B) {
	msg, err := encodeChange(wire.FramingSingleObject, Op{Key: "0b6d9a3e-2c4f-4e8a-9f1d-7a5c3b2e1d0f", Value: make([]byte, 100)}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	dec := newChangelogDecoder()
	b.ReportAllocs()
	for range b.N {
		if _, err := decodeChange(dec, msg, true); err != nil {
			b.Fatal(err)
		}
	}
}
