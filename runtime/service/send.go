package service

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/partition"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// ErrNotRunning is returned by Send once Run has returned.
var ErrNotRunning = errors.New("service: not running")

// sender is the producer of records sent from outside handlers: an
// idempotent client of its own, created at the first Send, since the
// service's client only produces inside its transactions.
type sender struct {
	started chan struct{} // closed once Run has prepared the service
	mu      sync.Mutex
	main    kafka.Client // the service's client, for metadata
	client  kafka.Client // the producer; nil until the first Send
	stopped bool
}

func newSender() *sender { return &sender{started: make(chan struct{})} }

// Send encodes r in topic's framing, picks its partition from r's
// partition key with the Java-compatible murmur2 partitioner, as a
// handler's Emit does, and produces it outside any transaction with an
// idempotent producer (acks=all), returning once the broker acknowledged
// it. It is how records that start a flow get in: an HTTP endpoint taking
// an order sends the order's event. Send waits for Run to have started,
// or for ctx to end; after Run returned it fails with ErrNotRunning.
//
// Handlers must not call Send: what they emit goes through their Emitter,
// inside the transaction. An Enveloped record keeps the correlation id it
// has; a new one (tonga.NewEnvelope) starts its own flow.
func (s *Service) Send(ctx context.Context, topic string, r tonga.Record) error {
	done := make(chan error, 1)
	s.SendAsync(ctx, topic, r, func(err error) { done <- err })
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// SendAsync is Send without waiting: done is called once, from another
// goroutine, with the outcome. Call Flush to wait for every record sent.
func (s *Service) SendAsync(ctx context.Context, topic string, r tonga.Record, done func(error)) {
	if Handling(ctx) {
		done(fmt.Errorf("service %q: Send called from a handler; emit through the handler's tonga.Emitter, inside its transaction", s.cfg.name))
		return
	}
	client, err := s.producer(ctx)
	if err != nil {
		done(err)
		return
	}
	s.send.mu.Lock()
	main := s.send.main
	s.send.mu.Unlock()
	rec, err := s.record(ctx, main, topic, r, nil)
	if err != nil {
		done(err)
		return
	}
	client.Produce(ctx, &rec, func(_ *kafka.Record, err error) {
		if err != nil {
			err = fmt.Errorf("service %q: send %s to %s: %w", s.cfg.name, r.AvroSchema().FullName, topic, err)
		}
		done(err)
	})
}

// producer waits for Run to start and returns the sending client,
// creating it the first time.
func (s *Service) producer(ctx context.Context) (kafka.Client, error) {
	select {
	case <-s.send.started:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	s.send.mu.Lock()
	defer s.send.mu.Unlock()
	switch {
	case s.send.stopped:
		return nil, fmt.Errorf("service %q: %w", s.cfg.name, ErrNotRunning)
	case s.send.client != nil:
		return s.send.client, nil
	}
	cfg := s.kafkaConfig()
	cfg.ClientID += "-sender"
	cfg.Topics, cfg.TransactionalID, cfg.Group = nil, "", ""
	client, err := s.cfg.transport(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("service %q: sender: %w", s.cfg.name, err)
	}
	s.send.client = client
	return client, nil
}

// startSending lets Send go on, with main for metadata.
func (s *Service) startSending(main kafka.Client) {
	s.send.mu.Lock()
	s.send.main = main
	s.send.mu.Unlock()
	close(s.send.started)
}

// stopSending flushes what was sent and closes the sender, so that Send
// fails from now on.
func (s *Service) stopSending(ctx context.Context) {
	s.send.mu.Lock()
	client := s.send.client
	s.send.stopped, s.send.client = true, nil
	s.send.mu.Unlock()
	select {
	case <-s.send.started:
	default:
		close(s.send.started) // Run failed early: release waiting Sends
	}
	if client == nil {
		return
	}
	if err := client.Flush(ctx); err != nil {
		s.log.Warn("flushing sent records failed", "err", err)
	}
	client.Close()
}

// record encodes r for topic in the topic's framing, appending to buf,
// with the partition its key picks: what Emit and Send produce.
func (s *Service) record(ctx context.Context, client kafka.Client, topic string, r tonga.Record, buf []byte) (kafka.Record, error) {
	f, ok := s.cfg.framings[topic]
	if !ok {
		f = s.cfg.framing
	}
	value, err := wire.AppendFramed(buf, f, r)
	if err != nil {
		return kafka.Record{}, fmt.Errorf("emit %s to %s: %w", r.AvroSchema().FullName, topic, err)
	}
	n, err := s.partitionsOf(ctx, client, topic)
	if err != nil {
		return kafka.Record{}, fmt.Errorf("emit %s to %s: %w", r.AvroSchema().FullName, topic, err)
	}
	key := wire.Key(r)
	p, err := partition.KeyPartitioner{}.Partition(key, n)
	if err != nil {
		return kafka.Record{}, err
	}
	return kafka.Record{Topic: topic, Partition: int32(p), Key: key, Value: value}, nil
}
