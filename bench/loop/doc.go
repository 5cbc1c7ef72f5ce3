// Package loop benchmarks the processing loop end to end on the embedded
// broker (runtime/broker): consume, decode, handle, encode, produce and
// commit, under exactly-once (a Kafka transaction per batch, the input
// offsets sent to it) and, on librdkafka, at-least-once. tongagen is
// runtime/service decoding the seed's CoffeeOrdered and emitting one
// BillCreated per input; hand-written is the loop a team would write on the
// same client that only copies the bytes: franz-go's GroupTransactSession,
// or confluent-kafka-go's Consumer and transactional Producer.
//
// Every implementation reads the same input (CoffeeOrdered events in
// single-object encoding, one partition) into an output topic of the same
// layout, batch records per transaction, and is checked to have delivered
// every record of its first transactions exactly once before it is timed.
//
// Benchmark names follow transport=T/guarantee=G/batch=B/impl=I, which
// cmd/report groups.
package loop
