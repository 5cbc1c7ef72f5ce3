package franz

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// options are the [kafka.Config.Options] keys New accepts, each a duration
// in milliseconds. The names are librdkafka's where librdkafka has the
// setting, so that one set of options means the same on both transports;
// metadata.min.age.ms is franz-go's own (the least time between two
// metadata refreshes, 5 s by default).
var options = map[string]func(time.Duration) kgo.Opt{
	"session.timeout.ms":     func(d time.Duration) kgo.Opt { return kgo.SessionTimeout(d) },
	"heartbeat.interval.ms":  func(d time.Duration) kgo.Opt { return kgo.HeartbeatInterval(d) },
	"rebalance.timeout.ms":   func(d time.Duration) kgo.Opt { return kgo.RebalanceTimeout(d) },
	"transaction.timeout.ms": func(d time.Duration) kgo.Opt { return kgo.TransactionTimeout(d) },
	"fetch.max.wait.ms":      func(d time.Duration) kgo.Opt { return kgo.FetchMaxWait(d) },
	"linger.ms":              func(d time.Duration) kgo.Opt { return kgo.ProducerLinger(d) },
	"metadata.max.age.ms":    kgo.MetadataMaxAge,
	"metadata.min.age.ms":    kgo.MetadataMinAge,
}

// groupOptions are the options that only apply to a consuming client.
var groupOptions = []string{"session.timeout.ms", "heartbeat.interval.ms", "rebalance.timeout.ms"}

// validate checks cfg as a whole and reports every problem at once.
func validate(cfg *kafka.Config) error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...))
	}
	if len(cfg.Brokers) == 0 {
		add("no Brokers")
	}
	if len(cfg.Topics) > 0 && cfg.Group == "" {
		add("Topics %v need a Group", cfg.Topics)
	}
	for _, t := range cfg.Topics {
		if t == "" {
			add("a topic name in Topics is empty")
		}
	}
	if len(cfg.Partitions) > 0 && len(cfg.Topics) == 0 {
		add("Partitions %v without Topics", cfg.Partitions)
	}
	seen := make(map[int32]bool, len(cfg.Partitions))
	for _, p := range cfg.Partitions {
		if p < 0 || seen[p] {
			add("Partitions %v: partition %d is negative or given twice", cfg.Partitions, p)
		}
		seen[p] = true
	}
	static := len(cfg.Partitions) > 0
	switch cfg.Policy {
	case kafka.OnlyOwn:
		if len(cfg.Topics) > 0 && !static && (cfg.Replicas < 1 || cfg.Instance < 0 || cfg.Instance >= cfg.Replicas) {
			add("Policy OnlyOwn needs 0 <= Instance < Replicas, have Instance %d and Replicas %d", cfg.Instance, cfg.Replicas)
		}
	case kafka.All:
		if !static && cfg.Replicas > 0 && (cfg.Instance < 0 || cfg.Instance >= cfg.Replicas) {
			add("Instance %d is out of range for Replicas %d", cfg.Instance, cfg.Replicas)
		}
	case kafka.Group:
	default:
		add("unknown Policy %d", cfg.Policy)
	}
	if cfg.Start < kafka.StartCommitted || cfg.Start > kafka.StartLatest {
		add("unknown Start %d", cfg.Start)
	}
	if s := cfg.SASL; s != nil {
		if _, err := mechanism(s); err != nil {
			errs = append(errs, err)
		}
	}
	if _, err := optionOpts(cfg.Options, len(cfg.Topics) > 0 && !static); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// mechanism returns the SASL mechanism of s; the error never holds the
// password.
func mechanism(s *kafka.SASL) (sasl.Mechanism, error) {
	if s.User == "" {
		return nil, fmt.Errorf("%w: SASL user is empty", ErrInvalidConfig)
	}
	switch strings.ToUpper(s.Mechanism) {
	case "PLAIN":
		return plain.Auth{User: s.User, Pass: s.Password}.AsMechanism(), nil
	case "SCRAM-SHA-256":
		return scram.Auth{User: s.User, Pass: s.Password}.AsSha256Mechanism(), nil
	case "SCRAM-SHA-512":
		return scram.Auth{User: s.User, Pass: s.Password}.AsSha512Mechanism(), nil
	}
	return nil, fmt.Errorf("%w: SASL mechanism %q: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", ErrInvalidConfig, s.Mechanism)
}

