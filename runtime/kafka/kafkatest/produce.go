package kafkatest

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var produceTests = []test{
	{"Flush", testFlush},
	{"ExplicitPartitions", testExplicitPartitions},
	{"NoSuchPartition", testNoSuchPartition},
	{"UnknownTopic", testProduceUnknownTopic},
}

// testFlush: once Flush returns, every record produced before was
// acknowledged, done called with its offset.
func testFlush(e *env) {
	e.start(map[string]int{"f": 2})
	p := e.producer()
	const n = 500
	var acked, failed atomic.Int64
	for i := range n {
		r := rec("f", int32(i%2), fmt.Sprint(i))
		p.Produce(e.ctx, &r, func(r *kafka.Record, err error) {
			if err != nil || r.Offset < 0 {
				failed.Add(1)
				return
			}
			acked.Add(1)
		})
	}
	if err := p.Flush(e.ctx); err != nil {
		e.t.Fatalf("Flush: %v", err)
	}
	if a, f := acked.Load(), failed.Load(); a != n || f != 0 {
		e.t.Errorf("when Flush returned, %d records were acknowledged and %d failed, want %d and 0", a, f, n)
	}
}

// testExplicitPartitions: each record lands on the partition the caller
// chose, whatever its key.
func testExplicitPartitions(e *env) {
	e.start(map[string]int{"p": 4})
	var rs []kafka.Record
	for i := range 40 {
		r := rec("p", int32(i%4), fmt.Sprint(i))
		r.Key = []byte("same key")
		rs = append(rs, r)
	}
	e.produce(e.producer(), rs...)
	for _, r := range e.poll(e.consumer(false, "p"), 40) {
		var i int
		if _, err := fmt.Sscan(string(r.Value), &i); err != nil || int32(i%4) != r.Partition {
			e.t.Errorf("record %q landed on partition %d", r.Value, r.Partition)
		}
	}
}

// testNoSuchPartition: producing to a partition the topic does not have
// fails, with an error naming the topic and the partition.
func testNoSuchPartition(e *env) {
	e.start(map[string]int{"two-partitions": 2})
	errs := e.produceAsync(e.producer(), rec("two-partitions", 7, "x"))()
	if len(errs) != 1 {
		e.t.Fatalf("produce to partition 7 of 2: errors %v, want one", errs)
	}
	var ke *kafka.Error
	msg := errs[0].Error()
	e.t.Logf("produce to partition 7 of 2: %v", msg)
	if !strings.Contains(msg, "two-partitions") || !strings.Contains(msg, "7") {
		e.t.Errorf("produce to partition 7 of 2: %q, want the topic and the partition named", msg)
	}
	if errors.As(errs[0], &ke) && (ke.Topic != "two-partitions" || ke.Partition != 7) {
		e.t.Errorf("produce to partition 7 of 2: *kafka.Error about %s[%d]", ke.Topic, ke.Partition)
	}
}

// testProduceUnknownTopic: producing to a topic that does not exist fails
// with ErrUnknownTopic, naming the topic.
func testProduceUnknownTopic(e *env) {
	e.start(map[string]int{"exists": 1})
	errs := e.produceAsync(e.producer(), rec("no-such-topic", 0, "x"))()
	if len(errs) != 1 {
		e.t.Fatalf("produce to a missing topic: errors %v, want one", errs)
	}
	e.t.Logf("produce to a missing topic: %v", errs[0])
	if !errors.Is(errs[0], kafka.ErrUnknownTopic) || !strings.Contains(errs[0].Error(), "no-such-topic") {
		e.t.Errorf("produce to a missing topic: %v, want an error matching ErrUnknownTopic naming it", errs[0])
	}
}
