package rdkafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// pollSlice is the longest single wait in librdkafka's Poll, so that Poll
// notices a cancelled context soon.
const pollSlice = 100 * time.Millisecond

// topicPartitions returns every partition of the topics to consume, from
// their metadata (which also spares librdkafka's ~0.5 s wait for metadata
// between Assign and the first fetch). Under OnlyOwn it checks that each
// topic has one partition per instance.
func (c *client) topicPartitions(ctx context.Context) ([]kafka.TopicPartition, error) {
	var tps []kafka.TopicPartition
	for _, t := range c.cfg.Topics {
		n, err := partitions(ctx, c.consumer, t)
		if err != nil {
			return nil, c.wrap("metadata", t, -1, err)
		}
		if c.cfg.Policy == kafka.OnlyOwn && len(c.cfg.Partitions) == 0 && n != c.cfg.Replicas {
			return nil, &kafka.Error{Op: "assign", Topic: t, Partition: -1, Class: kafka.ErrFatal,
				Err: fmt.Errorf("policy only_own needs one partition per replica: the topic has %d partitions, the service %d replicas", n, c.cfg.Replicas)}
		}
		for p := range n {
			tps = append(tps, kafka.TopicPartition{Topic: t, Partition: int32(p)})
		}
	}
	sortTPs(tps)
	return tps, nil
}

// assign starts consuming: under OnlyOwn and All it assigns the partitions
// statically; under Group it subscribes. Either way it first resolves
// where partitions start when nothing is committed.
func (c *client) assign(ctx context.Context) error {
	tps, err := c.topicPartitions(ctx)
	if err != nil {
		return err
	}
	if err := c.resolveStarts(ctx, tps); err != nil {
		return err
	}
	if c.cfg.Policy == kafka.Group && len(c.cfg.Partitions) == 0 {
		return c.wrap("subscribe", "", -1, c.consumer.SubscribeTopics(c.cfg.Topics, c.rebalance))
	}
	switch {
	case len(c.cfg.Partitions) > 0:
		tps = slices.DeleteFunc(tps, func(tp kafka.TopicPartition) bool { return !slices.Contains(c.cfg.Partitions, tp.Partition) })
	case c.cfg.Policy == kafka.OnlyOwn:
		tps = slices.DeleteFunc(tps, func(tp kafka.TopicPartition) bool { return tp.Partition != int32(c.cfg.Instance) })
	}
	offsets, err := c.positions(ctx, tps, c.cfg.Start == kafka.StartCommitted)
	if err != nil {
		return err
	}
	if err := c.consumer.Assign(offsets); err != nil {
		return c.wrap("assign", "", -1, err)
	}
	c.mu.Lock()
	c.assigned = tps
	c.noteAssigned(offsets)
	c.mu.Unlock()
	return nil
}

// noteAssigned remembers the explicit offsets partitions were assigned at,
// the position Positions reports until librdkafka has one. c.mu is held.
func (c *client) noteAssigned(offsets []ckafka.TopicPartition) {
	if c.assignedAt == nil {
		c.assignedAt = map[kafka.TopicPartition]int64{}
	}
	for _, o := range offsets {
		if o.Offset >= 0 {
			c.assignedAt[kafka.TopicPartition{Topic: *o.Topic, Partition: o.Partition}] = int64(o.Offset)
		}
	}
}

