package rdkafka_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
)

// member is a Group client that records the rebalances it is told of.
type member struct {
	kafka.Client
	mu       sync.Mutex
	inPoll   bool
	assigned []kafka.TopicPartition
	revoked  []kafka.TopicPartition
	outside  int // Rebalanced calls outside Poll
}

func newMember(t *testing.T, b *broker.Broker) *member {
	t.Helper()
	m := &member{}
	m.Client = newClient(t, b, kafka.Config{
		Group: "g", Topics: []string{"t"}, Policy: kafka.Group,
		// A member learns of a rebalance from its heartbeat: 3 s by
		// default, and a cooperative rebalance takes two.
		Options: map[string]string{"heartbeat.interval.ms": "100"},
		Rebalanced: func(_ context.Context, assigned, revoked []kafka.TopicPartition) {
			m.mu.Lock()
			defer m.mu.Unlock()
			if !m.inPoll {
				m.outside++
			}
			m.assigned = append(m.assigned, assigned...)
			m.revoked = append(m.revoked, revoked...)
		},
	})
	return m
}

// poll polls once for a short while, so that rebalances run.
func (m *member) poll(ctx context.Context, t *testing.T) []kafka.Record {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	m.mu.Lock()
	m.inPoll = true
	m.mu.Unlock()
	rs, err := m.Poll(ctx, 100)
	m.mu.Lock()
	m.inPoll = false
	m.mu.Unlock()
	if err != nil && ctx.Err() == nil {
		t.Fatalf("Poll: %v", err)
	}
	return rs
}

func TestGroupSharesPartitions(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("t", 4, nil))
	t0 := time.Now()
	a := newMember(t, b)
	for len(a.Assigned()) < 4 {
		a.poll(ctx, t)
		if ctx.Err() != nil {
			t.Fatalf("first member never got the 4 partitions: %v", a.Assigned())
		}
	}
	t.Logf("first member assigned after %v", time.Since(t0))
	t0 = time.Now()
	c := newMember(t, b)
	for len(a.Assigned()) != 2 || len(c.Assigned()) != 2 {
		a.poll(ctx, t)
		c.poll(ctx, t)
		if ctx.Err() != nil {
			t.Fatalf("partitions not shared: %v and %v", a.Assigned(), c.Assigned())
		}
	}
	t.Logf("partitions shared after %v", time.Since(t0))
	both := append(a.Assigned(), c.Assigned()...)
	slices.SortFunc(both, func(x, y kafka.TopicPartition) int { return int(x.Partition - y.Partition) })
	for i, tp := range both {
		if tp.Partition != int32(i) {
			t.Fatalf("assignments overlap or miss a partition: %v and %v", a.Assigned(), c.Assigned())
		}
	}
	a.mu.Lock()
	if len(a.revoked) != 2 || a.outside != 0 {
		t.Errorf("first member: revoked %v (want 2 partitions), %d Rebalanced calls outside Poll", a.revoked, a.outside)
	}
	a.mu.Unlock()

	// Records reach the member that owns their partition.
	p := newClient(t, b, kafka.Config{})
	for part := range int32(4) {
		produce(ctx, t, p, "t", part, "r")
	}
	got := map[*member][]kafka.Record{}
	for len(got[a])+len(got[c]) < 4 {
		got[a] = append(got[a], a.poll(ctx, t)...)
		got[c] = append(got[c], c.poll(ctx, t)...)
		if ctx.Err() != nil {
			t.Fatalf("got %d of 4 records", len(got[a])+len(got[c]))
		}
	}
	for _, m := range []*member{a, c} {
		for _, r := range got[m] {
			if !slices.Contains(m.Assigned(), kafka.TopicPartition{Topic: r.Topic, Partition: r.Partition}) {
				t.Errorf("record of %s[%d] went to a member assigned %v", r.Topic, r.Partition, m.Assigned())
			}
		}
	}
}

// TestGroupTransactionAndRewind: in a group, offsets go to the
// transaction with the member's generation, and Rewind seeks back to them.
func TestGroupTransactionAndRewind(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("in", 1, nil), broker.Topic("out", 1, nil))
	produce(ctx, t, newClient(t, b, kafka.Config{}), "in", 0, valuesOf("v", 6)...)
	c := newClient(t, b, kafka.Config{Group: "g", Topics: []string{"in"}, Policy: kafka.Group, TransactionalID: "g-0"})
	transform(ctx, t, c, consume(ctx, t, c, 2))
	second := consume(ctx, t, c, 4)
	if err := c.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, c, "out", 0, "aborted")
	if err := c.AbortTransaction(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Rewind(ctx); err != nil {
		t.Fatalf("Rewind: %v", err)
	}
	again := consume(ctx, t, c, 4)
	if diff := cmp.Diff(values(second), values(again)); diff != "" {
		t.Errorf("after Rewind (-before +after):\n%s", diff)
	}
	transform(ctx, t, c, again)
	got, err := c.Committed(ctx, []kafka.TopicPartition{in0})
	if err != nil || got[in0] != 6 {
		t.Errorf("Committed = %v, %v; want in[0] at 6", got, err)
	}
	if diff := cmp.Diff(valuesOf("out-v", 6), values(consume(ctx, t, reader(t, b, "out"), 6))); diff != "" {
		t.Errorf("out (-want +got):\n%s", diff)
	}
}
