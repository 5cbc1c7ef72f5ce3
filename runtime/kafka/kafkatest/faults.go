package kafkatest

import (
	"slices"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/tonga-go/tonga/runtime/kafka"
)

// Fault tests inject errors with kfake (broker.Cluster().Fault). A
// transport retrying after a leadership error refreshes its metadata
// first; its test may set an option that lets it do so at once.
var faultTests = []test{
	{"ProduceNotLeaderRetried", testProduceNotLeader},
	{"ProduceTimedOutAppliedOnce", testProduceTimedOut},
	{"ProduceInTransactionRetried", testTxnProduceFault},
	{"EndTxnOrAddPartitionsFailed", testEndTxnFault},
	{"TxnOffsetCommitTimedOutApplied", testTxnOffsetCommitFault},
}

// testProduceNotLeader: a produce answered NOT_LEADER_OR_FOLLOWER once is
// retried internally and lands once.
func testProduceNotLeader(e *env) {
	e.start(map[string]int{"t": 1})
	h := e.b.Cluster().Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: "t", Err: kerr.NotLeaderForPartition})
	p := e.producer()
	e.produce(p, rec("t", 0, "r1"))
	if n := h.Hits(); n != 1 {
		e.t.Errorf("fault hit %d times, want 1", n)
	}
	e.checkLog(p, "t", "r1")
}

// testProduceTimedOut: a produce the broker applied but answered
// REQUEST_TIMED_OUT is retried, and the idempotent producer makes it land
// once.
func testProduceTimedOut(e *env) {
	e.start(map[string]int{"t": 1})
	h := e.b.Cluster().Fault(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: "t", Err: kerr.RequestTimedOut})
	p := e.producer()
	e.produce(p, rec("t", 0, "r1"))
	if n := h.Hits(); n != 1 {
		e.t.Errorf("fault hit %d times, want 1", n)
	}
	e.checkLog(p, "t", "r1")
}

// checkLog produces a sentinel with p and checks that topic[0] holds vs
// and then the sentinel, nothing else.
func (e *env) checkLog(p kafka.Client, topic string, vs ...string) {
	e.t.Helper()
	e.produce(p, rec(topic, 0, "sentinel"))
	if got := values(e.pollUntil(e.consumer(true, topic), "sentinel")); !slices.Equal(got, vs) {
		e.t.Errorf("%s holds %v before the sentinel, want %v", topic, got, vs)
	}
}

// eosWithFault runs the exactly-once loop over 3 partitions of 100 input
// records with fault installed, and checks the outputs and offsets; it
// returns the errors the loop handled.
func (e *env) eosWithFault(fault kfake.Fault) (*kfake.FaultHandle, []error) {
	e.t.Helper()
	e.start(map[string]int{"in": 3, "out": 3})
	want := e.fill(e.producer(), "in", 3, 100)
	c := e.txnClient("eos", "eos-0", "in")
	h := e.b.Cluster().Fault(fault)
	end := map[kafka.TopicPartition]int64{}
	for tp := range want {
		end[tp] = 100
	}
	handled := e.transform(c, "out", end, 40, 0)
	got := e.poll(e.consumer(false, "out"), 300)
	if diff := cmp.Diff(transformed("out", want), byPartition(got)); diff != "" {
		e.t.Errorf("read_committed outputs (-want +got):\n%s", diff)
	}
	e.checkCommitted(c, "eos", end)
	if h.Hits() == 0 {
		e.t.Errorf("the fault was never hit")
	}
	for _, err := range handled {
		e.t.Logf("handled by abort, rewind and redo: %v", err)
	}
	return h, handled
}

// testTxnProduceFault: a transactional produce answered
// NOT_LEADER_OR_FOLLOWER is retried; the output is exactly once.
func testTxnProduceFault(e *env) {
	e.eosWithFault(kfake.Fault{Keys: []kmsg.Key{kmsg.Produce}, Topic: "out", Err: kerr.NotLeaderForPartition, Count: 2})
}

// testEndTxnFault: EndTxn (or AddPartitionsToTxn, for a transport that
// sends it) failing with UNKNOWN_SERVER_ERROR surfaces as an error matching
// ErrAbortable or ErrRetriable; aborting, rewinding and redoing gives
// exactly-once output.
func testEndTxnFault(e *env) {
	_, handled := e.eosWithFault(kfake.Fault{Keys: []kmsg.Key{kmsg.EndTxn, kmsg.AddPartitionsToTxn}, Err: kerr.UnknownServerError})
	if len(handled) == 0 {
		e.t.Errorf("no error surfaced from the failed transaction")
	}
}

// testTxnOffsetCommitFault: a TxnOffsetCommit the broker applied but
// answered REQUEST_TIMED_OUT leaves the outcome to the transport (retry or
// abort); either way the output is exactly once.
func testTxnOffsetCommitFault(e *env) {
	e.eosWithFault(kfake.Fault{Keys: []kmsg.Key{kmsg.TxnOffsetCommit}, Err: kerr.RequestTimedOut})
}
