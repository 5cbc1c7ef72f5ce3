package rdkafka_test

// Helpers of the tests that run runtime/service's processing loop on this
// transport (service.WithTransport(rdkafka.New)). The service under test
// (internal/servicetest's cash register) runs on librdkafka; inputs are
// written and outputs read back with franz-go, an independent client. The
// service package is imported as svc: this package already has a function
// named service (txn_test.go).

import (
	"log/slog"
	"testing"
	"time"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/internal/syncbuf"
	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/kafka/rdkafka"
	svc "github.com/tonga-go/tonga/runtime/service"
)

// startLoopBroker starts a broker with the orders and bills topics, of
// partitions partitions each.
func startLoopBroker(t testing.TB, partitions int) *broker.Broker {
	t.Helper()
	return startBroker(t, broker.Topic(servicetest.Orders, partitions, nil), broker.Topic(servicetest.Bills, partitions, nil))
}

// newLoopService returns instance of replicas of the cash register on
// librdkafka, handling with h, in batches of 100 records or 50 ms, with
// short retry backoffs; opts come last and override. Its log lines are
// shown if the test fails.
func newLoopService(t testing.TB, b *broker.Broker, h any, instance, replicas int, opts ...svc.Option) *svc.Service {
	t.Helper()
	reg := servicetest.Registry(t, h)
	logs := &syncbuf.Buffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log of %s-%d:\n%s", servicetest.Name, instance, logs.Tail(40))
		}
	})
	opts = append([]svc.Option{
		svc.WithTransport(rdkafka.New),
		svc.Brokers(b.Addrs()...),
		svc.Registry(reg),
		svc.Inputs(servicetest.Orders),
		svc.Instance(instance, replicas),
		svc.Batch(100, 50*time.Millisecond),
		svc.OnError(svc.ErrorPolicy{Retries: 2, Backoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}),
		svc.Logger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))),
	}, opts...)
	s, err := svc.New(servicetest.Name, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
