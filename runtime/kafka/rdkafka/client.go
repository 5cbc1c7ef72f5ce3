package rdkafka

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	ckafka "github.com/confluentinc/confluent-kafka-go/v2/kafka"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// defaultTimeout bounds librdkafka calls made under a context without a
// deadline: librdkafka takes timeouts, not contexts.
const defaultTimeout = 60 * time.Second

// client is a kafka.Client on one librdkafka producer, one consumer (when
// the config names a group) and an admin client derived from the producer.
type client struct {
	cfg      kafka.Config
	producer *ckafka.Producer
	consumer *ckafka.Consumer // nil without a group
	admin    *ckafka.AdminClient
	logger   *slog.Logger

	deliver *delivery

	// pollCtx is the context of the Poll in progress, for the rebalance
	// callback librdkafka runs inside it; only the polling goroutine
	// touches it.
	pollCtx context.Context //nolint:containedctx // lives for one Poll call only
	// pending is an error met while gathering records, returned by the
	// next Poll so that the records gathered are not lost.
	pending error

	mu       sync.Mutex
	assigned []kafka.TopicPartition // sorted
	// starts are where partitions start when no offset is committed
	// (resolved at New), and where Rewind goes then.
	starts map[kafka.TopicPartition]ckafka.Offset
	// assignedAt are the explicit offsets of the last assignment.
	assignedAt map[kafka.TopicPartition]int64

	// offsetsSent records that the open transaction's offsets reached
	// the coordinator, so a retried CommitTransaction does not send them
	// twice.
	offsetsSent bool

	closing   atomic.Bool
	closeOnce sync.Once
	logStop   chan struct{}
	logDone   chan struct{}
}

var _ kafka.Client = (*client)(nil)

// New returns a [kafka.Client] on librdkafka. It validates cfg and never
// panics on a bad one: an error wrapping [ErrInvalidConfig] (and
// [kafka.ErrFatal]) says what is wrong. With a TransactionalID it
// initialises transactions, fencing any older producer with the same id;
// with Topics it assigns (policies OnlyOwn and All) or subscribes (Group).
// ctx bounds all of this; the client lives until Close.
func New(ctx context.Context, cfg kafka.Config) (kafka.Client, error) {
	if err := validate(&cfg); err != nil {
		return nil, wrap("new", "", -1, err)
	}
	s, err := buildSettings(&cfg)
	if err != nil {
		return nil, wrap("new", "", -1, err)
	}
	cfg.Topics = slices.Clone(cfg.Topics)
	c := &client{cfg: cfg, logger: cfg.Logger, starts: make(map[kafka.TopicPartition]ckafka.Offset)}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Logger == nil {
		// Nothing to stderr, and no log goroutine to wait for at Close.
		for _, m := range []ckafka.ConfigMap{s.producer, s.consumer} {
			if _, set := cfg.Options["log_level"]; m != nil && !set {
				m["log_level"] = 0
			}
		}
	} else {
		logs := make(chan ckafka.LogEvent, 1024)
		c.logStop, c.logDone = make(chan struct{}), make(chan struct{})
		go forwardLogs(c.logger, logs, c.logStop, c.logDone)
		for _, m := range []ckafka.ConfigMap{s.producer, s.consumer} {
			if m != nil {
				m["go.logs.channel.enable"] = true
				m["go.logs.channel"] = logs
			}
		}
	}
	ctx, cancel := bounded(ctx)
	defer cancel()
	if err := c.start(ctx, s); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *client) start(ctx context.Context, s settings) error {
	var err error
	if c.producer, err = ckafka.NewProducer(&s.producer); err != nil {
		return wrap("new", "", -1, invalid("producer: %v", err))
	}
	c.deliver = newDelivery(c.producer, c.logger, c.deliveryError)
	if c.admin, err = ckafka.NewAdminClientFromProducer(c.producer); err != nil {
		return wrap("new", "", -1, err)
	}
	if s.consumer != nil {
		if c.consumer, err = ckafka.NewConsumer(&s.consumer); err != nil {
			return wrap("new", "", -1, invalid("consumer: %v", err))
		}
	}
	// Connect (and authenticate) now, as the franz transport does: a
	// wrong address or password is New's error, not a produce's minutes
	// later.
	if err := c.connect(ctx); err != nil {
		return err
	}
	if c.cfg.TransactionalID != "" {
		if err := c.producer.InitTransactions(ctx); err != nil {
			return c.wrap("init transactions", "", -1, err)
		}
	}
	if len(c.cfg.Topics) == 0 {
		return nil
	}
	return c.assign(ctx)
}

