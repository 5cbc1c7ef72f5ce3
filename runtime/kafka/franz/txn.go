package franz

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// errAbortedByClient is the cause of CommitTransaction's error when
// franz-go's session aborted instead of committing: the group rebalanced
// partitions away during the transaction, or committing the offsets or
// ending the transaction failed in a way that only an abort resolves.
var errAbortedByClient = errors.New("the transaction was aborted instead of committed: a rebalance revoked partitions during it, or committing its offsets or ending it failed (the client's log says which)")

// BeginTransaction implements kafka.Client.
func (c *client) BeginTransaction() error {
	if c.cfg.TransactionalID == "" {
		return errorf("begin", nil, "%w", errNotTransactional)
	}
	if err := c.fencedErr("begin"); err != nil {
		return err
	}
	if c.inTxn.Load() {
		return errorf("begin", nil, "a transaction is already open")
	}
	var err error
	if c.sess != nil {
		err = c.sess.Begin()
	} else {
		err = c.kcl.BeginTransaction()
	}
	if err != nil {
		return c.noteFenced(newError("begin", "", -1, err))
	}
	c.txnFailed.Store(nil)
	c.inTxn.Store(true)
	return nil
}

// CommitTransaction implements kafka.Client. The offsets committed are
// exactly those given: franz-go's session would commit everything polled,
// so the TxnOffsetCommit request is rewritten before it is sent
// (kgo.PreTxnCommitFnContext). A transaction without offsets ends through
// the client, not the session (there is nothing of the group in it).
func (c *client) CommitTransaction(ctx context.Context, offsets map[kafka.TopicPartition]int64) error {
	if err := c.checkInTxn("commit"); err != nil {
		return err
	}
	if len(offsets) > 0 && c.sess == nil {
		return errorf("commit", nil, "offsets need a transactional client that consumes Topics through its Group (franz-go commits offsets in a transaction only as a group member; not with Config.Partitions)")
	}
	if err := c.kcl.Flush(ctx); err != nil {
		return newError("commit", "", -1, err) // ctx is done; the transaction stays open
	}
	if p := c.txnFailed.Load(); p != nil {
		return &kafka.Error{Op: "commit", Partition: -1, Class: kafka.ErrAbortable, Err: *p}
	}
	if len(offsets) == 0 {
		if err := c.kcl.EndTransaction(ctx, kgo.TryCommit); err != nil {
			return c.txnFailure(ctx, "commit", err) // still open: AbortTransaction ends it
		}
		c.inTxn.Store(false)
		return nil
	}
	committed, err := c.sess.End(kgo.PreTxnCommitFnContext(ctx, exactOffsets(offsets)), kgo.TryCommit)
	switch {
	case err != nil:
		// franz-go keeps the transaction open when ending it failed,
		// so that AbortTransaction can end it.
		c.noteCommit(offsets, false)
		c.syncPositions()
		return c.txnFailure(ctx, "commit", err)
	case !committed:
		// franz-go aborts, among other cases, when ending the
		// transaction failed with an unknown outcome: Rewind asks
		// the broker.
		c.inTxn.Store(false)
		c.noteCommit(offsets, false)
		c.syncPositions()
		return &kafka.Error{Op: "commit", Partition: -1, Class: kafka.ErrAbortable, Err: errAbortedByClient}
	}
	c.inTxn.Store(false)
	c.noteCommit(offsets, true)
	return nil
}

func (c *client) checkInTxn(op string) error {
	if c.cfg.TransactionalID == "" {
		return errorf(op, nil, "%w", errNotTransactional)
	}
	if err := c.fencedErr(op); err != nil {
		return err
	}
	if !c.inTxn.Load() {
		return errorf(op, nil, "no transaction is open")
	}
	return nil
}

