package service

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// batch is the work since the last commit: under exactly-once, one open
// transaction.
type batch struct {
	open     bool // a transaction is open
	count    int
	offsets  map[kafka.TopicPartition]int64
	deadline time.Time

	mu       sync.Mutex
	produced int
	failed   error // the first failed produce of the batch

	done func(*kafka.Record, error) // the Produce callback of the batch's records
	slab []kafka.Record             // where produced records live, see slot
}

// slot returns a copy of r that lives until the client is done with it
// (the client writes the offset back into it): records are carved out of
// slabs that are never reused, so producing costs an allocation per
// slabSize records rather than one per record.
func (b *batch) slot(r kafka.Record) *kafka.Record {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]kafka.Record, 0, slabSize)
	}
	b.slab = append(b.slab, r)
	return &b.slab[len(b.slab)-1]
}

const slabSize = 256

func newBatch(m *metrics) *batch {
	b := &batch{offsets: map[kafka.TopicPartition]int64{}}
	b.done = b.delivered(m)
	return b
}

func (b *batch) reset() {
	b.open, b.count, b.deadline = false, 0, time.Time{}
	clear(b.offsets)
	b.mu.Lock()
	b.produced, b.failed = 0, nil
	b.mu.Unlock()
}

// delivered is the Produce callback of the batch's records.
func (b *batch) delivered(m *metrics) func(*kafka.Record, error) {
	return func(_ *kafka.Record, err error) {
		b.mu.Lock()
		defer b.mu.Unlock()
		if err != nil {
			if b.failed == nil {
				b.failed = err
			}
			return
		}
		b.produced++
		m.recordsOut.Add(1)
	}
}

func (b *batch) produceErr() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.failed
}

// loop is the processing loop: poll, handle, commit when the batch is
// full or its interval has passed, until ctx is cancelled.
func (s *Service) loop(ctx context.Context, client kafka.Client) error {
	b := newBatch(&s.metrics)
	s.hctx = context.WithValue(ctx, handlingKey{}, true)
	for {
		if ctx.Err() != nil {
			return s.shutdown(ctx, client, b)
		}
		recs, err := s.poll(ctx, client, b)
		switch {
		case ctx.Err() != nil:
			return s.shutdown(ctx, client, b)
		case errors.Is(err, context.DeadlineExceeded):
		case err != nil:
			if fatal(err) {
				return s.fail(err)
			}
			s.log.Warn("poll failed; retrying", "err", err)
			if err := sleep(ctx, s.cfg.onError.Backoff); err != nil {
				return s.shutdown(ctx, client, b)
			}
			continue
		}
		for i := range recs {
			if err := s.handle(ctx, client, b, &recs[i]); err != nil {
				if errors.Is(err, errRedo) {
					break // the batch was aborted and rewound
				}
				s.abortQuietly(ctx, client, b)
				return s.fail(err)
			}
		}
		if b.count > 0 && (b.count >= s.cfg.batchSize || !time.Now().Before(b.deadline)) {
			if err := s.commit(ctx, client, b); err != nil && !errors.Is(err, errRedo) {
				return s.fail(err)
			}
		}
		s.maybeReportLag(ctx, client)
	}
}

// poll waits for input, at most until the open batch's deadline.
func (s *Service) poll(ctx context.Context, client kafka.Client, b *batch) ([]kafka.Record, error) {
	max := s.cfg.batchSize - b.count
	if b.count == 0 {
		return client.Poll(ctx, max)
	}
	pctx, cancel := context.WithDeadline(ctx, b.deadline)
	defer cancel()
	recs, err := client.Poll(pctx, max)
	if err != nil && pctx.Err() != nil && ctx.Err() == nil {
		return recs, context.DeadlineExceeded
	}
	return recs, err
}

// begin opens the batch (and its transaction) at its first record.
func (s *Service) begin(client kafka.Client, b *batch) error {
	if b.count > 0 || b.open {
		return nil
	}
	b.deadline = time.Now().Add(s.cfg.batchEvery)
	if s.cfg.guarantee != ExactlyOnce {
		return nil
	}
	if err := client.BeginTransaction(); err != nil {
		return err
	}
	b.open = true
	return nil
}

