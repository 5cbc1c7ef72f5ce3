package tonga

import (
	"crypto/rand"
	"encoding/hex"
	"maps"
	"math"
	"sync"
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
	// The id and the datetime share one allocation: a handler creates an
	// envelope for every record it emits.
	var buf [uuidLen + maxDatetimeLen]byte
	t := time.Now().UTC().Truncate(time.Microsecond)
	b := appendUUID(buf[:0])
	b = appendDatetime(b, t)
	text := string(b)
	id := text[:uuidLen]
	return Envelope{
		SchemaVersion: schemaVersion,
		RecordID:      id,
		CorrelationID: id,
		Timestamp:     float64(t.UnixMicro()) / 1000,
		Datetime:      text[uuidLen:],
	}
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
	var buf [maxDatetimeLen]byte
	return string(appendDatetime(buf[:0], t.UTC()))
}

// maxDatetimeLen is the length of FormatDatetime's text with a fraction
// and a four-digit year.
const maxDatetimeLen = len("2006-01-02T15:04:05.000000+00:00")

// appendDatetime appends FormatDatetime's text of t, which is in UTC. It
// writes the digits itself: time.Format's layout interpreter took ~0.5 µs,
// the largest part of creating an envelope.
func appendDatetime(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		// Python's datetime has no such years; keep Format's rendering.
		if t.Nanosecond()/1000 == 0 {
			return t.AppendFormat(b, "2006-01-02T15:04:05+00:00")
		}
		return t.AppendFormat(b, "2006-01-02T15:04:05.000000+00:00")
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	if us := t.Nanosecond() / 1000; us != 0 {
		b = append(b, '.')
		b = appendDigits(b, us, 6)
	}
	return append(b, "+00:00"...)
}

// appendDigits appends the n lowest decimal digits of v, which is not
// negative, with leading zeros.
func appendDigits(b []byte, v, n int) []byte {
	var d [6]byte
	for i := n - 1; i >= 0; i-- {
		d[i] = byte('0' + v%10)
		v /= 10
	}
	return append(b, d[:n]...)
}

// uuidLen is the length of a UUID's text form.
const uuidLen = 36

// NewUUID returns a random (version 4) UUID in its 36-character text form.
func NewUUID() string {
	var buf [uuidLen]byte
	return string(appendUUID(buf[:0]))
}

// appendUUID appends a new random (version 4) UUID in its text form.
func appendUUID(b []byte) []byte {
	var u [16]byte
	uuidRandom.read(&u)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var out [uuidLen]byte
	hex.Encode(out[0:8], u[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], u[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], u[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], u[8:10])
	out[23] = '-'
	hex.Encode(out[24:], u[10:])
	return append(b, out[:]...)
}

// uuidRandom hands out bytes from crypto/rand read 4 KiB at a time: one
// read serves 256 UUIDs, where a read for each cost ~150 ns, more than the
// rest of a UUID.
var uuidRandom randomBuffer

// randomBuffer is a buffer of bytes from crypto/rand, safe for concurrent
// use.
type randomBuffer struct {
	mu   sync.Mutex
	buf  [4096]byte
	left int // bytes not handed out yet, at the end of buf
}

// read fills u with random bytes no caller has had before.
func (r *randomBuffer) read(u *[16]byte) {
	r.mu.Lock()
	if r.left < len(u) {
		_, _ = rand.Read(r.buf[:]) // crypto/rand.Read never fails
		r.left = len(r.buf)
	}
	copy(u[:], r.buf[len(r.buf)-r.left:])
	r.left -= len(u)
	r.mu.Unlock()
}
