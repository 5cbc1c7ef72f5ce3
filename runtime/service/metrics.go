package service

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
)

type metrics struct {
	recordsIn, recordsOut                atomic.Int64
	committed, aborted                   atomic.Int64
	handlerErrors, deadLettered, skipped atomic.Int64
	ignored                              atomic.Int64

	mu        sync.Mutex
	positions map[kafka.TopicPartition]int64 // next offset to consume, as committed
	lag       map[kafka.TopicPartition]int64
	lagAt     time.Time
}

func (m *metrics) notePositions(offsets map[kafka.TopicPartition]int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.positions == nil {
		m.positions = map[kafka.TopicPartition]int64{}
	}
	maps.Copy(m.positions, offsets)
}

// Metrics is a snapshot of a service's counters.
type Metrics struct {
	RecordsIn             int64 // input records handled (each once per attempt of its batch)
	RecordsOut            int64 // records produced and acknowledged, those of aborted batches included
	TransactionsCommitted int64 // batches committed
	TransactionsAborted   int64
	HandlerErrors         int64 // failed handler calls, retries included
	DeadLettered          int64
	Skipped               int64 // failed records skipped by policy
	Ignored               int64 // records of a type without a handler
	// Lag is, per assigned partition, how many offsets the committed
	// position is behind the partition's end, as last measured.
	Lag map[kafka.TopicPartition]int64
	// Committed is, per input partition, the offset committed last.
	Committed map[kafka.TopicPartition]int64
}

// Metrics returns the service's counters.
func (s *Service) Metrics() Metrics {
	m := &s.metrics
	out := Metrics{
		RecordsIn: m.recordsIn.Load(), RecordsOut: m.recordsOut.Load(),
		TransactionsCommitted: m.committed.Load(), TransactionsAborted: m.aborted.Load(),
		HandlerErrors: m.handlerErrors.Load(), DeadLettered: m.deadLettered.Load(),
		Skipped: m.skipped.Load(), Ignored: m.ignored.Load(),
	}
	m.mu.Lock()
	out.Lag, out.Committed = maps.Clone(m.lag), maps.Clone(m.positions)
	m.mu.Unlock()
	return out
}

// lagInterval is how often the loop measures lag.
const lagInterval = 5 * time.Second

// maybeReportLag measures the lag of the assigned partitions at most every
// lagInterval.
func (s *Service) maybeReportLag(ctx context.Context, client kafka.Client) {
	m := &s.metrics
	m.mu.Lock()
	due := time.Since(m.lagAt) >= lagInterval
	if due {
		m.lagAt = time.Now()
	}
	m.mu.Unlock()
	if !due {
		return
	}
	tps := client.Assigned()
	ends, err := client.Admin().EndOffsets(ctx, tps)
	if err != nil {
		s.log.Debug("lag not measured", "err", err)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	lag := make(map[kafka.TopicPartition]int64, len(tps))
	for _, tp := range tps {
		pos, ok := m.positions[tp]
		if !ok {
			pos = 0
		}
		lag[tp] = max(0, ends[tp]-pos)
	}
	m.lag = lag
}

// Handler serves /metrics in the Prometheus text format, /healthz (200
// while Run runs), /readyz (200 once processing: every participant, such as
// a store, has started) and the routes mounted with Route.
func (s *Service) Handler() http.Handler { return s.mux }

// newMux builds Handler's mux; a Route that clashes with another is an
// error, not the panic http.ServeMux makes of it.
func (s *Service) newMux() (mux *http.ServeMux, err error) {
	mux = http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.running.Load() {
			http.Error(w, "not running", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if !s.Ready() {
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_, _ = w.Write([]byte(s.prometheus()))
	})
	for _, r := range s.cfg.routes {
		if err := handle(mux, r.pattern, r.h); err != nil {
			return nil, fmt.Errorf("service %q: route %q: %w", s.cfg.name, r.pattern, err)
		}
	}
	return mux, nil
}

func handle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

func (s *Service) prometheus() string {
	m := s.Metrics()
	labels := fmt.Sprintf(`service=%q,instance="%d"`, s.cfg.name, s.cfg.instance)
	var b strings.Builder
	counter := func(name, help string, v int64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n%s{%s} %d\n", name, help, name, name, labels, v)
	}
	counter("tonga_records_in_total", "Input records handled.", m.RecordsIn)
	counter("tonga_records_out_total", "Records produced and acknowledged.", m.RecordsOut)
	counter("tonga_transactions_committed_total", "Batches committed.", m.TransactionsCommitted)
	counter("tonga_transactions_aborted_total", "Batches aborted.", m.TransactionsAborted)
	counter("tonga_handler_errors_total", "Failed handler calls, retries included.", m.HandlerErrors)
	counter("tonga_dead_lettered_total", "Records sent to a dead-letter topic.", m.DeadLettered)
	counter("tonga_skipped_total", "Failed records skipped by policy.", m.Skipped)
	counter("tonga_ignored_total", "Records of a type without a handler.", m.Ignored)
	fmt.Fprintf(&b, "# HELP tonga_lag Offsets between the committed position and the end of a partition.\n# TYPE tonga_lag gauge\n")
	tps := slices.SortedFunc(maps.Keys(m.Lag), func(a, b kafka.TopicPartition) int {
		if c := strings.Compare(a.Topic, b.Topic); c != 0 {
			return c
		}
		return int(a.Partition - b.Partition)
	})
	for _, tp := range tps {
		fmt.Fprintf(&b, "tonga_lag{%s,topic=%q,partition=\"%d\"} %d\n", labels, tp.Topic, tp.Partition, m.Lag[tp])
	}
	return b.String()
}
