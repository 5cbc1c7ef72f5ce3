package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
)

// abortChecker is a participant joined after the local store: when a
// batch aborts, the store has dropped its writes, and the checker compares
// it with the committed changelog. It runs on the processing goroutine, so
// nothing changes the store meanwhile.
type abortChecker struct {
	t     testing.TB
	addrs []string
	local *store.Local

	mu     sync.Mutex
	aborts int
}

func (c *abortChecker) Start(context.Context, service.Env) error  { return nil }
func (c *abortChecker) Stage(context.Context, kafka.Client) error { return nil }
func (c *abortChecker) Flushed() error                            { return nil }
func (c *abortChecker) Committed()                                {}

func (c *abortChecker) Aborted() {
	c.mu.Lock()
	c.aborts++
	n := c.aborts
	c.mu.Unlock()
	want, err := committedState(context.Background(), c.addrs)
	if err != nil {
		c.t.Errorf("after abort %d: the committed changelog: %v", n, err)
		return
	}
	got, err := storeState(c.local)
	if err != nil {
		c.t.Errorf("after abort %d: the store: %v", n, err)
		return
	}
	if d := diffStates(want, got); d != "" {
		c.t.Errorf("after abort %d: the store is not the committed changelog: %s", n, d)
	}
}

func (c *abortChecker) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.aborts
}

// faultPhase is one fault of testAborts, injected while orders flow.
type faultPhase struct {
	name  string
	fault kfake.Fault
	// aborts is whether the fault makes a batch abort, rather than a
	// request the producer retries.
	aborts bool
}

// faultPhases fail, in turn: transaction ends; changelog writes, for good
// or after the broker wrote them (the producer retries those); bills;
// transactional offset commits, after the broker applied them.
var faultPhases = []faultPhase{
	{"EndTxn", kfake.Fault{Keys: []kmsg.Key{kmsg.EndTxn}, Err: kerr.UnknownServerError, Count: 2}, true},
	{"changelog produce", kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: changelogTopic, Err: kerr.InvalidRecord, Count: 2}, true},
	{"changelog produce, written", kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: changelogTopic, Err: kerr.RequestTimedOut, Count: 2}, false},
	{"bills produce", kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: billsTopic, Err: kerr.InvalidRecord, Count: 1}, true},
	{"TxnOffsetCommit, applied", kfake.Fault{Keys: []kmsg.Key{kmsg.TxnOffsetCommit}, Err: kerr.RequestTimedOut, Count: 2}, true},
}

func testAborts(t *testing.T, open OpenDir) {
	b := startTillBroker(t)
	addrs := b.Addrs()
	checker := &abortChecker{t: t, addrs: addrs}
	r := runTill(t, tillConfig{
		brokers: addrs,
		store:   []store.Option{backendOption(open, t.TempDir(), nil)},
		join:    []service.Participant{checker},
		local:   func(l *store.Local) { checker.local = l },
	})
	r.waitReady(t)
	const first, perPhase = 500, 600
	produceOrders(t, addrs, 0, first)
	waitCommitted(t, addrs, first)
	n := first
	for _, p := range faultPhases {
		before := checker.count()
		h := b.Cluster().Fault(p.fault)
		produceOrders(t, addrs, n, perPhase)
		n += perPhase
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		err := h.Wait(ctx, p.fault.Count)
		cancel()
		h.Remove()
		if err != nil {
			t.Fatalf("fault on %s: hit %d times within a minute, want %d", p.name, h.Hits(), p.fault.Count)
		}
		waitCommitted(t, addrs, n)
		if p.aborts && checker.count() == before {
			t.Errorf("fault on %s: no batch aborted", p.name)
		}
	}
	// Once Run returned, every committed batch is applied.
	r.haltOK(t)
	got, err := storeState(r.local)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffStates(mustCommittedState(t, addrs), got); d != "" {
		t.Errorf("at the end, the store is not the committed changelog: %s", d)
	}
	wantModel(t, "the store at the end", got, n)
	m := r.svc.Metrics()
	r.stopOK(t)
	checkBills(t, addrs, n)
	t.Logf("%d orders; %d aborts checked; %d transactions committed, %d aborted", n, checker.count(), m.TransactionsCommitted, m.TransactionsAborted)
}
