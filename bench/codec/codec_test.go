package codec_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/bench/internal/benchutil"
	"github.com/tonga-go/tonga/bench/internal/fixture"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// An impl is one implementation's codec for one record, prepared as its
// documentation recommends for speed: schema parsed and programs compiled
// once, encode buffers reused. Every implementation decodes into a new
// value, as a consumer does when it hands each record to a handler.
type impl struct {
	name string
	// encode encodes the fixture value; the result may alias a buffer
	// reused by the next call.
	encode func() ([]byte, error)
	// decode decodes data into a new value of the implementation's type.
	decode func(data []byte) error
	// reencode encodes the value decode produced last, to check that
	// decoding kept the data.
	reencode func() ([]byte, error)
	// noEncode is set for a decode-only variant.
	noEncode bool
}

// A record is one benchmark record: tongagen's value, and every
// implementation's codec for it.
type record struct {
	name  string
	want  tonga.Record
	impls func(tb testing.TB) []impl
}

func records() []record {
	return []record{
		{name: "CoffeeOrdered", want: fixture.CoffeeOrdered(), impls: coffeeOrderedImpls},
		{name: "Order", want: fixture.Order(), impls: orderImpls},
	}
}

func BenchmarkCodec(b *testing.B) {
	for _, rec := range records() {
		data, err := rec.want.AppendAvro(nil)
		if err != nil {
			b.Fatal(err)
		}
		impls := rec.impls(b)
		for _, im := range impls {
			if im.noEncode {
				continue
			}
			b.Run(fmt.Sprintf("record=%s/op=encode/impl=%s", rec.name, im.name), func(b *testing.B) {
				checkEncode(b, rec.want, im)
				benchutil.Warm(b, func() error { _, err := im.encode(); return err })
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := im.encode(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		for _, im := range impls {
			b.Run(fmt.Sprintf("record=%s/op=decode/impl=%s", rec.name, im.name), func(b *testing.B) {
				checkDecode(b, rec.want, data, im)
				benchutil.Warm(b, func() error { return im.decode(data) })
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if err := im.decode(data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestPeersAgree runs every check the benchmarks run before timing.
func TestPeersAgree(t *testing.T) {
	for _, rec := range records() {
		data, err := rec.want.AppendAvro(nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range rec.impls(t) {
			t.Run(rec.name+"/"+im.name, func(t *testing.T) {
				if !im.noEncode {
					checkEncode(t, rec.want, im)
				}
				checkDecode(t, rec.want, data, im)
			})
		}
	}
}

// checkEncode fails tb unless im encodes bytes that tongagen decodes to
// want.
func checkEncode(tb testing.TB, want tonga.Record, im impl) {
	tb.Helper()
	got, err := im.encode()
	if err != nil {
		tb.Fatalf("%s encode: %v", im.name, err)
	}
	sameValue(tb, im.name+" encode", want, got)
}

// checkDecode fails tb unless im decodes data and encodes what it decoded
// back to bytes that tongagen decodes to want.
func checkDecode(tb testing.TB, want tonga.Record, data []byte, im impl) {
	tb.Helper()
	if err := im.decode(data); err != nil {
		tb.Fatalf("%s decode: %v", im.name, err)
	}
	got, err := im.reencode()
	if err != nil {
		tb.Fatalf("%s re-encode: %v", im.name, err)
	}
	sameValue(tb, im.name+" decode", want, got)
}

func sameValue(tb testing.TB, what string, want tonga.Record, data []byte) {
	tb.Helper()
	got := want.AvroSchema().New()
	if err := got.UnmarshalAvro(data); err != nil {
		tb.Fatalf("%s: tongagen cannot read the bytes: %v", what, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		tb.Fatalf("%s: value differs (-want +got):\n%s", what, diff)
	}
}
