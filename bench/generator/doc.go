// Package generator benchmarks code generation: tongagen against
// gogen-avro v10 and hamba/avro's avrogen, each run as its real binary
// (built once, then run per iteration, so process start, schema reading and
// file writing are counted) on 10, 100 and 1000 record schemas synthesised
// here, one schema per file, each with ten to twelve fields of mixed
// types, in groups of ten that reference the group's first record. tongagen is also run in-process
// (cli.Main, the function its main calls) so that the memory it allocates
// shows in B/op; the binaries' peak resident memory is reported as
// peak-RSS-MiB.
//
// The report program builds the binaries once for all rounds and passes
// their directory in $BENCH_TOOLS; without it, the benchmark builds them.
//
// Benchmark names follow schemas=N/impl=I, which cmd/report groups.
package generator