// Seek implements kafka.Client: it assigns the partitions again with
// explicit offsets, which librdkafka applies in every fetch state (see
// Rewind), the others at their current positions.
func (c *client) Seek(ctx context.Context, offsets map[kafka.TopicPartition]int64) error {
	if c.consumer == nil {
		return wrap("seek", "", -1, errNoConsumer)
	}
	tps := c.Assigned()
	current, err := c.positions(ctx, tps, c.cfg.Start == kafka.StartCommitted)
	if err != nil {
		return err
	}
	pos := c.Positions()
	c.mu.Lock()
	for tp, o := range offsets {
		// Where Rewind goes back to when nothing is committed.
		c.starts[tp] = ckafka.Offset(o)
	}
	c.mu.Unlock()
	for i, tp := range tps {
		if o, ok := offsets[tp]; ok {
			current[i].Offset = ckafka.Offset(o)
		} else if p, ok := pos[tp]; ok {
			current[i].Offset = ckafka.Offset(p)
		}
	}
	c.pending = nil
	if c.cfg.Policy == kafka.Group && len(c.cfg.Partitions) == 0 {
		if err := c.consumer.IncrementalUnassign(toCTPs(tps)); err != nil {
			return c.wrap("seek", "", -1, err)
		}
		return c.wrap("seek", "", -1, c.consumer.IncrementalAssign(current))
	}
	if err := c.consumer.Assign(current); err != nil {
		return c.wrap("seek", "", -1, err)
	}
	c.mu.Lock()
	c.noteAssigned(current)
	c.mu.Unlock()
	return nil
}

// Positions implements kafka.Client with librdkafka's own positions,
// which advance past transaction markers.
func (c *client) Positions() map[kafka.TopicPartition]int64 {
	out := map[kafka.TopicPartition]int64{}
	if c.consumer == nil {
		return out
	}
	tps := c.Assigned()
	pos, err := c.consumer.Position(toCTPs(tps))
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, tp := range tps {
		if err == nil && i < len(pos) && pos[i].Offset >= 0 {
			out[tp] = int64(pos[i].Offset)
		} else if o, ok := c.assignedAt[tp]; ok {
			out[tp] = o
		}
	}
	return out
}

// partitions counts a topic's partitions from the metadata of handle.
func partitions(ctx context.Context, handle interface {
	GetMetadata(*string, bool, int) (*ckafka.Metadata, error)
}, topic string) (int, error) {
	if err := checkTopic(topic); err != nil {
		return 0, fmt.Errorf("%w: %w", errInvalidArgument, err)
	}
	md, err := handle.GetMetadata(&topic, false, timeoutMs(ctx))
	if err != nil {
		return 0, err
	}
	tm, ok := md.Topics[topic]
	if !ok {
		return 0, ckafka.NewError(ckafka.ErrUnknownTopicOrPart, "topic "+topic+" not in metadata", false)
	}
	if tm.Error.Code() != ckafka.ErrNoError {
		return 0, tm.Error
	}
	if len(tm.Partitions) == 0 {
		return 0, ckafka.NewError(ckafka.ErrUnknownTopicOrPart, "topic "+topic+" has no partitions", false)
	}
	return len(tm.Partitions), nil
}

