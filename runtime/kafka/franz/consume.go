package franz

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// Poll implements kafka.Client. Assignment changes are reported to
// Config.Rebalanced here, before any record of a newly assigned partition
// is returned; records of a partition revoked meanwhile are dropped. A max
// of zero or less means no limit.
func (c *client) Poll(ctx context.Context, maxRecords int) ([]kafka.Record, error) {
	if len(c.cfg.Topics) == 0 {
		return nil, errorf("poll", nil, "the client consumes no Topics")
	}
	if maxRecords < 0 {
		maxRecords = 0
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := c.takePollErr(); err != nil {
			return nil, err
		}
		c.deliver(ctx)
		pctx, cancel := context.WithTimeout(ctx, kickEvery)
		if !c.arm(cancel) {
			cancel()
			continue // an assignment change arrived: report it first
		}
		fs := c.kcl.PollRecords(pctx, maxRecords)
		c.disarm()
		cancel()
		c.deliver(ctx)
		recs, err := c.records(fs)
		switch {
		case len(recs) > 0:
			if err != nil {
				c.setPollErr(err)
			}
			return recs, nil
		case err != nil:
			return nil, err
		case ctx.Err() == nil:
			c.kcl.ResumeFetchTopics() // resumes nothing: restarts stranded fetch loops
		}
	}
}

// kickEvery is how often a waiting Poll restarts franz-go's fetch loops.
// franz-go 1.22.3 can strand a broker's fetch loop when two consumer
// sessions follow each other closely, as they do when an aborted
// transaction's offsets are reset by the session and then by Rewind: a
// loop that saw the first session die resets its state after the second
// session asked it to run, and nothing asks again. ResumeFetchTopics with
// no topics asks again.
const kickEvery = 500 * time.Millisecond

// arm registers cancel as the way to wake the coming kgo poll, unless an
// assignment change is already waiting.
func (c *client) arm(cancel context.CancelFunc) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.events) > 0 {
		return false
	}
	c.wake = cancel
	return true
}

func (c *client) disarm() {
	c.mu.Lock()
	c.wake = nil
	c.mu.Unlock()
}

func (c *client) takePollErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	err := c.pollErr
	c.pollErr = nil
	return err
}

func (c *client) setPollErr(err error) {
	c.mu.Lock()
	c.pollErr = err
	c.mu.Unlock()
}

// deliver applies the waiting assignment changes to what Assigned returns
// and reports them to Config.Rebalanced (Policy Group only), in order.
func (c *client) deliver(ctx context.Context) {
	c.mu.Lock()
	events := c.events
	c.events = nil
	for _, e := range events {
		for _, tp := range e.revoked {
			delete(c.view, tp)
		}
		for _, tp := range e.assigned {
			c.view[tp] = true
		}
	}
	c.mu.Unlock()
	if c.cfg.Rebalanced == nil || c.cfg.Policy != kafka.Group {
		return
	}
	for _, e := range events {
		c.cfg.Rebalanced(ctx, e.assigned, e.revoked)
	}
}

// records converts fetches, dropping records of partitions no longer
// assigned, and returns the first error worth reporting.
func (c *client) records(fs kgo.Fetches) ([]kafka.Record, error) {
	var firstErr error
	fs.EachError(func(topic string, partition int32, err error) {
		if firstErr != nil || errors.Is(err, context.Canceled) && topic == "" {
			return // our own wake-up, or the caller's ctx checked by Poll
		}
		var loss *kgo.ErrDataLoss
		if errors.As(err, &loss) {
			c.logWarn("data loss detected; consuming from the new offset", "topic", topic, "partition", partition, "err", err)
			return
		}
		if errors.Is(err, context.DeadlineExceeded) && topic == "" {
			return
		}
		firstErr = newError("poll", topic, partition, err)
	})
	n := fs.NumRecords()
	if n == 0 {
		return nil, firstErr
	}
	recs := make([]kafka.Record, 0, n)
	c.mu.Lock()
	defer c.mu.Unlock()
	fs.EachPartition(func(p kgo.FetchTopicPartition) {
		if len(p.Records) == 0 {
			return
		}
		tp := kafka.TopicPartition{Topic: p.Topic, Partition: p.Partition}
		if !c.assigned[tp] {
			return
		}
		c.started[tp] = true
		if _, ok := c.origin[tp]; !ok {
			c.origin[tp] = p.Records[0].Offset
		}
		for _, r := range p.Records {
			if !r.Attrs.IsControl() {
				recs = append(recs, fromKgo(r))
			}
		}
		c.positions[tp] = p.Records[len(p.Records)-1].Offset + 1
	})
	return recs, firstErr
}

