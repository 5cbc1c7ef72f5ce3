package storetest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
)

// OpenDir is a persistent backend's Open, with its error: [RunCorrupt]
// checks the errors.
type OpenDir func(dir string) (store.Backend, error)

// damage is one way to break a database directory.
type damage struct {
	name  string
	apply func(t *testing.T, dir string)
	// forgetful damage may make the engine start an empty database, which
	// is as safe: without offsets the store rebuilds from the beginning.
	forgetful bool
}

var damages = []damage{
	{name: "GarbageCurrent", apply: func(t *testing.T, dir string) { write(t, dir, "CURRENT", []byte("garbage")) }},
	{name: "EmptyCurrent", apply: func(t *testing.T, dir string) { write(t, dir, "CURRENT", nil) }},
	{name: "CurrentNamesMissingManifest", apply: func(t *testing.T, dir string) { write(t, dir, "CURRENT", []byte("MANIFEST-999999\n")) }},
	{name: "MissingCurrent", forgetful: true, apply: func(t *testing.T, dir string) { remove(t, dir, "CURRENT") }},
	{name: "GarbageManifest", apply: func(t *testing.T, dir string) {
		for _, f := range glob(t, dir, "MANIFEST-*") {
			write(t, dir, f, []byte("garbage, not a log of version edits"))
		}
	}},
	{name: "TruncatedManifest", apply: func(t *testing.T, dir string) {
		for _, f := range glob(t, dir, "MANIFEST-*") {
			truncate(t, dir, f, 10)
		}
	}},
	{name: "MissingManifest", apply: func(t *testing.T, dir string) {
		for _, f := range glob(t, dir, "MANIFEST-*") {
			remove(t, dir, f)
		}
	}},
	{name: "TruncatedTable", apply: func(t *testing.T, dir string) { truncate(t, dir, glob(t, dir, "*.sst")[0], 100) }},
	{name: "MissingTable", apply: func(t *testing.T, dir string) { remove(t, dir, glob(t, dir, "*.sst")[0]) }},
	{name: "ZeroedTable", apply: func(t *testing.T, dir string) {
		for _, f := range glob(t, dir, "*.sst") {
			fi, err := os.Stat(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			write(t, dir, f, make([]byte, fi.Size()))
		}
	}},
}

// holdEnv tells a re-executed test binary to hold a directory open for
// HeldByAnotherProcess.
const holdEnv = "STORETEST_HOLD_DIR"

// RunCorrupt checks how a persistent backend's Open treats directories it
// cannot use, as subtests. Damaged files (CURRENT, MANIFEST-*, *.sst, as
// Pebble and RocksDB name them; tables truncated, removed, or zeroed in
// place at their size) fail Open with an error matching
// [store.ErrCorrupt]; after removing the directory, Open starts afresh. A
// directory held by this process or another one, or a path that is a
// file, fails with an error that does not match ErrCorrupt: removing it
// would destroy a store in use, or not help.
//
// open must leave table files (*.sst) behind after 3 MB of writes and
// Close: give it small memtables if the engine does not flush at Close.
// HeldByAnotherProcess runs the test binary again, with only itself
// selected.
func RunCorrupt(t *testing.T, open OpenDir) {
	t.Helper()
	if dir := os.Getenv(holdEnv); dir != "" {
		t.Run("HeldByAnotherProcess", func(t *testing.T) { hold(t, open, dir) })
		return
	}
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			t.Parallel()
			testDamage(t, open, d)
		})
	}
	t.Run("HeldInProcess", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		b := mustOpen(t, open, dir)
		defer closeIf(b)
		if b2, err := open(dir); err == nil || errors.Is(err, store.ErrCorrupt) {
			closeIf(b2)
			t.Errorf("Open of a directory this process holds = %v, want an error that is not ErrCorrupt", err)
		} else {
			t.Logf("Open: %v", err)
		}
	})
	t.Run("HeldByAnotherProcess", func(t *testing.T) {
		t.Parallel()
		testHeldElsewhere(t, open)
	})
	t.Run("NotADirectory", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "file")
		write(t, filepath.Dir(path), "file", []byte("x"))
		if b, err := open(path); err == nil || errors.Is(err, store.ErrCorrupt) {
			closeIf(b)
			t.Errorf("Open of a file = %v, want an error that is not ErrCorrupt", err)
		}
	})
}

