// Package servicetest holds what the tests of runtime/service's processing
// loop share across transports: the coffee bar's cash register as the
// service under test, failing on demand, a way to run a service in the
// background, and franz-go writers and readers that feed its input and
// check its output on the embedded broker, read_committed unless said
// otherwise. franz-go is the independent client whichever transport the
// service runs on.
//
// Every wait is on a condition, bounded by WaitLimit.
package servicetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// The service under test is the coffee bar's cash register: orders in,
// bills out.
const (
	Orders = "waiter-events"
	Bills  = "cash-register-events"
	Name   = "cash-register"
)

// WaitLimit bounds every wait: each waits on a condition, and this is how
// long one may take on a loaded machine.
const WaitLimit = 60 * time.Second

// CashRegister bills every coffee ordered, one BillCreated to Bills per
// CoffeeOrdered, keyed like the order; it fails on demand.
type CashRegister struct {
	// Failures is how many calls fail from now on, whatever the order.
	Failures atomic.Int64
	// Calls counts the calls.
	Calls atomic.Int64
	// Orders (by UUID) in FailOnce fail their first call with an error,
	// those in PanicOnce with a panic. Set them before the service runs.
	FailOnce  map[string]bool
	PanicOnce map[string]bool
	mu        sync.Mutex
}

// ErrJammed is the error of a failing call.
var ErrJammed = errors.New("cash register jammed")

// flaky reports whether the call for uuid fails, and how, once.
func (c *CashRegister) flaky(uuid string) (fail, panics bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fail, panics = c.FailOnce[uuid], c.PanicOnce[uuid]
	delete(c.FailOnce, uuid)
	delete(c.PanicOnce, uuid)
	return fail, panics
}

// HandleCoffeeOrdered emits the order's bill, keyed like the order.
func (c *CashRegister) HandleCoffeeOrdered(ctx context.Context, ev *seed.CoffeeOrdered, out tonga.Emitter) error {
	c.Calls.Add(1)
	fail, panics := c.flaky(ev.UUID)
	if panics {
		panic("the till exploded")
	}
	if fail || c.Failures.Add(-1) >= 0 {
		return ErrJammed
	}
	bill := seed.NewBillCreated()
	bill.UUID, bill.CoffeeUUID, bill.Amount = "bill-"+ev.UUID, ev.UUID, ev.Amount
	bill.PartitionKey = ev.PartitionKey
	return out.Emit(ctx, Bills, bill)
}

// Registry returns the seed's registry with h's handlers.
func Registry(t testing.TB, h any) *tonga.Registry {
	t.Helper()
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.RegisterHandlers(reg, h); err != nil {
		t.Fatal(err)
	}
	return reg
}

// Running is a service running in the background.
type Running struct {
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// Run starts s in the background; the test's end stops it.
func Run(t testing.TB, s *service.Service) *Running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &Running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(func() { _ = r.Stop() })
	return r
}

// Wait returns Run's error once it returns by itself, or an error after
// WaitLimit.
func (r *Running) Wait() error {
	r.once.Do(func() {
		select {
		case r.err = <-r.done:
		case <-time.After(WaitLimit):
			r.err = fmt.Errorf("Run did not return within %v", WaitLimit)
		}
	})
	return r.err
}

// Stop cancels Run and returns its error.
func (r *Running) Stop() error {
	r.once.Do(func() {
		r.cancel()
		select {
		case r.err = <-r.done:
		case <-time.After(WaitLimit):
			r.err = fmt.Errorf("Run did not return within %v of cancel", WaitLimit)
		}
	})
	return r.err
}

// WaitUntil polls cond until it holds, failing the test after WaitLimit.
func WaitUntil(t testing.TB, what string, cond func() bool) {
	t.Helper()
	WaitWithin(t, WaitLimit, what, cond)
}

// WaitWithin polls cond until it holds, failing the test after limit.
func WaitWithin(t testing.TB, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, bounded above
	}
}

// Produce writes recs with franz-go, partitioned by p, and waits for
// their acknowledgements.
func Produce(t testing.TB, b *broker.Broker, p kgo.Partitioner, recs ...*kgo.Record) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.RecordPartitioner(p))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), WaitLimit)
	defer cancel()
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// ProduceRaw writes values, unkeyed, to partition 0 of topic.
func ProduceRaw(t testing.TB, b *broker.Broker, topic string, values ...[]byte) {
	t.Helper()
	recs := make([]*kgo.Record, len(values))
	for i, v := range values {
		recs[i] = &kgo.Record{Topic: topic, Value: v}
	}
	Produce(t, b, kgo.ManualPartitioner(), recs...)
}

// ReadCommitted reads topic read_committed from the start until n records
// arrived, and returns them; it fails the test after WaitLimit.
func ReadCommitted(t testing.TB, b *broker.Broker, topic string, n int) []*kgo.Record {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), WaitLimit)
	defer cancel()
	var got []*kgo.Record
	for len(got) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("%s: %d records within %v, want %d", topic, len(got), WaitLimit, n)
		}
		got = append(got, fs.Records()...)
	}
	return got
}

// sentinel is the value ReadAll appends to mark a partition's end.
const sentinel = "end of test"

// ReadAll reads every record of topic, once nothing writes it any more:
// it appends a sentinel to each partition, outside any transaction, and
// reads until every partition's sentinel arrived. A consumer delivers a
// partition in order, so what came before the sentinels is everything
// committed (with committed set) or everything written.
func ReadAll(t testing.TB, b *broker.Broker, topic string, partitions int, committed bool) []*kgo.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), WaitLimit)
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
			t.Fatalf("%s: sentinels of %d of %d partitions within %v", topic, len(ended), partitions, WaitLimit)
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

// CommittedOffset returns the group's committed offset of a partition, -1
// if none.
func CommittedOffset(t testing.TB, b *broker.Broker, group, topic string, partition int32) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), WaitLimit)
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

// Headers returns a record's headers as a map.
func Headers(r *kgo.Record) map[string]string {
	h := make(map[string]string, len(r.Headers))
	for _, hd := range r.Headers {
		h[hd.Key] = string(hd.Value)
	}
	return h
}

// Contains reports whether err's text has every one of subs.
func Contains(err error, subs ...string) bool {
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
