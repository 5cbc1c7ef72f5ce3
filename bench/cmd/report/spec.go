package main

// The questions docs/BENCHMARKS.md answers, in page order. Adding one is
// adding a Benchmark function (names of the form Bench/key=value/impl=I)
// and an entry here.
var questions = []question{
	{
		Title:   "Codec",
		Package: "./codec",
		Bench:   "Codec",
		Groups:  []string{"record", "op"},
		Intro: `Avro binary encode and decode of one record, without framing. Records: the seed's
CoffeeOrdered (testdata/seed/want, 12 fields, 222 bytes encoded) and Order (bench/schemas/order.avsc,
524 bytes: nested records, arrays of records, maps, a union of two records, an enum, a fixed,
bytes). Encode writes into a reused buffer; decode reads into a new value, as a consumer handing
each record to a handler does, and every implementation decodes the same bytes.`,
		Targets: codecTargets(),
	},
	{
		Title:   "Framing",
		Package: "./framing",
		Bench:   "Framing",
		Groups:  []string{"framing", "op"},
		Metrics: []metric{{Unit: "bytes/msg", Label: "bytes/msg", Format: formatCount}},
		Intro: `One CoffeeOrdered message, framed and unframed: Avro single-object encoding (C3 01,
8-byte fingerprint, body) and Tonga's container framing (one Avro object container file per
message, writer schema in its header, null codec, fresh sync marker, as Python Tonga writes).
tongagen-registry is the runtime's consumer path, wire.NewDecoder(registry).Decode: framing
detection, writer-schema lookup (by fingerprint, or by the container header's schema text, cached)
and decoding into the registered type. Every implementation decodes the message runtime/wire
wrote; bytes/msg is the size of the message each one writes.`,
	},
	{
		Title:          "Processing loop",
		Package:        "./loop",
		Bench:          "Loop",
		Groups:         []string{"transport", "guarantee", "batch"},
		Metrics:        []metric{{Unit: unitRate, Label: "records/s", Format: formatRate}},
		Benchtime:      "200ms",
		QuickBenchtime: "50ms",
		QuickRounds:    1,
		Impls:          map[string]implInfo{handWritten: {Label: "hand-written loop (copies bytes)"}},
		Modules:        []string{"github.com/confluentinc/confluent-kafka-go/v2"},
		Describe:       describeLoop,
		Intro: `Consume, decode, handle, encode, produce, commit, on the embedded broker (runtime/broker, which
runs kfake inside the benchmark's process: broker, clients and loop share the machine's cores). The
input is CoffeeOrdered events (the codec question's record, each with its own 36-character UUID as
UUID, partition key and Kafka key; single-object encoding, 232 bytes) in a topic of one partition;
the output topic has one partition too. **tongagen** is runtime/service on the transport named
(franz: runtime/kafka/franz, franz-go; rdkafka: runtime/kafka/rdkafka, confluent-kafka-go),
instance 0 of 1 under only_own, with the seed's registry (testdata/seed/want) and its defaults but
for the batch: it decodes every record into its generated type and dispatches it to a handler that
emits one BillCreated (a new record id and timestamp, the order's UUID, amount and partition key),
which it encodes, partitions by its key with murmur2 and produces; the outputs and the input
offsets commit in one transaction per batch. The **hand-written loop** on the same client decodes
nothing: it copies each record's key and value to the output partition of the same number, and
commits the same way (see the rules above). batch=N is N records per transaction, or 100 ms after
the first record, which never comes first here; default is the framework's default, 1000 records
or 100 ms; batch=1, one transaction per message, is what Python Tonga did. at-least-once
(librdkafka only, as in the issue): outputs acknowledged, then the input offsets committed. Timed:
from the moment the input is visible (a separate producer writes it before timing, in one
transaction, so that a read_committed consumer sees it at once) until the loop has committed the
offset after the last record; each measurement covers at least 5 transactions (b.N records rounded
up to whole transactions), and time/op, allocs/op and B/op are per record. Not timed: start-up
(broker, clients, group join, producer id) and the first transactions (max(batch, 10) records),
whose outputs are read back and checked to hold each input exactly once. allocs/op and B/op count
the whole process, the broker's work included, and not librdkafka's C heap. On this shared machine
absolute rates are several times below a quiet one's and vary from round to round (the issue's
hand-written figures, measured here when it was quiet: franz-go 6.1k / 372k / 1.16M and librdkafka
517 / 59.6k / 173k records/s at 1 / 100 / 1000 per transaction, librdkafka at-least-once 224k);
compare the ratios, which come from the same run.`,
		Targets: loopTargets(),
	},
	{
		Title:   "Partitioner",
		Package: "./partition",
		Bench:   "Partition",
		Intro: `Mapping a 36-byte key (a UUID as text) to one of 12 partitions with the Java client's
murmur2, as Kafka's default partitioner does. All three agree with runtime/partition on keys of
every length from 0 to 40 bytes before they are timed.`,
	},
	{
		Title:          "Stores",
		Package:        "./stores",
		Bench:          "Stores",
		Groups:         []string{"op", "backend"},
		Metrics:        []metric{{Unit: unitRate, Label: "records/s", Format: formatRate}, {Unit: "ops/s", Label: "ops/s", Format: formatRate}},
		QuickBenchtime: "100ms",
		QuickRounds:    1,
		// A round restores 1M records six times: about 2.5 min here.
		Rounds:    3,
		BuildTags: rocksdbTags,
		Impls: map[string]implInfo{
			ourImpl:          {Label: "tongagen (runtime/store)"},
			"plain-consumer": {Label: "plain consumer (franz-go)"},
			"go-map":         {Label: "Go map"},
		},
		QuickNote: "a changelog of 100k records and a read store of 2^17 keys (`make bench`: 1M and 2^20), in the first round only, at `-benchtime 100ms`.",
		Intro: `runtime/store's local store on each backend: memory (store.NewMemory), Pebble
(runtime/store/pebble, its defaults) and RocksDB (runtime/store/rocksdb, its defaults, Kafka
Streams' settings: WAL off, bloom filter; built with the tag rocksdb, which the report passes where
/usr/include/rocksdb/c.h exists). The workload is runtime/store/storetest's: 36-byte keys (UUIDs as
text), 100-byte random values. **restore**: a changelog of 1M set records on distinct keys (Tonga
store records, single-object encoded, one partition) on the embedded broker; tongagen is a service
whose local store, in a new directory, rebuilds from it, timed from the store's start to its being
caught up (open, read, decode, write), then checked to hold every key; the **plain consumer** is a
read_committed franz-go consumer reading the same partition to its end, client start included,
measured beside each backend's rows; time/op is one whole read. **put**: sets in batches of 1000,
each with a changelog offset, into a fresh backend, against assignments to a Go map (each value
copied); **get**: random gets of a store of 2^20 keys, filled and compacted first, against a Go map
of the same keys; time/op is one put or get. The issue's hand-written grocksdb figures: 236k puts/s
and 78k gets/s with default options, 364k / 91k with Kafka Streams' settings; a Go map 1.1M / 2.2M.`,
		Targets: storesTargets(),
	},
	{
		Title:     "Generator",
		Package:   "./generator",
		Bench:     "Generate",
		Groups:    []string{"schemas"},
		Metrics:   []metric{{Unit: "peak-RSS-MiB", Label: "peak RSS", Format: formatMiB}},
		QuickNote: "above 100 schemas only the tongagen binary runs; `make bench` runs every generator at every size.",
		Setup:     buildGenerators,
		// A child process does the work: the allocations benchmem counts
		// are the benchmark's own, starting it.
		NoAllocs: []string{"tongagen", "gogen-avro", "avrogen"},
		Intro: `Generating Go code from 10, 100 and 1000 record schemas synthesised by the benchmark (one
schema per file, ten to twelve fields each: every primitive type, a nullable string, an array, a
map, an enum and a fixed of its own, and references to the first record of each group of ten).
Each generator is its real binary, built once and run per iteration into an empty directory, so
process start, reading the schemas and writing the files count; peak RSS is the largest resident
set of those runs. tongagen-inprocess runs the same command through cli.Main in the benchmark's
process, which makes the memory it allocates visible (B/op, allocs/op).`,
		Targets: generatorTargets(),
	},
	{
		Title:   "Coffee bar",
		Package: "./coffeebar",
		Bench:   "CoffeeBar",
		Groups:  []string{"orders"},
		Metrics: []metric{
			{Unit: "coffees/s", Label: "orders/s", Format: formatRate},
			{Unit: "p50-ms", Label: "whole flow p50", Format: formatMs},
			{Unit: "p90-ms", Label: "p90", Format: formatMs},
			{Unit: "p99-ms", Label: "p99", Format: formatMs},
		},
		Setup:          buildCoffeeBar,
		Benchtime:      "1x",
		QuickBenchtime: "1x",
		QuickRounds:    1,
		// A child process does the work.
		NoAllocs:  []string{ourImpl},
		QuickNote: "100 orders (`make bench`: 300), in the first round only.",
		Intro: `The coffee bar example (examples/coffeebar) end to end: its demo binary, built once, run per
round with --orders N --exit-when-done: the embedded broker, two instances of each of its services
(waiter, cash register, coffee maker, bartender) in one process, and N customers, 16 at a time, ordering
over HTTP, collecting and paying; the run counts only if its summary says every coffee went through
exactly once. From its summary: orders/s (coffees paid per second, from the first order to the
last payment) and the percentiles of the whole flow, CoffeeOrdered to BillPaid; time/op is the
time per coffee (1/orders/s), the bar's start-up excluded. No peer: the figures say what the
framework does on this machine, with the broker and every service sharing its cores.`,
	},
}

