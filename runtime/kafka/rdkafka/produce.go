package rdkafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// pending is a produced record waiting for its delivery report; it travels
// through librdkafka as the message's opaque.
type pending struct {
	r    *kafka.Record
	done func(*kafka.Record, error)
	ts   time.Time // the timestamp sent, the caller's or now
}

// delivery reads the producer's delivery reports and calls each record's
// done, and counts the records not yet reported, for Flush.
type delivery struct {
	logger  *slog.Logger
	failure func(r *kafka.Record, err error) error // the error done gets

	mu       sync.Mutex
	inflight int
	zero     chan struct{} // closed when inflight drops to 0; nil at 0

	// authErr is the last authentication failure librdkafka reported:
	// it retries forever, and a caller waiting for the broker is told.
	authErr atomic.Pointer[ckafka.Error]

	progress chan struct{} // a report arrived (for Produce on a full queue)
	exited   chan struct{} // the reading goroutine returned
}

func newDelivery(p *ckafka.Producer, logger *slog.Logger, failure func(*kafka.Record, error) error) *delivery {
	d := &delivery{logger: logger, failure: failure, progress: make(chan struct{}, 1), exited: make(chan struct{})}
	go d.run(p.Events())
	return d
}

func (d *delivery) add() {
	d.mu.Lock()
	if d.inflight == 0 {
		d.zero = make(chan struct{})
	}
	d.inflight++
	d.mu.Unlock()
}

func (d *delivery) sub() {
	d.mu.Lock()
	d.inflight--
	if d.inflight == 0 {
		close(d.zero)
		d.zero = nil
	}
	d.mu.Unlock()
}

// idle returns a channel closed once every record produced so far is
// reported, or nil if they all are.
func (d *delivery) idle() <-chan struct{} {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.zero
}

func (d *delivery) run(events <-chan ckafka.Event) {
	defer close(d.exited)
	for ev := range events {
		switch e := ev.(type) {
		case *ckafka.Message:
			p, ok := e.Opaque.(*pending)
			if !ok {
				continue
			}
			tp := e.TopicPartition
			if tp.Error != nil {
				p.done(p.r, d.failure(p.r, tp.Error))
			} else {
				// Delivery reports carry no timestamp: the one sent.
				p.r.Offset = int64(tp.Offset)
				p.r.Timestamp = p.ts
				p.done(p.r, nil)
			}
			d.sub()
			select {
			case d.progress <- struct{}{}:
			default:
			}
		case ckafka.Error:
			if isAuthentication(e) {
				d.authErr.Store(&e)
			}
			d.logger.Warn("rdkafka: producer error", "err", e, "fatal", e.IsFatal())
		}
	}
}

// deliveryError is the error done gets for a record librdkafka failed.
// A record purged from librdkafka's queue failed for what caused the
// purge: the producer's fatal error if it has one (a fencing, a refused
// producer id), the transaction's abortable state if it is transactional
// and not closing.
func (c *client) deliveryError(r *kafka.Record, err error) error {
	ke, ok := errorsAsCK(err)
	if ok && (ke.Code() == ckafka.ErrPurgeQueue || ke.Code() == ckafka.ErrPurgeInflight) {
		if fe := c.producer.GetFatalError(); fe != nil {
			class := classify(fe)
			if class == nil {
				class = kafka.ErrFatal
			}
			return &kafka.Error{Op: "produce", Topic: r.Topic, Partition: r.Partition, Class: class, Err: fe}
		}
		if c.cfg.TransactionalID != "" && !c.closing.Load() {
			return &kafka.Error{Op: "produce", Topic: r.Topic, Partition: r.Partition, Class: kafka.ErrAbortable, Err: err}
		}
	}
	return c.wrap("produce", r.Topic, r.Partition, err)
}

func errorsAsCK(err error) (ckafka.Error, bool) {
	var ke ckafka.Error
	ok := errors.As(err, &ke)
	return ke, ok
}

// fail reports an error for a record librdkafka did not take, on a new
// goroutine: done never runs on the caller's.
func (d *delivery) fail(p *pending, err error) {
	go func() {
		p.done(p.r, err)
		d.sub()
	}()
}

// close purges what the producer still holds, waits (briefly) for the
// purged records' reports, and closes the producer.
func (d *delivery) close(p *ckafka.Producer) {
	if err := p.Purge(ckafka.PurgeQueue | ckafka.PurgeInFlight | ckafka.PurgeNonBlocking); err != nil {
		d.logger.Debug("rdkafka: purge at close", "err", err)
	}
	if idle := d.idle(); idle != nil {
		select {
		case <-idle:
		case <-time.After(5 * time.Second):
			d.logger.Warn("rdkafka: closing with records whose delivery was not reported")
		}
	}
	p.Close()
	<-d.exited
}

