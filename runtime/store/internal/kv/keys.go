// Package kv is what the store's key-value engines (Pebble, RocksDB)
// share: the layout of their key space and the gate that lets Close wait
// for the calls in flight.
package kv

import (
	"encoding/binary"
	"fmt"

	"github.com/tonga-go/tonga/runtime/store"
)

// The engine's key space is split by a first byte: user keys, offsets and
// metadata each have their own, so a Range over user keys never meets the
// others, whatever bytes the user keys hold.
const (
	DataPrefix   = 'd' // 'd' + key → value
	MetaPrefix   = 'm' // 'm' + meta key → value
	OffsetPrefix = 'o' // 'o' + big-endian uint32 partition → big-endian int64 offset
	FormatKey    = "v" // the layout version, FormatVersion
)

// FormatVersion names this layout; a directory written with another is
// refused as corrupt, and rebuilt.
const FormatVersion = "1"

// Prefixed returns prefix followed by key.
func Prefixed(prefix byte, key string) []byte {
	b := make([]byte, 1+len(key))
	b[0] = prefix
	copy(b[1:], key)
	return b
}

// PrefixEnd is the first key after every key starting with prefix.
func PrefixEnd(prefix byte) []byte { return []byte{prefix + 1} }

// OffsetKey is the key of partition p's changelog offset.
func OffsetKey(p int32) []byte {
	return binary.BigEndian.AppendUint32([]byte{OffsetPrefix}, uint32(p))
}

// OffsetValue is the value of an offset record.
func OffsetValue(o int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(o)) }

// DecodeOffset reads an offset record; engine names the engine in the
// error.
func DecodeOffset(engine string, k, v []byte) (int32, int64, error) {
	if len(k) != 5 || len(v) != 8 {
		return 0, 0, fmt.Errorf("store/%s: malformed offset record %x=%x: %w", engine, k, v, store.ErrCorrupt)
	}
	return int32(binary.BigEndian.Uint32(k[1:])), int64(binary.BigEndian.Uint64(v)), nil
}
