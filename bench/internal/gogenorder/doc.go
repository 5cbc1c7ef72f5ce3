// Package gogenorder is gogen-avro v10's code for bench/schemas/order.avsc,
// the peer of package large in the codec benchmarks.
package gogenorder

//go:generate go run github.com/actgardner/gogen-avro/v10/cmd/gogen-avro -package gogenorder . ../../schemas/order.avsc
