// Package framing benchmarks the two message framings of runtime/wire —
// Avro single-object encoding and Tonga's container framing (one Avro
// object container file per message, as Python Tonga writes it) — against
// the same framings in hamba/avro (soe, ocf) and goavro
// (SingleFromNative, OCFWriter/OCFReader), on the seed's CoffeeOrdered:
// encode and decode of one message, and the bytes of a message.
//
// Benchmark names follow framing=F/op=O/impl=I, which cmd/report groups.
package framing
