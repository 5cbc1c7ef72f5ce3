package rdkafka_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
)

func TestOnlyOwnConsumesItsPartition(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("in", 3, nil))
	p := newClient(t, b, kafka.Config{})
	for part := range int32(3) {
		produce(ctx, t, p, "in", part, valuesOf(string(rune('a'+part)), 5)...)
	}
	start := time.Now()
	c := newClient(t, b, kafka.Config{Group: "g", Topics: []string{"in"}, Policy: kafka.OnlyOwn, Instance: 1, Replicas: 3})
	if diff := cmp.Diff([]kafka.TopicPartition{{Topic: "in", Partition: 1}}, c.Assigned()); diff != "" {
		t.Errorf("Assigned (-want +got):\n%s", diff)
	}
	got := consume(ctx, t, c, 5)
	t.Logf("New to 5 records: %v", time.Since(start))
	if diff := cmp.Diff(valuesOf("b", 5), values(got)); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	for i, r := range got {
		if r.Topic != "in" || r.Partition != 1 || r.Offset != int64(i) {
			t.Errorf("record %d at %s[%d]@%d, want in[1]@%d", i, r.Topic, r.Partition, r.Offset, i)
		}
	}
}

func TestOnlyOwnPartitionCountMismatch(t *testing.T) {
	b := startBroker(t, broker.Topic("in", 3, nil))
	_, err := newClientErr(t, b, kafka.Config{Group: "g", Topics: []string{"in"}, Policy: kafka.OnlyOwn, Instance: 0, Replicas: 2})
	if err == nil || !errors.Is(err, kafka.ErrFatal) {
		t.Fatalf("New: %v, want an ErrFatal naming 3 partitions and 2 replicas", err)
	}
	t.Log(err)
}

func TestAllConsumesEveryPartition(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("x", 2, nil), broker.Topic("y", 3, nil))
	p := newClient(t, b, kafka.Config{})
	var want []string
	for _, topic := range []string{"x", "y"} {
		n, err := p.Admin().Partitions(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		for part := range int32(n) {
			vs := valuesOf(topic+string(rune('0'+part))+"-", 3)
			produce(ctx, t, p, topic, part, vs...)
			want = append(want, vs...)
		}
	}
	slices.Sort(want)
	c := newClient(t, b, kafka.Config{Group: "g", Topics: []string{"y", "x"}, Policy: kafka.All})
	if got := len(c.Assigned()); got != 5 {
		t.Errorf("Assigned: %d partitions, want 5: %v", got, c.Assigned())
	}
	if diff := cmp.Diff(want, sortedValues(consume(ctx, t, c, len(want)))); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
}

func TestProduceReportsOffsetAndTimestamp(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("t", 2, nil))
	p := newClient(t, b, kafka.Config{})
	produce(ctx, t, p, "t", 1, "first")
	r := &kafka.Record{Topic: "t", Partition: 1, Value: []byte("second")}
	acked := make(chan *kafka.Record, 1)
	p.Produce(ctx, r, func(r *kafka.Record, err error) {
		if err != nil {
			t.Error(err)
		}
		acked <- r
	})
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	got := <-acked
	c := newClient(t, b, kafka.Config{Group: "g", Topics: []string{"t"}, Policy: kafka.All})
	consumed := consume(ctx, t, c, 2)[1]
	if got.Offset != 1 || consumed.Offset != 1 || !got.Timestamp.Equal(consumed.Timestamp) {
		t.Errorf("acknowledged at %d, %v; consumed at %d, %v", got.Offset, got.Timestamp, consumed.Offset, consumed.Timestamp)
	}
}

func TestProduceRefusesWhatItCannotSend(t *testing.T) {
	ctx := testCtx(t)
	b := startBroker(t, broker.Topic("t", 1, nil))
	p := newClient(t, b, kafka.Config{})
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tt := range []struct {
		name string
		ctx  context.Context
		r    kafka.Record
		want error
	}{
		{"no partition", ctx, kafka.Record{Topic: "t", Partition: -1}, nil},
		{"bad topic", ctx, kafka.Record{Topic: "a/b"}, nil},
		{"cancelled", cancelled, kafka.Record{Topic: "t"}, context.Canceled},
	} {
		errs := make(chan error, 2)
		p.Produce(tt.ctx, &tt.r, func(_ *kafka.Record, err error) { errs <- err })
		if err := p.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		err := <-errs
		var ke *kafka.Error
		if !errors.As(err, &ke) || ke.Topic != tt.r.Topic || tt.want != nil && !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want a *kafka.Error about %q matching %v", tt.name, err, tt.r.Topic, tt.want)
		}
		if errors.Is(err, kafka.ErrFatal) {
			t.Errorf("%s: %v is fatal; the client can go on", tt.name, err)
		}
		if len(errs) != 0 {
			t.Errorf("%s: done called twice", tt.name)
		}
	}
}