// impls names the implementations benchmarks report, and the module whose
// version the page gives.
var impls = map[string]implInfo{
	"tongagen":           {Label: "tongagen"},
	"tongagen-registry":  {Label: "tongagen (wire.Decoder, registry)"},
	"tongagen-inprocess": {Label: "tongagen (in-process, cli.Main)"},
	"hamba":              {Label: "hamba/avro", Module: "github.com/hamba/avro/v2"},
	"goavro":             {Label: "goavro", Module: "github.com/linkedin/goavro/v2"},
	"gogen":              {Label: "gogen-avro (generated code)", Module: "github.com/actgardner/gogen-avro/v10"},
	"gogen-compiled":     {Label: "gogen-avro (read program compiled once)", Module: "github.com/actgardner/gogen-avro/v10"},
	"gogen-avro":         {Label: "gogen-avro", Module: "github.com/actgardner/gogen-avro/v10"},
	"avrogen":            {Label: "hamba/avro avrogen", Module: "github.com/hamba/avro/v2"},
	"franz-go":           {Label: "franz-go (StickyKeyPartitioner)", Module: "github.com/twmb/franz-go"},
	"hand-written":       {Label: "hand-written murmur2"},
	"plain-consumer":     {Label: "plain consumer (franz-go)", Module: "github.com/twmb/franz-go"},
}