func testDamage(t *testing.T, open OpenDir, d damage) {
	dir := t.TempDir()
	fillDir(t, open, dir)
	d.apply(t, dir)
	b, err := open(dir)
	switch {
	case err != nil && !errors.Is(err, store.ErrCorrupt):
		t.Fatalf("Open = %v, want an error matching ErrCorrupt", err)
	case err == nil && d.forgetful:
		if offs, err := b.Offsets(); err != nil || len(offs) != 0 {
			t.Errorf("Open succeeded with offsets %v, %v; want ErrCorrupt or an empty store", offs, err)
		}
		closeIf(b)
	case err == nil:
		closeIf(b)
		t.Fatalf("Open succeeded, want an error matching ErrCorrupt")
	}
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	b = mustOpen(t, open, dir)
	defer closeIf(b)
	if offs, err := b.Offsets(); err != nil || len(offs) != 0 {
		t.Errorf("Offsets after removing the directory = %v, %v; want none", offs, err)
	}
}

// fillDir writes 3 MB in batches with offsets and closes the backend; the
// directory must hold tables then.
func fillDir(t *testing.T, open OpenDir, dir string) {
	t.Helper()
	b := mustOpen(t, open, dir)
	value := make([]byte, 100)
	for j := range 3 {
		var batch store.Batch
		for i := range 10_000 {
			batch.Set(fmt.Sprintf("key/%d/%05d", j, i), value)
		}
		batch.Offsets = map[int32]int64{0: int64(j)}
		if err := b.Apply(&batch); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if len(glob(t, dir, "*.sst")) == 0 || len(glob(t, dir, "MANIFEST-*")) == 0 {
		t.Fatalf("no table or MANIFEST in %s after 3 MB of writes and Close: give open smaller memtables", dir)
	}
}

// testHeldElsewhere runs this test again in a child process that holds a
// directory, and opens the directory meanwhile.
func testHeldElsewhere(t *testing.T, open OpenDir) {
	dir := t.TempDir()
	var pattern []string
	for _, part := range strings.Split(t.Name(), "/") {
		pattern = append(pattern, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(pattern, "/"))
	cmd.Env = append(os.Environ(), holdEnv+"="+dir)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	holding := false
	for !holding && lines.Scan() {
		holding = lines.Text() == "holding"
		if !holding {
			t.Logf("holding process: %s", lines.Text())
		}
	}
	drained := make(chan struct{})
	go func() { // read the rest, so that the child never blocks writing
		defer close(drained)
		for lines.Scan() {
			t.Logf("holding process: %s", lines.Text())
		}
	}()
	defer func() {
		_ = stdin.Close()
		<-drained
		if err := cmd.Wait(); err != nil {
			t.Errorf("holding process: %v", err)
		}
	}()
	if !holding {
		t.Fatal("the holding process did not open the directory")
	}
	if b, err := open(dir); err == nil || errors.Is(err, store.ErrCorrupt) {
		closeIf(b)
		t.Errorf("Open of a directory another process holds = %v, want an error that is not ErrCorrupt", err)
	} else {
		t.Logf("Open: %v", err)
	}
}

// hold is the child of testHeldElsewhere: it opens dir, says so, and holds
// it until its standard input closes.
func hold(t *testing.T, open OpenDir, dir string) {
	b := mustOpen(t, open, dir)
	fmt.Println("holding")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := b.Close(); err != nil {
		t.Error(err)
	}
}

func mustOpen(t *testing.T, open OpenDir, dir string) store.Backend {
	t.Helper()
	b, err := open(dir)
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	return b
}

func closeIf(b store.Backend) {
	if b != nil {
		_ = b.Close()
	}
}

func glob(t *testing.T, dir, pattern string) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	return names
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func truncate(t *testing.T, dir, name string, size int64) {
	t.Helper()
	if err := os.Truncate(filepath.Join(dir, name), size); err != nil {
		t.Fatal(err)
	}
}
