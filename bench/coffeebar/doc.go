// Package coffeebar benchmarks the coffee bar example end to end: its demo
// binary (examples/coffeebar, built once) runs every service of the bar
// in-process on the embedded broker, serves a crowd of customers and
// prints a summary, from which the benchmark reports coffees per second
// and the latency percentiles of the whole flow, CoffeeOrdered to
// BillPaid.
//
// Benchmark names follow orders=N/impl=tongagen, which cmd/report groups.
package coffeebar
