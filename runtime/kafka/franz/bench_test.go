package franz_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/franz"
)

// BenchmarkExactlyOnce runs the same exactly-once loop (consume, copy the
// bytes, produce, commit the outputs and the input offsets every perTxn
// records) on the embedded broker, hand-written on franz-go's
// GroupTransactSession ("kgo") and through franz.New's kafka.Client
// ("franz").
func BenchmarkExactlyOnce(b *testing.B) {
	for _, perTxn := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("kgo/perTxn=%d", perTxn), func(b *testing.B) { benchLoop(b, perTxn, newKgoLoop) })
		b.Run(fmt.Sprintf("franz/perTxn=%d", perTxn), func(b *testing.B) { benchLoop(b, perTxn, newFranzLoop) })
	}
}

// A loop runs one transaction of at most perTxn records and returns how
// many it processed.
type loop func(ctx context.Context, perTxn int) (int, error)

func benchLoop(b *testing.B, perTxn int, newLoop func(ctx context.Context, addrs []string) (loop, func(), error)) {
	ctx := context.Background()
	br, err := broker.Start(ctx, broker.Topic("in", 3, nil), broker.Topic("out", 3, nil))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = br.Close() }()
	total := b.N + perTxn // the first transaction warms up: the group join is not timed
	if err := fill(ctx, br.Addrs(), total); err != nil {
		b.Fatal(err)
	}
	step, closeFn, err := newLoop(ctx, br.Addrs())
	if err != nil {
		b.Fatal(err)
	}
	defer closeFn()
	done, err := step(ctx, perTxn)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	timed := 0
	for done < total {
		n, err := step(ctx, perTxn)
		if err != nil {
			b.Fatal(err)
		}
		done += n
		timed += n
	}
	b.StopTimer()
	b.ReportMetric(float64(timed)/b.Elapsed().Seconds(), "records/s")
}

// fill produces n records of 100 bytes round-robin to in's partitions.
func fill(ctx context.Context, addrs []string, n int) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.RecordPartitioner(kgo.RoundRobinPartitioner()))
	if err != nil {
		return err
	}
	defer cl.Close()
	value := bytes.Repeat([]byte("v"), 100)
	errc := make(chan error, 1)
	for i := range n {
		r := &kgo.Record{Topic: "in", Key: fmt.Appendf(nil, "key-%d", i), Value: value}
		cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case errc <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return err
	}
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// newKgoLoop is the hand-written loop on franz-go.
func newKgoLoop(_ context.Context, addrs []string) (loop, func(), error) {
	s, err := kgo.NewGroupTransactSession(kgo.SeedBrokers(addrs...), kgo.TransactionalID("bench-0"),
		kgo.ConsumerGroup("bench"), kgo.ConsumeTopics("in"), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		return nil, nil, err
	}
	step := func(ctx context.Context, perTxn int) (int, error) {
		fs := s.PollRecords(ctx, perTxn)
		if err := fs.Err0(); err != nil {
			return 0, err
		}
		if err := s.Begin(); err != nil {
			return 0, err
		}
		fs.EachRecord(func(r *kgo.Record) {
			out := &kgo.Record{Topic: "out", Partition: r.Partition, Key: bytes.Clone(r.Key), Value: bytes.Clone(r.Value)}
			s.Produce(ctx, out, nil)
		})
		committed, err := s.End(ctx, kgo.TryCommit)
		if err == nil && !committed {
			err = errors.New("aborted")
		}
		return fs.NumRecords(), err
	}
	return step, s.Close, nil
}

// newFranzLoop is the same loop through the kafka.Client.
func newFranzLoop(ctx context.Context, addrs []string) (loop, func(), error) {
	c, err := franz.New(ctx, kafka.Config{Brokers: addrs, Topics: []string{"in"}, Group: "bench",
		Policy: kafka.Group, Start: kafka.StartEarliest, TransactionalID: "bench-0"})
	if err != nil {
		return nil, nil, err
	}
	offsets := make(map[kafka.TopicPartition]int64)
	step := func(ctx context.Context, perTxn int) (int, error) {
		rs, err := c.Poll(ctx, perTxn)
		if err != nil {
			return 0, err
		}
		if err := c.BeginTransaction(); err != nil {
			return 0, err
		}
		clear(offsets)
		for i := range rs {
			r := &rs[i]
			out := &kafka.Record{Topic: "out", Partition: r.Partition, Key: bytes.Clone(r.Key), Value: bytes.Clone(r.Value)}
			c.Produce(ctx, out, func(*kafka.Record, error) {})
			offsets[kafka.TopicPartition{Topic: r.Topic, Partition: r.Partition}] = r.Offset + 1
		}
		return len(rs), c.CommitTransaction(ctx, offsets)
	}
	return step, c.Close, nil
}
