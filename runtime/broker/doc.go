// Package broker runs an embedded Kafka-protocol broker for development and
// tests. It wraps kfake, franz-go's broker written in Go, which implements
// enough of Kafka for Tonga's runtime: idempotent and transactional
// producers, read_committed fetches, consumer groups, transactional offset
// commits (KIP-447), log compaction, persistence to a data directory, SASL
// (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) and ACLs.
//
// A [Broker] is one node listening on one address, 127.0.0.1 and a free
// port unless [Listen] says otherwise. Any Kafka client connects to
// [Broker.Addrs]; topics are created at start with [Topic] or later with
// [Broker.CreateTopic], through the Kafka protocol, so their configs (such as
// cleanup.policy=compact for changelogs) apply as they would on Kafka.
// Tests that need fault injection reach the underlying cluster through
// [Broker.Cluster].
//
//	b, err := broker.Start(ctx, broker.Topic("orders", 3, nil))
//	if err != nil {
//		return err
//	}
//	defer b.Close()
//	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addrs()...))
package broker
