package framing_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/hamba/avro/v2/ocf"
	"github.com/hamba/avro/v2/soe"
	"github.com/linkedin/goavro/v2"

	"github.com/tonga-go/tonga/bench/internal/fixture"
	"github.com/tonga-go/tonga/bench/internal/hambagen"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// tongagenSOE is runtime/wire's single-object framing around the
// generated codec, for a consumer that knows the type: the fingerprint is
// checked against the type's.
func (p *peers) tongagenSOE() impl {
	var buf []byte
	var out *seed.CoffeeOrdered
	fp := p.want.AvroSchema().Fingerprint
	return impl{
		name: "tongagen",
		encode: func() ([]byte, error) {
			var err error
			buf, err = wire.AppendSingleObject(buf[:0], p.want)
			return buf, err
		},
		decode: func(msg []byte) error {
			got, body, err := wire.ParseSingleObject(msg)
			if err != nil {
				return err
			}
			if got != fp {
				return errFingerprint
			}
			out = new(seed.CoffeeOrdered)
			return out.UnmarshalAvro(body)
		},
		last: func() ([]byte, error) { return out.AppendAvro(nil) },
	}
}

// tongagenContainer is runtime/wire's Tonga framing around the generated
// codec: AppendContainerRecord with the null codec and a fresh random sync
// marker per message, as Python Tonga writes; ParseContainer.
func (p *peers) tongagenContainer() impl {
	var buf []byte
	var out *seed.CoffeeOrdered
	return impl{
		name: "tongagen",
		encode: func() ([]byte, error) {
			var err error
			buf, err = wire.AppendContainerRecord(buf[:0], p.want, wire.ContainerOptions{})
			return buf, err
		},
		decode: func(msg []byte) error {
			c, err := wire.ParseContainer(msg)
			if err != nil {
				return err
			}
			out = new(seed.CoffeeOrdered)
			return out.UnmarshalAvro(c.Blocks[0].Data)
		},
		last: func() ([]byte, error) { return out.AppendAvro(nil) },
	}
}

// tongagenRegistry is the consumer's path in the runtime: one
// wire.Decoder over the seed's registry detects the framing, identifies
// the writer schema (fingerprint, or container header text, cached) and
// decodes into the registered type. It only decodes.
func (p *peers) tongagenRegistry() impl {
	dec, err := wire.NewDecoder(p.reg)
	if err != nil {
		panic(err)
	}
	var out tonga.Record
	return impl{
		name: "tongagen-registry",
		decode: func(msg []byte) error {
			var err error
			out, _, err = dec.Decode(msg)
			return err
		},
		last: func() ([]byte, error) { return out.AppendAvro(nil) },
	}
}

// hambaSOE is hamba/avro's soe.Codec over the frozen API and the schema
// parsed once; Decode checks the fingerprint.
func (p *peers) hambaSOE(tb testing.TB) impl {
	tb.Helper()
	codec, err := soe.NewCodecWithAPI(p.schema, p.api)
	if err != nil {
		tb.Fatal(err)
	}
	in := fixture.HambaCoffeeOrdered(p.want)
	var out *hambagen.CoffeeOrdered
	return impl{
		name:   "hamba",
		encode: func() ([]byte, error) { return codec.Encode(in) },
		decode: func(msg []byte) error {
			out = new(hambagen.CoffeeOrdered)
			return codec.Decode(msg, out)
		},
		last: func() ([]byte, error) { return p.api.Marshal(p.schema, out) },
	}
}

// hambaOCF is hamba/avro's ocf package: one Encoder, Reset onto the
// reused buffer for each message (a new header and sync marker, the
// schema and buffers kept); one Decoder per message, as each message is
// its own file.
func (p *peers) hambaOCF(tb testing.TB) impl {
	tb.Helper()
	var buf bytes.Buffer
	enc, err := ocf.NewEncoderWithSchema(p.schema, &buf, ocf.WithEncodingConfig(p.api))
	if err != nil {
		tb.Fatal(err)
	}
	in := fixture.HambaCoffeeOrdered(p.want)
	var rd bytes.Reader
	var out *hambagen.CoffeeOrdered
	return impl{
		name: "hamba",
		encode: func() ([]byte, error) {
			buf.Reset()
			if err := enc.Reset(&buf); err != nil {
				return nil, err
			}
			if err := enc.Encode(in); err != nil {
				return nil, err
			}
			err := enc.Flush()
			return buf.Bytes(), err
		},
		decode: func(msg []byte) error {
			rd.Reset(msg)
			dec, err := ocf.NewDecoder(&rd, ocf.WithDecoderConfig(p.api))
			if err != nil {
				return err
			}
			if !dec.HasNext() {
				if err := dec.Error(); err != nil {
					return err
				}
				return io.ErrUnexpectedEOF
			}
			out = new(hambagen.CoffeeOrdered)
			return dec.Decode(out)
		},
		last: func() ([]byte, error) { return p.api.Marshal(p.schema, out) },
	}
}

// goavroSOE is goavro's single-object encoding on the Codec built once.
func (p *peers) goavroSOE() impl {
	in := fixture.GoavroCoffeeOrdered(p.want)
	var buf []byte
	var out any
	return impl{
		name: "goavro",
		encode: func() ([]byte, error) {
			var err error
			buf, err = p.codec.SingleFromNative(buf[:0], in)
			return buf, err
		},
		decode: func(msg []byte) error {
			var err error
			out, _, err = p.codec.NativeFromSingle(msg)
			return err
		},
		last: func() ([]byte, error) { return p.codec.BinaryFromNative(nil, out) },
	}
}

// goavroOCF is goavro's OCFWriter, given the Codec built once, writing one
// message into the reused buffer; and an OCFReader per message.
func (p *peers) goavroOCF() impl {
	in := fixture.GoavroCoffeeOrdered(p.want)
	var buf bytes.Buffer
	var rd bytes.Reader
	var out any
	return impl{
		name: "goavro",
		encode: func() ([]byte, error) {
			buf.Reset()
			w, err := goavro.NewOCFWriter(goavro.OCFConfig{W: &buf, Codec: p.codec})
			if err != nil {
				return nil, err
			}
			err = w.Append([]any{in})
			return buf.Bytes(), err
		},
		decode: func(msg []byte) error {
			rd.Reset(msg)
			r, err := goavro.NewOCFReader(&rd)
			if err != nil {
				return err
			}
			if !r.Scan() {
				if err := r.Err(); err != nil {
					return err
				}
				return io.ErrUnexpectedEOF
			}
			out, err = r.Read()
			return err
		},
		last: func() ([]byte, error) { return p.codec.BinaryFromNative(nil, out) },
	}
}
