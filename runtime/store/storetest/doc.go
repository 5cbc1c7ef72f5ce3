// Package storetest is the conformance suite of the [store.Backend]
// implementations: every backend runs it from its own tests, persistent
// ones with [Options.Persistent]:
//
//	func TestConformance(t *testing.T) {
//		storetest.RunBackend(t, func(t *testing.T, dir string) store.Backend {
//			b, err := pebble.Open(dir)
//			if err != nil {
//				t.Fatal(err)
//			}
//			return b
//		}, storetest.Options{Persistent: true})
//	}
//
// [RunBackend] runs one parallel subtest per documented behaviour, each on
// a fresh directory. The Core group runs for every backend: Missing,
// SetGetDelete, OrderInBatch, Copies, EmptyValue, View, Range, RangeStop,
// RangeReentrant, RangeDeleted, KeySpaces, Atomic, Offsets, Meta, Clear,
// Close, LargeBatch and Concurrent. The Persistent group (Reopen,
// ReopenAtomic, ReopenClear, ReopenLargeBatch, ReopenRepeatedly) closes a
// backend and opens its directory again; it is part of the run only with
// Options.Persistent, so a memory backend's run does not list it rather
// than skipping it.
//
// [RunCorrupt] checks how a persistent backend's Open treats damaged
// directories, and ones it must leave alone.
//
// [RunService] runs a local store on the backend inside a service on the
// embedded broker: injected transaction aborts, SIGKILL and restart on
// the same directory, readiness during a rebuild, rebuilds from a
// checkpoint and from the beginning, corrupt directories rebuilt. Its
// oracle reads the changelog and the outputs with a read_committed
// consumer of its own.
//
// [RunBenchmarks] measures a backend the same way for every engine:
// writes in batches of 1000 (36-byte keys, 100-byte values), random Get
// and View, full scans and short ranges, each reported in operations per
// second. [RunRestoreBenchmark] measures the rebuild of a local store
// from a changelog of a million records against a plain consumer reading
// the same partition.
package storetest
