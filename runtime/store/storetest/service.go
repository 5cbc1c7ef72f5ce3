package storetest

import (
	"os"
	"testing"

	"github.com/tonga-go/tonga/runtime/store"
)

// serviceTest is one service-level check; persistent ones need a
// directory.
type serviceTest struct {
	name       string
	persistent bool
	run        func(t *testing.T, open OpenDir)
}

var serviceTests = []serviceTest{
	{"Aborts", false, testAborts},
	{"Readiness", false, testReadiness},
	{"Killed", true, testKilled},
	{"RebuildFromCheckpoint", true, testRebuildFromCheckpoint},
	{"CorruptCurrent", true, func(t *testing.T, open OpenDir) { testCorruptRebuilt(t, open, garbageCurrent) }},
	{"CorruptZeroedTables", true, func(t *testing.T, open OpenDir) { testCorruptRebuilt(t, open, zeroTables) }},
}

// RunService runs a local store on the backend inside a service, on an
// embedded broker of its own per subtest. The service, a till, consumes
// orders under exactly-once, keeps each in a typed local store, deletes
// some keys (orders overwrite and delete 701 keys many times over) and
// bills each order. The subtests:
//
//   - Aborts: the broker fails changelog and output produce requests,
//     transaction ends and transactional offset commits while thousands
//     of orders go through; after every abort the store equals the fold
//     of the committed changelog (read back by a read_committed consumer
//     of the test's own), and at the end it also equals the orders
//     applied once each, and every order is billed once.
//   - Readiness: /readyz answers 503 while the store rebuilds (its
//     backend holds the rebuild's first write until the test releases
//     it) and 200 once it is ready.
//   - Killed: the test binary, run again as the service, is killed with
//     SIGKILL with a batch open, with its writes produced but not
//     committed, between a commit and its store write, and during a
//     rebuild; after each kill the directory holds the changelog folded
//     up to its checkpoint, and the last restart on the same directory
//     ends with the store equal to the committed changelog and every
//     order billed once.
//   - RebuildFromCheckpoint: a copy of the directory whose checkpoint
//     lags the changelog, rebuilt after the changelog is compacted,
//     reads only the records after its checkpoint and ends equal to a
//     rebuild from the beginning ([store.Rebuild], and a new directory).
//   - CorruptCurrent, CorruptZeroedTables: a directory with a garbage
//     CURRENT file, or its tables zeroed in place, is removed and rebuilt
//     at start, with a warning naming the directory and the error.
//
// With open nil the backend is [store.NewMemory], and only Aborts and
// Readiness run. Killed runs the test binary again with only itself
// selected.
func RunService(t *testing.T, open OpenDir) {
	t.Helper()
	if cfg := os.Getenv(childEnv); cfg != "" {
		t.Run("Killed", func(t *testing.T) { runChild(t, open, cfg) })
		return
	}
	for _, st := range serviceTests {
		if st.persistent && open == nil {
			continue
		}
		t.Run(st.name, func(t *testing.T) { st.run(t, open) })
	}
}

// backendOption is the local store's backend: open on dir, or memory when
// open is nil, wrapped by wrap when set.
func backendOption(open OpenDir, dir string, wrap func(store.Backend) store.Backend) store.Option {
	if wrap == nil {
		wrap = func(b store.Backend) store.Backend { return b }
	}
	if open == nil {
		return store.WithBackend(func() (store.Backend, error) { return wrap(store.NewMemory()), nil })
	}
	return store.Persistent(dir, func(dir string) (store.Backend, error) {
		b, err := open(dir)
		if err != nil {
			return nil, err
		}
		return wrap(b), nil
	})
}

// hookBackend calls before ahead of each Apply.
type hookBackend struct {
	store.Backend
	before func(b *store.Batch)
}

func (h *hookBackend) Apply(b *store.Batch) error {
	h.before(b)
	return h.Backend.Apply(b)
}
