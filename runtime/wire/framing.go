package wire

import (
	"bytes"
	"fmt"
)

// Framing is how a message value is framed: the bytes around the Avro
// binary encoding of a record that say which schema wrote it.
type Framing int

// The framings.
const (
	// FramingUnknown is no framing this package knows.
	FramingUnknown Framing = iota
	// FramingSingleObject is Avro's single-object encoding: the bytes C3 01,
	// the 8-byte little-endian CRC-64-AVRO fingerprint of the writer
	// schema, then the record's binary encoding. It is the default.
	FramingSingleObject
	// FramingContainer is one Avro object container file per message, the
	// writer schema in its header, as Python Tonga writes it. Its name is
	// "tonga".
	FramingContainer
	// FramingConfluent is the Confluent schema registry framing: a zero
	// byte, the 4-byte big-endian schema id, then the binary encoding.
	// This package only detects it.
	FramingConfluent
)

// The first bytes of each framing.
var (
	singleObjectMagic = []byte{0xc3, 0x01}
	containerMagic    = []byte("Obj\x01")
)

// The lengths of the fixed headers.
const (
	// singleObjectHeaderLen is the magic and the fingerprint.
	singleObjectHeaderLen = 2 + 8
	// confluentHeaderLen is the magic byte and the schema id.
	confluentHeaderLen = 1 + 4
)

// String returns the framing's name: "soe", "tonga", "confluent" or
// "unknown".
func (f Framing) String() string {
	switch f {
	case FramingSingleObject:
		return "soe"
	case FramingContainer:
		return "tonga"
	case FramingConfluent:
		return "confluent"
	default:
		return "unknown"
	}
}

// noun names a message of the framing in error messages.
func (f Framing) noun() string {
	switch f {
	case FramingSingleObject:
		return "single-object message"
	case FramingContainer:
		return "container"
	case FramingConfluent:
		return "confluent message"
	default:
		return "message"
	}
}

// ParseFraming returns the framing named s, one of the names
// [Framing.String] returns; it also accepts "single-object" for
// [FramingSingleObject] and "container" for [FramingContainer].
func ParseFraming(s string) (Framing, error) {
	switch s {
	case "soe", "single-object":
		return FramingSingleObject, nil
	case "tonga", "container":
		return FramingContainer, nil
	case "confluent":
		return FramingConfluent, nil
	case "unknown":
		return FramingUnknown, nil
	}
	return FramingUnknown, fmt.Errorf("wire: unknown framing %q (want soe, tonga or confluent)", s)
}

// MarshalText returns the framing's name, as [Framing.String] does.
func (f Framing) MarshalText() ([]byte, error) {
	return []byte(f.String()), nil
}

// UnmarshalText sets f to the framing named text, as [ParseFraming] reads
// it.
func (f *Framing) UnmarshalText(text []byte) error {
	v, err := ParseFraming(string(text))
	if err != nil {
		return err
	}
	*f = v
	return nil
}

// Detect tells which framing data is in from its first bytes: "Obj" 01 is a
// container, C3 01 a single-object message, a zero byte a Confluent
// message. A single-object or Confluent message must be long enough to hold
// its fixed header (10 and 5 bytes); a container's header has no fixed
// length, so its magic is enough. Anything else is [FramingUnknown].
//
// Detect looks at the first bytes only: the message may still be corrupt.
// A message that [ParseSingleObject] accepts is always detected as
// [FramingSingleObject], and one that [ParseContainer] accepts as
// [FramingContainer].
func Detect(data []byte) Framing {
	switch {
	case bytes.HasPrefix(data, containerMagic):
		return FramingContainer
	case bytes.HasPrefix(data, singleObjectMagic) && len(data) >= singleObjectHeaderLen:
		return FramingSingleObject
	case len(data) >= confluentHeaderLen && data[0] == 0:
		return FramingConfluent
	}
	return FramingUnknown
}