func (c *client) logWarn(msg string, args ...any) {
	if c.cfg.Logger != nil {
		c.cfg.Logger.Warn(msg, args...)
	}
}

// fromKgo converts a consumed record; key, value and header values are
// shared, not copied.
func fromKgo(r *kgo.Record) kafka.Record {
	out := kafka.Record{
		Topic:     r.Topic,
		Partition: r.Partition,
		Offset:    r.Offset,
		Key:       r.Key,
		Value:     r.Value,
		Timestamp: r.Timestamp,
	}
	if len(r.Headers) > 0 {
		out.Headers = make([]kafka.Header, len(r.Headers))
		for i, h := range r.Headers {
			out.Headers[i] = kafka.Header{Key: h.Key, Value: h.Value}
		}
	}
	return out
}

// onAssigned runs on kgo's group goroutine before fetching the partitions
// starts. It never waits for the polling goroutine (kgo holds locks that
// End needs while its callbacks run); Poll reports the change before it
// returns any record of these partitions.
func (c *client) onAssigned(_ context.Context, _ *kgo.Client, m map[string][]int32) {
	tps := toTPs(m)
	if len(tps) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tp := range tps {
		c.assigned[tp] = true
		c.forget(tp)
	}
	c.events = append(c.events, rebalance{assigned: tps})
	if c.wake != nil {
		c.wake()
	}
}

// onRevoked runs on kgo's group goroutine once partitions are revoked or
// lost; like onAssigned it only records the change for Poll.
func (c *client) onRevoked(_ context.Context, _ *kgo.Client, m map[string][]int32) {
	tps := toTPs(m)
	if len(tps) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, tp := range tps {
		delete(c.assigned, tp)
		c.forget(tp)
	}
	c.events = append(c.events, rebalance{revoked: tps})
	if c.wake != nil {
		c.wake()
	}
}

// forget drops what the client knew of tp's offsets; c.mu is held.
func (c *client) forget(tp kafka.TopicPartition) {
	delete(c.positions, tp)
	delete(c.sought, tp)
	delete(c.origin, tp)
	delete(c.lastCommit, tp)
	delete(c.attempted, tp)
}

func toTPs(m map[string][]int32) []kafka.TopicPartition {
	var tps []kafka.TopicPartition
	for topic, ps := range m {
		for _, p := range ps {
			tps = append(tps, kafka.TopicPartition{Topic: topic, Partition: p})
		}
	}
	sortTPs(tps)
	return tps
}

func sortTPs(tps []kafka.TopicPartition) {
	slices.SortFunc(tps, func(a, b kafka.TopicPartition) int {
		if a.Topic != b.Topic {
			if a.Topic < b.Topic {
				return -1
			}
			return 1
		}
		return int(a.Partition - b.Partition)
	})
}

// Assigned implements kafka.Client. It changes inside Poll, where
// Config.Rebalanced is called, so that between polls it agrees with what
// Rebalanced reported.
func (c *client) Assigned() []kafka.TopicPartition {
	c.mu.Lock()
	defer c.mu.Unlock()
	tps := make([]kafka.TopicPartition, 0, len(c.view))
	for tp := range c.view {
		tps = append(tps, tp)
	}
	sortTPs(tps)
	return tps
}

// Rewind implements kafka.Client. Each assigned partition goes back to the
// offset this client last committed for it or, where it has committed
// nothing since the partition was assigned, to the first offset it
// consumed since (where consumption started: the committed or the Start
// offset); a partition not consumed from since is already there. A commit
// whose outcome is unknown (CommitTransaction or CommitOffsets failed after
// sending it) counts as made if the broker has the group's offset at it.
func (c *client) Rewind(ctx context.Context) error {
	if len(c.cfg.Topics) == 0 {
		return nil
	}
	if err := c.settleAttempts(ctx); err != nil {
		return newError("rewind", "", -1, err)
	}
	c.mu.Lock()
	set := make(map[string]map[int32]kgo.EpochOffset)
	for tp := range c.assigned {
		at, ok := c.lastCommit[tp]
		if !ok {
			if at, ok = c.origin[tp]; !ok {
				continue
			}
		}
		if set[tp.Topic] == nil {
			set[tp.Topic] = make(map[int32]kgo.EpochOffset)
		}
		set[tp.Topic][tp.Partition] = kgo.EpochOffset{Epoch: -1, Offset: at}
		c.positions[tp] = at
	}
	c.pollErr = nil
	c.mu.Unlock()
	c.kcl.SetOffsets(set)
	c.kcl.ResumeFetchTopics() // see kickEvery
	return nil
}

