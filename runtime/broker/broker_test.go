package broker_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/tonga-go/tonga/runtime/broker"
)

// testCtx bounds a test's waits: every wait in these tests is on a
// condition, and this is how long any of them may take.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func start(t *testing.T, opts ...broker.Option) *broker.Broker {
	t.Helper()
	b, err := broker.Start(testCtx(t), opts...)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func newClient(t *testing.T, b *broker.Broker, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(b.Addrs()...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// consume polls until n records arrived, failing the test on a fetch error
// or when ctx ends first.
func consume(ctx context.Context, t *testing.T, cl *kgo.Client, n int) []*kgo.Record {
	t.Helper()
	var got []*kgo.Record
	for len(got) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("got %d of %d records: %v", len(got), n, ctx.Err())
		}
		if errs := fs.Errors(); len(errs) > 0 {
			t.Fatalf("fetch: %v", errs)
		}
		got = append(got, fs.Records()...)
	}
	return got
}

func values(rs []*kgo.Record) []string {
	var vs []string
	for _, r := range rs {
		vs = append(vs, string(r.Value))
	}
	return vs
}

func produce(ctx context.Context, t *testing.T, cl *kgo.Client, topic string, vs ...string) {
	t.Helper()
	for _, v := range vs {
		r := &kgo.Record{Topic: topic, Key: []byte(v), Value: []byte(v)}
		if err := cl.ProduceSync(ctx, r).FirstErr(); err != nil {
			t.Fatalf("produce %q: %v", v, err)
		}
	}
}

func TestTopicsPartitionsAndConfigs(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	b := start(t,
		broker.Topic("events", 3, nil),
		broker.Topic("store-changelog", 1, map[string]string{"cleanup.policy": "compact"}),
	)
	if addrs := b.Addrs(); len(addrs) != 1 {
		t.Fatalf("Addrs() = %v, want one address", addrs)
	}
	adm := kadm.NewClient(newClient(t, b))
	if err := b.CreateTopic(ctx, "later", 2, map[string]string{"retention.ms": "60000"}); err != nil {
		t.Fatal(err)
	}
	checkPartitions(ctx, t, adm, map[string]int{"events": 3, "store-changelog": 1, "later": 2})

	want := map[string]map[string]string{
		"events":          {"cleanup.policy": "delete"},
		"store-changelog": {"cleanup.policy": "compact"},
		"later":           {"cleanup.policy": "delete", "retention.ms": "60000"},
	}
	rcs, err := adm.DescribeTopicConfigs(ctx, "events", "store-changelog", "later")
	if err != nil {
		t.Fatal(err)
	}
	for _, rc := range rcs {
		if rc.Err != nil {
			t.Fatalf("%s: %v", rc.Name, rc.Err)
		}
		for _, c := range rc.Configs {
			if w, ok := want[rc.Name][c.Key]; ok {
				if c.MaybeValue() != w {
					t.Errorf("%s: %s = %q, want %q", rc.Name, c.Key, c.MaybeValue(), w)
				}
				delete(want[rc.Name], c.Key)
			}
		}
		if len(want[rc.Name]) > 0 {
			t.Errorf("%s: configs %v not described", rc.Name, want[rc.Name])
		}
	}

	// CreateTopic is idempotent on the partition count, and an error on
	// another count or a bad name.
	if err := b.CreateTopic(ctx, "events", 3, nil); err != nil {
		t.Errorf("CreateTopic of an existing topic, same count: %v", err)
	}
	if err := b.CreateTopic(ctx, "events", 4, nil); !errors.Is(err, broker.ErrTopicConflict) {
		t.Errorf("CreateTopic of an existing topic, other count: %v, want ErrTopicConflict", err)
	}
	for _, bad := range []struct {
		name string
		n    int
	}{{"", 1}, {"a/b", 1}, {"ok", 0}, {"..", 1}} {
		if err := b.CreateTopic(ctx, bad.name, bad.n, nil); !errors.Is(err, broker.ErrInvalidOption) {
			t.Errorf("CreateTopic(%q, %d) = %v, want ErrInvalidOption", bad.name, bad.n, err)
		}
	}
}

func checkPartitions(ctx context.Context, t *testing.T, adm *kadm.Client, want map[string]int) {
	t.Helper()
	topics, err := adm.ListTopics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, n := range want {
		td, ok := topics[name]
		if !ok || td.Err != nil || len(td.Partitions) != n {
			t.Errorf("topic %s: %d partitions (present %v, err %v), want %d", name, len(td.Partitions), ok, td.Err, n)
		}
	}
}

