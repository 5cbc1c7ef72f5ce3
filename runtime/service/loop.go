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

	// holding is set while the batch is handled ahead, during the commit
	// of the batch before it (see commitAhead): its transaction has not
	// begun, and held keeps its outputs, in order, until it does.
	holding bool
	held    []*kafka.Record
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
	clear(b.held)
	b.holding, b.held = false, b.held[:0]
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
	b, spare := newBatch(&s.metrics), newBatch(&s.metrics)
	s.hctx = context.WithValue(ctx, handlingKey{}, true)
	var pending []kafka.Record // polled during a commit, not handled yet
	for {
		if ctx.Err() != nil {
			return s.shutdown(ctx, client, b)
		}
		var recs []kafka.Record
		var err error
		if len(pending) > 0 {
			recs, pending = pending, nil
		} else {
			recs, err = s.poll(ctx, client, b)
		}
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
		if room := max(s.cfg.batchSize-b.count, 0); len(recs) > room {
			recs, pending = recs[:room], recs[room:] // the rest go to the next batch
		}
		for i := range recs {
			if err := s.handle(ctx, client, b, &recs[i]); err != nil {
				if errors.Is(err, errRedo) {
					pending = nil // the batch was aborted and rewound
					break
				}
				s.abortQuietly(ctx, client, b)
				return s.fail(err)
			}
		}
		if b.count > 0 && (b.count >= s.cfg.batchSize || !time.Now().Before(b.deadline)) {
			// A full batch means more input may be waiting: commit ahead.
			if len(s.participants) > 0 || len(pending) > 0 || b.count < s.cfg.batchSize {
				if err := s.commit(ctx, client, b); err != nil && !errors.Is(err, errRedo) {
					return s.fail(err)
				}
				if err != nil {
					pending = nil
				}
			} else {
				rest, perr, err := s.commitAhead(ctx, client, b, spare)
				switch {
				case err == nil:
					b, spare, pending = spare, b, rest
				case !errors.Is(err, errRedo):
					return s.fail(err)
				}
				if perr != nil && fatal(perr) {
					s.abortQuietly(ctx, client, b)
					return s.fail(perr)
				} else if perr != nil {
					s.log.Warn("poll failed; retrying", "err", perr)
				}
			}
		}
		s.maybeReportLag(ctx, client)
	}
}

// commitAhead commits b as commit does, but on a goroutine of its own,
// while the loop handles into next the records the client holds already:
// a batch's handling overlaps the commit of the one before. Next's
// outputs are held, and its transaction begins with them once b has
// committed; when b's commit fails, next is dropped with b, and the
// rewind brings its records again. The loop calls no client method
// meanwhile but Admin's (the poll comes first), so Poll and the
// transaction methods still run one at a time. Only a service without
// participants commits ahead: a store's reads would have to see the
// committing batch's writes. A command to run at most once stops the
// handling ahead; it and the records after it are returned, unhandled,
// with the poll's error.
func (s *Service) commitAhead(ctx context.Context, client kafka.Client, b, next *batch) (rest []kafka.Record, pollErr, err error) {
	ahead, pollErr := s.pollWaiting(ctx, client)
	if len(ahead) == 0 {
		return nil, pollErr, s.commit(ctx, client, b)
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	defer cancel()
	committed := make(chan error, 1)
	go func() { committed <- s.commitIO(cctx, client, b) }()
	next.holding = true
	i, herr := 0, error(nil)
	for ; i < len(ahead) && next.count < s.cfg.batchSize; i++ {
		if herr = s.handle(ctx, client, next, &ahead[i]); herr != nil {
			break
		}
	}
	if err := s.settle(cctx, client, b, <-committed); err != nil {
		next.reset()
		return nil, nil, err
	}
	switch {
	case errors.Is(herr, errHeld), herr != nil && ctx.Err() != nil:
		// Handled up to ahead[i]; Run ending stops the handling too.
	case herr != nil:
		next.reset()
		return nil, nil, herr
	}
	if err := s.release(ctx, client, next); err != nil {
		return nil, nil, err
	}
	return ahead[i:], pollErr, nil
}

// pollWaiting returns the records the client holds already, waiting
// aheadWait at most: those commitAhead handles during a commit.
func (s *Service) pollWaiting(ctx context.Context, client kafka.Client) ([]kafka.Record, error) {
	pctx, cancel := context.WithTimeout(ctx, aheadWait)
	defer cancel()
	recs, err := client.Poll(pctx, s.cfg.batchSize)
	if err != nil && pctx.Err() != nil {
		return recs, nil // nothing waiting, or Run is ending: the loop sees it
	}
	return recs, err
}

// aheadWait is how long commitAhead waits for records to handle during a
// commit: they are those already fetched.
const aheadWait = time.Millisecond

// release ends the holding of b, handled during the commit before it:
// b's transaction begins and its held outputs are produced, in order.
func (s *Service) release(ctx context.Context, client kafka.Client, b *batch) error {
	b.holding = false
	if b.count == 0 {
		b.reset()
		return nil
	}
	if s.cfg.guarantee == ExactlyOnce {
		if err := client.BeginTransaction(); err != nil {
			return s.redoOrStop(ctx, client, b, err)
		}
		b.open = true
	}
	for _, r := range b.held {
		client.Produce(ctx, r, b.done)
	}
	clear(b.held)
	b.held = b.held[:0]
	return nil
}

// poll waits for input, at most until the open batch's deadline.
func (s *Service) poll(ctx context.Context, client kafka.Client, b *batch) ([]kafka.Record, error) {
	max := s.cfg.batchSize - b.count
	if max <= 0 {
		return nil, nil // full (handled ahead): commit first
	}
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
	if s.cfg.guarantee != ExactlyOnce || b.holding {
		return nil // a held batch's transaction begins at its release
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
	return s.settle(ctx, client, b, s.commitIO(ctx, client, b))
}

// commitIO is endBatch's work with the client: stage, flush, commit.
func (s *Service) commitIO(ctx context.Context, client kafka.Client, b *batch) error {
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
	return err
}

// settle ends b after commitIO returned err: b is reset when it
// committed; otherwise it is aborted and rewound (errRedo), or the error
// is returned when the service must stop.
func (s *Service) settle(ctx context.Context, client kafka.Client, b *batch, err error) error {
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
