package kafkatest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
)

// New is a transport's constructor, such as franz.New. A transport's test
// may wrap it to add Options (shorter heartbeats, say) to every Config.
type New func(ctx context.Context, cfg kafka.Config) (kafka.Client, error)

// Timeout bounds each test: every wait in the suite is on a condition, and
// this is how long any test may take on a loaded machine.
const Timeout = 2 * time.Minute

// test is one conformance check.
type test struct {
	name string
	run  func(e *env)
}

// groups are the suite's tests, by the part of the interface they check.
var groups = []struct {
	name  string
	tests []test
}{
	{"Consume", consumeTests},
	{"Start", startTests},
	{"Positions", positionTests},
	{"Transaction", txnTests},
	{"Fencing", fencingTests},
	{"Produce", produceTests},
	{"Admin", adminTests},
	{"Security", securityTests},
	{"Faults", faultTests},
	{"Config", configTests},
}

// Run runs the conformance suite against the transport newClient builds,
// as subtests named <group>/<test>. Each test starts its own embedded
// broker (runtime/broker), so tests run in parallel.
func Run(t *testing.T, newClient New) {
	t.Helper()
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			t.Parallel()
			for _, tt := range g.tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					tt.run(&env{t: t, new: newClient})
				})
			}
		})
	}
}

// env is one test's world: a broker, an oracle client on it talking
// franz-go directly, and the transport under test.
type env struct {
	t   *testing.T
	new New
	ctx context.Context
	b   *broker.Broker
	kcl *kgo.Client
	adm *kadm.Client
	// sasl is given to every client the test makes, when the broker
	// requires authentication.
	sasl *kafka.SASL
	n    int // clients made so far, for unique client ids
}

// Superuser credentials of the secured broker.
const (
	adminUser     = "tonga-admin"
	adminPassword = "admin-secret-6f1d"
)

// start starts the broker with opts and the topics name → partitions.
func (e *env) start(topics map[string]int, opts ...broker.Option) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.t.Context(), Timeout)
	e.t.Cleanup(cancel)
	e.ctx = ctx
	b, err := broker.Start(ctx, opts...)
	if err != nil {
		e.t.Fatalf("broker.Start: %v", err)
	}
	e.t.Cleanup(func() { _ = b.Close() })
	e.b = b
	kopts := []kgo.Opt{kgo.SeedBrokers(b.Addrs()...)}
	if e.sasl != nil {
		kopts = append(kopts, kgo.SASL(scram.Auth{User: e.sasl.User, Pass: e.sasl.Password}.AsSha256Mechanism()))
	}
	e.kcl, err = kgo.NewClient(kopts...)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(e.kcl.Close)
	e.adm = kadm.NewClient(e.kcl)
	for _, name := range slices.Sorted(maps.Keys(topics)) {
		e.topic(name, topics[name])
	}
}

func (e *env) topic(name string, partitions int) {
	e.t.Helper()
	if err := e.b.CreateTopic(e.ctx, name, partitions, nil); err != nil {
		e.t.Fatalf("create topic %s: %v", name, err)
	}
}

// tryClient makes a client for cfg, filling in the brokers, a client id
// and the test's credentials; it is closed when the test ends.
func (e *env) tryClient(cfg kafka.Config) (kafka.Client, error) {
	e.t.Helper()
	e.n++
	if cfg.Brokers == nil {
		cfg.Brokers = e.b.Addrs()
	}
	if cfg.ClientID == "" {
		cfg.ClientID = fmt.Sprintf("kafkatest-%d", e.n)
	}
	if cfg.SASL == nil {
		cfg.SASL = e.sasl
	}
	c, err := e.new(e.ctx, cfg)
	if err != nil {
		return nil, err
	}
	if c == nil {
		e.t.Fatal("New returned a nil client and no error")
	}
	cc := &closeOnce{Client: c}
	e.t.Cleanup(cc.Close)
	return cc, nil
}

