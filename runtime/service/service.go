package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/wire"
)

// Service is one instance of a Tonga service. Create it with New and run
// it with Run.
type Service struct {
	cfg     config
	dec     *wire.Decoder
	metrics metrics
	ready   atomic.Bool
	running atomic.Bool
	log     *slog.Logger

	partMu     sync.Mutex
	partitions map[string]int // partition counts of output topics

	// participants take part in every transaction (stores, later).
	participants []Participant

	em   emitter         // the handlers' emitter, reused
	hctx context.Context // the context handlers are called with

	send     *sender
	mux      *http.ServeMux
	httpAddr atomic.Pointer[string]
}

// Participant takes part in the service's life and transactions: state
// stores are participants. Start runs when the service starts, before any
// input is processed (stores rebuild there; the service is not ready until
// every Start returned); Stage before a batch commits, inside the
// transaction, to produce what it has buffered; Flushed once that is
// acknowledged; Committed and Aborted once
// the outcome is known. All but Start run on the processing goroutine.
// Run does not close participants: a store stays readable after Run
// returns, until its owner closes it.
type Participant interface {
	Start(ctx context.Context, env Env) error
	Stage(ctx context.Context, client kafka.Client) error
	// Flushed is called once what Stage produced is acknowledged, before
	// the commit; an error (a failed write) aborts the batch.
	Flushed() error
	Committed()
	Aborted()
}

// Env is what a participant learns of its service at start.
type Env struct {
	Name     string
	Instance int
	Replicas int
	// Client is the service's own client: what a participant produces
	// through it in Stage joins the batch's transaction.
	Client kafka.Client
	// NewClient creates another client with the service's brokers,
	// security and transport; cfg sets the rest.
	NewClient func(ctx context.Context, cfg kafka.Config) (kafka.Client, error)
	Logger    *slog.Logger
}

// handlingKey marks the context of a handler call.
type handlingKey struct{}

// Handling reports whether ctx is the context of a handler call, whose
// reads of a local store include the writes of its open transaction.
func Handling(ctx context.Context) bool { return ctx.Value(handlingKey{}) != nil }