// resolveStarts records where each of tps starts without a committed
// offset: the earliest offset, or under StartLatest the end now (the last
// stable offset under read_committed), as a number, so that Rewind comes
// back to the same place and a partition the group assigns later starts
// after what was there when New returned.
func (c *client) resolveStarts(ctx context.Context, tps []kafka.TopicPartition) error {
	var ends map[kafka.TopicPartition]int64
	if c.cfg.Start == kafka.StartLatest {
		var err error
		if ends, err = c.listOffsets(ctx, tps, ckafka.LatestOffsetSpec, c.consumerIsolation()); err != nil {
			return err
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tp := range tps {
		c.starts[tp] = ckafka.OffsetBeginning
		if ends != nil {
			c.starts[tp] = ckafka.Offset(ends[tp])
		}
	}
	return nil
}

// positions returns tps with the offsets to consume from: the committed
// offset when committed is set and there is one, else the partition's
// start.
func (c *client) positions(ctx context.Context, tps []kafka.TopicPartition, committed bool) ([]ckafka.TopicPartition, error) {
	var offs map[kafka.TopicPartition]int64
	if committed {
		var err error
		if offs, err = c.Committed(ctx, tps); err != nil {
			return nil, err
		}
	}
	out := make([]ckafka.TopicPartition, len(tps))
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, tp := range tps {
		o, ok := c.starts[tp]
		switch {
		case committed && offs[tp] >= 0:
			o = ckafka.Offset(offs[tp])
		case !ok && c.cfg.Start == kafka.StartLatest:
			o = ckafka.OffsetEnd // a partition created after New
		case !ok:
			o = ckafka.OffsetBeginning
		}
		out[i] = ckafka.TopicPartition{Topic: &tp.Topic, Partition: tp.Partition, Offset: o}
	}
	return out, nil
}

func (c *client) consumerIsolation() ckafka.IsolationLevel {
	if c.cfg.ReadUncommitted {
		return ckafka.IsolationLevelReadUncommitted
	}
	return ckafka.IsolationLevelReadCommitted
}

// Poll gathers up to limit records (at least 1): it waits for the first
// until ctx is done, then takes what librdkafka already holds. Rebalances
// (policy Group) run inside it, through [kafka.Config.Rebalanced].
func (c *client) Poll(ctx context.Context, limit int) ([]kafka.Record, error) {
	if c.consumer == nil {
		return nil, wrap("poll", "", -1, errNoConsumer)
	}
	if c.closing.Load() {
		return nil, wrap("poll", "", -1, errClosed)
	}
	if err := c.pending; err != nil {
		c.pending = nil
		return nil, err
	}
	limit = max(limit, 1)
	c.pollCtx = ctx
	defer func() { c.pollCtx = nil }()
	var recs []kafka.Record
	for len(recs) < limit {
		timeout := 0
		if len(recs) == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			timeout = min(timeoutMs(ctx), int(pollSlice/time.Millisecond))
		}
		switch e := c.consumer.Poll(timeout).(type) {
		case nil:
			if len(recs) > 0 {
				return c.keepAssigned(recs), nil
			}
		case *ckafka.Message:
			if e.TopicPartition.Error != nil {
				err := c.wrap("poll", *e.TopicPartition.Topic, e.TopicPartition.Partition, e.TopicPartition.Error)
				return c.deferError(recs, err)
			}
			recs = append(recs, toRecord(e))
		case ckafka.Error:
			if err := c.pollError(e); err != nil {
				return c.deferError(recs, err)
			}
		case ckafka.RevokedPartitions, ckafka.AssignedPartitions:
			// Handled by the rebalance callback.
		}
	}
	return c.keepAssigned(recs), nil
}

// deferError returns recs, keeping err for the next Poll, or err when no
// record was gathered: records are never dropped for an error.
func (c *client) deferError(recs []kafka.Record, err error) ([]kafka.Record, error) {
	if len(recs) == 0 {
		return nil, err
	}
	c.pending = err
	return c.keepAssigned(recs), nil
}

// keepAssigned drops records of partitions revoked while they were being
// gathered: their new owner consumes them from the committed offsets.
func (c *client) keepAssigned(recs []kafka.Record) []kafka.Record {
	if c.cfg.Policy != kafka.Group {
		return recs
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.DeleteFunc(recs, func(r kafka.Record) bool {
		_, ok := slices.BinarySearchFunc(c.assigned, kafka.TopicPartition{Topic: r.Topic, Partition: r.Partition}, compareTP)
		return !ok
	})
}

// pollError returns the error a consumer error event means for the
// caller, or nil for those librdkafka recovers from itself (a broker
// connection lost, say), which are logged.
func (c *client) pollError(e ckafka.Error) error {
	switch e.Code() {
	case ckafka.ErrTransport, ckafka.ErrAllBrokersDown, ckafka.ErrPartitionEOF:
		c.logger.Warn("rdkafka: consumer", "err", e)
		return nil
	}
	if !e.IsFatal() && classify(e) == nil {
		c.logger.Warn("rdkafka: consumer", "err", e)
		return nil
	}
	topic, part := topicIn(e, c.cfg.Topics), int32(-1)
	return c.wrap("poll", topic, part, e)
}

func toRecord(m *ckafka.Message) kafka.Record {
	r := kafka.Record{
		Topic:     *m.TopicPartition.Topic,
		Partition: m.TopicPartition.Partition,
		Offset:    int64(m.TopicPartition.Offset),
		Key:       m.Key,
		Value:     m.Value,
		Timestamp: m.Timestamp,
	}
	if len(m.Headers) > 0 {
		r.Headers = make([]kafka.Header, len(m.Headers))
		for i, h := range m.Headers {
			r.Headers[i] = kafka.Header{Key: h.Key, Value: h.Value}
		}
	}
	return r
}

// rebalance is librdkafka's rebalance callback (policy Group,
// cooperative-sticky), run inside Poll: it tells the caller, then takes or
// gives up the partitions.
func (c *client) rebalance(cons *ckafka.Consumer, ev ckafka.Event) error {
	ctx := c.pollCtx
	if ctx == nil {
		ctx = context.Background() // Close: the caller is not told
	}
	notify := c.cfg.Rebalanced != nil && !c.closing.Load()
	switch e := ev.(type) {
	case ckafka.AssignedPartitions:
		tps := fromTPs(e.Partitions)
		if notify {
			c.cfg.Rebalanced(ctx, tps, nil)
		}
		offsets := e.Partitions
		if !c.closing.Load() {
			offsets = c.groupPositions(ctx, e.Partitions, tps)
		}
		if err := cons.IncrementalAssign(offsets); err != nil {
			c.pending = c.wrap("assign", "", -1, err)
			return nil
		}
		c.updateAssigned(tps, nil)
	case ckafka.RevokedPartitions:
		tps := fromTPs(e.Partitions)
		if notify {
			c.cfg.Rebalanced(ctx, nil, tps)
		}
		if err := cons.IncrementalUnassign(e.Partitions); err != nil {
			c.pending = c.wrap("unassign", "", -1, err)
		}
		c.updateAssigned(nil, tps)
	}
	return nil
}

// groupPositions returns where partitions the group assigned start: the
// group's committed offsets win in a group (another member may have
// committed them), and Start applies where none is. The lookup is not
// bounded by the Poll's context, which may be short: the assignment must
// go on. If it fails, librdkafka looks the offsets up itself.
func (c *client) groupPositions(ctx context.Context, assigned []ckafka.TopicPartition, tps []kafka.TopicPartition) []ckafka.TopicPartition {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), defaultTimeout)
	defer cancel()
	offsets, err := c.positions(ctx, tps, true)
	if err != nil {
		c.logger.Warn("rdkafka: looking up the committed offsets of assigned partitions", "err", err)
		return assigned // OffsetStored: committed, then auto.offset.reset
	}
	return offsets
}

