package kafkatest

import (
	"fmt"
	"slices"

	"github.com/google/go-cmp/cmp"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var positionTests = []test{
	{"StaticPartitions", testStaticPartitions},
	{"Seek", testSeek},
	{"ReachEndOffsets", testPositionsReachEnd},
}

// testStaticPartitions: Config.Partitions assigns exactly those partitions
// of each topic, whatever the Policy, from New on.
func testStaticPartitions(e *env) {
	e.start(map[string]int{"a": 3, "b": 3})
	p := e.producer()
	want := e.fill(p, "a", 3, 4)
	for tp, vs := range e.fill(p, "b", 3, 4) {
		want[tp] = vs
	}
	c := e.client(kafka.Config{Topics: []string{"a", "b"}, Group: "static", Partitions: []int32{0, 2}, Policy: kafka.Group, Start: kafka.StartEarliest})
	mine := []kafka.TopicPartition{{Topic: "a", Partition: 0}, {Topic: "a", Partition: 2}, {Topic: "b", Partition: 0}, {Topic: "b", Partition: 2}}
	if got := c.Assigned(); !slices.Equal(got, mine) {
		e.t.Errorf("right after New, Assigned() = %v, want %v", got, mine)
	}
	got := e.poll(c, 16)
	e.checkOrder(got)
	wantMine := map[kafka.TopicPartition][]string{}
	for _, tp := range mine {
		wantMine[tp] = want[tp]
	}
	if diff := cmp.Diff(wantMine, byPartition(got)); diff != "" {
		e.t.Errorf("consumed (-want +got):\n%s", diff)
	}
}

// testSeek: Seek moves the given partitions, and only them; Positions
// follows, and Rewind without a commit goes back to where Seek put the
// partition.
func testSeek(e *env) {
	e.start(map[string]int{"s": 2})
	e.fill(e.producer(), "s", 2, 10)
	c := e.client(kafka.Config{Topics: []string{"s"}, Group: "seek", Partitions: []int32{0, 1}, Start: kafka.StartEarliest})
	s0, s1 := kafka.TopicPartition{Topic: "s", Partition: 0}, kafka.TopicPartition{Topic: "s", Partition: 1}
	if got := c.Positions(); got[s0] != 0 || got[s1] != 0 {
		e.t.Errorf("before polling, Positions() = %v, want 0 for both", got)
	}
	if err := c.Seek(e.ctx, map[kafka.TopicPartition]int64{s0: 7}); err != nil {
		e.t.Fatalf("Seek: %v", err)
	}
	if got := c.Positions()[s0]; got != 7 {
		e.t.Errorf("after Seek to 7, the position is %d", got)
	}
	got := byPartition(e.poll(c, 13))
	want := map[kafka.TopicPartition][]string{s0: {"s-0-7", "s-0-8", "s-0-9"}, s1: nil}
	for i := range 10 {
		want[s1] = append(want[s1], fmt.Sprintf("s-1-%d", i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		e.t.Errorf("after Seek(s[0] to 7), consumed (-want +got):\n%s", diff)
	}
	if got := c.Positions(); got[s0] != 10 || got[s1] != 10 {
		e.t.Errorf("after reading everything, Positions() = %v, want 10 for both", got)
	}
	if err := c.Rewind(e.ctx); err != nil {
		e.t.Fatalf("Rewind: %v", err)
	}
	if diff := cmp.Diff(want, byPartition(e.poll(c, 13))); diff != "" {
		e.t.Errorf("after Rewind (nothing committed), consumed (-want +got):\n%s", diff)
	}
}

// testPositionsReachEnd: a consumer that read everything has positions at
// Admin.EndOffsets, transaction markers and aborted records included, so
// "caught up" can be position >= end offset; under static and under group
// assignment.
func testPositionsReachEnd(e *env) {
	e.start(map[string]int{"log": 2})
	p := e.client(kafka.Config{TransactionalID: "writer-0"})
	for i, commit := range []bool{true, false, true, false} {
		e.begin(p)
		e.produce(p, rec("log", 0, fmt.Sprint(i)), rec("log", 1, fmt.Sprint(i)))
		if commit {
			e.commit(p, nil)
		} else if err := p.AbortTransaction(e.ctx); err != nil {
			e.t.Fatalf("AbortTransaction: %v", err)
		}
	}
	tps := tps("log", 0, 1)
	ends, err := p.Admin().EndOffsets(e.ctx, tps)
	if err != nil {
		e.t.Fatalf("EndOffsets: %v", err)
	}
	for name, cfg := range map[string]kafka.Config{
		"static": {Topics: []string{"log"}, Group: "end-static", Partitions: []int32{0, 1}, Start: kafka.StartEarliest},
		"group":  {Topics: []string{"log"}, Group: "end-group", Policy: kafka.All, Start: kafka.StartEarliest},
	} {
		c := e.client(cfg)
		got := e.poll(c, 4) // the two committed records of each partition
		if vs := byPartition(got); !slices.Equal(vs[tps[0]], []string{"0", "2"}) || !slices.Equal(vs[tps[1]], []string{"0", "2"}) {
			e.t.Errorf("%s: consumed %v, want 0 and 2 on each partition", name, vs)
		}
		caughtUp := func() bool {
			pos := c.Positions()
			return pos[tps[0]] >= ends[tps[0]] && pos[tps[1]] >= ends[tps[1]]
		}
		e.waitFor(fmt.Sprintf("%s: positions to reach the end offsets %v", name, ends), caughtUp, c)
		if pos := c.Positions(); pos[tps[0]] != ends[tps[0]] || pos[tps[1]] != ends[tps[1]] {
			e.t.Errorf("%s: Positions() = %v, want the end offsets %v exactly", name, pos, ends)
		}
	}
}
