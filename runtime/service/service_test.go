package service_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
)

// The service under test is internal/servicetest's cash register.
const (
	inTopic  = servicetest.Orders
	outTopic = servicetest.Bills
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

// newService returns instance of replicas of the cash register on
// franz-go, handling with h, in batches of 100 records or 50 ms, with
// short retry backoffs; opts come last and override.
func newService(t testing.TB, b *broker.Broker, h any, instance, replicas int, opts ...service.Option) *service.Service {
	t.Helper()
	opts = append([]service.Option{
		service.Brokers(b.Addrs()...),
		service.Registry(servicetest.Registry(t, h)),
		service.Inputs(inTopic),
		service.Instance(instance, replicas),
		service.Batch(100, 50*time.Millisecond),
		service.OnError(service.ErrorPolicy{Retries: 2, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}),
	}, opts...)
	svc, err := service.New(servicetest.Name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// produceOrders writes CoffeeOrdered events c<from>..c<from+n-1>, each
// keyed by its UUID, to the input.
func produceOrders(t testing.TB, b *broker.Broker, from, n int) {
	t.Helper()
	servicetest.ProduceOrders(t, b, servicetest.NewOrders(from, n, 0))
}

// orderRecords returns the records produceOrders writes.
func orderRecords(t testing.TB, from, n int) []*kgo.Record {
	t.Helper()
	return servicetest.OrderRecords(t, servicetest.NewOrders(from, n, 0))
}

// checkBills checks that every order 0..n-1 was billed exactly once, in
// order per key's partition, with the order's correlation id.
func checkBills(t *testing.T, recs []*kgo.Record, n int) {
	t.Helper()
	seen := map[string]int{}
	lastByPartition := map[int32]int{}
	for _, r := range recs {
		bill := servicetest.DecodeBill(t, r)
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
	h := &servicetest.CashRegister{
		FailOnce:  map[string]bool{"c10": true, "c500": true, "c501": true, "c2999": true},
		PanicOnce: map[string]bool{"c11": true, "c1500": true},
	}
	svc := newService(t, b, h, 0, 1)
	r := servicetest.Run(t, svc)
	const n = 3000
	produceOrders(t, b, 0, n)
	servicetest.ReadCommitted(t, b, outTopic, n)
	if err := r.Stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	checkBills(t, servicetest.ReadAll(t, b, outTopic, 1, true), n)
	m := svc.Metrics()
	if m.RecordsOut != n || m.HandlerErrors != 6 || m.DeadLettered != 0 || m.TransactionsCommitted < n/100 {
		t.Errorf("metrics %+v", m)
	}
}

func TestOnlyOwnPartitionMismatch(t *testing.T) {
	b := startBroker(t, 3)
	svc := newService(t, b, &servicetest.CashRegister{}, 0, 2)
	err := svc.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "3 partitions") || !strings.Contains(err.Error(), "2 replicas") {
		t.Errorf("Run = %v", err)
	}
}

func TestFencing(t *testing.T) {
	b := startBroker(t, 1)
	first := servicetest.Run(t, newService(t, b, &servicetest.CashRegister{}, 0, 1))
	produceOrders(t, b, 0, 10)
	servicetest.ReadCommitted(t, b, outTopic, 10)

	// A second instance with the same transactional id takes over; the
	// first is fenced at its next transaction and stops.
	second := servicetest.Run(t, newService(t, b, &servicetest.CashRegister{}, 0, 1))
	produceOrders(t, b, 10, 10)
	if err := first.Wait(); !errors.Is(err, kafka.ErrFenced) {
		t.Errorf("first instance: %v, want ErrFenced", err)
	}
	checkBills(t, servicetest.ReadCommitted(t, b, outTopic, 20), 20)
	if err := second.Stop(); err != nil {
		t.Errorf("second instance: %v", err)
	}
}
