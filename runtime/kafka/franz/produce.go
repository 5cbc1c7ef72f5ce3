package franz

import (
	"context"
	"errors"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// errNoTransaction is the error of a record a transactional client produces
// outside a transaction.
var errNoTransaction = errors.New("a transactional client produces inside transactions only")

// Produce implements kafka.Client. The record goes to r.Partition (franz-go's
// manual partitioner); on acknowledgement r.Offset, and r.Timestamp if it
// was zero, are set and done gets r. A failed record of an open transaction
// makes CommitTransaction refuse to commit.
func (c *client) Produce(ctx context.Context, r *kafka.Record, done func(*kafka.Record, error)) {
	if err := c.fencedErr("produce"); err != nil {
		done(r, err)
		return
	}
	inTxn := c.inTxn.Load()
	if c.cfg.TransactionalID != "" && !inTxn {
		done(r, &kafka.Error{Op: "produce", Topic: r.Topic, Partition: r.Partition, Err: errNoTransaction})
		return
	}
	p := &pending{Context: ctx, r: r, done: done, inTxn: inTxn}
	p.kr = kgo.Record{
		Topic:     r.Topic,
		Partition: r.Partition,
		Key:       r.Key,
		Value:     r.Value,
		Timestamp: r.Timestamp,
		Context:   p,
	}
	if len(r.Headers) > 0 {
		p.kr.Headers = make([]kgo.RecordHeader, len(r.Headers))
		for i, h := range r.Headers {
			p.kr.Headers[i] = kgo.RecordHeader{Key: h.Key, Value: h.Value}
		}
	}
	c.kcl.Produce(ctx, &p.kr, c.promise)
}

// pending is a record in flight: one allocation holds franz-go's record and
// what the promise needs, which it finds through the record's Context (the
// Produce ctx, which franz-go watches, is what the Context methods answer
// with).
type pending struct {
	context.Context
	kr    kgo.Record
	r     *kafka.Record
	done  func(*kafka.Record, error)
	inTxn bool
}

// produced is the promise of every record; c.promise holds it as a func
// value made once.
func (c *client) produced(kr *kgo.Record, err error) {
	p := kr.Context.(*pending)
	if err != nil {
		p.done(p.r, c.produceError(p.r, p.inTxn, err))
		return
	}
	p.r.Offset = kr.Offset
	if p.r.Timestamp.IsZero() {
		p.r.Timestamp = kr.Timestamp
	}
	p.done(p.r, nil)
}

func (c *client) produceError(r *kafka.Record, inTxn bool, err error) error {
	if inTxn {
		err = txnError("produce", r.Topic, r.Partition, err)
		c.txnFailed.CompareAndSwap(nil, &err)
	} else {
		err = newError("produce", r.Topic, r.Partition, err)
	}
	return c.noteFenced(err)
}

// Flush implements kafka.Client.
func (c *client) Flush(ctx context.Context) error {
	if err := c.kcl.Flush(ctx); err != nil {
		return newError("flush", "", -1, err)
	}
	return nil
}
