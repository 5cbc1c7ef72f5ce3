package rdkafka_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/tonga-go/tonga/internal/servicetest"
	"github.com/tonga-go/tonga/runtime/kafka"
	svc "github.com/tonga-go/tonga/runtime/service"
)

// BenchmarkServiceLoop measures runtime/service's exactly-once loop on
// librdkafka end to end, as runtime/service's BenchmarkLoop does on
// franz-go: CoffeeOrdered events in, decoded, dispatched to a handler
// that emits a BillCreated, encoded, produced, committed with the input
// offsets every batch. Start-up and the first transaction are not timed.
// Compare batch=N with BenchmarkExactlyOnceRaw's perTxn=N, the loop
// written by hand on confluent-kafka-go that only copies bytes: the ratio
// is what the framework costs.
func BenchmarkServiceLoop(b *testing.B) {
	for _, batch := range []int{1, 100, 1000, 0} {
		name, size, every := "batch="+strconv.Itoa(batch), batch, 100*time.Millisecond
		if batch == 0 {
			name, size, every = "default", svc.DefaultBatchSize, svc.DefaultBatchInterval
		}
		b.Run(name, func(b *testing.B) {
			br := startLoopBroker(b, 1)
			warm := size // the first transaction, with start-up, is not timed
			total := b.N + warm
			servicetest.ProduceOrders(b, br, servicetest.NewOrders(0, total, 0))
			s := newLoopService(b, br, &servicetest.CashRegister{}, 0, 1, svc.Batch(size, every))
			tp := kafka.TopicPartition{Topic: servicetest.Orders}
			r := servicetest.Run(b, s)
			waitCommitted(b, s, tp, int64(warm))
			b.ResetTimer()
			waitCommitted(b, s, tp, int64(total))
			b.StopTimer()
			if err := r.Stop(); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}

// waitCommitted polls the benchmark's condition, finely so as not to add
// to what it measures: the service has committed the input up to offset
// n. It fails after servicetest.WaitLimit without progress.
func waitCommitted(b *testing.B, s *svc.Service, tp kafka.TopicPartition, n int64) {
	b.Helper()
	last, since := int64(-1), time.Now()
	for {
		c := s.Metrics().Committed[tp]
		switch {
		case c >= n:
			return
		case c != last:
			last, since = c, time.Now()
		case time.Since(since) > servicetest.WaitLimit:
			b.Fatalf("committed %d of %d, no progress for %v", c, n, servicetest.WaitLimit)
		}
		time.Sleep(200 * time.Microsecond)
	}
}
