package pebble

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	pebbledb "github.com/cockroachdb/pebble"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/internal/kv"
)

// TestZeroedTableAtOpen zeroes, in place and at its size, a table whose
// keys Open does not read (Open reads the layout version, which is in
// another table). Open must still refuse the directory as corrupt, so
// that the store is rebuilt rather than failing at its first read of
// the table.
func TestZeroedTableAtOpen(t *testing.T) {
	dir := t.TempDir()
	zeroed := twoTables(t, dir)
	fi, err := os.Stat(filepath.Join(dir, zeroed))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, zeroed), make([]byte, fi.Size()), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := Open(dir)
	if !errors.Is(err, store.ErrCorrupt) {
		if err == nil {
			rerr := b.Range("", "", func(string, []byte) bool { return true })
			_ = b.Close()
			t.Fatalf("Open with a zeroed table succeeded (and Range = %v), want ErrCorrupt", rerr)
		}
		t.Fatalf("Open with a zeroed table = %v, want ErrCorrupt", err)
	}
	t.Logf("Open: %v", err)
}

// twoTables writes a store in this package's layout as two tables, with
// automatic compactions off so that they stay apart: the layout version,
// an offset, the metadata and keys a/... in one, keys b/... in the other,
// whose name it returns.
func twoTables(t *testing.T, dir string) string {
	t.Helper()
	pdb, err := pebbledb.Open(dir, &pebbledb.Options{DisableAutomaticCompactions: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := pdb.Close(); err != nil {
			t.Error(err)
		}
	}()
	write := func(prefix string, extra map[string][]byte) map[string]bool {
		batch := pdb.NewBatch()
		for i := range 1000 {
			_ = batch.Set(kv.Prefixed(kv.DataPrefix, fmt.Sprintf("%s/%04d", prefix, i)), make([]byte, 100), nil)
		}
		for k, v := range extra {
			_ = batch.Set([]byte(k), v, nil)
		}
		if err := batch.Commit(pebbledb.Sync); err != nil {
			t.Fatal(err)
		}
		if err := pdb.Flush(); err != nil {
			t.Fatal(err)
		}
		return listTables(t, dir)
	}
	first := write("a", map[string][]byte{
		kv.FormatKey:            []byte(kv.FormatVersion),
		string(kv.OffsetKey(0)): kv.OffsetValue(7),
		string(kv.Prefixed(kv.MetaPrefix, "name")): []byte("t/0"),
	})
	var later []string
	for f := range write("b", nil) {
		if !first[f] {
			later = append(later, f)
		}
	}
	if len(first) != 1 || len(later) != 1 {
		t.Fatalf("tables %v then %v, want one each", first, later)
	}
	return later[0]
}

func listTables(t *testing.T, dir string) map[string]bool {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, p := range paths {
		out[filepath.Base(p)] = true
	}
	return out
}
