//go:build rocksdb

package rocksdb

import (
	"errors"
	"testing"

	"github.com/linxGnu/grocksdb"

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
	wo := grocksdb.NewDefaultWriteOptions()
	defer wo.Destroy()
	if err := b.(*db).db.Put(wo, []byte(kv.FormatKey), []byte("0")); err != nil {
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
	for _, opts := range [][]Option{{WithBlockCache(0)}, {WithSync(true)}, {WithStockOptions(), WithWAL(false), WithSync(true)}} {
		if b, err := Open(t.TempDir(), opts...); !errors.Is(err, errInvalidOption) {
			if b != nil {
				_ = b.Close()
			}
			t.Errorf("Open with bad options = %v, want errInvalidOption", err)
		}
	}
}
