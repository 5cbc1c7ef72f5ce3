package service_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

const (
	inTopic  = "waiter-events"
	outTopic = "cash-register-events"
)

func startBroker(t testing.TB, partitions int) *broker.Broker {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Topic(inTopic, partitions, nil), broker.Topic(outTopic, partitions, nil))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// cashRegister bills every coffee ordered; it fails on demand.
type cashRegister struct {
	failures atomic.Int64 // fail this many calls
	calls    atomic.Int64
	// flaky orders fail their first call, with an error or a panic.
	mu        sync.Mutex
	failOnce  map[string]bool
	panicOnce map[string]bool
}

func (c *cashRegister) flaky(uuid string) (fail, panics bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fail, panics = c.failOnce[uuid], c.panicOnce[uuid]
	delete(c.failOnce, uuid)
	delete(c.panicOnce, uuid)
	return fail, panics
}

func (c *cashRegister) HandleCoffeeOrdered(ctx context.Context, ev *seed.CoffeeOrdered, out tonga.Emitter) error {
	c.calls.Add(1)
	fail, panics := c.flaky(ev.UUID)
	if panics {
		panic("boom")
	}
	if fail || c.failures.Add(-1) >= 0 {
		return errors.New("cash register jammed")
	}
	bill := seed.NewBillCreated()
	bill.UUID, bill.CoffeeUUID, bill.Amount = "bill-"+ev.UUID, ev.UUID, ev.Amount
	bill.PartitionKey = ev.PartitionKey
	return out.Emit(ctx, outTopic, bill)
}

func newService(t testing.TB, b *broker.Broker, h any, instance, replicas int, opts ...service.Option) *service.Service {
	t.Helper()
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.RegisterHandlers(reg, h); err != nil {
		t.Fatal(err)
	}
	opts = append([]service.Option{
		service.Brokers(b.Addrs()...),
		service.Registry(reg),
		service.Inputs(inTopic),
		service.Instance(instance, replicas),
		service.Batch(100, 50*time.Millisecond),
		service.OnError(service.ErrorPolicy{Retries: 2, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}),
	}, opts...)
	svc, err := service.New("cash-register", opts...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// produceOrders writes n CoffeeOrdered events keyed c<i> to the input.
func produceOrders(t testing.TB, b *broker.Broker, from, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.RecordPartitioner(kgo.StickyKeyPartitioner(nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := cl.ProduceSync(ctx, orderRecords(t, from, n)...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// orderRecords returns n CoffeeOrdered events keyed c<i>, for the input.
func orderRecords(t testing.TB, from, n int) []*kgo.Record {
	t.Helper()
	var recs []*kgo.Record
	for i := from; i < from+n; i++ {
		ev := seed.NewCoffeeOrdered()
		key := "c" + strconv.Itoa(i)
		ev.UUID, ev.PartitionKey, ev.Amount = key, &key, float32(i)
		v, err := wire.AppendSingleObject(nil, ev)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: inTopic, Key: []byte(key), Value: v})
	}
	return recs
}

// readCommitted reads topic with a read_committed consumer until want
// records arrived (or the timeout), and returns them.
func readCommitted(t *testing.T, b *broker.Broker, topic string, want int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var got []*kgo.Record
	for len(got) < want {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: %d records after 60s, want %d", topic, len(got), want)
		}
		got = append(got, fs.Records()...)
	}
	return got
}

// running is a service running in the background.
type running struct {
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// readAll reads every committed record of topic, once nothing writes it
// any more: it appends a sentinel record to each partition, outside any
// transaction, and reads until every partition's sentinel arrived. A
// read_committed consumer delivers a partition in order, so what came
// before the sentinels is everything committed.
func readAll(t *testing.T, b *broker.Broker, topic string, partitions int) []*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for p := range partitions {
		if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Partition: int32(p), Value: []byte(sentinel)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	var got []*kgo.Record
	ended := map[int32]bool{}
	for len(ended) < partitions {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: sentinels of %d of %d partitions within 60s", topic, len(ended), partitions)
		}
		fs.EachRecord(func(r *kgo.Record) {
			if string(r.Value) == sentinel {
				ended[r.Partition] = true
				return
			}
			got = append(got, r)
		})
	}
	return got
}

const sentinel = "end of test"

// committedOffset returns the group's committed offset of a partition.
func committedOffset(t testing.TB, b *broker.Broker, group, topic string, partition int32) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	offs, err := kadm.NewClient(cl).FetchOffsets(ctx, group)
	if err != nil {
		t.Fatal(err)
	}
	o, ok := offs.Lookup(topic, partition)
	if !ok {
		return -1
	}
	return o.At
}

// run starts svc in the background; stop cancels it.
func run(t testing.TB, svc *service.Service) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- svc.Run(ctx) }()
	t.Cleanup(func() { _ = r.stop() })
	return r
}

