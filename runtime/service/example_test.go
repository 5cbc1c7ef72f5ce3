package service_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// Bartender turns each bill into a MakeCoffee command.
type Bartender struct{}

func (Bartender) HandleBillCreated(ctx context.Context, bill *records.BillCreated, out tonga.Emitter) error {
	cmd := records.NewMakeCoffeeFrom(bill) // same correlation id and context as the bill
	cmd.UUID, cmd.ProcessingGuarantee = bill.CoffeeUUID, tonga.ExactlyOnce
	return out.Emit(ctx, "coffee-maker-commands", cmd)
}

// Example runs a generated handler in a service, exactly once, on the
// embedded broker.
func Example() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b, _ := broker.Start(ctx, broker.Topic("cash-register-events", 1, nil), broker.Topic("coffee-maker-commands", 1, nil))
	defer func() { _ = b.Close() }()

	// The wiring: a registry of the generated types, the handler, a service.
	reg, _ := tonga.NewRegistry(records.Schemas()...)
	_ = records.RegisterHandlers(reg, Bartender{})
	svc, err := service.New("bartender",
		service.Brokers(b.Addrs()...),
		service.Registry(reg),
		service.Inputs("cash-register-events"),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()

	// Elsewhere, the cash register bills a coffee...
	bill := records.NewBillCreated()
	bill.UUID, bill.CoffeeUUID, bill.Amount = "b1", "c1", 2.5
	sendExample(ctx, b, "cash-register-events", bill)
	// ...and the coffee maker receives the command.
	cmd := receiveExample(ctx, b, "coffee-maker-commands").(*records.MakeCoffee)
	fmt.Println(cmd.UUID, cmd.CorrelationID == bill.CorrelationID)

	cancel()
	fmt.Println(<-done)
	// Output:
	// c1 true
	// <nil>
}

// sendExample and receiveExample stand for the other services.
func sendExample(ctx context.Context, b *broker.Broker, topic string, r tonga.Record) {
	p, _ := newTestProducer(b)
	defer p.Close()
	_ = p.send(ctx, topic, r)
}

func receiveExample(ctx context.Context, b *broker.Broker, topic string) tonga.Record {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return receiveOne(ctx, b, topic)
}
