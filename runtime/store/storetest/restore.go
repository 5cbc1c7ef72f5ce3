package storetest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/store/internal/changelog"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// The restore benchmark's changelog: a million set records on distinct
// keys, with the benchmarks' 36-byte keys and 100-byte values.
const (
	restoreRecords   = 1_000_000
	restoreName      = "restore"
	restoreChangelog = restoreName + "-stores"
	restoreInput     = restoreName + "-input"
)

// RunRestoreBenchmark measures how fast a local store on the backend open
// opens (the memory backend when open is nil) is rebuilt from a changelog
// of a million records on the embedded broker, against a plain franz-go
// consumer reading the same partition to its end in the same run. Each
// iteration reads the partition with the consumer, then starts a service
// whose local store rebuilds into a new directory; the time measured is
// that of the store's start (open, rebuild, caught up), apart from the
// service's own. It reports:
//
//   - ns/op: one rebuild of the million records;
//   - store-rec/s and consumer-rec/s: the records per second of each;
//   - store/consumer: the ratio of the two rates, what the store costs
//     beyond reading the partition (decoding each record and writing it
//     to the backend).
//
// Producing the changelog (a few seconds) is not timed.
func RunRestoreBenchmark(b *testing.B, open OpenDir) {
	br := startRestoreBroker(b)
	produceChangelog(b, br.Addrs())
	var consumerTime, storeTime time.Duration
	b.ResetTimer()
	for range b.N {
		consumerTime += consumeAll(b, br.Addrs())
		storeTime += restoreOnce(b, br.Addrs(), open)
	}
	b.StopTimer()
	n := float64(b.N) * restoreRecords
	storeRate, consumerRate := n/storeTime.Seconds(), n/consumerTime.Seconds()
	b.ReportMetric(float64(storeTime.Nanoseconds())/float64(b.N), "ns/op")
	b.ReportMetric(storeRate, "store-rec/s")
	b.ReportMetric(consumerRate, "consumer-rec/s")
	b.ReportMetric(storeRate/consumerRate, "store/consumer")
}

func startRestoreBroker(b *testing.B) *broker.Broker {
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

// produceChangelog writes the changelog, as a local store would: Tonga
// store records, single-object encoded, keyed by their store key.
func produceChangelog(b *testing.B, addrs []string) {
	b.Helper()
	keys, values := benchData()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.ProducerBatchMaxBytes(1<<20), kgo.MaxBufferedRecords(100_000))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rec := changelog.NewRecord()
	rec.OperationType = "set"
	failed := make(chan error, 1)
	for i := range restoreRecords {
		rec.Key, rec.Value = keys[i], benchValue(values, i)
		v, err := wire.AppendSingleObject(nil, rec)
		if err != nil {
			b.Fatal(err)
		}
		cl.Produce(ctx, &kgo.Record{Topic: restoreChangelog, Key: []byte(rec.Key), Value: v}, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case failed <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	select {
	case err := <-failed:
		b.Fatal(err)
	default:
	}
}

// consumeAll reads the changelog from its start to its last record with a
// read_committed consumer, and returns how long it took.
func consumeAll(b *testing.B, addrs []string) time.Duration {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{restoreChangelog: {0: kgo.NewOffset().AtStart()}}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	n := 0
	for n < restoreRecords {
		fs := cl.PollFetches(ctx)
		if err := fs.Err(); err != nil {
			b.Fatalf("consumer: %v after %d records", err, n)
		}
		n += fs.NumRecords()
	}
	return time.Since(start)
}

// restoreOnce starts a service whose local store rebuilds from the
// changelog, and returns how long the store's start took.
func restoreOnce(b *testing.B, addrs []string, open OpenDir) time.Duration {
	b.Helper()
	dir, err := os.MkdirTemp("", "restore")
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		b.Fatal(err)
	}
	svc, err := service.New(restoreName, service.Brokers(addrs...), service.Registry(reg), service.Inputs(restoreInput))
	if err != nil {
		b.Fatal(err)
	}
	// Participants start in the order they joined: the marks bracket the
	// store's start.
	before, after := &startMark{at: make(chan time.Time, 1)}, &startMark{at: make(chan time.Time, 1)}
	svc.Join(before)
	local := store.NewLocal(svc, store.Topic(restoreChangelog), backendOption(open, dir, nil))
	svc.Join(after)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	var t0, t1 time.Time
	select {
	case t0 = <-before.at:
	case err := <-done:
		b.Fatalf("service: %v", err)
	}
	select {
	case t1 = <-after.at:
	case err := <-done:
		b.Fatalf("service: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	if n, err := count(local); err != nil || n != restoreRecords {
		b.Fatalf("the restored store holds %d keys, %v; want %d", n, err, restoreRecords)
	}
	if err := local.Close(); err != nil {
		b.Fatal(err)
	}
	return t1.Sub(t0)
}

func count(s store.Store) (int, error) {
	n := 0
	err := s.Range(context.Background(), "", "", func(string, []byte) bool { n++; return true })
	return n, err
}

// startMark is a participant that notes when it starts.
type startMark struct{ at chan time.Time }

func (m *startMark) Start(context.Context, service.Env) error {
	m.at <- time.Now()
	return nil
}

func (m *startMark) Stage(context.Context, kafka.Client) error { return nil }
func (m *startMark) Flushed() error                            { return nil }
func (m *startMark) Committed()                                {}
func (m *startMark) Aborted()                                  {}
