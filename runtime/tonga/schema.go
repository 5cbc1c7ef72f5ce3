package tonga

import (
	"encoding/binary"

	"github.com/tonga-go/tonga/runtime/avrobin"
)

// Kind is the role a record type plays in a Tonga system.
type Kind uint8

// The kinds. A record of kind KindNone is a plain type: a field of another
// record or a store value, never dispatched to a handler.
const (
	KindNone Kind = iota
	KindEvent
	KindCommand
	KindResult
)

// String returns "none", "event", "command" or "result".
func (k Kind) String() string {
	switch k {
	case KindEvent:
		return "event"
	case KindCommand:
		return "command"
	case KindResult:
		return "result"
	default:
		return "none"
	}
}

// Schema describes one generated record type: its identity on the wire and
// a constructor for decoding. Generated code declares one per record type;
// treat it as read-only.
type Schema struct {
	// FullName is the Avro full name, e.g. "tonga.waiter.event.CoffeeOrdered".
	FullName string
	// Kind is the record's Tonga kind.
	Kind Kind
	// Canonical is the schema's Avro Parsing Canonical Form.
	Canonical string
	// Fingerprint is the CRC-64-AVRO fingerprint of Canonical.
	Fingerprint uint64
	// JSON is the complete schema, standalone (named types it uses are
	// defined inline at their first use), with docs, defaults and
	// attributes: what a writer puts in a container file header.
	JSON string
	// Aliases are the record's alias full names.
	Aliases []string
	// New returns a new, empty record of this type.
	New func() Record
	// Writers are older versions of the schema, kept beside the current
	// one at generate time, that generated code decodes directly.
	Writers []Writer
}

// Writer is an older version of a record type's schema and the generated
// decoder that reads data written with it into the current type.
type Writer struct {
	// Fingerprint is the CRC-64-AVRO fingerprint of the older schema.
	Fingerprint uint64
	// JSON is the older schema.
	JSON string
	// Decode decodes one record written with the older schema from r
	// into rec, a new record of the current type; errors stay in r.
	Decode func(rec Record, r *avrobin.Reader)
}

// FingerprintBytes returns the fingerprint as the 8 little-endian bytes
// Avro's single-object encoding writes.
func (s *Schema) FingerprintBytes() [8]byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], s.Fingerprint)
	return b
}

// Record is implemented by every generated record type (as a pointer).
type Record interface {
	// AvroSchema returns the type's schema description.
	AvroSchema() *Schema
	// AppendAvro appends the record's Avro binary encoding to b. It fails
	// only on values the schema cannot hold (a nil non-null union, an enum
	// value outside its symbols, a decimal that does not fit).
	AppendAvro(b []byte) ([]byte, error)
	// UnmarshalAvro decodes data, which must hold exactly one record in the
	// binary encoding of the type's own schema.
	UnmarshalAvro(data []byte) error
	// DecodeAvro decodes one record from r; errors are left in r.
	DecodeAvro(r *avrobin.Reader)
}

// The values of a command's processing_guarantee, as Python Tonga writes
// them. Empty means ExactlyOnce.
const (
	AtLeastOnce = "at_least_once"
	AtMostOnce  = "at_most_once"
	ExactlyOnce = "exactly_once"
)

// Command is implemented by generated commands.
type Command interface {
	Enveloped
	// TongaGuarantee returns the command's processing_guarantee:
	// AtLeastOnce, AtMostOnce or ExactlyOnce (the default when empty).
	TongaGuarantee() string
}

// Enveloped is implemented by generated events, commands and results: the
// records that carry Tonga's envelope.
type Enveloped interface {
	Record
	// TongaEnvelope returns the record's envelope, for reading and setting.
	TongaEnvelope() *Envelope
}