// endBatch commits the batch: under exactly-once the participants stage
// their writes, the outputs are flushed, and the transaction commits with
// the input offsets; under at-least-once the outputs are acknowledged,
// then the offsets committed. A failure that can be got past aborts and
// rewinds, and endBatch returns errRedo so that the loop redoes the work.
func (s *Service) endBatch(ctx context.Context, client kafka.Client, b *batch) error {
	if b.count == 0 && !b.open {
		return nil
	}
	err := s.stage(ctx, client)
	if err == nil {
		err = client.Flush(ctx)
	}
	if err == nil {
		err = b.produceErr()
	}
	for _, p := range s.participants {
		if err == nil {
			err = p.Flushed()
		}
	}
	if err == nil {
		if b.open {
			err = client.CommitTransaction(ctx, b.offsets)
		} else {
			err = client.CommitOffsets(ctx, b.offsets)
		}
	}
	if err == nil {
		s.metrics.committed.Add(1)
		s.metrics.notePositions(b.offsets)
		for _, p := range s.participants {
			p.Committed()
		}
		b.reset()
		return nil
	}
	if fatal(err) {
		s.abortQuietly(ctx, client, b)
		return err
	}
	s.log.Warn("commit failed; aborting and redoing the batch", "records", b.count, "err", err)
	if err := s.redo(ctx, client, b); err != nil {
		return err
	}
	return errRedo
}

func (s *Service) stage(ctx context.Context, client kafka.Client) error {
	for _, p := range s.participants {
		if err := p.Stage(ctx, client); err != nil {
			return err
		}
	}
	return nil
}

// errRedo tells the loop that the batch was aborted and rewound.
var errRedo = errors.New("service: batch aborted, redo")

// redo aborts the batch and rewinds every partition to its committed
// offset, so the loop consumes the batch's records again. It waits the
// failure policy's backoff first, unless ctx ends: then the loop shuts
// down with nothing open.
func (s *Service) redo(ctx context.Context, client kafka.Client, b *batch) error {
	if err := s.abort(ctx, client, b); err != nil {
		return err
	}
	if err := client.Rewind(ctx); err != nil && ctx.Err() == nil {
		return err
	}
	_ = sleep(ctx, s.cfg.onError.Backoff)
	return nil
}

// abortRetries is how many times a failed abort is tried again, with the
// failure policy's backoff, before the service stops: a transaction that
// can be neither committed nor aborted leaves nothing safe to do.
const abortRetries = 5

// abort aborts the open transaction, if any, and drops the batch. An
// abort that still fails after its retries is an error: Run stops.
func (s *Service) abort(ctx context.Context, client kafka.Client, b *batch) error {
	var err error
	if b.open {
		actx := context.WithoutCancel(ctx)
		backoff := max(s.cfg.onError.Backoff, 10*time.Millisecond)
		for attempt := 0; ; attempt++ {
			if err = client.AbortTransaction(actx); err == nil || fatal(err) || attempt == abortRetries {
				break
			}
			s.log.Warn("abort failed; retrying", "attempt", attempt+1, "err", err)
			_ = sleep(actx, backoff)
			backoff = min(2*backoff, max(s.cfg.onError.MaxBackoff, backoff))
		}
		if err == nil {
			s.metrics.aborted.Add(1)
		}
	}
	for _, p := range s.participants {
		p.Aborted()
	}
	b.reset()
	if err != nil {
		return fmt.Errorf("service %q: the transaction could not be aborted: %w", s.cfg.name, err)
	}
	return nil
}

// abortQuietly aborts on the way out of Run, which returns another error.
func (s *Service) abortQuietly(ctx context.Context, client kafka.Client, b *batch) {
	if err := s.abort(ctx, client, b); err != nil {
		s.log.Warn("abort failed", "err", err)
	}
}

// commitTimeout bounds a commit that Run's cancellation does not
// interrupt.
const commitTimeout = 30 * time.Second

// commit ends the batch, as endBatch does, under a context that Run's
// cancellation does not reach: a SIGTERM arriving mid-commit lets the
// commit finish rather than abort the batch.
func (s *Service) commit(ctx context.Context, client kafka.Client, b *batch) error {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	defer cancel()
	return s.endBatch(cctx, client, b)
}

// shutdown commits the open batch and returns.
func (s *Service) shutdown(ctx context.Context, client kafka.Client, b *batch) error {
	if b.count == 0 && !b.open {
		s.log.Info("stopped")
		return nil
	}
	switch err := s.commit(ctx, client, b); {
	case errors.Is(err, errRedo):
		// The commit failed and the batch was aborted: what it held is
		// consumed again by the next instance.
		s.log.Warn("the last batch was aborted at shutdown; it will be redone")
	case err != nil:
		return s.fail(err)
	}
	s.log.Info("stopped")
	return nil
}

func (s *Service) fail(err error) error {
	s.log.Error("stopping", "err", err)
	return err
}

// fatal reports the errors no retry gets past.
func fatal(err error) bool {
	return errors.Is(err, kafka.ErrFenced) || errors.Is(err, kafka.ErrFatal) ||
		errors.Is(err, kafka.ErrAuthorization) || errors.Is(err, kafka.ErrUnknownTopic)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
