//go:build rocksdb

package rocksdb

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tonga-go/tonga/runtime/store"
)

// unreadable are the prefixes of RocksDB's status messages that, for an
// existing database, mean its files cannot be read back: damaged CURRENT,
// MANIFEST or tables ("Corruption"), a MANIFEST or table missing ("IO
// error: No such file or directory"), a database RocksDB refuses with
// these options ("Invalid argument": another comparator or column
// families; "Not implemented": a compression this build lacks).
var unreadable = []string{
	"Corruption: ",
	"IO error: No such file or directory",
	"Invalid argument: ",
	"Not implemented: ",
}

// openError describes a failure to open dir. It matches store.ErrCorrupt
// when dir holds a database (a CURRENT file) that RocksDB cannot read
// back; a failure of the file system or the lock ("IO error: lock hold by
// current process", "Resource temporarily unavailable": another process
// or this one has it open) is not corruption, since removing the
// directory would not help, or would destroy a store in use.
func openError(dir string, err error) error {
	msg := err.Error()
	corrupt := strings.HasPrefix(msg, "Corruption: ")
	if !corrupt && hasCurrent(dir) {
		for _, p := range unreadable {
			corrupt = corrupt || strings.HasPrefix(msg, p)
		}
	}
	if corrupt {
		return fmt.Errorf("store/rocksdb: open %s: %w: %w", dir, store.ErrCorrupt, err)
	}
	return fmt.Errorf("store/rocksdb: open %s: %w", dir, err)
}

func hasCurrent(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "CURRENT"))
	return err == nil
}
