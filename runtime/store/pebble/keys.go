package pebble

import (
	"encoding/binary"
	"fmt"

	"github.com/tonga-go/tonga/runtime/store"
)

// The engine's key space is split by a first byte: user keys, offsets and
// metadata each have their own, so a Range over user keys never meets the
// others, whatever bytes the user keys hold.
const (
	dataPrefix   = 'd' // 'd' + key → value
	metaPrefix   = 'm' // 'm' + meta key → value
	offsetPrefix = 'o' // 'o' + big-endian uint32 partition → big-endian int64 offset
	formatKey    = "v" // the layout version, formatVersion
)

// formatVersion names this layout; a directory written with another is
// refused as corrupt, and rebuilt.
const formatVersion = "1"

// prefixed returns prefix followed by key.
func prefixed(prefix byte, key string) []byte {
	b := make([]byte, 1+len(key))
	b[0] = prefix
	copy(b[1:], key)
	return b
}

// prefixEnd is the first key after every key starting with prefix.
func prefixEnd(prefix byte) []byte { return []byte{prefix + 1} }

func offsetKey(p int32) []byte {
	return binary.BigEndian.AppendUint32([]byte{offsetPrefix}, uint32(p))
}

func offsetValue(o int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(o)) }

// decodeOffset reads an offset record.
func decodeOffset(k, v []byte) (int32, int64, error) {
	if len(k) != 5 || len(v) != 8 {
		return 0, 0, fmt.Errorf("store/pebble: malformed offset record %x=%x: %w", k, v, store.ErrCorrupt)
	}
	return int32(binary.BigEndian.Uint32(k[1:])), int64(binary.BigEndian.Uint64(v)), nil
}
