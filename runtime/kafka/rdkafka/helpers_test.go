package rdkafka_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
)

// testCtx bounds a test's waits: every wait is on a condition, and this
// is how long any of them may take on a loaded machine.
func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func startBroker(t testing.TB, opts ...broker.Option) *broker.Broker {
	t.Helper()
	b, err := broker.Start(testCtx(t), opts...)
	if err != nil {
		t.Fatalf("broker.Start: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func newClient(t testing.TB, b *broker.Broker, cfg kafka.Config) kafka.Client {
	t.Helper()
	if cfg.Brokers == nil {
		cfg.Brokers = b.Addrs()
	}
	cl, err := rdkafka.New(testCtx(t), cfg)
	if err != nil {
		t.Fatalf("rdkafka.New: %v", err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// produce sends values to topic[partition] and waits for them all to be
// acknowledged; inside a transaction when the client is transactional and
// txn is set.
func produce(ctx context.Context, t testing.TB, cl kafka.Client, topic string, partition int32, values ...string) {
	t.Helper()
	errs := make(chan error, len(values))
	for _, v := range values {
		cl.Produce(ctx, &kafka.Record{Topic: topic, Partition: partition, Value: []byte(v)}, func(_ *kafka.Record, err error) {
			errs <- err
		})
	}
	for range values {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatalf("produce to %s[%d]: %v", topic, partition, err)
			}
		case <-ctx.Done():
			t.Fatalf("produce to %s[%d]: %v", topic, partition, ctx.Err())
		}
	}
}

// consume polls until n records arrived.
func consume(ctx context.Context, t testing.TB, cl kafka.Client, n int) []kafka.Record {
	t.Helper()
	var got []kafka.Record
	for len(got) < n {
		rs, err := cl.Poll(ctx, n-len(got))
		if err != nil {
			t.Fatalf("Poll after %d of %d records: %v", len(got), n, err)
		}
		got = append(got, rs...)
	}
	if len(got) > n {
		t.Fatalf("Poll returned %d records, asked for %d", len(got), n)
	}
	return got
}

func values(rs []kafka.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r.Value)
	}
	return out
}

func valuesOf(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

func sortedValues(rs []kafka.Record) []string {
	v := values(rs)
	slices.Sort(v)
	return v
}

func newClientErr(t testing.TB, b *broker.Broker, cfg kafka.Config) (kafka.Client, error) {
	t.Helper()
	if cfg.Brokers == nil {
		cfg.Brokers = b.Addrs()
	}
	cl, err := rdkafka.New(testCtx(t), cfg)
	if err == nil {
		t.Cleanup(cl.Close)
	}
	return cl, err
}

func newClientErrCtx(ctx context.Context, t testing.TB, b *broker.Broker, cfg kafka.Config) (kafka.Client, error) {
	t.Helper()
	if cfg.Brokers == nil {
		cfg.Brokers = b.Addrs()
	}
	cl, err := rdkafka.New(ctx, cfg)
	if err == nil {
		t.Cleanup(cl.Close)
	}
	return cl, err
}
