// Package kafka is the transport the Tonga runtime runs on: the handful of
// Kafka operations the processing loop needs — consuming assigned
// partitions, producing to a chosen partition, transactions that carry
// input offsets, committed offsets, and the admin calls for topics and
// end offsets — as one [Client] interface with two implementations:
//
//   - [github.com/tonga-go/tonga/runtime/kafka/franz], on franz-go, the
//     default: pure Go, so services build with CGO_ENABLED=0;
//   - [github.com/tonga-go/tonga/runtime/kafka/rdkafka], on
//     confluent-kafka-go (librdkafka, cgo), for teams standardised on it;
//     linked only into programs that import it.
//
// Both pass the same conformance suite,
// [github.com/tonga-go/tonga/runtime/kafka/kafkatest], against the
// embedded broker, so choosing one is an import, not a rewrite.
//
// Errors are classified from each client's own signals: errors.Is an
// error against [ErrFenced], [ErrAbortable], [ErrRetriable] or [ErrFatal]
// tells what the caller may do next.
package kafka