// connect asks for metadata until it is answered, an authentication
// failure is reported, or ctx is done: librdkafka retries a failed
// authentication forever, reporting it as an error event.
func (c *client) connect(ctx context.Context) error {
	for {
		_, err := c.producer.GetMetadata(nil, false, min(timeoutMs(ctx), 250))
		if err == nil {
			return nil
		}
		if ae := c.deliver.authErr.Load(); ae != nil {
			return &kafka.Error{Op: "connect", Partition: -1, Class: kafka.ErrFatal, Err: *ae}
		}
		if ctx.Err() != nil {
			return c.wrap("connect", "", -1, err)
		}
	}
}

// wrap is the package's wrap, with a producer's fatal error looked at:
// after a fatal error, librdkafka's calls fail with a generic code while
// the producer keeps the cause (a fencing, typically).
func (c *client) wrap(op, topic string, partition int32, err error) error {
	var ke ckafka.Error
	if c.producer != nil && errors.As(err, &ke) && ke.IsFatal() && errors.Is(classify(err), kafka.ErrFatal) {
		if fe := c.producer.GetFatalError(); fe != nil && errors.Is(classify(fe), kafka.ErrFenced) {
			return &kafka.Error{Op: op, Topic: topic, Partition: partition, Class: kafka.ErrFenced, Err: err}
		}
	}
	return wrap(op, topic, partition, err)
}

// bounded gives ctx a deadline if it has none: librdkafka's blocking calls
// read the deadline only, and block forever without one.
func bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, defaultTimeout)
}

// timeoutMs is the time left before ctx's deadline, for librdkafka calls
// that take milliseconds; at least 1.
func timeoutMs(ctx context.Context) int {
	d := defaultTimeout
	if dl, ok := ctx.Deadline(); ok {
		d = time.Until(dl)
	}
	return max(int(d/time.Millisecond), 1)
}

func (c *client) Assigned() []kafka.TopicPartition {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.assigned)
}

func (c *client) Admin() kafka.Admin { return admin{c} }

// Close releases the client. Records still buffered are purged: their
// done callbacks run with an error before Close returns.
func (c *client) Close() {
	c.closeOnce.Do(func() {
		c.closing.Store(true)
		// Each handle takes ~0.1 s to close (a fetch in flight, the
		// producer's poller): close them side by side.
		var wg sync.WaitGroup
		if c.consumer != nil {
			wg.Go(func() {
				if err := c.consumer.Close(); err != nil {
					c.logger.Warn("rdkafka: closing the consumer", "err", err)
				}
			})
		}
		if c.admin != nil {
			c.admin.Close()
		}
		if c.producer != nil {
			c.deliver.close(c.producer)
		}
		wg.Wait()
		if c.logStop != nil {
			close(c.logStop)
			<-c.logDone
		}
	})
}

// forwardLogs writes librdkafka's log lines to l at the matching levels
// (syslog severities: 0-3 error, 4 warning, 5-6 info, 7 debug) until stop
// is closed. librdkafka redacts secrets from what it logs.
func forwardLogs(l *slog.Logger, logs <-chan ckafka.LogEvent, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	for {
		select {
		case <-stop:
			return
		case ev := <-logs:
			lvl := slog.LevelDebug
			switch {
			case ev.Level <= 3:
				lvl = slog.LevelError
			case ev.Level == 4:
				lvl = slog.LevelWarn
			case ev.Level <= 6:
				lvl = slog.LevelInfo
			}
			l.LogAttrs(context.Background(), lvl, ev.Message,
				slog.String("client", ev.Name), slog.String("tag", ev.Tag))
		}
	}
}