// optionOpts turns Options into kgo options, in key order.
func optionOpts(opts map[string]string, consuming bool) ([]kgo.Opt, error) {
	keys := make([]string, 0, len(opts))
	for k := range opts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var kopts []kgo.Opt
	var errs []error
	for _, k := range keys {
		fn, ok := options[k]
		if !ok {
			errs = append(errs, fmt.Errorf("%w: unknown option %q (franz accepts %s)", ErrInvalidConfig, k, strings.Join(optionNames(), ", ")))
			continue
		}
		ms, err := strconv.ParseUint(opts[k], 10, 31)
		if err != nil {
			errs = append(errs, fmt.Errorf("%w: option %s = %q: want milliseconds, a whole number", ErrInvalidConfig, k, opts[k]))
			continue
		}
		if !consuming && slices.Contains(groupOptions, k) {
			continue
		}
		kopts = append(kopts, fn(time.Duration(ms)*time.Millisecond))
	}
	return kopts, errors.Join(errs...)
}

func optionNames() []string {
	names := make([]string, 0, len(options))
	for k := range options {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// kgoOpts returns the franz-go options for c's configuration: idempotent
// producing with acks=all (franz-go's default), the caller's partition,
// read_committed unless asked otherwise, and the group set-up of c's
// policy.
func (c *client) kgoOpts() ([]kgo.Opt, error) {
	cfg := &c.cfg
	opts := []kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.RecordPartitioner(kgo.ManualPartitioner()),
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.WithHooks(&c.auth),
	}
	if cfg.ClientID != "" {
		opts = append(opts, kgo.ClientID(cfg.ClientID))
	}
	if cfg.Logger != nil {
		opts = append(opts, kgo.WithLogger(slogLogger{cfg.Logger.With("transport", "franz")}))
	}
	if cfg.SASL != nil {
		m, err := mechanism(cfg.SASL)
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.SASL(m))
	}
	if cfg.TLS != nil {
		opts = append(opts, kgo.DialTLSConfig(cfg.TLS.Clone()))
	}
	if cfg.TransactionalID != "" {
		opts = append(opts, kgo.TransactionalID(cfg.TransactionalID))
	}
	switch {
	case c.static():
		opts = append(opts, c.fetchOpts()...)
	case len(cfg.Topics) > 0:
		opts = append(opts, c.fetchOpts()...)
		opts = append(opts, c.groupOpts()...)
	}
	extra, err := optionOpts(cfg.Options, len(cfg.Topics) > 0 && !c.static())
	if err != nil {
		return nil, err
	}
	return append(opts, extra...), nil
}

// fetchOpts are the options of any consuming client.
func (c *client) fetchOpts() []kgo.Opt {
	isolation := kgo.ReadCommitted()
	if c.cfg.ReadUncommitted {
		isolation = kgo.ReadUncommitted()
	}
	reset := kgo.NewOffset().AtStart()
	if c.cfg.Start == kafka.StartLatest {
		reset = kgo.NewOffset().AtEnd()
	}
	return []kgo.Opt{
		// Java's and librdkafka's default, not franz-go's 5 s: a fetch
		// in flight holds back the partitions a rebalance just added.
		kgo.FetchMaxWait(500 * time.Millisecond),
		kgo.FetchIsolationLevel(isolation),
		kgo.ConsumeResetOffset(reset),
		// Poll skips transaction markers, but Positions moves past
		// them.
		kgo.KeepControlRecords(),
	}
}

// groupOpts are the options of a client consuming through its group.
func (c *client) groupOpts() []kgo.Opt {
	cfg := &c.cfg
	balancer := kgo.CooperativeStickyBalancer()
	if cfg.Policy != kafka.Group {
		balancer = newBalancer(cfg.Policy, cfg.Instance, cfg.Replicas)
	}
	return []kgo.Opt{
		kgo.ConsumeTopics(cfg.Topics...),
		kgo.ConsumerGroup(cfg.Group),
		kgo.Balancers(balancer),
		kgo.DisableAutoCommit(),
		kgo.OnPartitionsAssigned(c.onAssigned),
		kgo.OnPartitionsRevoked(c.onRevoked),
		kgo.OnPartitionsLost(c.onRevoked),
		kgo.AdjustFetchOffsetsFn(c.adjustOffsets),
	}
}
