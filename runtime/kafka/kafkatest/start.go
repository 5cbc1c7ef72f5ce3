package kafkatest

import (
	"fmt"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var startTests = []test{
	{"Earliest", testStartEarliest},
	{"Latest", testStartLatest},
	{"Committed", testStartCommitted},
	{"CommittedNone", testStartCommittedNone},
}

// commitAt commits offset at for s[0] in group, as a client that consumes
// nothing.
func (e *env) commitAt(group string, at int64) {
	e.t.Helper()
	c := e.client(kafka.Config{Group: group})
	if err := c.CommitOffsets(e.ctx, map[kafka.TopicPartition]int64{{Topic: "s", Partition: 0}: at}); err != nil {
		e.t.Fatalf("CommitOffsets: %v", err)
	}
	c.Close()
}

// testStartEarliest: StartEarliest starts at the first record, whatever the
// group committed.
func testStartEarliest(e *env) {
	e.start(map[string]int{"s": 1})
	e.fill(e.producer(), "s", 1, 3)
	e.commitAt("start", 2)
	c := e.client(kafka.Config{Topics: []string{"s"}, Group: "start", Policy: kafka.All, Start: kafka.StartEarliest})
	if got := values(e.poll(c, 3)); fmt.Sprint(got) != "[s-0-0 s-0-1 s-0-2]" {
		e.t.Errorf("StartEarliest consumed %v, want [s-0-0 s-0-1 s-0-2]", got)
	}
}

// testStartLatest: StartLatest consumes only records produced after New
// returned, whatever the group committed.
func testStartLatest(e *env) {
	e.start(map[string]int{"s": 1})
	p := e.producer()
	e.fill(p, "s", 1, 3)
	e.commitAt("start", 1)
	c := e.client(kafka.Config{Topics: []string{"s"}, Group: "start", Policy: kafka.All, Start: kafka.StartLatest})
	e.produce(p, rec("s", 0, "after-1"), rec("s", 0, "after-2"))
	if got := values(e.poll(c, 2)); fmt.Sprint(got) != "[after-1 after-2]" {
		e.t.Errorf("StartLatest consumed %v, want [after-1 after-2]", got)
	}
}

// testStartCommitted: StartCommitted resumes after CommitOffsets, and
// Committed reports the offset (-1 where none is committed).
func testStartCommitted(e *env) {
	e.start(map[string]int{"s": 2})
	e.fill(e.producer(), "s", 1, 5)
	cfg := kafka.Config{Topics: []string{"s"}, Group: "resume", Policy: kafka.All, Start: kafka.StartCommitted}
	c := e.client(cfg)
	e.poll(c, 5)
	if err := c.CommitOffsets(e.ctx, map[kafka.TopicPartition]int64{{Topic: "s", Partition: 0}: 3}); err != nil {
		e.t.Fatalf("CommitOffsets: %v", err)
	}
	got, err := c.Committed(e.ctx, tps("s", 0, 1))
	if err != nil {
		e.t.Fatalf("Committed: %v", err)
	}
	if want := map[kafka.TopicPartition]int64{{Topic: "s", Partition: 0}: 3, {Topic: "s", Partition: 1}: -1}; fmt.Sprint(got) != fmt.Sprint(want) {
		e.t.Errorf("Committed = %v, want %v", got, want)
	}
	if at := e.committed("resume")[kafka.TopicPartition{Topic: "s", Partition: 0}]; at != 3 {
		e.t.Errorf("the broker has s[0] committed at %d, want 3", at)
	}
	c.Close()

	rs := e.poll(e.client(cfg), 1)
	if rs[0].Offset != 3 || string(rs[0].Value) != "s-0-3" {
		e.t.Errorf("after the commit, a new client started at offset %d (%q), want 3 (s-0-3)", rs[0].Offset, rs[0].Value)
	}
}

// testStartCommittedNone: StartCommitted with nothing committed starts at
// the earliest offset.
func testStartCommittedNone(e *env) {
	e.start(map[string]int{"s": 1})
	e.fill(e.producer(), "s", 1, 2)
	c := e.client(kafka.Config{Topics: []string{"s"}, Group: "fresh", Policy: kafka.All, Start: kafka.StartCommitted})
	if rs := e.poll(c, 1); rs[0].Offset != 0 {
		e.t.Errorf("StartCommitted with nothing committed started at offset %d, want 0", rs[0].Offset)
	}
}
