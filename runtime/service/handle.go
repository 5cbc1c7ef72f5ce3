package service

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/partition"
	"github.com/tonga-go/tonga/runtime/tonga"
)

// ErrStop wrapped in a handler's error says that no retry can help and
// that no record after this one can be handled either (a state store that
// is corrupt or closed): the batch is aborted and Run returns the error,
// instead of retrying the record and dead-lettering it and every record
// after it. Stores wrap their unusable-store errors with it.
var ErrStop = errors.New("service: stop")

// Headers of dead-lettered records. HeaderService and HeaderInstance name
// the service that failed the record: services consuming one topic share
// its dead-letter topic.
const (
	HeaderSourceTopic     = "tonga.source.topic"
	HeaderSourcePartition = "tonga.source.partition"
	HeaderSourceOffset    = "tonga.source.offset"
	HeaderError           = "tonga.error"
	HeaderTime            = "tonga.time"
	HeaderService         = "tonga.service"
	HeaderInstance        = "tonga.service.instance"
)

// handle processes one input record into the batch. It returns errRedo
// when the batch had to be aborted, and other errors only when the
// service must stop.
func (s *Service) handle(ctx context.Context, client kafka.Client, b *batch, rec *kafka.Record) error {
	r, _, err := s.dec.Decode(rec.Value)
	if cmd, ok := r.(tonga.Command); ok && b.holding && cmd.TongaGuarantee() == tonga.AtMostOnce {
		return errHeld // it needs a commit of its own, not a held batch
	}
	if err := s.begin(client, b); err != nil {
		return s.redoOrStop(ctx, client, b, err)
	}
	s.metrics.recordsIn.Add(1)
	tp := kafka.TopicPartition{Topic: rec.Topic, Partition: rec.Partition}
	if err != nil {
		if err := s.failed(ctx, client, b, rec, err); err != nil {
			return err
		}
		b.offsets[tp], b.count = rec.Offset+1, b.count+1
		return nil
	}
	if cmd, ok := r.(tonga.Command); ok && cmd.TongaGuarantee() == tonga.AtMostOnce {
		// Commit the input, and everything before it, before executing.
		b.offsets[tp], b.count = rec.Offset+1, b.count+1
		if err := s.commit(ctx, client, b); err != nil {
			return err
		}
		if err := s.begin(client, b); err != nil {
			return s.redoOrStop(ctx, client, b, err)
		}
		if err := s.dispatch(ctx, client, b, rec, r); err != nil {
			return err
		}
		b.count++ // the command's outputs belong to this batch
		return nil
	}
	if err := s.dispatch(ctx, client, b, rec, r); err != nil {
		return err
	}
	b.offsets[tp], b.count = rec.Offset+1, b.count+1
	return nil
}

// redoOrStop handles a transaction that failed to begin: an error the
// client classes retriable or abortable is redone; any other (fatal, or
// one the client does not know, which would fail the same way again)
// stops the service.
func (s *Service) redoOrStop(ctx context.Context, client kafka.Client, b *batch, err error) error {
	if fatal(err) || !errors.Is(err, kafka.ErrRetriable) && !errors.Is(err, kafka.ErrAbortable) {
		s.abortQuietly(ctx, client, b)
		return fmt.Errorf("service %q: beginning a transaction: %w", s.cfg.name, err)
	}
	s.log.Warn("transaction failed; redoing", "err", err)
	if err := s.redo(ctx, client, b); err != nil {
		return err
	}
	return errRedo
}

// dispatch calls the handler, retrying with backoff, and sends its
// outputs when it succeeds; a record that keeps failing follows the
// failure policy.
func (s *Service) dispatch(ctx context.Context, client kafka.Client, b *batch, rec *kafka.Record, r tonga.Record) error {
	backoff := s.cfg.onError.Backoff
	em := &s.em
	for attempt := 0; ; attempt++ {
		em.reset(client)
		if env, ok := r.(tonga.Enveloped); ok {
			em.parent = env.TongaEnvelope()
		}
		err := s.call(r, em)
		switch {
		case err == nil:
			for i := range em.out {
				s.output(ctx, client, b, b.slot(em.out[i]))
			}
			return nil
		case errors.Is(err, tonga.ErrNoHandler):
			s.metrics.ignored.Add(1)
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, ErrStop):
			return fmt.Errorf("service %q: %s[%d] offset %d: %w", s.cfg.name, rec.Topic, rec.Partition, rec.Offset, err)
		}
		s.metrics.handlerErrors.Add(1)
		if attempt >= s.cfg.onError.Retries {
			return s.failed(ctx, client, b, rec, err)
		}
		s.log.Warn("handler failed; retrying", "topic", rec.Topic, "partition", rec.Partition, "offset", rec.Offset, "attempt", attempt+1, "err", err)
		if err := sleep(ctx, backoff); err != nil {
			return err
		}
		backoff = min(2*backoff, max(s.cfg.onError.MaxBackoff, s.cfg.onError.Backoff))
	}
}

