package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// ErrTopicConflict is wrapped by the error for a topic that already exists
// with a different partition count than asked for.
var ErrTopicConflict = errors.New("broker: topic exists with a different partition count")

// Broker is a running embedded broker: one Kafka node on one address.
type Broker struct {
	cluster *kfake.Cluster
	client  *kgo.Client // the first superuser's, if SASL is on
	admin   *kadm.Client
	addrs   []string

	closeOnce sync.Once
}

// Start starts a broker and creates the topics given with [Topic]. It
// returns an error wrapping [ErrInvalidOption] for bad options, and an error
// if the broker cannot listen, cannot read its [DataDir], or cannot create a
// topic before ctx is done. The broker runs until [Broker.Close]; ctx only
// bounds the start.
func Start(ctx context.Context, opts ...Option) (*Broker, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&cfg)
		}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("broker: start: %w", err)
	}
	cluster, err := kfake.NewCluster(cfg.kfakeOpts()...)
	if err != nil {
		return nil, fmt.Errorf("broker: start: %w", err)
	}
	b := &Broker{cluster: cluster, addrs: cluster.ListenAddrs()}
	b.client, err = kgo.NewClient(cfg.clientOpts(b.addrs)...)
	if err != nil {
		cluster.Close()
		return nil, fmt.Errorf("broker: start: %w", err)
	}
	b.admin = kadm.NewClient(b.client)
	if err := b.start(ctx, &cfg); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

// start checks that the broker answers, authenticated as the superuser if
// SASL is on (state restored from a data directory can lack that user), and
// creates the configured topics.
func (b *Broker) start(ctx context.Context, cfg *config) error {
	if err := b.client.Ping(ctx); err != nil {
		if len(cfg.superusers) > 0 && cfg.dataDir != "" {
			return fmt.Errorf("broker: start: connecting as superuser %q (SASL users come from the data directory when it holds state): %w", cfg.superusers[0].user, err)
		}
		if len(cfg.superusers) > 0 {
			return fmt.Errorf("broker: start: connecting as superuser %q: %w", cfg.superusers[0].user, err)
		}
		return fmt.Errorf("broker: start: connecting: %w", err)
	}
	for _, t := range cfg.topics {
		if err := b.CreateTopic(ctx, t.name, t.partitions, t.configs); err != nil {
			return err
		}
	}
	return nil
}

func (c *config) kfakeOpts() []kfake.Opt {
	listen := c.listen
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		// kfake always asks for 127.0.0.1:<port>; listen where we were told.
		kfake.ListenFn(func(network, _ string) (net.Listener, error) {
			return net.Listen(network, listen)
		}),
	}
	if c.logger != nil {
		opts = append(opts, kfake.WithLogger(slogLogger{c.logger}))
	}
	if c.dataDir != "" {
		opts = append(opts, kfake.DataDir(c.dataDir))
	}
	if len(c.superusers) > 0 {
		opts = append(opts, kfake.EnableSASL())
	}
	for _, cr := range c.superusers {
		opts = append(opts, kfake.Superuser(cr.mechanism, cr.user, cr.password))
	}
	for _, cr := range c.users {
		opts = append(opts, kfake.User(cr.mechanism, cr.user, cr.password))
	}
	if c.acls {
		opts = append(opts, kfake.EnableACLs())
	}
	return opts
}

// clientOpts configures the broker's own client, which creates topics.
func (c *config) clientOpts(addrs []string) []kgo.Opt {
	opts := []kgo.Opt{kgo.SeedBrokers(addrs...)}
	if len(c.superusers) > 0 {
		opts = append(opts, kgo.SASL(c.superusers[0].mechanismFor()))
	}
	return opts
}

func (cr credential) mechanismFor() sasl.Mechanism {
	switch cr.mechanism {
	case ScramSHA256:
		return scram.Auth{User: cr.user, Pass: cr.password}.AsSha256Mechanism()
	case ScramSHA512:
		return scram.Auth{User: cr.user, Pass: cr.password}.AsSha512Mechanism()
	}
	return plain.Auth{User: cr.user, Pass: cr.password}.AsMechanism()
}

// Addrs returns the bootstrap addresses clients connect to, "host:port".
func (b *Broker) Addrs() []string {
	return slices.Clone(b.addrs)
}

// CreateTopic creates a topic with the given partition count and topic
// configs, through the Kafka protocol. It is idempotent on the partition
// count: a topic that already exists with that count is left as it is (its
// configs are not changed), and one with another count is an error wrapping
// [ErrTopicConflict]. A bad name or count is an error wrapping
// [ErrInvalidOption]. Config names are not checked: the broker stores
// whatever it is given, and acts on those it knows (cleanup.policy,
// retention.ms, retention.bytes, segment.bytes, max.message.bytes, ...).
func (b *Broker) CreateTopic(ctx context.Context, name string, partitions int, configs map[string]string) error {
	if err := validateTopic(name, partitions); err != nil {
		return err
	}
	var kconfigs map[string]*string
	if len(configs) > 0 {
		kconfigs = make(map[string]*string, len(configs))
		for k, v := range configs {
			kconfigs[k] = &v
		}
	}
	_, err := b.admin.CreateTopic(ctx, int32(partitions), -1, kconfigs, name)
	if errors.Is(err, kerr.TopicAlreadyExists) {
		return b.checkPartitions(ctx, name, partitions)
	}
	if err != nil {
		return fmt.Errorf("broker: create topic %q: %w", name, err)
	}
	return nil
}

func (b *Broker) checkPartitions(ctx context.Context, name string, partitions int) error {
	topics, err := b.admin.ListTopics(ctx, name)
	if err == nil {
		err = topics[name].Err
	}
	if err != nil {
		return fmt.Errorf("broker: create topic %q: it exists, but: %w", name, err)
	}
	if n := len(topics[name].Partitions); n != partitions {
		return fmt.Errorf("%w: %q has %d, not %d", ErrTopicConflict, name, n, partitions)
	}
	return nil
}

// Cluster returns the kfake cluster under the broker, for what this package
// does not wrap: fault injection (Fault, ControlKey), forcing compaction
// (Compact) or retention (ApplyRetention), moving partitions. Its methods
// that go through the cluster's run loop (ListenAddrs, Compact, ...) block
// forever once the broker is closed.
func (b *Broker) Cluster() *kfake.Cluster {
	return b.cluster
}

// Close stops the broker, closing client connections; with a [DataDir] it
// first saves its state there (a failure to save is logged, see [Logger]).
// Close is idempotent and safe to call from several goroutines; it always
// returns nil.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		b.client.Close()
		b.cluster.Close()
	})
	return nil
}

// slogLogger is a kfake.Logger writing through slog.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Logf(level kfake.LogLevel, msg string, args ...any) {
	var lvl slog.Level
	switch level {
	case kfake.LogLevelError:
		lvl = slog.LevelError
	case kfake.LogLevelWarn:
		lvl = slog.LevelWarn
	case kfake.LogLevelInfo:
		lvl = slog.LevelInfo
	default:
		lvl = slog.LevelDebug
	}
	ctx := context.Background()
	if s.l.Enabled(ctx, lvl) {
		s.l.Log(ctx, lvl, fmt.Sprintf(msg, args...))
	}
}
