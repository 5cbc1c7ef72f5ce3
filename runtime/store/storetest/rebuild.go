package storetest

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/internal/changelog"
	"github.com/tonga-go/tonga/runtime/wire"
)

// rebuilt is a store restarted on a directory: its state once ready, and
// the records its rebuild read.
type rebuilt struct {
	state   map[string][]byte
	records int64
	logs    *logLines
}

// rebuildTill runs a till on opts until its store is ready, and stops it.
func rebuildTill(t *testing.T, addrs []string, opts ...store.Option) rebuilt {
	t.Helper()
	logs := &logLines{}
	r := runTill(t, tillConfig{brokers: addrs, store: opts, logger: logs.logger()})
	r.waitReady(t)
	state, err := storeState(r.local)
	if err != nil {
		t.Fatal(err)
	}
	r.stopOK(t)
	ready := logs.find("store ready")
	if len(ready) != 1 {
		t.Fatalf("%d \"store ready\" log lines, want 1", len(ready))
	}
	return rebuilt{state: state, records: ready[0].attrs["records"].Int64(), logs: logs}
}

func testRebuildFromCheckpoint(t *testing.T, open OpenDir) {
	b := startTillBroker(t)
	addrs := b.Addrs()
	dir := t.TempDir()
	// The second half rewrites some keys: compacted, the changelog keeps
	// records from before the snapshot's checkpoint.
	const half, n = 1000, 1300
	r := runTill(t, tillConfig{brokers: addrs, store: []store.Option{backendOption(open, dir, nil)}})
	r.waitReady(t)
	produceOrders(t, addrs, 0, half)
	waitCommitted(t, addrs, half)
	r.stopOK(t)
	// A copy of the stopped store: its checkpoint is the end of the
	// changelog now, and will lag it.
	snapshot := filepath.Join(t.TempDir(), "snapshot")
	if err := os.CopyFS(snapshot, os.DirFS(dir)); err != nil {
		t.Fatal(err)
	}
	r = runTill(t, tillConfig{brokers: addrs, store: []store.Option{backendOption(open, dir, nil)}})
	r.waitReady(t)
	produceOrders(t, addrs, half, n-half)
	waitCommitted(t, addrs, n)
	r.stopOK(t)
	b.Cluster().Compact()
	// The changelog ends with a transaction that aborted: a rebuild skips
	// it, and its position still reaches the end.
	produceAborted(t, addrs)

	recs, err := readCommitted(context.Background(), addrs, changelogTopic)
	if err != nil {
		t.Fatal(err)
	}
	want, err := fold(recs, -1)
	if err != nil {
		t.Fatal(err)
	}
	wantModel(t, "the compacted changelog", want, n)
	be := mustOpen(t, open, snapshot)
	offs, err := be.Offsets()
	closeIf(be)
	if err != nil || offs[0] <= 0 {
		t.Fatalf("the snapshot's checkpoint: %v, %v", offs, err)
	}
	after := int64(0)
	for _, rec := range recs {
		if rec.Offset >= offs[0] {
			after++
		}
	}

	if after == 0 || after == int64(len(recs)) {
		t.Fatalf("%d of the %d changelog records are after the checkpoint: the test needs some before and after", after, len(recs))
	}
	fromCheckpoint := rebuildTill(t, addrs, backendOption(open, snapshot, nil))
	if d := diffStates(want, fromCheckpoint.state); d != "" {
		t.Errorf("rebuilt from checkpoint %d: %s", offs[0], d)
	}
	if fromCheckpoint.records != after {
		t.Errorf("the rebuild from checkpoint %d read %d records, want the %d after it (of %d)", offs[0], fromCheckpoint.records, after, len(recs))
	}
	asked := rebuildTill(t, addrs, backendOption(open, snapshot, nil), store.Rebuild())
	fresh := rebuildTill(t, addrs, backendOption(open, t.TempDir(), nil))
	for _, c := range []struct {
		name string
		r    rebuilt
	}{{"with store.Rebuild", asked}, {"in a new directory", fresh}} {
		if d := diffStates(fromCheckpoint.state, c.r.state); d != "" {
			t.Errorf("rebuilt from the beginning %s, the store differs from the one rebuilt from its checkpoint: %s", c.name, d)
		}
		if c.r.records != int64(len(recs)) {
			t.Errorf("rebuilt from the beginning %s: read %d records, want %d", c.name, c.r.records, len(recs))
		}
	}
	// Restarted on its own directory, the store reads nothing: its
	// checkpoint is before the last commit marker and the aborted tail.
	resumed := rebuildTill(t, addrs, backendOption(open, dir, nil))
	if d := diffStates(want, resumed.state); d != "" || resumed.records != 0 {
		t.Errorf("restarted on its directory: read %d records (want 0); %s", resumed.records, d)
	}
	if len(asked.logs.find("rebuilding from the beginning of the changelog, as asked")) != 1 {
		t.Error("store.Rebuild: no log line saying the rebuild was asked for")
	}
	t.Logf("changelog: %d records after compaction; checkpoint %d, %d records after it", len(recs), offs[0], after)
}

