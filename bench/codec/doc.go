// Package codec benchmarks the Avro binary codec of tongagen's generated
// code against hamba/avro, goavro and gogen-avro, on the seed's
// CoffeeOrdered and on the larger Order of bench/schemas. Every
// implementation encodes the same value (package fixture) and decodes the
// same bytes (tongagen's encoding, which each peer is checked to read back
// to that value before it is timed).
//
// Benchmark names follow record=R/op=O/impl=I, which cmd/report groups.
package codec
