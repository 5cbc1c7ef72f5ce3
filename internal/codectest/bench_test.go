package codectest

import (
	"testing"

	"github.com/tonga-go/tonga/runtime/tonga"
	at "github.com/tonga-go/tonga/testdata/alltypes/want"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

func coffeeOrdered() *seed.CoffeeOrdered {
	ev := seed.NewCoffeeOrdered()
	ev.PartitionKey = ptr("0")
	ev.UUID, ev.CupType, ev.CoffeeType, ev.CoffeeFor, ev.Amount = tonga.NewUUID(), "large", "cappuccino", "ana", 2.5
	return ev
}

func benchEncode(b *testing.B, rec tonga.Record) {
	buf, err := rec.AppendAvro(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = rec.AppendAvro(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDecode(b *testing.B, rec, into tonga.Record) {
	data, err := rec.AppendAvro(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := into.UnmarshalAvro(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeCoffeeOrdered(b *testing.B) { benchEncode(b, coffeeOrdered()) }
func BenchmarkDecodeCoffeeOrdered(b *testing.B) {
	benchDecode(b, coffeeOrdered(), new(seed.CoffeeOrdered))
}
func BenchmarkEncodeEverything(b *testing.B) { benchEncode(b, full()) }
func BenchmarkDecodeEverything(b *testing.B) { benchDecode(b, full(), new(at.Everything)) }
