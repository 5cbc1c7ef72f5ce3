package kafkatest

import (
	"errors"
	"slices"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var fencingTests = []test{
	{"Producer", testFencingProducer},
	{"ConsumeTransformProduce", testFencingConsumer},
}

// checkFenced fails the test unless err matches ErrFenced.
func (e *env) checkFenced(what string, err error) {
	e.t.Helper()
	e.t.Logf("%s by the fenced client: %v", what, err)
	if !errors.Is(err, kafka.ErrFenced) {
		e.t.Errorf("%s by the fenced client: %v, want an error matching ErrFenced", what, err)
	}
}

// checkStaysFenced fails the test unless every further transactional
// operation of the fenced client c fails with ErrFenced.
func (e *env) checkStaysFenced(c kafka.Client, topic string) {
	e.t.Helper()
	if err := c.BeginTransaction(); err != nil {
		e.checkFenced("BeginTransaction", err)
		return
	}
	errs := e.produceAsync(c, rec(topic, 0, "fenced-again"))()
	if len(errs) != 1 {
		e.t.Errorf("the fenced client produced again: %v", errs)
	} else {
		e.checkFenced("Produce", errs[0])
	}
	e.checkFenced("CommitTransaction", c.CommitTransaction(e.ctx, nil))
}

// testFencingProducer: a second client with the same transactional id
// fences the first, whose open transaction is never committed and which
// never writes again.
func testFencingProducer(e *env) {
	e.start(map[string]int{"out": 1})
	old := e.client(kafka.Config{TransactionalID: "svc-0"})
	e.begin(old)
	e.produce(old, rec("out", 0, "old"))

	p := e.client(kafka.Config{TransactionalID: "svc-0"})
	e.checkFenced("CommitTransaction", old.CommitTransaction(e.ctx, nil))
	e.checkStaysFenced(old, "out")

	e.begin(p)
	e.produce(p, rec("out", 0, "new"), rec("out", 0, "sentinel"))
	e.commit(p, nil)
	if got := values(e.pollUntil(e.consumer(false, "out"), "sentinel")); !slices.Equal(got, []string{"new"}) {
		e.t.Errorf("read_committed saw %v before the sentinel, want [new]", got)
	}
}

// testFencingConsumer: the same for consume-transform-produce instances:
// the fenced instance's outputs and offsets are never committed.
func testFencingConsumer(e *env) {
	e.start(map[string]int{"in": 1, "out": 1})
	e.fill(e.producer(), "in", 1, 4)
	cfg := kafka.Config{Topics: []string{"in"}, Group: "svc", Policy: kafka.OnlyOwn, Instance: 0, Replicas: 1, TransactionalID: "svc-0"}
	old := e.client(cfg)
	rs := e.poll(old, 4)
	e.begin(old)
	e.produce(old, outputs("out", rs)...)

	p := e.client(cfg)
	e.checkFenced("CommitTransaction", old.CommitTransaction(e.ctx, next(rs)))
	e.checkStaysFenced(old, "out")
	e.checkCommitted(p, "svc", map[kafka.TopicPartition]int64{{Topic: "in", Partition: 0}: -1})

	again := e.poll(p, 4)
	e.begin(p)
	e.produce(p, append(outputs("out", again), rec("out", 0, "sentinel"))...)
	e.commit(p, next(again))
	got := values(e.pollUntil(e.consumer(false, "out"), "sentinel"))
	if want := values(outputs("out", rs)); !slices.Equal(got, want) {
		e.t.Errorf("read_committed saw %v before the sentinel, want %v once", got, want)
	}
	e.checkCommitted(p, "svc", map[kafka.TopicPartition]int64{{Topic: "in", Partition: 0}: 4})
}