// settleAttempts asks the broker about commits of unknown outcome.
func (c *client) settleAttempts(ctx context.Context) error {
	c.mu.Lock()
	attempted := maps.Clone(c.attempted)
	c.mu.Unlock()
	if len(attempted) == 0 {
		return nil
	}
	committed, err := c.Committed(ctx, slices.Collect(maps.Keys(attempted)))
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for tp, at := range attempted {
		if committed[tp] == at && c.assigned[tp] {
			c.lastCommit[tp] = at
		}
		delete(c.attempted, tp)
	}
	return nil
}

// noteCommit records the outcome of a commit of offsets: made, or unknown.
func (c *client) noteCommit(offsets map[kafka.TopicPartition]int64, made bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for tp, at := range offsets {
		if !c.assigned[tp] {
			continue
		}
		if made {
			c.lastCommit[tp] = at
			delete(c.attempted, tp)
		} else {
			c.attempted[tp] = at
		}
	}
}

// Committed implements kafka.Client. It reads the group's offsets from
// the broker, waiting for pending transactional commits to settle.
func (c *client) Committed(ctx context.Context, tps []kafka.TopicPartition) (map[kafka.TopicPartition]int64, error) {
	if c.cfg.Group == "" {
		return nil, errorf("committed", nil, "the client has no Group")
	}
	var topics []string
	for _, tp := range tps {
		if !slices.Contains(topics, tp.Topic) {
			topics = append(topics, tp.Topic)
		}
	}
	for {
		resps, err := c.adm.FetchOffsetsForTopics(kadm.RequireStable(ctx), c.cfg.Group, topics...)
		if err == nil {
			err = resps.Error()
		}
		if errors.Is(err, kerr.UnstableOffsetCommit) {
			select {
			case <-time.After(20 * time.Millisecond):
				continue
			case <-ctx.Done():
				return nil, newError("committed", "", -1, ctx.Err())
			}
		}
		if err != nil {
			return nil, newError("committed", "", -1, err)
		}
		out := make(map[kafka.TopicPartition]int64, len(tps))
		for _, tp := range tps {
			out[tp] = -1
			if o, ok := resps.Lookup(tp.Topic, tp.Partition); ok && o.At >= 0 {
				out[tp] = o.At
			}
		}
		return out, nil
	}
}

// CommitOffsets implements kafka.Client: a member of the group commits as
// a member (generation and member id), any other client as an admin.
func (c *client) CommitOffsets(ctx context.Context, offsets map[kafka.TopicPartition]int64) error {
	if c.cfg.Group == "" {
		return errorf("commit", nil, "the client has no Group")
	}
	if len(offsets) == 0 {
		return nil
	}
	var err error
	if len(c.cfg.Topics) > 0 && !c.static() {
		err = c.commitAsMember(ctx, offsets)
	} else {
		var os kadm.Offsets
		for tp, at := range offsets {
			os.AddOffset(tp.Topic, tp.Partition, at, -1)
		}
		var resps kadm.OffsetResponses
		resps, err = c.adm.CommitOffsets(ctx, c.cfg.Group, os)
		if err == nil {
			err = resps.Error()
		}
	}
	if err != nil {
		c.noteCommit(offsets, false)
		return newError("commit", "", -1, err)
	}
	c.noteCommit(offsets, true)
	return nil
}

func (c *client) commitAsMember(ctx context.Context, offsets map[kafka.TopicPartition]int64) error {
	m := make(map[string]map[int32]kgo.EpochOffset)
	for tp, at := range offsets {
		if m[tp.Topic] == nil {
			m[tp.Topic] = make(map[int32]kgo.EpochOffset)
		}
		m[tp.Topic][tp.Partition] = kgo.EpochOffset{Epoch: -1, Offset: at}
	}
	var rerr error
	c.kcl.CommitOffsetsSync(ctx, m, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			rerr = err
			return
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if err := kerr.ErrorForCode(p.ErrorCode); err != nil && rerr == nil {
					rerr = newError("commit", t.Topic, p.Partition, err)
				}
			}
		}
	})
	return rerr
}
