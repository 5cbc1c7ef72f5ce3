package codectest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/tonga"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// TestSeedRoundTrip encodes and decodes a value of every seed record, the
// schemas of Python Tonga's coffee bar, unchanged.
func TestSeedRoundTrip(t *testing.T) {
	ordered := seed.NewCoffeeOrdered()
	ordered.UUID, ordered.CupType, ordered.CoffeeType, ordered.CoffeeFor, ordered.Amount = "c1", "large", "latte", "ana", 2.5
	ordered.PartitionKey = ptr("c1")
	ordered.Context = tonga.Context{
		"null": nil, "int": tonga.ContextInt(-1), "long": tonga.ContextLong(1 << 40),
		"float": tonga.ContextFloat(0.5), "double": tonga.ContextDouble(1e300), "string": tonga.ContextString("s"),
	}
	bill := seed.NewBillCreatedFrom(ordered)
	bill.UUID, bill.CoffeeUUID, bill.Amount = "b1", "c1", 2.5
	result := seed.NewMakeCoffeeResultFrom(bill)
	result.Error = &tonga.ResultError{Label: "no-milk", Message: ptr("out of milk")}
	served := seed.NewCoffeeServed()
	served.IsPayed = true
	make := seed.NewMakeCoffee()
	make.ProcessingGuarantee = "exactly_once"
	store := seed.NewRecord()
	store.OperationType, store.Key, store.Value = "set", "k", []byte{0, 1}

	roundTrip(t, ordered)
	roundTrip(t, bill)
	roundTrip(t, result)
	result.Error.Message = nil
	roundTrip(t, result)
	roundTrip(t, served)
	roundTrip(t, make)
	roundTrip(t, seed.NewCoffeeStarted())
	roundTrip(t, seed.NewCoffeeFinished())
	roundTrip(t, seed.NewBillPaid())
	roundTrip(t, store)

	if bill.CorrelationID != ordered.CorrelationID || bill.RecordID == ordered.RecordID || len(bill.Context) != 6 {
		t.Errorf("child record: correlation %q (parent %q), record id %q (parent %q), context %v",
			bill.CorrelationID, ordered.CorrelationID, bill.RecordID, ordered.RecordID, bill.Context)
	}
}

func TestEnvelope(t *testing.T) {
	before := time.Now().Add(-time.Millisecond)
	ev := seed.NewCoffeeOrdered()
	if ev.SchemaVersion != "0.0.0" || len(ev.RecordID) != 36 || ev.CorrelationID != ev.RecordID || !ev.IsRoot() {
		t.Errorf("envelope of a new record: %+v", ev.Envelope)
	}
	if at := ev.Time(); at.Before(before) || at.After(time.Now()) {
		t.Errorf("Time() = %v, not now", at)
	}
	if !strings.HasSuffix(ev.Datetime, "+00:00") {
		t.Errorf("Datetime %q is not Python's isoformat", ev.Datetime)
	}
	if got := ev.AvroSchema(); got.Kind != tonga.KindEvent || got.FullName != "tonga.waiter.event.CoffeeOrdered" {
		t.Errorf("schema %s, kind %v", got.FullName, got.Kind)
	}
	if got := seed.NewRecord().AvroSchema().Kind; got != tonga.KindNone {
		t.Errorf("tonga.store.record is %v, want a plain record", got)
	}
}

// recorder is an Emitter that keeps what it is given, as a handler test
// would use.
type recorder struct{ got []tonga.Record }

func (r *recorder) Emit(_ context.Context, _ string, rec tonga.Record) error {
	r.got = append(r.got, rec)
	return nil
}

type bartender struct{ calls int }

func (b *bartender) HandleBillCreated(ctx context.Context, ev *seed.BillCreated, out tonga.Emitter) error {
	b.calls++
	cmd := seed.NewMakeCoffeeFrom(ev)
	cmd.UUID = ev.CoffeeUUID
	return out.Emit(ctx, "coffee-maker-commands", cmd)
}

func (b *bartender) OnMakeCoffeeResult(context.Context, *seed.MakeCoffeeResult, tonga.Emitter) error {
	b.calls++
	return nil
}

func TestRegistryDispatch(t *testing.T) {
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	b := &bartender{}
	if err := seed.RegisterHandlers(reg, b); err != nil {
		t.Fatal(err)
	}
	if got := len(reg.Handled()); got != 2 {
		t.Errorf("%d handled types, want 2", got)
	}
	bill := seed.NewBillCreated()
	bill.CoffeeUUID = "c9"
	data, err := bill.MarshalAvro()
	if err != nil {
		t.Fatal(err)
	}
	rec, err := reg.Decode(bill.AvroSchema().Fingerprint, data)
	if err != nil {
		t.Fatal(err)
	}
	out := &recorder{}
	if err := reg.Dispatch(context.Background(), rec, out); err != nil {
		t.Fatal(err)
	}
	if len(out.got) != 1 || out.got[0].(*seed.MakeCoffee).UUID != "c9" || out.got[0].(*seed.MakeCoffee).CorrelationID != bill.CorrelationID {
		t.Errorf("emitted %+v", out.got)
	}
	if err := reg.Dispatch(context.Background(), seed.NewCoffeeServed(), out); !errors.Is(err, tonga.ErrNoHandler) {
		t.Errorf("dispatch without handler: %v", err)
	}
	if _, err := reg.Decode(12345, data); !errors.Is(err, tonga.ErrUnknownSchema) {
		t.Errorf("decode of unknown fingerprint: %v", err)
	}
	if err := seed.RegisterHandlers(reg, struct{}{}); err == nil {
		t.Error("RegisterHandlers accepted a value with no handler methods")
	}
	if err := seed.RegisterBillCreatedHandler(reg, b); err == nil {
		t.Error("a second handler for one type was accepted")
	}
}
