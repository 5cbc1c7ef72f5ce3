package rdkafka_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
)

// A service instance consuming its own partition (Tonga's statefulset
// assignment) and writing its outputs and input offsets in one
// transaction.
func ExampleNew() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := broker.Start(ctx, broker.Topic("orders", 2, nil), broker.Topic("bills", 2, nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = b.Close() }()

	c, err := rdkafka.New(ctx, kafka.Config{
		Brokers:         b.Addrs(),
		Group:           "cash-register",
		Topics:          []string{"orders"},
		Policy:          kafka.OnlyOwn,
		Instance:        1,
		Replicas:        2,
		TransactionalID: "cash-register-1",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println("assigned:", c.Assigned())

	// An order arrives on the instance's partition.
	if err := c.BeginTransaction(); err != nil {
		fmt.Println(err)
		return
	}
	c.Produce(ctx, &kafka.Record{Topic: "orders", Partition: 1, Value: []byte("coffee")}, func(*kafka.Record, error) {})
	if err := c.CommitTransaction(ctx, nil); err != nil {
		fmt.Println(err)
		return
	}

	recs, err := c.Poll(ctx, 10)
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := c.BeginTransaction(); err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range recs {
		c.Produce(ctx, &kafka.Record{Topic: "bills", Partition: r.Partition, Value: []byte("bill for " + string(r.Value))}, func(*kafka.Record, error) {})
	}
	last := recs[len(recs)-1]
	err = c.CommitTransaction(ctx, map[kafka.TopicPartition]int64{{Topic: last.Topic, Partition: last.Partition}: last.Offset + 1})
	fmt.Println("committed:", err)
	committed, _ := c.Committed(ctx, c.Assigned())
	fmt.Println("next offset:", committed[kafka.TopicPartition{Topic: "orders", Partition: 1}])
	// Output:
	// assigned: [{orders 1}]
	// committed: <nil>
	// next offset: 1
}
