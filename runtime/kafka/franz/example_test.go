package franz_test

import (
	"context"
	"fmt"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/franz"
)

// Example shows a consume-transform-produce transaction: the bills and the
// offsets of the orders they answer are committed together, exactly once.
func Example() {
	ctx := context.Background()
	b, err := broker.Start(ctx, broker.Topic("orders", 1, nil), broker.Topic("bills", 1, nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = b.Close() }()
	if err := seed(ctx, b.Addrs(), "espresso"); err != nil {
		fmt.Println(err)
		return
	}

	cl, err := franz.New(ctx, kafka.Config{
		Brokers: b.Addrs(), Topics: []string{"orders"}, Group: "cash-register",
		Policy: kafka.OnlyOwn, Instance: 0, Replicas: 1, TransactionalID: "cash-register-0",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	orders, err := cl.Poll(ctx, 100)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := cl.BeginTransaction(); err != nil {
		fmt.Println(err)
		return
	}
	offsets := make(map[kafka.TopicPartition]int64)
	for _, o := range orders {
		bill := &kafka.Record{Topic: "bills", Partition: o.Partition, Key: o.Key, Value: append([]byte("bill for "), o.Value...)}
		cl.Produce(ctx, bill, func(*kafka.Record, error) {}) // a failed record makes the commit fail
		offsets[kafka.TopicPartition{Topic: o.Topic, Partition: o.Partition}] = o.Offset + 1
	}
	if err := cl.CommitTransaction(ctx, offsets); err != nil {
		fmt.Println(err) // on ErrAbortable: AbortTransaction, Rewind, and redo
		return
	}
	fmt.Println(offsets)
	// Output: map[{orders 0}:1]
}

// seed produces one order.
func seed(ctx context.Context, brokers []string, order string) error {
	p, err := franz.New(ctx, kafka.Config{Brokers: brokers})
	if err != nil {
		return err
	}
	defer p.Close()
	errc := make(chan error, 1)
	p.Produce(ctx, &kafka.Record{Topic: "orders", Value: []byte(order)}, func(_ *kafka.Record, err error) { errc <- err })
	return <-errc
}
