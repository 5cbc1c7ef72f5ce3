package wire_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/internal/schema"
	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	v1 "github.com/tonga-go/tonga/testdata/evolution-v1/want"
	evo "github.com/tonga-go/tonga/testdata/evolution/want"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

func newDecoder(t *testing.T, opts ...wire.DecoderOption) *wire.Decoder {
	t.Helper()
	reg, err := tonga.NewRegistry(append(seed.Schemas(), evo.Schemas()...)...)
	if err != nil {
		t.Fatal(err)
	}
	d, err := wire.NewDecoder(reg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func order() *evo.Order {
	return &evo.Order{ID: "o", Quantity: 2, Maybe: evo.OrderMaybeString("m"), Customer: evo.Customer{Name: "ana"}, Added: "yes"}
}

func TestDecodeDirect(t *testing.T) {
	d := newDecoder(t)
	ev := seed.NewCoffeeOrdered()
	ev.UUID, ev.Amount = "c1", 2.5
	soe, err := wire.AppendSingleObject(nil, ev)
	if err != nil {
		t.Fatal(err)
	}
	tonga1, err := wire.AppendContainerRecord(nil, ev, wire.ContainerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range [][]byte{soe, tonga1} {
		rec, info, err := d.Decode(msg)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(ev, rec); diff != "" {
			t.Errorf("%v: (-sent +decoded):\n%s", info.Framing, diff)
		}
		if info.Resolved || info.Writer != "tonga.waiter.event.CoffeeOrdered" || info.Fingerprint != ev.AvroSchema().Fingerprint {
			t.Errorf("info %+v", info)
		}
	}
}

// TestDecodeOlderVersion reads data of a version kept in versions/ at
// generate time, in both framings: the generated resolving decoder runs.
func TestDecodeOlderVersion(t *testing.T) {
	d := newDecoder(t)
	old := &v1.Purchase{ID: "p1", Quantity: 3, Maybe: "m", Code: v1.PurchaseCodeLong(7), OldName: "n"}
	for _, frame := range []func() ([]byte, error){
		func() ([]byte, error) { return wire.AppendSingleObject(nil, old) },
		func() ([]byte, error) {
			return wire.AppendContainerRecord(nil, old, wire.ContainerOptions{Codec: wire.CodecDeflate})
		},
	} {
		msg, err := frame()
		if err != nil {
			t.Fatal(err)
		}
		rec, info, err := d.Decode(msg)
		if err != nil {
			t.Fatal(err)
		}
		got := rec.(*evo.Order)
		if got.ID != "p1" || got.Quantity != 3 || got.Code != 7 || got.Renamed != "n" || got.Added != "n/a" || !info.Resolved {
			t.Errorf("%v: %+v, info %+v", info.Framing, got, info)
		}
	}
}

// v3 is a version of Order nobody kept: the decoder meets it first in a
// container header and resolves it at run time.
const v3 = `{"type": "record", "name": "Order", "namespace": "test.evo", "fields": [
	{"name": "id", "type": "string"}, {"name": "quantity", "type": "int"},
	{"name": "customer", "type": {"type": "record", "name": "Customer", "fields": [{"name": "name", "type": "string"}]}},
	{"name": "price", "type": "double"}, {"name": "weight", "type": "float"}, {"name": "note", "type": "bytes"},
	{"name": "label", "type": "string"}, {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
	{"name": "tags", "type": {"type": "array", "items": "long"}}, {"name": "attrs", "type": {"type": "map", "values": ["null", "double"]}},
	{"name": "maybe", "type": ["null", "string", "long"]}, {"name": "code", "type": "long"}, {"name": "renamed", "type": "string"},
	{"name": "extra", "type": {"type": "map", "values": {"type": "array", "items": "string"}}}]}`

func v3Bytes(t *testing.T) []byte {
	t.Helper()
	// Data written with v3: a v3 value built by hand.
	var b []byte
	b = avrobin.AppendString(b, "o3")
	b = avrobin.AppendInt(b, 5)
	b = avrobin.AppendString(b, "cy")
	b = avrobin.AppendDouble(b, 1.25)
	b = avrobin.AppendFloat(b, 2)
	b = avrobin.AppendBytes(b, []byte("n"))
	b = avrobin.AppendString(b, "l")
	b = avrobin.AppendEnum(b, 1) // PAID
	b = avrobin.AppendBlockEnd(avrobin.AppendLong(avrobin.AppendBlockLen(b, 1), 9))
	b = avrobin.AppendBlockEnd(b)                             // attrs: empty
	b = avrobin.AppendLong(avrobin.AppendUnionIndex(b, 2), 4) // maybe: long 4
	b = avrobin.AppendLong(b, 11)
	b = avrobin.AppendString(b, "r")
	b = avrobin.AppendBlockLen(b, 1)
	b = avrobin.AppendString(b, "k")
	b = avrobin.AppendBlockEnd(avrobin.AppendString(avrobin.AppendBlockLen(b, 1), "v"))
	return avrobin.AppendBlockEnd(b)
}

func TestDecodeUnknownVersion(t *testing.T) {
	msg, err := wire.AppendContainer(nil, v3, [][]byte{v3Bytes(t)}, wire.ContainerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := &evo.Order{ID: "o3", Quantity: 5, Customer: evo.Customer{Name: "cy", Vip: true}, Price: 1.25, Weight: 2,
		Note: []byte("n"), Label: "l", Status: evo.StatusPaid, Tags: []int64{9}, Maybe: evo.OrderMaybeLong(4), Code: 11,
		Renamed: "r", Added: "n/a", AddedCustomer: evo.Customer{Name: "nobody", Vip: true}}
	d := newDecoder(t)
	for range 2 { // the second message takes the cached resolution
		rec, info, err := d.Decode(msg)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, rec); diff != "" || !info.Resolved {
			t.Errorf("v3 read as Order (-want +got), resolved %v:\n%s", info.Resolved, diff)
		}
	}

	// The same data in single-object framing is unknown until the decoder
	// is told the writer schema.
	fp := compileJSON(t, v3).Fingerprint()
	soe := append([]byte{0xc3, 0x01}, leBytes(fp)...)
	soe = append(soe, v3Bytes(t)...)
	_, _, err = d.Decode(soe)
	var de *wire.DecodeError
	if !errors.Is(err, tonga.ErrUnknownSchema) || !errors.As(err, &de) || de.Fingerprint != fp {
		t.Errorf("unknown fingerprint: %v", err)
	}
	rec, _, err := newDecoder(t, wire.WithWriterSchemas(v3)).Decode(soe)
	if err != nil || rec.(*evo.Order).ID != "o3" {
		t.Errorf("with the writer schema given: %v, %v", rec, err)
	}
}

func leBytes(v uint64) []byte {
	b := make([]byte, 8)
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	return b
}

func compileJSON(t *testing.T, js string) *schema.Schema {
	t.Helper()
	docs, diags := schema.Parse([]schema.Source{{Path: "t", Data: []byte(js)}})
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	set, err := schema.CompileWriter(docs)
	if err != nil {
		t.Fatal(err)
	}
	return set.Roots[0]
}

func TestDecodeErrors(t *testing.T) {
	d := newDecoder(t)
	good, err := wire.AppendSingleObject(nil, order())
	if err != nil {
		t.Fatal(err)
	}
	unrelated, _ := wire.AppendContainer(nil, `{"type": "record", "name": "Nobody", "fields": []}`, [][]byte{{}}, wire.ContainerOptions{})
	incompatible, _ := wire.AppendContainer(nil, `{"type": "record", "name": "Order", "namespace": "test.evo", "fields": [{"name": "id", "type": "int"}]}`,
		[][]byte{{0x02}}, wire.ContainerOptions{})
	two, _ := wire.AppendContainer(nil, `{"type": "record", "name": "Nobody", "fields": []}`, [][]byte{{}, {}}, wire.ContainerOptions{})
	tests := []struct {
		name string
		msg  []byte
		want error
		text string
	}{
		{"not framed", []byte("hello"), wire.ErrBadFraming, ""},
		{"truncated body", good[:len(good)-1], avrobin.ErrCorrupt, "test.evo.Order"},
		{"unknown fingerprint", append([]byte{0xc3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, good[10:]...), tonga.ErrUnknownSchema, "0807060504030201"},
		{"unknown name", unrelated, tonga.ErrUnknownSchema, "Nobody"},
		{"incompatible", incompatible, tonga.ErrIncompatible, "test.evo.Order.id: int cannot be read as string"},
		{"two records", two, wire.ErrBadFraming, "holds 2 records"},
		{"confluent", []byte{0, 0, 0, 0, 1, 2}, tonga.ErrUnknownSchema, "registry"},
	}
	for _, tt := range tests {
		_, _, err := d.Decode(tt.msg)
		var de *wire.DecodeError
		if !errors.Is(err, tt.want) || !errors.As(err, &de) || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: %v; want a DecodeError matching %v and containing %q", tt.name, err, tt.want, tt.text)
		}
	}
}

func TestDecodeConcurrent(t *testing.T) {
	d := newDecoder(t)
	msg, err := wire.AppendContainer(nil, v3, [][]byte{v3Bytes(t)}, wire.ContainerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if _, _, err := d.Decode(msg); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
