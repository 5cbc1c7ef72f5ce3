package service_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
)

// BenchmarkLoop measures the exactly-once loop end to end on the embedded
// broker: CoffeeOrdered events in, decoded, dispatched to a handler that
// emits a BillCreated, encoded, produced, committed with the input offsets
// every batch. Start-up (group join, the first transaction) is not timed.
// Compare with BenchmarkExactlyOnce in runtime/kafka/franz,
// the hand-written loop on the same client that only copies bytes.
func BenchmarkLoop(b *testing.B) {
	for _, batch := range []int{1, 100, 1000, 0} {
		name, opts := "batch="+strconv.Itoa(batch), []service.Option{service.Batch(batch, 100*time.Millisecond)}
		if batch == 0 {
			name, opts = "default", []service.Option{service.Batch(service.DefaultBatchSize, service.DefaultBatchInterval)}
		}
		b.Run(name, func(b *testing.B) {
			br := startBroker(b, 1)
			warm := max(batch, 1) // the first transaction warms up: start-up and group join are not timed
			if batch == 0 {
				warm = service.DefaultBatchSize
			}
			total := b.N + warm
			produceOrders(b, br, 0, total)
			svc := newService(b, br, &servicetest.CashRegister{}, 0, 1, opts...)
			tp := kafka.TopicPartition{Topic: inTopic}
			r := servicetest.Run(b, svc)
			waitCommitted(svc, tp, int64(warm))
			b.ResetTimer()
			waitCommitted(svc, tp, int64(total))
			b.StopTimer()
			timed := float64(svc.Metrics().Committed[tp]) - float64(warm)
			_ = r.Stop()
			b.ReportMetric(timed/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// waitCommitted polls the benchmark's condition: the service has
// committed the input up to offset n.
func waitCommitted(svc *service.Service, tp kafka.TopicPartition, n int64) {
	for svc.Metrics().Committed[tp] < n {
		time.Sleep(200 * time.Microsecond)
	}
}
