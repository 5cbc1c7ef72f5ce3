package stores_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/avrobin"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// The restore benchmark's topics, as runtime/store/storetest names them.
const (
	restoreName      = "restore"
	restoreChangelog = restoreName + "-stores"
	restoreInput     = restoreName + "-input"
)

// storeRecordFingerprint is the fingerprint of Tonga's store record,
// tonga.store.record, the value of every changelog message.
const storeRecordFingerprint = 0x2fbd1f7cacee7f4d

// benchRestore measures, on each backend, a local store's start (open,
// rebuild from the changelog, caught up) and a plain consumer reading the
// same partition to its end, on one broker and one changelog.
func benchRestore(b *testing.B) {
	records, _ := sizes()
	br := startRestoreBroker(b)
	if err := produceChangelog(br.Addrs(), records); err != nil {
		b.Fatal(err)
	}
	// A first read brings the broker's log into the caches.
	if _, err := consumeAll(br.Addrs(), records); err != nil {
		b.Fatal(err)
	}
	for _, be := range backends {
		b.Run("op=restore/backend="+be.name+"/impl=plain-consumer", func(b *testing.B) {
			timeRestores(b, records, func() (time.Duration, error) { return consumeAll(br.Addrs(), records) })
		})
		b.Run("op=restore/backend="+be.name+"/impl=tongagen", func(b *testing.B) {
			timeRestores(b, records, func() (time.Duration, error) { return restoreOnce(br.Addrs(), be, records, untimed(b)) })
		})
	}
}

// timeRestores runs b.N reads of the changelog, each timed by once, and
// reports their mean as ns/op and the records per second.
func timeRestores(b *testing.B, records int, once func() (time.Duration, error)) {
	var total time.Duration
	for range b.N {
		d, err := once()
		if err != nil {
			b.Fatal(err)
		}
		total += d
	}
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(float64(b.N)*float64(records)/total.Seconds(), "records/s")
}

// untimed returns a function that runs its argument with b's timer
// stopped, so that its allocations stay out of allocs/op: the check that
// a restore holds every key reads them all.
func untimed(b *testing.B) func(func() error) error {
	return func(f func() error) error {
		b.StopTimer()
		defer b.StartTimer()
		return f()
	}
}

func startRestoreBroker(b testing.TB) *broker.Broker {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	br, err := broker.Start(ctx, broker.Topic(restoreInput, 1, nil),
		broker.Topic(restoreChangelog, 1, map[string]string{"cleanup.policy": "compact"}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = br.Close() })
	return br
}

// appendChange appends a changelog message's value, as a local store
// writes it: tonga.store.record, single-object encoded, operation "set".
func appendChange(buf []byte, key string, value []byte) []byte {
	buf = append(buf, 0xC3, 0x01)
	buf = binary.LittleEndian.AppendUint64(buf, storeRecordFingerprint)
	buf = avrobin.AppendString(buf, "") // schema_version
	buf = avrobin.AppendDouble(buf, 0)  // timestamp
	buf = avrobin.AppendString(buf, "") // datetime
	buf = avrobin.AppendString(buf, "set")
	buf = avrobin.AppendString(buf, key)
	return avrobin.AppendBytes(buf, value)
}

// produceChangelog writes n set records on distinct keys to the changelog.
func produceChangelog(addrs []string, n int) error {
	keys, values := data()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchMaxBytes(1<<20), kgo.MaxBufferedRecords(100_000))
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	failed := make(chan error, 1)
	for i := range n {
		v := appendChange(nil, keys[i], value(values, i))
		cl.Produce(ctx, &kgo.Record{Topic: restoreChangelog, Key: []byte(keys[i]), Value: v}, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case failed <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return err
	}
	select {
	case err := <-failed:
		return err
	default:
		return nil
	}
}

// consumeAll reads the changelog from its start to its last record with a
// read_committed consumer, as the store's rebuild does, and returns how
// long it took, the client's start included.
func consumeAll(addrs []string, records int) (time.Duration, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{restoreChangelog: {0: kgo.NewOffset().AtStart()}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	n := 0
	for n < records {
		fs := cl.PollFetches(ctx)
		if err := fs.Err(); err != nil {
			return 0, fmt.Errorf("consumer: %w after %d records", err, n)
		}
		n += fs.NumRecords()
	}
	return time.Since(start), nil
}

// restoreOnce starts a service whose local store, on be in a new
// directory, rebuilds from the changelog; it returns how long the store's
// start took, and checks that the store then holds every key.
func restoreOnce(addrs []string, be backend, want int, check func(func() error) error) (_ time.Duration, err error) {
	dir, err := os.MkdirTemp("", "restore")
	if err != nil {
		return 0, err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		return 0, err
	}
	svc, err := service.New(restoreName, service.Brokers(addrs...), service.Registry(reg), service.Inputs(restoreInput))
	if err != nil {
		return 0, err
	}
	// Participants start in the order they joined: the marks bracket the
	// store's start.
	before, after := &startMark{at: make(chan time.Time, 1)}, &startMark{at: make(chan time.Time, 1)}
	svc.Join(before)
	opt := store.WithBackend(func() (store.Backend, error) { return store.NewMemory(), nil })
	if be.open != nil {
		opt = store.Persistent(dir, be.open)
	}
	local := store.NewLocal(svc, store.Topic(restoreChangelog), opt)
	defer func() {
		if cerr := local.Close(); err == nil {
			err = cerr
		}
	}()
	svc.Join(after)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	var t0, t1 time.Time
	for _, m := range []struct {
		mark *startMark
		at   *time.Time
	}{{before, &t0}, {after, &t1}} {
		select {
		case *m.at = <-m.mark.at:
		case err := <-done:
			return 0, fmt.Errorf("service: %w", err)
		}
	}
	cancel()
	if err := <-done; err != nil {
		return 0, err
	}
	if err := check(func() error {
		if n, err := count(local); err != nil || n != want {
			return fmt.Errorf("the restored store holds %d keys (%v); want %d", n, err, want)
		}
		return nil
	}); err != nil {
		return 0, err
	}
	return t1.Sub(t0), nil
}

func count(s *store.Local) (int, error) {
	n := 0
	err := s.Range(context.Background(), "", "", func(string, []byte) bool { n++; return true })
	return n, err
}

// startMark is a service participant that notes when it starts.
type startMark struct{ at chan time.Time }

func (m *startMark) Start(context.Context, service.Env) error {
	m.at <- time.Now()
	return nil
}

func (m *startMark) Stage(context.Context, kafka.Client) error { return nil }
func (m *startMark) Flushed() error                            { return nil }
func (m *startMark) Committed()                                {}
func (m *startMark) Aborted()                                  {}
