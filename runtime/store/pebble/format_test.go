package pebble

import (
	"errors"
	"testing"

	pebbledb "github.com/cockroachdb/pebble"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/internal/kv"
)

// TestLayoutVersion: a database of another layout version is refused as
// corrupt, so that it is rebuilt.
func TestLayoutVersion(t *testing.T) {
	dir := t.TempDir()
	b, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.(*db).db.Set([]byte(kv.FormatKey), []byte("0"), pebbledb.Sync); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if b, err := Open(dir); !errors.Is(err, store.ErrCorrupt) {
		if b != nil {
			_ = b.Close()
		}
		t.Errorf("Open of layout version 0 = %v, want ErrCorrupt", err)
	}
}

func TestInvalidOptions(t *testing.T) {
	for _, opt := range []Option{WithCacheSize(0), WithMemTableSize(1000), WithMemTableSize(4 << 30)} {
		if b, err := Open(t.TempDir(), opt); !errors.Is(err, errInvalidOption) {
			if b != nil {
				_ = b.Close()
			}
			t.Errorf("Open with a bad option = %v, want errInvalidOption", err)
		}
	}
}
