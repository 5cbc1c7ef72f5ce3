package wire

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/tonga-go/tonga/runtime/tonga"
)

// AppendSingleObject appends rec in Avro's single-object encoding to b: the
// bytes C3 01, the fingerprint of rec's schema in 8 little-endian bytes
// ([tonga.Schema.FingerprintBytes]), then rec's binary encoding. On error it
// returns b unchanged.
func AppendSingleObject(b []byte, rec tonga.Record) ([]byte, error) {
	s, start := rec.AvroSchema(), len(b)
	b = append(b, singleObjectMagic...)
	b = binary.LittleEndian.AppendUint64(b, s.Fingerprint)
	out, err := rec.AppendAvro(b)
	if err != nil {
		return b[:start], fmt.Errorf("wire: encode %s: %w", s.FullName, err)
	}
	return out, nil
}

// ParseSingleObject splits a single-object message into the fingerprint of
// its writer schema and the binary encoding of the record, which aliases
// data. It fails with an error matching [ErrBadFraming] if data does not
// start with C3 01 or is shorter than the 10-byte header; it does not look
// at the body.
func ParseSingleObject(data []byte) (fingerprint uint64, body []byte, err error) {
	if !bytes.HasPrefix(data, singleObjectMagic) {
		return 0, nil, &FrameError{
			Framing: FramingSingleObject,
			Msg:     fmt.Sprintf("magic % x is not c3 01", data[:min(len(data), 2)]),
			Err:     ErrBadFraming,
		}
	}
	if len(data) < singleObjectHeaderLen {
		return 0, nil, &FrameError{
			Framing: FramingSingleObject,
			Offset:  len(singleObjectMagic),
			Msg:     fmt.Sprintf("%d bytes are too short for the %d-byte header", len(data), singleObjectHeaderLen),
			Err:     ErrBadFraming,
		}
	}
	return binary.LittleEndian.Uint64(data[2:]), data[singleObjectHeaderLen:], nil
}
