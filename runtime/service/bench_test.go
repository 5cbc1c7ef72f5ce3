package service_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/service"
)

// BenchmarkLoop measures the exactly-once loop end to end on the embedded
// broker: CoffeeOrdered events in, decoded, dispatched to a handler that
// emits a BillCreated, encoded, produced, committed with the input offsets
// every batch. Compare with BenchmarkExactlyOnce in runtime/kafka/franz,
// the hand-written loop on the same client that only copies bytes.
func BenchmarkLoop(b *testing.B) {
	for _, batch := range []int{1, 100, 1000, 0} {
		name, opts := "batch="+strconv.Itoa(batch), []service.Option{service.Batch(batch, 100*time.Millisecond)}
		if batch == 0 {
			name, opts = "default", []service.Option{service.Batch(service.DefaultBatchSize, service.DefaultBatchInterval)}
		}
		b.Run(name, func(b *testing.B) {
			br := startBroker(b, 1)
			n := max(b.N, batch)
			produceOrders(b, br, 0, n)
			svc := newService(b, br, &cashRegister{}, 0, 1, opts...)
			b.ResetTimer()
			start := time.Now()
			r := run(b, svc)
			tp := kafka.TopicPartition{Topic: inTopic}
			for svc.Metrics().Committed[tp] < int64(n) {
				time.Sleep(time.Millisecond) // polling the benchmark's end condition
			}
			elapsed := time.Since(start)
			b.StopTimer()
			_ = r.stop()
			b.ReportMetric(float64(n)/elapsed.Seconds(), "records/s")
		})
	}
}
