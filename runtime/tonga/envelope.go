package tonga

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"math"
	"time"
)

// DefaultSchemaVersion is the schema_version a record gets when its schema
// has no "tonga.version" attribute, as in Python Tonga.
const DefaultSchemaVersion = "0.0.0"

// Envelope holds the fields Tonga puts in every event, command and result.
// Generated record types embed it, so its fields read as the record's own:
// ev.RecordID, ev.CorrelationID.
type Envelope struct {
	// SchemaVersion is the version of the schema the record was written
	// with (X.Y.Z).
	SchemaVersion string
	// RecordID identifies this record: a random UUID.
	RecordID string
	// PartitionKey decides the partition the record is written to; nil
	// leaves the choice to the producer.
	PartitionKey *string
	// Timestamp is when the record was created, in milliseconds since the
	// Unix epoch, with a fraction; see Time.
	Timestamp float64
	// Datetime is Timestamp as ISO 8601 text, as Python's isoformat
	// writes it.
	Datetime string
	// CorrelationID links the records of one flow. A record that starts a
	// flow has its own record id here.
	CorrelationID string
	// Context carries values that travel with the flow.
	Context Context
}

// NewEnvelope returns an envelope with a new record id, the current time,
// and a correlation id equal to the record id: the root of a new flow.
func NewEnvelope(schemaVersion string) Envelope {
	id := NewUUID()
	e := Envelope{SchemaVersion: schemaVersion, RecordID: id, CorrelationID: id}
	e.SetTime(time.Now())
	return e
}

// TongaEnvelope returns e. Through embedding it makes every generated event,
// command and result an [Enveloped].
func (e *Envelope) TongaEnvelope() *Envelope { return e }

// Time returns Timestamp as a time.Time in UTC, to the microsecond.
func (e *Envelope) Time() time.Time {
	return time.UnixMicro(int64(math.Round(e.Timestamp * 1000))).UTC()
}

// SetTime sets Timestamp and Datetime to t.
func (e *Envelope) SetTime(t time.Time) {
	t = t.UTC().Truncate(time.Microsecond)
	e.Timestamp = float64(t.UnixMicro()) / 1000
	e.Datetime = FormatDatetime(t)
}

// IsRoot reports whether e starts a flow: its correlation id is empty or
// its own record id, as [NewEnvelope] leaves it.
func (e *Envelope) IsRoot() bool {
	return e.CorrelationID == "" || e.CorrelationID == e.RecordID
}

// Inherit makes e part of parent's flow, as the generated New<Record>From
// constructors do: InheritFlow, and when e has no partition key, a copy of
// parent's, so that the records of one flow land on the partition of the
// same number, where the same statefulset instance handles them. Values
// already set are kept.
func (e *Envelope) Inherit(parent *Envelope) {
	if parent == nil {
		return
	}
	e.InheritFlow(parent)
	if e.PartitionKey == nil && parent.PartitionKey != nil {
		k := *parent.PartitionKey
		e.PartitionKey = &k
	}
}

// InheritFlow makes e part of parent's flow, as a record emitted while
// parent is handled is: when e is a root (see IsRoot) it takes parent's
// correlation id, and when its context is nil, a copy of parent's context.
// Values already set are kept; the partition key is not inherited.
func (e *Envelope) InheritFlow(parent *Envelope) {
	if parent == nil {
		return
	}
	if e.IsRoot() && parent.CorrelationID != "" {
		e.CorrelationID = parent.CorrelationID
	}
	if e.Context == nil && parent.Context != nil {
		e.Context = maps.Clone(parent.Context)
	}
}

// FormatDatetime formats t in UTC as Python's datetime.isoformat does for an
// aware datetime: "2026-12-03T16:45:20.123456+00:00", without a fraction
// when the microseconds are zero.
func FormatDatetime(t time.Time) string {
	t = t.UTC()
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02T15:04:05+00:00")
	}
	return t.Format("2006-01-02T15:04:05.000000+00:00")
}

// NewUUID returns a random (version 4) UUID in its 36-character text form.
func NewUUID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], u[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], u[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], u[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], u[8:10])
	out[23] = '-'
	hex.Encode(out[24:], u[10:])
	return string(out[:])
}
