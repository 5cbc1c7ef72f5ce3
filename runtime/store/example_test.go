package store_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/store"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// Waiter keeps the orders it takes in its local store. The coffee it is
// told is ready may have been ordered from another waiter: its global
// store follows the other waiters' local stores.
type Waiter struct {
	orders    *store.Typed[records.CoffeeOrdered, *records.CoffeeOrdered] // this waiter's
	elsewhere *store.Typed[records.CoffeeOrdered, *records.CoffeeOrdered] // the other waiters'
}

func (w *Waiter) HandleCoffeeOrdered(ctx context.Context, order *records.CoffeeOrdered, _ tonga.Emitter) error {
	return w.orders.Set(ctx, order.UUID, order)
}

func (w *Waiter) HandleCoffeeFinished(ctx context.Context, done *records.CoffeeFinished, out tonga.Emitter) error {
	order, err := w.orders.Get(ctx, done.UUID)
	if errors.Is(err, store.ErrNotFound) {
		order, err = w.elsewhere.Get(ctx, done.UUID)
	}
	if err != nil {
		return err
	}
	served := records.NewCoffeeServedFrom(done)
	served.UUID, served.ServedTo, served.Amount = order.UUID, order.CoffeeFor, order.Amount
	return out.Emit(ctx, "coffee-served", served)
}

// runWaiter runs instance i of two waiters until ctx ends.
func runWaiter(ctx context.Context, b *broker.Broker, i int) (*Waiter, error) {
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		return nil, err
	}
	svc, err := service.New("waiter", service.Brokers(b.Addrs()...), service.Registry(reg),
		service.Inputs("waiter-events", "bartender-events"), service.Instance(i, 2))
	if err != nil {
		return nil, err
	}
	w := &Waiter{
		orders:    store.NewTyped[records.CoffeeOrdered](store.NewLocal(svc)),
		elsewhere: store.NewTyped[records.CoffeeOrdered](store.NewGlobal(svc)),
	}
	if err := records.RegisterHandlers(reg, w); err != nil {
		return nil, err
	}
	go func() { _ = svc.Run(ctx) }()
	return w, nil
}

// Example runs two instances of a waiter whose handlers use a typed local
// store and a global store, on the embedded broker.
func Example() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := broker.Start(ctx, broker.Topic("waiter-events", 2, nil), broker.Topic("bartender-events", 2, nil),
		broker.Topic("coffee-served", 1, nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = b.Close() }()
	waiters, stop := context.WithCancel(ctx)
	defer stop() // before the broker closes
	_, err = runWaiter(waiters, b, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	second, err := runWaiter(waiters, b, 1)
	if err != nil {
		fmt.Println(err)
		return
	}

	// Alice orders from the first waiter (partition 0 is instance 0's)...
	order := records.NewCoffeeOrdered()
	order.UUID, order.CoffeeFor, order.Amount = "c1", "Alice", 2.5
	send(ctx, b, "waiter-events", 0, order)
	// ...the second waiter's global store soon holds her order...
	for _, err := second.elsewhere.Get(ctx, "c1"); err != nil && ctx.Err() == nil; _, err = second.elsewhere.Get(ctx, "c1") {
		time.Sleep(10 * time.Millisecond)
	}
	// ...and the bartender tells the second waiter that it is ready.
	ready := records.NewCoffeeFinishedFrom(order)
	ready.UUID = order.UUID
	send(ctx, b, "bartender-events", 1, ready)

	served := receive(ctx, b, "coffee-served")
	fmt.Println(served.UUID, "served to", served.ServedTo)
	_, err = second.orders.Get(ctx, "c1")
	fmt.Println("ordered from the second waiter:", !errors.Is(err, store.ErrNotFound))
	// Output:
	// c1 served to Alice
	// ordered from the second waiter: false
}

// send and receive stand for the other services.
func send(ctx context.Context, b *broker.Broker, topic string, partition int32, r tonga.Record) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		return
	}
	defer cl.Close()
	v, _ := wire.AppendSingleObject(nil, r)
	_ = cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Partition: partition, Value: v}).FirstErr()
}

func receive(ctx context.Context, b *broker.Broker, topic string) *records.CoffeeServed {
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return &records.CoffeeServed{}
	}
	defer cl.Close()
	for ctx.Err() == nil {
		for _, r := range cl.PollFetches(ctx).Records() {
			var served records.CoffeeServed
			if _, body, err := wire.ParseSingleObject(r.Value); err == nil && served.UnmarshalAvro(body) == nil {
				return &served
			}
		}
	}
	return &records.CoffeeServed{}
}
