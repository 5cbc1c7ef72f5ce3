package rdkafka_test

// Helpers of the tests that run runtime/service's processing loop on this
// transport (service.WithTransport(rdkafka.New)). The service under test
// runs on librdkafka; inputs are written and outputs read back with
// franz-go, an independent client, read_committed unless said otherwise.
// The service package is imported as svc: this package already has a
// function named service (txn_test.go).

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
	svc "github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// The service under test is the coffee bar's cash register: orders in,
// bills out.
const (
	ordersTopic = "waiter-events"
	billsTopic  = "cash-register-events"
	serviceName = "cash-register"
)

// waitLimit bounds every wait of these tests: each waits on a condition,
// and this is how long one may take on a loaded machine.
const waitLimit = 60 * time.Second

// startLoopBroker starts a broker with the orders and bills topics, of
// partitions partitions each.
func startLoopBroker(t testing.TB, partitions int) *broker.Broker {
	t.Helper()
	return startBroker(t, broker.Topic(ordersTopic, partitions, nil), broker.Topic(billsTopic, partitions, nil))
}

// cashRegister bills every coffee ordered; it fails on demand.
type cashRegister struct {
	failures atomic.Int64 // fail this many calls, whatever the order
	calls    atomic.Int64
	// Orders in failOnce fail their first call with an error, those in
	// panicOnce with a panic.
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

// HandleCoffeeOrdered emits the order's bill, keyed like the order.
func (c *cashRegister) HandleCoffeeOrdered(ctx context.Context, ev *seed.CoffeeOrdered, out tonga.Emitter) error {
	c.calls.Add(1)
	fail, panics := c.flaky(ev.UUID)
	if panics {
		panic("the till exploded")
	}
	if fail || c.failures.Add(-1) >= 0 {
		return errors.New("cash register jammed")
	}
	bill := seed.NewBillCreated()
	bill.UUID, bill.CoffeeUUID, bill.Amount = "bill-"+ev.UUID, ev.UUID, ev.Amount
	bill.PartitionKey = ev.PartitionKey
	return out.Emit(ctx, billsTopic, bill)
}

// newLoopService returns instance of replicas of the cash register on
// librdkafka, handling with h, in batches of 100 records or 50 ms, with
// short retry backoffs; opts come last and override. Its log lines are
// shown if the test fails.
func newLoopService(t testing.TB, b *broker.Broker, h any, instance, replicas int, opts ...svc.Option) *svc.Service {
	t.Helper()
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.RegisterHandlers(reg, h); err != nil {
		t.Fatal(err)
	}
	logs := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log of %s-%d:\n%s", serviceName, instance, logs.tail(40))
		}
	})
	opts = append([]svc.Option{
		svc.WithTransport(rdkafka.New),
		svc.Brokers(b.Addrs()...),
		svc.Registry(reg),
		svc.Inputs(ordersTopic),
		svc.Instance(instance, replicas),
		svc.Batch(100, 50*time.Millisecond),
		svc.OnError(svc.ErrorPolicy{Retries: 2, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}),
		svc.Logger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))),
	}, opts...)
	s, err := svc.New(serviceName, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// logBuffer is a log destination shared by a service's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// tail returns the last n lines.
func (l *logBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines := strings.SplitAfter(l.b.String(), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("... %d lines before\n", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "")
}

// order is an input of the pipeline: CoffeeOrdered c<i>, partition key
// key, in the flow correlation.
type order struct {
	uuid, key, correlation string
	seq                    int // i: per key, orders are produced in increasing seq
}

// newOrders returns orders from..from+n-1; order i is keyed k<i mod keys>
// (keys 0: c<i>, one order a key).
func newOrders(from, n, keys int) []order {
	out := make([]order, n)
	for j := range out {
		i := from + j
		o := order{uuid: "c" + strconv.Itoa(i), seq: i}
		o.key = o.uuid
		if keys > 0 {
			o.key = "k" + strconv.Itoa(i%keys)
		}
		out[j] = o
	}
	return out
}

// produceOrders writes the orders to the orders topic, partitioned by key
// with murmur2 as the service partitions, and records the correlation id
// each got.
func produceOrders(t testing.TB, b *broker.Broker, orders []order) {
	t.Helper()
	recs := make([]*kgo.Record, len(orders))
	for i := range orders {
		o := &orders[i]
		ev := seed.NewCoffeeOrdered()
		ev.UUID, ev.PartitionKey, ev.Amount = o.uuid, &o.key, float32(o.seq)
		o.correlation = ev.CorrelationID
		v, err := wire.AppendSingleObject(nil, ev)
		if err != nil {
			t.Fatal(err)
		}
		recs[i] = &kgo.Record{Topic: ordersTopic, Key: []byte(o.key), Value: v}
	}
	produceKgo(t, b, kgo.StickyKeyPartitioner(nil), recs...)
}

// produceRaw writes values, unkeyed, to partition 0 of topic.
func produceRaw(t testing.TB, b *broker.Broker, topic string, values ...[]byte) {
	t.Helper()
	recs := make([]*kgo.Record, len(values))
	for i, v := range values {
		recs[i] = &kgo.Record{Topic: topic, Value: v}
	}
	produceKgo(t, b, kgo.ManualPartitioner(), recs...)
}

func produceKgo(t testing.TB, b *broker.Broker, p kgo.Partitioner, recs ...*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.RecordPartitioner(p))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// readN reads topic read_committed from the start until n records
// arrived, and returns them.
func readN(t *testing.T, b *broker.Broker, topic string, n int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var got []*kgo.Record
	for len(got) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: %d records within %v, want %d", topic, len(got), waitLimit, n)
		}
		got = append(got, fs.Records()...)
	}
	return got
}

