package service_test

import (
	"context"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

type testProducer struct{ cl *kgo.Client }

func newTestProducer(b *broker.Broker) (*testProducer, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...))
	return &testProducer{cl}, err
}

func (p *testProducer) Close() { p.cl.Close() }

func (p *testProducer) send(ctx context.Context, topic string, r tonga.Record) error {
	v, err := wire.AppendSingleObject(nil, r)
	if err != nil {
		return err
	}
	return p.cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Key: wire.Key(r), Value: v}).FirstErr()
}

// receiveOne reads the first committed record of topic and decodes it
// with the coffee bar's types.
func receiveOne(ctx context.Context, b *broker.Broker, topic string) tonga.Record {
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...), kgo.ConsumeTopics(topic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return nil
	}
	defer cl.Close()
	reg, _ := tonga.NewRegistry(records.Schemas()...)
	dec, _ := wire.NewDecoder(reg)
	for ctx.Err() == nil {
		for _, r := range cl.PollFetches(ctx).Records() {
			rec, _, err := dec.Decode(r.Value)
			if err == nil {
				return rec
			}
		}
	}
	return nil
}
