package tonga_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// ping is a hand-written Record, standing in for generated code.
type ping struct{ N int64 }

var pingSchema = &tonga.Schema{
	FullName: "test.event.Ping", Kind: tonga.KindEvent, Canonical: `"long"`, Fingerprint: 1,
	New: func() tonga.Record { return new(ping) },
}

func (*ping) AvroSchema() *tonga.Schema { return pingSchema }
func (p *ping) AppendAvro(b []byte) ([]byte, error) {
	return avrobin.AppendLong(b, p.N), nil
}

func (p *ping) UnmarshalAvro(data []byte) error {
	r := avrobin.NewReader(data)
	p.DecodeAvro(r)
	return r.Finish()
}
func (p *ping) DecodeAvro(r *avrobin.Reader) { p.N = r.ReadLong() }

var plainSchema = &tonga.Schema{FullName: "test.Plain", Kind: tonga.KindNone, Fingerprint: 2}

func TestRegistry(t *testing.T) {
	reg, err := tonga.NewRegistry(pingSchema, plainSchema)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := reg.ByName("test.event.Ping"); !ok || s != pingSchema {
		t.Error("ByName")
	}
	if s, ok := reg.ByFingerprint(2); !ok || s != plainSchema {
		t.Error("ByFingerprint")
	}
	if got := reg.Schemas(); len(got) != 2 || got[0] != plainSchema {
		t.Errorf("Schemas() = %v, want sorted by name", got)
	}
	var got int64
	handler := func(_ context.Context, r tonga.Record, _ tonga.Emitter) error {
		got = r.(*ping).N
		return nil
	}
	if err := reg.Handle(pingSchema, handler); err != nil {
		t.Fatal(err)
	}
	rec, err := reg.Decode(1, []byte{0x54})
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.Dispatch(context.Background(), rec, nil); err != nil || got != 42 {
		t.Errorf("Dispatch: %v, handler saw %d", err, got)
	}

	tests := []struct {
		name string
		err  error
		want string
	}{
		{"second handler", reg.Handle(pingSchema, handler), "already has a handler"},
		{"plain record", reg.Handle(plainSchema, handler), "plain record"},
		{"unregistered", reg.Handle(&tonga.Schema{FullName: "x"}, handler), "not in the registry"},
		{"same name", reg.Add(&tonga.Schema{FullName: "test.Plain", Fingerprint: 3}), "two record types named test.Plain"},
		{"same fingerprint", reg.Add(&tonga.Schema{FullName: "other", Fingerprint: 1}), "same fingerprint"},
	}
	for _, tt := range tests {
		if tt.err == nil || !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error containing %q", tt.name, tt.err, tt.want)
		}
	}
	if _, err := reg.Decode(1, []byte{0x54, 0x00}); !errors.Is(err, avrobin.ErrCorrupt) {
		t.Errorf("Decode with a trailing byte: %v", err)
	}
	if _, err := reg.Decode(9, nil); !errors.Is(err, tonga.ErrUnknownSchema) {
		t.Errorf("Decode of an unknown fingerprint: %v", err)
	}
}

func ExampleNewRegistry() {
	reg, err := tonga.NewRegistry(pingSchema) // usually: records.Schemas()...
	if err != nil {
		panic(err)
	}
	s, _ := reg.ByFingerprint(pingSchema.Fingerprint)
	fmt.Println(s.FullName, s.Kind)
	// Output: test.event.Ping event
}

func ExampleEnvelope_Inherit() {
	order := tonga.NewEnvelope("1.0.0")
	bill := tonga.NewEnvelope("1.0.0")
	bill.Inherit(&order)
	fmt.Println(bill.CorrelationID == order.CorrelationID, bill.RecordID != order.RecordID)
	// Output: true true
}
