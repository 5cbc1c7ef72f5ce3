package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tonga-go/tonga/examples/coffeebar/bar"
	"github.com/tonga-go/tonga/examples/coffeebar/records"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/franz"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// Audit follows the flow's topics from where they ended when it started.
type Audit struct {
	client     kafka.Client
	dec        *wire.Decoder
	partitions int
	dlq        map[kafka.TopicPartition]int64 // dead-letter partitions, at their end when the audit started

	mu       sync.Mutex
	changed  chan struct{} // closed and replaced whenever the audit moves on
	seen     []Seen
	counts   [numKinds]int
	bad      []string // records that do not decode, or of unexpected types
	position map[kafka.TopicPartition]int64
	err      error
}

// Seen is one record read, with where it was.
type Seen struct {
	Kind      Kind
	Record    tonga.Enveloped
	Topic     string
	Partition int32
	Offset    int64
	Key       string
}

// Option configures an Audit.
type Option func(*kafka.Config)

// ReadUncommitted makes the audit read records of aborted transactions
// too, as no downstream reader should: a test compares it with a
// read_committed audit to see that aborts happened.
func ReadUncommitted() Option { return func(c *kafka.Config) { c.ReadUncommitted = true } }

// New starts following the flow's topics (each with partitions
// partitions) from their current end, until ctx ends. Records committed
// before New returns are not the run's; records of transactions still
// open then are read if they commit.
func New(ctx context.Context, brokers []string, partitions int, opts ...Option) (*Audit, error) {
	parts := make([]int32, partitions)
	for i := range parts {
		parts[i] = int32(i)
	}
	cfg := kafka.Config{
		Brokers: brokers, ClientID: "coffeebar-audit", Group: "coffeebar-audit",
		Topics: bar.Topics(), Partitions: parts, Start: kafka.StartLatest,
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	client, err := franz.New(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	reg, err := tonga.NewRegistry(records.Schemas()...)
	if err != nil {
		client.Close()
		return nil, err
	}
	dec, err := wire.NewDecoder(reg)
	if err != nil {
		client.Close()
		return nil, err
	}
	a := &Audit{client: client, dec: dec, partitions: partitions, changed: make(chan struct{}), position: map[kafka.TopicPartition]int64{}}
	if a.dlq, err = a.deadLetterEnds(ctx); err != nil {
		client.Close()
		return nil, err
	}
	go a.follow(ctx)
	return a, nil
}

// pollWait bounds each poll, so that positions moved past transaction
// markers (which Poll does not return) are noted too.
const pollWait = 100 * time.Millisecond

func (a *Audit) follow(ctx context.Context) {
	defer a.client.Close()
	for ctx.Err() == nil {
		pctx, cancel := context.WithTimeout(ctx, pollWait)
		recs, err := a.client.Poll(pctx, 1000)
		cancel()
		if err != nil && ctx.Err() == nil && !errors.Is(err, context.DeadlineExceeded) {
			a.fail(err)
			return
		}
		a.note(recs, a.client.Positions())
	}
	a.fail(ctx.Err())
}

func (a *Audit) note(recs []kafka.Record, positions map[kafka.TopicPartition]int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range recs {
		rec := &recs[i]
		r, _, err := a.dec.Decode(rec.Value)
		if err != nil {
			a.bad = append(a.bad, fmt.Sprintf("%s[%d]@%d: %v", rec.Topic, rec.Partition, rec.Offset, err))
			continue
		}
		k, ok := kindOf(r)
		if !ok {
			a.bad = append(a.bad, fmt.Sprintf("%s[%d]@%d: unexpected %s", rec.Topic, rec.Partition, rec.Offset, r.AvroSchema().FullName))
			continue
		}
		a.seen = append(a.seen, Seen{Kind: k, Record: r.(tonga.Enveloped), Topic: rec.Topic, Partition: rec.Partition, Offset: rec.Offset, Key: string(rec.Key)})
		a.counts[k]++
	}
	for tp, p := range positions {
		a.position[tp] = p
	}
	close(a.changed)
	a.changed = make(chan struct{})
}

func (a *Audit) fail(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err == nil {
		a.err = err
	}
	close(a.changed)
	a.changed = make(chan struct{})
}

// Counts returns how many records of each kind the audit has read.
func (a *Audit) Counts() [numKinds]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.counts
}

// CatchUp waits until the audit has read every topic up to its end as of
// the call: everything committed by then.
func (a *Audit) CatchUp(ctx context.Context) error {
	var tps []kafka.TopicPartition
	for _, t := range bar.Topics() {
		for p := range a.partitions {
			tps = append(tps, kafka.TopicPartition{Topic: t, Partition: int32(p)})
		}
	}
	ends, err := a.client.Admin().EndOffsets(ctx, tps)
	if err != nil {
		return fmt.Errorf("audit: end offsets: %w", err)
	}
	for {
		a.mu.Lock()
		behind, changed, ferr := 0, a.changed, a.err
		for _, tp := range tps {
			if a.position[tp] < ends[tp] {
				behind++
			}
		}
		a.mu.Unlock()
		switch {
		case behind == 0:
			return nil
		case ferr != nil:
			return fmt.Errorf("audit: stopped following: %w", ferr)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("audit: %d partitions not read to their end: %w", behind, ctx.Err())
		}
	}
}

// deadLetterEnds returns the end offsets of the dead-letter topics that
// exist.
func (a *Audit) deadLetterEnds(ctx context.Context) (map[kafka.TopicPartition]int64, error) {
	var tps []kafka.TopicPartition
	for _, t := range bar.Topics() {
		n, err := a.client.Admin().Partitions(ctx, t+".dlq")
		if errors.Is(err, kafka.ErrUnknownTopic) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("audit: dead-letter topics: %w", err)
		}
		for p := range n {
			tps = append(tps, kafka.TopicPartition{Topic: t + ".dlq", Partition: int32(p)})
		}
	}
	if len(tps) == 0 {
		return map[kafka.TopicPartition]int64{}, nil
	}
	return a.client.Admin().EndOffsets(ctx, tps)
}

// deadLettered returns how many records went to dead-letter topics since
// the audit started.
func (a *Audit) deadLettered(ctx context.Context) (int64, error) {
	now, err := a.deadLetterEnds(ctx)
	if err != nil {
		return 0, err
	}
	var n int64
	for tp, end := range now {
		n += end - a.dlq[tp]
	}
	return n, nil
}
