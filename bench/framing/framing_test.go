package framing_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hamba/avro/v2"
	"github.com/linkedin/goavro/v2"

	"github.com/tonga-go/tonga/bench/internal/benchutil"
	"github.com/tonga-go/tonga/bench/internal/fixture"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// An impl is one implementation of one framing, prepared once.
type impl struct {
	name string
	// encode frames the fixture as one message (nil for a decode-only
	// variant); the result may alias a reused buffer.
	encode func() ([]byte, error)
	// decode reads one message into a new value.
	decode func(msg []byte) error
	// last returns the value decode produced last, in tongagen's
	// encoding, to check that decoding kept the data.
	last func() ([]byte, error)
}

// peers are the codecs the framings wrap, built once.
type peers struct {
	want   *seed.CoffeeOrdered
	reg    *tonga.Registry
	api    avro.API
	schema avro.Schema
	codec  *goavro.Codec
}

func newPeers(tb testing.TB) *peers {
	tb.Helper()
	want := fixture.CoffeeOrdered()
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		tb.Fatal(err)
	}
	js := want.AvroSchema().JSON
	schema, err := avro.Parse(js)
	if err != nil {
		tb.Fatal(err)
	}
	codec, err := goavro.NewCodec(js)
	if err != nil {
		tb.Fatal(err)
	}
	return &peers{want: want, reg: reg, api: avro.Config{}.Freeze(), schema: schema, codec: codec}
}

// framings lists, per framing, every implementation.
func framings(tb testing.TB) map[string][]impl {
	p := newPeers(tb)
	return map[string][]impl{
		"single-object": {p.tongagenSOE(), p.tongagenRegistry(), p.hambaSOE(tb), p.goavroSOE()},
		"container":     {p.tongagenContainer(), p.tongagenRegistry(), p.hambaOCF(tb), p.goavroOCF()},
	}
}

// framingOrder is the order of the framings in benchmark output.
var framingOrder = []string{"single-object", "container"}

func BenchmarkFraming(b *testing.B) {
	all := framings(b)
	for _, f := range framingOrder {
		msg := tongagenMessage(b, f)
		for _, op := range []string{"encode", "decode"} {
			for _, im := range all[f] {
				if op == "encode" && im.encode == nil {
					continue
				}
				b.Run(fmt.Sprintf("framing=%s/op=%s/impl=%s", f, op, im.name), func(b *testing.B) {
					run := func() error { return im.decode(msg) }
					size := len(msg)
					if op == "encode" {
						out := checkEncode(b, im)
						size = len(out)
						run = func() error { _, err := im.encode(); return err }
					} else {
						checkDecode(b, im, msg)
					}
					benchutil.Warm(b, run)
					b.ReportAllocs()
					for b.Loop() {
						if err := run(); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(size), "bytes/msg")
				})
			}
		}
	}
}

// TestPeersAgree runs every check the benchmarks run before timing.
func TestPeersAgree(t *testing.T) {
	all := framings(t)
	for _, f := range framingOrder {
		msg := tongagenMessage(t, f)
		for _, im := range all[f] {
			t.Run(f+"/"+im.name, func(t *testing.T) {
				if im.encode != nil {
					checkEncode(t, im)
				}
				checkDecode(t, im, msg)
			})
		}
	}
}

// tongagenMessage is the message every implementation decodes: the
// fixture as runtime/wire frames it.
func tongagenMessage(tb testing.TB, framing string) []byte {
	tb.Helper()
	f := wire.FramingSingleObject
	if framing == "container" {
		f = wire.FramingContainer
	}
	msg, err := wire.AppendFramed(nil, f, fixture.CoffeeOrdered())
	if err != nil {
		tb.Fatal(err)
	}
	return msg
}

// checkEncode fails tb unless the message im writes decodes, through
// runtime/wire's registry decoder, to the fixture. It returns the message.
func checkEncode(tb testing.TB, im impl) []byte {
	tb.Helper()
	msg, err := im.encode()
	if err != nil {
		tb.Fatalf("%s encode: %v", im.name, err)
	}
	msg = bytes.Clone(msg)
	p := newPeers(tb)
	dec, err := wire.NewDecoder(p.reg)
	if err != nil {
		tb.Fatal(err)
	}
	got, _, err := dec.Decode(msg)
	if err != nil {
		tb.Fatalf("%s encode: runtime/wire cannot read the message: %v", im.name, err)
	}
	if diff := cmp.Diff(tonga.Record(p.want), got); diff != "" {
		tb.Fatalf("%s encode: value differs (-want +got):\n%s", im.name, diff)
	}
	return msg
}

// checkDecode fails tb unless im decodes msg to the fixture.
func checkDecode(tb testing.TB, im impl, msg []byte) {
	tb.Helper()
	if err := im.decode(msg); err != nil {
		tb.Fatalf("%s decode: %v", im.name, err)
	}
	data, err := im.last()
	if err != nil {
		tb.Fatalf("%s decode: %v", im.name, err)
	}
	var got seed.CoffeeOrdered
	if err := got.UnmarshalAvro(data); err != nil {
		tb.Fatalf("%s decode: %v", im.name, err)
	}
	if diff := cmp.Diff(fixture.CoffeeOrdered(), &got); diff != "" {
		tb.Fatalf("%s decode: value differs (-want +got):\n%s", im.name, diff)
	}
}

var errFingerprint = errors.New("fingerprint is not CoffeeOrdered's")
