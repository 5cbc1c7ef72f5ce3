package stores_test

import "testing"

// TestRestore runs what the restore benchmark checks, on a small
// changelog: the plain consumer reads every record, and a store on each
// backend rebuilds holding every key.
func TestRestore(t *testing.T) {
	const n = 2000
	br := startRestoreBroker(t)
	if err := produceChangelog(br.Addrs(), n); err != nil {
		t.Fatal(err)
	}
	if _, err := consumeAll(br.Addrs(), n); err != nil {
		t.Fatal(err)
	}
	for _, be := range backends {
		if _, err := restoreOnce(br.Addrs(), be, n, func(f func() error) error { return f() }); err != nil {
			t.Errorf("%s: %v", be.name, err)
		}
	}
}

// TestFill checks the read benchmarks' store: every backend holds the
// values written.
func TestFill(t *testing.T) {
	keys, values := data()
	for _, be := range backends {
		db, err := be.openIn(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		if err := fill(db, keys[:5000], values); err != nil {
			t.Errorf("%s: %v", be.name, err)
		}
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	}
}
