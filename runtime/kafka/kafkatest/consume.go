package kafkatest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var consumeTests = []test{
	{"OnlyOwn", testOnlyOwn},
	{"OnlyOwnPartitionsNotReplicas", testOnlyOwnMismatch},
	{"All", testAll},
	{"Group", testGroup},
	{"PollContextDone", testPollContextDone},
	{"RecordFields", testRecordFields},
}

// testOnlyOwn: instance i of 3 consumes exactly partition i of each topic,
// in offset order.
func testOnlyOwn(e *env) {
	e.start(map[string]int{"a": 3, "b": 3})
	p := e.producer()
	want := e.fill(p, "a", 3, 5)
	for tp, vs := range e.fill(p, "b", 3, 5) {
		want[tp] = vs
	}
	cs := make([]kafka.Client, 3)
	for i := range cs {
		cs[i] = e.client(kafka.Config{Topics: []string{"a", "b"}, Group: "only-own", Policy: kafka.OnlyOwn, Instance: i, Replicas: 3})
	}
	for i, c := range cs {
		got := e.poll(c, 10)
		e.checkOrder(got)
		own := append(tps("a", int32(i)), tps("b", int32(i))...)
		wantOwn := map[kafka.TopicPartition][]string{own[0]: want[own[0]], own[1]: want[own[1]]}
		if diff := cmp.Diff(wantOwn, byPartition(got)); diff != "" {
			e.t.Errorf("instance %d consumed (-want +got):\n%s", i, diff)
		}
		// Nothing of another partition is pending: the next record is
		// the one produced next to the instance's own partition.
		v := fmt.Sprintf("next-%d", i)
		e.produce(p, rec("a", int32(i), v))
		if rs := e.poll(c, 1); string(rs[0].Value) != v || rs[0].Partition != int32(i) {
			e.t.Errorf("instance %d: after its records, polled %s[%d] %q, want a[%d] %q", i, rs[0].Topic, rs[0].Partition, rs[0].Value, i, v)
		}
		if got := c.Assigned(); !slices.Equal(got, own) {
			e.t.Errorf("instance %d: Assigned() = %v, want %v", i, got, own)
		}
	}
}

// testOnlyOwnMismatch: under OnlyOwn, a topic whose partition count is not
// the replica count is an error at start (New or the first Poll) naming
// both numbers.
func testOnlyOwnMismatch(e *env) {
	e.start(map[string]int{"a": 3})
	c, err := e.tryClient(kafka.Config{Topics: []string{"a"}, Group: "g", Policy: kafka.OnlyOwn, Instance: 0, Replicas: 2})
	if err == nil {
		ctx, cancel := context.WithTimeout(e.ctx, 20*time.Second)
		defer cancel()
		_, err = c.Poll(ctx, 1)
		if ctx.Err() != nil {
			e.t.Fatalf("3 partitions for 2 replicas under OnlyOwn: New and Poll succeeded")
		}
	}
	e.t.Logf("3 partitions for 2 replicas: %v", err)
	if err == nil || !regexp.MustCompile(`\b3\b`).MatchString(err.Error()) || !regexp.MustCompile(`\b2\b`).MatchString(err.Error()) {
		e.t.Errorf("3 partitions for 2 replicas under OnlyOwn: error %v, want one naming 3 and 2", err)
	}
}

// testAll: every instance consumes every partition.
func testAll(e *env) {
	e.start(map[string]int{"a": 3})
	want := e.fill(e.producer(), "a", 3, 4)
	for i := range 2 {
		c := e.client(kafka.Config{Topics: []string{"a"}, Group: "all", Policy: kafka.All, Instance: i, Replicas: 2})
		got := e.poll(c, 12)
		e.checkOrder(got)
		if diff := cmp.Diff(want, byPartition(got)); diff != "" {
			e.t.Errorf("instance %d consumed (-want +got):\n%s", i, diff)
		}
		if got, want := c.Assigned(), tps("a", 0, 1, 2); !slices.Equal(got, want) {
			e.t.Errorf("instance %d: Assigned() = %v, want %v", i, got, want)
		}
	}
}

// rebalances records what Rebalanced reports to one client, and whether
// it is called inside Poll.
type rebalances struct {
	mu      sync.Mutex
	polling atomic.Bool
	owned   map[kafka.TopicPartition]bool
	revoked int
	outside int // calls outside Poll
}

func (r *rebalances) callback(_ context.Context, assigned, revoked []kafka.TopicPartition) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.polling.Load() {
		r.outside++
	}
	if r.owned == nil {
		r.owned = make(map[kafka.TopicPartition]bool)
	}
	for _, tp := range revoked {
		delete(r.owned, tp)
		r.revoked++
	}
	for _, tp := range assigned {
		r.owned[tp] = true
	}
}

