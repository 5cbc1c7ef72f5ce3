package loop_test

import (
	"context"
	"sync/atomic"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/franz"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
	"github.com/tonga-go/tonga/runtime/service"
	"github.com/tonga-go/tonga/runtime/tonga"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// cashRegister is the framework's handler: it bills every coffee ordered,
// one BillCreated per CoffeeOrdered, in the order's flow and keyed like
// it.
type cashRegister struct{}

// HandleCoffeeOrdered emits the order's bill.
func (cashRegister) HandleCoffeeOrdered(ctx context.Context, ev *seed.CoffeeOrdered, out tonga.Emitter) error {
	bill := seed.NewBillCreated()
	bill.UUID, bill.CoffeeUUID, bill.Amount = "bill-"+ev.UUID, ev.UUID, ev.Amount
	bill.PartitionKey = ev.PartitionKey
	return out.Emit(ctx, outTopic, bill)
}

// startService returns the framework on transport: runtime/service with
// the seed's registry and the cash register, instance 0 of 1, its
// defaults otherwise.
func startService(transport string) func(ctx context.Context, s setup) (*running, error) {
	t := service.Transport(franz.New)
	if transport == "rdkafka" {
		t = rdkafka.New
	}
	return func(ctx context.Context, s setup) (*running, error) {
		reg, err := tonga.NewRegistry(seed.Schemas()...)
		if err != nil {
			return nil, err
		}
		if err := seed.RegisterHandlers(reg, cashRegister{}); err != nil {
			return nil, err
		}
		opts := []service.Option{
			service.WithTransport(t),
			service.Brokers(s.brokers...),
			service.Registry(reg),
			service.Inputs(inTopic),
			service.Instance(0, 1),
		}
		if !s.defaults {
			opts = append(opts, service.Batch(s.batch, s.interval))
		}
		if s.guarantee == atLeastOnce {
			opts = append(opts, service.WithGuarantee(service.AtLeastOnce))
		}
		svc, err := service.New(group, opts...)
		if err != nil {
			return nil, err
		}
		r := goRun(ctx, func(ctx context.Context, _ *atomic.Int64) error { return svc.Run(ctx) }, nil)
		tp := kafka.TopicPartition{Topic: inTopic}
		r.committed = func() int64 { return svc.Metrics().Committed[tp] }
		return r, nil
	}
}