const sentinel = "end of test"

// readAll reads every record of topic, once nothing writes it any more:
// it appends a sentinel to each partition, outside any transaction, and
// reads until every partition's sentinel arrived. A consumer delivers a
// partition in order, so what came before the sentinels is everything
// committed (with committed set) or everything written.
func readAll(t *testing.T, b *broker.Broker, topic string, partitions int, committed bool) []*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	iso := kgo.ReadUncommitted()
	if committed {
		iso = kgo.ReadCommitted()
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(iso), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
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
			t.Fatalf("%s: sentinels of %d of %d partitions within %v", topic, len(ended), partitions, waitLimit)
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

// committedOffset returns the group's committed offset of a partition, -1
// if none.
func committedOffset(t testing.TB, b *broker.Broker, group, topic string, partition int32) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
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

// running is a service running in the background.
type running struct {
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// runService starts s in the background; the test's end stops it.
func runService(t testing.TB, s *svc.Service) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(func() { _ = r.stop() })
	return r
}

// wait returns Run's error once it returns by itself, or fails the test
// after waitLimit.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	r.once.Do(func() {
		select {
		case r.err = <-r.done:
		case <-time.After(waitLimit):
			r.err = fmt.Errorf("Run did not return within %v", waitLimit)
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
		case <-time.After(waitLimit):
			r.err = fmt.Errorf("Run did not return within %v of cancel", waitLimit)
		}
	})
	return r.err
}

// waitUntil polls cond until it holds, failing the test after waitLimit.
func waitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	waitWithin(t, waitLimit, what, cond)
}

// waitWithin polls cond until it holds, failing the test after limit.
func waitWithin(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, bounded above
	}
}

// decodeBill decodes an output record as a BillCreated.
func decodeBill(t *testing.T, r *kgo.Record) *seed.BillCreated {
	t.Helper()
	var bill seed.BillCreated
	fp, body, err := wire.ParseSingleObject(r.Value)
	if err != nil || fp != bill.AvroSchema().Fingerprint {
		t.Fatalf("%s[%d]@%d is not a BillCreated: %v", r.Topic, r.Partition, r.Offset, err)
	}
	if err := bill.UnmarshalAvro(body); err != nil {
		t.Fatal(err)
	}
	return &bill
}

// checkBills checks that every order was billed exactly once, keyed like
// the order, in the order's flow (correlation id), and that each key's
// bills come in the order its orders were produced.
func checkBills(t *testing.T, recs []*kgo.Record, orders []order) {
	t.Helper()
	byUUID := make(map[string]*order, len(orders))
	for i := range orders {
		byUUID[orders[i].uuid] = &orders[i]
	}
	seen := map[string]int{}
	lastSeq := map[string]int{}
	errs := 0
	fail := func(format string, args ...any) {
		if errs++; errs <= 20 {
			t.Errorf(format, args...)
		}
	}
	for _, r := range recs {
		bill := decodeBill(t, r)
		o, ok := byUUID[bill.CoffeeUUID]
		if !ok {
			fail("a bill for %q, which was never ordered", bill.CoffeeUUID)
			continue
		}
		seen[o.uuid]++
		if string(r.Key) != o.key || bill.PartitionKey == nil || *bill.PartitionKey != o.key {
			fail("bill of %s keyed %q, want the order's key %q", o.uuid, r.Key, o.key)
		}
		if bill.CorrelationID != o.correlation {
			fail("bill of %s: correlation id %q, want the order's %q", o.uuid, bill.CorrelationID, o.correlation)
		}
		if last, ok := lastSeq[o.key]; ok && o.seq < last {
			fail("key %s: the bill of order %d after that of order %d", o.key, o.seq, last)
		}
		lastSeq[o.key] = o.seq
	}
	for _, o := range orders {
		if n := seen[o.uuid]; n != 1 {
			fail("order %s billed %d times", o.uuid, n)
		}
	}
	if len(recs) != len(orders) {
		t.Errorf("%d bills for %d orders", len(recs), len(orders))
	}
	if errs > 20 {
		t.Errorf("... and %d more errors", errs-20)
	}
}

// headers returns a record's headers as a map.
func headers(r *kgo.Record) map[string]string {
	h := make(map[string]string, len(r.Headers))
	for _, hd := range r.Headers {
		h[hd.Key] = string(hd.Value)
	}
	return h
}

// contains reports whether err's text has every one of subs.
func contains(err error, subs ...string) bool {
	if err == nil {
		return false
	}
	for _, s := range subs {
		if !strings.Contains(err.Error(), s) {
			return false
		}
	}
	return true
}
