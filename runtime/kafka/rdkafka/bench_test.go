package rdkafka_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
)

// The exactly-once benchmarks run consume-transform-produce on the
// embedded broker: b.N records are read from in[0] and written to out[0],
// perTxn records and their offsets per transaction. Raw is the loop
// written by hand on confluent-kafka-go; Client is the same loop through
// rdkafka.New's kafka.Client. Both report records/s.

var perTxnSizes = []int{1, 100, 1000}

func BenchmarkExactlyOnceRaw(b *testing.B) {
	for _, n := range perTxnSizes {
		b.Run(fmt.Sprintf("perTxn=%d", n), func(b *testing.B) { benchRaw(b, n) })
	}
}

func BenchmarkExactlyOnceClient(b *testing.B) {
	for _, n := range perTxnSizes {
		b.Run(fmt.Sprintf("perTxn=%d", n), func(b *testing.B) { benchClient(b, n) })
	}
}

// benchInput starts a broker whose in[0] holds b.N records of 100 bytes.
func benchInput(b *testing.B) *broker.Broker {
	b.Helper()
	ctx := testCtx(b)
	br := startBroker(b, broker.Topic("in", 1, nil), broker.Topic("out", 1, nil))
	p, err := rdkafka.New(ctx, kafka.Config{Brokers: br.Addrs(), Options: map[string]string{"linger.ms": "5"}})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	value := []byte(strings.Repeat("v", 100))
	errs := make(chan error, 1)
	for range b.N {
		p.Produce(ctx, &kafka.Record{Topic: "in", Value: value}, func(_ *kafka.Record, err error) {
			if err != nil {
				select {
				case errs <- err:
				default:
				}
			}
		})
	}
	if err := p.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	return br
}

func report(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func benchClient(b *testing.B, perTxn int) {
	ctx := testCtx(b)
	br := benchInput(b)
	c, err := rdkafka.New(ctx, kafka.Config{
		Brokers: br.Addrs(), Group: "bench", Topics: []string{"in"},
		Policy: kafka.OnlyOwn, Instance: 0, Replicas: 1, TransactionalID: "bench-0",
	})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	done := func(_ *kafka.Record, err error) {
		if err != nil {
			b.Error(err)
		}
	}
	b.ResetTimer()
	for left := b.N; left > 0; {
		var batch []kafka.Record
		for len(batch) < min(perTxn, left) {
			rs, err := c.Poll(ctx, min(perTxn, left)-len(batch))
			if err != nil {
				b.Fatal(err)
			}
			batch = append(batch, rs...)
		}
		if err := c.BeginTransaction(); err != nil {
			b.Fatal(err)
		}
		for i := range batch {
			r := &batch[i]
			c.Produce(ctx, &kafka.Record{Topic: "out", Partition: 0, Key: r.Key, Value: r.Value}, done)
		}
		last := batch[len(batch)-1]
		if err := c.CommitTransaction(ctx, map[kafka.TopicPartition]int64{{Topic: "in"}: last.Offset + 1}); err != nil {
			b.Fatal(err)
		}
		left -= len(batch)
	}
	b.StopTimer()
	report(b)
}

func benchRaw(b *testing.B, perTxn int) {
	ctx := testCtx(b)
	br := benchInput(b)
	servers := strings.Join(br.Addrs(), ",")
	p, err := ckafka.NewProducer(&ckafka.ConfigMap{
		"bootstrap.servers": servers, "transactional.id": "bench-0",
		"enable.idempotence": true, "acks": "all", "log_level": 0,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	go func() {
		for ev := range p.Events() {
			if m, ok := ev.(*ckafka.Message); ok && m.TopicPartition.Error != nil {
				b.Error(m.TopicPartition.Error)
			}
		}
	}()
	c, err := ckafka.NewConsumer(&ckafka.ConfigMap{
		"bootstrap.servers": servers, "group.id": "bench", "enable.auto.commit": false,
		"isolation.level": "read_committed", "fetch.wait.max.ms": 100, "log_level": 0,
	})
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = c.Close() }()
	if err := p.InitTransactions(ctx); err != nil {
		b.Fatal(err)
	}
	in, out := "in", "out"
	if _, err := c.GetMetadata(&in, false, 10000); err != nil {
		b.Fatal(err)
	}
	if err := c.Assign([]ckafka.TopicPartition{{Topic: &in, Partition: 0, Offset: ckafka.OffsetBeginning}}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	batch := make([]*ckafka.Message, 0, perTxn)
	for left := b.N; left > 0; {
		batch = rawBatch(ctx, b, c, batch[:0], min(perTxn, left))
		if err := p.BeginTransaction(); err != nil {
			b.Fatal(err)
		}
		for _, m := range batch {
			msg := &ckafka.Message{TopicPartition: ckafka.TopicPartition{Topic: &out, Partition: 0}, Key: m.Key, Value: m.Value}
			if err := p.Produce(msg, nil); err != nil {
				b.Fatal(err)
			}
		}
		md, err := c.GetConsumerGroupMetadata()
		if err != nil {
			b.Fatal(err)
		}
		last := batch[len(batch)-1].TopicPartition
		offsets := []ckafka.TopicPartition{{Topic: &in, Partition: 0, Offset: last.Offset + 1}}
		if err := p.SendOffsetsToTransaction(ctx, offsets, md); err != nil {
			b.Fatal(err)
		}
		if err := p.CommitTransaction(ctx); err != nil {
			b.Fatal(err)
		}
		left -= len(batch)
	}
	b.StopTimer()
	report(b)
}

// rawBatch polls c until batch holds n messages.
func rawBatch(ctx context.Context, b *testing.B, c *ckafka.Consumer, batch []*ckafka.Message, n int) []*ckafka.Message {
	for len(batch) < n {
		if ctx.Err() != nil {
			b.Fatal(ctx.Err())
		}
		timeout := 100
		if len(batch) > 0 {
			timeout = 0
		}
		switch e := c.Poll(timeout).(type) {
		case *ckafka.Message:
			if e.TopicPartition.Error != nil {
				b.Fatal(e.TopicPartition.Error)
			}
			batch = append(batch, e)
		case ckafka.Error:
			if e.IsFatal() {
				b.Fatal(e)
			}
		}
	}
	return batch
}