// peerSetup says how each peer is configured; the page lists it under
// its honesty rules.
var peerSetup = []string{
	"**hamba/avro**: a frozen API (`avro.Config{}.Freeze()`), the schema parsed once, structs generated by its " +
		"avrogen, one `avro.Writer` and one `avro.Reader` reused for every call (what `Marshal`/`Unmarshal` do " +
		"through a pool, without the pool and without `Marshal`'s copy of the result); the union of two records " +
		"decodes to registered types (`API.Register`), as its README documents. Framing: `soe.Codec` and " +
		"`ocf.Encoder` reused through `Reset`; `ocf.NewDecoder` per message, as each message is its own file.",
	"**goavro**: one `Codec` built once; `BinaryFromNative` appending to a reused buffer, `NativeFromBinary`; " +
		"`SingleFromNative`/`NativeFromSingle`; `NewOCFWriter` given that Codec, `NewOCFReader` per message.",
	"**gogen-avro v10**: its generated code (internal/oracle/gogen/seed, bench/internal/gogenorder); " +
		"`Serialize` into a reused `bytes.Buffer`. Decode twice: \"generated code\" is the generated `DeserializeX`, " +
		"which compiles the schema on every call; \"read program compiled once\" compiles it once with " +
		"`compiler.CompileSchemaBytes` and runs it with `vm.Eval`.",
	"**franz-go**: `kgo.StickyKeyPartitioner(nil)` (its Kafka-compatible murmur2 hasher) for one topic, " +
		"one reused `*kgo.Record`.",
	"**generators**: gogen-avro's and avrogen's command lines with their defaults (`-package`/`-pkg` only).",
	"**hand-written loop on franz-go**: `kgo.NewGroupTransactSession` (the only franz-go API that commits offsets " +
		"inside a transaction; the loop is its group's one member) with read_committed and the manual partitioner; " +
		"`PollRecords` until a batch is full (or 100 ms passed), `Begin`, `Produce` of a `kgo.Record` with the key and " +
		"value copied (`bytes.Clone`) and no promise, `End(ctx, kgo.TryCommit)` — the loop of runtime/kafka/franz's " +
		"BenchmarkExactlyOnce, with batches filled the way the framework fills them.",
	"**hand-written loop on confluent-kafka-go (librdkafka)**: a `Consumer` assigned the input partition after " +
		"`GetMetadata` (which spares librdkafka's ~0.5 s wait before the first fetch), read_committed, no auto-commit, " +
		"`fetch.wait.max.ms` 100, `Poll` until a batch is full (or 100 ms passed); a `Producer`, idempotent with " +
		"acks=all, given each message's key and value. Exactly-once: `BeginTransaction`, `Produce`, " +
		"`SendOffsetsToTransaction` with `GetConsumerGroupMetadata`, `CommitTransaction`, as runtime/kafka/rdkafka's " +
		"BenchmarkExactlyOnceRaw. At-least-once: `Produce` with a delivery channel, every report awaited, then " +
		"`CommitOffsets` (`Flush` would cost up to 100 ms a call while the Events channel is read). Other librdkafka " +
		"settings at their defaults.",
}
