package avrobin

import (
	"errors"
	"strconv"
)

// ErrCorrupt is matched, with [errors.Is], by every error a [Reader] reports
// about its input.
var ErrCorrupt = errors.New("avrobin: corrupt data")

// Error describes corrupt input found by a [Reader]: what is wrong and the
// offset, in bytes from the start of the input, of the item that is wrong.
type Error struct {
	// Offset is where the offending item starts in the input.
	Offset int
	// Msg says what is wrong, for example "string length 1000 exceeds the
	// 5 bytes remaining".
	Msg string
}

// Error returns the message, for example "avrobin: corrupt data at offset
// 12: string length 1000 exceeds the 5 bytes remaining".
func (e *Error) Error() string {
	return "avrobin: corrupt data at offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns [ErrCorrupt].
func (e *Error) Unwrap() error { return ErrCorrupt }
