package loop_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tonga-go/tonga/runtime/broker"
	"github.com/tonga-go/tonga/runtime/service"
)

// The topics every implementation reads and writes: one partition each,
// which the framework consumes as instance 0 of 1 (only_own), the
// hand-written franz-go loop as the one member of its group and the
// hand-written librdkafka loop by static assignment.
const (
	inTopic  = "orders"
	outTopic = "bills"
	group    = "bench"
)

// waitLimit bounds every wait on a condition: how long one may take
// without progress on a loaded machine.
const waitLimit = 60 * time.Second

type guarantee string

const (
	exactlyOnce guarantee = "exactly-once"
	atLeastOnce guarantee = "at-least-once"
)

// A benchCase is one row of the comparison: a transport, a guarantee and
// a batch size (0 is the framework's default, DefaultBatchSize records or
// DefaultBatchInterval).
type benchCase struct {
	transport string // "franz" or "rdkafka"
	guarantee guarantee
	batch     int
}

func (c benchCase) name() string {
	batch := "default"
	if c.batch > 0 {
		batch = strconv.Itoa(c.batch)
	}
	return fmt.Sprintf("transport=%s/guarantee=%s/batch=%s", c.transport, c.guarantee, batch)
}

// size is the number of records per transaction.
func (c benchCase) size() int {
	if c.batch == 0 {
		return service.DefaultBatchSize
	}
	return c.batch
}

// cases are the benchmark's rows: exactly-once on both transports at 1,
// 100 and 1000 records per transaction and the default, and at-least-once
// on librdkafka at the default.
func cases() []benchCase {
	var cs []benchCase
	for _, t := range []string{"franz", "rdkafka"} {
		for _, n := range []int{1, 100, 1000, 0} {
			cs = append(cs, benchCase{transport: t, guarantee: exactlyOnce, batch: n})
		}
	}
	return append(cs, benchCase{transport: "rdkafka", guarantee: atLeastOnce})
}

// A setup is what an implementation is started with.
type setup struct {
	brokers   []string
	guarantee guarantee
	// batch records per transaction (or offset commit), or fewer when
	// interval passes first.
	batch    int
	interval time.Duration
	// defaults starts the framework with its defaults (no Batch option),
	// which batch and interval then equal.
	defaults bool
}

// An impl is one implementation of the loop.
type impl struct {
	name  string
	start func(ctx context.Context, s setup) (*running, error)
}

// impls returns the implementations compared in c.
func (c benchCase) impls() []impl {
	hand := impl{"hand-written", startFranzLoop}
	switch {
	case c.transport == "rdkafka" && c.guarantee == atLeastOnce:
		hand.start = startRdkafkaAtLeastOnce
	case c.transport == "rdkafka":
		hand.start = startRdkafkaLoop
	}
	return []impl{{"tongagen", startService(c.transport)}, hand}
}

// running is a loop running on its own goroutine.
type running struct {
	cancel context.CancelFunc
	done   chan struct{}
	err    error // set before done is closed
	// committed returns the next input offset committed; hand-written
	// loops keep it in pos.
	committed func() int64
	pos       atomic.Int64
	close     func() // releases the clients once the goroutine returned
}

// goRun runs loop on a goroutine until stop; its error is stop's. A
// hand-written loop stores its committed offset in pos.
func goRun(ctx context.Context, loop func(ctx context.Context, pos *atomic.Int64) error, closeFn func()) *running {
	ctx, cancel := context.WithCancel(ctx)
	r := &running{cancel: cancel, done: make(chan struct{}), close: closeFn}
	r.committed = r.pos.Load
	go func() {
		defer close(r.done)
		r.err = loop(ctx, &r.pos)
	}()
	return r
}

// failed returns the loop's error once it returned on its own.
func (r *running) failed() error {
	select {
	case <-r.done:
		if r.err != nil {
			return r.err
		}
		return errors.New("the loop stopped")
	default:
		return nil
	}
}

// stop stops the loop and returns its error.
func (r *running) stop() error {
	r.cancel()
	<-r.done
	if r.close != nil {
		r.close()
	}
	if errors.Is(r.err, context.Canceled) {
		return nil
	}
	return r.err
}

