package loop_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"
)

// The hand-written loops on confluent-kafka-go (librdkafka), as
// runtime/kafka/rdkafka's BenchmarkExactlyOnceRaw writes them: a Consumer
// assigned the input partition (after fetching its metadata, which spares
// librdkafka's ~0.5 s wait before the first fetch), read_committed, no
// auto-commit; a Producer, idempotent with acks=all, transactional for
// exactly-once; the records' key and value handed to Produce as they came.

// rdProducer is a Producer whose delivery reports are read on a goroutine
// that keeps the first failure.
type rdProducer struct {
	*ckafka.Producer
	mu     sync.Mutex
	failed error
	done   chan struct{}
}

func newRdProducer(cfg ckafka.ConfigMap) (*rdProducer, error) {
	p, err := ckafka.NewProducer(&cfg)
	if err != nil {
		return nil, err
	}
	rp := &rdProducer{Producer: p, done: make(chan struct{})}
	go func() {
		defer close(rp.done)
		for ev := range p.Events() {
			if m, ok := ev.(*ckafka.Message); ok && m.TopicPartition.Error != nil {
				rp.mu.Lock()
				if rp.failed == nil {
					rp.failed = m.TopicPartition.Error
				}
				rp.mu.Unlock()
			}
		}
	}()
	return rp, nil
}

func (p *rdProducer) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.failed
}

func (p *rdProducer) close() {
	p.Close()
	<-p.done
}

// newRdConsumer returns a consumer assigned partition 0 of the input from
// its start.
func newRdConsumer(servers string) (*ckafka.Consumer, error) {
	c, err := ckafka.NewConsumer(&ckafka.ConfigMap{
		"bootstrap.servers": servers, "group.id": group, "enable.auto.commit": false,
		"isolation.level": "read_committed", "fetch.wait.max.ms": 100, "log_level": 0,
	})
	if err != nil {
		return nil, err
	}
	in := inTopic
	if _, err := c.GetMetadata(&in, false, int(waitLimit.Milliseconds())); err != nil {
		_ = c.Close()
		return nil, err
	}
	if err := c.Assign([]ckafka.TopicPartition{{Topic: &in, Partition: 0, Offset: ckafka.OffsetBeginning}}); err != nil {
		_ = c.Close()
		return nil, err
	}
	return c, nil
}

// rdClients creates the producer, transactional when txnID is set, and
// the consumer.
func rdClients(ctx context.Context, brokers []string, txnID string) (*rdProducer, *ckafka.Consumer, error) {
	servers := strings.Join(brokers, ",")
	cfg := ckafka.ConfigMap{"bootstrap.servers": servers, "enable.idempotence": true, "acks": "all", "log_level": 0}
	if txnID != "" {
		cfg["transactional.id"] = txnID
	}
	p, err := newRdProducer(cfg)
	if err != nil {
		return nil, nil, err
	}
	if txnID != "" {
		if err := p.InitTransactions(ctx); err != nil {
			p.close()
			return nil, nil, err
		}
	}
	c, err := newRdConsumer(servers)
	if err != nil {
		p.close()
		return nil, nil, err
	}
	return p, c, nil
}

