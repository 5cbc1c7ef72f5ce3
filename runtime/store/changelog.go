package store

import (
	"fmt"
	"time"

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

// decodeChange reads a changelog message value, in either framing.
func decodeChange(dec *wire.Decoder, value []byte) (Op, error) {
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

func newChangelogDecoder() *wire.Decoder {
	d, err := wire.NewDecoder(changelogRegistry)
	if err != nil {
		panic(err) // no options: cannot fail
	}
	return d
}
