package wire

import (
	"errors"
	"strconv"
)

// The conditions callers branch on. Every error that [ParseSingleObject] and
// [ParseContainer] return is a [*FrameError] that matches exactly one of
// them, or [avrobin.ErrCorrupt], with [errors.Is].
var (
	// ErrBadFraming is matched by the error for data that is not in the
	// framing asked for: a wrong magic, or too short to hold the header.
	ErrBadFraming = errors.New("wire: bad framing")
	// ErrUnsupportedCodec is matched by the error for a container whose
	// codec this package does not read, or an [AppendContainer] with a
	// codec it does not write.
	ErrUnsupportedCodec = errors.New("wire: unsupported codec")
	// ErrTooLarge is matched by the error for a container whose blocks
	// decompress to more than the limit (see [ParseContainerLimit]). The
	// container may be valid: a reader with a larger limit may read it.
	ErrTooLarge = errors.New("wire: decompressed data exceeds the limit")
)

// FrameError describes a message that cannot be parsed in its framing:
// which framing, where in the message, and what is wrong. Err is what it
// matches: [ErrBadFraming], [ErrUnsupportedCodec], [ErrTooLarge], or an error
// matching [avrobin.ErrCorrupt] (an [*avrobin.Error] when the fault was found
// by the Avro binary reader) for corrupt content: truncated data, bad
// lengths, a wrong sync marker, bad compressed data.
type FrameError struct {
	// Framing is the framing the message was parsed as.
	Framing Framing
	// Offset is where the offending item starts, in bytes from the start
	// of the message.
	Offset int
	// Msg says what is wrong, for example "block 0: sync marker differs
	// from the header's".
	Msg string
	// Err is the condition the error matches.
	Err error
}

// Error returns the message, for example "wire: container at offset 812:
// block 0: sync marker differs from the header's".
func (e *FrameError) Error() string {
	return "wire: " + e.Framing.noun() + " at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns Err.
func (e *FrameError) Unwrap() error { return e.Err }
