package rdkafka_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

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
	s := newLoopService(t, b, &cashRegister{}, 0, 1, svc.Assignment(kafka.All))
	r := runService(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), waitLimit)
	defer cancel()
	var orders []order
	newOrder := func(i int) *seed.CoffeeOrdered {
		ev := seed.NewCoffeeOrdered()
		ev.UUID = fmt.Sprintf("c%d", i)
		ev.PartitionKey, ev.Amount = &ev.UUID, 2.5
		orders = append(orders, order{uuid: ev.UUID, key: ev.UUID, correlation: ev.CorrelationID, seq: i})
		return ev
	}
	for i := range 10 {
		if err := s.Send(ctx, ordersTopic, newOrder(i)); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	done := make(chan error, 10)
	for i := 10; i < 20; i++ {
		s.SendAsync(ctx, ordersTopic, newOrder(i), func(err error) { done <- err })
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
	readN(t, b, billsTopic, len(orders))
	if err := r.stop(); err != nil {
		t.Fatal(err)
	}
	checkBills(t, readAll(t, b, billsTopic, partitions, true), orders)
	sent := readAll(t, b, ordersTopic, partitions, true)
	for _, rec := range sent {
		if want := int32(partition.Murmur2Partition(rec.Key, partitions)); rec.Partition != want {
			t.Errorf("order %s sent to partition %d, murmur2 picks %d", rec.Key, rec.Partition, want)
		}
	}
	if len(sent) != len(orders) {
		t.Errorf("%d orders in %s, sent %d", len(sent), ordersTopic, len(orders))
	}
	if err := s.Send(ctx, ordersTopic, seed.NewCoffeeOrdered()); !errors.Is(err, svc.ErrNotRunning) {
		t.Errorf("Send after Run returned: %v, want ErrNotRunning", err)
	}
}
