package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/tonga-go/tonga/runtime/kafka"
	"github.com/tonga-go/tonga/runtime/tonga"
	"github.com/tonga-go/tonga/runtime/wire"
)

// Guarantee is a processing guarantee.
type Guarantee int

const (
	// ExactlyOnce commits outputs, store writes and input offsets in one
	// Kafka transaction.
	ExactlyOnce Guarantee = iota
	// AtLeastOnce acknowledges outputs before the input offsets are
	// committed; a crash may redo some records.
	AtLeastOnce
)

// String returns Tonga's name of g: exactly_once, at_least_once.
func (g Guarantee) String() string {
	switch g {
	case ExactlyOnce:
		return tonga.ExactlyOnce
	case AtLeastOnce:
		return tonga.AtLeastOnce
	}
	return "Guarantee(" + strconv.Itoa(int(g)) + ")"
}

// Action is what happens to a record that failed for good.
type Action int

const (
	// DeadLetter sends the record to the dead-letter topic and goes on.
	DeadLetter Action = iota
	// Skip logs the record, counts it and goes on.
	Skip
	// Stop makes Run return the error.
	Stop
)

// ErrorPolicy says how failures are handled.
type ErrorPolicy struct {
	// Retries is how many times a failing handler is called again before
	// the record counts as failed. Decoding errors are not retried.
	Retries int
	// Backoff is the wait before the first retry; it doubles up to
	// MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Then is what happens to a failed record.
	Then Action
	// DeadLetterTopic names the dead-letter topic of an input topic;
	// nil means topic + ".dlq".
	DeadLetterTopic func(topic string) string
}

// Transport creates the Kafka client; franz.New and rdkafka.New fit.
type Transport func(ctx context.Context, cfg kafka.Config) (kafka.Client, error)

// Option configures a Service.
type Option func(*config)

type config struct {
	name       string
	brokers    []string
	transport  Transport
	registry   *tonga.Registry
	inputs     []string
	policy     kafka.Policy
	instance   int
	replicas   int
	start      kafka.StartOffset
	guarantee  Guarantee
	batchSize  int
	batchEvery time.Duration
	framing    wire.Framing
	framings   map[string]wire.Framing
	onError    ErrorPolicy
	logger     *slog.Logger
	httpAddr   string
	sasl       *kafka.SASL
	options    map[string]string
	setup      []func(*Service) error
	routes     []route
}

type route struct {
	pattern string
	h       http.Handler
}

// Defaults. DefaultBatchSize and DefaultBatchInterval bound a transaction:
// with franz-go on the embedded broker a transaction costs about 0.16 ms
// whatever its size (librdkafka about 1.9 ms), so 1000 records amortise
// it to well under a microsecond each, while 100 ms keeps the latency of
// a quiet topic low.
const (
	DefaultBatchSize     = 1000
	DefaultBatchInterval = 100 * time.Millisecond
)

func defaultConfig(name string) config {
	return config{
		name:       name,
		transport:  defaultTransport,
		replicas:   1,
		start:      kafka.StartCommitted,
		batchSize:  DefaultBatchSize,
		batchEvery: DefaultBatchInterval,
		framing:    wire.FramingSingleObject,
		framings:   map[string]wire.Framing{},
		onError:    ErrorPolicy{Retries: 3, Backoff: 100 * time.Millisecond, MaxBackoff: 5 * time.Second},
		logger:     slog.New(slog.DiscardHandler),
	}
}

// Brokers sets the bootstrap addresses.
func Brokers(addrs ...string) Option { return func(c *config) { c.brokers = addrs } }

// WithTransport picks the Kafka client; the default is franz-go's.
func WithTransport(t Transport) Option { return func(c *config) { c.transport = t } }

// Registry sets the record types and handlers.
func Registry(r *tonga.Registry) Option { return func(c *config) { c.registry = r } }

// Inputs names the topics to consume.
func Inputs(topics ...string) Option {
	return func(c *config) { c.inputs = append(c.inputs, topics...) }
}

// Assignment sets the policy (kafka.OnlyOwn by default).
func Assignment(p kafka.Policy) Option { return func(c *config) { c.policy = p } }

// Instance sets this instance's ordinal and the number of replicas.
func Instance(ordinal, replicas int) Option {
	return func(c *config) { c.instance, c.replicas = ordinal, replicas }
}

// Start sets where consumption starts on partitions with no committed
// offset... and with kafka.StartEarliest or StartLatest, on all of them.
func Start(s kafka.StartOffset) Option { return func(c *config) { c.start = s } }

// WithGuarantee sets the processing guarantee (ExactlyOnce by default).
func WithGuarantee(g Guarantee) Option { return func(c *config) { c.guarantee = g } }

// Batch bounds a transaction (or an offset commit under at-least-once):
// commit after n records or every interval, whichever comes first.
func Batch(n int, interval time.Duration) Option {
	return func(c *config) { c.batchSize, c.batchEvery = n, interval }
}

// Framing sets the framing of emitted records, single-object encoding by
// default; TopicFraming overrides it for one topic (wire.FramingContainer
// to talk to Python Tonga services).
func Framing(f wire.Framing) Option { return func(c *config) { c.framing = f } }

// TopicFraming sets the framing of the records emitted to topic.
func TopicFraming(topic string, f wire.Framing) Option {
	return func(c *config) { c.framings[topic] = f }
}

// OnError sets the failure policy.
func OnError(p ErrorPolicy) Option { return func(c *config) { c.onError = p } }

// Logger sets the logger; nothing is logged by default.
func Logger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// HTTP serves /metrics (Prometheus text), /healthz and /readyz on addr.
func HTTP(addr string) Option { return func(c *config) { c.httpAddr = addr } }

// Route mounts h on the HTTP server that HTTP starts, next to /metrics,
// /healthz and /readyz; pattern is in http.ServeMux syntax, such as
// "POST /waiter/order-coffee". Routes serve while Run runs, from before
// the stores are ready: a route that reads a store checks its Ready.
func Route(pattern string, h http.Handler) Option {
	return func(c *config) { c.routes = append(c.routes, route{pattern, h}) }
}

// SASL sets credentials for the Kafka connection.
func SASL(mechanism, user, password string) Option {
	return func(c *config) { c.sasl = &kafka.SASL{Mechanism: mechanism, User: user, Password: password} }
}

// ClientOptions passes client-specific settings to the transport.
func ClientOptions(opts map[string]string) Option { return func(c *config) { c.options = opts } }

func (c *config) validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("service %q: "+format, append([]any{c.name}, args...)...))
	}
	switch {
	case c.name == "":
		add("a service needs a name")
	case len(c.brokers) == 0:
		add("no brokers: use service.Brokers")
	case c.registry == nil:
		add("no registry: use service.Registry with the generated Schemas() and handlers")
	case len(c.inputs) == 0:
		add("no input topics: use service.Inputs")
	}
	if c.replicas < 1 || c.instance < 0 || c.instance >= c.replicas {
		add("instance %d is out of range for %d replicas", c.instance, c.replicas)
	}
	if c.batchSize < 1 || c.batchEvery <= 0 {
		add("a batch needs at least 1 record and a positive interval (got %d, %v)", c.batchSize, c.batchEvery)
	}
	if c.framing != wire.FramingSingleObject && c.framing != wire.FramingContainer {
		add("records can be emitted in soe or tonga framing, not %v", c.framing)
	}
	if c.onError.Retries < 0 || c.onError.Backoff < 0 {
		add("retries and backoff must not be negative")
	}
	return errors.Join(errs...)
}
