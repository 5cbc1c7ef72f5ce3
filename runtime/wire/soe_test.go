package wire_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

func ptr[T any](v T) *T { return &v }

// seedRecords returns a filled value of every seed record type: the
// schemas of Python Tonga's coffee bar and its store record. Their context
// values are doubles, strings and nulls, the branches Python's writer
// picks, so that they survive a round trip through Python.
func seedRecords() []tonga.Record {
	ordered := seed.NewCoffeeOrdered()
	ordered.UUID, ordered.CupType, ordered.CoffeeType, ordered.CoffeeFor, ordered.Amount = "c1", "large", "latte", "ana", 2.5
	ordered.PartitionKey = ptr("c1")
	ordered.Context = tonga.Context{"n": nil, "d": tonga.ContextDouble(0.25), "s": tonga.ContextString("s")}
	bill := seed.NewBillCreatedFrom(ordered)
	bill.UUID, bill.CoffeeUUID, bill.Amount = "b1", "c1", 2.5
	paid := seed.NewBillPaidFrom(bill)
	paid.UUID, paid.CoffeeUUID, paid.Amount = "b1", "c1", 2.5
	mk := seed.NewMakeCoffeeFrom(bill)
	mk.ProcessingGuarantee, mk.UUID, mk.CupType, mk.CoffeeType = "exactly_once", "c1", "large", "latte"
	started := seed.NewCoffeeStartedFrom(mk)
	started.UUID = "c1"
	result := seed.NewMakeCoffeeResultFrom(mk)
	result.UUID = "c1"
	result.Error = &tonga.ResultError{Label: "no-milk", Message: ptr("out of milk")}
	noMessage := seed.NewMakeCoffeeResultFrom(mk)
	noMessage.UUID = "c2"
	noMessage.Error = &tonga.ResultError{Label: "no-cup"}
	finished := seed.NewCoffeeFinishedFrom(result)
	finished.UUID, finished.CoffeeTime, finished.CoffeeFor = "c1", 12.75, "ana"
	served := seed.NewCoffeeServedFrom(finished)
	served.UUID, served.ServedTo, served.IsPayed, served.Amount = "c1", "ana", true, 2.5
	store := seed.NewRecord()
	store.SchemaVersion, store.Timestamp, store.Datetime = "0.0.0", 1.7e12, "2023-11-14T22:13:20+00:00"
	store.OperationType, store.Key, store.Value = "set", "c1", []byte{0, 1, 0xff}
	return []tonga.Record{ordered, bill, paid, mk, started, result, noMessage, finished, served, store}
}

// decodeOne decodes data, which must hold exactly one record of the type
// s describes.
func decodeOne(t *testing.T, s *tonga.Schema, data []byte) tonga.Record {
	t.Helper()
	got := s.New()
	if err := got.UnmarshalAvro(data); err != nil {
		t.Fatalf("decode %s: %v", s.FullName, err)
	}
	return got
}

func TestSingleObjectRoundTrip(t *testing.T) {
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range seedRecords() {
		s := rec.AvroSchema()
		t.Run(s.FullName, func(t *testing.T) {
			prefix := []byte("prefix")
			msg, err := wire.AppendSingleObject(prefix, rec)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(msg, []byte("prefix")) {
				t.Fatalf("AppendSingleObject lost the prefix: %q", msg)
			}
			msg = msg[len(prefix):]
			if got := wire.Detect(msg); got != wire.FramingSingleObject {
				t.Errorf("Detect = %v, want soe", got)
			}
			fp, body, err := wire.ParseSingleObject(msg)
			if err != nil {
				t.Fatal(err)
			}
			if fp != s.Fingerprint {
				t.Errorf("fingerprint %#x, want %#x", fp, s.Fingerprint)
			}
			if fpb := s.FingerprintBytes(); !bytes.Equal(msg[2:10], fpb[:]) {
				t.Errorf("header fingerprint % x, want % x", msg[2:10], fpb)
			}
			if diff := cmp.Diff(rec, decodeOne(t, s, body)); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
			got, err := reg.Decode(fp, body)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(rec, got); diff != "" {
				t.Errorf("registry decode (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSingleObjectBytes checks a message against bytes worked out by hand
// from the specification: C3 01, the fingerprint in little-endian order,
// then the body.
func TestSingleObjectBytes(t *testing.T) {
	rec := &seed.CoffeeStarted{Envelope: tonga.Envelope{
		SchemaVersion: "0.0.0", RecordID: "r", Timestamp: 1.5, Datetime: "d", CorrelationID: "c",
	}, UUID: "u"}
	want := []byte{
		0xc3, 0x01, // magic
		0x1b, 0x5c, 0x0d, 0xf3, 0x51, 0xb0, 0x63, 0x8d, // fingerprint 0x8d63b051f30d5c1b
		0x0a, '0', '.', '0', '.', '0', // schema_version
		0x02, 'r', // record_id
		0x00,                                           // partition_key: null
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf8, 0x3f, // timestamp 1.5
		0x02, 'd', // datetime
		0x02, 'c', // correlation_id
		0x00,      // context: empty map
		0x02, 'u', // uuid
	}
	got, err := wire.AppendSingleObject(nil, rec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("AppendSingleObject =\n% x\nwant\n% x", got, want)
	}
	fp, body, err := wire.ParseSingleObject(want)
	if err != nil || fp != 0x8d63b051f30d5c1b || !bytes.Equal(body, want[10:]) {
		t.Errorf("ParseSingleObject = %#x, % x, %v", fp, body, err)
	}
}

func TestParseSingleObjectErrors(t *testing.T) {
	msg, err := wire.AppendSingleObject(nil, seedRecords()[0])
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(msg) + 1 {
		_, body, err := wire.ParseSingleObject(msg[:n])
		switch {
		case n < 10 && !errors.Is(err, wire.ErrBadFraming):
			t.Errorf("%d bytes: error %v, want ErrBadFraming", n, err)
		case n >= 10 && (err != nil || len(body) != n-10):
			t.Errorf("%d bytes: body of %d bytes, error %v", n, len(body), err)
		}
	}
	for _, data := range [][]byte{nil, {0xc3}, {0xc3, 0x02, 1, 2, 3, 4, 5, 6, 7, 8}, []byte("Obj\x01xxxxxxxx")} {
		_, _, err := wire.ParseSingleObject(data)
		var fe *wire.FrameError
		if !errors.Is(err, wire.ErrBadFraming) || !errors.As(err, &fe) || fe.Framing != wire.FramingSingleObject {
			t.Errorf("ParseSingleObject(% x) = %v, want a *FrameError matching ErrBadFraming", data, err)
		}
	}
}

// badRecord is a record whose encoding fails.
type badRecord struct{ seed.CoffeeStarted }

func (*badRecord) AppendAvro(b []byte) ([]byte, error) {
	return append(b, "junk"...), errors.New("cannot encode")
}

func TestAppendErrorsKeepInput(t *testing.T) {
	b := []byte("prefix")
	got, err := wire.AppendSingleObject(b, new(badRecord))
	if err == nil || string(got) != "prefix" {
		t.Errorf("AppendSingleObject = %q, %v; want the input and an error", got, err)
	}
	for _, codec := range []wire.Codec{wire.CodecNull, wire.CodecDeflate} {
		got, err = wire.AppendContainerRecord(b, new(badRecord), wire.ContainerOptions{Codec: codec})
		if err == nil || string(got) != "prefix" {
			t.Errorf("AppendContainerRecord with %s = %q, %v; want the input and an error", codec, got, err)
		}
	}
}