// New returns a service named name. Bad configuration is an error; New
// connects to nothing.
func New(name string, opts ...Option) (*Service, error) {
	cfg := defaultConfig(name)
	for _, opt := range opts {
		opt(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	dec, err := wire.NewDecoder(cfg.registry)
	if err != nil {
		return nil, fmt.Errorf("service %q: %w", name, err)
	}
	s := &Service{cfg: cfg, dec: dec, log: cfg.logger.With("service", name, "instance", cfg.instance), partitions: map[string]int{}, send: newSender()}
	s.em.s = s
	if s.mux, err = s.newMux(); err != nil {
		return nil, err
	}
	for _, setup := range cfg.setup {
		if err := setup(s); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Join makes p take part in the service's transactions. Call it before Run.
func (s *Service) Join(p Participant) { s.participants = append(s.participants, p) }

// TransactionalID returns the transactional id, <name>-<instance>.
func (s *Service) TransactionalID() string { return s.cfg.name + "-" + strconv.Itoa(s.cfg.instance) }

// Ready reports whether the service is processing input.
func (s *Service) Ready() bool { return s.ready.Load() }

// Run processes input until ctx is cancelled, then commits (or aborts) the
// open transaction and returns nil; or until an error it cannot get past
// (fenced by a newer instance, a Stop failure policy, a fatal client
// error), which it returns.
func (s *Service) Run(ctx context.Context) error {
	if !s.running.CompareAndSwap(false, true) {
		return fmt.Errorf("service %q: Run called twice", s.cfg.name)
	}
	defer s.stopSending(context.WithoutCancel(ctx)) // whatever happens, waiting Sends return
	client, err := s.cfg.transport(ctx, s.kafkaConfig())
	if err != nil {
		return fmt.Errorf("service %q: %w", s.cfg.name, err)
	}
	defer client.Close()
	if err := s.prepare(ctx, client); err != nil {
		return err
	}
	s.startSending(client)
	stopHTTP, err := s.serveHTTP()
	if err != nil {
		return err
	}
	defer stopHTTP()
	if err := s.startParticipants(ctx, client); err != nil {
		if ctx.Err() != nil {
			return nil // cancelled while a store was rebuilding: nothing was processed
		}
		return err
	}
	s.ready.Store(true)
	defer s.ready.Store(false)
	s.log.Info("processing", "inputs", s.cfg.inputs, "transactional_id", s.TransactionalID(), "guarantee", s.cfg.guarantee)
	return s.loop(ctx, client)
}

func (s *Service) kafkaConfig() kafka.Config {
	cfg := kafka.Config{
		Brokers:  s.cfg.brokers,
		ClientID: s.TransactionalID(),
		Group:    s.cfg.name,
		Topics:   s.cfg.inputs,
		Policy:   s.cfg.policy,
		Instance: s.cfg.instance,
		Replicas: s.cfg.replicas,
		Start:    s.cfg.start,
		SASL:     s.cfg.sasl,
		Logger:   s.cfg.logger,
		Options:  s.cfg.options,
	}
	if s.cfg.guarantee == ExactlyOnce {
		cfg.TransactionalID = s.TransactionalID()
	}
	return cfg
}

// prepare checks the input topics against the assignment policy and
// creates the dead-letter topics.
func (s *Service) prepare(ctx context.Context, client kafka.Client) error {
	admin := client.Admin()
	for _, topic := range s.cfg.inputs {
		n, err := admin.Partitions(ctx, topic)
		if err != nil {
			return fmt.Errorf("service %q: input topic %s: %w", s.cfg.name, topic, err)
		}
		if s.cfg.policy == kafka.OnlyOwn && n != s.cfg.replicas {
			return fmt.Errorf("service %q: input topic %s has %d partitions but the service runs %d replicas; only_own assignment needs one partition per replica (change the replica count or the topic)",
				s.cfg.name, topic, n, s.cfg.replicas)
		}
		if s.cfg.onError.Then == DeadLetter {
			if err := s.ensureTopic(ctx, admin, s.deadLetterTopic(topic), n); err != nil {
				return fmt.Errorf("service %q: dead-letter topic of %s: %w", s.cfg.name, topic, err)
			}
		}
	}
	return nil
}

func (s *Service) startParticipants(ctx context.Context, client kafka.Client) error {
	env := Env{
		Name: s.cfg.name, Instance: s.cfg.instance, Replicas: s.cfg.replicas, Client: client, Logger: s.log,
		NewClient: func(ctx context.Context, cfg kafka.Config) (kafka.Client, error) {
			base := s.kafkaConfig()
			cfg.Brokers, cfg.SASL, cfg.Options = base.Brokers, base.SASL, base.Options
			if cfg.Logger == nil {
				cfg.Logger = base.Logger
			}
			return s.cfg.transport(ctx, cfg)
		},
	}
	for _, p := range s.participants {
		if err := p.Start(ctx, env); err != nil {
			return fmt.Errorf("service %q: %w", s.cfg.name, err)
		}
	}
	return nil
}

// ensureTopic creates topic with n partitions unless it exists, with
// whatever partition count.
func (s *Service) ensureTopic(ctx context.Context, admin kafka.Admin, topic string, n int) error {
	_, err := admin.Partitions(ctx, topic)
	if !errors.Is(err, kafka.ErrUnknownTopic) {
		return err
	}
	// Another instance may create it at the same time: CreateTopic then
	// finds it, but the client's metadata may not know it yet.
	if err := admin.CreateTopic(ctx, topic, n, nil); err != nil && !errors.Is(err, kafka.ErrUnknownTopic) {
		return err
	}
	// A client's metadata may lag the creation: wait until it sees it.
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		if _, err = admin.Partitions(wctx, topic); err == nil || !errors.Is(err, kafka.ErrUnknownTopic) {
			return err
		}
		if err := sleep(wctx, 20*time.Millisecond); err != nil {
			return fmt.Errorf("topic %s created but not visible: %w", topic, err)
		}
	}
}

func (s *Service) deadLetterTopic(topic string) string {
	if s.cfg.onError.DeadLetterTopic != nil {
		return s.cfg.onError.DeadLetterTopic(topic)
	}
	return topic + ".dlq"
}

// partitionsOf returns an output topic's partition count, cached.
func (s *Service) partitionsOf(ctx context.Context, client kafka.Client, topic string) (int, error) {
	s.partMu.Lock()
	n, ok := s.partitions[topic]
	s.partMu.Unlock()
	if ok {
		return n, nil
	}
	n, err := client.Admin().Partitions(ctx, topic)
	if err != nil {
		return 0, err
	}
	s.partMu.Lock()
	s.partitions[topic] = n
	s.partMu.Unlock()
	return n, nil
}

// serveHTTP starts the metrics and health endpoints when configured.
func (s *Service) serveHTTP() (stop func(), err error) {
	if s.cfg.httpAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", s.cfg.httpAddr)
	if err != nil {
		return nil, fmt.Errorf("service %q: http: %w", s.cfg.name, err)
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	addr := ln.Addr().String()
	s.httpAddr.Store(&addr)
	s.log.Info("http", "addr", addr)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		s.httpAddr.Store(nil)
	}, nil
}

// HTTPAddr returns the address the HTTP server listens on while Run runs
// (with the port chosen when HTTP was given port 0), or "".
func (s *Service) HTTPAddr() string {
	if a := s.httpAddr.Load(); a != nil {
		return *a
	}
	return ""
}
