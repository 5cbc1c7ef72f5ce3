// Package franz is the default [kafka.Client] transport, on franz-go
// (github.com/twmb/franz-go, pure Go: services build with CGO_ENABLED=0).
// It is named franz, not kgo, so as not to collide with franz-go's kgo in
// user code. [New] builds a client; it passes the conformance suite,
// [github.com/tonga-go/tonga/runtime/kafka/kafkatest].
//
// # Producing
//
// The producer is idempotent with acks=all (franz-go's defaults, asked for
// explicitly), and every record goes to the partition the caller set
// (franz-go's manual partitioner): the runtime partitions, never the
// client. A record of a transaction that fails makes CommitTransaction
// refuse to commit (franz-go alone would commit the records that
// succeeded).
//
// # Assignment and transactional offsets
//
// franz-go commits offsets inside a transaction only through
// kgo.GroupTransactSession, which needs a consumer group: its
// TxnOffsetCommit path is unexported. So a client consuming by Policy is a
// group member, and a transactional one runs in a GroupTransactSession:
//
//   - Policy OnlyOwn and All are a group balancer of protocol "tonga". Each
//     member's join metadata carries, as JSON with Python Tonga's
//     assignors_data keys, its instance, replica count and policy; the
//     leader gives a member partition Instance of every topic (OnlyOwn) or
//     every partition (All). Partitions never move between members, so the
//     balancer is cooperative and another instance joining or leaving
//     revokes nothing here. Two live members claiming one instance both get
//     its partitions; their shared transactional id (<service>-<instance>)
//     fences the older.
//   - Policy Group is a plain group with franz-go's cooperative-sticky
//     balancer.
//
// Config.Partitions is a static assignment: no group membership, the
// partitions consumed from New on (kgo.Client.AddConsumePartitions, at
// offsets New resolves: the group's committed offsets, the first retained
// or the end offsets), Rebalanced never called. Committed and
// CommitOffsets still use the Group, as an admin would; a transaction of
// such a client cannot carry offsets (CommitTransaction says so), since
// franz-go commits offsets in a transaction only as a group member.
//
// The session commits the offsets with KIP-447 fencing (member id and
// generation). CommitTransaction commits exactly the offsets it is given:
// the session would commit everything polled, so the TxnOffsetCommit
// request is rewritten before it is sent (kgo.PreTxnCommitFnContext), and
// the session records the request as sent as its committed state. A
// transaction with offsets and no record commits: the session marks the
// group added to the transaction, so franz-go sends EndTxn although no
// partition was produced to. The other route — static assignment and
// hand-made AddOffsetsToTxn/TxnOffsetCommit requests — fails there:
// kgo.Client.EndTransaction returns without sending EndTxn when no record
// was produced, and an EndTxn sent by hand under KIP-890 part 2 (which
// Kafka 4 and kfake implement) bumps the producer epoch behind franz-go's
// back. A transaction without offsets ends through kgo.Client.EndTransaction
// directly: the session, with no TxnOffsetCommit answer to show the broker
// supports KIP-447, would hold its lock for 500 ms after the commit.
//
// A rebalance is the session's to arbitrate: if partitions were revoked or
// lost while a transaction was open, or the offsets commit meets a
// rebalance, the session aborts instead of committing, and
// CommitTransaction returns an error matching [kafka.ErrAbortable]. That is
// how franz-go keeps exactly-once without blocking rebalances; the caller
// aborts (a no-op then), rewinds and redoes. Under OnlyOwn and All nothing
// is revoked in normal operation; under Group, a revocation costs one such
// abort, possibly of the next transaction if none was open.
//
// # Rebalanced, Assigned and Poll
//
// franz-go calls OnPartitionsAssigned and OnPartitionsRevoked on its group
// goroutine, holding locks that ending a transaction needs, so the
// callbacks never wait for the polling goroutine: they record the change
// and wake a waiting Poll. Poll calls Config.Rebalanced (Policy Group only)
// before it returns any record of a newly assigned partition, and drops
// records of partitions revoked meanwhile. Revoked partitions are already
// given up when Rebalanced reports them: a transaction that included them
// cannot commit (see above). Assigned changes inside Poll too, so that
// between polls it agrees with what Rebalanced reported.
// kgo.BlockRebalanceOnPoll is not used: with it, franz-go's poll blocks,
// whatever its context, while a rebalance callback runs.
//
// # Start offsets, Seek, Positions and Rewind
//
// Config.Start applies to a partition the first time the client consumes
// it (kgo.AdjustFetchOffsetsFn): StartEarliest and StartLatest override a
// committed offset, StartCommitted keeps it and falls back to the earliest
// offset. StartLatest is resolved when New runs (the last stable offsets,
// or the high watermarks under ReadUncommitted), so records produced after
// New returns are consumed however late the group assigns the partition.
// Relative offsets are resolved to absolute ones there, so that a
// partition's position is known before its first record.
//
// Positions counts transaction markers: the client fetches control
// records (kgo.KeepControlRecords), Poll drops them, and the position moves
// past them, as past the aborted records before an abort marker. A
// partition read to its end thus has its position at Admin.EndOffsets.
// Seek sets the position of an assigned partition (a static one not yet
// fetched starts there; a group-assigned one whose committed offset is
// still being fetched too).
//
// Rewind moves each assigned partition back to the offset the client last
// committed for it or, where it committed nothing since the partition was
// assigned, to the first offset it consumed since. A commit whose outcome
// the client could not confirm (its CommitTransaction or CommitOffsets
// returned an error after sending it) is settled by reading the group's
// offsets from the broker, waiting for pending transactional commits: if
// the broker has the offset, the commit happened and is not redone.
//
// franz-go 1.22.3 can leave a broker's fetch loop stopped when two consumer
// sessions follow each other closely (an aborted transaction's offsets are
// reset by the session, then by Rewind): a waiting Poll restarts the fetch
// loops every 500 ms, which recovers from it.
//
// # Errors
//
// Errors are *kafka.Error values with Op, Topic and Partition, classified
// from kerr codes and franz-go's errors: PRODUCER_FENCED and
// INVALID_PRODUCER_EPOCH are [kafka.ErrFenced]; TRANSACTION_ABORTABLE,
// UNKNOWN_PRODUCER_ID, a transaction the session aborted, and any failure
// of a produce or commit inside a transaction that is not fencing,
// authorization or fatal are [kafka.ErrAbortable] — so a failed EndTxn
// surfaces as ErrAbortable; retriable codes and timeouts outside a
// transaction are [kafka.ErrRetriable]; SASL failures, INVALID_TXN_STATE
// and a closed client are [kafka.ErrFatal]; topic, group, transactional id
// and cluster authorization failures are [kafka.ErrAuthorization]; unknown
// topics are [kafka.ErrUnknownTopic]. A broker may answer a fenced epoch
// with INVALID_TXN_STATE (kfake does, taking the request for a KIP-890
// retry): the client then describes its transactional id, and reports
// ErrFenced if another producer holds it. A fenced client stays fenced:
// every later transactional operation and produce fails with ErrFenced.
//
// New checks what it can at once: it connects (a broker closing the
// connection during SASL authentication is ErrFatal, naming the user, never
// the password), initialises the producer id of a transactional client
// (which fences an older client with the same id), and checks that the
// topics to consume exist and, under OnlyOwn, have one partition per
// replica.
//
// # Options
//
// franz-go has no passthrough properties. Config.Options accepts only
// these keys, each in milliseconds, named as librdkafka names them (but
// metadata.min.age.ms): session.timeout.ms, heartbeat.interval.ms,
// rebalance.timeout.ms, transaction.timeout.ms, fetch.max.wait.ms (500 by
// default here, as in Java and librdkafka), linger.ms, metadata.max.age.ms
// and metadata.min.age.ms (franz-go's least time between metadata
// refreshes, 5000 by default; a retry after a leadership change waits for
// it). Any other key is an error wrapping [ErrInvalidConfig].
//
// Config.Logger receives franz-go's log lines at the matching slog levels;
// they hold no credentials. Config.TLS is passed to franz-go as it is, and
// Config.SASL supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512.
package franz
