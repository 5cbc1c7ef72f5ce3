package tonga_test

import (
	"math"
	"math/rand/v2"
	"regexp"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/tonga"
)

func TestFormatDatetime(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 12, 3, 16, 45, 20, 123456789, time.UTC), "2026-12-03T16:45:20.123456+00:00"},
		{time.Date(2026, 12, 3, 16, 45, 20, 0, time.UTC), "2026-12-03T16:45:20+00:00"},
		{time.Date(2026, 12, 3, 16, 45, 20, 999, time.UTC), "2026-12-03T16:45:20+00:00"}, // below a microsecond
		{time.Date(2026, 12, 3, 18, 45, 20, 1000, time.FixedZone("x", 7200)), "2026-12-03T16:45:20.000001+00:00"},
	}
	for _, tt := range tests {
		if got := tonga.FormatDatetime(tt.in); got != tt.want {
			t.Errorf("FormatDatetime(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFormatDatetimeMatchesFormat checks the hand-written digits against
// time.Format's layouts over instants spread across the years Python's
// datetime allows, with and without a fraction.
func TestFormatDatetimeMatchesFormat(t *testing.T) {
	lo := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	hi := time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC).UnixMicro()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		at := time.UnixMicro(lo + r.Int64N(hi-lo)).UTC()
		if i%2 == 0 {
			at = at.Truncate(time.Second)
		}
		layout := "2006-01-02T15:04:05.000000+00:00"
		if at.Nanosecond() == 0 {
			layout = "2006-01-02T15:04:05+00:00"
		}
		if got, want := tonga.FormatDatetime(at), at.Format(layout); got != want {
			t.Fatalf("FormatDatetime(%v) = %q, want %q", at, got, want)
		}
	}
}

func TestNewEnvelope(t *testing.T) {
	before := time.Now().Truncate(time.Microsecond)
	e := tonga.NewEnvelope("1.0.0")
	after := time.Now()
	if e.SchemaVersion != "1.0.0" || e.RecordID == "" || e.CorrelationID != e.RecordID || !e.IsRoot() {
		t.Errorf("NewEnvelope: %+v", e)
	}
	at := e.Time()
	if at.Before(before) || at.After(after) || e.Datetime != tonga.FormatDatetime(at) {
		t.Errorf("NewEnvelope at %v..%v: timestamp %v, datetime %q", before, after, e.Timestamp, e.Datetime)
	}
}

func TestEnvelopeTime(t *testing.T) {
	var e tonga.Envelope
	at := time.Date(2026, 1, 2, 3, 4, 5, 678901000, time.UTC)
	e.SetTime(at)
	if e.Timestamp != 1767323045678.901 || e.Datetime != "2026-01-02T03:04:05.678901+00:00" || !e.Time().Equal(at) {
		t.Errorf("SetTime(%v): timestamp %v, datetime %q, Time() %v", at, e.Timestamp, e.Datetime, e.Time())
	}
	// Python Tonga writes time.time()*1000, a double with a fraction.
	e.Timestamp = 1767323045678.9014
	if got := e.Time(); !got.Equal(at) {
		t.Errorf("Time() of a Python timestamp = %v, want %v", got, at)
	}
}

func TestNewUUID(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		u := tonga.NewUUID()
		if !v4.MatchString(u) || seen[u] {
			t.Fatalf("NewUUID() = %q (seen before: %v)", u, seen[u])
		}
		seen[u] = true
	}
}

func TestInherit(t *testing.T) {
	parent := tonga.NewEnvelope("1.0.0")
	parent.Context = tonga.Context{"user": tonga.ContextString("ana")}

	child := tonga.NewEnvelope("1.0.0")
	child.Inherit(&parent)
	if child.CorrelationID != parent.CorrelationID || child.IsRoot() {
		t.Errorf("root child: correlation %q, want %q", child.CorrelationID, parent.CorrelationID)
	}
	child.Context["user"] = tonga.ContextString("bob")
	if parent.Context["user"] != tonga.ContextString("ana") {
		t.Error("Inherit shares the parent's context map")
	}

	set := tonga.NewEnvelope("1.0.0")
	set.CorrelationID = "chosen"
	set.Context = tonga.Context{}
	set.Inherit(&parent)
	if set.CorrelationID != "chosen" || len(set.Context) != 0 {
		t.Errorf("Inherit overwrote values already set: %q %v", set.CorrelationID, set.Context)
	}
	set.Inherit(nil) // no parent: nothing happens

	key := "k1"
	parent.PartitionKey = &key
	keyed := tonga.NewEnvelope("1.0.0")
	keyed.Inherit(&parent)
	if keyed.PartitionKey == nil || *keyed.PartitionKey != "k1" || keyed.PartitionKey == parent.PartitionKey {
		t.Errorf("Inherit: partition key %v, want a copy of the parent's", keyed.PartitionKey)
	}
	own := "mine"
	keyed.PartitionKey = &own
	keyed.Inherit(&parent)
	if *keyed.PartitionKey != "mine" {
		t.Errorf("Inherit overwrote the partition key set: %q", *keyed.PartitionKey)
	}
	emitted := tonga.NewEnvelope("1.0.0")
	emitted.InheritFlow(&parent)
	if emitted.PartitionKey != nil || emitted.CorrelationID != parent.CorrelationID {
		t.Errorf("InheritFlow: partition key %v, correlation %q; want none and the parent's", emitted.PartitionKey, emitted.CorrelationID)
	}
}

func TestContextCodec(t *testing.T) {
	in := tonga.Context{
		"null": nil, "int": tonga.ContextInt(math.MinInt32), "long": tonga.ContextLong(math.MaxInt64),
		"float": tonga.ContextFloat(-1.5), "double": tonga.ContextDouble(math.SmallestNonzeroFloat64), "string": tonga.ContextString("é"),
	}
	data := tonga.AppendContext(nil, in)
	r := avrobin.NewReader(data)
	out := tonga.DecodeContext(r)
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("decoded %v, want %v", out, in)
	}
	for k, v := range in {
		if out[k] != v {
			t.Errorf("%s: %#v, want %#v", k, out[k], v)
		}
	}
	// One entry, written as Python Tonga's avro library would: a block of 1,
	// the key, branch 4 (double), the value, the end of the map.
	python := []byte{0x02, 0x02, 'n', 0x08, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x00}
	if got := tonga.AppendContext(nil, tonga.Context{"n": tonga.ContextDouble(1)}); string(got) != string(python) {
		t.Errorf("encoding % x, want % x", got, python)
	}
	if got := tonga.DecodeContext(avrobin.NewReader([]byte{0})); got != nil {
		t.Errorf("an empty map decodes as %v, want nil", got)
	}
	bad := avrobin.NewReader([]byte{0x02, 0x02, 'n', 0x0c})
	tonga.DecodeContext(bad)
	if bad.Err() == nil {
		t.Error("branch 6 of a 6-branch union accepted")
	}
}

func TestResultError(t *testing.T) {
	msg := "out of milk"
	for _, e := range []*tonga.ResultError{{Label: "no-milk"}, {Label: "no-milk", Message: &msg}} {
		for _, null := range []int{0, 1} {
			data := tonga.AppendResultError(nil, e, null)
			r := avrobin.NewReader(data)
			got := tonga.DecodeResultError(r, null)
			if err := r.Finish(); err != nil || got.Error() != e.Error() {
				t.Errorf("round trip of %v (null at %d): %v, %v", e, null, got, err)
			}
		}
	}
	if got := (&tonga.ResultError{Label: "l", Message: &msg}).Error(); got != "l: out of milk" {
		t.Errorf("Error() = %q", got)
	}
}
