// Package rdkafka is the [kafka.Client] on librdkafka, through
// confluent-kafka-go (cgo; its bundled static librdkafka for linux/amd64
// and arm64, darwin and musl). It is linked only into programs that import
// it; [github.com/tonga-go/tonga/runtime/kafka/franz] is the pure-Go
// default. Both pass the conformance suite in
// [github.com/tonga-go/tonga/runtime/kafka/kafkatest].
//
// Guarantees: idempotence and acks=all are always on, consumers read
// committed records unless [kafka.Config.ReadUncommitted], and every
// record goes to the partition the caller chose (librdkafka's default
// partitioner, CRC32-based, is not Java-compatible and never runs).
// [kafka.Config.Options] are librdkafka properties passed through; those
// that contradict the guarantees or the Config (enable.idempotence=false,
// acks other than all, a partitioner, isolation.level, transactional.id,
// group.id, auto.offset.reset, auto-commit, the assignment strategy,
// confluent-kafka-go's go.* settings) are refused with [ErrInvalidConfig].
//
// Assignment: librdkafka cannot run custom assignors, so policies OnlyOwn
// and All assign statically (after fetching the topics' metadata, which
// also spares librdkafka's wait for metadata before the first fetch) and
// commit offsets in transactions through SendOffsetsToTransaction with the
// consumer's group metadata (generation -1: no KIP-447 member fencing; the
// transactional id fences instead). Policy Group subscribes with
// cooperative-sticky; librdkafka delivers rebalances through Poll, where
// [kafka.Config.Rebalanced] runs. [kafka.Config.Start] decides where
// static assignment starts (StartEarliest and StartLatest whatever is
// committed); in a group the committed offset always wins and Start applies
// where none is. Rewind assigns the partitions again with explicit
// offsets: a seek on a partition whose start is still being looked up
// stalls it in librdkafka 2.11.1.
//
// Defaults that differ from librdkafka's: fetch.wait.max.ms is 100 (a
// consumer's Close waits for the fetch in flight; 500 ms made every Close
// that slow), and librdkafka's log_level is 0 when no Logger is given (it
// would print to stderr). Both may be changed through Options. A member of
// a group learns of a rebalance from its heartbeat (heartbeat.interval.ms,
// 3 s), and a cooperative rebalance takes two.
//
// Security: [kafka.Config.SASL] maps to security.protocol, sasl.mechanisms,
// sasl.username and sasl.password. librdkafka runs its own TLS and cannot
// take a *tls.Config: from [kafka.Config.TLS], a client certificate becomes
// ssl.certificate.pem and ssl.key.pem, InsecureSkipVerify turns
// verification off, and RootCAs must be given again as the Option
// ssl.ca.location or ssl.ca.pem (New says so); other ssl.* Options tune
// the rest.
//
// Logging: librdkafka's log lines go to [kafka.Config.Logger] at their
// severities. librdkafka's blocking calls take timeouts, not contexts:
// they honour a context's deadline (a context without one gets 60 s), and
// a cancellation is noticed when the call returns.
package rdkafka
