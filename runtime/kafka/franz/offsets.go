package franz

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// static reports whether the client consumes Config.Partitions, assigned
// statically, rather than through a group.
func (c *client) static() bool { return len(c.cfg.Topics) > 0 && len(c.cfg.Partitions) > 0 }

// checkTopics checks that the topics to consume exist, that static
// partitions exist, and under OnlyOwn that each topic has one partition per
// replica; it returns the partition counts.
func (c *client) checkTopics(ctx context.Context) (map[string]int, error) {
	topics, err := c.adm.ListTopics(ctx, c.cfg.Topics...)
	if err != nil {
		return nil, newError("metadata", "", -1, err)
	}
	counts := make(map[string]int, len(topics))
	var errs []error
	for _, name := range c.cfg.Topics {
		td, ok := topics[name]
		switch {
		case !ok:
			errs = append(errs, &kafka.Error{Op: "metadata", Topic: name, Partition: -1, Class: kafka.ErrUnknownTopic, Err: kafka.ErrUnknownTopic})
			continue
		case td.Err != nil:
			errs = append(errs, newError("metadata", name, -1, td.Err))
			continue
		}
		n := len(td.Partitions)
		counts[name] = n
		switch {
		case c.static():
			for _, p := range c.cfg.Partitions {
				if int(p) >= n {
					errs = append(errs, &kafka.Error{Op: "assign", Topic: name, Partition: p, Class: kafka.ErrUnknownTopic,
						Err: fmt.Errorf("the topic has %d partitions", n)})
				}
			}
		case c.cfg.Policy == kafka.OnlyOwn && n != c.cfg.Replicas:
			errs = append(errs, &kafka.Error{Op: "assign", Topic: name, Partition: -1, Class: kafka.ErrFatal,
				Err: fmt.Errorf("policy only_own needs one partition per replica: the topic has %d partitions, the service %d replicas", n, c.cfg.Replicas)})
		}
	}
	return counts, errors.Join(errs...)
}

func allPartitions(topics []string, counts map[string]int) []kafka.TopicPartition {
	var tps []kafka.TopicPartition
	for _, t := range topics {
		for p := range counts[t] {
			tps = append(tps, kafka.TopicPartition{Topic: t, Partition: int32(p)})
		}
	}
	return tps
}

// Which offsets listOffsets lists.
const (
	listStart = -2 // the first retained offset (kgo's AtStart)
	listEnd   = -1 // the end: the last stable offset, or the high watermark under ReadUncommitted (kgo's AtEnd)
)

// listOffsets lists the start or end offsets of tps.
func (c *client) listOffsets(ctx context.Context, which int64, tps []kafka.TopicPartition) (map[kafka.TopicPartition]int64, error) {
	list := c.adm.ListStartOffsets
	if which == listEnd {
		list = c.adm.ListCommittedOffsets
		if c.cfg.ReadUncommitted {
			list = c.adm.ListEndOffsets
		}
	}
	var topics []string
	for _, tp := range tps {
		if !slices.Contains(topics, tp.Topic) {
			topics = append(topics, tp.Topic)
		}
	}
	listed, err := list(ctx, topics...)
	if err == nil {
		err = listed.Error()
	}
	if err != nil {
		return nil, err
	}
	out := make(map[kafka.TopicPartition]int64, len(tps))
	for _, tp := range tps {
		if o, ok := listed.Lookup(tp.Topic, tp.Partition); ok {
			out[tp] = o.Offset
		}
	}
	return out, nil
}

// assignStatic resolves where each of Config.Partitions starts and starts
// consuming them: no group, so Assigned and Positions hold from New on.
func (c *client) assignStatic(ctx context.Context, counts map[string]int) error {
	var tps []kafka.TopicPartition
	for _, t := range c.cfg.Topics {
		for _, p := range c.cfg.Partitions {
			if int(p) < counts[t] {
				tps = append(tps, kafka.TopicPartition{Topic: t, Partition: p})
			}
		}
	}
	at := make(map[kafka.TopicPartition]int64, len(tps))
	if c.cfg.Start == kafka.StartCommitted {
		committed, err := c.Committed(ctx, tps)
		if err != nil {
			return err
		}
		for tp, o := range committed {
			if o >= 0 {
				at[tp] = o
			}
		}
	}
	which := int64(listStart)
	if c.cfg.Start == kafka.StartLatest {
		which = listEnd
	}
	var rest []kafka.TopicPartition
	for _, tp := range tps {
		if _, ok := at[tp]; !ok {
			rest = append(rest, tp)
		}
	}
	if len(rest) > 0 {
		listed, err := c.listOffsets(ctx, which, rest)
		if err != nil {
			return newError("list offsets", "", -1, err)
		}
		for tp, o := range listed {
			at[tp] = o
		}
	}
	consume := make(map[string]map[int32]kgo.Offset)
	c.mu.Lock()
	for tp, o := range at {
		if consume[tp.Topic] == nil {
			consume[tp.Topic] = make(map[int32]kgo.Offset)
		}
		consume[tp.Topic][tp.Partition] = kgo.NewOffset().At(o)
		c.assigned[tp], c.view[tp], c.positions[tp] = true, true, o
	}
	c.mu.Unlock()
	c.kcl.AddConsumePartitions(consume)
	return nil
}

