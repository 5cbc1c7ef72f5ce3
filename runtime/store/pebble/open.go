package pebble

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"syscall"

	pebbledb "github.com/cockroachdb/pebble"
	"github.com/cockroachdb/pebble/bloom"
	"github.com/cockroachdb/pebble/vfs"

	"github.com/tonga-go/tonga/runtime/store"
)

// openDB opens the database with the backend's settings: a bloom filter
// of 10 bits per key on every level (a random Get reads one table per
// level at most, and none for a missing key), the configured block cache
// and memtable size, and log lines through cfg.logger. The directory is
// locked first, so a failure to lock it (another process, or this one,
// has it open) is never taken for corruption.
func openDB(dir string, cfg *config) (_ *pebbledb.DB, _ *pebbledb.Lock, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("store/pebble: %w", err)
	}
	lock, err := pebbledb.LockDirectory(dir, vfs.Default)
	if err != nil {
		return nil, nil, fmt.Errorf("store/pebble: lock %s (is it open elsewhere?): %w", dir, err)
	}
	defer func() {
		if err != nil {
			_ = lock.Close()
		}
	}()
	existed, err := inspect(dir)
	if err != nil {
		return nil, nil, err
	}
	pdb, err := openLocked(dir, cfg, lock, false)
	if err != nil {
		return nil, nil, openError(dir, err, existed)
	}
	if err := checkTables(pdb); err != nil {
		_ = pdb.Close()
		return nil, nil, openError(dir, err, existed)
	}
	return pdb, lock, nil
}

// Loading settings, for a rebuild: L0 holds up to loadL0Tables tables
// before compactions start (a rebuild of a few hundred MiB writes none),
// and writes stall only at loadL0Stop.
const (
	loadL0Tables = 48
	loadL0Stop   = 96
)

// openLocked opens the database in dir, which this process holds locked,
// with cfg, and with the loading settings when load is set: no write-ahead
// log, compactions deferred until L0 holds loadL0Tables tables.
func openLocked(dir string, cfg *config, lock *pebbledb.Lock, load bool) (*pebbledb.DB, error) {
	cache := pebbledb.NewCache(cfg.cacheSize)
	defer cache.Unref()
	opts := &pebbledb.Options{
		Cache:        cache,
		Lock:         lock,
		MemTableSize: uint64(cfg.memTableSize),
		Logger:       logger{cfg.logger},
		Levels:       make([]pebbledb.LevelOptions, 7),
	}
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	opts.EventListener = &pebbledb.EventListener{BackgroundError: func(err error) {
		if cfg.logger != nil {
			cfg.logger.Error("pebble background error", "dir", dir, "err", err)
		}
	}}
	if load {
		opts.DisableWAL = true
		opts.L0CompactionThreshold = loadL0Tables
		opts.L0CompactionFileThreshold = loadL0Tables
		opts.L0StopWritesThreshold = loadL0Stop
	}
	return open(dir, opts)
}

// checkTables opens every table the MANIFEST lists, as Pebble would at
// the first read that reaches it: it reads and checksums the table's
// footer, metaindex and properties blocks (a few KiB per table, kept in
// the table cache for later reads). A table truncated, zeroed or replaced
// in place is thus found at Open, where the store can still be rebuilt,
// rather than by a read of the rebuild or of a handler. Damage inside a
// data block is found only when a read reaches the block (its checksum
// fails, and the read's error matches store.ErrCorrupt): verifying every
// block would read the whole database at each start.
func checkTables(pdb *pebbledb.DB) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	_, err = pdb.SSTables(pebbledb.WithProperties())
	return err
}

// errPanic marks a panic of Pebble's Open, recovered: Pebble v1.1 panics on
// some damaged directories instead of returning an error.
var errPanic = errors.New("pebble panicked")

func open(dir string, opts *pebbledb.Options) (pdb *pebbledb.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			pdb, err = nil, fmt.Errorf("%w: %v", errPanic, r)
		}
	}()
	return pebbledb.Open(dir, opts)
}

// inspect reports whether dir holds a database, and fails with
// ErrCorrupt on one whose CURRENT file is missing: Pebble would take it
// for a new database and then fail, or panic, replaying its log.
func inspect(dir string) (bool, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, fmt.Errorf("store/pebble: %w", err)
	}
	current, files := false, false
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == "CURRENT" || strings.HasPrefix(name, "marker.manifest."):
			current = true
		case strings.HasPrefix(name, "MANIFEST-") || strings.HasSuffix(name, ".sst"):
			files = true
		}
	}
	if files && !current {
		return true, fmt.Errorf("store/pebble: open %s: no CURRENT file beside the MANIFEST and tables: %w", dir, store.ErrCorrupt)
	}
	return current, nil
}

// openError describes a failure to open dir, which this process holds
// locked. It matches store.ErrCorrupt for an existing database whose
// files cannot be read back: Pebble's corruption errors, and its other
// failures to read CURRENT, the MANIFEST, the OPTIONS file and the tables
// the MANIFEST lists (it reports a missing or truncated table as a plain
// error). A failure of the file system (permissions, a full disk, I/O
// errors) is not corruption: removing the directory would not help.
func openError(dir string, err error, existed bool) error {
	if pebbledb.IsCorruptionError(err) || errors.Is(err, errPanic) || (existed && !environmental(err)) {
		return fmt.Errorf("store/pebble: open %s: %w: %w", dir, store.ErrCorrupt, err)
	}
	return fmt.Errorf("store/pebble: open %s: %w", dir, err)
}

// environmental reports whether err comes from the file system or the
// process's environment rather than from the content of the files.
func environmental(err error) bool {
	for _, target := range []error{fs.ErrPermission, syscall.EAGAIN, syscall.ENOSPC, syscall.EDQUOT, syscall.EROFS, syscall.EMFILE, syscall.ENFILE, syscall.EIO, syscall.ENOTDIR, syscall.ENOMEM} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// logger writes Pebble's log lines through slog, or drops them.
type logger struct{ l *slog.Logger }

func (l logger) Infof(format string, args ...any) {
	if l.l != nil {
		l.l.Info(fmt.Sprintf(format, args...), "component", "pebble")
	}
}

// Fatalf is called by Pebble on a broken invariant it cannot continue
// after (a failed MANIFEST write): it logs and panics, where Pebble's own
// logger would exit the process.
func (l logger) Fatalf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if l.l != nil {
		l.l.Error(msg, "component", "pebble")
	}
	panic("store/pebble: " + msg)
}