// AbortTransaction implements kafka.Client. With no transaction open (one
// that CommitTransaction already aborted) it does nothing.
func (c *client) AbortTransaction(ctx context.Context) error {
	if c.cfg.TransactionalID == "" {
		return errorf("abort", nil, "%w", errNotTransactional)
	}
	if !c.inTxn.Load() {
		return nil
	}
	var err error
	if c.sess != nil {
		_, err = c.sess.End(ctx, kgo.TryAbort)
		c.syncPositions()
	} else if err = c.kcl.AbortBufferedRecords(ctx); err == nil {
		err = c.kcl.EndTransaction(ctx, kgo.TryAbort)
	}
	if err != nil {
		return c.txnFailure(ctx, "abort", err)
	}
	c.inTxn.Store(false)
	c.txnFailed.Store(nil)
	return nil
}

// txnFailure classifies err of a transactional operation. A broker may
// answer a request at a fenced epoch with INVALID_TXN_STATE rather than
// PRODUCER_FENCED (kfake does, when it takes the request for a KIP-890
// retry); then the transactional id's producer, as the broker describes it,
// tells whether another client took the id over. franz-go cannot go on
// after INVALID_TXN_STATE either way, so where it was not fencing it is
// fatal.
func (c *client) txnFailure(ctx context.Context, op string, err error) error {
	e := txnError(op, "", -1, err)
	if errors.Is(err, kerr.InvalidTxnState) && c.isFenced(ctx) {
		e = &kafka.Error{Op: op, Partition: -1, Class: kafka.ErrFenced,
			Err: fmt.Errorf("another producer took over transactional id %q: %w", c.cfg.TransactionalID, err)}
	}
	return c.noteFenced(e)
}

// isFenced reports whether the broker knows the transactional id under
// another producer id or a later epoch than this client's.
func (c *client) isFenced(ctx context.Context) bool {
	id, epoch, _ := c.kcl.ProducerID(ctx) // the failed id and epoch, kept with the error
	d, err := c.adm.DescribeTransactions(ctx, c.cfg.TransactionalID)
	if err != nil {
		return false
	}
	td, ok := d[c.cfg.TransactionalID]
	return ok && td.Err == nil && (td.ProducerID != id || td.ProducerEpoch > epoch)
}

// exactOffsets returns the function that replaces the offsets of the
// TxnOffsetCommit request franz-go built (everything polled) with offsets.
// Topic ids, and the leader epoch of a partition whose offset is the one
// franz-go would have sent, are kept; franz-go sends a request with a topic
// lacking an id at a version that names topics.
func exactOffsets(offsets map[kafka.TopicPartition]int64) func(*kmsg.TxnOffsetCommitRequest) error {
	return func(req *kmsg.TxnOffsetCommitRequest) error {
		type known struct {
			id     [16]byte
			epochs map[int32]kmsg.TxnOffsetCommitRequestTopicPartition
		}
		prev := make(map[string]known, len(req.Topics))
		for _, t := range req.Topics {
			k := known{id: t.TopicID, epochs: make(map[int32]kmsg.TxnOffsetCommitRequestTopicPartition, len(t.Partitions))}
			for _, p := range t.Partitions {
				k.epochs[p.Partition] = p
			}
			prev[t.Topic] = k
		}
		byTopic := make(map[string][]kmsg.TxnOffsetCommitRequestTopicPartition)
		for tp, at := range offsets {
			p := kmsg.NewTxnOffsetCommitRequestTopicPartition()
			p.Partition = tp.Partition
			p.Offset = at
			p.LeaderEpoch = -1
			if was, ok := prev[tp.Topic].epochs[tp.Partition]; ok && was.Offset == at {
				p.LeaderEpoch = was.LeaderEpoch
			}
			p.Metadata = &req.MemberID
			byTopic[tp.Topic] = append(byTopic[tp.Topic], p)
		}
		req.Topics = make([]kmsg.TxnOffsetCommitRequestTopic, 0, len(byTopic))
		for _, topic := range slices.Sorted(maps.Keys(byTopic)) {
			t := kmsg.NewTxnOffsetCommitRequestTopic()
			t.Topic = topic
			t.TopicID = prev[topic].id
			t.Partitions = byTopic[topic]
			slices.SortFunc(t.Partitions, func(a, b kmsg.TxnOffsetCommitRequestTopicPartition) int {
				return int(a.Partition - b.Partition)
			})
			req.Topics = append(req.Topics, t)
		}
		return nil
	}
}
