package codec_test

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/actgardner/gogen-avro/v10/compiler"
	"github.com/actgardner/gogen-avro/v10/vm"
	"github.com/actgardner/gogen-avro/v10/vm/types"
	"github.com/hamba/avro/v2"
	"github.com/linkedin/goavro/v2"

	"github.com/tonga-go/tonga/bench/internal/fixture"
	"github.com/tonga-go/tonga/bench/internal/gogenorder"
	"github.com/tonga-go/tonga/bench/internal/hambagen"
	"github.com/tonga-go/tonga/bench/internal/large"
	gogenseed "github.com/tonga-go/tonga/internal/oracle/gogen/seed"
	"github.com/tonga-go/tonga/runtime/tonga"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

func coffeeOrderedImpls(tb testing.TB) []impl {
	want := fixture.CoffeeOrdered()
	js := want.AvroSchema().JSON
	impls := []impl{
		tongagenImpl[seed.CoffeeOrdered](want),
		hambaImpl[hambagen.CoffeeOrdered](tb, hambaAPI(), js, fixture.HambaCoffeeOrdered(want)),
		goavroImpl(tb, js, fixture.GoavroCoffeeOrdered(want)),
	}
	return append(impls, gogenImpls(tb, fixture.GogenCoffeeOrdered(want), gogenseed.DeserializeCoffeeOrdered)...)
}

func orderImpls(tb testing.TB) []impl {
	want := fixture.Order()
	js := want.AvroSchema().JSON
	impls := []impl{
		tongagenImpl[large.Order](want),
		hambaImpl[hambagen.Order](tb, hambaAPI(), js, fixture.HambaOrder(want)),
		goavroImpl(tb, js, fixture.GoavroOrder(want)),
	}
	return append(impls, gogenImpls(tb, fixture.GogenOrder(want), gogenorder.DeserializeOrder)...)
}

// tongagenImpl is the generated code: AppendAvro into a reused buffer,
// UnmarshalAvro into a new value.
func tongagenImpl[T any, P interface {
	*T
	tonga.Record
}](want P) impl {
	var buf []byte
	out := P(new(T))
	return impl{
		name: "tongagen",
		encode: func() ([]byte, error) {
			var err error
			buf, err = want.AppendAvro(buf[:0])
			return buf, err
		},
		decode: func(data []byte) error {
			out = P(new(T))
			return out.UnmarshalAvro(data)
		},
		reencode: func() ([]byte, error) { return out.AppendAvro(nil) },
	}
}

// hambaAPI is hamba/avro's frozen configuration, the two records of
// Order's payment union registered so that it decodes to typed values.
func hambaAPI() avro.API {
	api := avro.Config{}.Freeze()
	api.Register("bench.large.Card", hambagen.Card{})
	api.Register("bench.large.Transfer", hambagen.Transfer{})
	return api
}

// hambaImpl is hamba/avro with its avrogen structs: the schema parsed
// once, a frozen API, and one Writer and one Reader reused across calls
// (what API.Marshal and API.Unmarshal do through a pool, without the pool
// and without Marshal's copy of the result). It decodes into a new value.
func hambaImpl[T any](tb testing.TB, api avro.API, schemaJSON string, in *T) impl {
	tb.Helper()
	schema, err := avro.Parse(schemaJSON)
	if err != nil {
		tb.Fatalf("hamba/avro: parse schema: %v", err)
	}
	w := avro.NewWriter(nil, 1024, avro.WithWriterConfig(api))
	r := avro.NewReader(nil, 1024, avro.WithReaderConfig(api))
	out := new(T)
	return impl{
		name: "hamba",
		encode: func() ([]byte, error) {
			w.Reset(nil)
			w.WriteVal(schema, in)
			return w.Buffer(), w.Error
		},
		decode: func(data []byte) error {
			r.Reset(data)
			r.Error = nil
			out = new(T)
			r.ReadVal(schema, out)
			if errors.Is(r.Error, io.EOF) {
				return nil
			}
			return r.Error
		},
		reencode: func() ([]byte, error) { return api.Marshal(schema, out) },
	}
}

// goavroImpl is goavro with one Codec built once, BinaryFromNative
// appending to a reused buffer and NativeFromBinary.
func goavroImpl(tb testing.TB, schemaJSON string, native map[string]any) impl {
	tb.Helper()
	codec, err := goavro.NewCodec(schemaJSON)
	if err != nil {
		tb.Fatalf("goavro: %v", err)
	}
	var buf []byte
	var out any
	return impl{
		name: "goavro",
		encode: func() ([]byte, error) {
			var err error
			buf, err = codec.BinaryFromNative(buf[:0], native)
			return buf, err
		},
		decode: func(data []byte) error {
			var err error
			out, _, err = codec.NativeFromBinary(data)
			return err
		},
		reencode: func() ([]byte, error) { return codec.BinaryFromNative(nil, out) },
	}
}

// gogenRecord is what gogen-avro generates for a record, by value.
type gogenRecord interface {
	Serialize(w io.Writer) error
	Schema() string
}

// gogenImpls are gogen-avro's generated code: Serialize into a reused
// buffer; and two decoders, the generated DeserializeX (which compiles
// the schema on every call) and the program compiled once with
// compiler.CompileSchemaBytes and run with vm.Eval into a new value.
func gogenImpls[T gogenRecord, P interface {
	*T
	types.Field
}](tb testing.TB, in P, deserialize func(io.Reader) (T, error)) []impl {
	tb.Helper()
	schema := []byte((*in).Schema())
	prog, err := compiler.CompileSchemaBytes(schema, schema)
	if err != nil {
		tb.Fatalf("gogen-avro: compile: %v", err)
	}
	var buf bytes.Buffer
	var rd bytes.Reader
	var out T
	reencode := func() ([]byte, error) {
		var w bytes.Buffer
		err := out.Serialize(&w)
		return w.Bytes(), err
	}
	return []impl{{
		name: "gogen",
		encode: func() ([]byte, error) {
			buf.Reset()
			err := (*in).Serialize(&buf)
			return buf.Bytes(), err
		},
		decode: func(data []byte) error {
			rd.Reset(data)
			var err error
			out, err = deserialize(&rd)
			return err
		},
		reencode: reencode,
	}, {
		name:     "gogen-compiled",
		noEncode: true,
		decode: func(data []byte) error {
			rd.Reset(data)
			var fresh T
			err := vm.Eval(&rd, prog, P(&fresh))
			out = fresh
			return err
		},
		reencode: reencode,
	}}
}
