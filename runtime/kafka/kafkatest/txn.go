package kafkatest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var txnTests = []test{
	{"Commit", testTxnCommit},
	{"Abort", testTxnAbort},
	{"OffsetsOnly", testTxnOffsetsOnly},
	{"PartialOffsets", testTxnPartialOffsets},
	{"ExactlyOnce", testTxnExactlyOnce},
	{"ProducerOnly", testTxnProducerOnly},
	{"GroupRebalance", testTxnGroupRebalance},
}

// txnClient makes a transactional client consuming topics under Policy
// All from the committed offsets of group.
func (e *env) txnClient(group, txnID string, topics ...string) kafka.Client {
	e.t.Helper()
	return e.client(kafka.Config{Topics: topics, Group: group, Policy: kafka.All, TransactionalID: txnID})
}

// outputs returns the records transforming rs gives: "out-<value>" to the
// same partition of topic out.
func outputs(out string, rs []kafka.Record) []kafka.Record {
	outs := make([]kafka.Record, len(rs))
	for i, r := range rs {
		outs[i] = rec(out, r.Partition, "out-"+string(r.Value))
	}
	return outs
}

// transformed returns want with each value transformed and moved to out.
func transformed(out string, want map[kafka.TopicPartition][]string) map[kafka.TopicPartition][]string {
	m := make(map[kafka.TopicPartition][]string, len(want))
	for tp, vs := range want {
		for _, v := range vs {
			otp := kafka.TopicPartition{Topic: out, Partition: tp.Partition}
			m[otp] = append(m[otp], "out-"+v)
		}
	}
	return m
}

func (e *env) begin(c kafka.Client) {
	e.t.Helper()
	if err := c.BeginTransaction(); err != nil {
		e.t.Fatalf("BeginTransaction: %v", err)
	}
}

func (e *env) commit(c kafka.Client, offsets map[kafka.TopicPartition]int64) {
	e.t.Helper()
	if err := c.CommitTransaction(e.ctx, offsets); err != nil {
		e.t.Fatalf("CommitTransaction(%v): %v", offsets, err)
	}
}