// waitCommitted waits until r committed the input up to offset end. It
// polls every millisecond: the end of a measurement is seen at most that
// late, and the framework's Metrics, which copies two maps, costs little.
func waitCommitted(r *running, end int64) error {
	last, since := int64(-1), time.Now()
	for {
		c := r.committed()
		switch {
		case c >= end:
			return nil
		case c != last:
			last, since = c, time.Now()
		case time.Since(since) > waitLimit:
			return fmt.Errorf("committed up to offset %d of %d, no progress for %v", c, end, waitLimit)
		}
		if err := r.failed(); err != nil {
			return fmt.Errorf("committed up to offset %d of %d: %w", c, end, err)
		}
		time.Sleep(time.Millisecond)
	}
}

// A rig is one implementation running on its own broker, reused by every
// call of its benchmark function: start-up happens once.
type rig struct {
	c      benchCase
	im     impl
	br     *broker.Broker
	feed   *feeder
	run    *running
	warmed int // records of the untimed first transactions
}

// warmRecords is the input of the untimed start: the group join, the
// first transactions, and the check that they delivered every record
// exactly once.
func (c benchCase) warmRecords() int { return max(c.size(), 10) }

// newRig starts the broker and the implementation, runs its first
// transactions and checks their output.
func newRig(ctx context.Context, c benchCase, im impl) (_ *rig, err error) {
	r := &rig{c: c, im: im}
	defer func() {
		if err != nil {
			_ = r.close()
		}
	}()
	if r.br, err = broker.Start(ctx, broker.Topic(inTopic, 1, nil), broker.Topic(outTopic, 1, nil)); err != nil {
		return nil, err
	}
	if r.feed, err = newFeeder(r.br.Addrs()); err != nil {
		return nil, err
	}
	r.warmed = c.warmRecords()
	end, err := r.feed.fill(ctx, r.warmed)
	if err != nil {
		return nil, err
	}
	s := setup{brokers: r.br.Addrs(), guarantee: c.guarantee, batch: c.size(), interval: service.DefaultBatchInterval, defaults: c.batch == 0}
	if r.run, err = im.start(ctx, s); err != nil {
		return nil, fmt.Errorf("%s: %w", im.name, err)
	}
	if err := waitCommitted(r.run, end); err != nil {
		return nil, fmt.Errorf("%s: first transactions: %w", im.name, err)
	}
	outs, err := readOutputs(ctx, r.br.Addrs(), r.warmed)
	if err != nil {
		return nil, err
	}
	if err := checkDelivered(outs, r.warmed, c.guarantee); err != nil {
		return nil, fmt.Errorf("%s: first transactions: %w", im.name, err)
	}
	return r, nil
}

// minTransactions is the least one measurement covers, so that a
// benchtime shorter than a few transactions still measures several.
const minTransactions = 5

// measure times one call of the benchmark function: b.N records (at least
// minTransactions transactions) rounded up to whole transactions, written
// in one transaction of the feeder so that they appear at once, processed
// from the first fetch to the last commit. Time and allocations are
// reported per record processed, which may be more than b.N.
func (r *rig) measure(b *testing.B) {
	ctx := context.Background()
	size := r.c.size()
	n := (max(b.N, minTransactions*size) + size - 1) / size * size
	end, err := r.feed.fill(ctx, n)
	if err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	err = waitCommitted(r.run, end)
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if err != nil {
		b.Fatalf("%s: %v", r.im.name, err)
	}
	elapsed := b.Elapsed()
	b.ReportMetric(float64(elapsed.Nanoseconds())/float64(n), "ns/op")
	b.ReportMetric(float64(n)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n), "allocs/op")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n), "B/op")
}

func (r *rig) close() error {
	var errs []error
	if r.run != nil {
		errs = append(errs, r.run.stop())
	}
	if r.feed != nil {
		r.feed.close()
	}
	if r.br != nil {
		errs = append(errs, r.br.Close())
	}
	return errors.Join(errs...)
}

func BenchmarkLoop(b *testing.B) {
	for _, c := range cases() {
		for _, im := range c.impls() {
			var r *rig
			b.Run(c.name()+"/impl="+im.name, func(b *testing.B) {
				if r == nil {
					var err error
					if r, err = newRig(context.Background(), c, im); err != nil {
						b.Fatal(err)
					}
				}
				r.measure(b)
			})
			if r != nil {
				if err := r.close(); err != nil {
					b.Errorf("%s/impl=%s: %v", c.name(), im.name, err)
				}
			}
		}
	}
}
