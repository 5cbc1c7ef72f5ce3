package rdkafka_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/partition"
	svc "github.com/tonga-go/tonga/runtime/service"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// TestServiceSend sends orders from outside any handler, as the waiter's
// HTTP endpoint does, with Send and SendAsync: each lands on the partition
// murmur2 picks for its key (librdkafka's partitioner never runs), the
// service handles it like any input, and its bill carries the order's
// correlation id. Once Run returned, Send fails with ErrNotRunning.
func TestServiceSend(t *testing.T) {
	const partitions = 2
	b := startLoopBroker(t, partitions)
	s := newLoopService(t, b, &servicetest.CashRegister{}, 0, 1, svc.Assignment(kafka.All))
	r := servicetest.Run(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), servicetest.WaitLimit)
	defer cancel()
	var orders []servicetest.Order
	newOrder := func(i int) *seed.CoffeeOrdered {
		ev := seed.NewCoffeeOrdered()
		ev.UUID = fmt.Sprintf("c%d", i)
		ev.PartitionKey, ev.Amount = &ev.UUID, 2.5
		orders = append(orders, servicetest.Order{UUID: ev.UUID, Key: ev.UUID, Correlation: ev.CorrelationID, Seq: i})
		return ev
	}
	for i := range 10 {
		if err := s.Send(ctx, servicetest.Orders, newOrder(i)); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	done := make(chan error, 10)
	for i := 10; i < 20; i++ {
		s.SendAsync(ctx, servicetest.Orders, newOrder(i), func(err error) { done <- err })
	}
	for range 10 {
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("SendAsync: %v", err)
			}
		case <-ctx.Done():
			t.Fatal("SendAsync: done not called")
		}
	}
	servicetest.ReadCommitted(t, b, servicetest.Bills, len(orders))
	if err := r.Stop(); err != nil {
		t.Fatal(err)
	}
	servicetest.CheckBills(t, servicetest.ReadAll(t, b, servicetest.Bills, partitions, true), orders)
	sent := servicetest.ReadAll(t, b, servicetest.Orders, partitions, true)
	for _, rec := range sent {
		if want := int32(partition.Murmur2Partition(rec.Key, partitions)); rec.Partition != want {
			t.Errorf("order %s sent to partition %d, murmur2 picks %d", rec.Key, rec.Partition, want)
		}
	}
	if len(sent) != len(orders) {
		t.Errorf("%d orders in %s, sent %d", len(sent), servicetest.Orders, len(orders))
	}
	if err := s.Send(ctx, servicetest.Orders, seed.NewCoffeeOrdered()); !errors.Is(err, svc.ErrNotRunning) {
		t.Errorf("Send after Run returned: %v, want ErrNotRunning", err)
	}
}
