package wire

import (
	"fmt"

	"github.com/tonga-go/tonga/runtime/tonga"
)

// AppendFramed appends rec as a message value in framing f: single-object
// encoding or Tonga's container framing.
func AppendFramed(b []byte, f Framing, rec tonga.Record) ([]byte, error) {
	switch f {
	case FramingSingleObject:
		return AppendSingleObject(b, rec)
	case FramingContainer:
		return AppendContainerRecord(b, rec, ContainerOptions{})
	}
	return b, fmt.Errorf("%w: records are written in soe or tonga framing, not %v", ErrBadFraming, f)
}

// Key returns the Kafka key of rec as Tonga's key serializer writes it: the
// UTF-8 partition key of an event, command or result, or nil when it has
// none (a plain record, or a nil PartitionKey).
func Key(rec tonga.Record) []byte {
	env, ok := rec.(tonga.Enveloped)
	if !ok {
		return nil
	}
	if pk := env.TongaEnvelope().PartitionKey; pk != nil {
		return []byte(*pk)
	}
	return nil
}
