package rdkafka_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/kafka"
	svc "github.com/tonga-go/tonga/runtime/service"
)

// TestServiceExactlyOnce runs 3000 orders over 40 keys through two
// instances of the cash register (only_own, two partitions) on
// librdkafka, while the broker fails produce requests, AddPartitionsToTxn,
// EndTxn and TxnOffsetCommit, and the handler fails or panics on some
// orders once. A read_committed reader sees every bill exactly once, each
// key's bills in the order of its orders, each in its order's flow.
func TestServiceExactlyOnce(t *testing.T) {
	const partitions, keys = 2, 40
	b := startLoopBroker(t, partitions)
	h := &servicetest.CashRegister{
		FailOnce:  map[string]bool{"c10": true, "c600": true, "c601": true, "c2999": true},
		PanicOnce: map[string]bool{"c11": true, "c1500": true},
	}
	instances := []*svc.Service{newLoopService(t, b, h, 0, partitions), newLoopService(t, b, h, 1, partitions)}
	runs := make([]*servicetest.Running, len(instances))
	for i, s := range instances {
		runs[i] = servicetest.Run(t, s)
	}
	warm := servicetest.NewOrders(0, 500, keys)
	servicetest.ProduceOrders(t, b, warm)
	servicetest.ReadCommitted(t, b, servicetest.Bills, len(warm))

	// One EndTxn fails: the commit, which the loop aborts and redoes.
	// Two in a row fail the abort too: see TestServiceFailedAbort.
	faults := []struct {
		name  string
		fault kfake.Fault
	}{
		{"produce", kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: servicetest.Bills, Err: kerr.NotLeaderForPartition, Count: 3}},
		{"AddPartitionsToTxn", kfake.Fault{Keys: []kmsg.Key{kmsg.AddPartitionsToTxn}, Err: kerr.ConcurrentTransactions, Count: 2}},
		{"EndTxn", kfake.Fault{Keys: []kmsg.Key{kmsg.EndTxn}, Err: kerr.UnknownServerError, Count: 1}},
		{"TxnOffsetCommit", kfake.Fault{Keys: []kmsg.Key{kmsg.TxnOffsetCommit}, Err: kerr.RequestTimedOut, Count: 2}},
	}
	handles := make([]*kfake.FaultHandle, len(faults))
	for i, f := range faults {
		handles[i] = b.Cluster().Fault(f.fault)
		defer handles[i].Remove()
	}
	rest := servicetest.NewOrders(len(warm), 2500, keys)
	servicetest.ProduceOrders(t, b, rest)
	ctx, cancel := context.WithTimeout(context.Background(), servicetest.WaitLimit)
	defer cancel()
	for i, f := range faults {
		if err := handles[i].Wait(ctx, f.fault.Count); err != nil {
			t.Errorf("fault %s: %d of %d injected: %v", f.name, handles[i].Hits(), f.fault.Count, err)
		}
	}
	all := slices.Concat(warm, rest)
	servicetest.ReadCommitted(t, b, servicetest.Bills, len(all))
	for i, r := range runs {
		if err := r.Stop(); err != nil {
			t.Errorf("instance %d: Run: %v", i, err)
		}
	}
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, partitions, true), all)

	var handlerErrors, deadLettered, aborted int64
	for i, s := range instances {
		m := s.Metrics()
		t.Logf("instance %d: %d in, %d out, %d transactions committed, %d aborted", i, m.RecordsIn, m.RecordsOut, m.TransactionsCommitted, m.TransactionsAborted)
		handlerErrors += m.HandlerErrors
		deadLettered += m.DeadLettered
		aborted += m.TransactionsAborted
		tp := kafka.TopicPartition{Topic: servicetest.Orders, Partition: int32(i)}
		if got, want := m.Committed[tp], servicetest.CommittedOffset(t, b, servicetest.Name, servicetest.Orders, int32(i)); got != want {
			t.Errorf("instance %d: Metrics says %v committed at %d, the group at %d", i, tp, got, want)
		}
	}
	if handlerErrors != 6 || deadLettered != 0 {
		t.Errorf("%d handler errors (want 6: four failures, two panics), %d dead-lettered (want 0)", handlerErrors, deadLettered)
	}
	if aborted == 0 {
		t.Log("no transaction was aborted: every fault was retried inside librdkafka")
	}
}

