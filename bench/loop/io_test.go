package loop_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/tonga-go/tonga/bench/internal/fixture"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
	seed "github.com/tonga-go/tonga/testdata/seed/want"
)

// orderID is the UUID of input i: 36 characters, as long as a UUID's
// text, so that every input encodes to the size of the codec question's
// CoffeeOrdered.
func orderID(i int) string { return fmt.Sprintf("order-%030d", i) }

// An orderWriter makes the inputs: input i is the fixture's CoffeeOrdered
// with UUID, partition key and Kafka key orderID(i), in single-object
// encoding. Keys and values are carved out of a reused chunk of memory.
type orderWriter struct {
	ev    *seed.CoffeeOrdered
	key   string
	arena []byte
}

func newOrderWriter() *orderWriter {
	w := &orderWriter{ev: fixture.CoffeeOrdered()}
	w.ev.PartitionKey = &w.key
	return w
}

func (w *orderWriter) record(i int) (*kgo.Record, error) {
	w.key = orderID(i)
	w.ev.UUID = w.key
	if cap(w.arena)-len(w.arena) < 1024 {
		w.arena = make([]byte, 0, 1<<20)
	}
	start := len(w.arena)
	w.arena = append(w.arena, w.key...)
	b, err := wire.AppendSingleObject(w.arena, w.ev)
	if err != nil {
		return nil, err
	}
	w.arena = b
	k, end := start+len(w.key), len(b)
	return &kgo.Record{Topic: inTopic, Partition: 0, Key: b[start:k:k], Value: b[k:end:end]}, nil
}

// A feeder writes the input, each fill in one transaction so that a
// read_committed consumer sees all of it at once, when it commits.
type feeder struct {
	cl  *kgo.Client
	w   *orderWriter
	seq int // the next input's number
}

func newFeeder(addrs []string) (*feeder, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.TransactionalID("bench-feeder"),
		kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		return nil, err
	}
	return &feeder{cl: cl, w: newOrderWriter()}, nil
}

// fill writes the next n inputs and returns the offset after the last.
func (f *feeder) fill(ctx context.Context, n int) (int64, error) {
	if err := f.cl.BeginTransaction(); err != nil {
		return 0, err
	}
	var (
		mu    sync.Mutex
		last  int64 = -1
		first error
	)
	done := func(r *kgo.Record, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil && first == nil {
			first = err
		}
		last = max(last, r.Offset)
	}
	for i := range n {
		r, err := f.w.record(f.seq + i)
		if err != nil {
			return 0, errors.Join(err, f.cl.EndTransaction(ctx, kgo.TryAbort))
		}
		f.cl.Produce(ctx, r, done)
	}
	f.seq += n
	err := f.cl.Flush(ctx)
	mu.Lock()
	err = errors.Join(err, first)
	mu.Unlock()
	if err != nil {
		return 0, errors.Join(err, f.cl.EndTransaction(ctx, kgo.TryAbort))
	}
	if err := f.cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
		return 0, err
	}
	return last + 1, nil
}

func (f *feeder) close() { f.cl.Close() }

// readOutputs reads the output topic read_committed from its start until
// n records arrived, and returns the input each came from.
func readOutputs(ctx context.Context, addrs []string, n int) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, waitLimit)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.ConsumeTopics(outTopic),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	dec, err := newDecoder()
	if err != nil {
		return nil, err
	}
	var ids []string
	for len(ids) < n {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%d output records within %v, want %d", len(ids), waitLimit, n)
		}
		if err := fs.Err0(); err != nil {
			return nil, err
		}
		for _, r := range fs.Records() {
			if string(r.Value) == sentinel {
				return ids, nil
			}
			id, err := sourceOf(dec, r.Value)
			if err != nil {
				return nil, fmt.Errorf("output offset %d: %w", r.Offset, err)
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// sentinel marks the end of the output for readAllOutputs.
const sentinel = "end of output"

// readAllOutputs returns the input of every committed output record, once
// nothing writes the topic any more: it appends a sentinel outside any
// transaction and reads up to it.
func readAllOutputs(ctx context.Context, addrs []string) ([]string, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		return nil, err
	}
	err = cl.ProduceSync(ctx, &kgo.Record{Topic: outTopic, Partition: 0, Value: []byte(sentinel)}).FirstErr()
	cl.Close()
	if err != nil {
		return nil, err
	}
	return readOutputs(ctx, addrs, int(^uint(0)>>1))
}

func newDecoder() (*wire.Decoder, error) {
	reg, err := tonga.NewRegistry(seed.Schemas()...)
	if err != nil {
		return nil, err
	}
	return wire.NewDecoder(reg)
}

// sourceOf decodes an output record and returns the UUID of the input it
// came from: the framework emits a BillCreated for the CoffeeOrdered, the
// hand-written loops copy the CoffeeOrdered.
func sourceOf(dec *wire.Decoder, value []byte) (string, error) {
	rec, _, err := dec.Decode(value)
	if err != nil {
		return "", err
	}
	switch r := rec.(type) {
	case *seed.BillCreated:
		if r.UUID != "bill-"+r.CoffeeUUID {
			return "", fmt.Errorf("bill %q for coffee %q", r.UUID, r.CoffeeUUID)
		}
		return r.CoffeeUUID, nil
	case *seed.CoffeeOrdered:
		return r.UUID, nil
	}
	return "", fmt.Errorf("unexpected %s", rec.AvroSchema().FullName)
}

// checkDelivered checks that ids holds each of inputs 0..n-1, exactly
// once or (at-least-once) at least once, and nothing else.
func checkDelivered(ids []string, n int, g guarantee) error {
	seen := make(map[string]int, n)
	for _, id := range ids {
		seen[id]++
	}
	var errs []error
	for i := range n {
		switch c := seen[orderID(i)]; {
		case c == 0:
			errs = append(errs, fmt.Errorf("input %d missing from the output", i))
		case c > 1 && g == exactlyOnce:
			errs = append(errs, fmt.Errorf("input %d delivered %d times", i, c))
		}
		delete(seen, orderID(i))
	}
	for id := range seen {
		errs = append(errs, fmt.Errorf("output from an unknown input %q", id))
	}
	if len(errs) > 5 {
		errs = append(errs[:5], fmt.Errorf("and %d more", len(errs)-5))
	}
	return errors.Join(errs...)
}
