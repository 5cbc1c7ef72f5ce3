package store

import (
	"fmt"
	"time"
	"unsafe"

	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/store/internal/changelog"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// Tonga's operation types.
const (
	opSet = "set"
	opDel = "del"
)

var changelogRegistry = func() *tonga.Registry {
	r, err := tonga.NewRegistry(changelog.Schemas()...)
	if err != nil {
		panic(err) // the generated schemas are fixed; this cannot happen
	}
	return r
}()

// encodeChange is a changelog message value: Tonga's tonga.store.record.
func encodeChange(f wire.Framing, op Op, now time.Time) ([]byte, error) {
	rec := changelog.NewRecord()
	rec.SchemaVersion = "0.0.0"
	rec.Timestamp = float64(now.UnixMicro()) / 1000
	rec.Datetime = tonga.FormatDatetime(now)
	rec.Key = op.Key
	rec.OperationType = opSet
	rec.Value = op.Value
	if op.Delete {
		rec.OperationType, rec.Value = opDel, []byte{}
	}
	return wire.AppendFramed(nil, f, rec)
}

// decodeChange reads a changelog message value, in either framing. The
// value of a set aliases the message value, and so does the key when
// aliasKey is set (for a backend that copies what it keeps); otherwise the
// key is a copy.
func decodeChange(dec *wire.Decoder, value []byte, aliasKey bool) (Op, error) {
	if c, ok := readChange(value); ok {
		var key string
		if aliasKey {
			key = unsafe.String(unsafe.SliceData(c.key), len(c.key))
		} else {
			key = string(c.key)
		}
		return Op{Key: key, Value: c.value, Delete: c.del}, nil
	}
	r, _, err := dec.Decode(value)
	if err != nil {
		return Op{}, err
	}
	rec, ok := r.(*changelog.Record)
	if !ok {
		return Op{}, fmt.Errorf("store: changelog holds a %s, not a tonga.store.record", r.AvroSchema().FullName)
	}
	switch rec.OperationType {
	case opSet:
		return Op{Key: rec.Key, Value: rec.Value}, nil
	case opDel:
		return Op{Key: rec.Key, Delete: true}, nil
	}
	return Op{}, fmt.Errorf("store: changelog operation %q is neither set nor del", rec.OperationType)
}

// storeRecordFingerprint is the fingerprint of tonga.store.record as this
// package writes it.
var storeRecordFingerprint = changelog.NewRecord().AvroSchema().Fingerprint

// change is a changelog record as readChange reads it: key and value
// alias the message value.
type change struct {
	key, value []byte
	del        bool
}

// readChange reads the message values a store writes by default, Tonga's
// store record single-object encoded with this package's schema, without
// the generic decoder and without copying. It reports false for any other
// message (the container framing, another writer schema, a body that does
// not parse, an unknown operation), which decodeChange hands to the
// generic decoder, which reads it or says why it cannot.
func readChange(value []byte) (change, bool) {
	fp, body, err := wire.ParseSingleObject(value)
	if err != nil || fp != storeRecordFingerprint {
		return change{}, false
	}
	var r avrobin.Reader
	r.Reset(body)
	r.SkipBytes() // schema_version
	r.Skip(8)     // timestamp, a double
	r.SkipBytes() // datetime
	kind, ok1 := rawBytes(&r, body)
	key, ok2 := rawBytes(&r, body)
	v, ok3 := rawBytes(&r, body)
	if !ok1 || !ok2 || !ok3 || r.Finish() != nil {
		return change{}, false
	}
	switch string(kind) {
	case opSet:
		return change{key: key, value: v}, true
	case opDel:
		return change{key: key, del: true}, true
	}
	return change{}, false
}

// rawBytes reads a bytes or string value of data, which r reads, without
// copying it. It reports false if the value is not there whole.
func rawBytes(r *avrobin.Reader, data []byte) ([]byte, bool) {
	n := r.ReadLong()
	at := r.Offset()
	if r.Err() != nil || n < 0 || n > int64(r.Remaining()) {
		return nil, false
	}
	r.Skip(int(n))
	end := at + int(n)
	return data[at:end:end], true
}

func newChangelogDecoder() *wire.Decoder {
	d, err := wire.NewDecoder(changelogRegistry)
	if err != nil {
		panic(err) // no options: cannot fail
	}
	return d
}
