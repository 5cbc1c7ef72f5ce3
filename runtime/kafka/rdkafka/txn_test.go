package rdkafka_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
)

var (
	in0  = kafka.TopicPartition{Topic: "in", Partition: 0}
	out0 = kafka.TopicPartition{Topic: "out", Partition: 0}
)

// service is a transactional client consuming in[0], as a Tonga service
// instance does under OnlyOwn.
func service(t *testing.T, b *broker.Broker, txid string) kafka.Client {
	t.Helper()
	return newClient(t, b, kafka.Config{
		Group: "svc", Topics: []string{"in"}, Policy: kafka.OnlyOwn, Instance: 0, Replicas: 1,
		TransactionalID: txid,
	})
}

// reader reads every partition of topic, read_committed, from the start.
func reader(t *testing.T, b *broker.Broker, topic string) kafka.Client {
	t.Helper()
	return newClient(t, b, kafka.Config{Group: "reader-" + topic, Topics: []string{topic}, Policy: kafka.All, Start: kafka.StartEarliest})
}

// transform produces "out-<value>" to out[0] for each record, in one
// transaction with the offset after the last record.
func transform(ctx context.Context, t *testing.T, c kafka.Client, recs []kafka.Record) {
	t.Helper()
	if err := c.BeginTransaction(); err != nil {
		t.Fatalf("BeginTransaction: %v", err)
	}
	vs := make([]string, len(recs))
	for i, r := range recs {
		vs[i] = "out-" + string(r.Value)
	}
	produce(ctx, t, c, "out", 0, vs...)
	last := recs[len(recs)-1]
	if err := c.CommitTransaction(ctx, map[kafka.TopicPartition]int64{{Topic: last.Topic, Partition: last.Partition}: last.Offset + 1}); err != nil {
		t.Fatalf("CommitTransaction: %v", err)
	}
}

func TestTransactionCommitsRecordsAndOffsets(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("in", 1, nil), broker.Topic("out", 1, nil))
	produce(ctx, t, newClient(t, b, kafka.Config{}), "in", 0, valuesOf("v", 10)...)

	c := service(t, b, "svc-0")
	transform(ctx, t, c, consume(ctx, t, c, 10))

	got, err := c.Committed(ctx, []kafka.TopicPartition{in0})
	if err != nil {
		t.Fatal(err)
	}
	if got[in0] != 10 {
		t.Errorf("Committed: %d, want 10", got[in0])
	}
	want := valuesOf("out-v", 10)
	if diff := cmp.Diff(want, values(consume(ctx, t, reader(t, b, "out"), 10))); diff != "" {
		t.Errorf("out (-want +got):\n%s", diff)
	}
	ends, err := c.Admin().EndOffsets(ctx, []kafka.TopicPartition{out0})
	if err != nil {
		t.Fatal(err)
	}
	if ends[out0] != 11 {
		t.Errorf("EndOffsets: %d, want 11 (10 records and the commit marker)", ends[out0])
	}
}

func TestTransactionWithOnlyOffsets(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("in", 1, nil))
	produce(ctx, t, newClient(t, b, kafka.Config{}), "in", 0, valuesOf("v", 5)...)
	c := service(t, b, "svc-0")
	consume(ctx, t, c, 3)
	if err := c.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	if err := c.CommitTransaction(ctx, map[kafka.TopicPartition]int64{in0: 3}); err != nil {
		t.Fatalf("CommitTransaction: %v", err)
	}
	got, err := c.Committed(ctx, []kafka.TopicPartition{in0})
	if err != nil {
		t.Fatal(err)
	}
	if got[in0] != 3 {
		t.Errorf("Committed: %d, want 3", got[in0])
	}
	// A new instance resumes there.
	c.Close()
	c2 := service(t, b, "svc-0")
	if diff := cmp.Diff([]string{"v3", "v4"}, values(consume(ctx, t, c2, 2))); diff != "" {
		t.Errorf("resumed (-want +got):\n%s", diff)
	}
}

func TestAbortThenRewind(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("in", 1, nil), broker.Topic("out", 1, nil))
	produce(ctx, t, newClient(t, b, kafka.Config{}), "in", 0, valuesOf("v", 6)...)
	c := service(t, b, "svc-0")

	// Before any commit, Rewind goes back to the start.
	consume(ctx, t, c, 2)
	if err := c.Rewind(ctx); err != nil {
		t.Fatalf("Rewind: %v", err)
	}
	transform(ctx, t, c, consume(ctx, t, c, 3))

	second := consume(ctx, t, c, 3)
	if err := c.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, c, "out", 0, "aborted")
	if err := c.AbortTransaction(ctx); err != nil {
		t.Fatalf("AbortTransaction: %v", err)
	}
	if err := c.Rewind(ctx); err != nil {
		t.Fatalf("Rewind: %v", err)
	}
	again := consume(ctx, t, c, 3)
	if diff := cmp.Diff(second, again); diff != "" {
		t.Errorf("after Rewind (-before +after):\n%s", diff)
	}
	transform(ctx, t, c, again)

	want := valuesOf("out-v", 6)
	if diff := cmp.Diff(want, values(consume(ctx, t, reader(t, b, "out"), 6))); diff != "" {
		t.Errorf("out (-want +got):\n%s", diff)
	}
}

func TestSecondInstanceFencesTheFirst(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("in", 1, nil), broker.Topic("out", 1, nil))
	old := service(t, b, "svc-0")
	if err := old.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, old, "out", 0, "old")

	_ = service(t, b, "svc-0")

	err := old.CommitTransaction(ctx, map[kafka.TopicPartition]int64{in0: 1})
	if !errors.Is(err, kafka.ErrFenced) {
		t.Fatalf("CommitTransaction of the fenced instance: %v, want ErrFenced", err)
	}
	var ke *kafka.Error
	if !errors.As(err, &ke) || ke.Op == "" {
		t.Errorf("error %v is not a *kafka.Error with an Op", err)
	}
	t.Log(err)
	if err := old.BeginTransaction(); !errors.Is(err, kafka.ErrFenced) {
		t.Errorf("BeginTransaction after fencing: %v, want ErrFenced", err)
	}
}

func TestEndOffsetsStopAtAnOpenTransaction(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("out", 1, nil))
	plain := newClient(t, b, kafka.Config{})
	produce(ctx, t, plain, "out", 0, "a", "b")
	txn := newClient(t, b, kafka.Config{TransactionalID: "w"})
	if err := txn.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	produce(ctx, t, txn, "out", 0, "c", "d")
	ends, err := plain.Admin().EndOffsets(ctx, []kafka.TopicPartition{out0})
	if err != nil {
		t.Fatal(err)
	}
	if ends[out0] != 2 {
		t.Errorf("EndOffsets with a transaction open: %d, want 2 (the last stable offset)", ends[out0])
	}
	if err := txn.CommitTransaction(ctx, nil); err != nil {
		t.Fatal(err)
	}
	ends, err = plain.Admin().EndOffsets(ctx, []kafka.TopicPartition{out0})
	if err != nil {
		t.Fatal(err)
	}
	if ends[out0] != 5 {
		t.Errorf("EndOffsets after the commit: %d, want 5 (4 records and the marker)", ends[out0])
	}
	starts, err := plain.Admin().StartOffsets(ctx, []kafka.TopicPartition{out0})
	if err != nil {
		t.Fatal(err)
	}
	if starts[out0] != 0 {
		t.Errorf("StartOffsets: %d, want 0", starts[out0])
	}
}