// wait returns Run's error once it returns by itself, or fails after 60s.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	r.once.Do(func() {
		select {
		case r.err = <-r.done:
		case <-time.After(60 * time.Second):
			t.Fatal("Run did not return within 60s")
		}
	})
	return r.err
}

// stop cancels Run and returns its error.
func (r *running) stop() error {
	r.once.Do(func() {
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(60 * time.Second):
			r.err = errors.New("Run did not return within 60s of cancel")
		}
	})
	return r.err
}

// checkBills checks that every order 0..n-1 was billed exactly once, in
// order per key's partition, with the order's correlation id.
func checkBills(t *testing.T, recs []*kgo.Record, n int) {
	t.Helper()
	seen := map[string]int{}
	lastByPartition := map[int32]int{}
	for _, r := range recs {
		var bill seed.BillCreated
		fp, body, err := wire.ParseSingleObject(r.Value)
		if err != nil || fp != bill.AvroSchema().Fingerprint {
			t.Fatalf("output %v is not a BillCreated: %v", r.Value, err)
		}
		if err := bill.UnmarshalAvro(body); err != nil {
			t.Fatal(err)
		}
		seen[bill.CoffeeUUID]++
		i, _ := strconv.Atoi(strings.TrimPrefix(bill.CoffeeUUID, "c"))
		if last, ok := lastByPartition[r.Partition]; ok && i < last {
			t.Errorf("partition %d: bill for c%d after c%d", r.Partition, i, last)
		}
		lastByPartition[r.Partition] = i
		if string(r.Key) != bill.CoffeeUUID {
			t.Errorf("bill key %q, want the order's partition key %q", r.Key, bill.CoffeeUUID)
		}
	}
	for i := range n {
		if c := seen["c"+strconv.Itoa(i)]; c != 1 {
			t.Errorf("order c%d billed %d times", i, c)
		}
	}
	if len(recs) != n {
		t.Errorf("%d bills for %d orders", len(recs), n)
	}
}

func TestExactlyOnce(t *testing.T) {
	b := startBroker(t, 1)
	h := &cashRegister{
		failOnce:  map[string]bool{"c10": true, "c500": true, "c501": true, "c2999": true},
		panicOnce: map[string]bool{"c11": true, "c1500": true},
	}
	svc := newService(t, b, h, 0, 1)
	r := run(t, svc)
	const n = 3000
	produceOrders(t, b, 0, n)
	readCommitted(t, b, outTopic, n)
	if err := r.stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkBills(t, readAll(t, b, outTopic, 1), n)
	m := svc.Metrics()
	if m.RecordsOut != n || m.HandlerErrors != 6 || m.DeadLettered != 0 || m.TransactionsCommitted < n/100 {
		t.Errorf("metrics %+v", m)
	}
}

func TestOnlyOwnPartitionMismatch(t *testing.T) {
	b := startBroker(t, 3)
	svc := newService(t, b, &cashRegister{}, 0, 2)
	err := svc.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "3 partitions") || !strings.Contains(err.Error(), "2 replicas") {
		t.Errorf("Run = %v", err)
	}
}

func TestFencing(t *testing.T) {
	b := startBroker(t, 1)
	first := run(t, newService(t, b, &cashRegister{}, 0, 1))
	produceOrders(t, b, 0, 10)
	readCommitted(t, b, outTopic, 10)

	// A second instance with the same transactional id takes over; the
	// first is fenced at its next transaction and stops.
	second := run(t, newService(t, b, &cashRegister{}, 0, 1))
	produceOrders(t, b, 10, 10)
	if err := first.wait(t); !errors.Is(err, kafka.ErrFenced) {
		t.Errorf("first instance: %v, want ErrFenced", err)
	}
	checkBills(t, readCommitted(t, b, outTopic, 20), 20)
	if err := second.stop(); err != nil {
		t.Errorf("second instance: %v", err)
	}
}
