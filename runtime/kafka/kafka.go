package kafka

import (
	"context"
	"crypto/tls"
	"log/slog"
	"time"
)

// TopicPartition names one partition.
type TopicPartition struct {
	Topic     string
	Partition int32
}

// Header is a record header.
type Header struct {
	Key   string
	Value []byte
}

// Record is a Kafka record, consumed or to produce.
type Record struct {
	Topic     string
	Partition int32
	// Offset is set on consumed records and on produced ones once
	// acknowledged.
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   []Header
	Timestamp time.Time
}

// Policy says which partitions of the input topics an instance consumes.
type Policy int

const (
	// OnlyOwn is Tonga's statefulset assignment: instance i of n
	// consumes partition i of each input topic, which must have n
	// partitions.
	OnlyOwn Policy = iota
	// All makes every instance consume every partition.
	All
	// Group shares the partitions in a consumer group (cooperative-sticky)
	// among the live members; for stateless services.
	Group
)

// StartOffset is where consumption starts on a partition.
type StartOffset int

const (
	// StartCommitted resumes at the group's committed offset, or at the
	// earliest offset where none is committed.
	StartCommitted StartOffset = iota
	// StartEarliest starts at the first retained record.
	StartEarliest
	// StartLatest starts after the last record.
	StartLatest
)

// SASL holds SASL credentials.
type SASL struct {
	// Mechanism is "PLAIN", "SCRAM-SHA-256" or "SCRAM-SHA-512".
	Mechanism string
	User      string
	Password  string
}

// Config configures a Client. It is plain data: each implementation's
// New validates it and returns an error for what it cannot honour.
type Config struct {
	// Brokers are the bootstrap addresses, host:port.
	Brokers []string
	// ClientID names the client in broker logs.
	ClientID string
	// Group is the consumer group whose committed offsets the client
	// reads and writes; required when Topics is set.
	Group string
	// Topics are the topics to consume; none for a producer-only client.
	Topics []string
	// Partitions, when set, are exactly the partitions of each topic the
	// client consumes, assigned statically whatever the Policy (a store
	// reads its own changelog partition, or every other one).
	Partitions []int32
	// Policy, Instance and Replicas decide the partitions consumed.
	Policy   Policy
	Instance int
	Replicas int
	Start    StartOffset
	// ReadUncommitted makes consumers see records of open and aborted
	// transactions; the default is read_committed.
	ReadUncommitted bool
	// TransactionalID enables transactions. Idempotence and acks=all are
	// always on.
	TransactionalID string
	// SASL and TLS secure the connection when set.
	SASL *SASL
	TLS  *tls.Config
	// Logger receives the client's log lines; nil discards them.
	Logger *slog.Logger
	// Rebalanced, when set, is called on the polling goroutine, inside
	// Poll, before the client consumes a new assignment (Policy Group
	// only): revoked partitions are given up when it returns, so a
	// caller ends its transaction there.
	Rebalanced func(ctx context.Context, assigned, revoked []TopicPartition)
	// Options are client-specific settings passed through as they are
	// (librdkafka properties for rdkafka); an implementation rejects keys
	// it does not know.
	Options map[string]string
}

// Client is what the Tonga runtime needs from a Kafka client, for one
// service instance. Methods are safe for concurrent use unless noted;
// Poll, Rewind and the transaction methods are called one at a time,
// never concurrently, though not always from one goroutine (the service
// commits a batch on a goroutine of its own while it handles the next).
type Client interface {
	// Poll returns up to max records from the assigned partitions, in
	// offset order per partition, waiting until there is at least one or
	// ctx is done (then it returns ctx.Err()).
	Poll(ctx context.Context, max int) ([]Record, error)
	// Assigned returns the partitions the client consumes now.
	Assigned() []TopicPartition
	// Rewind moves every assigned partition back to its committed offset
	// (the start offset where none is committed): after an abort, the
	// records since the last commit are consumed again.
	Rewind(ctx context.Context) error
	// Seek moves the given assigned partitions to the given offsets (the
	// next offset to consume); the others keep their positions.
	Seek(ctx context.Context, offsets map[TopicPartition]int64) error
	// Positions returns, per assigned partition, the next offset Poll
	// consumes: past every record returned and past the transaction
	// markers and aborted records the client skipped, so that a position
	// reaching Admin.EndOffsets means the partition was read to its end.
	Positions() map[TopicPartition]int64
	// Committed returns the group's committed offsets (the next offset to
	// consume) of tps, -1 where none is committed.
	Committed(ctx context.Context, tps []TopicPartition) (map[TopicPartition]int64, error)
	// CommitOffsets commits offsets outside any transaction.
	CommitOffsets(ctx context.Context, offsets map[TopicPartition]int64) error

	// Produce sends r to r.Topic and r.Partition — the caller picks the
	// partition; the client's partitioner never does — and calls done
	// once with the acknowledged record or the error. done runs on a
	// client goroutine and must not block.
	Produce(ctx context.Context, r *Record, done func(*Record, error))
	// Flush waits until every record produced so far is acknowledged or
	// has failed.
	Flush(ctx context.Context) error

	// BeginTransaction starts a transaction.
	BeginTransaction() error
	// CommitTransaction flushes, adds offsets (the next offsets to
	// consume; possibly none) to the transaction for the group, and
	// commits it. A transaction with offsets and no produced record
	// commits its offsets too.
	CommitTransaction(ctx context.Context, offsets map[TopicPartition]int64) error
	// AbortTransaction aborts the open transaction: its records are never
	// seen by read_committed consumers and its offsets are not committed.
	AbortTransaction(ctx context.Context) error

	// Admin returns the client's admin operations.
	Admin() Admin
	// Close flushes nothing and releases the client; an open transaction
	// is aborted by the broker when its timeout expires or the
	// transactional id is reused.
	Close()
}

// Admin holds the admin operations the runtime needs.
type Admin interface {
	// CreateTopic creates a topic with configs (e.g. cleanup.policy =
	// compact). A topic that exists with the same partition count is not
	// an error; with another count, it is one naming both.
	CreateTopic(ctx context.Context, name string, partitions int, configs map[string]string) error
	// Partitions returns a topic's partition count; ErrUnknownTopic when
	// it does not exist.
	Partitions(ctx context.Context, topic string) (int, error)
	// EndOffsets returns, per partition, the offset after the last stable
	// record (read_committed end: transaction markers included), which a
	// consumer's position reaches when it has read everything.
	EndOffsets(ctx context.Context, tps []TopicPartition) (map[TopicPartition]int64, error)
	// StartOffsets returns the first retained offset of each partition.
	StartOffsets(ctx context.Context, tps []TopicPartition) (map[TopicPartition]int64, error)
}