// closeOnce closes its client once, whether a test closes it or the
// test's cleanup does: the interface does not promise that Close is
// idempotent.
type closeOnce struct {
	kafka.Client
	once sync.Once
}

func (c *closeOnce) Close() { c.once.Do(c.Client.Close) }

func (e *env) client(cfg kafka.Config) kafka.Client {
	e.t.Helper()
	c, err := e.tryClient(cfg)
	if err != nil {
		e.t.Fatalf("New(%+v): %v", redact(cfg), err)
	}
	return c
}

// redact returns cfg without its password, for messages.
func redact(cfg kafka.Config) kafka.Config {
	if cfg.SASL != nil {
		s := *cfg.SASL
		s.Password = "<redacted>"
		cfg.SASL = &s
	}
	return cfg
}

// consumer makes a client consuming topics from the earliest offset under
// Policy All, in its own group.
func (e *env) consumer(readUncommitted bool, topics ...string) kafka.Client {
	e.t.Helper()
	return e.client(kafka.Config{
		Topics:          topics,
		Group:           fmt.Sprintf("kafkatest-reader-%d", e.n+1),
		Policy:          kafka.All,
		Start:           kafka.StartEarliest,
		ReadUncommitted: readUncommitted,
	})
}

// produce produces rs with c and waits for every acknowledgement, failing
// the test on an error; it returns the acknowledged records.
func (e *env) produce(c kafka.Client, rs ...kafka.Record) []kafka.Record {
	e.t.Helper()
	errs := e.produceAsync(c, rs...)()
	if err := errors.Join(errs...); err != nil {
		e.t.Fatalf("produce: %v", err)
	}
	return rs
}

