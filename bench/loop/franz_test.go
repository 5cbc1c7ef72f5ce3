package loop_test

import (
	"bytes"
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// startFranzLoop starts the hand-written exactly-once loop on franz-go,
// the one runtime/kafka/franz's BenchmarkExactlyOnce measures: a
// GroupTransactSession (the only franz-go API that commits offsets in a
// transaction), read_committed, the records copied to the output
// partition of the same number, the session's End committing the outputs
// and the offsets of what was polled.
func startFranzLoop(ctx context.Context, s setup) (*running, error) {
	sess, err := kgo.NewGroupTransactSession(kgo.SeedBrokers(s.brokers...), kgo.TransactionalID(group+"-0"),
		kgo.ConsumerGroup(group), kgo.ConsumeTopics(inTopic), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		return nil, err
	}
	loop := func(ctx context.Context, pos *atomic.Int64) error {
		for {
			recs, err := franzBatch(ctx, sess, s.batch, s.interval)
			if err != nil {
				return err
			}
			if len(recs) == 0 {
				continue
			}
			if err := sess.Begin(); err != nil {
				return err
			}
			for _, rec := range recs {
				out := &kgo.Record{Topic: outTopic, Partition: rec.Partition, Key: bytes.Clone(rec.Key), Value: bytes.Clone(rec.Value)}
				sess.Produce(ctx, out, nil)
			}
			committed, err := sess.End(ctx, kgo.TryCommit)
			if err == nil && !committed {
				err = errors.New("the session aborted the transaction")
			}
			if err != nil {
				return err
			}
			pos.Store(recs[len(recs)-1].Offset + 1)
		}
	}
	return goRun(ctx, loop, sess.Close), nil
}

// franzBatch polls until it has n records, or interval after the first.
func franzBatch(ctx context.Context, sess *kgo.GroupTransactSession, n int, interval time.Duration) ([]*kgo.Record, error) {
	fs := sess.PollRecords(ctx, n)
	if err := fs.Err0(); err != nil {
		return nil, err
	}
	recs := fs.Records()
	if len(recs) >= n {
		return recs, nil
	}
	pctx, cancel := context.WithTimeout(ctx, interval)
	defer cancel()
	for len(recs) < n {
		fs := sess.PollRecords(pctx, n-len(recs))
		if err := fs.Err0(); err != nil {
			if pctx.Err() != nil && ctx.Err() == nil {
				break
			}
			return nil, err
		}
		recs = append(recs, fs.Records()...)
	}
	return recs, nil
}