// call dispatches r in the loop's handling context, turning a panic into
// an error.
func (s *Service) call(r tonga.Record, em *emitter) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler of %s panicked: %v\n%s", r.AvroSchema().FullName, p, debug.Stack())
		}
	}()
	return s.cfg.registry.Dispatch(s.hctx, r, em)
}

// failed applies the failure policy to a record that cannot be processed.
func (s *Service) failed(ctx context.Context, client kafka.Client, b *batch, rec *kafka.Record, cause error) error {
	attrs := []any{"topic", rec.Topic, "partition", rec.Partition, "offset", rec.Offset, "err", cause}
	switch s.cfg.onError.Then {
	case Skip:
		s.log.Error("record skipped", attrs...)
		s.metrics.skipped.Add(1)
		return nil
	case Stop:
		return fmt.Errorf("service %q: %s[%d] offset %d: %w", s.cfg.name, rec.Topic, rec.Partition, rec.Offset, cause)
	}
	topic := s.deadLetterTopic(rec.Topic)
	n, err := s.partitionsOf(ctx, client, topic)
	if err != nil {
		return fmt.Errorf("service %q: dead-letter topic %s: %w", s.cfg.name, topic, err)
	}
	p := rec.Partition
	if int(p) >= n {
		p = int32(partition.Murmur2Partition(rec.Key, n))
	}
	dl := &kafka.Record{Topic: topic, Partition: p, Key: rec.Key, Value: rec.Value, Headers: append(append([]kafka.Header(nil), rec.Headers...),
		kafka.Header{Key: HeaderSourceTopic, Value: []byte(rec.Topic)},
		kafka.Header{Key: HeaderSourcePartition, Value: []byte(strconv.Itoa(int(rec.Partition)))},
		kafka.Header{Key: HeaderSourceOffset, Value: []byte(strconv.FormatInt(rec.Offset, 10))},
		kafka.Header{Key: HeaderError, Value: []byte(cause.Error())},
		kafka.Header{Key: HeaderTime, Value: []byte(time.Now().UTC().Format(time.RFC3339Nano))},
		kafka.Header{Key: HeaderService, Value: []byte(s.cfg.name)},
		kafka.Header{Key: HeaderInstance, Value: []byte(strconv.Itoa(s.cfg.instance))},
	)}
	s.log.Error("record dead-lettered", append(attrs, "dead_letter_topic", topic)...)
	s.metrics.deadLettered.Add(1)
	s.output(ctx, client, b, dl)
	return nil
}

// output produces r in b, or holds it while b is handled ahead of its
// transaction (see commitAhead).
func (s *Service) output(ctx context.Context, client kafka.Client, b *batch, r *kafka.Record) {
	if b.holding {
		b.held = append(b.held, r)
		return
	}
	client.Produce(ctx, r, b.done)
}

// errHeld stops the handling ahead of a batch at a record that needs the
// batch before it committed first.
var errHeld = errors.New("service: record left for after the commit")

// emitter buffers what a handler emits; the records are produced only if
// the handler returns nil. The service has one, reused for every record
// on the processing goroutine.
type emitter struct {
	s      *Service
	client kafka.Client
	parent *tonga.Envelope
	out    []kafka.Record
	// arena holds the encoded values, carved one after the other out of
	// chunks that are never reused: a value lives as long as the client
	// needs it, and encoding costs no allocation per record.
	arena []byte
}

// arenaChunk is the size of the arena's chunks.
const arenaChunk = 64 << 10

func (e *emitter) reset(client kafka.Client) {
	clear(e.out)
	e.client, e.parent, e.out = client, nil, e.out[:0]
}

// Emit encodes r in the topic's framing, picks its partition from its
// partition key with the Java-compatible murmur2 partitioner, and buffers
// it. A record that starts a flow joins the input's.
func (e *emitter) Emit(ctx context.Context, topic string, r tonga.Record) error {
	if env, ok := r.(tonga.Enveloped); ok && e.parent != nil {
		env.TongaEnvelope().InheritFlow(e.parent)
	}
	free := e.arena[len(e.arena):]
	rec, err := e.s.record(ctx, e.client, topic, r, free)
	if err != nil {
		return err
	}
	// The wire encoders append: a value that fits is in the arena, right
	// after the previous one; one that did not fit got its own array.
	if n := len(rec.Value); n <= cap(free) {
		e.arena = e.arena[:len(e.arena)+n]
		rec.Value = rec.Value[:n:n]
	} else {
		e.arena = make([]byte, 0, max(arenaChunk, 2*n)) // full: the next values go to a new chunk
	}
	e.out = append(e.out, rec)
	return nil
}
