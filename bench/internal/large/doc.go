// Package large is tongagen's code for bench/schemas/order.avsc, the larger
// record of the codec benchmarks.
package large

//go:generate go run github.com/tonga-go/tonga/cmd/tongagen generate --package large ../../schemas