func (c *client) updateAssigned(add, remove []kafka.TopicPartition) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.assigned = slices.DeleteFunc(c.assigned, func(tp kafka.TopicPartition) bool {
		return slices.Contains(remove, tp)
	})
	for _, tp := range add {
		if !slices.Contains(c.assigned, tp) {
			c.assigned = append(c.assigned, tp)
		}
	}
	sortTPs(c.assigned)
}

// Rewind moves every assigned partition back to its committed offset, or
// to where it started when none is committed, by assigning the partitions
// again with explicit offsets (incrementally in a group), which librdkafka
// applies whatever the partition's fetch state and which drops the records
// it had fetched ahead.
func (c *client) Rewind(ctx context.Context) error {
	if c.consumer == nil {
		return wrap("rewind", "", -1, errNoConsumer)
	}
	tps := c.Assigned()
	if len(tps) == 0 {
		return nil
	}
	offsets, err := c.positions(ctx, tps, true)
	if err != nil {
		return err
	}
	c.pending = nil
	if c.cfg.Policy != kafka.Group || len(c.cfg.Partitions) > 0 {
		c.mu.Lock()
		c.noteAssigned(offsets)
		c.mu.Unlock()
		return c.wrap("rewind", "", -1, c.consumer.Assign(offsets))
	}
	// Not SeekPartitions: a seek on a partition whose start is still
	// being looked up (assigned at OffsetStored) stalls it for good
	// (librdkafka 2.11.1, checked on the embedded broker). Taking the
	// partitions back with explicit offsets works in every state.
	if err := c.consumer.IncrementalUnassign(toCTPs(tps)); err != nil {
		return c.wrap("rewind", "", -1, err)
	}
	return c.wrap("rewind", "", -1, c.consumer.IncrementalAssign(offsets))
}

