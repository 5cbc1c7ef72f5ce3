package wire_test

import (
	"testing"

	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// benchRecord is a typical CoffeeOrdered, as the waiter emits it.
func benchRecord() *seed.CoffeeOrdered {
	rec := seed.NewCoffeeOrdered()
	rec.UUID, rec.CupType, rec.CoffeeType, rec.CoffeeFor, rec.Amount = tonga.NewUUID(), "large", "latte", "ana", 2.5
	rec.PartitionKey = &rec.UUID
	return rec
}

func BenchmarkSingleObjectEncode(b *testing.B) {
	rec := benchRecord()
	var msg []byte
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if msg, err = wire.AppendSingleObject(msg[:0], rec); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(msg)), "bytes/msg")
}

func BenchmarkSingleObjectDecode(b *testing.B) {
	msg, err := wire.AppendSingleObject(nil, benchRecord())
	if err != nil {
		b.Fatal(err)
	}
	var rec seed.CoffeeOrdered
	b.ReportAllocs()
	for b.Loop() {
		_, body, err := wire.ParseSingleObject(msg)
		if err != nil {
			b.Fatal(err)
		}
		if err := rec.UnmarshalAvro(body); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(msg)), "bytes/msg")
}

func BenchmarkContainerEncode(b *testing.B) {
	rec := benchRecord()
	for _, codec := range []wire.Codec{wire.CodecNull, wire.CodecDeflate} {
		b.Run(string(codec), func(b *testing.B) {
			var msg []byte
			b.ReportAllocs()
			for b.Loop() {
				var err error
				// A fresh random sync marker each time, as Python writes.
				if msg, err = wire.AppendContainerRecord(msg[:0], rec, wire.ContainerOptions{Codec: codec}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(msg)), "bytes/msg")
		})
	}
}

func BenchmarkContainerDecode(b *testing.B) {
	for _, codec := range []wire.Codec{wire.CodecNull, wire.CodecDeflate} {
		b.Run(string(codec), func(b *testing.B) {
			msg := mustContainer(b, benchRecord(), wire.ContainerOptions{Codec: codec})
			var rec seed.CoffeeOrdered
			b.ReportAllocs()
			for b.Loop() {
				c, err := wire.ParseContainer(msg)
				if err != nil {
					b.Fatal(err)
				}
				if err := rec.UnmarshalAvro(c.Blocks[0].Data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(msg)), "bytes/msg")
		})
	}
}