// produceAborted writes changelog records in a transaction that aborts.
func produceAborted(t *testing.T, addrs []string) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.TransactionalID("storetest-aborted"),
		kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	rec := changelog.NewRecord()
	rec.OperationType, rec.Value = "set", []byte("aborted")
	for i := range 10 {
		rec.Key = tillKey(i)
		v, err := wire.AppendSingleObject(nil, rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: changelogTopic, Key: []byte(rec.Key), Value: v}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cl.EndTransaction(ctx, kgo.TryAbort); err != nil {
		t.Fatal(err)
	}
}

// garbageCurrent overwrites the CURRENT file, which names the MANIFEST.
func garbageCurrent(t *testing.T, dir string) { write(t, dir, "CURRENT", []byte("garbage")) }

// zeroTables overwrites every table with zeros, keeping its size.
func zeroTables(t *testing.T, dir string) {
	tables := glob(t, dir, "*.sst")
	if len(tables) == 0 {
		t.Fatalf("no table in %s after compacting it", dir)
	}
	for _, f := range tables {
		fi, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, dir, f, make([]byte, fi.Size()))
	}
}

func testCorruptRebuilt(t *testing.T, open OpenDir, damage func(t *testing.T, dir string)) {
	b := startTillBroker(t)
	addrs := b.Addrs()
	dir := t.TempDir()
	const n = 500
	r := runTill(t, tillConfig{brokers: addrs, store: []store.Option{backendOption(open, dir, nil)}})
	r.waitReady(t)
	produceOrders(t, addrs, 0, n)
	waitCommitted(t, addrs, n)
	r.stopOK(t)
	// Compacted, the data is in tables, not only in a log.
	be := mustOpen(t, open, dir)
	c, ok := be.(Compacter)
	if !ok {
		closeIf(be)
		t.Fatal("the backend does not implement Compacter")
	}
	if err := errors.Join(c.Compact(), be.Close()); err != nil {
		t.Fatal(err)
	}
	damage(t, dir)
	if be, err := open(dir); !errors.Is(err, store.ErrCorrupt) {
		closeIf(be)
		t.Fatalf("Open of the damaged directory = %v, want ErrCorrupt", err)
	}

	got := rebuildTill(t, addrs, backendOption(open, dir, nil))
	if d := diffStates(mustCommittedState(t, addrs), got.state); d != "" {
		t.Errorf("the rebuilt store is not the committed changelog: %s", d)
	}
	wantModel(t, "the rebuilt store", got.state, n)
	lines := got.logs.find("store directory is corrupt; removing it and rebuilding from the changelog")
	if len(lines) != 1 {
		t.Fatalf("%d log lines saying the directory is corrupt, want 1", len(lines))
	}
	line := lines[0]
	if line.level != slog.LevelWarn || line.attrs["dir"].String() != dir || !strings.Contains(line.attrs["err"].String(), store.ErrCorrupt.Error()) {
		t.Errorf("the log line: %v %s %v", line.level, line.msg, line.attrs)
	}
	t.Logf("%s: %s", line.msg, line.attrs["err"])
}