// adjustOffsets applies Config.Start to partitions the group assigns this
// client for the first time (kgo.AdjustFetchOffsetsFn): StartEarliest and
// StartLatest override the committed offset kgo fetched, StartCommitted
// keeps it (kgo falls back to the earliest offset where none is committed).
// Relative offsets are resolved here, so that Positions knows where each
// partition starts.
func (c *client) adjustOffsets(ctx context.Context, m map[string]map[int32]kgo.Offset) (map[string]map[int32]kgo.Offset, error) {
	select {
	case <-c.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	relative := map[int64][]kafka.TopicPartition{}
	c.mu.Lock()
	for topic, ps := range m {
		for p := range ps {
			tp := kafka.TopicPartition{Topic: topic, Partition: p}
			if at, ok := c.sought[tp]; ok {
				ps[p] = kgo.NewOffset().At(at).WithEpoch(-1)
			} else if !c.started[tp] {
				switch at, ok := c.startAt[tp]; {
				case c.cfg.Start == kafka.StartEarliest:
					ps[p] = kgo.NewOffset().AtStart()
				case c.cfg.Start == kafka.StartLatest && ok:
					ps[p] = kgo.NewOffset().At(at).WithEpoch(-1)
				case c.cfg.Start == kafka.StartLatest:
					ps[p] = kgo.NewOffset().AtEnd()
				}
			}
			if at := ps[p].EpochOffset().Offset; at >= 0 {
				c.positions[tp] = at
			} else if at == listStart || at == listEnd {
				relative[at] = append(relative[at], tp)
			}
		}
	}
	c.mu.Unlock()
	for which, tps := range relative {
		listed, err := c.listOffsets(ctx, which, tps)
		if err != nil {
			continue // kgo resolves it; the position is known from the first record
		}
		c.mu.Lock()
		for tp, at := range listed {
			m[tp.Topic][tp.Partition] = kgo.NewOffset().At(at).WithEpoch(-1)
			c.positions[tp] = at
		}
		c.mu.Unlock()
	}
	return m, nil
}

// Seek implements kafka.Client. A sought partition starts over there:
// Rewind brings it back there until the client commits it. A partition
// the group assigned whose committed offset franz-go is still fetching
// starts at the sought offset too.
func (c *client) Seek(_ context.Context, offsets map[kafka.TopicPartition]int64) error {
	if len(c.cfg.Topics) == 0 {
		return errorf("seek", nil, "the client consumes no Topics")
	}
	set := make(map[string]map[int32]kgo.EpochOffset)
	add := make(map[string]map[int32]kgo.Offset)
	c.mu.Lock()
	for tp, at := range offsets {
		if !c.assigned[tp] || at < 0 {
			c.mu.Unlock()
			return &kafka.Error{Op: "seek", Topic: tp.Topic, Partition: tp.Partition,
				Err: fmt.Errorf("offset %d of a partition the client is assigned: %v", at, c.assigned[tp])}
		}
		if set[tp.Topic] == nil {
			set[tp.Topic] = make(map[int32]kgo.EpochOffset)
		}
		set[tp.Topic][tp.Partition] = kgo.EpochOffset{Epoch: -1, Offset: at}
		if add[tp.Topic] == nil {
			add[tp.Topic] = make(map[int32]kgo.Offset)
		}
		add[tp.Topic][tp.Partition] = kgo.NewOffset().At(at)
		c.positions[tp], c.origin[tp], c.started[tp], c.sought[tp] = at, at, true, at
	}
	c.pollErr = nil
	c.mu.Unlock()
	if c.static() {
		// A partition franz-go does not consume yet (its metadata is
		// loading) starts where AddConsumePartitions says; SetOffsets
		// moves one it consumes already.
		c.kcl.AddConsumePartitions(add)
	}
	c.kcl.SetOffsets(set)
	c.kcl.ResumeFetchTopics() // see kickEvery
	return nil
}

// Positions implements kafka.Client. Control records (transaction
// markers) are fetched (kgo.KeepControlRecords) and skipped by Poll, so a
// position moves past them as the broker's end offsets do.
func (c *client) Positions() map[kafka.TopicPartition]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[kafka.TopicPartition]int64, len(c.view))
	for tp := range c.view {
		if at, ok := c.positions[tp]; ok {
			out[tp] = at
		}
	}
	return out
}

// syncPositions takes kgo's committed offsets as positions where the
// session has just rewound to them (after an abort).
func (c *client) syncPositions() {
	committed := c.kcl.CommittedOffsets()
	c.mu.Lock()
	defer c.mu.Unlock()
	for topic, ps := range committed {
		for p, o := range ps {
			if tp := (kafka.TopicPartition{Topic: topic, Partition: p}); c.assigned[tp] && o.Offset >= 0 {
				c.positions[tp] = o.Offset
			}
		}
	}
}
