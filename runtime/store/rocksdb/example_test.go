//go:build rocksdb

package rocksdb_test

import (
	"fmt"
	"os"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/rocksdb"
)

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "store")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()

	b, err := rocksdb.Open(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	var batch store.Batch
	batch.Set("coffee/1", []byte("espresso"))
	batch.Offsets = map[int32]int64{0: 1}
	if err := b.Apply(&batch); err != nil {
		fmt.Println(err)
	}
	if err := b.Close(); err != nil {
		fmt.Println(err)
	}

	// A restarted service finds its data, and resumes reading the
	// changelog from its offsets.
	b, err = rocksdb.Open(dir)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := b.Get("coffee/1")
	offsets, _ := b.Offsets()
	fmt.Printf("%s, next offset %d\n", v, offsets[0])
	if err := b.Close(); err != nil {
		fmt.Println(err)
	}
	// Output: espresso, next offset 1
}
