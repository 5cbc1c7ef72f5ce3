package kafkatest

import (
	"errors"
	"regexp"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/tonga-go/tonga/runtime/kafka"
)

var adminTests = []test{
	{"CreateTopic", testCreateTopic},
	{"PartitionsUnknownTopic", testPartitionsUnknown},
	{"EndOffsets", testEndOffsets},
	{"StartOffsets", testStartOffsets},
}

// testCreateTopic: CreateTopic creates the topic with its partitions and
// configs, is idempotent on the partition count, and an error naming both
// counts on another.
func testCreateTopic(e *env) {
	e.start(nil)
	adm := e.producer().Admin()
	if err := adm.CreateTopic(e.ctx, "changelog", 3, map[string]string{"cleanup.policy": "compact", "retention.ms": "60000"}); err != nil {
		e.t.Fatalf("CreateTopic: %v", err)
	}
	if n, err := adm.Partitions(e.ctx, "changelog"); err != nil || n != 3 {
		e.t.Errorf("Partitions = %d, %v; want 3", n, err)
	}
	rcs, err := e.adm.DescribeTopicConfigs(e.ctx, "changelog")
	if err != nil {
		e.t.Fatal(err)
	}
	want := map[string]string{"cleanup.policy": "compact", "retention.ms": "60000"}
	rc, err := rcs.On("changelog", nil)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range rc.Configs {
		if w, ok := want[c.Key]; ok {
			if c.MaybeValue() != w {
				e.t.Errorf("config %s = %q, want %q", c.Key, c.MaybeValue(), w)
			}
			delete(want, c.Key)
		}
	}
	if len(want) > 0 {
		e.t.Errorf("configs %v missing from the topic", want)
	}
	if err := adm.CreateTopic(e.ctx, "changelog", 3, nil); err != nil {
		e.t.Errorf("CreateTopic again with the same count: %v", err)
	}
	err = adm.CreateTopic(e.ctx, "changelog", 5, nil)
	if err == nil || !regexp.MustCompile(`\b3\b`).MatchString(err.Error()) || !regexp.MustCompile(`\b5\b`).MatchString(err.Error()) {
		e.t.Errorf("CreateTopic again with 5 partitions: %v, want an error naming 3 and 5", err)
	}
}

// testPartitionsUnknown: Partitions of a missing topic matches
// ErrUnknownTopic.
func testPartitionsUnknown(e *env) {
	e.start(nil)
	if _, err := e.producer().Admin().Partitions(e.ctx, "missing"); !errors.Is(err, kafka.ErrUnknownTopic) {
		e.t.Errorf("Partitions(missing) = %v, want an error matching ErrUnknownTopic", err)
	}
}

func (e *env) endOffset(adm kafka.Admin, topic string) int64 {
	e.t.Helper()
	tp := kafka.TopicPartition{Topic: topic, Partition: 0}
	m, err := adm.EndOffsets(e.ctx, []kafka.TopicPartition{tp})
	if err != nil {
		e.t.Fatalf("EndOffsets: %v", err)
	}
	return m[tp]
}

// testEndOffsets: the end offset counts transaction markers (one record in
// one transaction ends at its offset + 2), stops before an open
// transaction, and is where a read_committed consumer's next record is.
func testEndOffsets(e *env) {
	e.start(map[string]int{"t": 1})
	c := e.client(kafka.Config{TransactionalID: "end-0"})
	adm := c.Admin()
	e.begin(c)
	e.produce(c, rec("t", 0, "one"))
	e.commit(c, nil)
	r := e.poll(e.consumer(false, "t"), 1)[0]
	if end := e.endOffset(adm, "t"); end != r.Offset+2 {
		e.t.Errorf("after one transaction of one record at offset %d, EndOffsets = %d, want %d", r.Offset, end, r.Offset+2)
	}

	e.begin(c)
	e.produce(c, rec("t", 0, "open"))
	if end := e.endOffset(adm, "t"); end != r.Offset+2 {
		e.t.Errorf("with a transaction open, EndOffsets = %d, want it unmoved at %d", end, r.Offset+2)
	}
	e.commit(c, nil)
	end := e.endOffset(adm, "t")
	if end != r.Offset+4 {
		e.t.Errorf("after the second transaction, EndOffsets = %d, want %d", end, r.Offset+4)
	}
	// A consumer that read everything has its next record at the end.
	reader := e.consumer(false, "t")
	e.poll(reader, 2)
	e.produce(e.producer(), rec("t", 0, "after"))
	if rs := e.poll(reader, 1); rs[0].Offset != end {
		e.t.Errorf("the record after the end is at offset %d, want the end offset %d", rs[0].Offset, end)
	}
	if _, err := adm.EndOffsets(e.ctx, []kafka.TopicPartition{{Topic: "missing", Partition: 0}}); !errors.Is(err, kafka.ErrUnknownTopic) {
		e.t.Errorf("EndOffsets of a missing topic = %v, want an error matching ErrUnknownTopic", err)
	}
}

// testStartOffsets: StartOffsets is the first retained offset.
func testStartOffsets(e *env) {
	e.start(map[string]int{"t": 2})
	p := e.producer()
	e.fill(p, "t", 2, 3)
	tp0, tp1 := kafka.TopicPartition{Topic: "t", Partition: 0}, kafka.TopicPartition{Topic: "t", Partition: 1}
	if _, err := e.adm.DeleteRecords(e.ctx, offsetsAt("t", 1, 2)); err != nil {
		e.t.Fatalf("DeleteRecords: %v", err)
	}
	m, err := p.Admin().StartOffsets(e.ctx, []kafka.TopicPartition{tp0, tp1})
	if err != nil {
		e.t.Fatalf("StartOffsets: %v", err)
	}
	if m[tp0] != 0 || m[tp1] != 2 {
		e.t.Errorf("StartOffsets = %v, want t[0] 0 and t[1] 2 (records before 2 deleted)", m)
	}
}

func offsetsAt(topic string, partition int32, at int64) kadm.Offsets {
	var os kadm.Offsets
	os.AddOffset(topic, partition, at, -1)
	return os
}