// check fails the test unless what Rebalanced reported adds up to
// Assigned().
func (r *rebalances) check(e *env, name string, c kafka.Client) {
	e.t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var owned []kafka.TopicPartition
	for tp := range r.owned {
		owned = append(owned, tp)
	}
	sortTPs(owned)
	if got := c.Assigned(); !slices.Equal(got, owned) {
		e.t.Errorf("%s: Rebalanced reported %v in all, Assigned() = %v", name, owned, got)
	}
	if r.outside > 0 {
		e.t.Errorf("%s: Rebalanced called %d times outside Poll", name, r.outside)
	}
}

// trackPoll wraps c so that r knows when Poll runs.
type trackPoll struct {
	kafka.Client
	r *rebalances
}

func (t trackPoll) Poll(ctx context.Context, n int) ([]kafka.Record, error) {
	t.r.polling.Store(true)
	defer t.r.polling.Store(false)
	return t.Client.Poll(ctx, n)
}

// testGroup: two clients of one group split the partitions; when one
// closes, the other gets them all; Rebalanced reports each change.
func testGroup(e *env) {
	e.start(map[string]int{"g": 4})
	e.fill(e.producer(), "g", 4, 3)
	all := tps("g", 0, 1, 2, 3)
	member := func(r *rebalances) kafka.Client {
		c := e.client(kafka.Config{Topics: []string{"g"}, Group: "group", Policy: kafka.Group, Rebalanced: r.callback})
		return trackPoll{c, r}
	}
	var ra, rb rebalances
	a := member(&ra)
	e.waitFor("the first member to own every partition", func() bool { return slices.Equal(a.Assigned(), all) }, a)
	ra.check(e, "first member alone", a)

	b := member(&rb)
	split := func() bool {
		pa, pb := a.Assigned(), b.Assigned()
		both := append(slices.Clone(pa), pb...)
		sortTPs(both)
		return len(pa) > 0 && len(pb) > 0 && slices.Equal(both, all)
	}
	e.waitFor("two members to split the partitions", split, a, b)
	ra.check(e, "first member of two", a)
	rb.check(e, "second member of two", b)
	if ra.revoked == 0 {
		e.t.Errorf("Rebalanced reported nothing revoked from the first member, which now has %v", a.Assigned())
	}

	b.Close()
	e.waitFor("the remaining member to own every partition", func() bool { return slices.Equal(a.Assigned(), all) }, a)
	ra.check(e, "first member alone again", a)
}

func sortTPs(tps []kafka.TopicPartition) {
	slices.SortFunc(tps, func(x, y kafka.TopicPartition) int {
		if x.Topic != y.Topic {
			if x.Topic < y.Topic {
				return -1
			}
			return 1
		}
		return int(x.Partition - y.Partition)
	})
}

// testPollContextDone: Poll with nothing to return waits until ctx is done
// and returns ctx.Err().
func testPollContextDone(e *env) {
	e.start(map[string]int{"a": 1})
	c := e.consumer(false, "a")
	ctx, cancel := context.WithTimeout(e.ctx, 300*time.Millisecond)
	defer cancel()
	rs, err := c.Poll(ctx, 10)
	if !errors.Is(err, context.DeadlineExceeded) || len(rs) > 0 {
		e.t.Errorf("Poll on an empty topic = %d records, %v; want context.DeadlineExceeded", len(rs), err)
	}
}

// testRecordFields: key, value, headers and timestamp come back as
// produced, and done reports the offset a consumer sees.
func testRecordFields(e *env) {
	e.start(map[string]int{"a": 2})
	ts := time.UnixMilli(1_700_000_000_123)
	in := kafka.Record{
		Topic: "a", Partition: 1, Key: []byte("key"), Value: []byte("value"), Timestamp: ts,
		Headers: []kafka.Header{{Key: "h1", Value: []byte("v1")}, {Key: "h2", Value: nil}, {Key: "h1", Value: []byte("again")}},
	}
	e.produce(e.producer(), rec("a", 1, "first"))
	acked := e.produce(e.producer(), in)[0]
	got := e.poll(e.consumer(false, "a"), 2)[1]
	if acked.Offset != 1 || got.Offset != 1 {
		e.t.Errorf("offsets: acknowledged %d, consumed %d, want 1", acked.Offset, got.Offset)
	}
	if got.Topic != in.Topic || got.Partition != in.Partition || string(got.Key) != "key" || string(got.Value) != "value" || !got.Timestamp.Equal(ts) {
		e.t.Errorf("consumed %s[%d] key %q value %q at %v, want a[1] key \"key\" value \"value\" at %v",
			got.Topic, got.Partition, got.Key, got.Value, got.Timestamp, ts)
	}
	if len(got.Headers) != 3 {
		e.t.Fatalf("consumed headers %v, want 3", got.Headers)
	}
	for i, h := range in.Headers {
		if got.Headers[i].Key != h.Key || string(got.Headers[i].Value) != string(h.Value) {
			e.t.Errorf("header %d = %s=%q, want %s=%q", i, got.Headers[i].Key, got.Headers[i].Value, h.Key, h.Value)
		}
	}
}