// Committed returns the group's committed offsets. Under read_committed,
// librdkafka asks for stable offsets: offsets of a transaction still open
// are waited for, not returned.
func (c *client) Committed(ctx context.Context, tps []kafka.TopicPartition) (map[kafka.TopicPartition]int64, error) {
	if c.consumer == nil {
		return nil, wrap("committed", "", -1, errNoConsumer)
	}
	out := make(map[kafka.TopicPartition]int64, len(tps))
	if len(tps) == 0 {
		return out, nil
	}
	res, err := c.consumer.Committed(toCTPs(tps), timeoutMs(ctx))
	if ke := (ckafka.Error{}); errors.As(err, &ke) && ke.Code() == ckafka.ErrGroupIDNotFound {
		// A group that never committed does not exist (Kafka's new group
		// coordinator and kfake say so): nothing is committed.
		for _, tp := range tps {
			out[tp] = -1
		}
		return out, nil
	}
	if err != nil {
		return nil, c.wrap("committed", "", -1, err)
	}
	for _, tp := range res {
		if tp.Error != nil {
			return nil, c.wrap("committed", *tp.Topic, tp.Partition, tp.Error)
		}
		o := int64(tp.Offset)
		if o < 0 {
			o = -1
		}
		out[kafka.TopicPartition{Topic: *tp.Topic, Partition: tp.Partition}] = o
	}
	return out, nil
}

// CommitOffsets commits offsets for the group outside any transaction.
// librdkafka's commit cannot be interrupted: when ctx ends first, it goes
// on in the background and CommitOffsets returns ctx's error.
func (c *client) CommitOffsets(ctx context.Context, offsets map[kafka.TopicPartition]int64) error {
	if c.consumer == nil {
		return wrap("commit offsets", "", -1, errNoConsumer)
	}
	if len(offsets) == 0 {
		return nil
	}
	errc := make(chan error, 1)
	go func() {
		res, err := c.consumer.CommitOffsets(toOffsets(offsets))
		if err == nil {
			for _, tp := range res {
				if tp.Error != nil {
					err = c.wrap("commit offsets", *tp.Topic, tp.Partition, tp.Error)
					break
				}
			}
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return c.wrap("commit offsets", "", -1, err)
	case <-ctx.Done():
		return wrap("commit offsets", "", -1, ctx.Err())
	}
}

func toCTPs(tps []kafka.TopicPartition) []ckafka.TopicPartition {
	out := make([]ckafka.TopicPartition, len(tps))
	for i, tp := range tps {
		out[i] = ckafka.TopicPartition{Topic: &tp.Topic, Partition: tp.Partition}
	}
	return out
}

func fromTPs(tps []ckafka.TopicPartition) []kafka.TopicPartition {
	out := make([]kafka.TopicPartition, 0, len(tps))
	for _, tp := range tps {
		if tp.Topic != nil {
			out = append(out, kafka.TopicPartition{Topic: *tp.Topic, Partition: tp.Partition})
		}
	}
	sortTPs(out)
	return out
}

func compareTP(a, b kafka.TopicPartition) int {
	if a.Topic != b.Topic {
		if a.Topic < b.Topic {
			return -1
		}
		return 1
	}
	return int(a.Partition) - int(b.Partition)
}

func sortTPs(tps []kafka.TopicPartition) { slices.SortFunc(tps, compareTP) }
