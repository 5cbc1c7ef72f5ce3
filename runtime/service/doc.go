// Package service runs generated handlers on Kafka: the processing loop of
// a Tonga service. It consumes the input topics, decodes each record by
// schema identity, dispatches it to the registered handler, sends what the
// handler emits, and commits — by default exactly once, in Kafka
// transactions batched over many records, with the input offsets in the
// same transaction as the outputs.
//
// A service is a name, a registry of generated types with handlers, input
// topics and an assignment policy:
//
//	reg, _ := tonga.NewRegistry(records.Schemas()...)
//	_ = records.RegisterHandlers(reg, &Bartender{})
//	svc, err := service.New("bartender",
//		service.Brokers("localhost:9092"),
//		service.Registry(reg),
//		service.Inputs("cash-register-events", "coffee-maker-results"),
//		service.Instance(0, 2), // statefulset ordinal 0 of 2
//	)
//	if err != nil { ... }
//	err = svc.Run(ctx) // until ctx is cancelled
//
// Guarantees. Under [ExactlyOnce] (the default) records are read
// read_committed and handled in transactions of up to [Batch] records or
// the batch interval, whichever comes first; the transactional id is
// <name>-<instance>, so a restarted or duplicate instance fences the old
// one, which stops with an error matching kafka.ErrFenced. On an abortable
// error the loop aborts, rewinds every partition to its committed offset
// and redoes the work: a read_committed reader sees every output once.
// Under [AtLeastOnce] outputs are acknowledged before input offsets are
// committed. A command whose processing_guarantee is at_most_once has its
// input committed before it executes.
//
// Commit ahead. A service with no stores (no participants) handles the
// next batch while a full one commits: the records already fetched are
// decoded and handled during the commit, their outputs held in memory, and
// once the commit succeeded the next transaction begins with them. If the
// commit fails, the held batch is dropped with the failed one and redone
// after the rewind, so nothing changes for a read_committed reader; an
// at_most_once command stops the handling ahead, since it needs the batch
// before it committed. A service with stores commits and then handles, so
// that its handlers read what the last batch wrote.
//
// What a handler emits is buffered until it returns: a handler that fails
// and is retried never leaves half its output behind. Records emitted while
// handling inherit the input's correlation id and context unless set.
//
// Failures. A record that cannot be decoded or names an unknown type, and a
// handler that still fails after its retries, follow the [OnError] policy:
// by default the record goes to the dead-letter topic <topic>.dlq with
// headers naming its source topic, partition and offset, the error, the
// time and the service and instance that failed it — inside the transaction under exactly-once — and processing goes
// on. Handler panics are recovered into errors. Records of a type the
// service has no handler for are skipped and counted. A handler error
// wrapping [ErrStop] (a store that cannot be used) is neither retried nor
// dead-lettered: the batch is aborted and Run returns it.
//
// Records that start a flow outside any handler — an HTTP request taking
// an order — go out with [Service.Send]; [Route] mounts such endpoints on
// the service's HTTP server, beside /metrics, /healthz and /readyz.
//
// Restarts. On franz-go (the default transport), under only_own and all,
// the instances are members of the service's consumer group (librdkafka
// assigns their partitions statically, without one). A stopped instance leaves the group at once;
// a crashed one (SIGKILL, a lost node) stays a member until the group's
// session timeout, 45 s by default, and its replacement gets its
// partitions only then. Where pods are replaced quickly, shorten it:
// ClientOptions(map[string]string{"session.timeout.ms": "10000"}).
// (Static membership, group.instance.id, would remove the wait; the
// embedded broker does not implement it.)
package service