// Produce sends r to r.Topic and r.Partition. r.Partition must be a real
// partition: librdkafka's partitioner never chooses. When librdkafka's
// queue is full, Produce waits for room until ctx is done.
func (c *client) Produce(ctx context.Context, r *kafka.Record, done func(*kafka.Record, error)) {
	p := &pending{r: r, done: done, ts: r.Timestamp}
	if p.ts.IsZero() {
		p.ts = time.UnixMilli(time.Now().UnixMilli())
	}
	c.deliver.add()
	if err := checkRecord(r); err != nil {
		c.deliver.fail(p, wrap("produce", r.Topic, r.Partition, fmt.Errorf("%w: %w", errInvalidArgument, err)))
		return
	}
	msg := &ckafka.Message{
		TopicPartition: ckafka.TopicPartition{Topic: &r.Topic, Partition: r.Partition},
		Key:            r.Key,
		Value:          r.Value,
		Timestamp:      p.ts,
		Opaque:         p,
	}
	if len(r.Headers) > 0 {
		msg.Headers = make([]ckafka.Header, len(r.Headers))
		for i, h := range r.Headers {
			msg.Headers[i] = ckafka.Header{Key: h.Key, Value: h.Value}
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			c.deliver.fail(p, wrap("produce", r.Topic, r.Partition, err))
			return
		}
		err := c.producer.Produce(msg, nil)
		var ke ckafka.Error
		if err == nil {
			return
		}
		if !errors.As(err, &ke) || ke.Code() != ckafka.ErrQueueFull {
			c.deliver.fail(p, c.wrap("produce", r.Topic, r.Partition, err))
			return
		}
		t := time.NewTimer(5 * time.Millisecond)
		select {
		case <-c.deliver.progress:
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
}

func checkRecord(r *kafka.Record) error {
	if err := checkTopic(r.Topic); err != nil {
		return err
	}
	if r.Partition < 0 {
		return fmt.Errorf("partition %d: the caller picks the partition, and the client's partitioner never does", r.Partition)
	}
	return nil
}

// Flush sends the records lingering in librdkafka's queue at once
// (rd_kafka_flush ignores linger.ms, 5 ms by default, while it runs), then
// waits until every record produced so far is reported and its done has
// returned. confluent-kafka-go's Flush is called with 1 ms, long enough to
// wake the broker threads: its own wait polls in slices of up to 100 ms.
func (c *client) Flush(ctx context.Context) error {
	c.producer.Flush(1)
	return c.waitDelivered(ctx, "flush")
}

// waitDelivered waits until every record produced so far is reported.
func (c *client) waitDelivered(ctx context.Context, op string) error {
	idle := c.deliver.idle()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return wrap(op, "", -1, ctx.Err())
	}
}

func (c *client) BeginTransaction() error {
	if c.cfg.TransactionalID == "" {
		return wrap("begin", "", -1, errNoTransaction)
	}
	c.offsetsSent = false
	return c.wrap("begin", "", -1, c.producer.BeginTransaction())
}

// CommitTransaction sends offsets to the transaction with the
// consumer's group metadata (KIP-447 fencing in a group; generation -1
// under static assignment) and commits, librdkafka flushing first; it
// returns once every record's done has run. Retried after a retriable error,
// it does not send offsets the coordinator already has.
func (c *client) CommitTransaction(ctx context.Context, offsets map[kafka.TopicPartition]int64) error {
	if c.cfg.TransactionalID == "" {
		return wrap("commit", "", -1, errNoTransaction)
	}
	ctx, cancel := bounded(ctx)
	defer cancel()
	if len(offsets) > 0 && !c.offsetsSent {
		if c.consumer == nil {
			return wrap("commit", "", -1, errNoConsumer)
		}
		md, err := c.consumer.GetConsumerGroupMetadata()
		if err != nil {
			return c.wrap("commit", "", -1, err)
		}
		if err := c.producer.SendOffsetsToTransaction(ctx, toOffsets(offsets), md); err != nil {
			return c.wrap("commit", "", -1, err)
		}
		c.offsetsSent = true
	}
	// librdkafka flushes before it commits; the reports then reach done.
	err := c.producer.CommitTransaction(ctx)
	if derr := c.waitDelivered(ctx, "commit"); err == nil {
		err = derr
	}
	if err != nil {
		return c.wrap("commit", "", -1, err)
	}
	c.offsetsSent = false
	return nil
}

// AbortTransaction aborts the transaction; records not yet delivered fail
// (their done gets a purge error) before it returns.
func (c *client) AbortTransaction(ctx context.Context) error {
	if c.cfg.TransactionalID == "" {
		return wrap("abort", "", -1, errNoTransaction)
	}
	ctx, cancel := bounded(ctx)
	defer cancel()
	// librdkafka leaves a failed abort half done (state BeginAbort, the
	// transaction open on the broker) and documents calling it again: it
	// is, while the error is not fatal and time remains.
	for backoff := 50 * time.Millisecond; ; backoff = min(2*backoff, time.Second) {
		err := c.producer.AbortTransaction(ctx)
		if err == nil {
			break
		}
		werr := c.wrap("abort", "", -1, err)
		if errors.Is(werr, kafka.ErrFatal) || errors.Is(werr, kafka.ErrFenced) {
			return werr
		}
		c.logger.Warn("rdkafka: abort failed; retrying", "err", err)
		t := time.NewTimer(backoff)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return werr
		}
	}
	c.offsetsSent = false
	return c.waitDelivered(ctx, "abort")
}

func toOffsets(offsets map[kafka.TopicPartition]int64) []ckafka.TopicPartition {
	tps := make([]ckafka.TopicPartition, 0, len(offsets))
	for tp, o := range offsets {
		tps = append(tps, ckafka.TopicPartition{Topic: &tp.Topic, Partition: tp.Partition, Offset: ckafka.Offset(o)})
	}
	return tps
}