// produceAsync produces rs (in place) and returns a function that flushes
// and returns the errors done reported, one per failed record.
func (e *env) produceAsync(c kafka.Client, rs ...kafka.Record) func() []error {
	var (
		mu   sync.Mutex
		errs []error
		wg   sync.WaitGroup
	)
	wg.Add(len(rs))
	for i := range rs {
		c.Produce(e.ctx, &rs[i], func(_ *kafka.Record, err error) {
			defer wg.Done()
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	return func() []error {
		e.t.Helper()
		if err := c.Flush(e.ctx); err != nil {
			e.t.Fatalf("Flush: %v", err)
		}
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(errs)
	}
}

// rec returns a record of value v (the key too) for topic[partition].
func rec(topic string, partition int32, v string) kafka.Record {
	return kafka.Record{Topic: topic, Partition: partition, Key: []byte(v), Value: []byte(v)}
}

// poll polls c until it returned n records, failing the test on an error
// or if the test's time runs out.
func (e *env) poll(c kafka.Client, n int) []kafka.Record {
	e.t.Helper()
	var got []kafka.Record
	for len(got) < n {
		rs, err := c.Poll(e.ctx, n-len(got))
		if err != nil {
			e.t.Fatalf("Poll, after %d of %d records: %v", len(got), n, err)
		}
		if len(rs) > n-len(got) {
			e.t.Fatalf("Poll(max %d) returned %d records", n-len(got), len(rs))
		}
		got = append(got, rs...)
	}
	return got
}

// pollUntil polls c until a record of value v, returning the records
// before it.
func (e *env) pollUntil(c kafka.Client, v string) []kafka.Record {
	e.t.Helper()
	var got []kafka.Record
	for {
		rs, err := c.Poll(e.ctx, 100)
		if err != nil {
			e.t.Fatalf("Poll, waiting for %q after %v: %v", v, values(got), err)
		}
		for i, r := range rs {
			if string(r.Value) == v {
				return append(got, rs[:i]...)
			}
		}
		got = append(got, rs...)
	}
}

// waitFor polls c (records are dropped) until cond holds, failing the test
// if the test's time runs out. Each poll waits at most 100ms, so that a
// transport serving its group protocol only inside Poll keeps doing so.
func (e *env) waitFor(what string, cond func() bool, cs ...kafka.Client) {
	e.t.Helper()
	for !cond() {
		if e.ctx.Err() != nil {
			e.t.Fatalf("waiting for %s: %v", what, e.ctx.Err())
		}
		for _, c := range cs {
			ctx, cancel := context.WithTimeout(e.ctx, 100*time.Millisecond)
			_, err := c.Poll(ctx, 100)
			cancel()
			if err != nil && ctx.Err() == nil {
				e.t.Fatalf("Poll, waiting for %s: %v", what, err)
			}
		}
	}
}

func values(rs []kafka.Record) []string {
	vs := make([]string, len(rs))
	for i, r := range rs {
		vs[i] = string(r.Value)
	}
	return vs
}

// byPartition groups the values of rs by partition, in the order given.
func byPartition(rs []kafka.Record) map[kafka.TopicPartition][]string {
	m := make(map[kafka.TopicPartition][]string)
	for _, r := range rs {
		tp := kafka.TopicPartition{Topic: r.Topic, Partition: r.Partition}
		m[tp] = append(m[tp], string(r.Value))
	}
	return m
}

// checkOrder fails the test unless rs are in offset order per partition.
func (e *env) checkOrder(rs []kafka.Record) {
	e.t.Helper()
	last := make(map[kafka.TopicPartition]int64)
	for _, r := range rs {
		tp := kafka.TopicPartition{Topic: r.Topic, Partition: r.Partition}
		if at, ok := last[tp]; ok && r.Offset <= at {
			e.t.Errorf("%s[%d]: offset %d after %d", r.Topic, r.Partition, r.Offset, at)
		}
		last[tp] = r.Offset
	}
}

// next returns the offsets after rs, per partition: what to commit once rs
// are processed.
func next(rs []kafka.Record) map[kafka.TopicPartition]int64 {
	m := make(map[kafka.TopicPartition]int64)
	for _, r := range rs {
		tp := kafka.TopicPartition{Topic: r.Topic, Partition: r.Partition}
		m[tp] = max(m[tp], r.Offset+1)
	}
	return m
}

// committed returns the group's committed offsets as the broker has them,
// read with the oracle client.
func (e *env) committed(group string) map[kafka.TopicPartition]int64 {
	e.t.Helper()
	resps, err := e.adm.FetchOffsets(kadm.RequireStable(e.ctx), group)
	if err == nil {
		err = resps.Error()
	}
	if errors.Is(err, kerr.GroupIDNotFound) {
		// A group that never committed (a statically assigned librdkafka
		// consumer never joins) does not exist: nothing is committed.
		return map[kafka.TopicPartition]int64{}
	}
	if err != nil {
		e.t.Fatalf("FetchOffsets(%s): %v", group, err)
	}
	m := make(map[kafka.TopicPartition]int64)
	resps.Each(func(o kadm.OffsetResponse) {
		m[kafka.TopicPartition{Topic: o.Topic, Partition: o.Partition}] = o.At
	})
	return m
}

func tps(topic string, partitions ...int32) []kafka.TopicPartition {
	out := make([]kafka.TopicPartition, len(partitions))
	for i, p := range partitions {
		out[i] = kafka.TopicPartition{Topic: topic, Partition: p}
	}
	return out
}

// fill produces n records to each of the partitions of topic, valued
// "<topic>-<partition>-<i>", and returns them in order per partition.
func (e *env) fill(c kafka.Client, topic string, partitions int32, n int) map[kafka.TopicPartition][]string {
	e.t.Helper()
	var rs []kafka.Record
	want := make(map[kafka.TopicPartition][]string)
	for p := range partitions {
		for i := range n {
			v := fmt.Sprintf("%s-%d-%d", topic, p, i)
			rs = append(rs, rec(topic, p, v))
			tp := kafka.TopicPartition{Topic: topic, Partition: p}
			want[tp] = append(want[tp], v)
		}
	}
	e.produce(c, rs...)
	return want
}

// producer makes a plain (not transactional) producing client.
func (e *env) producer() kafka.Client {
	e.t.Helper()
	return e.client(kafka.Config{})
}
