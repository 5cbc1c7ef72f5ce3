package franz

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// client is the kafka.Client on franz-go.
type client struct {
	cfg  kafka.Config
	kcl  *kgo.Client
	sess *kgo.GroupTransactSession // a transactional consumer's; nil otherwise
	adm  *kadm.Client

	// ready is closed once New has resolved what the group callbacks
	// need (the StartLatest offsets), or failed.
	ready chan struct{}

	mu       sync.Mutex
	assigned map[kafka.TopicPartition]bool // as kgo has it now
	view     map[kafka.TopicPartition]bool // as reported by the last Poll
	events   []rebalance
	wake     context.CancelFunc // cancels the waiting Poll, nil when none
	startAt  map[kafka.TopicPartition]int64
	started  map[kafka.TopicPartition]bool // partitions this client has consumed from
	// Per assigned partition: the first offset consumed since it was
	// assigned, the last offset committed since, and an offset whose
	// commit failed with an unknown outcome.
	origin, lastCommit, attempted map[kafka.TopicPartition]int64
	// positions are the next offsets to consume, past control records;
	// sought are the offsets Seek asked for since the assignment.
	positions, sought map[kafka.TopicPartition]int64
	pollErr           error // an error seen with records, returned by the next Poll

	inTxn     atomic.Bool
	txnFailed atomic.Pointer[error] // the first failed produce of the open transaction
	fenced    atomic.Pointer[error]

	promise   func(*kgo.Record, error) // c.produced
	auth      authHook
	closeOnce sync.Once
}

// authHook notices a broker closing the connection during SASL
// authentication, which is how some brokers (kfake among them) answer
// wrong credentials: franz-go then reports only EOF.
type authHook struct{ failed atomic.Bool }

// OnBrokerRead implements kgo.HookBrokerRead.
func (h *authHook) OnBrokerRead(_ kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if err != nil && key == int16(kmsg.SASLAuthenticate) {
		h.failed.Store(true)
	}
}

// rebalance is an assignment change, reported to Config.Rebalanced on the
// polling goroutine.
type rebalance struct {
	assigned, revoked []kafka.TopicPartition
}

// New returns a client for cfg. It validates cfg (errors wrap
// [ErrInvalidConfig]), connects, authenticates, checks that the topics to
// consume exist (under OnlyOwn, that each has Replicas partitions), and,
// with a TransactionalID, initialises the producer id, which fences any
// older client with the same id. It never panics; on error nothing is left
// running.
func New(ctx context.Context, cfg kafka.Config) (kafka.Client, error) {
	if err := validate(&cfg); err != nil {
		return nil, err
	}
	c := &client{
		cfg:        cfg,
		ready:      make(chan struct{}),
		assigned:   make(map[kafka.TopicPartition]bool),
		view:       make(map[kafka.TopicPartition]bool),
		started:    make(map[kafka.TopicPartition]bool),
		origin:     make(map[kafka.TopicPartition]int64),
		lastCommit: make(map[kafka.TopicPartition]int64),
		attempted:  make(map[kafka.TopicPartition]int64),
		positions:  make(map[kafka.TopicPartition]int64),
		sought:     make(map[kafka.TopicPartition]int64),
	}
	c.promise = c.produced
	opts, err := c.kgoOpts()
	if err != nil {
		return nil, err
	}
	if cfg.TransactionalID != "" && len(cfg.Topics) > 0 && !c.static() {
		c.sess, err = kgo.NewGroupTransactSession(opts...)
		if err == nil {
			c.kcl = c.sess.Client()
		}
	} else {
		c.kcl, err = kgo.NewClient(opts...)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	c.adm = kadm.NewClient(c.kcl)
	err = c.start(ctx)
	close(c.ready)
	if err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// start checks the connection, the producer id and the topics.
func (c *client) start(ctx context.Context) error {
	if err := c.kcl.Ping(ctx); err != nil {
		if c.cfg.SASL != nil && c.auth.failed.Load() {
			return &kafka.Error{Op: "connect", Partition: -1, Class: kafka.ErrFatal,
				Err: fmt.Errorf("SASL %s authentication as %q failed: the broker closed the connection (wrong credentials?): %w", c.cfg.SASL.Mechanism, c.cfg.SASL.User, err)}
		}
		return newError("connect", "", -1, err)
	}
	if c.cfg.TransactionalID != "" {
		if _, _, err := c.kcl.ProducerID(ctx); err != nil {
			return newError("init transactions", "", -1, err)
		}
	}
	if len(c.cfg.Topics) == 0 {
		return nil
	}
	counts, err := c.checkTopics(ctx)
	if err != nil {
		return err
	}
	if c.static() {
		return c.assignStatic(ctx, counts)
	}
	if c.cfg.Start == kafka.StartLatest {
		c.startAt, err = c.listOffsets(ctx, listEnd, allPartitions(c.cfg.Topics, counts))
		if err != nil {
			return newError("list offsets", "", -1, err)
		}
	}
	return nil
}

// Admin implements kafka.Client.
func (c *client) Admin() kafka.Admin { return admin{c.adm, c.kcl} }

// Close implements kafka.Client. It leaves the group; records not yet
// acknowledged fail.
func (c *client) Close() {
	c.closeOnce.Do(func() {
		if c.sess != nil {
			c.sess.Close()
			return
		}
		c.kcl.Close()
	})
}

// fencedErr returns the error that fenced the client, or nil.
func (c *client) fencedErr(op string) error {
	if p := c.fenced.Load(); p != nil {
		cause := *p
		var ke *kafka.Error
		if errors.As(cause, &ke) {
			cause = fmt.Errorf("fenced at %s: %w", ke.Op, ke.Err)
		}
		return &kafka.Error{Op: op, Partition: -1, Class: kafka.ErrFenced, Err: cause}
	}
	return nil
}

// noteFenced remembers err if it is a fencing error and returns err.
func (c *client) noteFenced(err error) error {
	if errors.Is(err, kafka.ErrFenced) {
		c.fenced.CompareAndSwap(nil, &err)
	}
	return err
}