// startRdkafkaLoop starts the hand-written exactly-once loop: a
// transaction per batch, the input offsets sent to it with the consumer's
// group metadata.
func startRdkafkaLoop(ctx context.Context, s setup) (*running, error) {
	p, c, err := rdClients(ctx, s.brokers, group+"-0")
	if err != nil {
		return nil, err
	}
	in, out := inTopic, outTopic
	loop := func(ctx context.Context, pos *atomic.Int64) error {
		batch := make([]*ckafka.Message, 0, s.batch)
		for {
			var err error
			if batch, err = rdBatch(ctx, c, batch[:0], s.batch, s.interval); err != nil {
				return err
			}
			if err := p.BeginTransaction(); err != nil {
				return err
			}
			for _, m := range batch {
				msg := &ckafka.Message{TopicPartition: ckafka.TopicPartition{Topic: &out, Partition: m.TopicPartition.Partition}, Key: m.Key, Value: m.Value}
				if err := p.Produce(msg, nil); err != nil {
					return err
				}
			}
			md, err := c.GetConsumerGroupMetadata()
			if err != nil {
				return err
			}
			next := batch[len(batch)-1].TopicPartition.Offset + 1
			offsets := []ckafka.TopicPartition{{Topic: &in, Partition: 0, Offset: next}}
			if err := p.SendOffsetsToTransaction(ctx, offsets, md); err != nil {
				return err
			}
			if err := p.CommitTransaction(ctx); err != nil {
				return err
			}
			if err := p.err(); err != nil {
				return err
			}
			pos.Store(int64(next))
		}
	}
	return goRun(ctx, loop, func() { _ = c.Close(); p.close() }), nil
}

// startRdkafkaAtLeastOnce starts the hand-written at-least-once loop: per
// batch, the outputs produced with a delivery channel and every delivery
// report awaited, then the input offsets committed. (Producer.Flush would
// do for the wait, but it costs up to 100 ms a call while the Events
// channel is being read: it polls again whenever Len still counts reports
// the reader has not taken yet.)
func startRdkafkaAtLeastOnce(ctx context.Context, s setup) (*running, error) {
	p, c, err := rdClients(ctx, s.brokers, "")
	if err != nil {
		return nil, err
	}
	in, out := inTopic, outTopic
	loop := func(ctx context.Context, pos *atomic.Int64) error {
		batch := make([]*ckafka.Message, 0, s.batch)
		delivered := make(chan ckafka.Event, s.batch)
		for {
			var err error
			if batch, err = rdBatch(ctx, c, batch[:0], s.batch, s.interval); err != nil {
				return err
			}
			for _, m := range batch {
				msg := &ckafka.Message{TopicPartition: ckafka.TopicPartition{Topic: &out, Partition: m.TopicPartition.Partition}, Key: m.Key, Value: m.Value}
				if err := p.Produce(msg, delivered); err != nil {
					return err
				}
			}
			if err := awaitDeliveries(ctx, delivered, len(batch)); err != nil {
				return err
			}
			next := batch[len(batch)-1].TopicPartition.Offset + 1
			if _, err := c.CommitOffsets([]ckafka.TopicPartition{{Topic: &in, Partition: 0, Offset: next}}); err != nil {
				return err
			}
			pos.Store(int64(next))
		}
	}
	return goRun(ctx, loop, func() { _ = c.Close(); p.close() }), nil
}

// awaitDeliveries reads n delivery reports and returns the first failure.
func awaitDeliveries(ctx context.Context, delivered <-chan ckafka.Event, n int) error {
	var first error
	for range n {
		select {
		case ev := <-delivered:
			if m, ok := ev.(*ckafka.Message); ok && m.TopicPartition.Error != nil && first == nil {
				first = m.TopicPartition.Error
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return first
}

// rdBatch polls c until batch holds n messages, or interval after the
// first; it waits for the first as long as it takes, until ctx is done.
func rdBatch(ctx context.Context, c *ckafka.Consumer, batch []*ckafka.Message, n int, interval time.Duration) ([]*ckafka.Message, error) {
	var deadline time.Time
	for len(batch) < n {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		timeout := 100 * time.Millisecond
		if len(batch) > 0 {
			left := time.Until(deadline)
			if left <= 0 {
				break
			}
			timeout = min(timeout, left)
		}
		switch e := c.Poll(int(timeout.Milliseconds())).(type) {
		case *ckafka.Message:
			if err := e.TopicPartition.Error; err != nil {
				return nil, err
			}
			if len(batch) == 0 {
				deadline = time.Now().Add(interval)
			}
			batch = append(batch, e)
		case ckafka.Error:
			if e.IsFatal() {
				return nil, e
			}
		}
	}
	return batch, nil
}