// TestServiceFailedAbort fails a batch's commit and then its abort (two
// EndTxn requests in a row): the service must get past a failed abort as
// it does on franz-go, and bill every order exactly once. librdkafka
// leaves a producer whose abort failed in state BeginAbort until
// AbortTransaction is called again, and the transaction open on the
// broker meanwhile.
func TestServiceFailedAbort(t *testing.T) {
	b := startLoopBroker(t, 1)
	s := newLoopService(t, b, &servicetest.CashRegister{}, 0, 1)
	r := servicetest.Run(t, s)
	warm := servicetest.NewOrders(0, 100, 0)
	servicetest.ProduceOrders(t, b, warm)
	servicetest.ReadCommitted(t, b, servicetest.Bills, len(warm))

	f := b.Cluster().Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.EndTxn}, Err: kerr.UnknownServerError, Count: 2})
	defer f.Remove()
	rest := servicetest.NewOrders(len(warm), 400, 0)
	servicetest.ProduceOrders(t, b, rest)
	tp := kafka.TopicPartition{Topic: servicetest.Orders}
	servicetest.WaitWithin(t, 30*time.Second, "every order committed after a failed commit and a failed abort", func() bool {
		return s.Metrics().Committed[tp] >= int64(len(warm)+len(rest))
	})
	if err := r.Stop(); err != nil {
		t.Fatalf("Run = %v", err)
	}
	if f.Hits() != 2 {
		t.Errorf("%d EndTxn requests failed, want 2", f.Hits())
	}
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, 1, true), slices.Concat(warm, rest))
}

// TestServiceFencing starts a second instance with the first's
// transactional id: the first is fenced at its next transaction, stops
// with an error matching kafka.ErrFenced, and nothing it produced after
// the second started is in the topic, committed or not.
func TestServiceFencing(t *testing.T) {
	b := startLoopBroker(t, 1)
	first := servicetest.Run(t, newLoopService(t, b, &servicetest.CashRegister{}, 0, 1))
	before := servicetest.NewOrders(0, 10, 0)
	servicetest.ProduceOrders(t, b, before)
	early := servicetest.ReadCommitted(t, b, servicetest.Bills, len(before))
	epoch := early[0].ProducerEpoch // the first instance's

	second := newLoopService(t, b, &servicetest.CashRegister{}, 0, 1)
	r2 := servicetest.Run(t, second)
	servicetest.WaitUntil(t, "the second instance ready (transactions initialised)", second.Ready)
	after := servicetest.NewOrders(len(before), 10, 0)
	servicetest.ProduceOrders(t, b, after)
	err := first.Wait()
	t.Logf("first instance: %v", err)
	if !errors.Is(err, kafka.ErrFenced) {
		t.Errorf("first instance: Run = %v, want an error matching kafka.ErrFenced", err)
	}
	all := slices.Concat(before, after)
	servicetest.ReadCommitted(t, b, servicetest.Bills, len(all))
	if err := r2.Stop(); err != nil {
		t.Errorf("second instance: Run = %v", err)
	}
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, 1, true), all)

	// Read uncommitted, every record the first instance's producer epoch
	// wrote is a bill of the orders before the second started.
	var byFirst []*kgo.Record
	written := servicetest.ReadAll(t, b, servicetest.Bills, 1, false)
	for _, r := range written {
		if r.ProducerEpoch == epoch {
			byFirst = append(byFirst, r)
		}
	}
	servicetest.CheckBills(t, byFirst, before)
	if len(written) != len(all) {
		t.Errorf("%d records written to %s, read uncommitted; want %d", len(written), servicetest.Bills, len(all))
	}
}

// TestServiceShutdownCommits cancels Run with a batch open (the batch
// interval is long, so only the shutdown ends it): the open transaction is
// committed and Run returns nil.
func TestServiceShutdownCommits(t *testing.T) {
	b := startLoopBroker(t, 1)
	s := newLoopService(t, b, &servicetest.CashRegister{}, 0, 1, svc.Batch(1000, time.Hour))
	r := servicetest.Run(t, s)
	orders := servicetest.NewOrders(0, 50, 0)
	servicetest.ProduceOrders(t, b, orders)
	servicetest.WaitUntil(t, "50 orders handled", func() bool { return s.Metrics().RecordsIn >= 50 })
	if err := r.Stop(); err != nil {
		t.Fatalf("Run = %v, want nil", err)
	}
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, 1, true), orders)
	if got := servicetest.CommittedOffset(t, b, servicetest.Name, servicetest.Orders, 0); got != 50 {
		t.Errorf("committed offset after shutdown: %d, want 50", got)
	}
}