func (e *env) checkCommitted(c kafka.Client, group string, want map[kafka.TopicPartition]int64) {
	e.t.Helper()
	var ps []kafka.TopicPartition
	for tp := range want {
		ps = append(ps, tp)
	}
	sortTPs(ps)
	got, err := c.Committed(e.ctx, ps)
	if err != nil {
		e.t.Fatalf("Committed: %v", err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		e.t.Errorf("Committed (-want +got):\n%s", diff)
	}
	broker := e.committed(group)
	for tp, at := range want {
		if b, ok := broker[tp]; at >= 0 && b != at || at < 0 && ok && b >= 0 {
			e.t.Errorf("the broker has %s[%d] committed at %d (present: %v), want %d", tp.Topic, tp.Partition, b, ok, at)
		}
	}
}

// testTxnCommit: outputs and input offsets committed in one transaction
// are visible to read_committed consumers and in Committed.
func testTxnCommit(e *env) {
	e.start(map[string]int{"in": 2, "out": 2})
	want := e.fill(e.producer(), "in", 2, 4)
	c := e.txnClient("txn", "txn-0", "in")
	rs := e.poll(c, 8)
	e.begin(c)
	e.produce(c, outputs("out", rs)...)
	e.commit(c, next(rs))

	got := e.poll(e.consumer(false, "out"), 8)
	if diff := cmp.Diff(transformed("out", want), byPartition(got)); diff != "" {
		e.t.Errorf("read_committed outputs (-want +got):\n%s", diff)
	}
	e.checkCommitted(c, "txn", map[kafka.TopicPartition]int64{{Topic: "in", Partition: 0}: 4, {Topic: "in", Partition: 1}: 4})
}

// testTxnAbort: an aborted transaction's records are invisible to
// read_committed consumers and visible to read_uncommitted ones, its
// offsets are not committed, and Rewind makes Poll return the same inputs.
func testTxnAbort(e *env) {
	e.start(map[string]int{"in": 2, "out": 1})
	e.fill(e.producer(), "in", 2, 4)
	c := e.txnClient("txn", "txn-0", "in")
	rs := e.poll(c, 8)
	e.begin(c)
	aborted := outputs("out", rs)
	for i := range aborted {
		aborted[i].Partition = 0
	}
	e.produce(c, aborted...)
	if err := c.AbortTransaction(e.ctx); err != nil {
		e.t.Fatalf("AbortTransaction: %v", err)
	}
	e.checkCommitted(c, "txn", map[kafka.TopicPartition]int64{{Topic: "in", Partition: 0}: -1, {Topic: "in", Partition: 1}: -1})

	if err := c.Rewind(e.ctx); err != nil {
		e.t.Fatalf("Rewind: %v", err)
	}
	again := e.poll(c, 8)
	if diff := cmp.Diff(byPartition(rs), byPartition(again)); diff != "" {
		e.t.Errorf("after Rewind, Poll returned (-before +after):\n%s", diff)
	}
	if fmt.Sprint(next(rs)) != fmt.Sprint(next(again)) {
		e.t.Errorf("after Rewind, offsets %v, want %v", next(again), next(rs))
	}
	e.begin(c)
	e.produce(c, rec("out", 0, "sentinel"))
	e.commit(c, next(again))

	if before := e.pollUntil(e.consumer(false, "out"), "sentinel"); len(before) > 0 {
		e.t.Errorf("read_committed saw aborted records %v", values(before))
	}
	before := values(e.pollUntil(e.consumer(true, "out"), "sentinel"))
	if want := values(aborted); !slices.Equal(before, want) {
		e.t.Errorf("read_uncommitted saw %v before the sentinel, want the aborted %v", before, want)
	}
}

// testTxnOffsetsOnly: a transaction with offsets and no record commits the
// offsets.
func testTxnOffsetsOnly(e *env) {
	e.start(map[string]int{"in": 2})
	e.fill(e.producer(), "in", 2, 4)
	c := e.txnClient("txn", "txn-0", "in")
	rs := e.poll(c, 8)
	e.begin(c)
	e.commit(c, next(rs))
	e.checkCommitted(c, "txn", map[kafka.TopicPartition]int64{{Topic: "in", Partition: 0}: 4, {Topic: "in", Partition: 1}: 4})
	// And the transaction is over: another one runs.
	e.produce(e.producer(), rec("in", 0, "more"))
	more := e.poll(c, 1)
	e.begin(c)
	e.commit(c, next(more))
	e.checkCommitted(c, "txn", map[kafka.TopicPartition]int64{{Topic: "in", Partition: 0}: 5, {Topic: "in", Partition: 1}: 4})
}

// testTxnPartialOffsets: CommitTransaction commits exactly the offsets
// given, fewer than polled; polling goes on after what was polled, and an
// abort rewinds to the partial commit.
func testTxnPartialOffsets(e *env) {
	e.start(map[string]int{"in": 1, "out": 1})
	p := e.producer()
	e.fill(p, "in", 1, 10)
	c := e.txnClient("txn", "txn-0", "in")
	rs := e.poll(c, 10)
	e.begin(c)
	e.produce(c, outputs("out", rs[:4])...)
	e.commit(c, next(rs[:4]))
	e.checkCommitted(c, "txn", map[kafka.TopicPartition]int64{{Topic: "in", Partition: 0}: 4})

	e.produce(p, rec("in", 0, "extra"))
	if rs := e.poll(c, 1); string(rs[0].Value) != "extra" {
		e.t.Errorf("after a partial commit, Poll returned %q at %d, want the next record, extra at 10", rs[0].Value, rs[0].Offset)
	}
	e.begin(c)
	e.produce(c, outputs("out", rs[4:])...)
	if err := c.AbortTransaction(e.ctx); err != nil {
		e.t.Fatalf("AbortTransaction: %v", err)
	}
	if err := c.Rewind(e.ctx); err != nil {
		e.t.Fatalf("Rewind: %v", err)
	}
	if again := e.poll(c, 7); again[0].Offset != 4 || again[6].Offset != 10 {
		e.t.Errorf("after Rewind, polled offsets %d to %d, want 4 to 10", again[0].Offset, again[6].Offset)
	}
}

// testTxnExactlyOnce: thousands of records through many transactions,
// some aborted on purpose, come out exactly once, in order per partition.
func testTxnExactlyOnce(e *env) {
	const perPartition = 1000
	e.start(map[string]int{"in": 3, "out": 3})
	want := e.fill(e.producer(), "in", 3, perPartition)
	c := e.txnClient("eos", "eos-0", "in")
	end := map[kafka.TopicPartition]int64{}
	for tp := range want {
		end[tp] = perPartition
	}
	e.transform(c, "out", end, 50, 7)
	got := e.poll(e.consumer(false, "out"), 3*perPartition)
	if diff := cmp.Diff(transformed("out", want), byPartition(got)); diff != "" {
		e.t.Errorf("read_committed outputs (-want +got):\n%s", diff)
	}
	e.checkCommitted(c, "eos", end)
}

// transform runs the exactly-once loop on c until the committed offsets
// reach end: poll up to batch records, produce "out-<value>" to the same
// partition of out, and commit the offsets in one transaction. A failed
// produce or commit of class ErrAbortable or ErrRetriable is handled by
// aborting, rewinding and redoing; every abortEvery-th transaction is
// aborted on purpose (none if abortEvery is 0). It returns the errors
// handled so.
func (e *env) transform(c kafka.Client, out string, end map[kafka.TopicPartition]int64, batch, abortEvery int) []error {
	e.t.Helper()
	var handled []error
	done := make(map[kafka.TopicPartition]int64)
	for n := 1; !reached(done, end); n++ {
		rs, err := c.Poll(e.ctx, batch)
		if err != nil {
			e.t.Fatalf("Poll: %v (committed %v of %v)", err, done, end)
		}
		e.begin(c)
		errs := e.produceAsync(c, outputs(out, rs)...)()
		switch {
		case len(errs) > 0:
			err = errs[0]
		case abortEvery > 0 && n%abortEvery == 0:
			err = errDeliberate
		default:
			err = c.CommitTransaction(e.ctx, next(rs))
		}
		if err == nil {
			for tp, at := range next(rs) {
				done[tp] = at
			}
			continue
		}
		if !errors.Is(err, errDeliberate) {
			if !errors.Is(err, kafka.ErrAbortable) && !errors.Is(err, kafka.ErrRetriable) {
				e.t.Fatalf("transaction %d: %v, want an error matching ErrAbortable or ErrRetriable", n, err)
			}
			handled = append(handled, err)
		}
		done = e.recover(c, end)
	}
	return handled
}

var errDeliberate = errors.New("kafkatest: deliberate abort")

// recover aborts, rewinds and returns the committed offsets of end's
// partitions.
func (e *env) recover(c kafka.Client, end map[kafka.TopicPartition]int64) map[kafka.TopicPartition]int64 {
	e.t.Helper()
	if err := c.AbortTransaction(e.ctx); err != nil {
		e.t.Fatalf("AbortTransaction: %v", err)
	}
	if err := c.Rewind(e.ctx); err != nil {
		e.t.Fatalf("Rewind: %v", err)
	}
	var ps []kafka.TopicPartition
	for tp := range end {
		ps = append(ps, tp)
	}
	done, err := c.Committed(e.ctx, ps)
	if err != nil {
		e.t.Fatalf("Committed: %v", err)
	}
	return done
}

func reached(done, end map[kafka.TopicPartition]int64) bool {
	for tp, at := range end {
		if done[tp] < at {
			return false
		}
	}
	return true
}

// testTxnProducerOnly: a transactional client that consumes nothing
// commits and aborts transactions of records alone.
func testTxnProducerOnly(e *env) {
	e.start(map[string]int{"out": 1})
	c := e.client(kafka.Config{TransactionalID: "producer-0"})
	e.begin(c)
	e.produce(c, rec("out", 0, "aborted"))
	if err := c.AbortTransaction(e.ctx); err != nil {
		e.t.Fatalf("AbortTransaction: %v", err)
	}
	e.begin(c)
	e.produce(c, rec("out", 0, "committed"), rec("out", 0, "sentinel"))
	e.commit(c, nil)
	if got := values(e.pollUntil(e.consumer(false, "out"), "sentinel")); !slices.Equal(got, []string{"committed"}) {
		e.t.Errorf("read_committed saw %v before the sentinel, want [committed]", got)
	}
}

// testTxnGroupRebalance: exactly-once under Policy Group while a second
// member joins and later leaves; a transaction cut by the rebalance fails
// with ErrAbortable or ErrRetriable and is redone.
func testTxnGroupRebalance(e *env) {
	const perPartition = 200
	e.start(map[string]int{"in": 4, "out": 4})
	want := e.fill(e.producer(), "in", 4, perPartition)
	member := func(id string) kafka.Client {
		return e.client(kafka.Config{Topics: []string{"in"}, Group: "grp", Policy: kafka.Group, TransactionalID: id})
	}
	a := member("grp-a")
	var b kafka.Client
	var bDone int
	for left := 4 * perPartition; left > 0; {
		if n := e.step(a); n > 0 && b == nil && left < 3*perPartition {
			b = member("grp-b")
		}
		if b != nil && bDone >= 0 {
			if bDone += e.step(b); bDone >= perPartition/2 {
				b.Close()
				bDone = -1
			}
		}
		left = 4 * perPartition
		for _, at := range e.committed("grp") {
			left -= int(at)
		}
	}
	got := e.poll(e.consumer(false, "out"), 4*perPartition)
	if diff := cmp.Diff(transformed("out", want), byPartition(got)); diff != "" {
		e.t.Errorf("read_committed outputs (-want +got):\n%s", diff)
	}
}

// step runs one transaction of the exactly-once loop on c if a poll of at
// most 100ms returns records, and returns how many it committed.
func (e *env) step(c kafka.Client) int {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 100*time.Millisecond)
	rs, err := c.Poll(ctx, 50)
	cancel()
	switch {
	case err != nil && e.ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		return 0
	case err != nil:
		e.t.Fatalf("Poll: %v", err)
	}
	e.begin(c)
	errs := e.produceAsync(c, outputs("out", rs)...)()
	if len(errs) == 0 {
		err = c.CommitTransaction(e.ctx, next(rs))
	} else {
		err = errs[0]
	}
	switch {
	case err == nil:
		return len(rs)
	case !errors.Is(err, kafka.ErrAbortable) && !errors.Is(err, kafka.ErrRetriable):
		e.t.Fatalf("transaction: %v, want an error matching ErrAbortable or ErrRetriable", err)
	}
	e.t.Logf("handled by abort, rewind and redo: %v", err)
	if err := c.AbortTransaction(e.ctx); err != nil {
		e.t.Fatalf("AbortTransaction: %v", err)
	}
	if err := c.Rewind(e.ctx); err != nil {
		e.t.Fatalf("Rewind: %v", err)
	}
	return 0
}