func TestProduceConsume(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	b := start(t, broker.Topic("events", 3, nil))
	produce(ctx, t, newClient(t, b), "events", "a", "b", "c", "d", "e", "f")
	cl := newClient(t, b, kgo.ConsumeTopics("events"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	got := values(consume(ctx, t, cl, 6))
	slices.Sort(got)
	if want := []string{"a", "b", "c", "d", "e", "f"}; !slices.Equal(got, want) {
		t.Errorf("consumed %v, want %v", got, want)
	}
}

// txn runs one transaction producing vs to topic and ends it with end.
func txn(ctx context.Context, t *testing.T, cl *kgo.Client, topic string, end kgo.TransactionEndTry, vs ...string) {
	t.Helper()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, cl, topic, vs...)
	if err := cl.EndTransaction(ctx, end); err != nil {
		t.Fatalf("EndTransaction(%v): %v", end, err)
	}
}

func TestTransactionsReadCommitted(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	b := start(t, broker.Topic("out", 1, nil))
	p := newClient(t, b, kgo.TransactionalID("svc-0"))
	txn(ctx, t, p, "out", kgo.TryCommit, "c1", "c2", "c3")
	txn(ctx, t, p, "out", kgo.TryAbort, "a1", "a2", "a3")
	txn(ctx, t, p, "out", kgo.TryCommit, "c4", "c5")

	at := kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())
	committed := newClient(t, b, kgo.ConsumeTopics("out"), at, kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if got, want := values(consume(ctx, t, committed, 5)), []string{"c1", "c2", "c3", "c4", "c5"}; !slices.Equal(got, want) {
		t.Errorf("read_committed consumed %v, want %v", got, want)
	}
	// The aborted records are in the log all the same.
	uncommitted := newClient(t, b, kgo.ConsumeTopics("out"), at, kgo.FetchIsolationLevel(kgo.ReadUncommitted()))
	if got := values(consume(ctx, t, uncommitted, 8)); !slices.Contains(got, "a2") {
		t.Errorf("read_uncommitted consumed %v, want the aborted records too", got)
	}
}

// TestFencing checks that a second producer with the same transactional id
// fences the first, whose open transaction is aborted.
func TestFencing(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	b := start(t, broker.Topic("out", 1, nil))
	old := newClient(t, b, kgo.TransactionalID("svc-0"))
	if err := old.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, old, "out", "old")

	p := newClient(t, b, kgo.TransactionalID("svc-0"))
	txn(ctx, t, p, "out", kgo.TryCommit, "new")

	err := old.EndTransaction(ctx, kgo.TryCommit)
	if !errors.Is(err, kerr.ProducerFenced) && !errors.Is(err, kerr.InvalidProducerEpoch) {
		t.Errorf("commit by the fenced producer: %v, want PRODUCER_FENCED or INVALID_PRODUCER_EPOCH", err)
	}
	cl := newClient(t, b, kgo.ConsumeTopics("out"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if got := values(consume(ctx, t, cl, 1)); !slices.Equal(got, []string{"new"}) {
		t.Errorf("read_committed consumed %v, want [new]", got)
	}
}

// TestConsumeTransformProduce runs franz-go's exactly-once loop (a group
// transact session: outputs and input offsets in one transaction) and
// checks outputs and committed offsets.
func TestConsumeTransformProduce(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	b := start(t, broker.Topic("in", 2, nil), broker.Topic("out", 2, nil))
	in := []string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}
	produce(ctx, t, newClient(t, b), "in", in...)

	s, err := kgo.NewGroupTransactSession(kgo.SeedBrokers(b.Addrs()...), kgo.TransactionalID("svc-0"),
		kgo.ConsumerGroup("svc"), kgo.ConsumeTopics("in"), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.DefaultProduceTopic("out"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for done := 0; done < len(in); {
		fs := s.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("transformed %d of %d: %v", done, len(in), ctx.Err())
		}
		if err := s.Begin(); err != nil {
			t.Fatal(err)
		}
		rs := fs.Records()
		for _, r := range rs {
			out := &kgo.Record{Key: r.Key, Value: append([]byte("out-"), r.Value...)}
			if err := s.ProduceSync(ctx, out).FirstErr(); err != nil {
				t.Fatal(err)
			}
		}
		committed, err := s.End(ctx, kgo.TryCommit)
		if err != nil {
			t.Fatal(err)
		}
		if committed {
			done += len(rs)
		}
	}

	cl := newClient(t, b, kgo.ConsumeTopics("out"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	got := values(consume(ctx, t, cl, len(in)))
	slices.Sort(got)
	if len(got) != len(in) || got[0] != "out-r0" || got[len(in)-1] != "out-r7" {
		t.Errorf("outputs %v", got)
	}
	offsets, err := kadm.NewClient(cl).FetchOffsets(ctx, "svc")
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	offsets.Each(func(o kadm.OffsetResponse) { sum += o.At })
	if sum != int64(len(in)) {
		t.Errorf("committed offsets sum to %d, want %d", sum, len(in))
	}
}

func TestRestartWithDataDir(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	dir := t.TempDir()
	compact := map[string]string{"cleanup.policy": "compact"}

	b, err := broker.Start(ctx, broker.DataDir(dir), broker.Topic("log", 2, compact))
	if err != nil {
		t.Fatal(err)
	}
	cl := newClient(t, b)
	produce(ctx, t, cl, "log", "a", "b", "c", "d", "e")
	p := newClient(t, b, kgo.TransactionalID("svc-0"))
	txn(ctx, t, p, "log", kgo.TryAbort, "aborted")
	var offs kadm.Offsets
	offs.AddOffset("log", 0, 1, -1)
	if _, err := kadm.NewClient(cl).CommitOffsets(ctx, "g", offs); err != nil {
		t.Fatal(err)
	}
	cl.Close()
	p.Close()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b = start(t, broker.DataDir(dir), broker.Topic("log", 2, compact))
	cl = newClient(t, b, kgo.ConsumeTopics("log"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	got := values(consume(ctx, t, cl, 5))
	slices.Sort(got)
	if want := []string{"a", "b", "c", "d", "e"}; !slices.Equal(got, want) {
		t.Errorf("after restart consumed %v, want %v", got, want)
	}
	adm := kadm.NewClient(cl)
	checkPartitions(ctx, t, adm, map[string]int{"log": 2})
	rcs, err := adm.DescribeTopicConfigs(ctx, "log")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := rcs.On("log", nil); err != nil || !slices.ContainsFunc(c.Configs, func(c kadm.Config) bool {
		return c.Key == "cleanup.policy" && c.MaybeValue() == "compact"
	}) {
		t.Errorf("after restart, log configs %v (%v), want cleanup.policy=compact", c.Configs, err)
	}
	offsets, err := adm.FetchOffsets(ctx, "g")
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := offsets.Lookup("log", 0); !ok || o.At != 1 {
		t.Errorf("after restart, committed offset %+v (found %v), want 1", o, ok)
	}
	cl.Close()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	// A restored topic with another partition count than asked fails Start.
	_, err = broker.Start(ctx, broker.DataDir(dir), broker.Topic("log", 3, nil))
	if !errors.Is(err, broker.ErrTopicConflict) {
		t.Errorf("Start with a conflicting topic: %v, want ErrTopicConflict", err)
	}
}

func TestSASLAndACLs(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	b := start(t,
		broker.SASL(broker.ScramSHA256, "admin", "admin-secret"),
		broker.User(broker.ScramSHA512, "alice", "alice-secret"),
		broker.ACLs(),
		broker.Topic("t", 1, nil),
	)
	wrong := newClient(t, b, kgo.SASL(scram.Auth{User: "admin", Pass: "nope"}.AsSha256Mechanism()))
	if err := wrong.Ping(ctx); err == nil {
		t.Error("Ping with a wrong password succeeded")
	}

	alice := scram.Auth{User: "alice", Pass: "alice-secret"}.AsSha512Mechanism()
	denied := newClient(t, b, kgo.SASL(alice), kgo.DefaultProduceTopic("t"))
	err := denied.ProduceSync(ctx, kgo.StringRecord("x")).FirstErr()
	if !errors.Is(err, kerr.TopicAuthorizationFailed) && !errors.Is(err, kerr.ClusterAuthorizationFailed) {
		t.Errorf("produce without ACLs: %v, want an authorization error", err)
	}

	admin := newClient(t, b, kgo.SASL(scram.Auth{User: "admin", Pass: "admin-secret"}.AsSha256Mechanism()))
	acl := kadm.NewACLs().Allow("User:alice").AllowHosts("*").Topics("t").
		Operations(kadm.OpWrite, kadm.OpDescribe).ResourcePatternType(kadm.ACLPatternLiteral)
	results, err := kadm.NewClient(admin).CreateACLs(ctx, acl)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("CreateACLs: %v", r.Err)
		}
	}
	allowed := newClient(t, b, kgo.SASL(alice), kgo.DefaultProduceTopic("t"))
	if err := allowed.ProduceSync(ctx, kgo.StringRecord("x")).FirstErr(); err != nil {
		t.Errorf("produce with a Write ACL: %v", err)
	}
}

// TestFaultInjection reaches kfake through Cluster: a produce answered once
// with a retriable error is retried by the client (after a metadata refresh,
// hence the short MetadataMinAge).
func TestFaultInjection(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	b := start(t, broker.Topic("t", 1, nil))
	h := b.Cluster().Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Err: kerr.NotEnoughReplicas})
	produce(ctx, t, newClient(t, b, kgo.MetadataMinAge(10*time.Millisecond)), "t", "x")
	if n := h.Hits(); n != 1 {
		t.Errorf("fault hit %d times, want 1", n)
	}
}

func TestCloseIdempotent(t *testing.T) {
	t.Parallel()
	b, err := broker.Start(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if err := b.Close(); err != nil {
			t.Errorf("Close #%d: %v", i+1, err)
		}
	}
}

func TestStartErrors(t *testing.T) {
	t.Parallel()
	invalid := []struct {
		name string
		opts []broker.Option
	}{
		{"no port", []broker.Option{broker.Listen("127.0.0.1")}},
		{"port too big", []broker.Option{broker.Listen("127.0.0.1:70000")}},
		{"unspecified host", []broker.Option{broker.Listen("0.0.0.0:0")}},
		{"empty host", []broker.Option{broker.Listen(":0")}},
		{"empty topic name", []broker.Option{broker.Topic("", 1, nil)}},
		{"bad topic name", []broker.Option{broker.Topic("a b", 1, nil)}},
		{"no partitions", []broker.Option{broker.Topic("t", 0, nil)}},
		{"topic twice", []broker.Option{broker.Topic("t", 1, nil), broker.Topic("t", 2, nil)}},
		{"SASL mechanism", []broker.Option{broker.SASL("MD5", "u", "p")}},
		{"SASL empty user", []broker.Option{broker.SASL(broker.Plain, "", "p")}},
		{"User without SASL", []broker.Option{broker.User(broker.ScramSHA256, "u", "p")}},
		{"ACLs without SASL", []broker.Option{broker.ACLs()}},
	}
	for _, tt := range invalid {
		if b, err := broker.Start(testCtx(t), tt.opts...); !errors.Is(err, broker.ErrInvalidOption) {
			t.Errorf("%s: Start = %v, want ErrInvalidOption", tt.name, err)
			if b != nil {
				_ = b.Close()
			}
		}
	}

	// Failures to run are errors too, but not ErrInvalidOption.
	busy := start(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	failing := []struct {
		name string
		ctx  context.Context
		opts []broker.Option
	}{
		{"port in use", testCtx(t), []broker.Option{broker.Listen(busy.Addrs()[0])}},
		{"data dir is a file", testCtx(t), []broker.Option{broker.DataDir(file)}},
		{"cancelled context", cancelled, []broker.Option{broker.Topic("t", 1, nil)}},
	}
	for _, tt := range failing {
		b, err := broker.Start(tt.ctx, tt.opts...)
		if err == nil || errors.Is(err, broker.ErrInvalidOption) {
			t.Errorf("%s: Start = %v, want a non-option error", tt.name, err)
		}
		if b != nil {
			_ = b.Close()
		}
	}
}

func ExampleStart() {
	ctx := context.Background()
	b, err := broker.Start(ctx,
		broker.Topic("orders", 3, nil),
		broker.Topic("orders-store", 1, map[string]string{"cleanup.policy": "compact"}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer func() { _ = b.Close() }()

	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cl.Close()
	topics, err := kadm.NewClient(cl).ListTopics(ctx, "orders", "orders-store")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range topics.Names() {
		fmt.Println(name, len(topics[name].Partitions))
	}
	// Output:
	// orders 3
	// orders-store 1
}
